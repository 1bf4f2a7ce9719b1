"""Reading the contract's tables as text: CSV (UTF-8 with or without BOM, or
Windows-1252; ``,`` or ``;``) or .xlsx (first sheet). Only the contract's
columns are ever loaded: the exports carry citizens' personal data in other
columns, and it must not reach any output.

Every frame returned here holds the contract's columns as stripped text plus
``_linea``, the line number as a spreadsheet shows it (header = 1). Text is
pandas strings, or categoricals for the few-valued columns of a CSV read by
pyarrow (``FEW_VALUES``); every function here takes either.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .exceptions import Problema

LINE = "_linea"

_DATE_RE = (r"^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
            r"|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))"
            r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def normalize_text(value: str) -> str:
    """Trimmed, lower case, without accents: ``" Telefónico "`` -> ``"telefonico"``."""
    decomposed = unicodedata.normalize("NFKD", str(value).strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
FEW_VALUES = {"atenciones": ("fecha", "canal", "punto", "tipo", "primer_contacto"),
              "encuestas": ("fecha", "canal", "satisfaccion", "percepcion", "confianza", "claridad"),
              "comunicaciones": ("fecha", "medio", "sentido"), "llamadas": ()}

#: columns compared after normalising, per table
CATEGORICAL = {"atenciones": ("canal", "punto", "tipo", "primer_contacto"), "encuestas": ("canal",),
               "comunicaciones": ("medio", "sentido")}


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
    return s.str.fullmatch(r"\d+").fillna(False).astype(bool)


@dataclass
class RawTable:
    """A table as read from one file: text columns of the contract, ``_linea``."""

    nombre: str
    ruta: Path
    datos: pd.DataFrame
    columnas_presentes: tuple[str, ...]
    #: SHA-256 of the file's bytes, from the same read that parsed it
    sha256: str = ""

    @property
    def archivo(self) -> str:
        """The file as analysts know it: relative to ``data/`` (``2024-03/encuestas.csv``)."""
        return display_name(self.ruta)


def display_name(path: Path) -> str:
    from . import config

    try:
        return path.resolve().relative_to(config.DATA_DIR.resolve()).as_posix()
    except ValueError:
        return path.name


def find_table(folder: Path, nombre: str) -> tuple[Path | None, list[Problema]]:
    """The file of table ``nombre`` in ``folder``: ``.csv`` or ``.xlsx``, never both."""
    found = [p for p in (folder / f"{nombre}.csv", folder / f"{nombre}.xlsx") if p.exists()]
    if len(found) == 2:
        return None, [Problema(f"{nombre}.csv / {nombre}.xlsx", None, None, None,
                               "la tabla está dos veces (CSV y Excel): deje solo uno de los dos archivos")]
    if not found:
        return None, [Problema(f"{nombre}.csv", None, None, None,
                               f"falta el archivo en {folder}: expórtelo como {nombre}.csv o {nombre}.xlsx "
                               "(si no hubo actividad, deje solo la fila de encabezados)")]
    return found[0], []


def read_table(path: Path, nombre: str, columnas: tuple[str, ...]) -> tuple[RawTable | None, list[Problema]]:
    """Read the contract's ``columnas`` of one file; problems instead of exceptions.
    The file is read once: the same bytes are parsed and hashed."""
    import hashlib

    data = path.read_bytes()
    try:
        if path.suffix.lower() == ".xlsx":
            frame, present = _read_xlsx(io.BytesIO(data), columnas)
        else:
            frame, present = _read_csv(data, columnas, FEW_VALUES.get(nombre, ()))
    except _Unreadable as exc:
        return None, [Problema(display_name(path), None, None, None, str(exc))]
    return RawTable(nombre, path, frame, present, hashlib.sha256(data).hexdigest()), []


class _Unreadable(Exception):
    pass


def _decode(raw: bytes) -> tuple[str, bool]:
    """The file's text, and whether it was UTF-8 (else Windows-1252)."""
    if b"\x00" in raw[:4096]:
        raise _Unreadable("no es una tabla de texto (parece un archivo binario): expórtelo de nuevo como CSV o .xlsx")
    try:
        return raw.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), False
    except UnicodeDecodeError:
        raise _Unreadable("no se puede leer el texto (ni UTF-8 ni Windows-1252): "
                          "guárdelo de nuevo desde Excel como «CSV UTF-8»") from None


def _header_map(header: list, columnas: tuple[str, ...]) -> dict:
    wanted = set(columnas)
    out = {}
    for raw in header:
        key = normalize_text(raw) if raw is not None else ""
        if key in wanted and key not in out.values():
            out[raw] = key
    return out


def _read_csv(data: bytes, columnas: tuple[str, ...], few: tuple[str, ...] = ()) -> tuple[pd.DataFrame, tuple[str, ...]]:
    text, utf8 = _decode(data)
    end = text.find("\n")
    sep, mapping = _header(text[:end] if end >= 0 else text, columnas)
    if mapping:  # UTF-8 bytes go to pyarrow as they are; Windows-1252 once re-encoded
        body = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data) if utf8 else text.encode("utf-8")
        frame = _read_csv_arrow(body, sep, mapping, few)
        if frame is not None:
            return frame, tuple(mapping.values())
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            usecols=lambda c: c in mapping, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise _Unreadable(f"no es una tabla CSV legible ({exc})") from None
    frame = frame.rename(columns=mapping).fillna("")
    frame[LINE] = frame.index + 2
    return _tidy(frame), tuple(mapping.values())


def _header(first: str, columnas: tuple[str, ...]) -> tuple[str, dict]:
    """The separator (``;`` or ``,``) and the contract's columns of a header line."""
    if not first.strip():
        raise _Unreadable("el archivo está vacío: debe tener al menos la fila de encabezados")
    sep = ";" if first.count(";") > first.count(",") else ","
    header = next(iter(pd.read_csv(io.StringIO(first), sep=sep, header=None, dtype=str,
                                   keep_default_na=False).itertuples(index=False)))
    return sep, _header_map(list(header), columnas)


def _read_csv_arrow(data: bytes, sep: str, mapping: dict, few: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """pyarrow's multi-threaded reader, tidied in arrow. Columns of ``few``
    (a handful of distinct values in a million rows: channels, topics, dates)
    are dictionary-encoded by the reader itself and come out as pandas
    categoricals, stripped once per distinct value; the others as arrow strings.

    None when it cannot say what pandas' parser would (the caller then reads
    with that parser, which words the errors): a malformed table, or rows that are not the file's lines one for one (pyarrow
    skips blank lines, and a quoted line break joins two lines)."""
    import pyarrow as pa
    import pyarrow.compute as pc
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
    frame = pd.DataFrame({mapping[n]: _stripped(table.column(n), as_str) for n in names}, copy=False)
    frame[LINE] = np.arange(2, table.num_rows + 2, dtype=np.int64)
    first = frame.columns[0]
    if (frame[first] == "").any():  # only then can a row be blank (Excel's trailing ;;;)
        frame = frame[(frame[[mapping[n] for n in names]] != "").any(axis=1)].reset_index(drop=True)
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):  # the blank rows' "" may be gone
                frame[col] = frame[col].cat.remove_unused_categories()
    return frame


def _stripped(column, as_str) -> pd.Series:
    """An arrow column stripped of surrounding spaces, as a pandas column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        return pa.table({"c": pc.utf8_trim_whitespace(column)}).to_pandas(types_mapper=as_str)["c"]
    indices, dictionary = _unpack(column)
    text = pc.utf8_trim_whitespace(dictionary).to_pylist()
    values = list(dict.fromkeys(text))  # " a" and "a" are one value once stripped
    pos = {v: i for i, v in enumerate(values)}
    lut = np.array([pos[t] for t in text], dtype=np.int32)
    return pd.Series(pd.Categorical.from_codes(lut[indices] if len(lut) else indices,
                                               categories=pd.Index(values, dtype=object)))


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


def _read_xlsx(source, columnas: tuple[str, ...]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise _Unreadable("no es un libro de Excel (.xlsx) legible: expórtelo de nuevo") from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or all(h is None for h in header):
            raise _Unreadable("la primera hoja está vacía: debe tener al menos la fila de encabezados")
        mapping = _header_map(list(header), columnas)
        idx = [i for i, h in enumerate(header) if h in mapping]
        names = [mapping[header[i]] for i in idx]
        records, lines = [], []
        for number, row in enumerate(rows, start=2):
            records.append([_cell_text(row[i]) if i < len(row) else "" for i in idx])
            lines.append(number)
    finally:
        wb.close()
    frame = pd.DataFrame(records, columns=names, dtype=object).astype(str) if records else \
        pd.DataFrame({n: pd.Series(dtype=str) for n in names})
    frame[LINE] = lines
    return _tidy(frame), tuple(names)


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip every value; drop rows with no value in any contract column
    (blank lines, Excel's trailing ``;;;``)."""
    cols = [c for c in frame.columns if c != LINE]
    for c in cols:
        frame[c] = frame[c].astype(str).str.strip()
    if cols:
        frame = frame[(frame[cols] != "").any(axis=1)]
    return frame.reset_index(drop=True)


def month_bounds(mes: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(f"{mes}-01")
    return start, start + pd.offsets.MonthEnd(0)


from .contract import MES_RE  # noqa: E402,F401  (re-exported: scaffold and validate use it from here)
