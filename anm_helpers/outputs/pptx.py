"""The PowerPoint exporter: ``informe-<MES>.pptx``, the deck as an editable
presentation, rendered from the slide model (``modelo``) with python-pptx on the
template ``templates/anm/plantilla.pptx`` (or the file ``ANM_PPTX_TEMPLATE``
names: ``config.PPTX_TEMPLATE``; ``plantilla_pptx`` says what a template must have).

One slide per deck slide, in the same order, each with its title in the
layout's title placeholder. Figures are cards (a shape with its text and the
channel's colour on top), narrative real text (bold, lists, links), the
data-quality annex a real table, and every chart a native chart whose embedded
workbook holds the month's figures: a reviewer edits its numbers and colours in
PowerPoint or LibreOffice Impress. Data labels use the number format
``#,##0``: PowerPoint draws it with the viewer's own separators, so a
Colombian (es-CO) installation shows ``4.924`` (a literal ``#.##0`` would not
work the same across locales). Charts, tables, pictures and card groups carry
the deck's alternative text (``descr``); decorative bars are marked so; shapes
are added in reading order (top to bottom, left to right) and the speaker
notes hold the deck's notes.
"""
from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.slides import model as modelo
from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.core.fmt import numero
from anm_helpers.outputs.pptx_template import DISENOS

#: number format of every figure on a chart: the viewer's thousands separator (es-CO: 4.924)
FORMATO_NUMERO = "#,##0"

AZUL, ORO, TINTA, GRIS, LINEA = "0B3D6E", "D99A00", "1D2733", "5F6B76", "D5DCE3"
AZUL_CLARO, FONDO_AVISO, VERDE = "E8EEF5", "F4F6F8", "2E7D4F"
#: average width of a character, in ems, used to tell how many lines a text takes (on the wide side:
#: a viewer without the theme's font draws a wider one)
ANCHO_LETRA = 0.53
#: width of a figure's character (bold digits), in ems, likewise on the wide side
ANCHO_CIFRA = 0.74
#: room between the blocks of a slide, inches
HUECO = 0.18


class PowerPoint:
    """The exporter of the editable presentation: ``informe-<MES>.pptx``."""

    salida = "pptx"
    avisos: list[str] = []

    def archivo(self, mes: str) -> str:
        return f"informe-{mes}.pptx"

    def escribir(self, informe: modelo.Informe, path: Path) -> str:
        n = escribir(informe, path)
        return f"PowerPoint escrito: {path.name} ({n} diapositivas)"


# --- units and text ---------------------------------------------------------------------
def _emu(inches: float) -> int:
    return int(round(inches * 914400))


def _inches(emu: int) -> float:
    return emu / 914400


def _rgb(color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#").upper())


def _lineas(texto: str, size: float, ancho: float) -> int:
    """Lines ``texto`` takes at ``size`` points in a box ``ancho`` inches wide (wrapped by words)."""
    per_line = max(1, int(ancho * 72 / (size * ANCHO_LETRA)))
    lines = 0
    for part in texto.split("\n"):
        words, line = part.split(), 0
        count = 1
        for word in words:
            need = len(word) + (1 if line else 0)
            if line + need > per_line and line:
                count += 1
                line = len(word)
            else:
                line += need
        lines += count
    return lines


def _alto_texto(parrafos: list[tuple[str, float]], ancho: float, espacio: float = 0.35,
                interlineado: float = 1.2) -> float:
    """Inches that paragraphs ``(text, size)`` take, ``espacio`` ems after each."""
    total = 0.0
    for text, size in parrafos:
        total += _lineas(text, size, ancho) * size * interlineado + size * espacio
    return total / 72


@dataclass
class Estilo:
    """How a text block looks: size (pt), colour, weight, slant, background and left rule."""
    size: float = 18
    color: str = TINTA
    bold: bool = False
    italic: bool = False
    fondo: str = ""
    filete: str = ""
    espacio: float = 0.35
    #: size of bold runs (the deck's large figure in "Total 4.924 interacciones"), else the text's
    negrita: float = 0


#: the deck's text styles (deck.css), in points (a 1280-pixel slide on a 13.33-inch one: px × 0.75)
ESTILOS = {
    "": Estilo(18),
    "anm-texto": Estilo(18),
    "anm-glosario": Estilo(16.5, espacio=0.3),
    "anm-nota": Estilo(18, fondo=AZUL_CLARO),
    "anm-subtitulo": Estilo(15.5, GRIS, espacio=0.1),
    "anm-total": Estilo(24, negrita=39, espacio=0),
    "aviso": Estilo(21, GRIS, italic=True, fondo=FONDO_AVISO, filete=ORO),
    "comentario": Estilo(15.5, fondo=AZUL_CLARO, filete=AZUL, espacio=0.2),
    "lista": Estilo(16.5, espacio=0.45),
    "avisos": Estilo(15, espacio=0.25),
}


# --- shapes --------------------------------------------------------------------------------
def _descr(shape, texto: str) -> None:
    """The shape's alternative text (what PowerPoint shows as "Alt Text")."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", texto)


def _decorativo(shape) -> None:
    """Mark a shape as decorative (Office 365: screen readers skip it, the checker does not ask for alt text)."""
    from lxml import etree

    adec = "http://schemas.microsoft.com/office/drawing/2017/decorative"
    cnvpr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    ext_lst = etree.SubElement(cnvpr, "{http://schemas.openxmlformats.org/drawingml/2006/main}extLst")
    ext = etree.SubElement(ext_lst, "{http://schemas.openxmlformats.org/drawingml/2006/main}ext",
                           uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
    etree.SubElement(ext, f"{{{adec}}}decorative", val="1", nsmap={"adec": adec})


def _rect(shapes, x, y, w, h, fill: str, line: str = "", name: str = ""):
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    shape = shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(x), _emu(y), _emu(w), _emu(h))
    style = shape._element.find(qn("p:style"))
    if style is not None:  # the theme's shape style: a shadow, centred white text
        shape._element.remove(style)
    shape.shadow.inherit = False
    if fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
    else:
        shape.fill.background()
    if line:
        shape.line.color.rgb = _rgb(line)
        shape.line.width = Pt(0.75)
    else:
        shape.line.fill.background()
    if name:
        shape.name = name
    return shape


def _frame(shape, margen: float = 0.08, anchor=None):
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = _emu(margen)
    tf.margin_top = tf.margin_bottom = _emu(min(margen, 0.06))
    tf.vertical_anchor = anchor if anchor is not None else MSO_ANCHOR.TOP
    return tf


#: characters XML cannot hold (a control character pasted into a text would stop the writer)
_NO_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(paragraph, texto: str, size: float, color: str = TINTA, bold=False, italic=False, enlace=None):
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = _NO_XML.sub("", texto)
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = _rgb(color)
    font.language_id = MSO_LANGUAGE_ID.SPANISH_COLOMBIA
    if enlace:
        run.hyperlink.address = enlace
    return run


def _paragraph(tf, first: list):
    """The text frame's first paragraph the first time, a new one after."""
    if not first:
        first.append(True)
        return tf.paragraphs[0]
    return tf.add_paragraph()


def _bullet(paragraph, nivel: int, numero: int | None, size: float) -> None:
    """A list item's marker: a bullet, its number (``numero``), or none (a continuation, -1)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    if nivel <= 0:
        return
    ppr = paragraph._p.get_or_add_pPr()
    indent = int(size * 12700 * (1.3 if numero is None else 1.9))
    ppr.set("marL", str(indent * nivel))
    ppr.set("indent", str(-indent if numero != -1 else 0))
    if numero == -1:
        etree.SubElement(ppr, qn("a:buNone"))
    elif numero is None:
        etree.SubElement(ppr, qn("a:buFont"), typeface="Arial")
        etree.SubElement(ppr, qn("a:buChar"), char="•" if nivel == 1 else "–")
    else:
        etree.SubElement(ppr, qn("a:buFont"), typeface="+mj-lt")
        etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod", startAt=str(numero))


def _spacing(paragraph, size: float, espacio: float, interlineado: float = 1.0) -> None:
    from pptx.util import Pt

    paragraph.space_after = Pt(size * espacio)
    paragraph.line_spacing = interlineado


def _markdown(tf, markdown: str, estilo: Estilo, first: list, numero_inicial: int | None = None,
              scale: float = 1.0) -> None:
    """Narrative into a text frame: its paragraphs, runs (bold in blue as in the deck), list markers."""
    from pptx.enum.text import PP_ALIGN

    size = estilo.size * scale
    for p in modelo.narrativa(markdown):
        paragraph = _paragraph(tf, first)
        paragraph.alignment = PP_ALIGN.LEFT
        numero = p.numero
        if numero_inicial is not None and p.nivel == 0:
            numero, nivel = numero_inicial, 1
            numero_inicial += 1
        else:
            nivel = p.nivel
        _bullet(paragraph, nivel, numero, size)
        _spacing(paragraph, size, estilo.espacio)
        for r in p.runs:
            run_size = estilo.negrita * scale if r["negrita"] and estilo.negrita else size
            _run(paragraph, r["texto"], run_size, AZUL if r["negrita"] and estilo.color == TINTA else estilo.color,
                 r["negrita"], r["cursiva"] or estilo.italic, r["enlace"])


def _plain(markdown: str) -> str:
    return "\n".join(p.texto for p in modelo.narrativa(markdown))


# --- blocks: what an element needs on a slide, and how it is drawn ----------------------------
class Bloque:
    """One element on a content slide: its height for a width (``alto``), whether it
    takes the room left (``flexible``, charts), and how it is drawn (``dibujar``)."""
    flexible = False
    minimo = 0.0
    maximo = 99.0
    ancho_max = 99.0

    def alto(self, ancho: float, scale: float = 1.0) -> float:
        return 0.0

    def dibujar(self, slide, x: float, y: float, w: float, h: float, scale: float = 1.0) -> None:
        raise NotImplementedError


class Texto(Bloque):
    #: centred in the room with cards (as the deck does a statement, or a total under its cards)
    al_medio = False

    def __init__(self, markdown: str, estilo: Estilo, numero_inicial: int | None = None):
        self.markdown, self.estilo, self.numero = markdown, estilo, numero_inicial
        self.parrafos = modelo.narrativa(markdown)

    def _pad(self) -> float:
        return 0.3 if self.estilo.fondo else 0.12

    def alto(self, ancho, scale=1.0):
        size = max(self.estilo.size, self.estilo.negrita) * scale
        indent = lambda p: (size * 1.3 * max(p.nivel, 1 if self.numero is not None else 0)) / 72  # noqa: E731
        lines = sum(_lineas(p.texto, size, ancho - 2 * self._pad() - indent(p)) for p in self.parrafos)
        return (lines * size * 1.2 + len(self.parrafos) * size * self.estilo.espacio) / 72 + 2 * min(self._pad(), 0.15) \
            + 0.08

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        box = _rect(slide.shapes, x, y, w, h, self.estilo.fondo) if self.estilo.fondo else \
            slide.shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(h))
        tf = _frame(box, self._pad())
        _markdown(tf, self.markdown, self.estilo, [], self.numero, scale)
        if self.estilo.filete:
            _decorativo(_rect(slide.shapes, x, y, 0.07, h, self.estilo.filete))


class Total(Bloque):
    def __init__(self, e: dict):
        self.e = e

    def alto(self, ancho, scale=1.0):
        return 39 * 1.25 / 72 + 0.1

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        tf = _frame(slide.shapes.add_textbox(_emu(x), _emu(y), _emu(w), _emu(h)), 0.08)
        p = tf.paragraphs[0]
        _run(p, "Total ", 24)
        _run(p, self.e["valor"], 39, AZUL, bold=True)
        _run(p, f" {self.e['unidad']}", 24)


class Tarjetas(Bloque):
    """A row of cards: each a rectangle holding its figure and label, the channel's colour on top."""

    def __init__(self, e: dict):
        self.cards = e["tarjetas"]
        self.clase = e.get("clase", "")
        self.sola = len(self.cards) == 1
        base = {"anm-secundarias": (39, 15.5), "anm-consolidado": (48, 18)}.get(self.clase, (69, 18))
        self.cifra, self.etiqueta = (90, 22.5) if self.sola else base
        self.banda = 0.08 if self.clase == "anm-secundarias" else 0.125
        self.pad = 0.18 if self.clase == "anm-secundarias" else 0.3

    def _ancho(self, ancho):
        n = len(self.cards)
        if self.sola:
            return min(ancho, 7.9)
        return (ancho - (n - 1) * 0.27) / n

    def _cifra(self, card, cw, scale):
        if card.get("sin_datos"):
            return 25.5 * scale
        size = self.cifra * scale
        fits = (cw - 2 * self.pad) * 72 / (max(len(card["valor"]), 1) * ANCHO_CIFRA)
        return max(16.0, min(size, fits))

    def _alto_card(self, card, cw, scale):
        inner = cw - 2 * self.pad
        size = self._cifra(card, cw, scale)
        h = _lineas(card["valor"], size, inner) * size * 1.1 / 72
        h += _lineas(card["etiqueta"], self.etiqueta * scale, inner) * self.etiqueta * scale * 1.25 / 72 + 0.08
        if card.get("definicion"):
            h += _alto_texto([(card["definicion"], 15 * scale)], inner) + 0.1
        if card.get("meses"):
            h += len(card["meses"]) * 16 * scale * 1.55 / 72 + 0.12
        return h + self.banda + 2 * self.pad

    def alto(self, ancho, scale=1.0):
        cw = self._ancho(ancho)
        return max(self._alto_card(c, cw, scale) for c in self.cards)

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        from pptx.enum.text import PP_ALIGN

        cw = self._ancho(w)
        x0 = x + (w - cw) / 2 if self.sola else x
        for i, card in enumerate(self.cards):
            cx = x0 + i * (cw + 0.27)
            group = slide.shapes.add_group_shape()
            group.name = f"Tarjeta: {card['etiqueta']}"
            _descr(group, f"{card['etiqueta']}: {card['valor']}")
            box = _rect(group.shapes, cx, y, cw, h, "FFFFFF", LINEA, name=f"Cifra: {card['etiqueta']}")
            tf = _frame(box, self.pad)
            tf.margin_top = _emu(self.banda + self.pad * 0.8)
            size = self._cifra(card, cw, scale)
            p = tf.paragraphs[0]
            p.line_spacing = 0.95
            _run(p, card["valor"], size, GRIS if card.get("sin_datos") else TINTA, bold=not card.get("sin_datos"),
                 italic=card.get("sin_datos", False))
            p = tf.add_paragraph()
            p.space_before = _emu(0.06)
            _run(p, card["etiqueta"], self.etiqueta * scale, GRIS)
            if card.get("definicion"):
                p = tf.add_paragraph()
                p.space_before = _emu(0.1)
                _run(p, card["definicion"], 15 * scale, TINTA)
            for m in card.get("meses") or []:
                p = tf.add_paragraph()
                p.space_before = _emu(0.05)
                _tab_right(p, cw - 2 * self.pad)
                _run(p, m["mes"], 16 * scale, TINTA)
                _run(p, "\t" + m["valor"], 16 * scale, TINTA)
            for paragraph in tf.paragraphs:
                paragraph.alignment = PP_ALIGN.LEFT
            band = _rect(group.shapes, cx, y, cw, self.banda, card.get("color") or AZUL)
            _decorativo(band)


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


def _tab_right(paragraph, ancho: float) -> None:
    from lxml import etree
    from pptx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    tabs = etree.SubElement(ppr, qn("a:tabLst"))
    etree.SubElement(tabs, qn("a:tab"), pos=str(_emu(ancho - 0.02)), algn="r")


class Grafico(Bloque):
    """A native chart: bars, columns, grouped columns by month, or a ring with its legend."""
    flexible = True

    def __init__(self, e: dict):
        self.e = e
        n = len(e["categorias"])
        forma = e["forma"]
        self.minimo = 2.2
        if forma == "barras":
            self.maximo = min(5.6, 0.45 * n + 0.5)
        elif forma == "columnas":
            self.maximo, self.ancho_max = 4.0, 2.6 * n + 2.5
        elif forma == "meses":
            self.maximo, self.ancho_max = 5.6, max(10.0, 1.2 * n + 4)
        else:
            self.maximo = 5.3

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        if self.e["forma"] == "anillo":
            return self._anillo(slide, x, y, w, h)
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
        from pptx.util import Pt

        e = self.e
        data = CategoryChartData(number_format=FORMATO_NUMERO)
        data.categories = e["categorias"]
        for s in e["series"]:
            data.add_series(s["nombre"], s["valores"], number_format=FORMATO_NUMERO)
        kind = XL_CHART_TYPE.BAR_CLUSTERED if e["forma"] == "barras" else XL_CHART_TYPE.COLUMN_CLUSTERED
        frame = slide.shapes.add_chart(kind, _emu(x), _emu(y), _emu(w), _emu(h), data)
        frame.name = f"Gráfico {e['nombre']}"
        _descr(frame, e["alt"])
        chart = frame.chart
        chart.has_title = False
        chart.font.size = Pt(15)
        chart.font.color.rgb = _rgb(TINTA)
        plot = chart.plots[0]
        plot.gap_width = 45 if e["forma"] == "barras" else 60
        if len(e["series"]) > 1:
            plot.overlap = -5
        for s, serie in zip(plot.series, e["series"]):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = _rgb(serie["color"])
            s.invert_if_negative = False
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = FORMATO_NUMERO
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
        categories.format.line.color.rgb = _rgb("B8C1CA")
        _every_label(categories)
        if e["forma"] == "barras":
            categories.reverse_order = True  # the largest on top, as in the deck
        values = chart.value_axis
        values.has_major_gridlines = False
        values.visible = False
        values.minimum_scale = 0
        top = max([v for s in e["series"] for v in s["valores"] if v is not None] or [1])
        values.maximum_scale = top * (1.14 if e["forma"] == "barras" else 1.18)
        values.tick_labels.number_format = FORMATO_NUMERO
        values.tick_labels.number_format_is_linked = False
        chart.has_legend = len(e["series"]) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(16)

    def _anillo(self, slide, x, y, w, h):
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
        frame = slide.shapes.add_chart(XL_CHART_TYPE.DOUGHNUT, _emu(x), _emu(top), _emu(side), _emu(side), data)
        frame.name = f"Gráfico {e['nombre']}"
        _descr(frame, e["alt"])
        chart = frame.chart
        chart.has_legend = False
        chart.has_title = False
        plot = chart.plots[0]
        hole = plot._element.find(qn("c:holeSize"))
        if hole is not None:
            hole.set("val", "62")
        for point, color in zip(plot.series[0].points, e["colores"]):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(color)
            point.format.line.color.rgb = _rgb("FFFFFF")
            point.format.line.width = Pt(2)
        # the total in the middle of the ring
        mid = slide.shapes.add_textbox(_emu(x + side * 0.25), _emu(top + side * 0.34), _emu(side * 0.5),
                                       _emu(side * 0.32))
        tf = _frame(mid, 0.02, MSO_ANCHOR.MIDDLE)
        p = tf.paragraphs[0]
        p.alignment = PP_ALIGN.CENTER
        _run(p, e["centro"]["valor"], 36, TINTA, bold=True)
        p = tf.add_paragraph()
        p.alignment = PP_ALIGN.CENTER
        _run(p, e["centro"]["texto"], 14, GRIS)
        # the legend: a swatch, the count, its share and the part's name
        lx = x + side + 0.6
        line = 0.62
        ly = y + (h - line * len(e["categorias"])) / 2
        legend = slide.shapes.add_textbox(_emu(lx + 0.45), _emu(ly), _emu(max(w - side - 1.1, 2.0)),
                                          _emu(line * len(e["categorias"])))
        legend.name = "Leyenda"
        tf = _frame(legend, 0.0)
        for i, cat in enumerate(e["categorias"]):
            p = _paragraph(tf, [True] if i else [])
            p.line_spacing = Pt(line * 72)
            _run(p, numero(e["series"][0]["valores"][i]), 24, AZUL, bold=True)
            _run(p, f" ({e['porcentajes'][i]}) {cat}", 24)
            swatch = _rect(slide.shapes, lx, ly + i * line + (line - 0.3) / 2 + 0.02, 0.3, 0.3, e["colores"][i])
            _decorativo(swatch)


class Analisis(Bloque):
    """An "Análisis de …" body: the consolidated card beside the text, the commentary under both."""

    def __init__(self, e: dict):
        self.e = e
        card = dict(e["tarjeta"], color=AZUL)
        self.card = Tarjetas({"tarjetas": [card], "clase": "anm-analisis"})
        self.card.sola, self.card.cifra, self.card.etiqueta = False, 54, 18
        markdown = e["texto"] + "\n\n" + "\n".join(f"- {li}" for li in e["lineas"]) + "\n\n" + e["promedio"]
        self.texto = Texto(markdown, Estilo(18, espacio=0.3))
        self.comentario = Texto(e["comentario"], ESTILOS["comentario"]) if e["comentario"] else None

    def _partes(self, ancho, scale):
        cw = min(3.3, ancho * 0.3)
        tw = ancho - cw - 0.35
        arriba = max(self.card._alto_card(self.card.cards[0], cw, scale), self.texto.alto(tw, scale))
        abajo = self.comentario.alto(ancho, scale) if self.comentario else 0.0
        return cw, tw, arriba, abajo

    def alto(self, ancho, scale=1.0):
        cw, tw, arriba, abajo = self._partes(ancho, scale)
        return arriba + (HUECO + abajo if self.comentario else 0)

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        cw, tw, arriba, abajo = self._partes(w, scale)
        self.card.dibujar(slide, x, y, cw, self.card._alto_card(self.card.cards[0], cw, scale), scale)
        self.texto.dibujar(slide, x + cw + 0.35, y, tw, arriba, scale)
        if self.comentario:
            self.comentario.dibujar(slide, x, y + arriba + HUECO, w, abajo, scale)


class Tabla(Bloque):
    """A real table (the data-quality annex's input files)."""

    def __init__(self, e: dict):
        self.e = e

    def _fila(self, scale):
        return 0.3 * scale

    def alto(self, ancho, scale=1.0):
        return (len(self.e["filas"]) + 1) * self._fila(scale)

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        from pptx.enum.text import PP_ALIGN

        e = self.e
        rows, cols = len(e["filas"]) + 1, len(e["columnas"])
        frame = slide.shapes.add_table(rows, cols, _emu(x), _emu(y), _emu(w), _emu(h))
        frame.name = "Tabla de archivos"
        _descr(frame, e["alt"])
        table = frame.table
        hashes = [i for i, c in enumerate(e["columnas"]) if c.get("celda") == "anm-hash"]
        widths = [0.0] * cols
        mono = 9.5 * scale
        longest = max([len(f[i]) for f in e["filas"] for i in hashes] or [0])
        fixed = {i: longest * mono * 0.61 / 72 + 0.22 for i in hashes}  # a hash on one line
        for i, c in enumerate(e["columnas"]):
            if c.get("clase") == "anm-num":
                fixed[i] = 1.1
        rest = max(w - sum(fixed.values()), 1.5)
        free = [i for i in range(cols) if i not in fixed]
        for i in range(cols):
            widths[i] = fixed.get(i, rest / max(len(free), 1))
        for i, width in enumerate(widths):
            table.columns[i].width = _emu(width)
        for r in range(rows):
            table.rows[r].height = _emu(self._fila(scale))
            for c in range(cols):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = _emu(0.02)
                texto = e["columnas"][c]["texto"] if r == 0 else e["filas"][r - 1][c]
                tf = cell.text_frame
                p = tf.paragraphs[0]
                is_hash = r > 0 and c in hashes
                run = _run(p, texto, mono if is_hash else 12.5 * scale, "FFFFFF" if r == 0 else TINTA, bold=r == 0)
                if is_hash:
                    run.font.name = "Consolas"
                if "anm-num" in (e["columnas"][c].get("clase"), e["columnas"][c].get("celda")):
                    p.alignment = PP_ALIGN.RIGHT
                if r > 0:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = _rgb("FFFFFF" if r % 2 else FONDO_AVISO)


class Calidad(Bloque):
    def __init__(self, e: dict):
        self.e = e
        self.tabla = Tabla(e["tabla"])
        avisos = e["avisos"]
        if avisos is None:
            self.avisos = None
        elif avisos:
            lines = [f"- {_escape_md(a['texto'])}" for a in avisos]
            if e["resto"] > 0:
                lines.append(f"- … y {e['resto']} aviso(s) más en construccion.log")
            self.avisos = Texto("\n".join(lines), ESTILOS["avisos"])
        else:
            self.avisos = Texto(_escape_md(e["sin_avisos"]), Estilo(16.5, VERDE))

    def alto(self, ancho, scale=1.0):
        return self.tabla.alto(ancho, scale) + (self.avisos.alto(ancho, scale) + 0.1 if self.avisos else 0)

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        if self.avisos:
            ah = self.avisos.alto(w, scale)
            self.avisos.dibujar(slide, x, y, w, ah, scale)
            y += ah + 0.1
        self.tabla.dibujar(slide, x, y, w, self.tabla.alto(w, scale), scale)


def _escape_md(text: str) -> str:
    """A plain text as Markdown that reads the same (no emphasis, list or HTML from its characters)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)


class Imagen(Bloque):
    """A picture an analyst displayed (not from a helper)."""
    flexible = True
    minimo, maximo = 2.0, 5.5

    def __init__(self, e: dict, titulo: str):
        self.e, self.titulo = e, titulo

    def dibujar(self, slide, x, y, w, h, scale=1.0):
        from PIL import Image

        raw = base64.b64decode(self.e["png"])
        with Image.open(io.BytesIO(raw)) as im:
            ratio = im.width / max(im.height, 1)
        pw = min(w, h * ratio)
        ph = pw / ratio
        pic = slide.shapes.add_picture(io.BytesIO(raw), _emu(x + (w - pw) / 2), _emu(y), _emu(pw), _emu(ph))
        _descr(pic, self.e.get("alt") or f"Imagen de la diapositiva «{self.titulo}»")


def _bloques(d: modelo.Diapositiva) -> list[Bloque]:
    out: list[Bloque] = []
    for e in d.elementos:
        kind = e["tipo"]
        if kind == "titulo":
            if e.get("subtitulo"):
                out.append(Texto(_escape_md(e["subtitulo"]), ESTILOS["anm-subtitulo"]))
        elif kind == "texto":
            out.append(Texto(e["markdown"], ESTILOS.get(e.get("clase", ""), ESTILOS[""])))
            out[-1].al_medio = e.get("clase") == "anm-total"  # a total under cards, as in the deck
        elif kind == "aviso":
            out.append(Texto(_escape_md(e["texto"]), ESTILOS["aviso"]))
            out[-1].al_medio = True
        elif kind == "tarjetas":
            out.append(Tarjetas(e))
        elif kind == "total":
            out.append(Total(e))
        elif kind == "grafico":
            out.append(Grafico(e))
        elif kind == "analisis":
            out.append(Analisis(e))
        elif kind == "lista":
            items = "\n".join(f"{n}. {_first_line(i)}" for n, i in enumerate(e["items"], start=e["inicio"]))
            out.append(Texto(items, ESTILOS["lista"]))
        elif kind == "calidad":
            out.append(Calidad(e))
        elif kind == "imagen":
            out.append(Imagen(e, d.titulo))
    return out


def _first_line(markdown: str) -> str:
    """A list item's Markdown on one line (so it stays one numbered item)."""
    return " ".join(markdown.split())


# --- slides ----------------------------------------------------------------------------------
@dataclass
class Disenos:
    portada: object
    divisor: object
    contenido: object


def _disenos(prs, origen: Path) -> Disenos:
    """The template's layouts by name (``plantilla_pptx.DISENOS``), else Office's own names;
    the content layout (with a title placeholder) is required, the others fall back on it."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    by_name = {layout.name.strip().lower(): layout for layout in prs.slide_layouts}

    def find(role):
        own, office = DISENOS[role]
        for name in (own, *office):
            if name.lower() in by_name:
                return by_name[name.lower()]
        return None

    def has_title(layout):
        return any(ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
                   for ph in layout.placeholders)

    contenido = find("contenido")
    if contenido is None or not has_title(contenido):
        raise ConstruccionFallida(
            f"la plantilla de PowerPoint {origen} no tiene un diseño «{DISENOS['contenido'][0]}» (o «Title and "
            "Content») con un marcador de título; vea README, «The PowerPoint»")
    portada = find("portada")
    divisor = find("divisor")
    portada = portada if portada is not None and has_title(portada) else contenido
    divisor = divisor if divisor is not None and has_title(divisor) else portada
    return Disenos(portada, divisor, contenido)


def _placeholder(slide, *kinds):
    for ph in slide.placeholders:
        if ph.placeholder_format.type in kinds:
            return ph
    return None


def _title(slide, texto: str) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    ph = _placeholder(slide, PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    ph.text_frame.text = _NO_XML.sub("", texto)
    for run in ph.text_frame.paragraphs[0].runs:
        from pptx.enum.lang import MSO_LANGUAGE_ID

        run.font.language_id = MSO_LANGUAGE_ID.SPANISH_COLOMBIA


def _body_placeholders(slide):
    from pptx.enum.shapes import PP_PLACEHOLDER

    return [ph for ph in slide.placeholders
            if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)]


def _content_box(prs, slide) -> tuple[float, float, float, float]:
    """The area content fills: the layout's body placeholder (removed from the slide), else
    what lies under the title."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    bodies = _body_placeholders(slide)
    if bodies:
        ph = bodies[0]
        box = (_inches(ph.left), _inches(ph.top), _inches(ph.width), _inches(ph.height))
        for ph in bodies:
            ph._element.getparent().remove(ph._element)
        return box
    title = _placeholder(slide, PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    sw, sh = _inches(prs.slide_width), _inches(prs.slide_height)
    top = _inches(title.top + title.height) + 0.25
    return _inches(title.left), top, sw - 2 * _inches(title.left), sh - top - 0.6


def _footer(slide, layout, pie: str, total: int) -> None:
    """The deck's footer: the report and its month, the slide number of the total."""
    from lxml import etree
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.oxml.ns import qn

    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        slide.shapes.clone_placeholder(ph)
        new = slide.placeholders[ph.placeholder_format.idx]
        p = new.text_frame.paragraphs[0]
        parts = [("a:r", pie)] if kind == PP_PLACEHOLDER.FOOTER else [("a:fld", "‹#›"), ("a:r", f" / {total}")]
        for tag, text in parts:
            el = etree.SubElement(p._p, qn(tag))
            if tag == "a:fld":
                el.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
                el.set("type", "slidenum")
            rpr = etree.SubElement(el, qn("a:rPr"), lang="es-CO")
            etree.SubElement(rpr, qn("a:latin"), typeface="+mn-lt")  # the theme's font (some viewers fall back on a serif)
            etree.SubElement(el, qn("a:t")).text = text


def _to_front(slide, shape) -> None:
    """Move ``shape`` first in reading order (it is drawn above the title on the slide)."""
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)


def _portada(prs, slide, e: dict) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    title = _placeholder(slide, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
    left, width = _inches(title.left), _inches(title.width)
    top = max(0.4, _inches(title.top) - 1.45)
    box = slide.shapes.add_textbox(_emu(left), _emu(top), _emu(width), _emu(1.3))
    box.name = "Entidad"
    tf = _frame(box, 0.08)
    p = tf.paragraphs[0]
    _run(p, e["entidad"].upper(), 26, "FFFFFF", bold=True)
    p = tf.add_paragraph()
    _run(p, e["grupo"], 18, "C9D6E4")
    _to_front(slide, box)
    bodies = _body_placeholders(slide)
    if bodies:
        bodies[0].text_frame.text = _NO_XML.sub("", e["mes"])
        for ph in bodies[1:]:
            ph._element.getparent().remove(ph._element)
    else:
        box = slide.shapes.add_textbox(title.left, title.top + title.height, title.width, _emu(0.8))
        _run(_frame(box).paragraphs[0], e["mes"], 28, ORO, bold=True)
    if e.get("borrador"):  # an unfinished month: said on the cover (and in every footer)
        box = slide.shapes.add_textbox(_emu(left), _emu(top + 1.3 + _inches(title.height) + 1.1), _emu(width),
                                       _emu(0.6))
        box.name = "Borrador"
        _run(_frame(box).paragraphs[0], "BORRADOR", 24, "FFFFFF", bold=True)


def _divisor(slide, e: dict) -> None:
    bodies = _body_placeholders(slide)
    lines = [e["subtitulo"]] + ([" · ".join(e["puntos"])] if e["puntos"] else [])
    if bodies:
        tf = bodies[0].text_frame
        tf.text = _NO_XML.sub("", lines[0])
        for line in lines[1:]:
            p = tf.add_paragraph()
            p.text = _NO_XML.sub("", line)
            p.space_before = _emu(0.25)
            for run in p.runs:
                run.font.bold = True
        for ph in bodies[1:]:
            ph._element.getparent().remove(ph._element)


def _layout_blocks(bloques: list[Bloque], w: float, h: float) -> tuple[float, list[float]]:
    """A text scale and each block's height so that they fit in ``h``: text shrinks (to 60%)
    before charts go under their minimum."""
    gaps = HUECO * max(len(bloques) - 1, 0)
    for scale in (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.65, 0.6):
        fixed = [0.0 if b.flexible else b.alto(min(w, b.ancho_max), scale) for b in bloques]
        flex = [b for b in bloques if b.flexible]
        room = h - gaps - sum(fixed)
        if room >= sum(b.minimo for b in flex) - 1e-6 or scale == 0.6:
            break
    heights = list(fixed)
    flexible = [i for i, b in enumerate(bloques) if b.flexible]
    left = max(room, 0.0)
    # share the room among charts, each up to its maximum
    pending = list(flexible)
    while pending:
        share = left / len(pending)
        capped = [i for i in pending if bloques[i].maximo <= share]
        if not capped:
            for i in pending:
                heights[i] = max(share, bloques[i].minimo)
            break
        for i in capped:
            heights[i] = bloques[i].maximo
            left -= bloques[i].maximo
            pending.remove(i)
    return scale, heights


def _contenido(prs, slide, d: modelo.Diapositiva) -> None:
    x, y, w, h = _content_box(prs, slide)
    bloques = _bloques(d)
    if not bloques:
        return
    scale, heights = _layout_blocks(bloques, w, h)
    used = sum(heights) + HUECO * (len(bloques) - 1)
    # a slide of cards (or only a statement that the month has nothing): in the middle of the
    # room under the title, as in the deck; any other from the top
    middle = all(isinstance(b, (Tarjetas, Total)) or getattr(b, "al_medio", False) for b in bloques)
    top = y + max((h - used) / 2, 0) if middle else y
    for b, bh in zip(bloques, heights):
        bw = min(w, b.ancho_max)
        b.dibujar(slide, x + (w - bw) / 2, top, bw, bh, scale)
        top += bh + HUECO


def _notas(slide, notas: list[str]) -> None:
    if not notas:
        return
    slide.notes_slide.notes_text_frame.text = _NO_XML.sub("", "\n\n".join(_plain(n) for n in notas))


def _sin_diapositivas(prs) -> None:
    """A template's own slides (examples) are not the report's."""
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


def escribir(informe: modelo.Informe, path: Path, origen: Path | None = None) -> int:
    """Write the presentation of ``informe`` to ``path`` on the template ``origen``
    (default: ``config.PPTX_TEMPLATE``); the number of slides."""
    from pptx import Presentation

    origen = Path(origen or config.PPTX_TEMPLATE)
    if not origen.is_file():
        raise ConstruccionFallida(f"no se encuentra la plantilla de PowerPoint {origen}")
    try:
        prs = Presentation(str(origen))
    except Exception as exc:  # a file that is not a .pptx (a .potx must be saved as .pptx)
        raise ConstruccionFallida(f"la plantilla de PowerPoint {origen} no se puede abrir ({exc}); "
                                  "guárdela como presentación .pptx") from None
    _sin_diapositivas(prs)
    disenos = _disenos(prs, origen)
    total = len(informe.diapositivas)
    for n, d in enumerate(informe.diapositivas, start=1):
        kinds = {e["tipo"] for e in d.elementos}
        layout = disenos.portada if "portada" in kinds else disenos.divisor if "divisor" in kinds \
            else disenos.contenido
        slide = prs.slides.add_slide(layout)
        _title(slide, d.titulo or f"{informe.titulo} ({n})")
        if "portada" in kinds:
            _portada(prs, slide, next(e for e in d.elementos if e["tipo"] == "portada"))
        elif "divisor" in kinds:
            _divisor(slide, next(e for e in d.elementos if e["tipo"] == "divisor"))
        else:
            _contenido(prs, slide, d)
        for ph in _body_placeholders(slide):  # an empty placeholder shows "Click to add text"
            if not ph.text_frame.text.strip():
                ph._element.getparent().remove(ph._element)
        _footer(slide, layout, informe.pie, total)
        _notas(slide, d.notas)
    props = prs.core_properties
    props.title = informe.titulo
    props.subject = "Informe mensual de Servicio y Atención al Usuario"
    props.author = props.last_modified_by = "GAPCC · Agencia Nacional de Minería"
    props.language = "es-CO"
    props.keywords = f"ANM; GAPCC; {informe.mes}"
    prs.save(str(path))
    return total
