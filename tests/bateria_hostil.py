"""The hostile-input battery (issue 12): hundreds of inputs an analyst could feed
the build, generated from the shipped March 2024, each judged against one
promise: **the right figures, or a located Spanish message; never a silent
change of figures, never a traceback, never a script, never a command run.**

Not part of ``make test`` (it is larger than the whole suite): ``make hostil``
runs it, and so does CI. Cases, each a pytest case:

- ``igual-*``: the same data written another way (look-alike characters in any
  text cell, another encoding or separator, quoting, line endings, header
  spelling, column order, blank rows, extra personal columns, CSV <-> xlsx).
  Figures must equal the clean month's, or the data must be refused with a
  located problem. A silent difference fails.
- ``error-*``: data that breaks a rule (a column twice, bytes that are not
  text, a count too large, an unknown value, a look-alike letter from another
  alphabet, a folder for a file, another month's export, a damaged workbook).
  It must be refused with file and line, row or column.
- ``azar-*``: seeded random damage (bytes flipped, files cut, lines repeated
  or dropped). The figures may change (the data did) but only through a
  message or a clean read: no exception other than the report's own.
- ``params-*``: hostile month parameters (encodings, repeated keys, .nan,
  wrong types, alias bombs): a ``ParametrosInvalidos`` or a clean read.
- ``html-*``: hostile narrative through the deck's sanitiser: no script, no
  event handler, no ``javascript:`` survives.
- ``make-*``: hostile MONTH/YEAR values through make: nothing runs.

Every case reads only the month in a copy of the data (``data/<MES>`` and the
catalogue), in this process, so the battery takes about a minute or two.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from anm_helpers.core import config
from anm_helpers.figures.context import build_context
from anm_helpers.core.errors import InformeError, ParametrosInvalidos
from anm_helpers.inputs.params import load_params
from conftest import ROOT

MES = "2024-03"
TABLES = ("atenciones", "llamadas", "encuestas", "comunicaciones")
TEXT_COLUMNS = {"atenciones": ("id", "canal", "punto", "tipo", "primer_contacto"),
                "encuestas": ("id", "canal"), "comunicaciones": ("id", "medio", "sentido"), "llamadas": ()}
#: representation changes of one text value that must not change any figure
LOOK_ALIKES = {
    "zwsp": lambda v: v[:2] + "\u200b" + v[2:],
    "zwnj": lambda v: v[:1] + "\u200c" + v[1:],
    "zwj": lambda v: v + "\u200d",
    "bom": lambda v: "\ufeff" + v,
    "shy": lambda v: v[:3] + "\u00ad" + v[3:],
    "lrm": lambda v: "\u200e" + v + "\u200f",
    "wj": lambda v: "\u2060" + v,
    "nbsp": lambda v: "\u00a0" + v.replace(" ", "\u00a0"),
    "nnbsp": lambda v: v.replace(" ", "\u202f") + "\u202f",
    "espacios": lambda v: "  " + v.replace(" ", "   ") + "  ",
    "tab": lambda v: v.replace(" ", "\t"),
    "nfd": lambda v: unicodedata.normalize("NFD", v),
    "mayusculas": lambda v: v.upper(),
    "control": lambda v: v + "\x07",
}


# --- the month's data, clean and as files -----------------------------------------

@pytest.fixture(scope="session")
def base(tmp_path_factory) -> Path:
    """A data folder with the month and the catalogue only, every table as CSV text."""
    folder = tmp_path_factory.mktemp("limpio") / "data"
    (folder / MES).mkdir(parents=True)
    shutil.copy(config.DATA_DIR / config.PUNTOS_FILE, folder)
    for table in TABLES:
        src = next((config.DATA_DIR / MES).glob(f"{table}.*"))
        if src.suffix == ".xlsx":
            wb = load_workbook(src, read_only=True)
            rows = [[_cell(v) for v in row] for row in wb.active.iter_rows(values_only=True)]
            wb.close()
            (folder / MES / f"{table}.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
        else:
            shutil.copy(src, folder / MES / src.name)
    return folder


def _cell(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    return str(v)


@pytest.fixture(scope="session")
def clean(base) -> dict:
    saved = config.DATA_DIR
    config.DATA_DIR = base
    try:
        return build_context(MES)["metricas"]
    finally:
        config.DATA_DIR = saved


@pytest.fixture
def data(base, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(base, folder)
    monkeypatch.setattr(config, "DATA_DIR", folder)
    return folder


def rows(folder: Path, table: str) -> list[list[str]]:
    text = (folder / MES / f"{table}.csv").read_text(encoding="utf-8")
    return [line.split(",") for line in text.split("\n") if line]


def write_rows(folder: Path, table: str, table_rows: list[list[str]], encoding="utf-8", sep=",",
               newline="\n") -> None:
    text = newline.join(sep.join(r) for r in table_rows) + newline
    (folder / MES / f"{table}.csv").write_bytes(text.encode(encoding))


def to_xlsx(folder: Path, table: str, table_rows: list[list[str]] | None = None) -> None:
    table_rows = table_rows or rows(folder, table)
    wb = Workbook()
    for r in table_rows:
        wb.active.append([int(c) if c.isdigit() and len(c) < 10 else c for c in r])
    (folder / MES / f"{table}.csv").unlink()
    wb.save(folder / MES / f"{table}.xlsx")


# --- the verdicts ---------------------------------------------------------------------

def outcome():
    """('ok', metrics) or ('error', message); anything else raises: a traceback is a failure."""
    try:
        return "ok", build_context(MES)["metricas"]
    except InformeError as exc:
        return "error", str(exc)


def located(message: str) -> bool:
    """A message that names a file and where in it (line, row, column)."""
    lines = [line for line in message.splitlines() if line.strip().startswith("- ")]
    return bool(lines) and all(
        ("/" in line or ".csv" in line or ".xlsx" in line) and
        any(w in line for w in ("línea", "fila", "columna", "carpeta", "archivo", "libro", "tabla", "texto", "vacío"))
        for line in lines)


def same_or_located(clean: dict) -> None:
    kind, value = outcome()
    if kind == "ok":
        assert value == clean, "the figures changed silently"
    else:
        assert located(value), value


def refused_and_located(*words: str) -> None:
    kind, value = outcome()
    assert kind == "error", "the input was accepted"
    assert located(value), value
    for w in words:
        assert w in value, value


# --- igual: the same data written another way ----------------------------------------

IGUAL = [(t, c, k) for t, cols in TEXT_COLUMNS.items() for c in cols for k in LOOK_ALIKES]


@pytest.mark.parametrize("table,column,how", IGUAL, ids=[f"igual-{t}-{c}-{k}" for t, c, k in IGUAL])
def test_look_alike_cells(data, clean, table, column, how):
    table_rows = rows(data, table)
    i = table_rows[0].index(column)
    for n, r in enumerate(table_rows[1:], start=1):
        if n % 5 == 0 and r[i]:
            r[i] = LOOK_ALIKES[how](r[i])
    if how in ("tab", "control"):  # a tab or a bell is a separator or noise in CSV: quote the cells
        table_rows = [[f'"{c}"' for c in r] for r in table_rows]
    write_rows(data, table, table_rows)
    same_or_located(clean)


ENCODINGS = [(t, e, s, nl) for t in TABLES for e in ("utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-be-bom")
             for s in (",", ";", "\t") for nl in ("\n", "\r\n")]


@pytest.mark.parametrize("table,encoding,sep,newline", ENCODINGS,
                         ids=[f"igual-{t}-{e}-{'tab' if s == chr(9) else s}-{'crlf' if nl == chr(13) + chr(10) else 'lf'}"
                              for t, e, s, nl in ENCODINGS])
def test_encodings_separators_line_endings(data, clean, table, encoding, sep, newline):
    table_rows = rows(data, table)
    if encoding == "utf-16-be-bom":
        text = newline.join(sep.join(r) for r in table_rows) + newline
        (data / MES / f"{table}.csv").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    else:
        write_rows(data, table, table_rows, encoding, sep, newline)
    same_or_located(clean)


SHAPES = {
    "comillas": lambda r: [[f'"{c}"' for c in row] for row in r],
    "columnas-invertidas": lambda r: [row[::-1] for row in r],
    "encabezado-mayusculas": lambda r: [[c.upper() for c in r[0]]] + r[1:],
    "encabezado-espacios": lambda r: [[f"  {c} " for c in r[0]]] + r[1:],
    "encabezado-acentos": lambda r: [[c.replace("telefonico", "telefónico").replace("satisfaccion", "satisfacción")
                                      .replace("percepcion", "percepción") for c in r[0]]] + r[1:],
    "filas-vacias": lambda r: [row if n % 50 else [""] * len(row) for n, row in enumerate(r)][:1] +
    [x for n, row in enumerate(r[1:], start=1) for x in ([row, [""] * len(row)] if n % 50 == 0 else [row])],
    "columnas-personales": lambda r: [r[0] + ["nombre_ciudadano", "cedula", "correo"]] +
    [row + ["Zuleima Cárdenas", "1098765432", "z@example.com"] for row in r[1:]],
    "punto-y-coma-final": lambda r: [row + [""] * 3 for row in r],
    "xlsx": None,
}
SHAPE_CASES = [(t, s) for t in TABLES for s in SHAPES]


@pytest.mark.parametrize("table,shape", SHAPE_CASES, ids=[f"igual-{t}-{s}" for t, s in SHAPE_CASES])
def test_shapes(data, clean, table, shape):
    table_rows = rows(data, table)
    if shape == "xlsx":
        to_xlsx(data, table, table_rows)
    else:
        write_rows(data, table, SHAPES[shape](table_rows))
    same_or_located(clean)


def test_igual_catalogue_look_alikes(data, clean):
    path = data / config.PUNTOS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(unicodedata.normalize("NFD", text).replace("PAR ", "PAR\u00a0\u200b"), encoding="utf-8")
    same_or_located(clean)


# --- error: refused, with file and place -------------------------------------------

CONTRACT = {"atenciones": ("id", "fecha", "canal", "punto", "tipo", "primer_contacto"),
            "llamadas": ("fecha", "entrantes", "contestadas"),
            "encuestas": ("id", "fecha", "canal", "satisfaccion", "percepcion", "confianza"),
            "comunicaciones": ("id", "fecha", "medio", "sentido")}
DUP = [(t, c, x) for t, cols in CONTRACT.items() for c in cols for x in ("csv", "xlsx")]


@pytest.mark.parametrize("table,column,form", DUP, ids=[f"error-dos-veces-{t}-{c}-{x}" for t, c, x in DUP])
def test_a_column_twice(data, table, column, form):
    table_rows = rows(data, table)
    i = table_rows[0].index(column)
    table_rows = [r + [f" {r[i].upper()} " if n == 0 else r[i]] for n, r in enumerate(table_rows)]
    if form == "xlsx":
        to_xlsx(data, table, table_rows)
    else:
        write_rows(data, table, table_rows)
    refused_and_located("dos veces", column)


BYTES = [(t, c) for t, cols in CONTRACT.items() for c in cols]


@pytest.mark.parametrize("table,column", BYTES, ids=[f"error-byte-{t}-{c}" for t, c in BYTES])
def test_a_windows_1252_byte_in_a_utf8_file(data, table, column):
    table_rows = rows(data, table)
    i = table_rows[0].index(column)
    table_rows[7][i] = table_rows[7][i] + "\udce9"  # written as the byte 0xE9
    accented = "Bogotá ñandú"  # and real UTF-8 elsewhere in the file
    table_rows = [r + (["nota"] if n == 0 else [accented]) for n, r in enumerate(table_rows)]
    text = "\n".join(",".join(r) for r in table_rows) + "\n"
    (data / MES / f"{table}.csv").write_bytes(text.encode("utf-8", errors="surrogateescape"))
    refused_and_located("línea 8", f"columna {column}", "0xE9")


VALUES = [
    ("atenciones", "canal", "virtual"), ("atenciones", "canal", "Presencial\u0430"), ("atenciones", "punto", "PAR Cаli"),
    ("atenciones", "primer_contacto", "quizás"), ("atenciones", "primer_contacto", "1.0"),
    ("atenciones", "fecha", "2024-02-30"), ("atenciones", "fecha", "30/02/2024"), ("atenciones", "fecha", "2024-3-1x"),
    ("atenciones", "fecha", "٢٠٢٤-٠٣-٠١"), ("atenciones", "id", ""), ("atenciones", "tipo", ""),
    ("encuestas", "satisfaccion", "4.5"), ("encuestas", "satisfaccion", "٥"), ("encuestas", "satisfaccion", "５"),
    ("encuestas", "satisfaccion", "0"), ("encuestas", "confianza", "6"), ("encuestas", "canal", "chat"),
    ("encuestas", "fecha", "2024-04-01"), ("comunicaciones", "medio", "fax"), ("comunicaciones", "sentido", "recibido"),
    ("comunicaciones", "medio", "correo contacto"), ("comunicaciones", "fecha", "ayer"),
    ("llamadas", "entrantes", "100000000000000000000"), ("llamadas", "entrantes", "1e20"),
    ("llamadas", "entrantes", "-5"), ("llamadas", "entrantes", "１２"), ("llamadas", "contestadas", "9" * 40),
    ("llamadas", "contestadas", "1.000"), ("llamadas", "entrantes", "NaN"), ("llamadas", "entrantes", "inf"),
    ("llamadas", "fecha", "2024-03-32"),
]


@pytest.mark.parametrize("table,column,value", VALUES,
                         ids=[f"error-valor-{t}-{c}-{v.encode('unicode_escape').decode()[:20]}" for t, c, v in VALUES])
def test_a_value_that_breaks_a_rule(data, table, column, value):
    table_rows = rows(data, table)
    i = table_rows[0].index(column)
    table_rows[5][i] = value
    if table == "atenciones" and column == "punto":
        table_rows[5][table_rows[0].index("canal")] = "presencial"
    write_rows(data, table, table_rows)
    refused_and_located("línea 6", f"columna {column}")


@pytest.mark.parametrize("table", TABLES, ids=[f"error-carpeta-{t}" for t in TABLES])
def test_a_folder_for_a_file(data, table):
    (data / MES / f"{table}.csv").unlink()
    (data / MES / f"{table}.csv").mkdir()
    refused_and_located("es una carpeta")


@pytest.mark.parametrize("table", TABLES, ids=[f"error-binario-{t}" for t in TABLES])
def test_binary_garbage(data, table):
    (data / MES / f"{table}.csv").write_bytes(bytes(range(256)) * 40)
    refused_and_located()


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9, 0.99], ids=lambda f: f"error-xlsx-cortado-{f}")
def test_cut_workbook(data, fraction):
    to_xlsx(data, "llamadas")
    path = data / MES / "llamadas.xlsx"
    path.write_bytes(path.read_bytes()[: int(path.stat().st_size * fraction)])
    refused_and_located("llamadas.xlsx")


@pytest.mark.parametrize("table", ("atenciones", "encuestas", "comunicaciones"), ids=lambda t: f"error-otro-mes-{t}")
def test_the_export_of_another_month(data, table):
    table_rows = rows(data, table)
    i = table_rows[0].index("fecha")
    for r in table_rows[1:]:
        r[i] = r[i].replace("2024-03-", "2024-02-")
    write_rows(data, table, table_rows)
    refused_and_located("fecha")


@pytest.mark.parametrize("ext", ["xls", "ods", "xlsb"], ids=lambda e: f"error-formato-{e}")
def test_other_spreadsheet_formats(data, ext):
    to_xlsx(data, "llamadas")
    (data / MES / "llamadas.xlsx").rename(data / MES / f"llamadas.{ext}")
    refused_and_located("llamadas")


# --- azar: seeded random damage ----------------------------------------------------

DAMAGE = [(t, kind, seed) for t in TABLES for kind in ("bytes", "corte", "lineas") for seed in range(8)]


@pytest.mark.parametrize("table,kind,seed", DAMAGE, ids=[f"azar-{t}-{k}-{s}" for t, k, s in DAMAGE])
def test_random_damage(data, table, kind, seed):
    rng = random.Random(f"{table}-{kind}-{seed}")
    path = data / MES / f"{table}.csv"
    raw = bytearray(path.read_bytes())
    if kind == "bytes":
        for _ in range(rng.randint(1, 30)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        path.write_bytes(bytes(raw))
    elif kind == "corte":
        path.write_bytes(bytes(raw[: rng.randrange(len(raw))]))
    else:
        lines = bytes(raw).split(b"\n")
        for _ in range(rng.randint(1, 20)):
            j = rng.randrange(1, len(lines))
            if rng.random() < 0.5:
                lines.insert(j, lines[j])
            else:
                del lines[j]
        path.write_bytes(b"\n".join(lines))
    outcome()  # the report's own error or a clean read; any other exception fails the case


@pytest.mark.parametrize("seed", range(12), ids=lambda s: f"azar-xlsx-{s}")
def test_random_damage_in_a_workbook(data, seed):
    to_xlsx(data, "llamadas")
    path = data / MES / "llamadas.xlsx"
    rng = random.Random(seed)
    raw = bytearray(path.read_bytes())
    for _ in range(rng.randint(1, 20)):
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    path.write_bytes(bytes(raw))
    outcome()


# --- params ------------------------------------------------------------------------

PARAMS = {
    "vacio": b"", "comentario": b"# nada\n", "lista": b"- a\n- b\n", "texto": b"hola\n", "numero": b"42\n",
    "binario": bytes(range(256)), "utf16": 'mes: "2024-03"\nmetodo_encuestas: promedio\n'.encode("utf-16"),
    "cp1252": 'mes: "2024-03"\ncomentarios:\n  percepcion: "Percepción"\n'.encode("cp1252"),
    "clave-repetida": b'mes: "2024-03"\nmes: "2024-03"\n',
    "clave-repetida-anidada": b'mes: "2024-03"\ncomentarios:\n  percepcion: a\n  percepcion: b\n',
    "nan": b'mes: "2024-03"\ncifras_analistas:\n  x: .nan\n', "inf": b'mes: "2024-03"\ncifras_analistas:\n  x: .inf\n',
    "menos-inf": b'mes: "2024-03"\ncifras_analistas:\n  x: -.inf\n',
    "cifra-texto": b'mes: "2024-03"\ncifras_analistas:\n  x: "72"\n',
    "cifra-bool": b'mes: "2024-03"\ncifras_analistas:\n  x: true\n',
    "cifra-lista": b'mes: "2024-03"\ncifras_analistas: [1, 2]\n',
    "metodo": b'mes: "2024-03"\nmetodo_encuestas: media\n', "mes-otro": b'mes: "2024-04"\n',
    "mes-numero": b"mes: 2024-03\n", "clave-desconocida": b'mes: "2024-03"\nmetodo: top2\n',
    "comentarios-lista": b'mes: "2024-03"\ncomentarios: [a, b]\n',
    "comentarios-otra": b'mes: "2024-03"\ncomentarios:\n  gusto: a\n',
    "entregas-texto": b'mes: "2024-03"\nentregas_valor: hola\n',
    "entregas-sin-items": b'mes: "2024-03"\nentregas_valor:\n  - titulo: a\n',
    "tabulador": b'mes: "2024-03"\ncomentarios:\n\tpercepcion: a\n',
    "yaml-roto": b'mes: "2024-03\n', "alias": b'a: &x [1, 2]\nb: *x\n',
    "bomba-alias": (b'a: &a ["x","x","x","x","x","x","x","x","x"]\n' +
                    b"".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                             f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n".encode()
                             for i in range(8))),
    "etiqueta-python": b'mes: !!python/object/apply:os.system ["touch /tmp/anm-pwned"]\n',
    "enorme": b'mes: "2024-03"\ncifras_analistas:\n  x: 1e400\n',
}


@pytest.mark.parametrize("case", list(PARAMS), ids=lambda c: f"params-{c}")
def test_hostile_params(tmp_path, monkeypatch, case):
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / f"{MES}.yaml").write_bytes(PARAMS[case])
    monkeypatch.setattr(config, "PARAMS_DIR", folder)
    try:
        params = load_params(MES)
    except ParametrosInvalidos as exc:
        assert str(exc).startswith(f"params/{MES}.yaml"), str(exc)
        return
    for v in (params.get("cifras_analistas") or {}).values():  # accepted: every figure a finite number
        assert v is None or (isinstance(v, (int, float)) and v == v and abs(v) != float("inf"))
    assert not Path("/tmp/anm-pwned").exists()


# --- html: hostile narrative through the sanitiser ------------------------------------

PAYLOADS = [
    "<script>window.__pwned=1</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>", "<a href=\"javascript:alert(1)\">x</a>", "[x](javascript:alert(1))",
    "<a href='JaVaScRiPt:alert(1)'>x</a>", "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "<object data=x.swf></object>",
    "<embed src=x>", "<form action=x><input></form>", "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div onclick=alert(1)>x</div>", "<body onload=alert(1)>", "<math><mtext><script>alert(1)</script>",
    "<details open ontoggle=alert(1)>", "<video><source onerror=alert(1)>", "<base href=//evil>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>", "<link rel=stylesheet href=//evil>",
    "<style>@import '//evil'</style>", "<scr<script>ipt>alert(1)</script>", "<<script>alert(1)//<</script>",
    "<a href=\" javascript:alert(1)\">x</a>", "<a href=\"java\tscript:alert(1)\">x</a>",
    "![x](javascript:alert(1))", "<img src=\"x\" onerror=\"alert(1)\">", "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>", "<table background=javascript:alert(1)>", "<a href=vbscript:msgbox(1)>x</a>",
    "<button formaction=javascript:alert(1)>x</button>", "<textarea onfocus=alert(1) autofocus>",
    "<keygen autofocus onfocus=alert(1)>", "<template><script>alert(1)</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<svg><a xlink:href=javascript:alert(1)>x</a></svg>",
    "<isindex action=javascript:alert(1)>", "**bold** <b onmouseover=alert(1)>x</b>",
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"html-{i}" for i in range(len(PAYLOADS))])
def test_hostile_narrative_is_inert(payload):
    import re

    from anm_helpers.slides.seccion import _md

    out = _md(f"Texto del mes. {payload} Fin.").lower()
    assert "<script" not in out and "<iframe" not in out and "<object" not in out and "<embed" not in out
    assert "<style" not in out and "<form" not in out and "<meta" not in out and "<base" not in out
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", out), out
    assert not re.search(r"(href|src|action|formaction|background|data)\s*=\s*[\"']?\s*(javascript|vbscript|data):", out), out
    assert "style=" not in out


# --- make: no command from arguments -------------------------------------------------

MAKE = ['2024-03"; touch {m}; "', "2024-03'; touch {m}; '", "$(touch {m})", "`touch {m}`", "2024-03; touch {m}",
        "2024-03 && touch {m}", "2024-03|touch {m}", "--anio=2024", "-h", "2024-03\ntouch {m}"]


@pytest.mark.parametrize("target,var", [("report", "MONTH"), ("new-month", "MONTH"), ("year", "YEAR")],
                         ids=lambda x: x if isinstance(x, str) else "")
@pytest.mark.parametrize("template", MAKE, ids=[f"make-{i}" for i in range(len(MAKE))])
def test_make_runs_no_command_from_arguments(tmp_path, target, var, template):
    marker = tmp_path / "pwned"
    value = template.format(m=marker)
    env = {**os.environ, "ANM_REPORTS_DIR": str(tmp_path / "reports"), "ANM_PARAMS_DIR": str(tmp_path / "params"),
           "ANM_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "params").mkdir()
    (tmp_path / "data").mkdir()
    result = subprocess.run(["make", "-o", ".venv/.instalado", "-o", "node_modules/reveal.js/dist/reveal.js",
                             target, f"{var}={value}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert not marker.exists(), "a command from the argument ran"
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
