"""Sample data: turns the stated targets of ``sample_targets.yaml`` into the
contract's tables, deterministically (fixed seed), for the shipped months and
for synthetic large months used by the benchmarks.

    python -m anm_helpers.inputs.sample_data                 # every month of the targets
    python -m anm_helpers.inputs.sample_data --mes 2024-03   # one month
    python -m anm_helpers.inputs.sample_data --salida /tmp/x # somewhere else than data/
    python -m anm_helpers.inputs.sample_data --mes 2024-04 --como 2024-03
                                    # a month without targets, with another's (to try a new month)
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import yaml

from anm_helpers.core import config
from anm_helpers.core.reproducible import fix_zip_times
from anm_helpers.inputs.contract import (CALIFICACION, CATALOGO, CATEGORIA, CONTEO, FECHA, IDENTIFICADOR, PREGUNTAS,
                                         SI_NO, SPECS, TablaSpec)

CANAL_VISIBLE = {"presencial": "Presencial", "telefonico": "Telefónico"}
HOURS = {"presencial": (8, 17), "telefonico": (7, 19), "comunicaciones": (0, 24)}


def load_targets(path: Path = config.SAMPLE_TARGETS_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def month_rng(seed: int, mes: str) -> np.random.Generator:
    """One independent generator per month, so regenerating one month does
    not change the others."""
    digest = hashlib.sha256(f"{seed}:{mes}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def working_days(mes: str, desde: str | None = None) -> list[dt.date]:
    """Monday to Friday of the month that are not Colombian public holidays,
    from ``desde`` on when given."""
    first = dt.date.fromisoformat(f"{mes}-01")
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    festivos = holidays.Colombia(years=first.year)
    start = dt.date.fromisoformat(desde) if desde else first
    days = pd.date_range(max(first, start), last, freq="D").date
    return [d for d in days if d.weekday() < 5 and d not in festivos]


def timestamps(rng, days, n, hours) -> pd.Series:
    """``n`` sorted timestamps on the given days, inside working hours."""
    if n == 0:
        return pd.Series([], dtype="datetime64[ns]")
    day = pd.to_datetime(pd.Series(days)).to_numpy()[rng.integers(0, len(days), n)]
    lo, hi = hours
    seconds = rng.integers(lo * 3600, hi * 3600, n)
    seconds -= seconds % 60
    return pd.Series(np.sort(day + seconds.astype("timedelta64[s]")))


def scores_promedio(rng, n: int, valor: float) -> np.ndarray:
    """``n`` whole scores 1-5 whose (mean - 1) / 4 is the nearest reachable
    to ``valor``: the sum is fixed, then spread into a realistic mix."""
    total = int(round(n * (1 + 4 * valor)))
    scores = np.empty(n, dtype=int)
    if total / n >= 3:  # mostly fives; the deficit goes to a few low scores
        gap = 5 * n - total
        ones = (gap * 3 // 10) // 4
        gap -= 4 * ones
        threes = (gap * 3 // 10) // 2
        fours = gap - 2 * threes
        parts = [(1, ones), (3, threes), (4, fours)]
        base = 5
    else:  # mostly ones; the surplus goes to a few high scores
        gap = total - n
        fives = (gap * 3 // 10) // 4
        gap -= 4 * fives
        threes = (gap * 3 // 10) // 2
        twos = gap - 2 * threes
        parts = [(5, fives), (3, threes), (2, twos)]
        base = 1
    pos = 0
    for value, count in parts:
        scores[pos:pos + count] = value
        pos += count
    if pos > n:
        raise ValueError(f"target {valor} unreachable with {n} scores")
    scores[pos:] = base
    rng.shuffle(scores)
    return scores


def scores_top2(rng, n: int, favorables: int) -> np.ndarray:
    """``n`` whole scores 1-5 of which exactly ``favorables`` are 4 or 5."""
    high = rng.choice([4, 5], size=favorables, p=[0.15, 0.85])
    low = rng.choice([1, 2, 3], size=n - favorables, p=[0.4, 0.3, 0.3])
    scores = np.concatenate([high, low]).astype(int)
    rng.shuffle(scores)
    return scores


def _weights(mapping: dict) -> tuple[list, np.ndarray]:
    names = list(mapping)
    w = np.array([float(mapping[k]) for k in names])
    return names, w / w.sum()


def _open_points(puntos: list, mes: str, day: dt.date | None = None) -> list:
    limit = day or dt.date.fromisoformat(f"{mes}-01")
    return [p for p in puntos if not p[3] or dt.date.fromisoformat(p[3]) <= limit]


def build_atenciones(rng, mes: str, t: dict, puntos: list, tipos: dict) -> pd.DataFrame:
    frames = []
    for canal in ("presencial", "telefonico"):
        spec = t.get(canal) or {}
        n = int(spec.get("atendidas", 0))
        if n == 0:
            continue
        days = working_days(mes, spec.get("desde"))
        fecha = timestamps(rng, days, n, HOURS[canal])
        si = np.zeros(n, dtype=bool)
        si[rng.choice(n, int(spec["primer_contacto"]), replace=False)] = True
        names, p = _weights(tipos[canal])
        tipo = np.array(names, dtype=object)[rng.choice(len(names), n, p=p)]
        punto = np.full(n, "", dtype=object)
        if canal == "presencial":
            punto = _assign_points(rng, mes, fecha, spec.get("por_tipo_punto"), puntos)
        frames.append(pd.DataFrame({"fecha": fecha, "canal": canal, "punto": punto,
                                    "tipo": tipo, "primer_contacto": np.where(si, "si", "no")}))
    if not frames:
        return pd.DataFrame(columns=SPECS["atenciones"].columnas)
    df = pd.concat(frames).sort_values("fecha", kind="stable").reset_index(drop=True)
    df.insert(0, "id", [f"AT-{mes.replace('-', '')}-{i:06d}" for i in range(1, len(df) + 1)])
    return df


def _assign_points(rng, mes, fecha: pd.Series, por_tipo: dict | None, puntos: list) -> np.ndarray:
    """A point for each presencial row: open on that day, drawn by weight;
    with ``por_tipo`` the number of rows of each point type is exact.
    Vectorised per (day, type), so a million rows take a moment."""
    n = len(fecha)
    out = np.empty(n, dtype=object)
    days = fecha.dt.date.to_numpy()
    if por_tipo:
        kinds = np.concatenate([[k] * int(v) for k, v in por_tipo.items()]).astype(object)
        if len(kinds) != n:
            raise ValueError(f"{mes}: por_tipo_punto adds up to {len(kinds)}, not {n}")
        rng.shuffle(kinds)
    else:
        kinds = np.full(n, None, dtype=object)
    groups = pd.DataFrame({"day": days, "kind": kinds}).groupby(["day", "kind"], dropna=False, sort=True).indices
    for (day, kind), idx in groups.items():
        kind = None if pd.isna(kind) else kind
        cands = [p for p in _open_points(puntos, mes, day) if kind in (None, p[1])]
        w = np.array([p[4] for p in cands], dtype=float)
        names = np.array([p[0] for p in cands], dtype=object)
        out[idx] = names[rng.choice(len(cands), size=len(idx), p=w / w.sum())]
    return out


def build_llamadas(rng, mes: str, t: dict) -> pd.DataFrame:
    spec = t.get("llamadas")
    if not spec:
        return pd.DataFrame(columns=SPECS["llamadas"].columnas)
    days = working_days(mes, spec.get("desde"))
    entrantes = rng.multinomial(int(spec["entrantes"]), np.full(len(days), 1 / len(days)))
    contestadas = rng.multivariate_hypergeometric(entrantes, int(spec["contestadas"]))
    return pd.DataFrame({"fecha": pd.to_datetime(pd.Series(days)),
                         "entrantes": entrantes, "contestadas": contestadas})


def build_encuestas(rng, mes: str, t: dict) -> pd.DataFrame:
    spec = t.get("encuestas") or {}
    preguntas = [p for p in PREGUNTAS if p != "claridad" or spec.get("claridad")]
    frames = []
    for canal in ("presencial", "telefonico", "virtual"):
        qs = spec.get(canal)
        if not qs:
            continue
        rows = max(int(q["califican"]) for q in qs.values())
        days = working_days(mes, (t.get(canal) or {}).get("desde"))
        frame = pd.DataFrame({"fecha": timestamps(rng, days, rows, HOURS.get(canal, (7, 19))),
                              "canal": canal})
        for pregunta in preguntas:
            q = qs.get(pregunta)
            col = np.full(rows, "", dtype=object)
            if q:
                n = int(q["califican"])
                scores = (scores_top2(rng, n, int(q["top2"])) if "top2" in q
                          else scores_promedio(rng, n, float(q["promedio"])))
                col[np.sort(rng.choice(rows, n, replace=False))] = scores.astype(str)
            frame[pregunta] = col
        frames.append(frame)
    columns = [c for c in SPECS["encuestas"].columnas if c in ("id", "fecha", "canal") or c in preguntas]
    if not frames:
        return pd.DataFrame(columns=columns)
    df = pd.concat(frames).sort_values("fecha", kind="stable").reset_index(drop=True)
    df.insert(0, "id", [f"EN-{mes.replace('-', '')}-{i:06d}" for i in range(1, len(df) + 1)])
    return df[columns]


def build_comunicaciones(rng, mes: str, t: dict) -> pd.DataFrame:
    spec = t.get("comunicaciones") or {}
    frames = []
    for sentido in ("entrada", "salida"):
        for medio, n in (spec.get(sentido) or {}).items():
            fecha = timestamps(rng, working_days(mes), int(n), HOURS["comunicaciones"])
            frames.append(pd.DataFrame({"fecha": fecha, "medio": medio, "sentido": sentido}))
    if not frames:
        return pd.DataFrame(columns=SPECS["comunicaciones"].columnas)
    df = pd.concat(frames).sort_values("fecha", kind="stable").reset_index(drop=True)
    df.insert(0, "id", [f"CO-{mes.replace('-', '')}-{i:06d}" for i in range(1, len(df) + 1)])
    return df


def _format_dates(s: pd.Series, style: str, with_time: bool) -> pd.Series:
    if s.empty:
        return s.astype(object)
    if style == "dmy":
        return s.dt.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    return s.dt.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def write_table(df: pd.DataFrame, folder: Path, name: str, fmt: dict | None) -> Path:
    """Write one table as the agency's systems would export it."""
    fmt = fmt or {}
    df = df.copy()
    if "fecha" in df:
        if fmt.get("archivo") != "xlsx":
            df["fecha"] = _format_dates(df["fecha"], fmt.get("fecha", "iso"), name != "llamadas")
    if fmt.get("etiquetas") == "visibles" and not df.empty:
        df["canal"] = df["canal"].map(CANAL_VISIBLE)
        df["primer_contacto"] = df["primer_contacto"].map({"si": "Sí", "no": "No"})
    folder.mkdir(parents=True, exist_ok=True)
    for stale in (folder / f"{name}.csv", folder / f"{name}.xlsx"):
        stale.unlink(missing_ok=True)
    if fmt.get("archivo") == "xlsx":
        path = folder / f"{name}.xlsx"
        _write_xlsx(df, path)
        return path
    path = folder / f"{name}.csv"
    with open(path, "w", encoding=fmt.get("codificacion", "utf-8"), newline="") as fh:
        df.to_csv(fh, sep=fmt.get("separador", ","), index=False, lineterminator="\n",
                  quoting=csv.QUOTE_MINIMAL)
    return path


def _write_xlsx(df: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = path.stem
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else
                   (int(v) if isinstance(v, np.integer) else v) for v in row])
    if "fecha" in df.columns:
        for cell in ws["A"][1:]:
            cell.number_format = "yyyy-mm-dd"
    fixed = dt.datetime(2024, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.save(path)
    fix_zip_times(path, fixed)


def write_puntos(puntos: list, folder: Path) -> Path:
    path = folder / config.PUNTOS_FILE
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([p[:4] for p in puntos], columns=["nombre", "tipo", "ciudad", "desde"]).to_csv(
        path, index=False, lineterminator="\n")
    return path


def generate_month(targets: dict, mes: str, out_dir: Path) -> list[Path]:
    t = targets["meses"][mes]
    rng = month_rng(int(targets["semilla"]), mes)
    folder = out_dir / mes
    if t.get("vacio"):
        t = {"encuestas": t.get("encuestas", {})}
    tables = {nombre: BUILDERS[nombre](rng, mes, t, targets) if nombre in BUILDERS
              else build_generic(rng, mes, spec, t.get(nombre, {}), targets["puntos"])
              for nombre, spec in SPECS.items()}
    formatos = t.get("formatos") or (targets["meses"][mes].get("formatos") or {})
    return [write_table(df, folder, name, formatos.get(name)) for name, df in tables.items()]


#: the tables whose sample reproduces the published figures (``sample_targets.yaml``); any
#: other table of the registry gets ``build_generic``'s rows
BUILDERS = {
    "atenciones": lambda rng, mes, t, targets: build_atenciones(rng, mes, t, targets["puntos"], targets["tipos"]),
    "llamadas": lambda rng, mes, t, targets: build_llamadas(rng, mes, t),
    "encuestas": lambda rng, mes, t, targets: build_encuestas(rng, mes, t),
    "comunicaciones": lambda rng, mes, t, targets: build_comunicaciones(rng, mes, t),
}


def build_generic(rng, mes: str, spec: TablaSpec, t: dict, puntos: list) -> pd.DataFrame:
    """Valid rows of any table of the registry from its columns' kinds (``filas`` of the
    month's targets for it, 20 by default): a new table has sample data from day one."""
    n = int(t.get("filas", 20))
    days = working_days(mes)
    out = {}
    for c in spec.columnas_:
        if c.tipo == IDENTIFICADOR:
            out[c.nombre] = [f"{spec.nombre[:2].upper()}-{mes.replace('-', '')}-{i + 1:06d}" for i in range(n)]
        elif c.tipo == FECHA:
            out[c.nombre] = timestamps(rng, days, n, (8, 17)).to_numpy()  # write_table writes them as dates
        elif c.tipo == CONTEO:
            out[c.nombre] = rng.integers(0, 100, n)
        elif c.tipo == CALIFICACION:
            out[c.nombre] = rng.integers(1, 6, n).astype(str)
        elif c.tipo == SI_NO:
            out[c.nombre] = rng.choice(["si", "no"], n)
        elif c.tipo == CATEGORIA and c.valores == CATALOGO:
            out[c.nombre] = rng.choice([p[0] for p in _open_points(puntos, mes)], n)
        elif c.tipo == CATEGORIA and c.valores:
            out[c.nombre] = rng.choice(list(c.valores), n)
        else:
            out[c.nombre] = [f"Tema {k}" for k in rng.integers(1, 6, n)]
    return pd.DataFrame(out)


def large_targets(interacciones: int = 1_000_000, comunicaciones: int = 1_000_000,
                  encuestas: int = 300_000) -> dict:
    """Targets of a synthetic month about a hundred times a real one (benchmarks):
    ``interacciones`` attended (60% presencial), ``comunicaciones`` (90% incoming)
    and ``encuestas`` survey responses (two thirds presencial), 2026 survey."""
    presencial, telefonico = interacciones * 6 // 10, interacciones - interacciones * 6 // 10
    entrada = comunicaciones * 9 // 10
    enc_p, enc_t = encuestas * 2 // 3, encuestas - encuestas * 2 // 3
    q = lambda n, share: {"califican": n, "top2": int(n * share)}  # noqa: E731
    return {
        "presencial": {"atendidas": presencial, "primer_contacto": presencial * 93 // 100},
        "telefonico": {"atendidas": telefonico, "primer_contacto": telefonico * 62 // 100},
        "llamadas": {"entrantes": telefonico * 16 // 10, "contestadas": telefonico * 11 // 10},
        "comunicaciones": {"entrada": {"correo_contacto": entrada // 3, "radicador_web": entrada - entrada // 3},
                           "salida": {"correo_contacto": comunicaciones - entrada}},
        "encuestas": {
            "claridad": True,
            "presencial": {k: q(enc_p, 0.97) for k in ("satisfaccion", "percepcion", "confianza", "claridad")},
            "telefonico": {"satisfaccion": q(enc_t, 0.85), "percepcion": q(enc_t * 95 // 100, 0.86),
                           "confianza": q(enc_t * 9 // 10, 0.84), "claridad": q(enc_t * 9 // 10, 0.83)},
        },
    }


def generate(out_dir: Path = config.DATA_DIR, months: list[str] | None = None,
             targets: dict | None = None) -> list[Path]:
    targets = targets or load_targets()
    written = [write_puntos(targets["puntos"], out_dir)]
    for mes in months or list(targets["meses"]):
        written += generate_month(targets, mes, out_dir)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mes", action="append", help="YYYY-MM (repeatable); default: all")
    parser.add_argument("--salida", type=Path, default=config.DATA_DIR, help="folder (default data/)")
    parser.add_argument("--como", metavar="YYYY-MM", help="write each --mes with the targets of this month")
    parser.add_argument("--grande", action="store_true",
                        help="write each --mes as a synthetic month of 1,000,000 interactions, 1,000,000 "
                             "communications and 300,000 survey responses (benchmarks)")
    args = parser.parse_args(argv)
    targets = None
    if args.grande:
        if not args.mes:
            parser.error("--grande needs --mes")
        targets = load_targets()
        for mes in args.mes:
            targets["meses"][mes] = large_targets()
    elif args.como:
        if not args.mes:
            parser.error("--como needs --mes")
        targets = load_targets()
        for mes in args.mes:
            targets["meses"][mes] = targets["meses"][args.como]
    for path in generate(args.salida, args.mes, targets):
        print(path)


if __name__ == "__main__":
    main()
