"""Reading the exports: encodings, delimiters, .xlsx, date forms, text
normalisation, spreadsheet line numbers, and only the contract's columns."""
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from anm_helpers.inputs.contract import SPECS
from anm_helpers.core.text import normalize_text
from anm_helpers.inputs.reading.read import read_table
from anm_helpers.inputs.reading.series import parse_dates


def write(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_windows_1252_with_accents(tmp_path):
    p = write(tmp_path / "atenciones.csv",
              "id;fecha;canal;punto;tipo;primer_contacto\n1;04/03/2024 08:00;Telefónico;;Regalías;Sí\n",
              "cp1252")
    raw, problems = read_table(p, "atenciones", SPECS["atenciones"].columnas)
    assert problems == []
    assert raw.datos.loc[0, "canal"] == "Telefónico"
    assert raw.datos.loc[0, "tipo"] == "Regalías"
    assert raw.datos["canal"].dtype == "category"  # re-encoded, it took the fast reader


def test_utf8_bom_comma_and_header_spelling(tmp_path):
    p = write(tmp_path / "llamadas.csv", "\ufeff Fecha ,ENTRANTES,Contestadas\n2024-03-04,10,8\n")
    raw, _ = read_table(p, "llamadas", SPECS["llamadas"].columnas)
    assert list(raw.datos.columns[:3]) == ["fecha", "entrantes", "contestadas"]
    assert raw.datos.loc[0, "entrantes"] == "10"


def test_only_contract_columns_are_loaded(tmp_path):
    p = write(tmp_path / "encuestas.csv",
              "id,nombre_ciudadano,cedula,fecha,canal,satisfaccion,percepcion,confianza,correo\n"
              "1,Ana Pérez,52123456,2024-03-04,presencial,5,5,5,ana@example.com\n")
    raw, _ = read_table(p, "encuestas", SPECS["encuestas"].columnas)
    assert "nombre_ciudadano" not in raw.datos and "cedula" not in raw.datos and "correo" not in raw.datos
    assert "Ana Pérez" not in raw.datos.to_csv() and "52123456" not in raw.datos.to_csv()


def test_line_numbers_are_the_spreadsheet_lines(tmp_path):
    p = write(tmp_path / "llamadas.csv", "fecha,entrantes,contestadas\n2024-03-04,1,1\n\n,,\n2024-03-05,2,2\n")
    raw, _ = read_table(p, "llamadas", SPECS["llamadas"].columnas)
    # the blank line 3 and the empty row 4 (",,", as Excel leaves) are dropped; line 5 keeps its number
    assert list(raw.datos["_linea"]) == [2, 5]


def test_xlsx_first_sheet_rows_and_dates(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["fecha", "entrantes", "contestadas", "agente_nombre"])
    ws.append([pd.Timestamp("2024-03-04").to_pydatetime(), 12, 10.0, "Juan"])
    ws.append([None, None, None, None])
    ws.append(["05/03/2024", 7, 7, "María"])
    wb.save(tmp_path / "llamadas.xlsx")
    raw, problems = read_table(tmp_path / "llamadas.xlsx", "llamadas", SPECS["llamadas"].columnas)
    assert problems == []
    assert list(raw.datos["_linea"]) == [2, 4]
    assert list(raw.datos["contestadas"]) == ["10", "7"]
    assert "agente_nombre" not in raw.datos
    assert list(parse_dates(raw.datos["fecha"]).dt.day) == [4, 5]


def test_both_date_forms_with_optional_time():
    s = pd.Series(["2024-03-04", "2024-03-04 08:15", "04/03/2024", "04/03/2024 08:15:09", "2024-02-30", "ayer"])
    parsed = parse_dates(s)
    assert list(parsed[:4].dt.strftime("%Y-%m-%d")) == ["2024-03-04"] * 4
    assert parsed[4:].isna().all()


def test_text_compared_without_case_spaces_or_accents():
    assert normalize_text(" TELEFÓNICO ") == normalize_text("telefonico") == "telefonico"
    assert normalize_text("Sí") == "si"


def test_unreadable_files_are_problems_not_crashes(tmp_path):
    binary = tmp_path / "atenciones.csv"
    binary.write_bytes(b"\x00\x01\x02PK\x00")
    raw, problems = read_table(binary, "atenciones", SPECS["atenciones"].columnas)
    assert raw is None and "binario" in problems[0].regla
    empty = write(tmp_path / "llamadas.csv", "")
    raw, problems = read_table(empty, "llamadas", SPECS["llamadas"].columnas)
    assert raw is None and "vacío" in problems[0].regla


def test_fast_reader_gives_what_pandas_parser_gives(tmp_path, monkeypatch):
    """Large months are read by pyarrow and tidied in arrow; small irregular
    files by pandas' parser. On the same file both give the same table."""
    from anm_helpers.inputs.reading import delimited

    p = write(tmp_path / "atenciones.csv",
              "id,fecha,canal,punto,tipo,primer_contacto,cedula\n"
              " 9 ,2024-03-04 08:00, Presencial ,PAR Cali,  Regalías,Sí,52123456\n"
              ",,,,,,\n"                      # Excel's empty row: dropped, line 3 is not reused
              "10,04/03/2024,TELEFÓNICO,,RUCOM ,no,\n"
              "11,2024-03-05,Presencial,PAR Cali,RUCOM,si,\n")
    used = []
    fast = delimited.read_csv_arrow
    monkeypatch.setattr(delimited, "read_csv_arrow", lambda *a: used.append(1) or fast(*a))
    raw, problems = read_table(p, "atenciones", SPECS["atenciones"].columnas)
    assert problems == [] and used, "the fast reader read the file"
    monkeypatch.setattr(delimited, "read_csv_arrow", lambda *a: None)
    slow, _ = read_table(p, "atenciones", SPECS["atenciones"].columnas)
    assert raw.datos.astype(str).to_dict("list") == slow.datos.astype(str).to_dict("list")
    assert list(raw.datos["_linea"]) == [2, 4, 5]
    assert list(raw.datos["id"]) == ["9", "10", "11"] and list(raw.datos["tipo"]) == ["Regalías", "RUCOM", "RUCOM"]
    # few-valued columns come as categoricals, one category per value once stripped
    assert list(raw.datos["canal"].cat.categories) == ["Presencial", "TELEFÓNICO"]



def test_quick_look_at_a_columns_bytes_agrees_with_the_per_value_check(monkeypatch):
    """A many-valued column (ids) whose bytes are all plain skips the regular
    expression per value; whatever the values, the column comes out as the
    per-value check makes it, with the same count of cleaned values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from anm_helpers.core.text import NEEDS_CLEANING
    from anm_helpers.inputs.reading import delimited

    as_str = {pa.large_string(): pd.StringDtype("pyarrow", na_value=pd.NA)}.get
    columns = [
        ["AT-1", "AT-2", "AT-3"], [" AT-1 ", "AT-2"], ["AT- 1", "AT-2 ", " AT-3"],  # one space: plain
        ["AT  1", "AT-2"], ["AT-1 ", " AT-2"],  # two spaces in a value; across two values only
        ["AT\t1", "AT-2"], ["AT\x7f1"], ["AT\u00a01"], ["Núñez", "AT-2"], ["AT\u200b1"], ["\x1f"],
        [], [""], ["", ""], ["AT-1", ""],
    ]
    for values in columns:
        for array in (pa.array(values, pa.large_string()), pa.array(["x\u00a0y"] + values, pa.large_string())[1:],
                      pa.chunked_array([pa.array(values[:1], pa.large_string()),
                                        pa.array(values[1:], pa.large_string())], pa.large_string())):
            plain = delimited._all_plain(array) if isinstance(array, pa.Array) else None
            if plain:
                assert not pc.any(pc.match_substring_regex(array, NEEDS_CLEANING)).as_py(), values
            quick, quick_count = delimited._cleaned(array, as_str)
            with monkeypatch.context() as m:
                m.setattr(delimited, "_all_plain", lambda a: False)
                slow, slow_count = delimited._cleaned(array, as_str)
            assert list(quick) == list(slow) and quick_count == slow_count, values
    assert delimited._all_plain(pa.array(["AT-1", " AT-2 "], pa.large_string()))
    assert not delimited._all_plain(pa.array(["AT-1 ", " AT-2"], pa.large_string()))


def test_windows_1252_outside_the_contract_columns(tmp_path):
    # the citizen's name is Windows-1252, the contract's columns are plain ASCII
    p = tmp_path / "comunicaciones.csv"
    p.write_bytes("id,fecha,medio,sentido,remitente\n1,2024-03-04,chat,entrada,José Núñez\n".encode("cp1252"))
    raw, problems = read_table(p, "comunicaciones", SPECS["comunicaciones"].columnas)
    assert problems == [] and raw.datos.loc[0, "medio"] == "chat" and "remitente" not in raw.datos
