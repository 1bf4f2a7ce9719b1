"""Reading the contract's tables as text: CSV (UTF-8 with or without BOM, or
Windows-1252; ``,`` or ``;``) or .xlsx (first sheet). Only the contract's
columns are ever loaded: the exports carry citizens' personal data in other
columns, and it must not reach any output.

Every frame returned here holds the contract's columns as stripped strings
plus ``_linea``, the line number as a spreadsheet shows it (header = 1).
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


def _codes(s: pd.Series) -> tuple[np.ndarray, list]:
    """Each value's index into the list of distinct values (-1 for missing);
    pyarrow's dictionary encoding where the column is arrow-backed (fast), else pandas."""
    try:
        import pyarrow as pa_arrow
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(pa_arrow.array(s.array))
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        codes = np.where(np.isnan(codes), -1, codes).astype(np.int64) if codes.dtype.kind == "f" else codes
        return codes.astype(np.int64, copy=False), encoded.dictionary.to_pylist()
    except Exception:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return codes, list(uniques)


def normalize(s: pd.Series) -> pd.Series:
    """``normalize_text`` over a column; each distinct value is normalised once."""
    codes, uniques = _codes(s)
    done = np.array([normalize_text(u) for u in uniques] + [""], dtype=object)  # -1: missing -> ""
    return pd.Series(done[codes] if len(s) else np.array([], dtype=object), index=s.index, dtype=str)


#: columns compared after normalising, per table
CATEGORICAL = {"atenciones": ("canal", "punto", "tipo", "primer_contacto"), "encuestas": ("canal",),
               "comunicaciones": ("medio", "sentido")}


def prepare(raw: "RawTable") -> None:
    """Parse the table's dates and normalise its categories once, as hidden
    columns (``_fecha``, ``_n_<column>``) that checks and typing both use."""
    df = raw.datos
    if "fecha" in df and "_fecha" not in df:
        df["_fecha"] = parse_dates(df["fecha"])
    for col in CATEGORICAL.get(raw.nombre, ()):
        if col in df and f"_n_{col}" not in df:
            df[f"_n_{col}"] = normalize(df[col])


def parse_dates(s: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``, optionally with a time, to dates
    (the time is dropped); NaT where the text is not such a date. Each distinct
    text is parsed once (a month has far fewer distinct stamps than rows)."""
    codes, uniques = _codes(s)
    parsed = _parse_distinct(pd.Series(uniques, dtype=str)).to_numpy(dtype="datetime64[ns]")
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = codes >= 0
    out[known] = parsed[codes[known]]
    return pd.Series(out, index=s.index)


def _parse_distinct(s: pd.Series) -> pd.Series:
    parts = s.str.extract(_DATE_RE)
    year = parts["y"].fillna(parts["y2"])
    month = parts["m"].fillna(parts["m2"])
    day = parts["d"].fillna(parts["d2"])
    text = year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")


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
            frame, present = _read_csv(data, columnas)
    except _Unreadable as exc:
        return None, [Problema(display_name(path), None, None, None, str(exc))]
    return RawTable(nombre, path, frame, present, hashlib.sha256(data).hexdigest()), []


class _Unreadable(Exception):
    pass


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise _Unreadable("no es una tabla de texto (parece un archivo binario): expórtelo de nuevo como CSV o .xlsx")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
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


def _read_csv(data: bytes, columnas: tuple[str, ...]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    if not first.strip():
        raise _Unreadable("el archivo está vacío: debe tener al menos la fila de encabezados")
    sep = ";" if first.count(";") > first.count(",") else ","
    header = next(iter(pd.read_csv(io.StringIO(first), sep=sep, header=None, dtype=str,
                                   keep_default_na=False).itertuples(index=False)))
    mapping = _header_map(list(header), columnas)
    # pyarrow reads fast but skips blank lines, which would shift line numbers:
    # it is used only when the file has none (nor quoted line breaks)
    exact_lines = "\n\n" not in text and "\n\r\n" not in text and '"' not in text  # pyarrow skips only empty lines
    try:
        if exact_lines and mapping:
            frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=sep, dtype=str, keep_default_na=False,
                                na_values=[], usecols=list(mapping), engine="pyarrow")
        else:
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                                usecols=lambda c: c in mapping, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise _Unreadable(f"no es una tabla CSV legible ({exc})") from None
    except Exception as exc:  # pyarrow's own parse errors
        raise _Unreadable(f"no es una tabla CSV legible ({str(exc).splitlines()[0]})") from None
    frame = frame.rename(columns=mapping).fillna("")
    frame[LINE] = frame.index + 2
    return _tidy(frame), tuple(mapping.values())


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
