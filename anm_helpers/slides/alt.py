"""Text alternatives: one sentence per chart or table, saying what it is (the
kind of chart and its subject) and then its figures in es-CO format, e.g.
``Gráfico de barras, interacciones por punto de atención: PAR Cali: 120; …``.

The slide model (``modelo``) keeps the sentence with the chart; the deck shows
it to screen readers (``aria-label`` and a visually hidden caption) and the
PowerPoint puts it in the chart's alternative text (``descr``): both outputs
read the same words.
"""
from __future__ import annotations

from anm_helpers.core.fmt import numero

#: how each kind of chart is named at the start of its sentence
TIPO_GRAFICO = {
    "barras": "Gráfico de barras",
    "columnas": "Gráfico de columnas",
    "meses": "Gráfico de columnas agrupadas",
    "anillo": "Gráfico de anillo",
}


def grafico(forma: str, tema: str, categorias: list[str], series: list[dict],
            porcentajes: list[str] | None = None, total: int | None = None, formato=numero) -> str:
    """The sentence of a chart: its kind and ``tema`` (subject), then each
    category with its value (several series: each series' name and value;
    a ring: each part's count, its share and the total). Missing values read
    "sin datos". ``formato``: how a value reads (default: a count, ``fmt.numero``)."""
    inicio = f"{TIPO_GRAFICO[forma]}, {tema}"
    if total is not None:
        inicio += f" (total {numero(total)})"
    if len(series) == 1:
        valores = series[0]["valores"]
        partes = [f"{c}: {formato(v)}" + (f" ({porcentajes[i]})" if porcentajes else "")
                  for i, (c, v) in enumerate(zip(categorias, valores))]
    else:
        partes = [f"{c}: " + ", ".join(f"{s['nombre']} {formato(s['valores'][i])}" for s in series)
                  for i, c in enumerate(categorias)]
    return f"{inicio}: " + "; ".join(partes)


def tabla(tema: str, filas: int) -> str:
    """The sentence of a table: its subject and how many rows it has."""
    return f"Tabla, {tema}: {numero(filas)} fila{'' if filas == 1 else 's'}"
