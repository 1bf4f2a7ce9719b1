"""What a month's report depends on, as one hash: the month's data and that of
the earlier months of its year and the month before, the shared catalogues,
its params, the section notebooks, the helpers' code and templates (the
PowerPoint template in use too), reveal.js,
the key packages' versions, whether a PDF can be made, and the published
figures of the earlier months (the open data's series). Standard library
only: a rebuild with nothing changed answers before importing pandas."""
from __future__ import annotations

import hashlib
import shutil
from importlib import metadata
from pathlib import Path

from . import config

HUELLA = ".huella"
PACKAGES = ("pandas", "pandera", "papermill", "nbconvert", "matplotlib", "babel", "playwright", "python-pptx")


def months_for(mes: str) -> list[str]:
    """January to ``mes`` of its year, and the month before ``mes``."""
    year, month = int(mes[:4]), int(mes[5:7])
    before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    return sorted({before} | {f"{year}-{m:02d}" for m in range(1, month + 1)})


def code_fingerprint() -> str:
    """The helpers' code and templates: a change there re-executes every section."""
    h = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".json", ".yaml"):
            h.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def data_files(mes: str) -> list[Path]:
    """The files the month's figures and context come from (data and params)."""
    files = [config.DATA_DIR / config.PUNTOS_FILE, config.DATA_DIR / config.HISTORICO_FILE,
             config.DATA_DIR / config.FUENTES_FILE, config.params_file(mes)]
    for m in months_for(mes):
        folder = config.DATA_DIR / m
        if folder.is_dir():  # the month's exports and its own fuentes.yaml (an open file's lock is none)
            files += sorted(p for p in folder.iterdir() if p.is_file() and not config.is_editor_file(p))
    return files


def input_files(mes: str) -> list[Path]:
    return data_files(mes) + [config.REVEAL_DIR / "package.json", config.PPTX_TEMPLATE] + \
        sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _hash_files(h, files: list[Path]) -> None:
    for path in files:
        h.update(str(path).encode())
        h.update(path.read_bytes() if path.exists() else b"<none>")


def data_fingerprint(mes: str, code: str) -> str:
    """Data, params and code: while it holds, the month's context need not be recomputed."""
    h = hashlib.sha256(code.encode())
    _hash_files(h, data_files(mes))
    return h.hexdigest()


def build_fingerprint(mes: str) -> str:
    from .datos_abiertos import meses_publicados

    h = hashlib.sha256(code_fingerprint().encode())
    _hash_files(h, input_files(mes))
    # the open data's series holds the published figures of every earlier month: building or
    # rebuilding one of them with other figures makes this month's report out of date
    _hash_files(h, [path for _, path in meses_publicados(mes)])
    for name in PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(name.encode())
    h.update(b"chromium" if shutil.which("chromium") or Path("/usr/bin/chromium").exists() else b"-")
    if config.outputs() != set(config.OUTPUTS):  # a build of some outputs is never a complete one
        h.update(("salidas=" + ",".join(sorted(config.outputs()))).encode())
    return h.hexdigest()


def up_to_date(mes: str, fingerprint: str) -> bool:
    """The published report was built from exactly these inputs and is complete."""
    folder = config.report_dir(mes)
    stamp = folder / HUELLA
    return (stamp.exists() and stamp.read_text().strip() == fingerprint
            and (folder / f"informe-{mes}.html").exists() and (folder / "metrics.json").exists())
