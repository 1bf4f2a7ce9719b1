"""Where the contract's columns are in an export: ``Layout`` (each contract
column's header, the required ones, what ``fuentes.yaml`` declares: separator,
encoding, header line, sheet), the header row below any title rows, a CSV's
separator, a header row's columns (a contract column written twice refused),
and the sentence that points to ``make map-export``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.text import normalize_text
from anm_helpers.core.errors import ArchivoIlegible


@dataclass
class Layout:
    """How to find the contract's columns in one export."""

    #: normalised export header -> contract column
    targets: dict
    #: contract columns a header row must have to be the header
    required: tuple
    sep: str | None = None
    encoding: str | None = None
    header_line: int | None = None
    sheet: str | None = None
    #: contract columns whose export header ``fuentes.yaml`` declares
    mapped: tuple = ()

    @classmethod
    def of(cls, columnas: tuple[str, ...], fuente=None, required: tuple = ()) -> "Layout":
        targets = {}
        for c in columnas:
            header = fuente.columnas.get(c) if fuente is not None else None
            targets[column_key(header if header else c)] = c
        if fuente is None:
            return cls(targets, tuple(required))
        return cls(targets, tuple(required), fuente.separador, fuente.codificacion, fuente.encabezado, fuente.hoja,
                   tuple(fuente.columnas))

    def header_map(self, header: list) -> dict:
        return header_map(header, self)


#: rows above the header an export may have (titles, dates of the report, blank lines)
MAX_TITLE_ROWS = 30


def find_header(rows: list[list], layout: Layout) -> int:
    """The header's index among ``rows``: the declared line, else the first row
    whose cells hold every required column. When none does, a row with some of
    them further down is named ("parece estar en la línea N"); the first row
    otherwise (its missing columns are reported as such)."""
    if layout.header_line is not None:
        if layout.header_line > len(rows):
            raise ArchivoIlegible(f"no tiene la línea {layout.header_line} que fuentes.yaml declara como encabezado")
        return layout.header_line - 1
    required = set(layout.required)
    best, best_count = 0, 0
    for i, row in enumerate(rows[:MAX_TITLE_ROWS]):
        found = {layout.targets[k] for k in (column_key(c) for c in row) if k in layout.targets}
        if required <= found:
            return i
        if len(found) > best_count:
            best, best_count = i, len(found)
    if best > 0:
        found = {layout.targets[k] for k in (column_key(c) for c in rows[best]) if k in layout.targets}
        missing = [c for c in layout.required if c not in found]
        if set(missing) <= set(layout.mapped):  # the mapping names a header the export lacks: said at its line
            return best
        raise ArchivoIlegible(f"el encabezado parece estar en la línea {best + 1}, pero le faltan las columnas "
                         f"{', '.join(missing)}: corrija sus nombres o declárelos en data/fuentes.yaml "
                         "(columnas)", best + 1, mapear=True)
    return 0


def column_key(raw) -> str:
    return normalize_text(raw) if raw is not None else ""


def _letters(i: int) -> str:
    """A spreadsheet's column letters: 0 -> A, 27 -> AB."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def header_map_at(header: list, layout, line: int) -> dict:
    """``header_map`` of the header on ``line`` (its problems carry the line)."""
    try:
        return header_map(header, layout)
    except ArchivoIlegible as exc:
        exc.linea = exc.linea or line
        raise


def header_map(header: list, layout) -> dict:
    """The contract's columns of a header row (export header -> contract column),
    refusing a contract column written twice: which copy holds the data cannot
    be known, and taking either would change figures silently. ``layout`` is a
    ``Layout`` (or the contract's columns, named as the contract names them)."""
    if not isinstance(layout, Layout):
        layout = Layout.of(tuple(layout))
    seen: dict[str, int] = {}
    out = {}
    for i, raw in enumerate(header):
        key = layout.targets.get(column_key(raw))
        if key is None:
            continue
        if key in seen:
            first = seen[key]
            raise ArchivoIlegible(f"la columna está dos veces en la fila de encabezados (columnas {first + 1} "
                             f"({_letters(first)}) y {i + 1} ({_letters(i)})): deje una sola", None, key)
        seen[key] = i
        out[raw] = key
    return out


def csv_header(head: str, layout: "Layout") -> tuple[str, int, list]:
    """The separator, the lines above the header (title rows), and the header's
    cells, from the first lines of a CSV. Without a declared separator, the one
    whose reading finds the header is taken (else the header line's most used)."""
    import csv

    lines = head.split("\n")
    if not head.strip():
        raise ArchivoIlegible("el archivo está vacío: debe tener al menos la fila de encabezados")

    def rows(sep: str) -> list[list[str]]:
        return [next(csv.reader([line.rstrip("\r")], delimiter=sep), []) for line in lines]

    if layout.sep:
        candidates = [layout.sep]
    else:  # ranked by the header line's use of each (the declared one, else the first with text)
        declared = layout.header_line
        basis = (lines[declared - 1] if declared is not None and 0 < declared <= len(lines)
                 else next((line for line in lines if line.strip()), ""))
        counts = {sep: basis.count(sep) for sep in (";", "\t", ",", "|")}
        candidates = sorted(counts, key=lambda sep: -counts[sep])
    partial, declared_reading = None, None
    for sep in candidates:
        table = rows(sep)
        try:
            at = find_header(table, layout)
        except ArchivoIlegible as exc:  # a partial header below the first line: said if no reading finds one
            partial = partial or exc
            continue
        if _has_required(table[at], layout):
            return sep, at, table[at]
        if layout.header_line is not None and declared_reading is None:
            declared_reading = sep, at, table[at]  # its missing columns are reported as such
    if declared_reading is not None:
        return declared_reading
    if partial is not None:
        raise partial
    return candidates[0], 0, rows(candidates[0])[0]


def _has_required(row: list, layout: "Layout") -> bool:
    found = {layout.targets[k] for k in (column_key(c) for c in row) if k in layout.targets}
    return set(layout.required) <= found


def line_offset(buffer, newline, lines: int) -> int:
    """Where line ``lines`` + 1 starts."""
    end = -1
    for _ in range(lines):
        end = buffer.find(newline, end + 1)
        if end < 0:
            return len(buffer)
    return end + 1


def first_lines(buffer, lines: int):
    """The first ``lines`` lines of text or bytes (without the newline that ends them)."""
    newline = b"\n" if isinstance(buffer, bytes) else "\n"
    end = -1
    for _ in range(lines):
        end = buffer.find(newline, end + 1)
        if end < 0:
            return buffer
    return buffer[:end]


def sugerir_mapeo(path: Path, nombre: str) -> str:
    """The sentence that points to ``make map-export`` for an export whose headers
    are not the contract's, with the command to type (from the project's folder)."""
    try:
        shown = path.resolve().relative_to(config.PROJ_ROOT.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    if any(c.isspace() for c in shown) or '"' in shown:
        shown = '"' + shown.replace('"', '\\"') + '"'
    return (f". Si es la exportación de la plataforma tal como sale, make map-export FILE={shown} TABLE={nombre} "
            "propone cómo leerla (hoja, fila de encabezados, columnas, valores) para copiarlo en data/fuentes.yaml")
