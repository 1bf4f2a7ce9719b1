"""Charts of the deck (matplotlib, rendered to inline SVG): value labels on the
bars in es-CO format, Spanish labels, one colour per channel, no chart junk.
Each function returns the SVG markup; ``seccion`` wraps it with its text
alternative."""
from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from anm_helpers.core import palette  # noqa: E402
from anm_helpers.core.fmt import numero, porcentaje  # noqa: E402

#: One colour per channel, used everywhere (cards, charts). Distinct in grey too.
COLORES = {canal: palette.css(color) for canal, color in palette.CHANNELS.items()}
GRIS = palette.css(palette.GREY)
TINTA = palette.css(palette.INK)
#: longest category label drawn on a chart; a longer one is shortened with "…"
#: (the full label is in the chart's text alternative, see ``seccion``)
MAX_ETIQUETA = 40

plt.rcParams.update({
    "font.family": "DejaVu Sans",
    "font.size": 13,
    "axes.edgecolor": palette.css(palette.AXIS),
    "axes.labelcolor": TINTA,
    "xtick.color": TINTA,
    "ytick.color": TINTA,
    "svg.fonttype": "path",
    "svg.hashsalt": "anm-informe",  # stable ids: the same figure gives the same SVG
    # text is drawn as written: a "$" in a category is a dollar sign, not mathtext
    # (an unbalanced one would fail the chart)
    "text.parse_math": False,
})


def etiqueta(texto: str, maximo: int = MAX_ETIQUETA) -> str:
    """A category label as a chart draws it: on one line, and beyond ``maximo``
    characters cut at ``maximo - 1`` with an ellipsis, so the bars keep their room."""
    texto = " ".join(str(texto).split())
    return texto if len(texto) <= maximo else texto[:maximo - 1].rstrip() + "…"


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", transparent=True, metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)  # matplotlib's credits, not the reader's
    return text[text.index("<svg"):]


def _clean(ax) -> None:
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", bottom=False, labelbottom=False)
    ax.tick_params(axis="y", length=0)


def barras_horizontales(datos: dict[str, int], color: str, ancho: float = 11.0, max_barras: int = 16) -> str:
    """Horizontal bars, largest on top, each labelled with its count. Beyond
    ``max_barras`` categories the smallest are added up as "Otros". The figure
    is about as wide as a slide's room for a chart, so labels read at the
    same size whatever the number of bars."""
    items = list(datos.items())
    if len(items) > max_barras:
        rest = sum(v for _, v in items[max_barras - 1:])
        items = items[: max_barras - 1] + [("Otros", rest)]
    labels = [etiqueta(k) for k, _ in items][::-1]
    values = [v for _, v in items][::-1]
    alto = min(5.2, max(2.0, 0.45 * len(items) + 0.6))
    fig, ax = plt.subplots(figsize=(ancho, alto))
    # bars at positions, labels set on the ticks: two labels shortened alike stay two bars
    bars = ax.barh(range(len(values)), values, color=color, height=0.7)
    ax.set_yticks(range(len(values)), labels)
    top = max(values) if values else 1
    for bar, v in zip(bars, values):
        ax.text(bar.get_width() + top * 0.008, bar.get_y() + bar.get_height() / 2, numero(v),
                va="center", ha="left", fontsize=14, fontweight="bold", color=TINTA)
    ax.set_xlim(0, top * 1.1)
    ax.set_ylim(-0.6, len(items) - 0.4)
    ax.tick_params(axis="y", labelsize=14)
    _clean(ax)
    return _svg(fig)


def barras_meses(meses: dict[str, dict], etiquetas_mes: dict[str, str], nombres_canal: dict[str, str]) -> str:
    """Grouped bars: each month of the year to date, one bar per channel with its
    value on it; a month with no data is marked "sin datos" instead of 0. Up to
    four months the values stand level above the bars; beyond, upright."""
    canales = list(nombres_canal)
    n = len(meses)
    fig, ax = plt.subplots(figsize=(min(12.0, max(8.0, 0.9 * n + 2.4)), 4.6))
    width = 0.8 / len(canales)
    top = max([v for m in meses.values() for v in m.values() if v is not None] or [1])
    level = n <= 4
    for j, canal in enumerate(canales):
        xs = [i + (j - (len(canales) - 1) / 2) * width for i in range(n)]
        vals = [m[canal] for m in meses.values()]
        ax.bar([x for x, v in zip(xs, vals) if v is not None], [v for v in vals if v is not None],
               width=width * 0.92, color=COLORES[canal], label=nombres_canal[canal])
        for x, v in zip(xs, vals):
            label = numero(v) if v is not None else "sin datos"
            ax.text(x, (v or 0) + top * 0.015, label, ha="center", va="bottom",
                    fontsize=14 if level else 11, fontweight="bold" if v is not None else "normal",
                    color=TINTA if v is not None else GRIS, rotation=0 if level else 90)
    # beyond six months the names are shortened to their first three letters (Ene, Feb, …)
    ax.set_xticks(range(n), [etiquetas_mes[m] if n <= 6 else etiquetas_mes[m][:3] for m in meses], fontsize=15)
    ax.set_ylim(0, top * (1.12 if level else 1.3))
    _clean(ax)
    ax.tick_params(axis="x", bottom=False, labelbottom=True)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.spines["left"].set_visible(False)
    ax.legend(frameon=False, ncols=len(canales), loc="upper center", bbox_to_anchor=(0.5, -0.09), fontsize=15,
              handlelength=1.2, columnspacing=2.2)
    return _svg(fig)


def anillo(partes: list[tuple[str, int, str]], centro: str, leyenda_centro: str) -> str:
    """A ring of parts of a whole (label, count, colour), its total in the middle."""
    fig, ax = plt.subplots(figsize=(4.2, 4.2))
    values = [v for _, v, _ in partes]
    ax.pie(values, colors=[c for _, _, c in partes], startangle=90, counterclock=False,
           wedgeprops={"width": 0.34, "edgecolor": "white", "linewidth": 2})
    ax.text(0, 0.08, centro, ha="center", va="center", fontsize=30, fontweight="bold", color=TINTA)
    ax.text(0, -0.22, leyenda_centro, ha="center", va="center", fontsize=13, color=GRIS)
    ax.set_aspect("equal")
    return _svg(fig)


def columnas(datos: dict[str, int], color: str) -> str:
    """Vertical columns with their values on top (few categories)."""
    labels = [etiqueta(k) for k in datos]
    values = list(datos.values())
    fig, ax = plt.subplots(figsize=(max(5.0, 2.2 * len(labels) + 1.0), 3.4))
    bars = ax.bar(range(len(values)), values, color=color, width=0.6)
    ax.set_xticks(range(len(values)), labels)
    top = max(values) if values else 1
    for bar, v in zip(bars, values):
        ax.text(bar.get_x() + bar.get_width() / 2, v + top * 0.02, numero(v), ha="center", va="bottom",
                fontsize=15, fontweight="bold", color=TINTA)
    ax.set_ylim(0, top * 1.16)
    _clean(ax)
    ax.tick_params(axis="x", bottom=False, labelbottom=True, labelsize=15)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.spines["left"].set_visible(False)
    return _svg(fig)


def columnas_agrupadas(etiquetas: list[str], series: list[tuple[str, list, str]], porcentaje: bool = False) -> str:
    """Grouped columns, one group per category (a year's months), one column per series
    (name, values, colour) with its value on it: counts as numbers, or shares as
    percentages (``porcentaje``). A missing value (None) draws no column; a category
    with no value in any series is marked "sin datos", never drawn as 0. Series that
    never share a category (one survey method per month) are drawn as one column each."""
    n = len(etiquetas)
    fig, ax = plt.subplots(figsize=(min(12.0, max(8.0, 0.9 * n + 2.4)), 4.6))
    present = [j for j, (_, vals, _) in enumerate(series) if any(v is not None for v in vals)] or [0]
    level = n <= 4
    top = max([v for _, vals, _ in series for v in vals if v is not None] or [1]) or 1
    for i in range(n):
        here = [j for j in present if series[j][1][i] is not None]
        width = 0.8 / max(len(here), 1)
        if not here:
            ax.text(i, top * 0.015, "sin datos", ha="center", va="bottom", fontsize=11, color=GRIS,
                    rotation=0 if level else 90)
        for k, j in enumerate(here):
            nombre, vals, color = series[j]
            x = i + (k - (len(here) - 1) / 2) * width
            v = vals[i]
            ax.bar([x], [v], width=width * 0.92, color=color, label=nombre)
            ax.text(x, v + top * 0.015, porcentaje_(v) if porcentaje else numero(v), ha="center", va="bottom",
                    fontsize=14 if level else 11, fontweight="bold", color=TINTA, rotation=0 if level else 90)
    ax.set_xticks(range(n), [e if n <= 6 else e[:3] for e in etiquetas], fontsize=15)
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_ylim(0, top * (1.12 if level else 1.35))
    _clean(ax)
    ax.tick_params(axis="x", bottom=False, labelbottom=True)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.spines["left"].set_visible(False)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if len(unique) > 1:
        ax.legend(unique.values(), unique.keys(), frameon=False, ncols=len(unique), loc="upper center",
                  bbox_to_anchor=(0.5, -0.09), fontsize=15, handlelength=1.2, columnspacing=2.2)
    return _svg(fig)


def porcentaje_(x: float) -> str:
    """A share as a chart label: ``0.929`` -> ``92,9%``."""
    return porcentaje(x, 1)


__all__ = ["COLORES", "barras_horizontales", "barras_meses", "columnas_agrupadas", "anillo", "columnas", "etiqueta", "porcentaje"]
