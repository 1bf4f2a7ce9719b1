"""The PowerPoint's native charts: bars, columns, grouped columns by month, or a
doughnut with its total in the middle and its legend beside. Each chart's embedded
workbook holds the month's figures (python-pptx's ``CategoryChartData``), so a
reviewer edits a number (Edit Data) or a colour in place; labels use
:data:`~.layout.FORMATO_NUMERO`.

Imports :mod:`.layout` and :mod:`.shapes`.
"""
from __future__ import annotations

from anm_helpers.core.fmt import numero
from anm_helpers.core.palette import AXIS, WHITE
from anm_helpers.outputs.pptx.layout import BLUE, FORMATO_NUMERO, FORMATO_PORCENTAJE, GREY, INK, Block, emu, rgb
from anm_helpers.outputs.pptx.shapes import (add_run, mark_decorative, next_paragraph, rectangle, set_alt_text,
                                             text_frame)


def _every_label(axis) -> None:
    """Draw every category's label (a chart program skips some when they are crowded)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    ax = axis._element
    for old in ax.findall(qn("c:tickLblSkip")):
        ax.remove(old)
    skip = etree.SubElement(ax, qn("c:tickLblSkip"))
    skip.set("val", "1")
    # schema order: tickLblSkip goes after lblOffset (or lblAlgn) when present, before noMultiLvlLbl
    anchor = ax.find(qn("c:lblOffset"))
    if anchor is None:
        anchor = ax.find(qn("c:lblAlgn"))
    if anchor is not None:
        anchor.addnext(skip)
    else:
        nomulti = ax.find(qn("c:noMultiLvlLbl"))
        if nomulti is not None:
            nomulti.addprevious(skip)


class Chart(Block):
    """A native chart: bars, columns, grouped columns by month, or a ring with its legend."""
    flexible = True

    def __init__(self, e: dict):
        self.e = e
        n = len(e["categorias"])
        shape = e["forma"]
        self.minimum = 2.2
        if shape == "barras":
            self.maximum = min(5.6, 0.45 * n + 0.5)
        elif shape == "columnas":
            self.maximum, self.max_width = 4.0, 2.6 * n + 2.5
        elif shape == "meses":
            self.maximum, self.max_width = 5.6, max(10.0, 1.2 * n + 4)
        else:
            self.maximum = 5.3

    def draw(self, slide, x, y, w, h, scale=1.0):
        if self.e["forma"] == "anillo":
            return self._doughnut(slide, x, y, w, h)
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
        from pptx.util import Pt

        e = self.e
        formato = FORMATO_PORCENTAJE if e.get("porcentaje") else FORMATO_NUMERO  # shares: the year's series
        data = CategoryChartData(number_format=formato)
        data.categories = e["categorias"]
        for s in e["series"]:
            data.add_series(s["nombre"], s["valores"], number_format=formato)
        kind = XL_CHART_TYPE.BAR_CLUSTERED if e["forma"] == "barras" else XL_CHART_TYPE.COLUMN_CLUSTERED
        frame = slide.shapes.add_chart(kind, emu(x), emu(y), emu(w), emu(h), data)
        frame.name = f"Gráfico {e['nombre']}"
        set_alt_text(frame, e["alt"])
        chart = frame.chart
        chart.has_title = False
        chart.font.size = Pt(15)
        chart.font.color.rgb = rgb(INK)
        plot = chart.plots[0]
        plot.gap_width = 45 if e["forma"] == "barras" else 60
        if len(e["series"]) > 1:
            plot.overlap = -5
        for s, series in zip(plot.series, e["series"]):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = rgb(series["color"])
            s.invert_if_negative = False
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = formato
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.show_value = True
        labels.font.size = Pt(15 if e["forma"] != "meses" or len(e["categorias"]) <= 4 else 11)
        labels.font.bold = True
        categories = chart.category_axis
        categories.major_tick_mark = XL_TICK_MARK.NONE
        categories.has_major_gridlines = False
        # crowded labels: smaller, or a viewer may skip every other one (LibreOffice does)
        categories.tick_labels.font.size = Pt(15 if len(e["categorias"]) <= 6 else 13)
        categories.format.line.color.rgb = rgb(AXIS)
        _every_label(categories)
        if e["forma"] == "barras":
            categories.reverse_order = True  # the largest on top, as in the deck
        values = chart.value_axis
        values.has_major_gridlines = False
        values.visible = False
        values.minimum_scale = 0
        top = max([v for s in e["series"] for v in s["valores"] if v is not None] or [1])
        values.maximum_scale = top * (1.14 if e["forma"] == "barras" else 1.18)
        values.tick_labels.number_format = formato
        values.tick_labels.number_format_is_linked = False
        chart.has_legend = len(e["series"]) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(16)

    def _doughnut(self, slide, x, y, w, h):
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.oxml.ns import qn
        from pptx.util import Pt

        e = self.e
        side = min(h, w * 0.4, 4.5)
        top = y + (h - side) / 2
        data = CategoryChartData(number_format=FORMATO_NUMERO)
        data.categories = e["categorias"]
        data.add_series(e["series"][0]["nombre"], e["series"][0]["valores"], number_format=FORMATO_NUMERO)
        frame = slide.shapes.add_chart(XL_CHART_TYPE.DOUGHNUT, emu(x), emu(top), emu(side), emu(side), data)
        frame.name = f"Gráfico {e['nombre']}"
        set_alt_text(frame, e["alt"])
        chart = frame.chart
        chart.has_legend = False
        chart.has_title = False
        plot = chart.plots[0]
        hole = plot._element.find(qn("c:holeSize"))
        if hole is not None:
            hole.set("val", "62")
        for point, color in zip(plot.series[0].points, e["colores"]):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(color)
            point.format.line.color.rgb = rgb(WHITE)
            point.format.line.width = Pt(2)
        # the total in the middle of the ring
        mid = slide.shapes.add_textbox(emu(x + side * 0.25), emu(top + side * 0.34), emu(side * 0.5),
                                       emu(side * 0.32))
        tf = text_frame(mid, 0.02, MSO_ANCHOR.MIDDLE)
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.CENTER
        add_run(p, e["centro"]["valor"], 36, INK, bold=True)
        p = tf.add_paragraph()
        p.alignment = PP_ALIGN.CENTER
        add_run(p, e["centro"]["texto"], 14, GREY)
        # the legend: a swatch, the count, its share and the part's name
        lx = x + side + 0.6
        line = 0.62
        ly = y + (h - line * len(e["categorias"])) / 2
        legend = slide.shapes.add_textbox(emu(lx + 0.45), emu(ly), emu(max(w - side - 1.1, 2.0)),
                                          emu(line * len(e["categorias"])))
        legend.name = "Leyenda"
        tf = text_frame(legend, 0.0)
        for i, category in enumerate(e["categorias"]):
            p = next_paragraph(tf, [True] if i else [])
            p.line_spacing = Pt(line * 72)
            add_run(p, numero(e["series"][0]["valores"][i]), 24, BLUE, bold=True)
            add_run(p, f" ({e['porcentajes'][i]}) {category}", 24)
            swatch = rectangle(slide.shapes, lx, ly + i * line + (line - 0.3) / 2 + 0.02, 0.3, 0.3, e["colores"][i])
            mark_decorative(swatch)
