"""Reading the contract's tables as text: CSV (UTF-8 with or without BOM,
Windows-1252 or UTF-16 with BOM, each file's encoding decided from all of its
bytes; ``,``, ``;`` or tab) or .xlsx (first sheet). Only the contract's
columns are ever loaded: the exports carry citizens' personal data in other
columns, and it must not reach any output.

Whatever the file, a table either reads as the data meant it or becomes
problems naming file, line and column: a contract column written twice in the
header, bytes that are not text, a corrupt workbook, a folder where the file
should be, an export of another month (refused after its first block of rows).

Every value is cleaned once as it is read (``texto.clean_text``: invisible
characters removed, spaces collapsed, Unicode NFC), so look-alike spellings
count as one; how many values that changed is kept per column.

Every frame returned here holds the contract's columns as cleaned text plus
``_linea``, the line number as a spreadsheet shows it (header = 1). Text is
pandas strings, or categoricals for the few-valued columns of a CSV read by
pyarrow (``FEW_VALUES``); every function here takes either.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from anm_helpers.core.config import is_editor_file
from anm_helpers.inputs.contract import SPECS
from anm_helpers.core.errors import Problema
from anm_helpers.core.text import NEEDS_CLEANING, clean_text, normalize_text

LINE = "_linea"

_DATE_RE = (r"^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
            r"|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))"
            r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")



def _dictionary(s: pd.Series):
    """pyarrow's dictionary encoding of a column: each value's index into the
    distinct values, in order of first appearance (-1 for missing), and those
    values as an arrow array. Arrow-backed columns are encoded without a copy."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(s.dtype, pd.CategoricalDtype):  # already encoded (the reader's few-valued columns)
        return s.cat.codes.to_numpy().astype(np.int64), pa.array(list(s.cat.categories), pa.large_string())
    arr = pa.array(s.to_numpy(), from_pandas=True) if isinstance(s.array, np.ndarray) else pa.array(s.array)
    return _unpack(pc.dictionary_encode(arr))


def _unpack(encoded):
    """Codes (int64, -1 for missing) and the one dictionary of a dictionary-encoded
    arrow array or chunked array (chunks may carry dictionaries of their own)."""
    import pyarrow as pa

    if isinstance(encoded, pa.ChunkedArray):
        if encoded.num_chunks == 0:
            return np.zeros(0, np.int64), pa.array([], encoded.type.value_type)
        encoded = encoded.unify_dictionaries()
        dictionary = encoded.chunk(0).dictionary
        indices = pa.chunked_array([c.indices for c in encoded.chunks]).combine_chunks()
    else:
        dictionary, indices = encoded.dictionary, encoded.indices
    codes = indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return codes.astype(np.int64, copy=False), dictionary


def dictionary_codes(s: pd.Series) -> tuple[np.ndarray, list]:
    """Each value's index into the list of distinct values, in order of first
    appearance (-1 for missing); pyarrow's dictionary encoding, else pandas."""
    try:
        codes, dictionary = _dictionary(s)
        return codes, dictionary.to_pylist()
    except Exception:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return codes, list(uniques)


def normalize(s: pd.Series) -> pd.Series:
    """``normalize_text`` over a column; each distinct value is normalised once."""
    return categorize(s).astype(str)


def categorize(s: pd.Series) -> pd.Series:
    """``normalize_text`` over a column, as a categorical (missing -> ``""``):
    each distinct value is normalised once, and a million rows stay a million
    small integer codes. Its categories are the values present, sorted."""
    codes, uniques = dictionary_codes(s)
    normed = [normalize_text(u) for u in uniques]
    cats = sorted(set(normed) | ({""} if (codes < 0).any() else set()))
    pos = {c: i for i, c in enumerate(cats)}
    lut = np.array([pos[n] for n in normed] + [pos.get("", -1)], dtype=np.int32)  # last: missing
    return pd.Series(pd.Categorical.from_codes(lut[codes], categories=pd.Index(cats, dtype=object)),
                     index=s.index)


def recode(s: pd.Series, mapping, where=None) -> pd.Series:
    """A categorical column through ``mapping`` (a dict or Series from its
    categories to new values; unmapped -> missing), missing where ``where`` is False."""
    cats = s.cat.categories
    new = [mapping.get(c) for c in cats]
    out = sorted({v for v in new if v is not None and v == v})
    pos = {v: i for i, v in enumerate(out)}
    lut = np.array([pos.get(v, -1) if v is not None and v == v else -1 for v in new] + [-1], dtype=np.int32)
    codes = lut[s.cat.codes.to_numpy()]
    if where is not None:
        codes = np.where(np.asarray(where, dtype=bool), codes, -1)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(out, dtype=object)), index=s.index)


#: columns with few distinct values in many rows, per table: read as categoricals
FEW_VALUES = {n: spec.pocos_valores for n, spec in SPECS.items()}

#: columns compared after normalising, per table
CATEGORICAL = {n: spec.categoricas for n, spec in SPECS.items() if spec.categoricas}


def prepare(raw: "RawTable") -> None:
    """Parse the table's dates and normalise its categories once, as hidden
    columns (``_fecha``, ``_n_<column>``, categoricals) that checks and typing both use."""
    df = raw.datos
    if "fecha" in df and "_fecha" not in df:
        df["_fecha"] = parse_dates(df["fecha"])
    for col in CATEGORICAL.get(raw.nombre, ()):
        if col in df and f"_n_{col}" not in df:
            df[f"_n_{col}"] = categorize(df[col])


def parse_dates(s: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``, optionally with a time, to dates
    (the time is dropped); NaT where the text is not such a date. Each distinct
    text is parsed once (a month has far fewer distinct stamps than rows)."""
    codes, dictionary = _dictionary(s)
    parsed = np.append(_parse_distinct(dictionary), np.datetime64("NaT", "ns"))  # code -1: missing
    return pd.Series(parsed[codes], index=s.index)


def _parse_distinct(dictionary) -> np.ndarray:
    """The distinct texts' dates, with pyarrow's regular expressions (RE2)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(dictionary):
        return np.zeros(0, "datetime64[ns]")
    parts = pc.extract_regex(dictionary.cast(pa.large_string()), _DATE_RE)  # null where no match
    fields = {}
    for iso, dmy in (("y", "y2"), ("m", "m2"), ("d", "d2")):
        a, b = pc.struct_field(parts, iso), pc.struct_field(parts, dmy)
        fields[iso] = pc.if_else(pc.equal(a, ""), b, a).fill_null("0").cast(pa.int64()).to_numpy()
    dates = pd.to_datetime(pd.DataFrame({"year": fields["y"], "month": fields["m"], "day": fields["d"]}),
                           errors="coerce")
    return dates.to_numpy(dtype="datetime64[ns]")


def is_whole(s: pd.Series) -> pd.Series:
    return s.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)  # ASCII digits only


@dataclass
class RawTable:
    """A table as read from one file: text columns of the contract, ``_linea``."""

    nombre: str
    ruta: Path
    datos: pd.DataFrame
    columnas_presentes: tuple[str, ...]
    #: SHA-256 of the file's bytes, from the same read that parsed it
    sha256: str = ""
    #: values ``texto.clean_text`` changed beyond trimming (invisible characters,
    #: doubled or non-breaking spaces, decomposed accents), per column
    normalizados: dict = field(default_factory=dict)
    #: the header row's cells as exported, and its line
    encabezados: tuple = ()
    linea_encabezado: int = 1
    #: the export mapping the file was read with (``fuentes.Fuente``), or None
    fuente: object = None
    #: a workbook's sheet that was read, and every sheet of the workbook (None, () for a CSV)
    hoja: str | None = None
    hojas: tuple = ()

    @property
    def archivo(self) -> str:
        """The file as analysts know it: relative to ``data/`` (``2024-03/encuestas.csv``)."""
        return display_name(self.ruta)


def display_name(path: Path) -> str:
    from anm_helpers.core import config

    try:
        return path.resolve().relative_to(config.DATA_DIR.resolve()).as_posix()
    except ValueError:
        return path.name


#: spreadsheet formats an export may come in that the report does not read
OTHER_FORMATS = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")



@dataclass
class Hallazgo:
    """Where a month's table is, and how to read it."""

    #: the file, or None (``problemas`` says why)
    ruta: Path | None
    #: the mapping entry to read it with (``fuentes.Fuente``); None: as the contract says
    fuente: object = None
    problemas: list = field(default_factory=list)
    #: the mapping's pattern matched nothing and the contract's own file was read
    sin_mapeo: bool = False
    #: contract-named files the mapping's file was taken over
    no_leidos: tuple = ()


def find_export(folder: Path, nombre: str, fuente=None) -> Hallazgo:
    """The file of table ``nombre`` in ``folder`` and how to read it: the one the
    mapping's pattern (``fuente.archivo``) matches, read with the mapping; when
    the pattern matches nothing and the folder holds the contract's own file
    (``atenciones.csv``: a month kept in contract shape under a shared
    ``fuentes.yaml``), that file, read as the contract says."""
    if fuente is None or not fuente.archivo:
        path, problems = find_table(folder, nombre)
        return Hallazgo(path, fuente if path is not None else None, problems)
    found = sorted(p for p in folder.glob(fuente.archivo) if p.name != "fuentes.yaml" and not is_editor_file(p))
    own = [p for p in _contract_files(folder, nombre) if p not in found]
    if len(found) == 1:
        return Hallazgo(found[0], fuente, no_leidos=tuple(own))
    if not found and own:
        path, problems = find_table(folder, nombre)
        return Hallazgo(path, None, problems, sin_mapeo=path is not None)
    there = sorted(p.name for p in folder.iterdir() if p.is_file() and not is_editor_file(p)) \
        if folder.is_dir() else []
    if not found:
        from anm_helpers.core.suggestions import quiso_decir

        otro = "" if "/" in fuente.origen else (
            f" Si ese mes la exportación llega con otro nombre o de otra forma, un data/{display_name(folder)}/"
            f"fuentes.yaml reemplaza, solo para ese mes, la entrada {nombre} de data/{fuente.origen}")
        return Hallazgo(None, problemas=[fuente.problema(
            "archivo", fuente.archivo,
            f"no coincide con ningún archivo de {display_name(folder)}/ (ni {nombre}.csv ni {nombre}.xlsx)"
            f"{quiso_decir(fuente.archivo, there) or '.'}{otro}")])
    return Hallazgo(None, problemas=[fuente.problema(
        "archivo", fuente.archivo, f"coincide con {len(found)} archivos de {display_name(folder)}/ "
                                   f"({', '.join(p.name for p in found)}): deje uno o precise el patrón")])


def _contract_files(folder: Path, nombre: str) -> list[Path]:
    return [p for p in (folder / f"{nombre}.csv", folder / f"{nombre}.xlsx") if p.exists()]


def find_table(folder: Path, nombre: str) -> tuple[Path | None, list[Problema]]:
    """The contract's own file of table ``nombre`` in ``folder``: ``.csv`` or
    ``.xlsx``, never both (``find_export`` looks for it as ``fuentes.yaml`` says)."""
    found = _contract_files(folder, nombre)
    if len(found) == 2:
        return None, [Problema(f"{nombre}.csv / {nombre}.xlsx", None, None, None,
                               "la tabla está dos veces (CSV y Excel): deje solo uno de los dos archivos")]
    if not found:
        other = sorted(p for p in folder.glob(f"{nombre}.*") if p.suffix.lower() in OTHER_FORMATS)
        if other:
            return None, [Problema(display_name(other[0]), None, None, None,
                                   f"es un libro {other[0].suffix} que el informe no lee: ábralo en Excel y "
                                   "guárdelo como .xlsx (Libro de Excel) o como CSV UTF-8")]
        return None, [Problema(f"{nombre}.csv", None, None, None,
                               f"falta el archivo en {folder}: expórtelo como {nombre}.csv o {nombre}.xlsx "
                               "(si no hubo actividad, deje solo la fila de encabezados)")]
    return found[0], []


def read_table(path: Path, nombre: str, columnas: tuple[str, ...], mes: str | None = None,
               fuente=None) -> tuple[RawTable | None, list[Problema]]:
    """Read the contract's ``columnas`` of one file; problems instead of exceptions.
    The file is read once: the same bytes are parsed and hashed. With ``mes``, a
    file whose first block of rows is all dated in another month is refused
    without reading the rest. ``fuente`` (``fuentes.Fuente``) says how the
    platform's own export is laid out: sheet, header line, separator, encoding,
    its header for each contract column, its values and date format."""
    import hashlib

    archivo = display_name(path)
    if path.is_dir():
        return None, [Problema(archivo, None, None, None,
                               "es una carpeta, no un archivo: ponga ahí el archivo exportado")]
    layout = _Layout.of(columnas, fuente, required=SPECS[nombre].requeridas if nombre in SPECS else columnas)
    if mes and "fecha" in columnas and path.suffix.lower() not in (".xlsx",) + OTHER_FORMATS:
        try:  # another month's export is refused from its first block, before the file is read
            _peek_wrong_month(path, layout, mes)
        except _Unreadable as exc:
            return None, [Problema(archivo, exc.linea, exc.columna, None, str(exc))]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problema(archivo, None, None, None, f"no se puede leer ({_os_reason(exc)})")]
    fechas_de = mes if "fecha" in columnas else None
    try:
        if path.suffix.lower() == ".xlsx":
            read = _read_xlsx(io.BytesIO(data), columnas, fechas_de, layout)
        elif path.suffix.lower() in OTHER_FORMATS:
            raise _Unreadable(f"es un libro {path.suffix} que el informe no lee: ábralo en Excel y "
                              "guárdelo como .xlsx (Libro de Excel) o como CSV UTF-8")
        else:
            read = _read_csv(data, columnas, FEW_VALUES.get(nombre, ()), fechas_de, layout)
    except _Unreadable as exc:
        regla = str(exc)
        if exc.mapear and nombre in SPECS:
            regla += sugerir_mapeo(path, nombre)
        return None, [Problema(archivo, exc.linea, exc.columna, None, regla)]
    problems = [Problema(archivo, linea, col, valor, regla) for linea, col, valor, regla in read.problemas]
    if fuente is not None:
        problems += _missing_mapped_headers(fuente, read, archivo)
        _apply_fuente(read.frame, fuente)
    raw = RawTable(nombre, path, read.frame, read.presentes, hashlib.sha256(data).hexdigest(), read.normalizados,
                   read.encabezados, read.linea_encabezado, fuente, read.hoja, read.hojas)
    return raw, problems


def sugerir_mapeo(path: Path, nombre: str) -> str:
    """The sentence that points to ``make map-export`` for an export whose headers
    are not the contract's, with the command to type (from the project's folder)."""
    from anm_helpers.core import config

    try:
        shown = path.resolve().relative_to(config.PROJ_ROOT.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    if any(c.isspace() for c in shown) or '"' in shown:
        shown = '"' + shown.replace('"', '\\"') + '"'
    return (f". Si es la exportación de la plataforma tal como sale, make map-export FILE={shown} TABLE={nombre} "
            "propone cómo leerla (hoja, fila de encabezados, columnas, valores) para copiarlo en data/fuentes.yaml")


def _missing_mapped_headers(fuente, read: "_Read", archivo: str) -> list[Problema]:
    """A header the mapping names that the export does not have: a problem of
    the mapping file, at its line, with the export's closest headers."""
    from anm_helpers.core.suggestions import quiso_decir

    out = []
    for columna, header in fuente.columnas.items():
        if columna not in read.presentes:
            shown = [str(h) for h in read.encabezados if h not in (None, "")]
            out.append(fuente.problema(
                f"columnas.{columna}", header,
                f"no está en los encabezados de {archivo} (línea {read.linea_encabezado})"
                f"{quiso_decir(str(header), shown)}"))
    return out


def _apply_fuente(frame: pd.DataFrame, fuente) -> None:
    """The export's values as the contract's (``valores``), compared under the
    contract's normalisation; dates in the export's own format as ISO text."""
    for columna, mapa in fuente.valores.items():
        if columna in frame and mapa:
            frame[columna] = _map_distinct(frame[columna], lambda v, m=mapa: m.get(normalize_text(v), v))
    if fuente.formato_fecha and "fecha" in frame:
        fmt = fuente.formato_fecha

        def iso(v: str) -> str:
            try:
                return dt.datetime.strptime(v, fmt).strftime("%Y-%m-%d %H:%M:%S")
            except ValueError:
                return v  # not in the declared format: the date rule words it
        frame["fecha"] = _map_distinct(frame["fecha"], iso)


def _map_distinct(s: pd.Series, fn) -> pd.Series:
    """``fn`` over a text column, once per distinct value (categoricals stay categoricals)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        new = [fn(c) for c in s.cat.categories]
        values = list(dict.fromkeys(new))
        pos = {v: i for i, v in enumerate(values)}
        lut = np.array([pos[v] for v in new] + [-1], dtype=np.int32)
        return pd.Series(pd.Categorical.from_codes(lut[s.cat.codes.to_numpy()],
                                                   categories=pd.Index(values, dtype=object)), index=s.index)
    uniques = pd.unique(s)
    return s.map({u: fn(u) for u in uniques})


@dataclass
class _Layout:
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
    def of(cls, columnas: tuple[str, ...], fuente=None, required: tuple = ()) -> "_Layout":
        targets = {}
        for c in columnas:
            header = fuente.columnas.get(c) if fuente is not None else None
            targets[_column_key(header if header else c)] = c
        if fuente is None:
            return cls(targets, tuple(required))
        return cls(targets, tuple(required), fuente.separador, fuente.codificacion, fuente.encabezado, fuente.hoja,
                   tuple(fuente.columnas))

    def header_map(self, header: list) -> dict:
        return _header_map(header, self)


#: rows above the header an export may have (titles, dates of the report, blank lines)
MAX_TITLE_ROWS = 30


def _find_header(rows: list[list], layout: _Layout) -> int:
    """The header's index among ``rows``: the declared line, else the first row
    whose cells hold every required column. When none does, a row with some of
    them further down is named ("parece estar en la línea N"); the first row
    otherwise (its missing columns are reported as such)."""
    if layout.header_line is not None:
        if layout.header_line > len(rows):
            raise _Unreadable(f"no tiene la línea {layout.header_line} que fuentes.yaml declara como encabezado")
        return layout.header_line - 1
    required = set(layout.required)
    best, best_count = 0, 0
    for i, row in enumerate(rows[:MAX_TITLE_ROWS]):
        found = {layout.targets[k] for k in (_column_key(c) for c in row) if k in layout.targets}
        if required <= found:
            return i
        if len(found) > best_count:
            best, best_count = i, len(found)
    if best > 0:
        found = {layout.targets[k] for k in (_column_key(c) for c in rows[best]) if k in layout.targets}
        missing = [c for c in layout.required if c not in found]
        if set(missing) <= set(layout.mapped):  # the mapping names a header the export lacks: said at its line
            return best
        raise _Unreadable(f"el encabezado parece estar en la línea {best + 1}, pero le faltan las columnas "
                          f"{', '.join(missing)}: corrija sus nombres o declárelos en data/fuentes.yaml "
                          "(columnas)", best + 1, mapear=True)
    return 0


def _os_reason(exc: OSError) -> str:
    import errno

    return {errno.EACCES: "permiso denegado", errno.EPERM: "permiso denegado",
            errno.ENOENT: "no existe"}.get(exc.errno, exc.strerror or type(exc).__name__)


class _Unreadable(Exception):
    """A file that cannot be read as a table at all (one problem for the file)."""

    def __init__(self, message: str, linea: int | None = None, columna: str | None = None, mapear: bool = False):
        super().__init__(message)
        self.linea, self.columna = linea, columna
        #: the headers are not the contract's: ``make map-export`` is suggested
        self.mapear = mapear


@dataclass
class _Read:
    frame: pd.DataFrame
    presentes: tuple[str, ...]
    #: (linea, columna, valor, regla) of cells that could be read but not trusted
    problemas: list = field(default_factory=list)
    #: values changed by ``clean_text`` beyond trimming, per contract column
    normalizados: dict = field(default_factory=dict)
    encabezados: tuple = ()
    linea_encabezado: int = 1
    #: a workbook's sheet read, and all its sheets
    hoja: str | None = None
    hojas: tuple = ()


#: rows looked at before the whole file is read, to refuse a file of another month at once
FIRST_BLOCK = 2000
#: dated rows the first block needs, all outside the month, to be called another month's export
WRONG_MONTH_MIN = 100


def _decode(raw: bytes, declared: str | None = None) -> tuple[str | None, str]:
    """The file's text and its encoding, decided from all of its bytes:

    - a UTF-16 BOM: UTF-16 (what Excel's «Texto Unicode» writes);
    - valid UTF-8 (with or without BOM): UTF-8, and the text is None (the bytes go
      to the reader as they are);
    - UTF-8 with a few bytes that are not (a cell pasted from another program):
      ``utf-8-errores``, the text keeping those bytes as lone surrogates that
      ``_bad_bytes`` reports line by line; the rest of the file is not re-read
      in another encoding;
    - otherwise Windows-1252 when charset-normalizer finds the bytes plausible text
      in it, else unreadable."""
    import codecs

    if declared:  # fuentes.yaml says it
        name = codecs.lookup(declared).name
        if name == "utf-8":
            return _decode(raw)
        try:
            return raw.decode("utf-16" if name.startswith("utf-16") and raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                              else declared), name
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise _Unreadable(f"no se puede leer como {declared} (la codificación que declara fuentes.yaml): "
                              f"revise la codificación del archivo o de fuentes.yaml", line) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _Unreadable("empieza como texto UTF-16 pero no lo es: expórtelo de nuevo") from None
    if b"\x00" in raw[:4096]:
        raise _Unreadable("no es una tabla de texto (parece un archivo binario): expórtelo de nuevo como CSV o .xlsx")
    try:
        raw.decode("utf-8")
        return None, "utf-8"
    except UnicodeDecodeError:
        pass
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    text = body.decode("utf-8", errors="surrogateescape")
    bad = len(_SURROGATE.findall(text))
    good = len(_NON_ASCII.findall(text))  # characters that UTF-8 decoded: accents, ñ
    if good and good >= bad:
        return text, "utf-8-errores"
    from charset_normalizer import from_bytes

    if from_bytes(raw, cp_isolation=["cp1252"]).best() is None:
        raise _Unreadable("no se puede leer el texto (ni UTF-8 ni Windows-1252): "
                          "guárdelo de nuevo desde Excel como «CSV UTF-8»")
    return raw.decode("cp1252"), "cp1252"


_SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _bad_bytes(text: str, sep: str, header: list, mapping: dict, first_line: int = 1) -> list[tuple]:
    """Each cell of a contract column holding bytes that are not UTF-8, as
    (line, column, value, rule). Cells of other columns are never loaded."""
    import csv

    columns = [mapping.get(h) for h in header]
    out = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not _SURROGATE.search(line):
            continue
        try:
            cells = next(csv.reader([line], delimiter=sep))
        except (csv.Error, StopIteration):
            cells = []
        for i, cell in enumerate(cells):
            if _SURROGATE.search(cell) and i < len(columns) and columns[i]:
                raw_bytes = " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in _SURROGATE.findall(cell))
                out.append((number, columns[i], cell.strip(),
                            f"tiene bytes que no son UTF-8 ({raw_bytes}) en un archivo UTF-8: corrija el valor "
                            "o guarde el archivo de nuevo como «CSV UTF-8»"))
    return out


def _column_key(raw) -> str:
    return normalize_text(raw) if raw is not None else ""


def _letters(i: int) -> str:
    """A spreadsheet's column letters: 0 -> A, 27 -> AB."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _header_map_at(header: list, layout, line: int) -> dict:
    """``_header_map`` of the header on ``line`` (its problems carry the line)."""
    try:
        return _header_map(header, layout)
    except _Unreadable as exc:
        exc.linea = exc.linea or line
        raise


def _header_map(header: list, layout) -> dict:
    """The contract's columns of a header row (export header -> contract column),
    refusing a contract column written twice: which copy holds the data cannot
    be known, and taking either would change figures silently. ``layout`` is a
    ``_Layout`` (or the contract's columns, named as the contract names them)."""
    if not isinstance(layout, _Layout):
        layout = _Layout.of(tuple(layout))
    seen: dict[str, int] = {}
    out = {}
    for i, raw in enumerate(header):
        key = layout.targets.get(_column_key(raw))
        if key is None:
            continue
        if key in seen:
            first = seen[key]
            raise _Unreadable(f"la columna está dos veces en la fila de encabezados (columnas {first + 1} "
                              f"({_letters(first)}) y {i + 1} ({_letters(i)})): deje una sola", None, key)
        seen[key] = i
        out[raw] = key
    return out


def _read_csv(data: bytes, columnas: tuple[str, ...], few: tuple[str, ...] = (),
              mes: str | None = None, layout: "_Layout | None" = None) -> _Read:
    layout = layout or _Layout.of(columnas, required=columnas)
    text, encoding = _decode(data, layout.encoding)
    if encoding == "utf-8":
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        head = _head(body, MAX_TITLE_ROWS).decode("utf-8")
    else:
        body = None
        head = _head(text, MAX_TITLE_ROWS)
    sep, skip, header = _header(head, layout)
    mapping = _header_map_at(header, layout, skip + 1)
    if skip:  # title rows above the header: the table starts at the header line
        if text is None:
            body = body[_offset(body, b"\n", skip):]
        else:
            text = text[_offset(text, "\n", skip):]
    if mes:
        block = _head(body, FIRST_BLOCK + 1).decode("utf-8") if text is None else _head(text, FIRST_BLOCK + 1)
        _refuse_wrong_month(block, sep, mapping, mes)
    problemas = []
    if encoding == "utf-8-errores":
        problemas = _bad_bytes(text, sep, header, mapping, first_line=skip + 1)
        text = _SURROGATE.sub("\ufffd", text)
    kept = tuple(mapping.values())
    if mapping:  # UTF-8 bytes go to pyarrow as they are; other encodings once re-encoded
        read = _read_csv_arrow(body if text is None else text.encode("utf-8"), sep, mapping, few)
        if read is not None:
            frame, counts = read
            frame[LINE] += skip
            return _Read(frame, kept, problemas, counts, tuple(header), skip + 1)
    if text is None:
        text = body.decode("utf-8")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            usecols=lambda c: c in mapping, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise _Unreadable(f"no es una tabla CSV legible ({exc})") from None
    frame = frame.rename(columns=mapping).fillna("")
    frame[LINE] = frame.index + 2 + skip
    frame, counts = _tidy(frame)
    return _Read(frame, kept, problemas, counts, tuple(header), skip + 1)


def _offset(buffer, newline, lines: int) -> int:
    """Where line ``lines`` + 1 starts."""
    end = -1
    for _ in range(lines):
        end = buffer.find(newline, end + 1)
        if end < 0:
            return len(buffer)
    return end + 1


def _head(buffer, lines: int):
    """The first ``lines`` lines of text or bytes (without the newline that ends them)."""
    newline = b"\n" if isinstance(buffer, bytes) else "\n"
    end = -1
    for _ in range(lines):
        end = buffer.find(newline, end + 1)
        if end < 0:
            return buffer
    return buffer[:end]


#: bytes of a CSV read first, to refuse another month's export without reading the rest
PEEK_BYTES = 1 << 20


def _peek_wrong_month(path: Path, layout: "_Layout", mes: str) -> None:
    """``_refuse_wrong_month`` on the first block of a CSV, read alone (only
    ``_Unreadable`` for another month comes out: anything else is for the full read)."""
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
        sep, skip, header = _header(_head(text, MAX_TITLE_ROWS), layout)
        mapping = _header_map(header, layout)
    except _Unreadable:
        return
    _refuse_wrong_month(text[_offset(text, "\n", skip):], sep, mapping, mes)


def _refuse_wrong_month(head: str, sep: str, mapping: dict, mes: str) -> None:
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
    _wrong_month(block[raw_fecha].map(clean_text), mes)


def _wrong_month(fechas: pd.Series, mes: str) -> None:
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
    raise _Unreadable(f"las primeras {filas} filas tienen fechas del {first} al {last}, ninguna de "
                      f"{nombre}: parece la exportación de otro mes; exporte de nuevo el mes {mes}",
                      None, "fecha")


def _header(head: str, layout: "_Layout") -> tuple[str, int, list]:
    """The separator, the lines above the header (title rows), and the header's
    cells, from the first lines of a CSV. Without a declared separator, the one
    whose reading finds the header is taken (else the header line's most used)."""
    import csv

    lines = head.split("\n")
    if not head.strip():
        raise _Unreadable("el archivo está vacío: debe tener al menos la fila de encabezados")

    def rows(sep: str) -> list[list[str]]:
        return [next(csv.reader([line.rstrip("\r")], delimiter=sep), []) for line in lines]

    if layout.sep:
        candidates = [layout.sep]
    else:
        first = next((line for line in lines if line.strip()), "")
        counts = {sep: first.count(sep) for sep in (";", "\t", ",", "|")}
        candidates = sorted(counts, key=lambda sep: -counts[sep])
    partial = None
    for sep in candidates:
        table = rows(sep)
        try:
            at = _find_header(table, layout)
        except _Unreadable as exc:  # a partial header below the first line: said if no reading finds one
            partial = partial or exc
            continue
        if layout.header_line is not None or _has_required(table[at], layout):
            return sep, at, table[at]
    if partial is not None:
        raise partial
    return candidates[0], 0, rows(candidates[0])[0]


def _has_required(row: list, layout: "_Layout") -> bool:
    found = {layout.targets[k] for k in (_column_key(c) for c in row) if k in layout.targets}
    return set(layout.required) <= found


def _read_csv_arrow(data: bytes, sep: str, mapping: dict, few: tuple[str, ...] = ()):
    """pyarrow's multi-threaded reader, tidied in arrow. Columns of ``few``
    (a handful of distinct values in a million rows: channels, topics, dates)
    are dictionary-encoded by the reader itself and come out as pandas
    categoricals, cleaned once per distinct value; the others as arrow strings.
    Returns the frame and the count of values ``clean_text`` changed per column.

    None when it cannot say what pandas' parser would (the caller then reads
    with that parser, which words the errors): a malformed table, or rows that are not the file's lines one for one (pyarrow
    skips blank lines, and a quoted line break joins two lines)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = list(mapping)
    types = {n: pa.dictionary(pa.int32(), pa.large_string()) if mapping[n] in few else pa.large_string()
             for n in names}
    try:
        table = pcsv.read_csv(
            io.BytesIO(data), parse_options=pcsv.ParseOptions(delimiter=sep),
            convert_options=pcsv.ConvertOptions(include_columns=names, column_types=types,
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except Exception:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if table.num_rows + 1 != lines:
        return None
    as_str = {pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get
    columns, counts = {}, {}
    for n in names:
        columns[mapping[n]], changed = _cleaned(table.column(n), as_str)
        if changed:
            counts[mapping[n]] = changed
    frame = pd.DataFrame(columns, copy=False)
    frame[LINE] = np.arange(2, table.num_rows + 2, dtype=np.int64)
    first = frame.columns[0]
    if (frame[first] == "").any():  # only then can a row be blank (Excel's trailing ;;;)
        frame = frame[(frame[[mapping[n] for n in names]] != "").any(axis=1)].reset_index(drop=True)
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):  # the blank rows' "" may be gone
                frame[col] = frame[col].cat.remove_unused_categories()
    return frame, counts


def _cleaned(column, as_str) -> tuple[pd.Series, int]:
    """An arrow column through ``clean_text``, as a pandas column, and how many
    values that changed beyond trimming. Only values that are not plain ASCII
    (or hold two spaces in a row) go through Python; a dictionary-encoded
    column, once per distinct value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        trimmed = pc.utf8_trim_whitespace(column)
        if isinstance(trimmed, pa.ChunkedArray):
            trimmed = trimmed.combine_chunks()
        needs = pc.match_substring_regex(trimmed, NEEDS_CLEANING)
        changed = 0
        if pc.any(needs).as_py():
            values = pc.filter(trimmed, needs).to_pylist()
            cleaned = [clean_text(v) for v in values]
            changed = sum(a != b for a, b in zip(values, cleaned))
            trimmed = pc.replace_with_mask(trimmed, needs, pa.array(cleaned, trimmed.type))
        return pa.table({"c": trimmed}).to_pandas(types_mapper=as_str)["c"], changed
    indices, dictionary = _unpack(column)
    trimmed = pc.utf8_trim_whitespace(dictionary).to_pylist()
    text = [clean_text(t) for t in trimmed]
    changed = 0
    touched = [i for i, (a, b) in enumerate(zip(trimmed, text)) if a != b]
    if touched:
        occurrences = np.bincount(indices[indices >= 0], minlength=len(text))
        changed = int(occurrences[touched].sum())
    values = list(dict.fromkeys(text))  # " a" and "a" are one value once cleaned
    pos = {v: i for i, v in enumerate(values)}
    lut = np.array([pos[t] for t in text], dtype=np.int32)
    return pd.Series(pd.Categorical.from_codes(lut[indices] if len(lut) else indices,
                                               categories=pd.Index(values, dtype=object))), changed


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read_xlsx(source, columnas: tuple[str, ...], mes: str | None = None, layout: "_Layout | None" = None) -> _Read:
    """A sheet of a workbook: the one ``fuentes.yaml`` names (``hoja``), else the
    first; its header on the declared or detected row. Anything openpyxl raises
    (a corrupt or truncated file raises many kinds, some only once rows are
    read) is one problem for the file."""
    from openpyxl import load_workbook

    layout = layout or _Layout.of(columnas, required=columnas)
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise _Unreadable("no es un libro de Excel (.xlsx) legible (¿está dañado, incompleto o es de otro "
                          "formato?): ábralo en Excel, guárdelo de nuevo como .xlsx o expórtelo otra vez") from None
    try:
        if not wb.worksheets:
            raise _Unreadable("el libro no tiene hojas: expórtelo de nuevo")
        ws = _sheet(wb, layout.sheet)
        rows = ws.iter_rows(values_only=True)
        top = []
        for row in rows:
            top.append(list(row))
            if len(top) >= max(MAX_TITLE_ROWS, layout.header_line or 0):
                break
        if not any(any(c not in (None, "") for c in row) for row in top):
            raise _Unreadable(f"la hoja {ws.title} está vacía: debe tener al menos la fila de encabezados")
        try:
            at = _find_header([[_cell_text(c) for c in row] for row in top], layout)
        except _Unreadable as exc:
            if exc.mapear:  # which sheet was read
                exc.args = (f"en la hoja «{ws.title}», {exc.args[0]}",)
            raise
        hoja, hojas = ws.title, tuple(w.title for w in wb.worksheets)
        header = top[at]
        mapping = _header_map_at(list(header), layout, at + 1)
        idx = [i for i, h in enumerate(header) if h in mapping]
        names = [mapping[header[i]] for i in idx]
        fecha = names.index("fecha") if mes and "fecha" in names else None
        records, lines = [], []
        buffered = iter(top[at + 1:])
        for number, row in enumerate(_chain(buffered, rows), start=at + 2):
            records.append([_cell_text(row[i]) if i < len(row) else "" for i in idx])
            lines.append(number)
            if fecha is not None and len(records) == FIRST_BLOCK:
                _wrong_month(pd.Series([r[fecha] for r in records]).map(clean_text), mes)
    except _Unreadable:
        raise
    except Exception:  # a truncated or corrupt sheet fails only while its rows are read
        raise _Unreadable("el libro de Excel está dañado o incompleto (no se pudieron leer sus filas): "
                          "ábralo en Excel, guárdelo de nuevo como .xlsx y vuelva a intentarlo") from None
    finally:
        wb.close()
    if fecha is not None and len(records) < FIRST_BLOCK:
        _wrong_month(pd.Series([r[fecha] for r in records], dtype=object).map(clean_text), mes)
    frame = pd.DataFrame(records, columns=names, dtype=object).astype(str) if records else \
        pd.DataFrame({n: pd.Series(dtype=str) for n in names})
    frame[LINE] = lines
    frame, counts = _tidy(frame)
    return _Read(frame, tuple(names), [], counts, tuple(_cell_text(h) for h in header), at + 1, hoja, hojas)


def _chain(*iterables):
    for it in iterables:
        yield from it


def _sheet(wb, name: str | None):
    """The named sheet (compared as analysts write names), else the first."""
    if name is None:
        return wb.worksheets[0]
    for ws in wb.worksheets:
        if _column_key(ws.title) == _column_key(name):
            return ws
    from anm_helpers.core.suggestions import quiso_decir

    titles = [ws.title for ws in wb.worksheets]
    raise _Unreadable(f"no tiene la hoja «{name}» que declara fuentes.yaml (hojas: {', '.join(titles)})"
                      f"{quiso_decir(name, titles)}")


def _tidy(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Every value through ``clean_text`` (once per distinct value); drop rows
    with no value in any contract column (blank lines, Excel's trailing ``;;;``).
    Also the count of values changed beyond trimming, per column."""
    cols = [c for c in frame.columns if c != LINE]
    counts = {}
    for c in cols:
        s = frame[c].astype(str)
        uniques = pd.unique(s)
        cleaned = {u: clean_text(u) for u in uniques}
        touched = [u for u, v in cleaned.items() if v != u.strip()]
        if touched:
            counts[c] = int(s.isin(touched).sum())
        frame[c] = s.map(cleaned)
    if cols:
        frame = frame[(frame[cols] != "").any(axis=1)]
    return frame.reset_index(drop=True), counts


def month_bounds(mes: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(f"{mes}-01")
    return start, start + pd.offsets.MonthEnd(0)


