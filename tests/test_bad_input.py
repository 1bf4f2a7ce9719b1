"""Bad input (docs/contrato-datos.md, "Errores, avisos y borrador"; issue 4):
every problem in one run, in the analysts' words, located by file, spreadsheet
line or row, column and value; warnings for what is valid but suspicious;
nothing lost; no personal data out."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from anm_helpers.inputs.dataset import load_report_data
from anm_helpers.core.errors import DatosInvalidos
from anm_helpers.builder.publish import month_lock, publish, remove_stale_staging
from anm_helpers.figures.quality import avisos
from conftest import PERSONAL, ROOT, _outputs_text, _plant_personal_data, run_build


def problems(mes="2024-03") -> str:
    with pytest.raises(DatosInvalidos) as exc:
        load_report_data(mes)
    return str(exc.value)


def write_csv(path: Path, header: str, rows: list[str], encoding="utf-8") -> None:
    path.write_bytes(("\n".join([header] + rows) + "\n").encode(encoding))


# --- every rule, each with a file written by the test -----------------------------

def test_xlsx_problem_names_the_sheet_row(data_dir):
    (data_dir / "2024-03" / "llamadas.xlsx").unlink()
    wb = Workbook()
    ws = wb.active
    ws.append(["fecha", "entrantes", "contestadas"])
    ws.append(["2024-03-04", 10, 8])
    ws.append([None, None, None])
    ws.append(["2024-03-05", 10, 12])
    wb.save(data_dir / "2024-03" / "llamadas.xlsx")
    assert '2024-03/llamadas.xlsx, fila 4, columna contestadas: "12" supera las llamadas entrantes' in problems()


@pytest.mark.parametrize("table,header,row,column,value,words", [
    ("atenciones", "id,fecha,canal,punto,tipo,primer_contacto",
     "A1,2024-03-04 08:00,presencial,PAR Cali,RUCOM,quizás", "primer_contacto", "quizás", "no es si/no"),
    ("atenciones", "id,fecha,canal,punto,tipo,primer_contacto",
     "A1,31/02/2024,presencial,PAR Cali,RUCOM,si", "fecha", "31/02/2024", "no es una fecha"),
    ("atenciones", "id,fecha,canal,punto,tipo,primer_contacto",
     "A1,2024-03-04,presencial,,RUCOM,si", "punto", "", "está vacío: una atención presencial necesita su punto"),
    ("atenciones", "id,fecha,canal,punto,tipo,primer_contacto",
     ",2024-03-04,telefonico,,RUCOM,si", "id", "", "está vacío: cada registro necesita su id"),
    ("atenciones", "id,fecha,canal,punto,tipo,primer_contacto",
     "A1,2024-03-04,telefonico,,,si", "tipo", "", "está vacío: indique el tema"),
    ("encuestas", "id,fecha,canal,satisfaccion,percepcion,confianza",
     "E1,2024-03-04,presencial,4.5,5,5", "satisfaccion", "4.5", "no es una calificación de 1 a 5"),
    ("encuestas", "id,fecha,canal,satisfaccion,percepcion,confianza",
     "E1,2024-03-04,chat,5,5,5", "canal", "chat", "no es un canal"),
    ("comunicaciones", "id,fecha,medio,sentido", "C1,2024-03-04,correo_contacto,recibido", "sentido", "recibido",
     "no es un sentido"),
    ("llamadas", "fecha,entrantes,contestadas", "2024-03-04,-3,0", "entrantes", "-3", "no es un número entero"),
])
def test_each_rule_locates_its_cell(data_dir, table, header, row, column, value, words):
    folder = data_dir / "2024-03"
    for old in folder.glob(f"{table}.*"):
        old.unlink()
    write_csv(folder / f"{table}.csv", header, [row])
    text = problems()
    shown = f'"{value}" ' if value else ""
    assert f'2024-03/{table}.csv, línea 2, columna {column}: {shown}{words}' in text


def test_duplicate_phone_day(data_dir):
    (data_dir / "2024-03" / "llamadas.xlsx").unlink()
    write_csv(data_dir / "2024-03" / "llamadas.csv", "fecha,entrantes,contestadas",
              ["2024-03-04,10,8", "04/03/2024,3,3"])
    assert '2024-03/llamadas.csv, línea 3, columna fecha: "04/03/2024" está repetida' in problems()


@pytest.mark.parametrize("content,words", [
    (b"", "vacío"),
    (b"\x00\x00PK\x03\x04 binary", "binario"),
    (b"id,fecha,medio,sentido\nC1,2024-03-04,correo_contacto,entrada\x81\x8d\n", "ni UTF-8 ni Windows-1252"),
])
def test_unreadable_tables(data_dir, content, words):
    (data_dir / "2024-03" / "comunicaciones.csv").write_bytes(content)
    assert f"2024-03/comunicaciones.csv: {words}" in problems() or words in problems()


def test_xlsx_that_is_not_a_workbook(data_dir):
    (data_dir / "2024-03" / "llamadas.xlsx").write_bytes(b"this is not a zip file")
    assert "2024-03/llamadas.xlsx: no es un libro de Excel" in problems()


def test_catalogue_and_history_rules(data_dir):
    with open(data_dir / "puntos.csv", "a", encoding="utf-8") as fh:
        fh.write("PAL Nuevo,oficina,Sogamoso,\n")
    write_csv(data_dir / "historico.csv", "mes,canal,interacciones", ["2023-13,presencial,5", "2023-12,fax,5"])
    text = problems()
    assert 'puntos.csv, línea 17, columna tipo: "oficina" no es un tipo de punto' in text
    assert 'historico.csv, línea 2, columna mes: "2023-13" no es un mes AAAA-MM' in text
    assert 'historico.csv, línea 3, columna canal: "fax"' in text


def test_thousands_of_problems_are_capped_with_a_count(data_dir):
    rows = [f"E{i},2024-03-04,presencial,9,5,5" for i in range(3000)]
    write_csv(data_dir / "2024-03" / "encuestas.csv", "id,fecha,canal,satisfaccion,percepcion,confianza", rows)
    text = problems()
    assert "2024-03/encuestas.csv (3000):" in text
    assert "… y 2980 problema(s) más en 2024-03/encuestas.csv" in text
    assert len(text.splitlines()) < 30


# --- warnings: valid but suspicious ------------------------------------------------

def test_warnings_for_suspicious_but_valid_data(data_dir):
    folder = data_dir / "2024-03"
    (folder / "llamadas.xlsx").unlink()
    write_csv(folder / "llamadas.csv", "fecha,entrantes,contestadas", ["2024-03-04,100,90"])  # 570 phone rows > 90
    write_csv(folder / "comunicaciones.csv", "id,fecha,medio,sentido", [])  # empty while the rest has activity
    lines = (folder / "atenciones.csv").read_text(encoding="utf-8").splitlines()
    lines.append("AT-X,2024-03-04 09:00,presencial,PAL Montería,RUCOM,si")  # opens on 2024-03-20
    (folder / "atenciones.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = avisos(load_report_data("2024-03"))
    text = "\n".join(found)
    assert "hay 570 interacciones telefónicas registradas pero solo 90 llamadas contestadas" in text
    assert "2024-03/comunicaciones.csv: la tabla está vacía" in text
    assert f"1 atención(es) en PAL Montería antes de su apertura el 2024-03-20 (líneas {len(lines)})" in text


def test_warning_more_raters_than_attended(data_dir):
    folder = data_dir / "2024-03"
    lines = (folder / "atenciones.csv").read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if ",presencial," not in line][:0] + \
        [line for line in lines[1:] if ",telefonico," in line] + [line for line in lines[1:] if ",presencial," in line][:500]
    (folder / "atenciones.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert any("califican 887 personas la pregunta satisfaccion en el canal presencial, más que las 500 atendidas" in a
               for a in avisos(load_report_data("2024-03")))


def test_shipped_months_have_no_warnings():
    for mes in ("2024-03", "2026-02"):
        assert avisos(load_report_data(mes)) == []


# --- the command: each kind of bad input, and nothing lost ---------------------------

def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def previous_report(built_2024_03, tmp_path) -> Path:
    reports = tmp_path / "reports"
    shutil.copytree(built_2024_03[0], reports / "2024-03")
    return reports


BAD_INPUTS = {
    "score": ("2024-03/encuestas.csv", lambda d: _edit(d / "2024-03/encuestas.csv", 4, lambda l: l.rsplit(",", 3)[0] + ",7,5,5"),
              "2024-03/encuestas.csv, línea 5, columna satisfaccion"),
    "point": ("2024-03/atenciones.csv", lambda d: _edit(d / "2024-03/atenciones.csv", 9, _unknown_point),
              "no está en data/puntos.csv"),
    "date": ("2024-03/comunicaciones.csv", lambda d: _edit(d / "2024-03/comunicaciones.csv", 2, lambda l: l.replace("2024-03-", "2024-04-")),
             "2024-03/comunicaciones.csv, línea 3, columna fecha"),
    "twice": ("llamadas", lambda d: (d / "2024-03/llamadas.csv").write_text("fecha,entrantes,contestadas\n"),
              "la tabla está dos veces"),
    "binary": ("encuestas", lambda d: (d / "2024-03/encuestas.csv").write_bytes(b"\x00\x01\x02"),
               "2024-03/encuestas.csv: no es una tabla de texto"),
}


def _edit(path: Path, index: int, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[index] = change(lines[index])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _unknown_point(line: str) -> str:
    cols = line.split(",")
    cols[2], cols[3] = "presencial", "PAR Atlántida"
    return ",".join(cols)


@pytest.mark.parametrize("kinds", [["score", "point", "date", "twice"], ["binary"]], ids=["juntos", "binary"])
def test_bad_input_exits_non_zero_locates_it_and_keeps_the_last_report(kinds, previous_report, data_copy):
    """Problems in four files at once: one run names every one (an analyst fixes them
    all before building again); an unreadable file on its own."""
    before = snapshot(previous_report / "2024-03")
    for kind in kinds:
        BAD_INPUTS[kind][1](data_copy)
    result = run_build("2024-03", previous_report, data=data_copy)
    assert result.returncode != 0
    for kind in kinds:
        assert BAD_INPUTS[kind][2] in result.stderr, kind
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(previous_report / "2024-03") == before


def test_month_with_neither_data_nor_params_is_one_line(tmp_path):
    result = run_build("2023-07", tmp_path)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "ERROR: no hay datos para 2023-07: falta la carpeta data/2023-07/ (y params/2023-07.yaml)"]


def test_concurrent_build_of_the_same_month_is_refused(previous_report):
    before = snapshot(previous_report / "2024-03")
    with month_lock(previous_report, "2024-03"):
        result = run_build("2024-03", previous_report)
    assert result.returncode != 0
    assert "ya hay otra construcción de 2024-03 en curso" in result.stderr
    assert snapshot(previous_report / "2024-03") == before


def _start_build(reports: Path, data: Path, tmp: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "ANM_REPORTS_DIR": str(reports), "ANM_DATA_DIR": str(data),
           **({"TMPDIR": str(tmp)} if tmp else {})}
    # one worker (one kernel to boot): what is interrupted is the same
    return subprocess.Popen([sys.executable, "-m", "anm_helpers.builder.report", "2024-03", "--workers", "1"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for_line(proc: subprocess.Popen, words: str, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        line = proc.stdout.readline()
        if words in line:
            return
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"the build never printed {words!r}")


@pytest.mark.parametrize("how", ["interrupt", "terminate", "kill"])
def test_interrupted_or_killed_build_leaves_the_last_report(how, previous_report, data_copy):
    before = snapshot(previous_report / "2024-03")
    with open(data_copy / "2024-03" / "comunicaciones.csv", "a", encoding="utf-8") as fh:  # work to do
        fh.write("CO-NUEVA-0001,2024-03-15 10:00,correo_contacto,entrada\n")
    scratch = previous_report.parent / "tmp"
    scratch.mkdir()
    proc = _start_build(previous_report, data_copy, scratch)
    _wait_for_line(proc, "datos verificados")
    time.sleep(1.0)  # sections are running
    sig = {"interrupt": signal.SIGINT, "terminate": signal.SIGTERM, "kill": signal.SIGKILL}[how]
    os.killpg(proc.pid, sig) if how != "terminate" else proc.send_signal(sig)
    start = time.monotonic()
    proc.wait(timeout=120)
    # within a few seconds, not a minute (generous: the machine is shared)
    assert time.monotonic() - start < 30
    assert proc.returncode != 0
    assert snapshot(previous_report / "2024-03") == before
    if how != "kill":  # a clean interruption removes its staging folder and its temporary files itself
        assert not list(previous_report.glob(".construyendo-*"))
        assert "Traceback" not in proc.stderr.read()
        assert list(scratch.iterdir()) == []
    remove_stale_staging(previous_report, "2024-03")  # what the next build does first
    assert not list(previous_report.glob(".construyendo-*"))


def test_publish_swaps_the_whole_folder(tmp_path):
    final, staging = tmp_path / "2024-03", tmp_path / ".construyendo-2024-03-x"
    final.mkdir()
    (final / "old.txt").write_text("old")
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    publish(staging, final)
    assert [p.name for p in final.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-03"]


# --- personal data never reaches an output ------------------------------------------

def test_personal_data_in_extra_columns_never_reaches_an_output(built_from_exports):
    """Citizens' names, IDs, e-mails and phones in extra columns of every table and in
    the platforms' own columns of March's exports (conftest._prepare_exports)."""
    folder, result, _ = built_from_exports
    assert result.returncode == 0, result.stderr
    assert (folder / "notebooks").is_dir()
    everything = _outputs_text(folder.parent) + result.stdout + result.stderr
    import html

    for value in PERSONAL:
        for form in {value, html.escape(value), value.encode("ascii", "xmlcharrefreplace").decode()}:
            assert form not in everything, f"{value!r} reached an output"


def test_personal_data_stays_out_of_error_messages(data_copy, tmp_path):
    _plant_personal_data(data_copy)
    _edit(data_copy / "2024-03/encuestas.csv", 4, lambda l: ",".join(l.split(",")[:2] + ["desconocido"] + l.split(",")[3:]))
    result = run_build("2024-03", tmp_path / "reports", data=data_copy)
    assert result.returncode != 0 and "desconocido" in result.stderr
    for value in PERSONAL:
        assert value not in result.stderr + result.stdout


def test_warnings_are_printed_and_on_the_data_quality_slide(built_with_notices):
    """90 calls answered for 570 phone interactions (conftest._prepare_notices)."""
    import hashlib

    report, result, data = built_with_notices
    folder = data / "2024-03"
    assert result.returncode == 0, result.stderr
    assert "! aviso: 2024-03/atenciones.csv: hay 570 interacciones telefónicas registradas" in result.stdout
    deck = (report / "informe-2024-03.html").read_text(encoding="utf-8")
    assert "Anexo: calidad de los datos" in deck
    assert "hay 570 interacciones telefónicas registradas pero solo 90 llamadas contestadas" in deck
    assert hashlib.sha256((folder / "llamadas.csv").read_bytes()).hexdigest() in deck  # what the figures rest on


def test_a_long_file_list_continues_on_further_slides(monkeypatch):
    from anm_helpers.slides import seccion

    shown = []
    monkeypatch.setattr(seccion, "_display", lambda markup, nueva=False: shown.append((markup, nueva)))
    files = [{"archivo": f"2024-{m:02d}/t{i}.csv", "filas": 10, "sha256": "0" * 64} for m in range(1, 13) for i in range(4)]
    ctx = {"mes": "2024-12", "metricas": {}, "cifras": {}, "params": {}, "archivos": files, "avisos": ["x"]}
    seccion.Seccion(ctx).calidad_datos()
    assert [n for _, n in shown] == [False, True, True, True]  # 48 files: 12 + 14 + 14 + 8, a new slide each
    assert sum(m.count("<tr><td>") for m, _ in shown) == 48
    assert "(4/4)" in shown[-1][0]
