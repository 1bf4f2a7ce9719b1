"""Checks against the contract: every problem of every file in one run, each
located by file, spreadsheet line, column and value."""
import pytest

from anm_helpers.inputs.dataset import load_report_data
from anm_helpers.core.errors import DatosInvalidos


def replace_line(path, number, new):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def problems_of(mes):
    with pytest.raises(DatosInvalidos) as exc:
        load_report_data(mes)
    return exc.value


def test_every_problem_reported_at_once_with_its_place(data_dir):
    enc = data_dir / "2024-03" / "encuestas.csv"
    replace_line(enc, 5, "EN-X1,2024-03-05 09:00,presencial,7,5,5")
    replace_line(enc, 6, "EN-X2,2024-04-01 09:00,presencial,5,5,5")
    com = data_dir / "2024-03" / "comunicaciones.csv"
    replace_line(com, 3, "CO-X,2024-03-05 09:00,fax,entrada")
    err = problems_of("2024-03")
    text = str(err)
    assert '2024-03/encuestas.csv, línea 5, columna satisfaccion: "7" no es una calificación de 1 a 5' in text
    assert "2024-03/encuestas.csv, línea 6, columna fecha" in text and "marzo de 2024" in text
    assert '2024-03/comunicaciones.csv, línea 3, columna medio: "fax"' in text
    assert len(err.problemas) == 3


def test_phone_answered_above_incoming_and_unknown_point(data_dir):
    llam = data_dir / "2024-02" / "llamadas.csv"
    replace_line(llam, 2, "2024-02-01,10,11")
    aten = data_dir / "2024-02" / "atenciones.csv"
    text = aten.read_bytes().decode("cp1252").splitlines()
    cols = text[4].split(";")
    cols[2], cols[3] = "presencial", "PAR Narnia"
    text[4] = ";".join(cols)
    aten.write_bytes(("\n".join(text) + "\n").encode("cp1252"))
    err = str(problems_of("2024-03"))  # February is part of March's year to date
    assert "2024-02/llamadas.csv, línea 2, columna contestadas" in err
    assert '2024-02/atenciones.csv, línea 5, columna punto: "PAR Narnia" no está en data/puntos.csv' in err


def test_duplicate_id_and_missing_column(data_dir):
    enc = data_dir / "2024-03" / "encuestas.csv"
    lines = enc.read_text(encoding="utf-8").splitlines()
    first_id = lines[1].split(",")[0]
    replace_line(enc, 3, first_id + "," + ",".join(lines[2].split(",")[1:]))
    com = data_dir / "2024-03" / "comunicaciones.csv"
    com.write_text("id,fecha,medio\nA,2024-03-04,chat\n", encoding="utf-8")
    err = str(problems_of("2024-03"))
    assert f'2024-03/encuestas.csv, línea 3, columna id: "{first_id}" está repetido' in err
    assert "2024-03/comunicaciones.csv, línea 1, columna sentido: falta esta columna" in err


def test_table_given_twice_is_a_problem(data_dir):
    (data_dir / "2024-03" / "llamadas.csv").write_text("fecha,entrantes,contestadas\n", encoding="utf-8")
    assert "dos veces" in str(problems_of("2024-03"))


@pytest.mark.parametrize("ids, distinct", [
    (["AT-000001", "AT-000002"], True), (["9", "10", "11"], True),      # text order / shorter first
    (["AT-999999", "AT-1000000"], True), (["b", "a", "c"], True),       # unsorted: counted
    (["9", "10", "10"], False), (["2", "10", "2"], False), (["x", "x"], False), ([], True)])
def test_ids_distinct_fast_paths_never_hide_a_duplicate(ids, distinct):
    import pandas as pd
    from anm_helpers.inputs.validate import _all_distinct

    for dtype in ("str", object):  # arrow-backed as read, and plain Python strings
        assert _all_distinct(pd.Series(ids, dtype=dtype)) is distinct
