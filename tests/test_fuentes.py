"""Real exports in (issue 13): the platforms' exports read through a declared
mapping (``data/fuentes.yaml``), title rows and other layouts detected, every
near miss with its likely fix, ``make check`` and ``make map-export``, and an
unfinished month said as such."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from anm_helpers.core import config
from anm_helpers.figures.context import build_context
from anm_helpers.core.errors import DatosInvalidos, NarrativaInvalida
from anm_helpers.inputs.mappings import read_mapping
from anm_helpers.inputs.map_export import propose, render
from conftest import ROOT, run_build
from exportaciones import MAPEO, write_exports

MES = "2024-03"


@pytest.fixture
def exports(data_dir) -> Path:
    """data/ with March 2024 as the platforms export it, and its fuentes.yaml."""
    shutil.rmtree(data_dir / MES)
    return write_exports(config.PROJ_ROOT / "data" / MES, data_dir / MES)


def problems() -> str:
    with pytest.raises(DatosInvalidos) as exc:
        build_context(MES)
    return str(exc.value)


def set_mapping(exports: Path, change) -> None:
    path = exports / "fuentes.yaml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def mapping_line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- the exports as they come give the contract month's figures ---------------------

def test_platform_exports_give_the_same_figures(exports, clean_metrics):
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics
    names = [f["archivo"] for f in ctx["archivos"] if f["archivo"].startswith(MES)]
    assert f"{MES}/Reporte_Atenciones_2024-03-31.xlsx" in names and f"{MES}/Llamadas marzo 2024.txt" in names
    assert ctx["avisos"] == [] and ctx["borrador"] == []


def test_the_build_from_exports_writes_the_same_metrics_json(built_from_exports, built_2024_03):
    """March 2024 as the platforms export it (conftest._prepare_exports; the other
    months carry extra columns, which change no figure)."""
    folder, result, data = built_from_exports
    assert (data / MES / "fuentes.yaml").exists()
    assert result.returncode == 0, result.stderr
    built = (folder / "metrics.json").read_bytes()
    assert built == (built_2024_03[0] / "metrics.json").read_bytes()
    everything = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    for personal in ("Zuleima Cárdenas Ospina", "1098765432", "zuleima.cardenas@example.com"):
        assert personal.encode() not in everything


def test_a_month_mapping_replaces_the_shared_one_table_by_table(exports, clean_metrics):
    shared = yaml.safe_load(MAPEO.read_text(encoding="utf-8"))
    month = {"llamadas": shared.pop("llamadas")}
    shared["llamadas"] = {"archivo": "no-existe-*.csv"}  # replaced by the month's own entry
    (exports.parent / "fuentes.yaml").write_text(yaml.safe_dump(shared, allow_unicode=True), encoding="utf-8")
    (exports / "fuentes.yaml").write_text(yaml.safe_dump(month, allow_unicode=True), encoding="utf-8")
    # January and February keep their contract-named files: the shared mapping matches nothing there
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics
    assert ctx["notas"] == [FALLBACK]


# --- the mapping file is checked like data --------------------------------------------

@pytest.mark.parametrize("change,needle,words", [
    (lambda t: t.replace("atenciones:\n", "atencioness:\n", 1), "atencioness:",
     "no es una tabla del contrato (atenciones, llamadas, encuestas, comunicaciones). ¿Quiso decir «atenciones»"),
    (lambda t: t.replace("  hoja:", "  hojas:", 1), "  hojas:", "no es una clave de fuentes.yaml"),
    (lambda t: t.replace("    tipo: \"Tipificación\"", "    tema: \"Tipificación\"", 1), "    tema:",
     "no es una columna de atenciones"),
    (lambda t: t.replace('"Atención Presencial": presencial', '"Atención Presencial": presencal', 1),
     '"Atención Presencial": presencal',
     '"presencal" no es un valor de canal en el contrato (presencial, telefonico). ¿Quiso decir «presencial»'),
    (lambda t: t.replace('"PAR Cali - Valle del Cauca": "PAR Cali"', '"PAR Cali - Valle del Cauca": "PAR Kali"', 1),
     '"PAR Cali - Valle del Cauca"', '"PAR Kali" no es un punto de data/puntos.csv'),
    (lambda t: t.replace('  formato_fecha: "%d/%m/%Y %H:%M"', '  formato_fecha: "%d/%Y"', 1), "  formato_fecha:",
     "no es un formato de fecha válido"),
    (lambda t: t.replace("  encabezado: 3", "  encabezado: cero", 1), "  encabezado: cero",
     "debe ser el número de la línea de los encabezados"),
    (lambda t: t.replace('  archivo: "SGD_*.csv"', '  archivo: "SGD_*.csv"\n  separador: ":"', 1), '  separador: ":"',
     'debe ser "," ";" "\\t" (tabulador) o "|"'),
    (lambda t: t.replace("  hoja: \"Detalle\"", "  hoja: \"Detalle\"\n  hoja: \"Resumen\"", 1), '  hoja: "Resumen"',
     "está repetida (ya está en la línea"),
])
def test_a_wrong_mapping_file_is_refused_with_its_line(exports, change, needle, words):
    set_mapping(exports, change)
    text = (exports / "fuentes.yaml").read_text(encoding="utf-8")
    found = problems()
    assert f"{MES}/fuentes.yaml, línea {mapping_line(text, needle)}" in found, found
    assert words in found, found


def test_a_mapped_header_the_export_lacks(exports):
    set_mapping(exports, lambda t: t.replace('fecha: "Fecha de Atención"', 'fecha: "Fecha de la Atención"', 1))
    text = (exports / "fuentes.yaml").read_text(encoding="utf-8")
    found = problems()
    line = mapping_line(text, 'fecha: "Fecha de la Atención"')
    assert (f'{MES}/fuentes.yaml, línea {line}, columna atenciones › columnas › fecha: "Fecha de la Atención" no '
            f"está en los encabezados de {MES}/Reporte_Atenciones_2024-03-31.xlsx (línea 4). "
            "¿Quiso decir «Fecha de Atención»") in found


def test_the_file_pattern_must_match_one_file(exports):
    set_mapping(exports, lambda t: t.replace('"Llamadas*.txt"', '"Llamdas*.txt"', 1))
    found = problems()
    assert ("no coincide con ningún archivo de 2024-03/ (ni llamadas.csv ni llamadas.xlsx). ¿Quiso decir "
            "«Llamadas marzo 2024.txt»") in found
    assert "solo para ese mes" not in found  # the month's own mapping: nothing replaces it
    set_mapping(exports, lambda t: t.replace('"Llamdas*.txt"', '"*.*"', 1))
    assert "coincide con 4 archivos de 2024-03/" in problems()  # the month's fuentes.yaml is no export


def test_files_an_editor_keeps_beside_an_open_export_are_not_data(exports, clean_metrics):
    """An export open in Excel has an owner file beside it (~$…), in LibreOffice a lock
    (.~lock.…#); an editor's backup ends in ~. None is an export, even under a pattern
    that matches its name, and none changes the month's fingerprint (no rebuild)."""
    from anm_helpers.core.fingerprint import data_fingerprint

    set_mapping(exports, lambda t: t.replace('"Reporte_Atenciones_*.xlsx"', '"*Atenciones*.xlsx"', 1))
    before = data_fingerprint(MES, "")
    (exports / "~$Reporte_Atenciones_2024-03-31.xlsx").write_bytes(b"\x0bAnalista ANM" + b"\x00" * 40)
    (exports / ".~lock.encuesta_satisfaccion_2024-03.csv#").write_text("Analista,equipo,01.12.2026 10:00,", "utf-8")
    (exports / "SGD_comunicaciones_marzo.csv~").write_text("id\n", "utf-8")
    assert build_context(MES)["metricas"] == clean_metrics
    assert data_fingerprint(MES, "") == before


def test_a_sheet_that_is_not_there(exports):
    set_mapping(exports, lambda t: t.replace('hoja: "Detalle"', 'hoja: "Detalles"', 1))
    assert "no tiene la hoja «Detalles» que declara fuentes.yaml (hojas: Resumen, Detalle). ¿Quiso decir «Detalle»" \
        in problems()


def test_an_export_value_with_no_mapping_is_refused_with_its_line(exports):
    from openpyxl import load_workbook

    path = exports / "Reporte_Atenciones_2024-03-31.xlsx"
    wb = load_workbook(path)
    ws = wb["Detalle"]
    ws.cell(row=9, column=4, value="Atención Virtual")
    wb.save(path)
    assert (f'{MES}/Reporte_Atenciones_2024-03-31.xlsx, fila 9, columna canal: "Atención Virtual" no es un canal '
            "de atención") in problems()


# --- layouts found without a mapping ----------------------------------------------------

def test_title_rows_above_a_contract_header_are_skipped(data_dir, clean_metrics):
    path = data_dir / MES / "comunicaciones.csv"
    path.write_text("Reporte del SGD\nGenerado el 2024-04-01\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics
    lines = {f["archivo"]: f for f in ctx["archivos"]}
    assert lines[f"{MES}/comunicaciones.csv"]["filas"] == clean_metrics["virtual"]["interacciones"]


def test_line_numbers_below_title_rows_are_the_exports_own(data_dir):
    path = data_dir / MES / "comunicaciones.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[4] = lines[4].replace("entrada", "recibida")
    path.write_text("Reporte del SGD\n\n" + "\n".join(lines), encoding="utf-8")
    assert f'{MES}/comunicaciones.csv, línea 7, columna sentido: "recibida" no es un sentido' in problems()


def test_a_header_further_down_with_a_misnamed_column(data_dir):
    path = data_dir / MES / "comunicaciones.csv"
    text = path.read_text(encoding="utf-8").replace("id,fecha,medio,sentido", "Radicado,fecha,medio,sentido", 1)
    path.write_text("Reporte del SGD\n\n" + text, encoding="utf-8")
    assert (f"{MES}/comunicaciones.csv, línea 3: el encabezado parece estar en la línea 3, pero le faltan las "
            "columnas id") in problems()


def test_tab_separated_utf16_without_a_mapping(data_dir, clean_metrics):
    path = data_dir / MES / "encuestas.csv"
    path.write_bytes(path.read_text(encoding="utf-8").replace(",", "\t").encode("utf-16"))
    assert build_context(MES)["metricas"] == clean_metrics


# --- «¿Quiso decir…?» ---------------------------------------------------------------

def test_a_missing_column_names_the_closest_header(data_dir):
    path = data_dir / MES / "comunicaciones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("medio", "Medio de recepcion", 1), encoding="utf-8")
    found = problems()
    assert (f"{MES}/comunicaciones.csv, línea 1, columna medio: falta esta columna en la fila de encabezados. "
            "¿Quiso decir «Medio de recepcion»? Si es esa, declárela en data/fuentes.yaml "
            "(comunicaciones › columnas › medio)") in found


def test_an_unknown_point_names_the_closest_points_first(data_dir):
    path = data_dir / MES / "atenciones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",PAR Cali,", ",PAR Calli,", 1), encoding="utf-8")
    found = problems()
    assert '"PAR Calli" no está en data/puntos.csv. ¿Quiso decir «PAR Cali»' in found
    assert found.index("«PAR Cali»") < found.index("o agréguelo a data/puntos.csv")


def test_an_unknown_category_names_the_closest_value(data_dir):
    path = data_dir / MES / "comunicaciones.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",radicador_web,", ",radicador web2,", 1),
                    encoding="utf-8")
    assert "¿Quiso decir «radicador_web»" in problems()


def test_every_unknown_name_is_reported_at_once_with_its_place(tmp_path, monkeypatch):
    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    text = (params / f"{MES}.yaml").read_text(encoding="utf-8")
    text = text.replace("{periodo.mes}", "{periodo.mess}", 1).replace("{periodo.mes}", "{periodo.mes}", 1)
    (params / f"{MES}.yaml").write_text(text, encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)
    import nbformat

    nb_path = notebooks / "03_presencial.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(i for i, c in enumerate(nb.cells)
                if c.cell_type == "markdown" and c.metadata.get("slideshow", {}).get("slide_type") == "slide")
    nb.cells[cell].source += "\n\nTotal: {interacciones.totl}."
    nbformat.write(nb, nb_path)
    monkeypatch.setattr(config, "PARAMS_DIR", params)
    from anm_helpers.figures.typed_numbers import check_typed_numbers

    with pytest.raises(NarrativaInvalida) as exc:
        check_typed_numbers(build_context(MES), sorted(notebooks.glob("[0-9][0-9]_*.ipynb")))
    text = str(exc.value)
    assert f"params/{MES}.yaml, línea " in text and "{periodo.mess} no es una cifra del mes. ¿Quiso decir {periodo.mes}" in text
    assert f"notebooks/03_presencial.ipynb, celda {cell + 1} (notebooks/03_presencial.py, línea " in text
    assert "{interacciones.totl} no es una cifra del mes. ¿Quiso decir {interacciones.total}" in text


def test_the_build_names_unknown_names_before_any_section_runs(tmp_path):
    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / f"{MES}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{periodo.mes}", "{periodo.mess}"), encoding="utf-8")
    result = run_build(MES, tmp_path / "reports", params=params)
    assert result.returncode == 1
    assert "{periodo.mess} no es una cifra del mes. ¿Quiso decir {periodo.mes}" in result.stderr
    assert "ejecutada" not in result.stdout  # no section ran
    assert "Traceback" not in result.stderr


# --- make check -----------------------------------------------------------------------

def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    # -o: the environment is there already; make must not reinstall it during the tests
    return subprocess.run(["make", "-o", ".venv/.instalado", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


def test_make_check_finds_every_problem_and_writes_nothing(data_copy, tmp_path):
    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / f"{MES}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{periodo.mes}", "{periodo.mess}", 1), encoding="utf-8")
    at = data_copy / MES / "atenciones.csv"
    at.write_text(at.read_text(encoding="utf-8").replace(",si\n", ",quizás\n", 1), encoding="utf-8")
    reports = tmp_path / "reports"
    result = make("check", f"MONTH={MES}", env={"ANM_DATA_DIR": str(data_copy), "ANM_PARAMS_DIR": str(params),
                                                "ANM_REPORTS_DIR": str(reports)})
    assert result.returncode != 0
    assert '"quizás" no es si/no' in result.stderr
    assert "{periodo.mess} no es una cifra del mes" in result.stderr
    assert "Traceback" not in result.stderr
    assert not reports.exists()


def test_make_check_of_a_good_month(tmp_path):
    result = make("check", f"MONTH={MES}", env={"ANM_REPORTS_DIR": str(tmp_path / "reports")})
    assert result.returncode == 0, result.stderr
    assert "sin errores: make report puede construir el informe" in result.stdout
    assert not (tmp_path / "reports").exists()


# --- an unfinished month ----------------------------------------------------------------

def test_an_unfinished_month_is_a_draft_with_its_reasons(data_dir, tmp_path, monkeypatch):
    (data_dir / MES / "comunicaciones.csv").unlink()
    (data_dir / MES / "encuestas.csv").write_text("id,fecha,canal,satisfaccion,percepcion,confianza\n")
    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / f"{MES}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("comentarios:\n", "comentarios:\n  claridad: POR COMPLETAR\n", 1),
                    encoding="utf-8")
    monkeypatch.setattr(config, "PARAMS_DIR", params)
    ctx = build_context(MES)
    assert ctx["borrador"] == [
        f"{MES}/: falta la tabla comunicaciones (sin archivo): se construye vacía",
        f"{MES}/encuestas.csv: solo tiene la fila de encabezados",
        f"params/{MES}.yaml: 1 texto(s) dicen «POR COMPLETAR»"]
    assert all(b in ctx["avisos"] for b in ctx["borrador"])
    assert ctx["metricas"]["virtual"]["interacciones"] == 0


def test_a_finished_month_is_no_draft():
    assert build_context(MES)["borrador"] == []


# --- make map-export ------------------------------------------------------------------

@pytest.mark.parametrize("archivo,tabla", [("Reporte_Atenciones_2024-03-31.xlsx", "atenciones"),
                                           ("Llamadas marzo 2024.txt", "llamadas"),
                                           ("encuesta_satisfaccion_2024-03.csv", "encuestas"),
                                           ("SGD_comunicaciones_marzo.csv", "comunicaciones")])
def test_map_export_pairs_the_headers_the_analyst_would(tmp_path, archivo, tabla):
    folder = write_exports(config.DATA_DIR / MES, tmp_path / MES)
    declared = yaml.safe_load(MAPEO.read_text(encoding="utf-8"))[tabla]
    puntos = [line.split(",")[0] for line in (config.DATA_DIR / "puntos.csv").read_text(encoding="utf-8").split("\n")[1:] if line]
    draft = propose(folder / archivo, tabla, puntos)
    assert draft.columnas == declared["columnas"]
    from glob import fnmatch

    assert fnmatch.fnmatch(archivo, draft.archivo) and "*" in draft.archivo
    text = render(draft)
    proposal = yaml.safe_load(text)[tabla]
    for columna, mapa in (declared.get("valores") or {}).items():  # every proposed value map agrees
        for exported, target in (proposal.get("valores", {}).get(columna) or {}).items():
            if target != "COMPLETE":  # YAML reads an unquoted si/no as true/false: the mapping reads them back
                value = mapa[exported]
                declared_value = ("si" if value else "no") if isinstance(value, bool) else value
                assert str(declared_value).lower() in (str(target).lower(), "si" if target == "sí" else "")


def test_map_export_draft_reads_as_a_mapping(tmp_path):
    folder = write_exports(config.DATA_DIR / MES, tmp_path / MES)
    text = render(propose(folder / "Llamadas marzo 2024.txt", "llamadas"))
    (tmp_path / "fuentes.yaml").write_text(text, encoding="utf-8")
    entries, found = read_mapping(tmp_path / "fuentes.yaml")
    assert found == [] and entries["llamadas"].columnas["entrantes"] == "Llamadas entrantes"


def test_make_map_export_command(tmp_path):
    folder = write_exports(config.DATA_DIR / MES, tmp_path / MES)
    result = make("map-export", f"FILE={folder / 'SGD_comunicaciones_marzo.csv'}", "TABLE=comunicaciones")
    assert result.returncode == 0, result.stderr
    assert 'medio: "Medio de recepción"' in result.stdout and 'archivo: "SGD_comunicaciones_*.csv"' in result.stdout
    bad = make("map-export", f"FILE={folder / 'SGD_comunicaciones_marzo.csv'}", "TABLE=comunicacion")
    assert bad.returncode != 0 and "¿Quiso decir «comunicaciones»" in bad.stderr and "Traceback" not in bad.stderr


def test_an_unfinished_month_is_marked_borrador_in_every_output(built_missing_pieces, built_2024_03):
    """March 2024 whose calls file has only its header (conftest._prepare_missing_pieces)."""
    from pptx import Presentation

    folder, result, _ = built_missing_pieces
    assert result.returncode == 0, result.stderr
    assert "el mes está sin terminar: el informe se marca BORRADOR" in result.stdout
    deck = (folder / f"informe-{MES}.html").read_text(encoding="utf-8")
    assert '<div class="anm-borrador">BORRADOR</div>' in deck  # the cover
    pie = json.loads(deck.split("var pie = ", 1)[1].split(";", 1)[0])  # every slide's footer
    assert pie.startswith("BORRADOR · Agencia Nacional de Minería · GAPCC")
    assert f"{MES}/llamadas.csv: solo tiene la fila de encabezados" in deck  # the annex says why
    slides = Presentation(folder / f"informe-{MES}.pptx").slides
    texts = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in slides]
    assert "BORRADOR" in texts[0]
    assert all(any(t.startswith("BORRADOR · ") for t in slide) for slide in texts)
    finished = (built_2024_03[0] / f"informe-{MES}.html").read_text(encoding="utf-8")
    assert "BORRADOR" not in finished


def test_a_problem_of_the_shared_mapping_is_said_once(data_dir):
    # the shared file applies to every month read (January to March and the month before): one problem, once
    (data_dir / "fuentes.yaml").write_text("atenciones:\n  hojas: Detalle\n", encoding="utf-8")
    found = problems()
    assert found.count("fuentes.yaml, línea 2, columna atenciones › hojas: no es una clave de fuentes.yaml") == 1


# --- issue 24: how exports and mappings are read ----------------------------------------

def check_command(data: Path, mes: str = MES) -> subprocess.CompletedProcess:
    """``make check``'s own module, as a subprocess reading ``data``."""
    return subprocess.run([sys.executable, "-m", "anm_helpers.figures.check", "--", mes], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "ANM_DATA_DIR": str(data)})


@pytest.fixture
def shared_exports(exports) -> Path:
    """March 2024 as the platforms export it, its mapping shared by every month
    (``data/fuentes.yaml``): January and February keep their contract-named files."""
    shutil.move(exports / "fuentes.yaml", exports.parent / "fuentes.yaml")
    return exports


FALLBACK = ("fuentes.yaml no se aplicó a atenciones, llamadas, encuestas y comunicaciones de 2024-01 y 2024-02: "
            "ahí no hay ningún archivo que coincida con su «archivo» y sí los archivos con el nombre del contrato, "
            "que se leyeron como dice el contrato")


def test_a_shared_mapping_leaves_the_contract_named_months_before_it_as_they_are(shared_exports, clean_metrics):
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics  # January and February read, as the contract says
    assert ctx["notas"] == [FALLBACK]
    result = check_command(shared_exports.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(f"  · {FALLBACK}") == 1  # said once, for every month and table
    assert "¿Quiso decir" not in result.stdout + result.stderr


def test_when_the_mapping_and_the_contract_name_both_match_the_mapping_file_is_taken(shared_exports, clean_metrics):
    # make new-month leaves a header-only atenciones.csv; the export arrives beside it
    (shared_exports / "atenciones.csv").write_text("id,fecha,canal,punto,tipo,primer_contacto\n", encoding="utf-8")
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics
    assert (f"{MES}/Reporte_Atenciones_2024-03-31.xlsx: se leyó como atenciones (coincide con el «archivo» de "
            f"fuentes.yaml); {MES}/atenciones.csv no se leyó: bórrelo si sobra") in ctx["notas"]


def test_a_month_with_no_file_at_all_is_told_of_the_month_mapping(shared_exports):
    (shared_exports.parent / "2024-02" / "llamadas.csv").unlink()
    found = problems()
    assert ('fuentes.yaml, línea 33, columna llamadas › archivo: "Llamadas*.txt" no coincide con ningún archivo de '
            "2024-02/ (ni llamadas.csv ni llamadas.xlsx). "
            "Si ese mes la exportación llega con otro nombre o de otra forma, un data/2024-02/fuentes.yaml "
            "reemplaza, solo para ese mes, la entrada llamadas de data/fuentes.yaml") in found, found
    assert found.count("Llamadas*.txt") == 1  # January has its llamadas.csv: read as the contract says


def _renamed_export(data: Path, export: str, table: str) -> Path:
    """``export`` of the platforms' March 2024, renamed to the contract's name in place of ``table``'s file."""
    exports = write_exports(config.PROJ_ROOT / "data" / MES, data.parent / "exportaciones")
    for old in (data / MES).glob(f"{table}.*"):
        old.unlink()
    target = data / MES / f"{table}{Path(export).suffix}"
    shutil.copy(exports / export, target)
    return target


def test_an_export_renamed_to_the_contract_name_names_the_sheet_and_make_map_export(data_dir):
    path = _renamed_export(data_dir, "Reporte_Atenciones_2024-03-31.xlsx", "atenciones")
    found = problems()
    assert (f"{MES}/atenciones.xlsx, fila 1: se leyó la hoja «Resumen» (la primera del libro; hojas del libro: "
            "Resumen, Detalle), con los encabezados en la fila 1 («Resumen de atenciones»), y le faltan las columnas "
            "id, fecha, canal, punto, tipo, primer_contacto. Si es la exportación de la plataforma tal como sale, "
            f"make map-export FILE={path.resolve()} TABLE=atenciones propone cómo leerla") in found, found
    assert found.count("make map-export") == 1  # once for the file, not once per column


def test_a_csv_whose_headers_are_not_the_contracts_suggests_make_map_export(data_dir):
    path = _renamed_export(data_dir, "SGD_comunicaciones_marzo.csv", "comunicaciones")
    found = problems()
    assert (f"{MES}/comunicaciones.csv, línea 1: se leyeron los encabezados de la línea 1 («Sistema de Gestión "
            "Documental — comunicaciones del canal virtual») y les faltan las columnas id, fecha, medio, sentido. "
            f"Si es la exportación de la plataforma tal como sale, make map-export FILE={path.resolve()} "
            "TABLE=comunicaciones") in found, found
    assert found.count("make map-export") == 1


def test_a_header_further_down_with_a_misnamed_column_suggests_make_map_export(data_dir):
    path = data_dir / MES / "comunicaciones.csv"
    text = path.read_text(encoding="utf-8").replace("id,fecha,medio,sentido", "Radicado,fecha,medio,sentido", 1)
    path.write_text("Reporte del SGD\n\n" + text, encoding="utf-8")
    found = problems()
    assert (f"le faltan las columnas id: corrija sus nombres o declárelos en data/fuentes.yaml (columnas). Si es la "
            f"exportación de la plataforma tal como sale, make map-export FILE={path.resolve()} "
            "TABLE=comunicaciones") in found, found


def _phone_points(exports: Path, values: list) -> None:
    """The first phone rows of the atenciones export given these points (in order)."""
    from openpyxl import load_workbook

    path = exports / "Reporte_Atenciones_2024-03-31.xlsx"
    wb = load_workbook(path)
    ws = wb["Detalle"]
    rows = (r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=4).value == "Línea gratuita nacional")
    for value, row in zip(values, rows):
        ws.cell(row=row, column=5, value=value)
    wb.save(path)


@pytest.mark.parametrize("target", ['""', "null", ""])
def test_a_value_may_map_to_empty_where_the_contract_allows_it(exports, clean_metrics, target):
    _phone_points(exports, ["No aplica"] * 4)
    set_mapping(exports, lambda t: t.replace('      "PAL Montería - Córdoba": "PAL Montería"\n',
                                             f'      "PAL Montería - Córdoba": "PAL Montería"\n'
                                             f'      "No aplica": {target}\n', 1))
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics and ctx["avisos"] == []


def test_an_empty_target_where_the_contract_takes_none_says_the_allowed_values(exports):
    set_mapping(exports, lambda t: t.replace('"Atención Presencial": presencial,',
                                             '"Atención Presencial": presencial, "Otro canal": "",', 1))
    assert ('"Otro canal" debe ir a un valor de canal en el contrato (presencial, telefonico): canal no puede quedar '
            "vacío") in problems()


def test_a_point_a_phone_row_does_not_use_is_warned_in_the_log_and_the_annex(exports, clean_metrics, monkeypatch):
    _phone_points(exports, ["PAR Inventado - Nowhere"] * 3 + ["PAR Cali - Valle del Cauca"])
    ctx = build_context(MES)
    assert ctx["metricas"] == clean_metrics  # a phone row's point counts nowhere
    aviso = (f"{MES}/Reporte_Atenciones_2024-03-31.xlsx: 4 fila(s) del canal telefonico traen punto, que ese canal "
             "no usa: las cifras lo ignoran. Valores: «PAR Inventado - Nowhere» (3: filas ")
    assert [a for a in ctx["avisos"] if a.startswith(aviso)], ctx["avisos"]
    assert "«PAR Cali» (1: fila " in ctx["avisos"][0]
    assert ('llévelos a vacío en 2024-03/fuentes.yaml (atenciones › valores › punto, p. ej. '
            '"PAR Inventado - Nowhere": "")') in ctx["avisos"][0]
    from anm_helpers.slides import seccion

    shown = []
    monkeypatch.setattr(seccion, "_display", lambda markup, nueva=False: shown.append(markup))
    seccion.Seccion(json.loads(json.dumps(ctx, default=str))).calidad_datos()
    assert "PAR Inventado - Nowhere" in "".join(shown)


def test_the_annex_lists_the_mapping_files_that_applied_with_their_hash(shared_exports, monkeypatch):
    import hashlib

    month = {"llamadas": yaml.safe_load((shared_exports.parent / "fuentes.yaml").read_text(encoding="utf-8"))["llamadas"]}
    (shared_exports / "fuentes.yaml").write_text(yaml.safe_dump(month, allow_unicode=True), encoding="utf-8")
    ctx = build_context(MES)
    listed = {f["archivo"]: f for f in ctx["archivos"]}
    for name in ("fuentes.yaml", f"{MES}/fuentes.yaml"):
        sha = hashlib.sha256((shared_exports.parent / name).read_bytes()).hexdigest()
        assert listed[name]["sha256"] == sha and listed[name]["filas"] is None
    names = [f["archivo"] for f in ctx["archivos"]]
    assert names.index("fuentes.yaml") < names.index(f"{MES}/fuentes.yaml") < names.index("2024-01/atenciones.csv")
    from anm_helpers.slides import seccion

    shown = []
    monkeypatch.setattr(seccion, "_display", lambda markup, nueva=False: shown.append(markup))
    seccion.Seccion(json.loads(json.dumps(ctx, default=str))).calidad_datos()
    markup = "".join(shown)
    sha = listed["fuentes.yaml"]["sha256"]
    assert "<td>fuentes.yaml</td>" in markup and sha in markup
    assert markup.index("<td>fuentes.yaml</td>") < markup.index(sha)


def test_a_mapping_that_applied_to_no_table_is_not_listed(data_dir):
    # a shared mapping whose patterns match nothing in any month: every table read as the contract says
    (data_dir / "fuentes.yaml").write_text('atenciones:\n  archivo: "Reporte_*.xlsx"\n', encoding="utf-8")
    ctx = build_context(MES)
    assert "fuentes.yaml" not in [f["archivo"] for f in ctx["archivos"]]
    assert ctx["notas"] == ["fuentes.yaml no se aplicó a atenciones de 2024-01, 2024-02 y 2024-03: ahí no hay "
                            "ningún archivo que coincida con su «archivo» y sí el archivo con el nombre del contrato, "
                            "que se leyó como dice el contrato"]


def test_a_declared_header_line_chooses_the_separator_from_that_line(exports, clean_metrics):
    """``encabezado`` declared without ``separador``: the separator is the one the header
    line uses, not the one a title line above it happens to use more."""
    path = next(exports.glob("encuesta_satisfaccion_*.csv"))
    raw = path.read_bytes().decode("cp1252")
    title = "Encuesta de satisfacción ANM, sedes, PAR, PAL, línea gratuita, correo, chat, radicador, web"
    assert title.count(",") > raw.split("\r\n")[2].count(";")  # the title line favours "," if it were the basis
    path.write_bytes(raw.replace("Encuesta de satisfacción ANM;;;;;;;", title, 1).encode("cp1252"))
    assert build_context(MES)["metricas"] == clean_metrics
