"""Checks of every input table against the data contract, with pandera.

Each check runs on the text as exported (so the message can quote the cell),
all of them lazily: every failure of every table is collected, never only the
first. A failure becomes a ``Problema`` with the file, the spreadsheet line,
the column, the cell and the rule in the analysts' words.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pandera.pandas as pa
from babel.dates import format_date

from anm_helpers.core.errors import Problema
from anm_helpers.inputs.contract import (CALIFICACION, CALIFICACIONES, CANALES, CATALOGO, CATEGORIA, CONTEO, FECHA,
                                         HISTORICO_COLUMNS, IDENTIFICADOR, SI_NO, SI_NO_VALORES, SPECS, TIPOS_PUNTO,
                                         required_columns)
from anm_helpers.core.month import MES_RE
from anm_helpers.inputs.reading.layout import sugerir_mapeo
from anm_helpers.inputs.reading.read import RawTable
from anm_helpers.inputs.reading.series import is_whole, month_bounds, normalize, parse_dates
from anm_helpers.inputs.reading.table import LINE
from anm_helpers.core.suggestions import quiso_decir

SCORES = CALIFICACIONES
#: the largest count a cell may hold: a larger one is a typing or export error
#: (and would not fit the figures' integers)
MAX_CONTEO = 1_000_000_000
#: every column is read as text (strings, or categoricals for the few-valued
#: columns of a large month): the rules below check the text, not a dtype
TEXT = None


def _check(fn, regla: str) -> pa.Check:
    return pa.Check(fn, error=regla, ignore_na=False)


def _conteo() -> list[pa.Check]:
    """A whole number of at most ``MAX_CONTEO``."""
    return [_check(is_whole, "no es un número entero mayor o igual a 0"),
            _check(lambda s: ~is_whole(s) | (s.str.len() < 10) | (pd.to_numeric(s, errors="coerce") <= MAX_CONTEO),
                   "es demasiado grande para ser un conteo (más de mil millones): revise la celda")]


def _no_vacio(regla: str) -> pa.Check:
    return _check(lambda s: s != "", regla)


def _all_distinct(s: pd.Series) -> bool:
    """Cheap tests first. Ids in strictly increasing order, as exports usually
    come, are distinct, and one comparison per row shows it: in text order
    (``AT-000001`` < ``AT-000002``) or shorter first (``9`` < ``10``, and
    ``AT-999999`` < ``AT-1000000``). Otherwise pyarrow counts the distinct
    values in C++; only a file with a duplicate pays pandas' search."""
    try:
        import pyarrow as pa_arrow
        import pyarrow.compute as pc

        arr = pa_arrow.array(s.array)
        n = len(arr)
        if n < 2:
            return True
        a, b = arr.slice(0, n - 1), arr.slice(1)
        if pc.all(pc.less(a, b)).as_py():
            return True
        size = pc.binary_length(arr)
        la, lb = size.slice(0, n - 1), size.slice(1)
        if pc.all(pc.or_(pc.less(la, lb), pc.and_(pc.equal(la, lb), pc.less(a, b)))).as_py():
            return True
        return pc.count_distinct(arr).as_py() == n
    except Exception:  # not an arrow-backed column: let pandas look
        return bool(s.is_unique)


def _unico(regla: str) -> pa.Check:
    return _check(lambda s: pd.Series(True, index=s.index) if _all_distinct(s)
                  else (s == "") | ~s.duplicated(keep="first"), regla)


def _en(valores: tuple[str, ...], regla: str, normalized=None) -> pa.Check:
    """Value one of ``valores`` after normalising; ``normalized`` is the column
    already normalised by ``load.prepare`` (the check then does no text work)."""
    allowed = {v.lower() for v in valores}
    if normalized is not None:
        return _check(lambda s: normalized.isin(allowed), regla)
    return _check(lambda s: normalize(s).isin(allowed), regla)


def _fechas(mes: str, fechas: pd.Series) -> list[pa.Check]:
    """Dates parsed once by ``load.prepare``: readable, and inside the month."""
    start, end = month_bounds(mes)
    nombre = format_date(start.date(), "MMMM 'de' y", locale="es_CO")
    return [
        _check(lambda s: fechas.notna(), "no es una fecha AAAA-MM-DD ni DD/MM/AAAA"),
        _check(lambda s: fechas.isna() | fechas.between(start, end),
               f"no es una fecha de {nombre}: el archivo es de ese mes"),
    ]


class Revisada:
    """A table under review, as the registry's table rules (``contract.Regla``) see it:
    its text, its normalised categories, its parsed dates, its numbers, the catalogue."""

    def __init__(self, frame: pd.DataFrame, puntos: pd.DataFrame | None):
        self.frame = frame
        self.normalizadas = {c[3:]: frame[c] for c in frame.columns if c.startswith("_n_")}
        self.fechas = frame["_fecha"] if "_fecha" in frame else pd.Series(pd.NaT, index=frame.index)
        self.claves = set(puntos["clave"]) if puntos is not None else None

    def texto(self, col: str) -> pd.Series:
        return self.frame[col]

    def es(self, col: str, valor: str):
        """Rows whose normalised ``col`` is ``valor`` (False everywhere without the column)."""
        return self.normalizadas[col] == valor if col in self.normalizadas else False

    def numero(self, col: str) -> pd.Series | None:
        return pd.to_numeric(self.frame[col], errors="coerce") if col in self.frame else None

    def entero(self, col: str) -> pd.Series:
        return is_whole(self.frame[col])

    def en_catalogo(self, col: str):
        """A point of data/puntos.csv (True everywhere when the catalogue itself failed its checks)."""
        return True if self.claves is None else self.normalizadas[col].isin(self.claves)


def _column_checks(c, mes: str, t: Revisada) -> list[pa.Check]:
    """The checks of one column by its kind in the registry."""
    if c.tipo == IDENTIFICADOR:
        return [_no_vacio(c.regla), _unico("está repetido: el id debe ser único en el archivo")]
    if c.tipo == FECHA:
        return _fechas(mes, t.fechas)
    if c.tipo == CONTEO:
        return _conteo()
    if c.tipo == CALIFICACION:
        return [_check(lambda s: (s == "") | s.isin(SCORES), "no es una calificación de 1 a 5 (o vacío si no respondió)")]
    if c.tipo == SI_NO:
        return [_en(SI_NO_VALORES, c.regla, t.normalizadas.get(c.nombre))]
    if c.tipo == CATEGORIA and c.valores == CATALOGO:
        return []  # the table's rules say which rows need a point of the catalogue
    if c.tipo == CATEGORIA and c.valores:
        return [_en(c.valores, c.regla, t.normalizadas.get(c.nombre))]
    return [_no_vacio(c.regla)]  # any value, but a value


def schema(nombre: str, mes: str, frame: pd.DataFrame, puntos: pd.DataFrame | None) -> pa.DataFrameSchema:
    """The contract's rules for table ``nombre`` of month ``mes``, built from its entry of the
    registry (``contract.SPECS``): each column's checks by its kind, then the table's own
    named rules; ``frame`` has been through ``load.prepare`` (parsed dates, normalised
    categories)."""
    spec = SPECS[nombre]
    t = Revisada(frame, puntos)
    checks = {c.nombre: _column_checks(c, mes, t) for c in spec.columnas_}
    for regla in spec.reglas:
        checks[regla.columna].append(_check(lambda s, r=regla: r.prueba(t), regla.regla))
    return pa.DataFrameSchema({c.nombre: pa.Column(TEXT, checks=checks[c.nombre], required=not c.opcional
                                                   and c.tipo != CALIFICACION) for c in spec.columnas_})


def missing_columns(raw: RawTable, columnas: tuple[str, ...]) -> list[Problema]:
    """A required column the header lacks, with the export's closest headers. A
    column ``fuentes.yaml`` maps is reported at the mapping's line instead."""
    mapped = raw.fuente.columnas if raw.fuente is not None else {}
    shown = [str(h) for h in raw.encabezados if h not in (None, "")]
    out = []
    for c in columnas:
        if c in raw.columnas_presentes or c in mapped:
            continue
        hint = quiso_decir(c, shown)
        regla = "falta esta columna en la fila de encabezados" + (
            f"{hint} Si es esa, declárela en data/fuentes.yaml ({raw.nombre} › columnas › {c})" if hint else "")
        out.append(Problema(raw.archivo, raw.linea_encabezado, c, None, regla))
    if out and raw.nombre in SPECS:  # once for the file, not once per column
        out.insert(0, _headers_read(raw, [p.columna for p in out]))
    return out


def _headers_read(raw: RawTable, missing: list[str]) -> Problema:
    """Which header row (and, in a workbook, which sheet) was read, what it holds,
    and ``make map-export`` for an export whose headers are not the contract's."""
    cells = [str(h) for h in raw.encabezados if h not in (None, "")]
    holds = ", ".join(f"«{h}»" for h in cells[:4]) + (", …" if len(cells) > 4 else "") if cells else "nada"
    if raw.hoja is not None:
        which = "la que declara fuentes.yaml" if raw.fuente is not None and raw.fuente.hoja else "la primera del libro"
        others = f"; hojas del libro: {', '.join(raw.hojas)}" if len(raw.hojas) > 1 else ""
        read = (f"se leyó la hoja «{raw.hoja}» ({which}{others}), con los encabezados en la fila "
                f"{raw.linea_encabezado} ({holds}), y le faltan")
    else:
        read = f"se leyeron los encabezados de la línea {raw.linea_encabezado} ({holds}) y les faltan"
    return Problema(raw.archivo, raw.linea_encabezado, None, None,
                    f"{read} las columnas {', '.join(missing)}"
                    f"{sugerir_mapeo(raw.ruta, raw.nombre)}")




def with_hints(problems: list[Problema], puntos: pd.DataFrame | None, tabla: str | None = None) -> list[Problema]:
    """«¿Quiso decir…?» on a value that is no point of the catalogue (the closest
    names first, then «o agréguelo a data/puntos.csv») or no allowed category."""
    names = list(puntos["nombre"]) if puntos is not None else []
    out = []
    for p in problems:
        if p.columna == "punto" and p.regla.startswith("no está en data/puntos.csv") and p.valor:
            hint = quiso_decir(p.valor, names)
            if hint:
                p = replace(p, regla=f"no está en data/puntos.csv{hint[:-1]}, o agréguelo a data/puntos.csv "
                                     "(nombre, tipo, ciudad, desde)?")
        elif p.columna in _hinted(tabla) and p.valor and p.regla.startswith("no es un"):
            hint = quiso_decir(p.valor, _hinted(tabla)[p.columna])
            if hint:
                p = replace(p, regla=p.regla + hint)
        out.append(p)
    return out


def _hinted(tabla: str | None) -> dict:
    """The columns whose refused values get the closest allowed values: the categories with
    fixed values of the table's entry in the registry (the values it accepts, no other)."""
    spec = SPECS.get(tabla) if tabla else None
    if spec is None:
        return {}
    return {c.nombre: c.valores for c in spec.columnas_ if c.tipo == CATEGORIA and c.valores and c.valores != CATALOGO}


def run_schema(raw: RawTable, sch: pa.DataFrameSchema) -> list[Problema]:
    """Every failure of ``sch`` on ``raw``, as problems sorted by line."""
    frame = raw.datos
    present = {k: v for k, v in sch.columns.items() if k in frame.columns}
    sch = sch.__class__(present)
    try:
        sch.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        fc = fc[fc["index"].notna()]
        problems = []
        for col, regla, idx in zip(fc["column"], fc["check"], fc["index"]):
            row = frame.loc[int(idx)]
            problems.append(Problema(raw.archivo, int(row[LINE]), col, str(row[col]), regla))
        order = {c: i for i, c in enumerate(frame.columns)}
        return sorted(set(problems), key=lambda p: (p.linea or 0, order.get(p.columna, 99), p.regla))
    return []


def check_table(raw: RawTable, mes: str, puntos: pd.DataFrame | None) -> list[Problema]:
    problems = missing_columns(raw, required_columns(raw.nombre))
    return problems + with_hints(run_schema(raw, schema(raw.nombre, mes, raw.datos, puntos)), puntos, raw.nombre)


def check_puntos(raw: RawTable) -> list[Problema]:
    sch = pa.DataFrameSchema({
        "nombre": pa.Column(TEXT, checks=[
            _no_vacio("está vacío: cada punto necesita su nombre"),
            _check(lambda s: (s == "") | ~normalize(s).duplicated(), "está repetido en el catálogo")]),
        "tipo": pa.Column(TEXT, _en(TIPOS_PUNTO, "no es un tipo de punto: sede_central, PAR o PAL")),
        "desde": pa.Column(TEXT, _check(lambda s: (s == "") | parse_dates(s).notna(),
                                       "no es una fecha AAAA-MM-DD ni DD/MM/AAAA (o vacío)"), required=False),
    })
    return missing_columns(raw, ("nombre", "tipo")) + run_schema(raw, sch)


def check_historico(raw: RawTable) -> list[Problema]:
    sch = pa.DataFrameSchema({
        "mes": pa.Column(TEXT, _check(lambda s: s.str.fullmatch(MES_RE.pattern).fillna(False).astype(bool),
                                     "no es un mes AAAA-MM")),
        "canal": pa.Column(TEXT, _en(CANALES, "no es un canal: presencial, telefonico o virtual")),
        "interacciones": pa.Column(TEXT, checks=_conteo()),
    })
    dup = raw.datos.assign(_k=raw.datos.get("mes", "") + "|" + normalize(raw.datos.get("canal", pd.Series(dtype=str))))
    problems = missing_columns(raw, HISTORICO_COLUMNS) + run_schema(raw, sch)
    for _, row in dup[dup["_k"].duplicated()].iterrows():
        problems.append(Problema(raw.archivo, int(row[LINE]), "canal", row["canal"],
                                 "está repetido para ese mes: un solo total por mes y canal"))
    return problems


__all__ = ["check_table", "check_puntos", "check_historico"]
