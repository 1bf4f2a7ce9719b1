"""Shared fixtures. Builds run the real command (``python -m anm_helpers.builder.report``)
in a subprocess, writing into a temporary reports folder."""
from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from anm_helpers.core import config
from anm_helpers.inputs.dataset import MonthData, empty_table
from contenido import digest

ROOT = config.PROJ_ROOT


def run_build(mes: str, reports: Path, data: Path | None = None, params: Path | None = None,
              extra_env: dict | None = None, notebooks: Path | None = None,
              args: tuple[str, ...] = (), workers: int | None = 1, salidas: str | None = None,
              precalentar: bool = False) -> subprocess.CompletedProcess:
    """The build command. ``workers``: sections in parallel; one by default, since
    the tests already run in parallel (one kernel to start, not one per core): the
    shared builds of the shipped months use the default, one per core. ``salidas``:
    only these outputs beside the deck and metrics.json (``ANM_SALIDAS``; "" for
    none), for tests that open no other. ``precalentar``: kernels booted while the
    data are checked, as ``make report`` does; off by default (``ANM_PRECALENTAR=no``):
    most builds here are refused at the data check, and a kernel booted for nothing
    costs a core the other tests are using."""
    env = {**os.environ, "ANM_REPORTS_DIR": str(reports), "ANM_PRECALENTAR": "si" if precalentar else "no"}
    if notebooks is not None:
        env["ANM_NOTEBOOKS_DIR"] = str(notebooks)
    if data is not None:
        env["ANM_DATA_DIR"] = str(data)
    if params is not None:
        env["ANM_PARAMS_DIR"] = str(params)
    if salidas is not None:
        env["ANM_SALIDAS"] = salidas
    env.update(extra_env or {})
    if workers is not None and "--workers" not in args:
        args = (*args, "--workers", str(workers))
    command = [sys.executable, "-m", "anm_helpers.builder.report", *([mes] if mes else []), *args]
    return subprocess.run(command, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def built_month(mes: str, tmp_path_factory, scenario: str = "", prepare=None, anio: bool = False,
                salidas: str | None = None) -> tuple[Path, subprocess.CompletedProcess]:
    """reports/<mes> built once for the whole run, and the command's result: from the
    shipped data, or for a ``scenario`` from a copy of them that ``prepare(data)``
    changes; ``anio``: by the year's command (``make year``), which builds every month
    of that year with data in one run. Tests only read it (screenshots go in a folder
    of their own inside it). Under pytest-xdist the workers share one build: the
    first to ask builds it under a lock, the others read it. ``salidas``: as in
    ``run_build``, the outputs the scenario's tests open."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by every worker of this run
    shared = root / "meses-construidos"
    shared.mkdir(exist_ok=True)
    name = f"anio-{mes[:4]}" if anio else f"{mes}-{scenario}" if scenario else mes
    reports, done = shared / f"reports-{name}", shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            data = None
            if prepare is not None:
                data = shared / f"data-{name}"
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(config.DATA_DIR, data)
                prepare(data)
            shipped = prepare is None  # the shipped months: as make report runs
            workers = None if shipped else 1
            result = run_build(None, reports, data=data, args=("--anio", mes[:4]), workers=workers,
                               precalentar=shipped) if anio else \
                run_build(mes, reports, data=data, workers=workers, salidas=salidas, precalentar=shipped)
            assert result.returncode == 0, result.stderr + result.stdout
            done.write_text(json.dumps({"args": result.args, "returncode": result.returncode,
                                        "stdout": result.stdout, "stderr": result.stderr}), encoding="utf-8")
        saved = json.loads(done.read_text(encoding="utf-8"))
    return reports / mes, subprocess.CompletedProcess(**saved)


def _prepare_missing_pieces(data: Path) -> None:
    """March 2024 with no phone activity (its calls file only a header: the month is
    unfinished), January 2024 absent and February 2024 known only from historico.csv."""
    shutil.rmtree(data / "2024-01")
    shutil.rmtree(data / "2024-02")
    (data / "historico.csv").write_text(
        "mes,canal,interacciones\n2024-02,presencial,1142\n2024-02,telefonico,799\n2024-02,virtual,4348\n",
        encoding="utf-8")
    march = data / "2024-03"
    for name in ("atenciones", "encuestas"):
        lines = (march / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [line for line in lines[1:] if ",telefonico," not in line]
        (march / f"{name}.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (march / "llamadas.xlsx").unlink()
    (march / "llamadas.csv").write_text("fecha,entrantes,contestadas\n", encoding="utf-8")


@pytest.fixture(scope="session")
def built_missing_pieces(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, Path]:
    """reports/2024-03 built once from ``_prepare_missing_pieces``'s data; the command's result; that data."""
    folder, result = built_month("2024-03", tmp_path_factory, "piezas-faltantes", _prepare_missing_pieces)
    return folder, result, folder.parent.parent / "data-2024-03-piezas-faltantes"


def _prepare_notices(data: Path) -> None:
    """March 2024 with valid data an analyst should look at: 90 calls answered for 570
    phone interactions (a warning), and three point names carrying a zero-width
    space (text normalised when read)."""
    march = data / "2024-03"
    (march / "llamadas.xlsx").unlink()
    (march / "llamadas.csv").write_text("fecha,entrantes,contestadas\n2024-03-04,100,90\n", encoding="utf-8")
    path = march / "atenciones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("PAR Cúcuta", "PAR Cú\u200bcuta", 3), encoding="utf-8")


@pytest.fixture(scope="session")
def built_with_notices(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, Path]:
    """reports/2024-03 built once from ``_prepare_notices``'s data (the deck and
    metrics.json: what its tests read); the command's result; that data."""
    folder, result = built_month("2024-03", tmp_path_factory, "avisos", _prepare_notices, salidas="")
    return folder, result, folder.parent.parent / "data-2024-03-avisos"


@pytest.fixture(scope="session")
def built_2024_03(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """reports/2024-03 built once from the shipped data, and the command's result."""
    return built_month("2024-03", tmp_path_factory)


@pytest.fixture(scope="session")
def built_2026_02(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """reports/2026-02 built once from the shipped data by ``make year YEAR=2026`` (with
    January 2026, a month without data), and the command's result."""
    return built_month("2026-02", tmp_path_factory, anio=True)


@pytest.fixture(scope="session")
def built_2026_01(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """reports/2026-01, a month without data, from the same build as ``built_2026_02``."""
    return built_month("2026-01", tmp_path_factory, anio=True)


# --- personal data never reaches an output ------------------------------------------

PERSONAL = ["Zuleima Cárdenas Ospina", "1098765432", "zuleima.cardenas@example.com", "+57 310 555 0199"]


def _plant_personal_data(data: Path) -> None:
    """Extra columns with a citizen's name, cédula, e-mail and phone in every input table."""
    extra_header = ",nombre_ciudadano,cedula,correo,telefono"
    extra = "," + ",".join(f'"{v}"' for v in PERSONAL)
    for path in list(data.rglob("*.csv")):
        raw = path.read_bytes()
        encoding = "cp1252" if b";" in raw.split(b"\n", 1)[0] else "utf-8"
        sep = ";" if encoding == "cp1252" else ","
        lines = raw.decode(encoding).splitlines()
        lines = [lines[0] + extra_header.replace(",", sep)] + [
            line + extra.replace(",", sep) if line else line for line in lines[1:]]
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    from openpyxl import load_workbook

    for path in data.rglob("*.xlsx"):
        wb = load_workbook(path)
        ws = wb.active
        width = ws.max_column
        for i, name in enumerate(["nombre_ciudadano", "cedula", "correo", "telefono"]):
            ws.cell(row=1, column=width + 1 + i, value=name)
            for r in range(2, ws.max_row + 1):
                ws.cell(row=r, column=width + 1 + i, value=PERSONAL[i])
        wb.save(path)
    (data / "historico.csv").write_text(f"mes,canal,interacciones,responsable\n2023-12,presencial,5,{PERSONAL[0]}\n",
                                        encoding="utf-8")


def _outputs_text(folder: Path) -> str:
    texts = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            try:
                from pypdf import PdfReader
            except ImportError:  # the PDF is checked where a reader is installed
                continue
            texts.append("\n".join(page.extract_text() or "" for page in PdfReader(path).pages))
        else:
            texts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(texts)


def _prepare_exports(data: Path) -> None:
    """March 2024 as the platforms export it (their own headers, title rows, other
    encodings, citizens' names, IDs and e-mails in columns of their own), and every
    other table with personal data planted in extra columns."""
    from exportaciones import write_exports

    _plant_personal_data(data)
    shutil.rmtree(data / "2024-03")
    write_exports(config.DATA_DIR / "2024-03", data / "2024-03")


@pytest.fixture(scope="session")
def built_from_exports(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess, Path]:
    """reports/2024-03 built once from ``_prepare_exports``'s data; the command's result; that data."""
    folder, result = built_month("2024-03", tmp_path_factory, "exportaciones", _prepare_exports)
    return folder, result, folder.parent.parent / "data-2024-03-exportaciones"


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped data/ folder."""
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target)
    return target


#: months read and checked by earlier tests of this process, by what they were read from
_MONTHS_READ: dict[str, object] = {}


def _month_key(mes: str, base: Path, borrador: bool) -> str | None:
    """What ``dataset.load_month`` reads, by content: the month's folder (every file's
    name relative to data/ and its bytes), the catalogue of points and the shared
    mapping, and whether it is the report's own month. None without a folder."""
    folder = base / mes
    if not folder.is_dir():
        return None
    files = [base / config.PUNTOS_FILE, base / config.FUENTES_FILE, *sorted(folder.rglob("*"))]
    return digest(files, base, hashlib.sha256(f"{mes}|{borrador}".encode()))


def _remembered(load_month):
    """``load_month`` that reads and checks a month's files once per test process:
    tests change one file of March and read January and February, unchanged, again
    and again. Keyed by content (``_month_key``), so a changed byte anywhere is read
    anew; only a month read without problems is kept, and each test gets its own copy."""
    def remembered(mes, puntos, data_dir=None, borrador=False, compartido=None):
        key = _month_key(mes, data_dir or config.DATA_DIR, borrador)
        if key is not None and key in _MONTHS_READ:
            return copy.deepcopy(_MONTHS_READ[key]), []
        data, problems = load_month(mes, puntos, data_dir, borrador, compartido)
        if key is not None and data is not None and not problems:
            _MONTHS_READ[key] = copy.deepcopy(data)
        return data, problems
    return remembered


@pytest.fixture
def data_dir(data_copy, monkeypatch) -> Path:
    """``data_copy``, and the package reading it (in this process) instead of data/;
    months this process has already read from identical files are not read again
    (``_remembered``): a test that changes how files are read must not use it."""
    from anm_helpers.inputs import dataset

    monkeypatch.setattr(config, "DATA_DIR", data_copy)
    monkeypatch.setattr(dataset, "load_month", _remembered(dataset.load_month))
    return data_copy


@pytest.fixture(scope="session")
def clean_metrics() -> dict:
    """March 2024's figures from the shipped files, as they are."""
    from anm_helpers.figures.context import build_context

    return build_context("2024-03")["metricas"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (never a browser of its own)."""
    from playwright.sync_api import sync_playwright

    from anm_helpers.outputs import pdf

    with sync_playwright() as p:
        b = pdf.launch(p)
        yield b
        b.close()


def month(mes: str = "2024-03", **tables) -> MonthData:
    """A MonthData from small hand-written frames; missing tables are empty."""
    out = {}
    for name in ("atenciones", "llamadas", "encuestas", "comunicaciones"):
        df = tables.get(name)
        out[name] = empty_table(name) if df is None else pd.DataFrame(df)
    if "encuestas" in tables:
        for q in ("satisfaccion", "percepcion", "confianza", "claridad"):
            if q in out["encuestas"]:
                out["encuestas"][q] = out["encuestas"][q].astype("Int8")
    return MonthData(mes, out)


def slides_markup(deck: str) -> str:
    """The slides of a deck's HTML, without the inlined reveal.js and styles."""
    return deck[deck.index('<div class="slides">'):deck.index("<script>")]


#: the reason given for a published count: it must match exactly
EXACT = "a count: exact"


def get(tree: dict, path: str):
    """The value at a dotted path of metrics.json."""
    for part in path.split("."):
        tree = tree[part]
    return tree


def assert_published(metrics: dict, path: str, published, tol, why: str) -> None:
    """A figure of metrics.json against the published one: a count exactly, a share
    within the stated tolerance (its reason is in the message)."""
    value = get(metrics, path)
    if tol == 0 and isinstance(published, int):
        assert value == published and isinstance(value, int)
    else:
        assert abs(value - published) <= tol, f"{path}={value}, published {published} ({why})"


# --- the order the tests are handed out in -------------------------------------------

#: the modules that build or open a browser, the longest first (wall seconds per module
#: measured on a two-core machine, docs/desarrollo.md): pytest-xdist hands tests out in
#: collection order, so the long ones start early and the last tests handed out are
#: short, and both workers finish together instead of one waiting on a long test at
#: the end. A module keeps its tests together (its module fixtures are set up once).
FIRST = ["test_speed", "test_accesibilidad", "test_bad_input", "test_preview", "test_fuentes",
         "test_build_2026", "test_anual", "test_trust", "test_matriz", "test_sanitize", "test_make", "test_notebooks",
         "test_browser", "test_build", "test_datos_abiertos", "test_pptx", "test_pdf", "test_csp", "test_pdf_ua"]


#: ``@pytest.mark.larga``: a test that starts a build or a preview of its own for one check (its
#: cost is a whole build); make hostil runs them (ANM_PRUEBAS_LARGAS=si), make test lists them as skipped
LARGAS = os.environ.get("ANM_PRUEBAS_LARGAS") == "si"


def pytest_collection_modifyitems(items):
    if not LARGAS:
        for item in items:
            if item.get_closest_marker("larga"):
                item.add_marker(pytest.mark.skip(reason="make hostil (ANM_PRUEBAS_LARGAS=si): una construcción propia"))
    rank = {name: i for i, name in enumerate(FIRST)}
    items.sort(key=lambda item: rank.get(item.path.stem, len(FIRST)))  # stable: the rest as collected
