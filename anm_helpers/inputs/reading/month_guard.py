"""Another month's export, refused from its first block of rows: every dated
row of the block outside the month asked for. A large CSV's first block is
peeked at before the file is read."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from anm_helpers.core.text import clean_text
from anm_helpers.inputs.reading.layout import (MAX_TITLE_ROWS, Layout, csv_header, first_lines, header_map,
                                               line_offset)
from anm_helpers.inputs.reading.series import month_bounds, parse_dates
from anm_helpers.core.errors import ArchivoIlegible


#: rows looked at before the whole file is read, to refuse a file of another month at once
FIRST_BLOCK = 2000
#: dated rows the first block needs, all outside the month, to be called another month's export
WRONG_MONTH_MIN = 100

#: bytes of a CSV read first, to refuse another month's export without reading the rest
PEEK_BYTES = 1 << 20


def peek_wrong_month(path: Path, layout: "Layout", mes: str) -> None:
    """``refuse_wrong_month`` on the first block of a CSV, read alone (only
    ``ArchivoIlegible`` for another month comes out: anything else is for the full read)."""
    import codecs

    with open(path, "rb") as fh:
        head = fh.read(PEEK_BYTES)
    if len(head) < PEEK_BYTES:
        return  # a small file: the full read checks it, at no extra cost
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8-sig", errors="replace")
    text = text[: text.rfind("\n") + 1]  # whole lines only
    try:
        sep, skip, header = csv_header(first_lines(text, MAX_TITLE_ROWS), layout)
        mapping = header_map(header, layout)
    except ArchivoIlegible:
        return
    refuse_wrong_month(text[line_offset(text, "\n", skip):], sep, mapping, mes)


def refuse_wrong_month(head: str, sep: str, mapping: dict, mes: str) -> None:
    """Refuse the file at once when its first block of rows is dated, all of it,
    outside ``mes`` (the export of another month)."""
    raw_fecha = next((raw for raw, key in mapping.items() if key == "fecha"), None)
    if raw_fecha is None:
        return
    try:
        block = pd.read_csv(io.StringIO(head), sep=sep, dtype=str, keep_default_na=False,
                            usecols=[raw_fecha], nrows=FIRST_BLOCK)
    except (pd.errors.ParserError, ValueError):
        return  # the full read words the problem
    wrong_month(block[raw_fecha].map(clean_text), mes)


def wrong_month(fechas: pd.Series, mes: str) -> None:
    dates = parse_dates(fechas).dropna()
    if len(dates) < WRONG_MONTH_MIN:
        return
    start, end = month_bounds(mes)
    if dates.between(start, end).any():
        return
    from babel.dates import format_date

    nombre = format_date(start.date(), "MMMM 'de' y", locale="es_CO")
    first, last = dates.min().date().isoformat(), dates.max().date().isoformat()
    from babel.numbers import format_decimal

    filas = format_decimal(len(dates), locale="es_CO")
    raise ArchivoIlegible(f"las primeras {filas} filas tienen fechas del {first} al {last}, ninguna de "
                     f"{nombre}: parece la exportación de otro mes; exporte de nuevo el mes {mes}",
                     None, "fecha")
