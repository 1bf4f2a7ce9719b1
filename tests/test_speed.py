"""What makes rebuilds fast must never make them stale: an unchanged month is
not rebuilt, a narrative edit re-executes only its section, a data change
re-executes what depends on it. Timings live in benchmarks/, not in tests."""
import io
import json
import re
import shutil

import nbformat
import pytest

from anm_helpers.core import config
from anm_helpers.figures.context import build_context
from anm_helpers.inputs.sample_data import generate, large_targets, load_targets
from benchmarks import bench
from benchmarks.floor import single_notebook
from conftest import run_build


def executed(out: str) -> list[str]:
    return re.findall(r"sección (\S+) ejecutada", out)


@pytest.fixture
def workspace(tmp_path, data_copy):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)
    return {"reports": tmp_path / "reports", "data": data_copy, "notebooks": notebooks}


def build(ws, mes="2024-03", **kw):
    """The month built in the workspace: the deck and metrics.json, what these tests
    read (ANM_SALIDAS: no PDF, PowerPoint or open data written)."""
    result = run_build(mes, ws["reports"], data=ws["data"], notebooks=ws["notebooks"],
                       salidas="", **kw)
    assert result.returncode == 0, result.stderr
    return result.stdout


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_rebuilds_unchanged_narrative_and_data(workspace):
    ws = workspace
    first = build(ws)
    assert "PDF" not in first and "PowerPoint" not in first  # ANM_SALIDAS="": the deck alone, and said so
    assert len(executed(first)) == len(list(ws["notebooks"].glob("[0-9][0-9]_*.ipynb")))
    folder = ws["reports"] / "2024-03"
    before = snapshot(folder)

    again = build(ws)  # nothing changed: nothing rebuilt, nothing touched
    assert "sin cambios desde la última construcción" in again
    assert snapshot(folder) == before

    # one section's markdown narrative, edited in its .py outside JupyterLab: the build
    # brings the notebook up to date itself (no hidden sync step), and no kernel is needed
    py = ws["notebooks"] / "03_presencial.py"
    text = py.read_text(encoding="utf-8")
    assert text.count("\n# ## Cifras Presencial\n") == 1
    py.write_text(text.replace("\n# ## Cifras Presencial\n", "\n# ## Cifras Presencial de {periodo.mes_titulo} en revisión\n"),
                  encoding="utf-8")
    edited = build(ws)
    assert "03_presencial: 03_presencial.ipynb actualizado desde 03_presencial.py" in edited
    assert executed(edited) == []
    assert "sección 03_presencial: código sin cambios, resultados de la caché" in edited
    assert "datos sin cambios" in edited
    assert "Cifras Presencial de Marzo en revisión" in (folder / "informe-2024-03.html").read_text(encoding="utf-8")
    assert "Cifras Presencial de Marzo en revisión" in (folder / "notebooks" / "03_presencial.ipynb").read_text(encoding="utf-8")
    path = ws["notebooks"] / "03_presencial.ipynb"
    assert "## Cifras Presencial de {periodo.mes_titulo} en revisión" in path.read_text(encoding="utf-8")

    path = ws["notebooks"] / "02_canales.ipynb"
    nb = nbformat.read(path, as_version=4)  # narrative inside a helper call: that section runs again
    cell = next(c for c in nb.cells if c.cell_type == "code" and "anm-total" in c.source)
    cell.source = cell.source.replace("interacciones\"", "interacciones en el mes\"")
    nbformat.write(nb, path)
    edited = build(ws)
    assert executed(edited) == ["02_canales"]
    assert "interacciones en el mes" in (folder / "informe-2024-03.html").read_text(encoding="utf-8")

    with open(ws["data"] / "2024-03" / "comunicaciones.csv", "a", encoding="utf-8") as fh:  # one data file
        fh.write("CO-NUEVA-0001,2024-03-15 10:00,correo_contacto,entrada\n")
    changed = build(ws)
    assert "datos verificados" in changed
    assert len(executed(changed)) == len(list(ws["notebooks"].glob("[0-9][0-9]_*.ipynb")))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["virtual"]["por_medio_entrada"]["correo_contacto"] == 928  # nothing stale survives
    deck = (folder / "informe-2024-03.html").read_text(encoding="utf-8")
    assert "3.355" in deck and "en revisión" in deck and "interacciones en el mes" in deck


def test_year_builds_every_month_with_data(built_2026_02):
    """make year YEAR=2026 (the shared build of February 2026): January has a folder
    and no data, February the published month; both are built, each says its method."""
    folder, result = built_2026_02
    out = result.stdout
    assert "Año 2026: 2 mes(es) con datos (2026-01, 2026-02)" in out
    assert "  método de las encuestas: enero top2 (por defecto: sin params); febrero top2" in out
    for mes in ("2026-01", "2026-02"):
        assert re.search(rf"^\[{mes}\]   ✓ sección 03_presencial ejecutada", out, re.M)
        assert (folder.parent / mes / f"informe-{mes}.html").exists()


def test_year_without_data_is_one_line(tmp_path):
    result = run_build(None, tmp_path, args=("--anio", "1999"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["ERROR: no hay datos de 1999: ninguna carpeta data/1999-MM/"]


def test_large_month_generator_at_small_scale(tmp_path, monkeypatch):
    targets = load_targets()
    targets["meses"] = {"2031-05": large_targets(interacciones=1000, comunicaciones=1000, encuestas=300)}
    generate(tmp_path, targets=targets)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    monkeypatch.setattr(config, "PARAMS_DIR", tmp_path)
    m = build_context("2031-05")["metricas"]
    assert m["interacciones"] == {"presencial": 600, "telefonico": 400, "virtual": 1000, "total": 2000}
    assert m["virtual"]["salida"] == 100
    assert m["encuestas"]["preguntas"]["satisfaccion"]["presencial"]["califican"] == 200
    assert m["encuestas"]["preguntas"]["claridad"] is not None
    # the fast path (pyarrow reader, categoricals) and pandas' parser (strings) agree on every figure
    from anm_helpers.inputs.reading import delimited
    monkeypatch.setattr(delimited, "read_csv_arrow", lambda *a: None)
    assert build_context("2031-05")["metricas"] == m


def test_floor_notebook_holds_every_section_once():
    paths = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    nb = single_notebook(paths)
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    assert sum(c.cell_type == "code" and "abrir(" in c.source for c in nb.cells) == 1
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert "s.portada()" in code and "s.calidad_datos()" in code


def test_benchmark_judges_targets_as_ratios():
    def sc(key, seconds, note="", mem=100):
        s = bench.Scenario(key, key)
        s.add(seconds, mem)
        s.note = note
        return s

    good = [sc("a", 10), sc("b", 14), sc("c", 0.3, "sin cambios"), sc("d", 6, "0 sección(es) re-ejecutada(s)"),
            sc("e", 14, "11 sección(es) re-ejecutada(s); metrics.json actualizado"), sc("f", 4), sc("g", 9),
            sc("h", 30, mem=900)]
    text = bench.report(good, 1)
    assert "| b | b | 14.00 | 1.40 |" in text and text.count("- [x]") == 6
    slow = [sc("a", 10), sc("b", 16), *good[2:]]
    assert "- [ ] cold ≤ 1.5 × floor" in bench.report(slow, 1)


def test_every_benchmark_edit_finds_what_it_edits(tmp_path):
    """make bench edits the shipped notebooks, params and data: each edit must still
    change what it means to (a renamed heading would time nothing)."""
    from benchmarks import preview

    for name in ("notebooks", "params", "data"):
        shutil.copytree(getattr(config, f"{name.upper()}_DIR"), tmp_path / name)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    bench.edit_narrative(tmp_path / "notebooks", 1)
    for kind in ("j", "k", "l", "m"):
        preview._edit(tmp_path, kind, 1)
    changed = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                     if p.is_file() and p.read_bytes() != before.get(p))
    assert changed == ["data/2024-03/comunicaciones.csv", "notebooks/02_canales.py", "notebooks/03_presencial.ipynb",
                       "notebooks/03_presencial.py", "params/2024-03.yaml"]


def test_a_build_of_some_outputs_is_never_taken_for_a_complete_one(monkeypatch):
    """ANM_SALIDAS (developers: tests that read only the deck) changes the month's
    fingerprint: the next complete build does not say «sin cambios» over a folder
    without its PDF."""
    from anm_helpers.builder.freshness import build_fingerprint
    from anm_helpers.outputs import registry

    monkeypatch.delenv("ANM_SALIDAS", raising=False)
    complete = build_fingerprint("2024-03")
    always = {"html", "textos", "cambios"}  # the deck, the slides' texts and the changes page
    assert registry.chosen_names() == {"pdf", "pptx", "datos"} | always
    monkeypatch.setenv("ANM_SALIDAS", "datos")
    assert registry.chosen_names() == {"datos"} | always  # the deck is always written
    monkeypatch.setenv("ANM_SALIDAS", "pdf")
    assert registry.chosen_names() == {"pdf"} | always
    monkeypatch.setenv("ANM_SALIDAS", "datos")
    assert build_fingerprint("2024-03") != complete
    monkeypatch.setenv("ANM_SALIDAS", "pdf, pptx,datos")
    assert build_fingerprint("2024-03") == complete


def test_an_unknown_output_is_one_spanish_line(tmp_path):
    result = run_build("2024-03", tmp_path, salidas="pfd")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        'ERROR: ANM_SALIDAS="pfd": pfd no es una salida; las salidas son pdf, pptx, datos '
        "(siempre se escriben: html, textos, cambios)"]
    assert not (tmp_path / "2024-03").exists()
    result = run_build("2024-03", tmp_path, salidas="pdf\n<script>")  # a line break stays on its line
    assert result.stderr.strip().splitlines() == [
        'ERROR: ANM_SALIDAS="pdf<U+000A><script>": pdf<U+000A><script> no es una salida; las salidas son '
        "pdf, pptx, datos (siempre se escriben: html, textos, cambios)"]


def test_suite_benchmark_refuses_an_unknown_revision_and_reads_the_cpu():
    """benchmarks/suite.py (make test against another revision, in the same run)."""
    import subprocess
    import sys

    from benchmarks import suite

    result = subprocess.run([sys.executable, "-m", "benchmarks.suite", "--base", "no-existe"],
                            cwd=config.PROJ_ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip() == 'ERROR: "no-existe" no es una revisión de este repositorio'
    before = suite.busy_seconds()
    sum(i * i for i in range(200_000))
    assert before is not None and suite.busy_seconds() >= before


class _Pool:
    """What ``runner.pool`` returns, without processes: the build only shuts it down."""
    def shutdown(self, **_):
        pass


@pytest.mark.parametrize("valor,bootear", [("si", True), ("no", False)])
def test_a_refused_build_boots_kernels_only_while_asked(data_dir, tmp_path, monkeypatch, valor, bootear):
    """ANM_PRECALENTAR (developers: tests): «si», as make report, boots the kernels
    while the data are checked; «no» boots none before the data pass, so a refused
    month starts no kernel."""
    from anm_helpers.builder import month as build, runner
    from anm_helpers.core.errors import InformeError

    booted = []
    monkeypatch.setattr(runner, "pool", lambda *a: booted.append(a) or _Pool())
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path / "reports")
    monkeypatch.setenv("ANM_PRECALENTAR", valor)
    path = data_dir / "2024-03" / "encuestas.csv"
    path.write_text(path.read_text(encoding="utf-8") + "x\n", encoding="utf-8")
    with pytest.raises(InformeError, match="no es un canal"):
        build.build("2024-03", out=io.StringIO(), workers=1)
    assert bool(booted) is bootear
    assert not (tmp_path / "reports" / "2024-03").exists()


def test_an_unknown_prewarm_value_is_one_spanish_line(tmp_path):
    result = run_build("2024-03", tmp_path, extra_env={"ANM_PRECALENTAR": "sí\n"})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ['ERROR: ANM_PRECALENTAR="sí<U+000A>" no es «si» ni «no»']
