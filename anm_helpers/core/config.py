"""All paths of the project, in one place (no path literal elsewhere)."""
from __future__ import annotations

import os
from pathlib import Path

#: the package (``anm_helpers/``): this file is in its ``core/`` floor
PACKAGE_DIR = Path(__file__).resolve().parents[1]
PROJ_ROOT = Path(os.environ.get("ANM_PROJ_ROOT", PACKAGE_DIR.parent))

DATA_DIR = Path(os.environ.get("ANM_DATA_DIR", PROJ_ROOT / "data"))
PARAMS_DIR = Path(os.environ.get("ANM_PARAMS_DIR", PROJ_ROOT / "params"))
REPORTS_DIR = Path(os.environ.get("ANM_REPORTS_DIR", PROJ_ROOT / "reports"))
NOTEBOOKS_DIR = Path(os.environ.get("ANM_NOTEBOOKS_DIR", PROJ_ROOT / "notebooks"))

PUNTOS_FILE = "puntos.csv"
HISTORICO_FILE = "historico.csv"
#: how the platforms' exports are laid out (``fuentes``), shared or in a month's folder
FUENTES_FILE = "fuentes.yaml"

TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: the PowerPoint template shipped (``python -m anm_helpers.outputs.pptx_template`` makes it), and the one in
#: use: ANM_PPTX_TEMPLATE names the agency's own (README, "The PowerPoint")
PPTX_TEMPLATE_FILE = TEMPLATES_DIR / "anm" / "plantilla.pptx"
PPTX_TEMPLATE = Path(os.environ.get("ANM_PPTX_TEMPLATE") or PPTX_TEMPLATE_FILE)
SAMPLE_TARGETS_FILE = PACKAGE_DIR / "sample_targets.yaml"
REVEAL_DIR = Path(os.environ.get("ANM_REVEAL_DIR", PROJ_ROOT / "node_modules" / "reveal.js"))

def prewarm() -> bool:
    """Whether a build boots its kernels while it checks the data (the default: the
    sections start as soon as the data pass). ``ANM_PRECALENTAR=no``, a developers'
    setting (docs/desarrollo.md), boots them only once the data pass: a refused build
    then starts no kernel, which the test suite, whose cores are all busy, is quicker
    for; the build's outputs are the same either way."""
    raw = os.environ.get("ANM_PRECALENTAR", "si")
    if raw.strip() not in ("si", "no"):
        from anm_helpers.core.errors import ConstruccionFallida
        from anm_helpers.core.text import visible

        raise ConstruccionFallida(f'ANM_PRECALENTAR="{visible(raw)}" no es «si» ni «no»')
    return raw.strip() == "si"


#: a section notebook: ``NN_nombre.ipynb`` (and its paired ``NN_nombre.py``), in deck order by file name
SECTION_GLOB = "[0-9][0-9]_*"
SECTION_NAME = r"^[0-9][0-9]_.*\.(py|ipynb)$"


def section_notebooks(folder: Path | None = None) -> list[Path]:
    """The section notebooks, in deck order (file name order)."""
    return sorted((folder or NOTEBOOKS_DIR).glob(f"{SECTION_GLOB}.ipynb"))


def year_notebooks_dir() -> Path:
    """The year deck's notebooks (``make year``), out of the month's sections' glob."""
    return NOTEBOOKS_DIR / "anual"


def month_data_dir(mes: str) -> Path:
    return DATA_DIR / mes


def params_file(mes: str) -> Path:
    return PARAMS_DIR / f"{mes}.yaml"


def report_dir(mes: str) -> Path:
    return REPORTS_DIR / mes


#: where a month's last failed build is recorded (``reports/.estado/<MES>.json``, make sitio reads it)
STATUS_DIR = ".estado"
#: the publication site (``make sitio``): ``reports/sitio/``
SITE_DIR = "sitio"


def status_file(mes: str) -> Path:
    """``reports/.estado/<mes>.json``: written when the month's build failed, removed when one succeeds."""
    return REPORTS_DIR / STATUS_DIR / f"{mes}.json"


def site_dir() -> Path:
    return REPORTS_DIR / SITE_DIR


def is_editor_file(path: Path) -> bool:
    """A file an editor keeps beside the one it has open, never an export: Excel's
    owner file (``~$…``), LibreOffice's lock (``.~lock.…#``), a backup (``…~``)."""
    return path.name.startswith(("~$", ".~lock.")) or path.name.endswith("~")
