"""Reading one of the contract's tables from its file (``read_table``) into a
``RawTable``, the export mapping applied (headers it names that the export
lacks, its values and date format), and ``prepare``: a table's dates parsed and
categories normalised once, for the check and typing both."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from anm_helpers.core.errors import Problema
from anm_helpers.core.text import normalize_text
from anm_helpers.inputs.contract import SPECS
from anm_helpers.inputs.reading.delimited import read_csv
from anm_helpers.inputs.reading.files import OTHER_FORMATS, display_name
from anm_helpers.inputs.reading.layout import Layout, sugerir_mapeo
from anm_helpers.inputs.reading.month_guard import peek_wrong_month
from anm_helpers.inputs.reading.series import categorize, map_distinct, parse_dates
from anm_helpers.inputs.reading.table import Read
from anm_helpers.core.errors import ArchivoIlegible
from anm_helpers.inputs.reading.workbook import read_xlsx


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


def prepare(raw: "RawTable") -> None:
    """Parse the table's dates and normalise its categories once, as hidden
    columns (``_fecha``, ``_n_<column>``, categoricals) that checks and typing both use."""
    df = raw.datos
    if "fecha" in df and "_fecha" not in df:
        df["_fecha"] = parse_dates(df["fecha"])
    for col in (SPECS[raw.nombre].categoricas if raw.nombre in SPECS else ()):
        if col in df and f"_n_{col}" not in df:
            df[f"_n_{col}"] = categorize(df[col])


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
    layout = Layout.of(columnas, fuente, required=SPECS[nombre].requeridas if nombre in SPECS else columnas)
    if mes and "fecha" in columnas and path.suffix.lower() not in (".xlsx",) + OTHER_FORMATS:
        try:  # another month's export is refused from its first block, before the file is read
            peek_wrong_month(path, layout, mes)
        except ArchivoIlegible as exc:
            return None, [Problema(archivo, exc.linea, exc.columna, None, str(exc))]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problema(archivo, None, None, None, f"no se puede leer ({_os_reason(exc)})")]
    fechas_de = mes if "fecha" in columnas else None
    try:
        if path.suffix.lower() == ".xlsx":
            read = read_xlsx(io.BytesIO(data), columnas, fechas_de, layout)
        elif path.suffix.lower() in OTHER_FORMATS:
            raise ArchivoIlegible(f"es un libro {path.suffix} que el informe no lee: ábralo en Excel y "
                             "guárdelo como .xlsx (Libro de Excel) o como CSV UTF-8")
        else:
            read = read_csv(data, columnas, SPECS[nombre].pocos_valores if nombre in SPECS else (), fechas_de, layout)
    except ArchivoIlegible as exc:
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


def _os_reason(exc: OSError) -> str:
    import errno

    return {errno.EACCES: "permiso denegado", errno.EPERM: "permiso denegado",
            errno.ENOENT: "no existe"}.get(exc.errno, exc.strerror or type(exc).__name__)


def _missing_mapped_headers(fuente, read: "Read", archivo: str) -> list[Problema]:
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
            frame[columna] = map_distinct(frame[columna], lambda v, m=mapa: m.get(normalize_text(v), v))
    if fuente.formato_fecha and "fecha" in frame:
        fmt = fuente.formato_fecha

        def iso(v: str) -> str:
            try:
                return dt.datetime.strptime(v, fmt).strftime("%Y-%m-%d %H:%M:%S")
            except ValueError:
                return v  # not in the declared format: the date rule words it
        frame["fecha"] = map_distinct(frame["fecha"], iso)
