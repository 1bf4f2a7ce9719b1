"""The PowerPoint's drawing primitives: a plain rectangle, a text frame, a run of text,
paragraphs with their list markers and spacing, narrative (Markdown) into a text frame,
a right tab stop; alternative text and the decorative mark every shape may carry.

Imports only :mod:`.layout`.
"""
from __future__ import annotations

import re

from anm_helpers.outputs.pptx.layout import BLUE, INK, Style, emu, rgb
from anm_helpers.slides import model

#: characters XML cannot hold (a control character pasted into a text would stop the writer)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- shapes --------------------------------------------------------------------------------
def set_alt_text(shape, text: str) -> None:
    """The shape's alternative text (``descr``: what PowerPoint shows as "Alt Text")."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def mark_decorative(shape) -> None:
    """Mark a shape as decorative (Office 365: screen readers skip it, the checker does not ask for alt text)."""
    from lxml import etree

    adec = "http://schemas.microsoft.com/office/drawing/2017/decorative"
    cnvpr = shape._element.xpath("./*[1]/p:cNvPr")[0]
    ext_lst = etree.SubElement(cnvpr, "{http://schemas.openxmlformats.org/drawingml/2006/main}extLst")
    ext = etree.SubElement(ext_lst, "{http://schemas.openxmlformats.org/drawingml/2006/main}ext",
                           uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
    etree.SubElement(ext, f"{{{adec}}}decorative", val="1", nsmap={"adec": adec})


def rectangle(shapes, x, y, w, h, fill: str, line: str = "", name: str = ""):
    """A plain rectangle (no theme shadow or centred text), filled with ``fill`` or none."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    shape = shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(x), emu(y), emu(w), emu(h))
    style = shape._element.find(qn("p:style"))
    if style is not None:  # the theme's shape style: a shadow, centred white text
        shape._element.remove(style)
    shape.shadow.inherit = False
    if fill:
        shape.fill.solid()
        shape.fill.fore_color.rgb = rgb(fill)
    else:
        shape.fill.background()
    if line:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(0.75)
    else:
        shape.line.fill.background()
    if name:
        shape.name = name
    return shape


def text_frame(shape, margin: float = 0.08, anchor=None):
    """The shape's text frame, wrapping, not resized, with ``margin`` inches inside."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = emu(margin)
    tf.margin_top = tf.margin_bottom = emu(min(margin, 0.06))
    tf.vertical_anchor = anchor if anchor is not None else MSO_ANCHOR.TOP
    return tf


# --- text ----------------------------------------------------------------------------------
def add_run(paragraph, text: str, size: float, color: str = INK, bold=False, italic=False, link=None):
    """A run of ``text`` (tagged es-CO) at the end of ``paragraph``."""
    from pptx.enum.lang import MSO_LANGUAGE_ID
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = NOT_XML.sub("", text)
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = rgb(color)
    font.language_id = MSO_LANGUAGE_ID.SPANISH_COLOMBIA
    if link:
        run.hyperlink.address = link
    return run


def next_paragraph(tf, first: list):
    """The text frame's first paragraph the first time (``first`` is empty), a new one after."""
    if not first:
        first.append(True)
        return tf.paragraphs[0]
    return tf.add_paragraph()


def set_bullet(paragraph, level: int, number: int | None, size: float) -> None:
    """A list item's marker: a bullet, its number (``number``), or none (a continuation, -1)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    if level <= 0:
        return
    ppr = paragraph._p.get_or_add_pPr()
    indent = int(size * 12700 * (1.3 if number is None else 1.9))
    ppr.set("marL", str(indent * level))
    ppr.set("indent", str(-indent if number != -1 else 0))
    if number == -1:
        etree.SubElement(ppr, qn("a:buNone"))
    elif number is None:
        etree.SubElement(ppr, qn("a:buFont"), typeface="Arial")
        etree.SubElement(ppr, qn("a:buChar"), char="•" if level == 1 else "–")
    else:
        etree.SubElement(ppr, qn("a:buFont"), typeface="+mj-lt")
        etree.SubElement(ppr, qn("a:buAutoNum"), type="arabicPeriod", startAt=str(number))


def set_spacing(paragraph, size: float, space_after: float, line_spacing: float = 1.0) -> None:
    from pptx.util import Pt

    paragraph.space_after = Pt(size * space_after)
    paragraph.line_spacing = line_spacing


def add_markdown(tf, markdown: str, style: Style, first: list, start_number: int | None = None,
                 scale: float = 1.0) -> None:
    """Narrative into a text frame: its paragraphs, runs (bold in blue as in the deck), list markers."""
    from pptx.enum.text import PP_ALIGN

    size = style.size * scale
    for p in model.narrativa(markdown):
        paragraph = next_paragraph(tf, first)
        paragraph.alignment = PP_ALIGN.LEFT
        number = p.numero
        if start_number is not None and p.nivel == 0:
            number, level = start_number, 1
            start_number += 1
        else:
            level = p.nivel
        set_bullet(paragraph, level, number, size)
        set_spacing(paragraph, size, style.space_after)
        for r in p.runs:
            run_size = style.bold_size * scale if r["negrita"] and style.bold_size else size
            add_run(paragraph, r["texto"], run_size, BLUE if r["negrita"] and style.color == INK else style.color,
                    r["negrita"], r["cursiva"] or style.italic, r["enlace"])


def plain_text(markdown: str) -> str:
    """Narrative as plain text, a line per paragraph."""
    return "\n".join(p.texto for p in model.narrativa(markdown))


def right_tab(paragraph, width: float) -> None:
    """A right-aligned tab stop at ``width`` inches (a figure against the right edge)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    tabs = etree.SubElement(ppr, qn("a:tabLst"))
    etree.SubElement(tabs, qn("a:tab"), pos=str(emu(width - 0.02)), algn="r")
