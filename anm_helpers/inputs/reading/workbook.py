"""An .xlsx export: the sheet ``fuentes.yaml`` names, else the first; its
header on the declared or detected row; each cell as text (``cell_text``). A
corrupt or truncated workbook is one problem for the file."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from anm_helpers.core.text import clean_text
from anm_helpers.inputs.reading.layout import MAX_TITLE_ROWS, Layout, column_key, find_header, header_map_at
from anm_helpers.inputs.reading.month_guard import FIRST_BLOCK, wrong_month
from anm_helpers.inputs.reading.table import LINE, Read, tidy
from anm_helpers.core.errors import ArchivoIlegible


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_xlsx(source, columnas: tuple[str, ...], mes: str | None = None, layout: "Layout | None" = None) -> Read:
    """A sheet of a workbook: the one ``fuentes.yaml`` names (``hoja``), else the
    first; its header on the declared or detected row. Anything openpyxl raises
    (a corrupt or truncated file raises many kinds, some only once rows are
    read) is one problem for the file."""
    from openpyxl import load_workbook

    layout = layout or Layout.of(columnas, required=columnas)
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise ArchivoIlegible("no es un libro de Excel (.xlsx) legible (¿está dañado, incompleto o es de otro "
                         "formato?): ábralo en Excel, guárdelo de nuevo como .xlsx o expórtelo otra vez") from None
    try:
        if not wb.worksheets:
            raise ArchivoIlegible("el libro no tiene hojas: expórtelo de nuevo")
        ws = _sheet(wb, layout.sheet)
        rows = ws.iter_rows(values_only=True)
        top = []
        for row in rows:
            top.append(list(row))
            if len(top) >= max(MAX_TITLE_ROWS, layout.header_line or 0):
                break
        if not any(any(c not in (None, "") for c in row) for row in top):
            raise ArchivoIlegible(f"la hoja {ws.title} está vacía: debe tener al menos la fila de encabezados")
        try:
            at = find_header([[cell_text(c) for c in row] for row in top], layout)
        except ArchivoIlegible as exc:
            if exc.mapear:  # which sheet was read
                exc.args = (f"en la hoja «{ws.title}», {exc.args[0]}",)
            raise
        hoja, hojas = ws.title, tuple(w.title for w in wb.worksheets)
        header = top[at]
        mapping = header_map_at(list(header), layout, at + 1)
        idx = [i for i, h in enumerate(header) if h in mapping]
        names = [mapping[header[i]] for i in idx]
        fecha = names.index("fecha") if mes and "fecha" in names else None
        records, lines = [], []
        buffered = iter(top[at + 1:])
        for number, row in enumerate(_chain(buffered, rows), start=at + 2):
            records.append([cell_text(row[i]) if i < len(row) else "" for i in idx])
            lines.append(number)
            if fecha is not None and len(records) == FIRST_BLOCK:
                wrong_month(pd.Series([r[fecha] for r in records]).map(clean_text), mes)
    except ArchivoIlegible:
        raise
    except Exception:  # a truncated or corrupt sheet fails only while its rows are read
        raise ArchivoIlegible("el libro de Excel está dañado o incompleto (no se pudieron leer sus filas): "
                         "ábralo en Excel, guárdelo de nuevo como .xlsx y vuelva a intentarlo") from None
    finally:
        wb.close()
    if fecha is not None and len(records) < FIRST_BLOCK:
        wrong_month(pd.Series([r[fecha] for r in records], dtype=object).map(clean_text), mes)
    frame = pd.DataFrame(records, columns=names, dtype=object).astype(str) if records else \
        pd.DataFrame({n: pd.Series(dtype=str) for n in names})
    frame[LINE] = lines
    frame, counts = tidy(frame)
    return Read(frame, tuple(names), [], counts, tuple(cell_text(h) for h in header), at + 1, hoja, hojas)


def _chain(*iterables):
    for it in iterables:
        yield from it


def _sheet(wb, name: str | None):
    """The named sheet (compared as analysts write names), else the first."""
    if name is None:
        return wb.worksheets[0]
    for ws in wb.worksheets:
        if column_key(ws.title) == column_key(name):
            return ws
    from anm_helpers.core.suggestions import quiso_decir

    titles = [ws.title for ws in wb.worksheets]
    raise ArchivoIlegible(f"no tiene la hoja «{name}» que declara fuentes.yaml (hojas: {', '.join(titles)})"
                     f"{quiso_decir(name, titles)}")
