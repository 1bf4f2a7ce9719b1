"""No command from arguments: MONTH and YEAR reach Python as data, through the
environment, never inside a recipe's shell text; a value that looks like an
option is still the month (or year) and is refused as one.

Every run uses the real Makefile with the reports, data and params folders
pointed at temporary copies, so nothing in the repository is written."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from anm_helpers.core import config

ROOT = config.PROJ_ROOT
#: `report` and `year` depend on `env` (the venv stamp and reveal.js): `-o` tells make
#: to take both as up to date whatever their dates, so a pyproject.toml edited after
#: the stamp does not reinstall the environment in the middle of the tests
UP_TO_DATE = ("-o", ".venv/.instalado", "-o", "node_modules/reveal.js/dist/reveal.js")

#: values that ran a command (or an option of the build) before; {marker} is a file
#: that must never be created
HOSTILE = [
    '2024-03"; touch {marker}; "',
    "2024-03'; touch {marker}; '",
    "$(touch {marker})",
    "`touch {marker}`",
    "$(shell touch {marker})",  # make's own function, expanded by make itself
    "2024-03; touch {marker}",
    "2024-03\ntouch {marker}",
    "--anio=2024",
    "-h",
]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Temporary reports, data and params folders (copies of the shipped ones);
    each test checks that it left data and params as they were."""
    tmp = tmp_path_factory.mktemp("make")
    data, params = tmp / "data", tmp / "params"
    shutil.copytree(config.DATA_DIR, data)
    shutil.copytree(config.PARAMS_DIR, params)
    return {"ANM_REPORTS_DIR": str(tmp / "reports"), "ANM_DATA_DIR": str(data), "ANM_PARAMS_DIR": str(params)}


def make(target: str, variable: str, value: str, folders: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MONTH", "YEAR", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}  # as from a terminal
    env.update(folders)
    return subprocess.run(["make", *UP_TO_DATE, target, f"{variable}={value}"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def snapshot(folder) -> dict:
    return {p: p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target, variable, message", [
    ("report", "MONTH", 'MONTH="{value}" no es un mes AAAA-MM'),
    ("new-month", "MONTH", 'MONTH="{value}" no es un mes AAAA-MM'),
    ("year", "YEAR", 'YEAR="{value}" no es un año AAAA'),
], ids=["report", "new-month", "year"])
@pytest.mark.parametrize("hostile", HOSTILE, ids=[f"valor{i}" for i in range(len(HOSTILE))])
def test_a_hostile_value_runs_nothing_and_is_refused(target, variable, message, hostile, folders, tmp_path):
    marker = tmp_path / "pwned"
    value = hostile.format(marker=marker)
    before = {name: snapshot(folders[name]) for name in ("ANM_DATA_DIR", "ANM_PARAMS_DIR")}
    result = make(target, variable, value, folders)
    out = result.stdout + result.stderr
    assert not marker.exists(), f"{variable}={value!r} ejecutó una orden"
    assert result.returncode != 0, out
    # the value arrived whole, as written, and was refused as what it is not
    assert f"ERROR: {message.format(value=value)}" in result.stderr, out
    assert "Traceback" not in out
    assert not os.path.exists(folders["ANM_REPORTS_DIR"])
    assert {name: snapshot(folders[name]) for name in before} == before


@pytest.mark.parametrize("target, variable, message", [
    ("report", "MONTH", "Indique el mes: make report MONTH=2024-03"),
    ("new-month", "MONTH", "Indique el mes: make new-month MONTH=2024-04"),
    ("year", "YEAR", "Indique el año: make year YEAR=2024"),
], ids=["report", "new-month", "year"])
def test_an_empty_value_asks_for_it(target, variable, message, folders):
    result = make(target, variable, "", folders)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_valid_month_or_year_without_data_reaches_the_build(folders):
    """The value passes through unchanged: a well-formed month (year) with no
    data gets the build's own answer, not the format refusal."""
    result = make("report", "MONTH", "2031-01", folders)
    assert result.returncode != 0 and "ERROR: no hay datos para 2031-01" in result.stderr, result.stderr
    result = make("year", "YEAR", "2031", folders)
    assert result.returncode != 0 and "ERROR: no hay datos de 2031" in result.stderr, result.stderr


def test_new_month_then_its_exports_then_report(tmp_path):
    """What a new analyst does, through make: new month, April's exports dropped in
    (here written by the sample-data script), report."""
    import sys

    from anm_helpers.inputs.scaffold import PENDIENTE

    own = {"ANM_REPORTS_DIR": str(tmp_path / "reports"), "ANM_DATA_DIR": str(tmp_path / "data"),
           "ANM_PARAMS_DIR": str(tmp_path / "params")}
    shutil.copytree(config.DATA_DIR, own["ANM_DATA_DIR"])
    shutil.copytree(config.PARAMS_DIR, own["ANM_PARAMS_DIR"])
    result = make("new-month", "MONTH", "2024-04", own)
    assert result.returncode == 0, result.stderr
    assert os.path.isfile(os.path.join(own["ANM_PARAMS_DIR"], "2024-04.yaml"))
    assert os.path.isdir(os.path.join(own["ANM_DATA_DIR"], "2024-04"))
    subprocess.run([sys.executable, "-m", "anm_helpers.inputs.sample_data", "--mes", "2024-04", "--como", "2024-03",
                    "--salida", own["ANM_DATA_DIR"]], cwd=ROOT, check=True, capture_output=True)
    assert not (Path(own["ANM_DATA_DIR"]) / "2024-04" / "llamadas.csv").exists()  # replaced by the platform's .xlsx

    # the deck is what this test reads: no PDF, PowerPoint or open data (ANM_SALIDAS; the
    # shipped months' builds check every output)
    result = make("report", "MONTH", "2024-04", {**own, "ANM_SALIDAS": ""})
    assert result.returncode == 0, result.stderr + result.stdout
    deck = (Path(own["ANM_REPORTS_DIR"]) / "2024-04" / "informe-2024-04.html").read_text(encoding="utf-8")
    assert "Abril 2024" in deck and f"{PENDIENTE}: comentario" in deck
