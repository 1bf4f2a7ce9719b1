"""The PowerPoint template (``templates/anm/plantilla.pptx``): made once by this
script from python-pptx's default template, then committed. The agency may
replace the file with its corporate template (README, "The PowerPoint"):

    python -m anm_helpers.outputs.pptx_template            # writes templates/anm/plantilla.pptx again

What the exporter (``powerpoint``) needs of a template is in :data:`DISENOS`:
three layouts, found by name, each with a title placeholder; the content
layout's body placeholder marks the area the slide's figures, charts and text
fill. Everything else (theme colours and fonts, backgrounds, footers, the slide
size) is the template's own.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from anm_helpers.core import config, palette

#: the layouts the exporter uses: its name for each, the name in this template,
#: and the names of Office's own layouts it falls back on (English and Spanish)
DISENOS = {
    "portada": ("ANM Portada", ("Title Slide", "Diapositiva de título")),
    "divisor": ("ANM Divisor", ("Section Header", "Encabezado de sección")),
    "contenido": ("ANM Contenido", ("Title and Content", "Título y objetos")),
}

AZUL, ORO, BLANCO, TINTA, GRIS = palette.BLUE, palette.GOLD, palette.WHITE, palette.INK, palette.GREY
#: the theme's colours: dark blue text and accents in the order the deck uses them
#: (the three channels, the ring's tones of blue, the agency's gold)
TEMA = {"dk2": AZUL, "lt2": palette.LIGHT_BLUE, "accent1": palette.BLUE, "accent2": palette.PHONE_GOLD,
        "accent3": palette.GREEN, "accent4": palette.PAR_TONE, "accent5": palette.SOFT_BLUE, "accent6": ORO}


def _emu(inches: float) -> int:
    return int(round(inches * 914400))


def _xfrm(shape, left: float, top: float, width: float, height: float) -> None:
    shape.left, shape.top, shape.width, shape.height = _emu(left), _emu(top), _emu(width), _emu(height)


def _defrpr(shape_or_style, size: float | None = None, color: str | None = None, bold: bool | None = None,
            align: str | None = None, anchor: str | None = None, font: str | None = None):
    """Default text properties of a placeholder's first level (``a:lstStyle``)."""
    from pptx.oxml.ns import qn
    from lxml import etree

    el = shape_or_style._element
    txBody = el.find(qn("p:txBody"))
    if anchor is not None:
        txBody.find(qn("a:bodyPr")).set("anchor", anchor)
    lst = txBody.find(qn("a:lstStyle"))
    lvl = lst.find(qn("a:lvl1pPr"))
    if lvl is None:
        lvl = etree.SubElement(lst, qn("a:lvl1pPr"))
    if align is not None:
        lvl.set("algn", align)
    rpr = lvl.find(qn("a:defRPr"))
    if rpr is None:
        rpr = etree.SubElement(lvl, qn("a:defRPr"))
    if size is not None:
        rpr.set("sz", str(int(size * 100)))
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    rpr.set("cap", "none")  # Office's section header writes its title in capitals
    if font is not None:
        etree.SubElement(rpr, qn("a:latin"), typeface=font)
    if color is not None:
        for old in rpr.findall(qn("a:solidFill")):
            rpr.remove(old)
        fill = etree.SubElement(rpr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", color)
        rpr.insert(0, fill)


def _bullets_off(shape) -> None:
    from lxml import etree
    from pptx.oxml.ns import qn

    lst = shape._element.find(qn("p:txBody")).find(qn("a:lstStyle"))
    lvl = lst.find(qn("a:lvl1pPr"))
    if lvl is None:
        lvl = etree.SubElement(lst, qn("a:lvl1pPr"))
    lvl.set("marL", "0")
    lvl.set("indent", "0")
    etree.SubElement(lvl, qn("a:buNone"))
    lvl.insert(0, lvl[-1])


def _bar(layout, left: float, top: float, width: float, height: float, color: str, name: str) -> None:
    """A decorative bar drawn on a layout (the rule under the title, the cover's edge)."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.oxml.shapes.autoshape import CT_Shape
    from pptx.shapes.autoshape import Shape

    tree = layout.shapes._spTree
    sp = CT_Shape.new_autoshape_sp(layout.shapes._next_shape_id, name, "rect", _emu(left), _emu(top), _emu(width),
                                   _emu(height))
    tree.append(sp)
    style = sp.find(qn("p:style"))
    if style is not None:  # the theme's shape style (a shadow)
        sp.remove(style)
    bar = Shape(sp, layout.shapes)
    bar.name = name
    bar.fill.solid()
    bar.fill.fore_color.rgb = RGBColor.from_string(color)
    bar.line.fill.background()
    bar.shadow.inherit = False


def _footers(layout, dark: bool) -> None:
    """Footer left, slide number right, as the deck's footer."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    for ph in list(layout.placeholders):
        kind = ph.placeholder_format.type
        if kind == PP_PLACEHOLDER.DATE:
            ph._element.getparent().remove(ph._element)
        elif kind == PP_PLACEHOLDER.FOOTER:
            _xfrm(ph, 0.58, 7.0, 10.0, 0.3)
            _defrpr(ph, 10, palette.PALE_BLUE if dark else GRIS, align="l", anchor="ctr", font="+mn-lt")
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            _xfrm(ph, 10.75, 7.0, 2.0, 0.3)
            _defrpr(ph, 10, BLANCO if dark else AZUL, bold=True, align="r", anchor="ctr", font="+mn-lt")


def _theme(prs) -> None:
    """The theme's name and colours (python-pptx keeps the theme as XML bytes)."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    root.set("name", "ANM")
    scheme = root.find(".//a:clrScheme", ns)
    scheme.set("name", "ANM")
    for key, value in TEMA.items():
        slot = scheme.find(f"a:{key}", ns)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{ns['a']}}}srgbClr").set("val", value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def crear(path: Path) -> Path:
    """Write the template: 16:9, three layouts, the agency's colours."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor

    prs = Presentation()
    scale = 13.333 / 10.0
    prs.slide_width, prs.slide_height = _emu(13.333), _emu(7.5)
    for part in [prs.slide_master, *prs.slide_layouts]:  # the 4:3 default stretched to 16:9
        for shape in part.shapes:
            if shape.left is not None:
                shape.left, shape.width = int(shape.left * scale), int(shape.width * scale)
    keep = {"Title Slide": "portada", "Section Header": "divisor", "Title and Content": "contenido"}
    for layout in list(prs.slide_layouts):
        if layout.name not in keep:
            prs.slide_layouts.remove(layout)
    master = prs.slide_master
    _theme(prs)
    # every title: the institutional blue, bold, left-aligned
    styles = master._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}txStyles")
    _title_style(styles)
    layouts = {keep[layout.name]: layout for layout in prs.slide_layouts}
    for role, layout in layouts.items():
        layout.name = DISENOS[role][0]

    # the dark layouts: title (top, size), text (top, height, size, colour), the gold bar (top, height)
    for role, title_top, title_h, title_pt, text_top, text_h, text_pt, text_rgb, bar_top, bar_h in (
            ("portada", 3.0, 1.5, 44, 4.6, 0.8, 28, palette.COVER_GOLD, 1.6, 3.9),
            ("divisor", 2.2, 1.4, 54, 3.7, 2.6, 24, palette.LIGHT_BLUE, 2.3, 2.6)):
        layout = layouts[role]
        layout.background.fill.solid()
        layout.background.fill.fore_color.rgb = RGBColor.from_string(AZUL)
        for ph in layout.placeholders:
            idx = ph.placeholder_format.idx
            if idx == 0:
                _xfrm(ph, 1.2, title_top, 11.0, title_h)
                _defrpr(ph, title_pt, BLANCO, bold=True, align="l", anchor="b")
            elif idx == 1:
                _xfrm(ph, 1.2, text_top, 11.0, text_h)
                _defrpr(ph, text_pt, text_rgb, align="l", anchor="t")
                _bullets_off(ph)
        _bar(layout, 0.8, bar_top, 0.12, bar_h, ORO, "Filete")
        _footers(layout, dark=True)

    contenido = layouts["contenido"]
    for ph in contenido.placeholders:
        idx = ph.placeholder_format.idx
        if idx == 0:
            _xfrm(ph, 0.58, 0.25, 12.17, 0.75)
            _defrpr(ph, 30, AZUL, bold=True, align="l", anchor="b")
        elif idx == 1:  # the area the exporter fills (removed from each slide)
            _xfrm(ph, 0.58, 1.25, 12.17, 5.6)
    _bar(contenido, 0.58, 1.04, 12.17, 0.042, ORO, "Filete del título")
    _footers(contenido, dark=False)

    props = prs.core_properties
    props.title = "Plantilla del Informe de Servicio y Atención al Usuario"
    props.author = props.last_modified_by = "GAPCC · Agencia Nacional de Minería"
    props.language = "es-CO"
    props.revision = 1
    props.created = props.modified = dt.datetime(2026, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(path)
    return path


def _title_style(styles) -> None:
    from lxml import etree
    from pptx.oxml.ns import qn

    lvl = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
    lvl.set("algn", "l")
    rpr = lvl.find(qn("a:defRPr"))
    rpr.set("b", "1")
    for old in rpr.findall(qn("a:solidFill")):
        rpr.remove(old)
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", AZUL)
    rpr.insert(0, fill)


def main(argv: list[str] | None = None) -> int:
    target = Path((argv or sys.argv[1:] or [str(config.PPTX_TEMPLATE_FILE)])[0])
    print(f"plantilla escrita: {crear(target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

