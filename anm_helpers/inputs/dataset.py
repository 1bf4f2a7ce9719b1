"""A month's data, read and checked once per build, as typed frames.

``load_report_data(mes)`` reads everything a report rests on (the month, the
earlier months of its year, the previous month, the points catalogue and the
history file), checks all of it, and raises ``DatosInvalidos`` with every
problem at once; nothing is rendered from data that failed a check.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from anm_helpers.core import config
from anm_helpers.inputs.contract import (CALIFICACION, CATALOGO, CATEGORIA, CONTEO, FALSO, FECHA, HISTORICO_COLUMNS,
                                         PUNTOS_COLUMNS, SI_NO, SPECS, TIPOS_PUNTO)
from anm_helpers.core.errors import DatosInvalidos, Problema
from anm_helpers.core.text import normalize_text
from anm_helpers.inputs.reading.files import display_name, find_export
from anm_helpers.inputs.reading.read import RawTable, prepare, read_table
from anm_helpers.inputs.reading.series import categorize, dictionary_codes, normalize, parse_dates, recode
from anm_helpers.inputs.reading.table import LINE
from anm_helpers.inputs.validate import check_historico, check_puntos, check_table


@dataclass(frozen=True)
class InputFile:
    """An input file the figures rest on (shown on the data-quality slide)."""

    archivo: str
    #: None for a mapping file (``fuentes.yaml``), which has no rows of data
    filas: int | None
    sha256: str
    #: values cleaned beyond trimming at read time, per column (``load``)
    normalizados: dict = field(default_factory=dict)
    #: the contract table it holds (its name may be the platform's own)
    tabla: str = ""


@dataclass
class MonthData:
    """The tables of one month, typed, by name (every table of ``contract.SPECS``;
    ``month.atenciones`` is ``month.tablas["atenciones"]``). Categories are normalised
    (``canal`` is ``presencial``, never ``Presencial``)."""

    mes: str
    tablas: dict[str, pd.DataFrame] = field(default_factory=dict)
    archivos: list[InputFile] = field(default_factory=list)
    #: tables with no file this month (the report's month is then built as a draft)
    faltantes: list[str] = field(default_factory=list)
    #: the mapping files (``fuentes.yaml``) some table of the month was read with
    mapeos: list[InputFile] = field(default_factory=list)
    #: (table, mapping file) read as the contract says: the mapping's pattern matched
    #: nothing and the folder holds the contract's own file
    sin_mapeo: list[tuple[str, str]] = field(default_factory=list)
    #: (table, file read, contract-named files not read): both the mapping's pattern and the contract's name matched
    no_leidos: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    #: values ignored because their row does not use the column (``ignored_values``)
    ignorados: list[dict] = field(default_factory=list)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tablas = self.__dict__.get("tablas") or {}
        if name in tablas:
            return tablas[name]
        raise AttributeError(name)

    @classmethod
    def vacio(cls, mes: str) -> "MonthData":
        """A month with every table of the registry empty."""
        return cls(mes, {nombre: empty_table(nombre) for nombre in SPECS})


@dataclass
class ReportData:
    """Everything the report of ``mes`` rests on."""

    mes: str
    actual: MonthData
    #: earlier months of the year, January first; None where no folder exists
    anteriores: dict[str, MonthData | None]
    #: the month before ``mes`` (may be December of the year before), or None
    mes_anterior: MonthData | None
    puntos: pd.DataFrame
    historico: pd.DataFrame | None
    archivos: list[InputFile] = field(default_factory=list)
    #: the mapping files (``fuentes.yaml``, shared and of a month) some table read was read with
    mapeos: list[InputFile] = field(default_factory=list)

    def meses(self) -> list[MonthData]:
        """Every month read (the report's, the earlier ones of its year, the one before), oldest first."""
        found = {m.mes: m for m in [*self.anteriores.values(), self.mes_anterior, self.actual] if m is not None}
        return [found[k] for k in sorted(found)]


def previous_month(mes: str) -> str:
    return (pd.Period(mes, "M") - 1).strftime("%Y-%m")


def months_of_year_until(mes: str) -> list[str]:
    p = pd.Period(mes, "M")
    return [pd.Period(year=p.year, month=m, freq="M").strftime("%Y-%m") for m in range(1, p.month + 1)]


def _fingerprint(raw: RawTable) -> InputFile:
    return InputFile(raw.archivo, len(raw.datos), raw.sha256, dict(raw.normalizados), raw.nombre)


def load_puntos(data_dir: Path | None = None) -> tuple[pd.DataFrame | None, list[Problema], list[InputFile]]:
    """The catalogue of attention points, with ``clave`` (the normalised name)."""
    path = (data_dir or config.DATA_DIR) / config.PUNTOS_FILE
    if not path.exists():
        return None, [Problema(config.PUNTOS_FILE, None, None, None,
                               "falta el catálogo de puntos de atención (nombre, tipo, ciudad, desde)")], []
    raw, problems = read_table(path, "puntos", PUNTOS_COLUMNS)
    if raw is None:
        return None, problems, []
    problems += check_puntos(raw)
    if problems:
        return None, problems, [_fingerprint(raw)]
    df = raw.datos.copy()
    canon = {t.lower(): t for t in TIPOS_PUNTO}
    df["tipo"] = normalize(df["tipo"]).map(canon)
    df["clave"] = normalize(df["nombre"])
    df["desde"] = parse_dates(df["desde"]) if "desde" in df else pd.NaT
    if "ciudad" not in df:
        df["ciudad"] = ""
    return df[["nombre", "tipo", "ciudad", "desde", "clave"]], [], [_fingerprint(raw)]


def load_historico(data_dir: Path | None = None) -> tuple[pd.DataFrame | None, list[Problema], list[InputFile]]:
    """``data/historico.csv`` (optional): monthly channel totals of months without a folder."""
    path = (data_dir or config.DATA_DIR) / config.HISTORICO_FILE
    if not path.exists():
        return None, [], []
    raw, problems = read_table(path, "historico", HISTORICO_COLUMNS)
    if raw is None:
        return None, problems, []
    problems += check_historico(raw)
    if problems:
        return None, problems, [_fingerprint(raw)]
    df = raw.datos.copy()
    df["canal"] = normalize(df["canal"])
    df["interacciones"] = df["interacciones"].astype(int)
    return df[["mes", "canal", "interacciones"]], [], [_fingerprint(raw)]


def _typed(nombre: str, df: pd.DataFrame, puntos: pd.DataFrame | None) -> pd.DataFrame:
    """Typed columns from the checked text, by each column's kind in the registry, reusing
    what ``load.prepare`` parsed. Categories are pandas categoricals: count them with
    ``observed=True`` or drop zeros (see ``metrics``); a point of the catalogue brings its
    type (``tipo_punto``) in the rows that use it (``TablaSpec.solo_en``)."""
    spec = SPECS[nombre]
    cols = {c: df[c] for c in df.columns if not c.startswith("_") or c == LINE}

    def norm(col: str) -> pd.Series:
        return df[f"_n_{col}"] if f"_n_{col}" in df else categorize(df[col])

    for c in spec.columnas_:
        if c.nombre not in df:
            continue
        if c.tipo == FECHA:
            cols[c.nombre] = df["_fecha"] if "_fecha" in df else parse_dates(df[c.nombre])
        elif c.tipo == CONTEO:
            cols[c.nombre] = df[c.nombre].astype("int64")
        elif c.tipo == CALIFICACION:
            cols[c.nombre] = _scores(df[c.nombre])
        elif c.tipo == SI_NO:
            flag = norm(c.nombre)
            yes = ~flag.cat.categories.isin(FALSO)
            cols[c.nombre] = pd.Series(yes[flag.cat.codes.to_numpy()], index=df.index)
        elif c.tipo == CATEGORIA and c.valores == CATALOGO:
            if puntos is not None:
                key, by_key = norm(c.nombre), puntos.set_index("clave")
                decide, usan = spec.solo_en.get(c.nombre, (None, ()))
                used = norm(decide).isin(usan).to_numpy() if decide in df else np.ones(len(df), bool)
                cols[c.nombre] = recode(key, by_key["nombre"], used)
                cols[f"tipo_{c.nombre}"] = recode(key, by_key["tipo"], used)
        elif c.tipo == CATEGORIA and c.valores:
            cols[c.nombre] = norm(c.nombre)
        elif c.tipo == CATEGORIA:  # any value: shown as most often written
            cols[c.nombre] = _shown(df[c.nombre], norm(c.nombre))
    return pd.DataFrame(cols, index=df.index, copy=False)


def _shown(text: pd.Series, key: pd.Series) -> pd.Series:
    """The same topic written differently is one topic, shown as most often
    written (on a tie, as first written in the file)."""
    codes, uniques = dictionary_codes(text)
    if not len(uniques):
        return key
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    best: dict[str, tuple[int, int]] = {}
    for i, u in enumerate(uniques):
        k = normalize_text(u)
        if k not in best or counts[i] > best[k][0]:
            best[k] = (int(counts[i]), i)
    return recode(key, {k: uniques[i] for k, (_, i) in best.items()})


def _scores(s: pd.Series) -> pd.Series:
    """Checked survey scores (``""`` or 1 to 5) as nullable small integers."""
    codes, uniques = dictionary_codes(s)
    lut = np.array([int(u) if u else 0 for u in uniques] + [0], dtype=np.int8)
    blank = np.array([not u for u in uniques] + [True])
    return pd.Series(pd.arrays.IntegerArray(lut[codes], blank[codes]), index=s.index)


def empty_table(nombre: str) -> pd.DataFrame:
    """A table with no rows, typed like a read one (a month with no file for it): its
    required columns, and what the catalogue adds to a read table."""
    spec = SPECS[nombre]
    df = _typed(nombre, pd.DataFrame({c: pd.Series(dtype=str) for c in spec.requeridas}), None)
    for c in spec.columnas_:
        if c.tipo == CATEGORIA and c.valores == CATALOGO:
            df[f"tipo_{c.nombre}"] = pd.Series(pd.Categorical([], categories=pd.Index([], dtype=object)),
                                               index=df.index)
    return df


def load_month(mes: str, puntos: pd.DataFrame | None, data_dir: Path | None = None, borrador: bool = False,
               compartido: dict | None = None) -> tuple[MonthData | None, list[Problema]]:
    """Read and check the four tables of ``data/<mes>/``, as ``fuentes.yaml``
    says they are laid out (``fuentes``); None if there is no folder. With
    ``borrador`` (the report's own month), a table with no file is an empty
    table listed in ``faltantes`` (the month is unfinished), not a problem.
    ``compartido``: the shared ``fuentes.yaml``, already read once by the caller."""
    from anm_helpers.inputs.mappings import load_fuentes

    folder = (data_dir or config.DATA_DIR) / mes
    if not folder.is_dir():
        return None, []
    fuentes, problems = load_fuentes(mes, data_dir, set(puntos["clave"]) if puntos is not None else None, compartido)
    tables: dict[str, pd.DataFrame] = {}
    files: list[InputFile] = []
    faltantes: list[str] = []
    mapeos: dict[str, InputFile] = {}
    sin_mapeo, no_leidos, ignorados = [], [], []
    for nombre in SPECS:
        hallado = find_export(folder, nombre, fuentes.get(nombre))
        path, found, fuente = hallado.ruta, hallado.problemas, hallado.fuente
        if hallado.sin_mapeo:
            sin_mapeo.append((nombre, fuentes[nombre].origen))
        if path is not None and hallado.no_leidos:
            no_leidos.append((nombre, display_name(path), tuple(display_name(p) for p in hallado.no_leidos)))
        if path is None and borrador and found and found[0].regla.startswith("falta el archivo"):
            faltantes.append(nombre)
            tables[nombre] = empty_table(nombre)
            continue
        if path is None:
            problems += [Problema(f"{mes}/{p.archivo}" if "/" not in p.archivo and not p.archivo.endswith(".yaml")
                                  else p.archivo, p.linea, p.columna, p.valor, p.regla) for p in found]
            continue
        raw, read_problems = read_table(path, nombre, SPECS[nombre].columnas, mes, fuente)
        if fuente is not None:
            mapeos.setdefault(fuente.origen, InputFile(fuente.origen, None, fuente.sha256, {}, ""))
        problems += read_problems
        if raw is None:
            continue
        files.append(_fingerprint(raw))
        prepare(raw)
        # a cell already reported as unreadable text is not reported again by the rules
        unreadable = {(p.linea, p.columna) for p in read_problems}
        table_problems = [p for p in check_table(raw, mes, puntos) if (p.linea, p.columna) not in unreadable]
        problems += table_problems
        if not table_problems and not read_problems:
            tables[nombre] = _typed(nombre, raw.datos, puntos)
            ignorados += ignored_values(raw)
    if problems:
        return None, problems
    return MonthData(mes, tables, archivos=files, faltantes=faltantes, mapeos=list(mapeos.values()),
                     sin_mapeo=sin_mapeo, no_leidos=no_leidos, ignorados=ignorados), []


def ignored_values(raw: RawTable) -> list[dict]:
    """Values in a column their row does not use (``TablaSpec.solo_en``: the point of
    a phone interaction), which the figures ignore: per column, each distinct
    value with its rows' count and first lines, and the channels of those rows."""
    spec = SPECS.get(raw.nombre)
    df = raw.datos
    out = []
    for columna, (decide, usan) in (spec.solo_en.items() if spec else ()):
        if columna not in df or f"_n_{decide}" not in df:
            continue
        value = df[f"_n_{columna}"] if f"_n_{columna}" in df else categorize(df[columna])
        unused = (~df[f"_n_{decide}"].isin(usan) & (value != "")).to_numpy()
        if not unused.any():
            continue
        rows = df.loc[unused, [columna, decide, LINE]]
        valores = []
        for texto, group in rows.groupby(rows[columna].astype(str), sort=False):
            valores.append({"valor": texto, "filas": len(group), "lineas": [int(x) for x in group[LINE].head(5)]})
        valores.sort(key=lambda v: (-v["filas"], v["lineas"][0]))
        out.append({"archivo": raw.archivo, "tabla": raw.nombre, "columna": columna, "filas": int(unused.sum()),
                    "segun": decide, "valores_segun": sorted(set(normalize(rows[decide]))),
                    "mapeo": raw.fuente.origen if raw.fuente is not None else None, "valores": valores})
    return out


def load_report_data(mes: str, data_dir: Path | None = None) -> ReportData:
    """Read and check all the report of ``mes`` rests on; ``DatosInvalidos`` lists every problem."""
    puntos, problems, files = load_puntos(data_dir)
    historico, hist_problems, hist_files = load_historico(data_dir)
    problems += hist_problems
    files += hist_files
    from anm_helpers.inputs.mappings import load_shared

    compartido, mapping_problems = load_shared(data_dir, set(puntos["clave"]) if puntos is not None else None)
    problems += mapping_problems  # read and said once, for every month it applies to
    months: dict[str, MonthData | None] = {}
    wanted = months_of_year_until(mes)
    prev = previous_month(mes)
    for m in dict.fromkeys([prev] + wanted):
        data, month_problems = load_month(m, puntos, data_dir, borrador=m == mes, compartido=compartido)
        problems += month_problems
        months[m] = data
    if not problems and months[mes] is None:
        folder = display_name((data_dir or config.DATA_DIR) / mes)
        problems.append(Problema(folder, None, None, None, f"no hay carpeta de datos para {mes}"))
    if problems:
        raise DatosInvalidos(problems)
    actual = months[mes]
    for m in wanted:
        if months[m] is not None:
            files += months[m].archivos
    mapeos: dict[str, InputFile] = {}
    for m in sorted(k for k, v in months.items() if v is not None):  # the shared file first, then each month's
        for f in sorted(months[m].mapeos, key=lambda f: "/" in f.archivo):
            mapeos.setdefault(f.archivo, f)
    return ReportData(mes=mes, actual=actual, anteriores={m: months[m] for m in wanted[:-1]},
                      mes_anterior=months[prev], puntos=puntos, historico=historico, archivos=files,
                      mapeos=sorted(mapeos.values(), key=lambda f: "/" in f.archivo))
