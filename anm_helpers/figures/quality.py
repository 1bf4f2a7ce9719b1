"""Warnings about data that is valid but suspicious. They do not stop the
build: it prints them, and the deck's data-quality slide shows them with the
input files the figures rest on."""
from __future__ import annotations

import numpy as np
import pandas as pd

from anm_helpers.inputs.contract import PREGUNTAS, SPECS
from anm_helpers.inputs.dataset import ReportData
from anm_helpers.core.fmt import numero



def _archivo(r: ReportData, tabla: str) -> str:
    for f in r.actual.archivos:
        if f.tabla == tabla:
            return f.archivo
    return f"{r.mes}/{tabla}"


def avisos(r: ReportData) -> list[str]:
    """Suspicious but valid facts of the report's month, in the analysts' words."""
    m = r.actual
    out: list[str] = []
    telefonico = int((m.atenciones["canal"] == "telefonico").sum())
    contestadas = int(m.llamadas["contestadas"].sum())
    if telefonico > contestadas:
        out.append(f"{_archivo(r, 'atenciones')}: hay {numero(telefonico)} interacciones telefónicas registradas "
                   f"pero solo {numero(contestadas)} llamadas contestadas en {_archivo(r, 'llamadas')}")

    atendidas = {"presencial": int((m.atenciones["canal"] == "presencial").sum()), "telefonico": telefonico,
                 "virtual": int(len(m.comunicaciones))}
    for canal, n in atendidas.items():
        rows = (m.encuestas["canal"] == canal).to_numpy()
        for q in (q for q in PREGUNTAS if q in m.encuestas):
            raters = int(m.encuestas[q][rows].notna().sum())
            if raters > n:
                out.append(f"{_archivo(r, 'encuestas')}: califican {numero(raters)} personas "
                           f"la pregunta {q} en el canal {canal}, más que las {numero(n)} atendidas")

    sizes = {t: len(m.tablas[t]) for t in SPECS}
    if any(sizes.values()):
        for tabla, n in sizes.items():
            if n == 0 and tabla not in m.faltantes:
                out.append(f"{_archivo(r, tabla)}: la tabla está vacía (solo encabezados) aunque el mes "
                           "tiene actividad en otras tablas")

    out += _puntos_antes_de_apertura(r)
    out += ignorados(r.actual.ignorados)
    return out


def ignorados(found: list[dict]) -> list[str]:
    """One warning per file and column holding values its rows do not use (the
    point of a phone interaction): the figures ignore them, and an unknown
    value there would otherwise pass without a word."""
    out = []
    for f in found:
        shown = [f"«{v['valor']}» ({numero(v['filas'])}: {_lineas(f['archivo'], v['lineas'], v['filas'])})"
                 for v in f["valores"][:3]]
        if len(f["valores"]) > 3:
            shown.append(f"y {len(f['valores']) - 3} valor(es) más")
        canales = " ni ".join(f["valores_segun"])
        fix = (f"llévelos a vacío en {f['mapeo']} ({f['tabla']} › valores › {f['columna']}, p. ej. "
               f"\"{f['valores'][0]['valor']}\": \"\")") if f["mapeo"] else "déjelos vacíos en la exportación"
        out.append(f"{f['archivo']}: {numero(f['filas'])} fila(s) del {f['segun']} {canales} traen {f['columna']}, "
                   f"que ese {f['segun']} no usa: las cifras lo ignoran. Valores: {', '.join(shown)}. Si no son un "
                   f"error de la exportación, {fix}")
    return out


def _lineas(archivo: str, lineas: list[int], filas: int) -> str:
    word = "fila" if archivo.endswith(".xlsx") else "línea"
    listed = ", ".join(str(x) for x in lineas)
    return f"{word if filas == 1 else word + 's'} {listed}{'…' if filas > len(lineas) else ''}"


def notas(r: ReportData) -> list[str]:
    """How the files were found, said once for the whole build: the tables of
    months read as the contract says because the mapping's pattern matched
    nothing there and the contract's own file was there (months kept in contract
    shape under a shared ``fuentes.yaml``), and, where both matched, which file
    was taken."""
    out = []
    grupos: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    meses = r.meses()
    for m in meses:
        por_mapeo: dict[str, list[str]] = {}
        for tabla, origen in m.sin_mapeo:
            por_mapeo.setdefault(origen, []).append(tabla)
        for origen, tablas in por_mapeo.items():
            grupos.setdefault((origen, tuple(tablas)), []).append(m.mes)
    for (origen, tablas), en in grupos.items():
        uno = len(tablas) == 1
        out.append(f"{origen} no se aplicó a {_y(list(tablas))} de {_y(en)}: ahí no hay ningún archivo que "
                   f"coincida con su «archivo» y sí {'el archivo' if uno else 'los archivos'} con el nombre del "
                   f"contrato, que se {'leyó' if uno else 'leyeron'} como dice el contrato")
    for m in meses:
        for tabla, tomado, dejados in m.no_leidos:
            out.append(f"{tomado}: se leyó como {tabla} (coincide con el «archivo» de fuentes.yaml); "
                       f"{_y(list(dejados))} no se leyó: bórrelo si sobra")
    return out


def _y(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]


#: what ``make new-month`` writes where a text is still to be written
PENDIENTE = "POR COMPLETAR"


def borrador(r: ReportData, params: dict) -> list[str]:
    """Why the month is unfinished (the deck is then marked BORRADOR): a table
    with no file, a table with only its header row, params texts still saying
    «POR COMPLETAR», analysts' figures still empty."""
    out = [f"{r.mes}/: falta la tabla {t} (sin archivo): se construye vacía" for t in r.actual.faltantes]
    for f in r.actual.archivos:
        if f.filas == 0:
            out.append(f"{f.archivo}: solo tiene la fila de encabezados")
    if params.get("archivo"):
        textos = list((params.get("comentarios") or {}).values())
        for bloque in params.get("entregas_valor") or []:
            textos += [bloque.get("titulo", "")] + list(bloque.get("items") or [])
        pendientes = sum(PENDIENTE in str(t) for t in textos)
        if pendientes:
            out.append(f"{params['archivo']}: {pendientes} texto(s) dicen «{PENDIENTE}»")
        vacias = [k for k, v in (params.get("cifras_analistas") or {}).items() if v is None]
        if vacias:
            out.append(f"{params['archivo']}: cifras_analistas sin valor: {', '.join(vacias)}")
    return out


def normalizaciones(archivos: list[dict]) -> list[str]:
    """One line per file whose values were cleaned at read time beyond trimming
    (``texto.clean_text``), with the count per column: those values count where
    they belong, and the analyst learns the export carries look-alike text."""
    out = []
    for f in archivos:
        counts = sorted((f.get("normalizados") or {}).items())
        if not counts:
            continue
        parts = [f"{numero(n)} en la columna {columna}" for columna, n in counts]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " y " + parts[-1]
        out.append(f"{f['archivo']}: {listed}, valores con caracteres invisibles, espacios de más o acentos "
                   "descompuestos, normalizados al leer")
    return out


def _puntos_antes_de_apertura(r: ReportData) -> list[str]:
    at = r.actual.atenciones
    if at.empty or r.puntos is None or "desde" not in r.puntos:
        return []
    opening = r.puntos.set_index("nombre")["desde"]
    columns = [c for c in ("punto", "fecha", "_linea") if c in at]
    rows = at[columns][(at["canal"] == "presencial").to_numpy()]
    punto = rows["punto"].astype("category")
    by_code = np.append(opening.reindex(punto.cat.categories).to_numpy(dtype="datetime64[ns]"),
                        np.datetime64("NaT", "ns"))  # code -1: no point
    desde = by_code[punto.cat.codes.to_numpy()]
    early = rows[~np.isnat(desde) & (rows["fecha"].to_numpy() < desde)]
    out = []
    for punto, group in early.groupby("punto", observed=True):
        first = pd.Timestamp(opening[punto]).date().isoformat()
        lines = ", ".join(str(x) for x in group["_linea"].head(5)) if "_linea" in group else ""
        more = f" (líneas {lines}{'…' if len(group) > 5 else ''})" if lines else ""
        out.append(f"{_archivo(r, 'atenciones')}: {numero(len(group))} atención(es) en {punto} antes de su apertura "
                   f"el {first}{more}")
    return out


def params_draft_lines(mes: str, params: dict) -> list[str]:
    """The draft lines the params alone cause («POR COMPLETAR», empty figures): what
    ``borrador`` says of a month with every table present."""
    from types import SimpleNamespace

    return borrador(SimpleNamespace(mes=mes, actual=SimpleNamespace(faltantes=[], archivos=[])), params)
