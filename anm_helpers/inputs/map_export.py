"""Propose a ``fuentes.yaml`` entry for a platform's export:
``python -m anm_helpers.inputs.map_export EXPORT TABLA`` (``make map-export FILE=… TABLE=…``).

It finds the header row below any title rows (and the sheet, in a workbook),
pairs each contract column with the export header most like it by name and by
the values under it (dates, the contract's categories, unique ids, whole
numbers), proposes a value map for each category column whose values are not
the contract's, and a date format when the export writes dates its own way.
It prints a draft for the analyst to confirm; it writes nothing.
"""
from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

from anm_helpers.inputs.contract import CATALOGO, CATEGORIA, CONTEO, FECHA, IDENTIFICADOR, SPECS
from anm_helpers.core.errors import InformeError

#: words the platforms use for each contract column (compared after normalising)
FORMATOS_FECHA = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%d-%m-%Y %H:%M",
                  "%d-%m-%Y", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%y")
MUESTRA = 500
#: rows read for the distinct values of the category columns
FILAS = 50_000
#: worded scales the survey tools use, to the contract's 1–5
ESCALAS = {"muy satisfecho": "5", "satisfecho": "4", "neutral": "3", "ni satisfecho ni insatisfecho": "3",
           "insatisfecho": "2", "muy insatisfecho": "1", "excelente": "5", "muy bueno": "5", "muy buena": "5",
           "bueno": "4", "buena": "4", "regular": "3", "malo": "2", "mala": "2", "muy malo": "1", "muy mala": "1",
           "totalmente de acuerdo": "5", "de acuerdo": "4", "en desacuerdo": "2", "totalmente en desacuerdo": "1"}
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre",
         "octubre", "noviembre", "diciembre")


@dataclass
class Propuesta:
    tabla: str
    archivo: str
    hoja: str | None = None
    encabezado: int | None = None
    columnas: dict = field(default_factory=dict)
    puntajes: dict = field(default_factory=dict)
    valores: dict = field(default_factory=dict)
    #: category values with no likely contract value: the analyst completes them
    sin_pareja: dict = field(default_factory=dict)
    formato_fecha: str | None = None


def _rows(path: Path) -> tuple[list[tuple[str | None, list[list[str]]]], str | None]:
    """Each sheet's first rows as text (a CSV is one sheet), and the CSV's separator."""
    from anm_helpers.inputs.reading.decode import decode
    from anm_helpers.core.errors import ArchivoIlegible
    from anm_helpers.inputs.reading.workbook import cell_text

    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception:
            raise InformeError(f"{path.name}: no es un libro de Excel (.xlsx) legible") from None
        out = []
        for ws in wb.worksheets:
            rows = []
            for row in ws.iter_rows(values_only=True):
                rows.append([cell_text(c) for c in row])
                if len(rows) >= 30 + FILAS:
                    break
            out.append((ws.title, rows))
        wb.close()
        return out, None
    import csv

    raw = path.read_bytes()
    try:
        text, _ = decode(raw)
    except ArchivoIlegible as exc:
        raise InformeError(f"{path.name}: {exc}") from None
    text = raw.decode("utf-8-sig") if text is None else text
    lines = text.splitlines()[: 30 + FILAS]
    best = max((";", "\t", ",", "|"), key=lambda s: max((line.count(s) for line in lines[:30]), default=0))
    return [(None, [next(csv.reader([line], delimiter=best), []) for line in lines])], best


def _header_row(rows: list[list[str]]) -> int:
    """The row with the most filled cells among the first 30, the earliest of them:
    title rows above a table fill one or two cells."""
    filled = [sum(1 for c in row if c.strip()) for row in rows[:30]]
    return filled.index(max(filled)) if filled else 0


def _name_score(header: str, columna) -> float:
    """How much an export's header reads like a contract column (its name and ``sinonimos``)."""
    from rapidfuzz import fuzz

    from anm_helpers.core.text import normalize_text

    h = normalize_text(header).replace("¿", "").replace("?", "").replace(".", "").replace("_", " ")
    words = columna.sinonimos + (columna.nombre.replace("_", " "),)
    return max(max(fuzz.token_set_ratio(h, w), fuzz.ratio(h, w)) for w in words)


def _value_score(values: list[str], columna, tabla: str) -> float:
    """How well the values under a header fit a contract column (0 to 100)."""
    from anm_helpers.core.text import normalize_text
    from anm_helpers.inputs.reading.series import parse_dates

    values = [v for v in values if v.strip()]
    if not values:
        return 0
    import pandas as pd

    spec = SPECS[tabla]
    tipo, columna = columna.tipo, columna.nombre
    if tipo == FECHA:
        ok = parse_dates(pd.Series(values)).notna().mean()
        return 100 * max(ok, _date_format_share(values)[1])
    allowed = spec.valores.get(columna)
    if allowed not in (None, CATALOGO):
        keys = {normalize_text(a) for a in allowed}
        share = sum(normalize_text(v) in keys for v in values) / len(values)
        distinct = len(set(values))
        return 100 * share if share else (40 if distinct <= 12 else 0)
    if tipo == IDENTIFICADOR:
        return 100 if len(set(values)) == len(values) else 0
    if tipo == CONTEO:
        return 100 * sum(v.isdigit() for v in values) / len(values)
    if tipo == CATEGORIA:  # the catalogue's points, or any topic: few distinct values
        return 50 if len(set(values)) <= max(40, len(values) // 10) else 0
    return 0


def _date_format_share(values: list[str]) -> tuple[str | None, float]:
    best, share = None, 0.0
    for fmt in FORMATOS_FECHA:
        ok = 0
        for v in values[:100]:
            try:
                dt.datetime.strptime(v.strip(), fmt)
                ok += 1
            except ValueError:
                pass
        if ok / max(1, len(values[:100])) > share:
            best, share = fmt, ok / max(1, len(values[:100]))
    return best, share


def propose(path: Path, tabla: str, puntos: list[str] | None = None) -> Propuesta:
    """The draft mapping of one export for contract table ``tabla``."""
    from rapidfuzz import process

    from anm_helpers.core.text import normalize_text
    from anm_helpers.inputs.reading.series import parse_dates

    if tabla not in SPECS:
        from anm_helpers.core.suggestions import quiso_decir

        raise InformeError(f'TABLE="{tabla}" no es una tabla del contrato ({", ".join(SPECS)})'
                           f"{quiso_decir(tabla, SPECS)}")
    spec = SPECS[tabla]
    sheets, _ = _rows(path)
    best = None
    for title, rows in sheets:  # the sheet whose header names the most contract columns
        at = _header_row(rows)
        header = rows[at] if rows else []
        score = sum(max((_name_score(h, c) for c in spec.columnas_), default=0) >= 70 for h in header if h)
        if best is None or score > best[0]:
            best = (score, title, at, rows)
    _, title, at, rows = best
    header = rows[at] if rows else []
    body = rows[at + 1:]
    out = Propuesta(tabla, _pattern(path.name), hoja=title if title and title != sheets[0][0] else None,
                    encabezado=at + 1 if at else None)
    columns = {i: [r[i] if i < len(r) else "" for r in body] for i, h in enumerate(header) if h.strip()}
    pairs = []
    for c in spec.columnas:
        for i, values in columns.items():
            column = spec.columna(c)
            score = 0.65 * _name_score(header[i], column) + 0.35 * _value_score(values[:MUESTRA], column, tabla)
            pairs.append((score, c, i))
    taken_c, taken_i = set(), set()
    for score, c, i in sorted(pairs, reverse=True):
        if c in taken_c or i in taken_i or score < 55:
            continue
        taken_c.add(c)
        taken_i.add(i)
        out.puntajes[c] = round(score)
        if normalize_text(header[i]) != c:
            out.columnas[c] = header[i]
        values = [v for v in columns[i] if v.strip()]
        allowed = spec.valores.get(c)
        if allowed == CATALOGO:
            allowed = tuple(puntos or ())
        if allowed and c != "fecha":
            keys = {normalize_text(a): a for a in allowed}
            mapa, huérfanos = {}, []
            for v in sorted(set(values)):
                if normalize_text(v) in keys:
                    continue
                found = process.extractOne(normalize_text(v), list(keys), score_cutoff=60)
                if normalize_text(v) in ESCALAS and ESCALAS[normalize_text(v)] in keys:
                    mapa[v] = ESCALAS[normalize_text(v)]
                elif found:
                    mapa[v] = keys[found[0]]
                else:
                    huérfanos.append(v)
            if mapa:
                out.valores[c] = mapa
            if huérfanos:
                out.sin_pareja[c] = huérfanos
        if c == "fecha" and values and parse_dates(__import__("pandas").Series(values)).notna().mean() < 0.9:
            out.formato_fecha = _date_format_share(values)[0]
    return out


def _pattern(name: str) -> str:
    """``Reporte_Atenciones_2024-03-31.xlsx`` -> ``Reporte_Atenciones_*.xlsx``."""
    import re

    stem, dot, ext = name.rpartition(".")
    pattern = re.sub(r"[0-9][0-9_.\- ]*[0-9]|[0-9]", "*", stem if dot else name)
    pattern = re.sub("|".join(MESES), "*", pattern, flags=re.IGNORECASE)
    pattern = re.sub(r"\*([ _.\-]*\*)+", "*", pattern)
    return f"{pattern}.{ext}" if dot else pattern


def _q(text) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(p: Propuesta) -> str:
    """The draft as YAML for data/fuentes.yaml, with what to check in comments."""
    lines = [f"# Propuesta de `make map-export` para la tabla {p.tabla}: revísela, complete lo que diga",
             "# «COMPLETE» y cópiela en data/fuentes.yaml (o en data/<MES>/fuentes.yaml si solo vale para un mes).",
             f"{p.tabla}:", f"  archivo: {_q(p.archivo)}"]
    if p.hoja:
        lines.append(f"  hoja: {_q(p.hoja)}")
    if p.encabezado:
        lines.append(f"  encabezado: {p.encabezado}")
    if p.formato_fecha:
        lines.append(f"  formato_fecha: {_q(p.formato_fecha)}")
    spec = SPECS[p.tabla]
    lines.append("  columnas:")
    for c in spec.columnas:
        if c in p.columnas:
            lines.append(f"    {c}: {_q(p.columnas[c])}  # parecido {p.puntajes[c]}/100")
        elif c not in p.puntajes:
            optional = " (opcional)" if c in spec.opcionales else ""
            lines.append(f"    # {c}: COMPLETE con el encabezado de la exportación{optional}")
    if p.valores or p.sin_pareja:
        lines.append("  valores:")
        for c in spec.columnas:
            if c not in p.valores and c not in p.sin_pareja:
                continue
            lines.append(f"    {c}:")
            for v, target in (p.valores.get(c) or {}).items():
                lines.append(f"      {_q(v)}: {_q(target)}")
            for v in p.sin_pareja.get(c, []):
                lines.append(f"      {_q(v)}: COMPLETE")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import run

    return run(_main, argv, "make map-export")


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import Orden

    parser = Orden(prog="make map-export",
                                     description="Propone la entrada de fuentes.yaml de una exportación.")
    parser.add_argument("archivo", nargs="?", default="", help="la exportación (.xlsx, .csv o .txt)")
    parser.add_argument("tabla", nargs="?", default="", help=", ".join(SPECS))
    args = parser.parse_args(argv)
    path = Path(args.archivo)
    if not args.archivo or not path.is_file():
        raise InformeError(f'FILE="{args.archivo}" no es un archivo: make map-export FILE=ruta/exportación.xlsx '
                           "TABLE=atenciones")
    from anm_helpers.core import config
    from anm_helpers.inputs.dataset import load_puntos

    puntos, _, _ = load_puntos(config.DATA_DIR)
    names = list(puntos["nombre"]) if puntos is not None else None
    print(render(propose(path, args.tabla, names)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
