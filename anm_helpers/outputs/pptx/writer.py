"""The PowerPoint's presentation and slides: the template's layouts, one slide per deck
slide (cover, divider or content) with its title in the layout's title placeholder, the
content laid out in the body placeholder's box, the footer, the speaker notes, the
document's properties; :func:`escribir` writes the file and :class:`PowerPoint` is the
exporter the build runs.

The top of ``outputs.pptx``: imports :mod:`.layout`, :mod:`.shapes` and :mod:`.elements`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.core.reproducible import fix_zip_times, fixed_time
from anm_helpers.core.palette import PALE_BLUE, WHITE
from anm_helpers.outputs.pptx.elements import Cards, Total, blocks_for
from anm_helpers.outputs.pptx.layout import GAP, GOLD, emu, fit_blocks, inches
from anm_helpers.outputs.pptx.shapes import NOT_XML, add_run, plain_text, text_frame
from anm_helpers.outputs.pptx_template import DISENOS
from anm_helpers.slides import model


class PowerPoint:
    """The exporter of the editable presentation: ``informe-<MES>.pptx``."""

    salida = "pptx"
    avisos: list[str] = []

    def archivo(self, mes: str) -> str:
        return f"informe-{mes}.pptx"

    def escribir(self, informe: model.Informe, path: Path) -> str:
        n = escribir(informe, path)
        return f"PowerPoint escrito: {path.name} ({n} diapositivas)"


# --- the template's layouts and placeholders ------------------------------------------------
@dataclass
class Layouts:
    cover: object
    divider: object
    content: object


def find_layouts(prs, template: Path) -> Layouts:
    """The template's layouts by name (``pptx_template.DISENOS``), else Office's own names;
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

    content = find("contenido")
    if content is None or not has_title(content):
        raise ConstruccionFallida(
            f"la plantilla de PowerPoint {template} no tiene un diseño «{DISENOS['contenido'][0]}» (o «Title and "
            "Content») con un marcador de título; vea README, «The PowerPoint»")
    cover = find("portada")
    divider = find("divisor")
    cover = cover if cover is not None and has_title(cover) else content
    divider = divider if divider is not None and has_title(divider) else cover
    return Layouts(cover, divider, content)


def _placeholder(slide, *kinds):
    for ph in slide.placeholders:
        if ph.placeholder_format.type in kinds:
            return ph
    return None


def _set_title(slide, text: str) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    ph = _placeholder(slide, PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    ph.text_frame.text = NOT_XML.sub("", text)
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
        box = (inches(ph.left), inches(ph.top), inches(ph.width), inches(ph.height))
        for ph in bodies:
            ph._element.getparent().remove(ph._element)
        return box
    title = _placeholder(slide, PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    sw, sh = inches(prs.slide_width), inches(prs.slide_height)
    top = inches(title.top + title.height) + 0.25
    return inches(title.left), top, sw - 2 * inches(title.left), sh - top - 0.6


def _footer(slide, layout, footer: str, total: int) -> None:
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
        parts = [("a:r", footer)] if kind == PP_PLACEHOLDER.FOOTER else [("a:fld", "‹#›"), ("a:r", f" / {total}")]
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


# --- the three kinds of slide ------------------------------------------------------------------
def _cover(prs, slide, e: dict) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    title = _placeholder(slide, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
    left, width = inches(title.left), inches(title.width)
    top = max(0.4, inches(title.top) - 1.45)
    box = slide.shapes.add_textbox(emu(left), emu(top), emu(width), emu(1.3))
    box.name = "Entidad"
    tf = text_frame(box, 0.08)
    p = tf.paragraphs[0]
    add_run(p, e["entidad"].upper(), 26, WHITE, bold=True)
    p = tf.add_paragraph()
    add_run(p, e["grupo"], 18, PALE_BLUE)
    _to_front(slide, box)
    bodies = _body_placeholders(slide)
    if bodies:
        bodies[0].text_frame.text = NOT_XML.sub("", e["mes"])
        for ph in bodies[1:]:
            ph._element.getparent().remove(ph._element)
    else:
        box = slide.shapes.add_textbox(title.left, title.top + title.height, title.width, emu(0.8))
        add_run(text_frame(box).paragraphs[0], e["mes"], 28, GOLD, bold=True)
    if e.get("borrador"):  # an unfinished month: said on the cover (and in every footer)
        box = slide.shapes.add_textbox(emu(left), emu(top + 1.3 + inches(title.height) + 1.1), emu(width),
                                       emu(0.6))
        box.name = "Borrador"
        add_run(text_frame(box).paragraphs[0], "BORRADOR", 24, WHITE, bold=True)


def _divider(slide, e: dict) -> None:
    bodies = _body_placeholders(slide)
    lines = [e["subtitulo"]] + ([" · ".join(e["puntos"])] if e["puntos"] else [])
    if bodies:
        tf = bodies[0].text_frame
        tf.text = NOT_XML.sub("", lines[0])
        for line in lines[1:]:
            p = tf.add_paragraph()
            p.text = NOT_XML.sub("", line)
            p.space_before = emu(0.25)
            for run in p.runs:
                run.font.bold = True
        for ph in bodies[1:]:
            ph._element.getparent().remove(ph._element)


def _content(prs, slide, d: model.Diapositiva) -> None:
    x, y, w, h = _content_box(prs, slide)
    blocks = blocks_for(d)
    if not blocks:
        return
    scale, heights = fit_blocks(blocks, w, h)
    used = sum(heights) + GAP * (len(blocks) - 1)
    # a slide of cards (or only a statement that the month has nothing): in the middle of the
    # room under the title, as in the deck; any other from the top
    middle = all(isinstance(b, (Cards, Total)) or getattr(b, "centred", False) for b in blocks)
    top = y + max((h - used) / 2, 0) if middle else y
    for b, bh in zip(blocks, heights):
        bw = min(w, b.max_width)
        b.draw(slide, x + (w - bw) / 2, top, bw, bh, scale)
        top += bh + GAP


def _notes(slide, notes: list[str]) -> None:
    if not notes:
        return
    slide.notes_slide.notes_text_frame.text = NOT_XML.sub("", "\n\n".join(plain_text(n) for n in notes))


def _drop_template_slides(prs) -> None:
    """A template's own slides (examples) are not the report's."""
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


def escribir(informe: model.Informe, path: Path, template: Path | None = None) -> int:
    """Write the presentation of ``informe`` to ``path`` on the template ``template``
    (default: ``config.PPTX_TEMPLATE``); the number of slides."""
    from pptx import Presentation

    template = Path(template or config.PPTX_TEMPLATE)
    if not template.is_file():
        raise ConstruccionFallida(f"no se encuentra la plantilla de PowerPoint {template}")
    try:
        prs = Presentation(str(template))
    except Exception as exc:  # a file that is not a .pptx (a .potx must be saved as .pptx)
        raise ConstruccionFallida(f"la plantilla de PowerPoint {template} no se puede abrir ({exc}); "
                                  "guárdela como presentación .pptx") from None
    _drop_template_slides(prs)
    layouts = find_layouts(prs, template)
    total = len(informe.diapositivas)
    for n, d in enumerate(informe.diapositivas, start=1):
        kinds = {e["tipo"] for e in d.elementos}
        layout = layouts.cover if "portada" in kinds else layouts.divider if "divisor" in kinds \
            else layouts.content
        slide = prs.slides.add_slide(layout)
        _set_title(slide, d.titulo or f"{informe.titulo} ({n})")
        if "portada" in kinds:
            _cover(prs, slide, next(e for e in d.elementos if e["tipo"] == "portada"))
        elif "divisor" in kinds:
            _divider(slide, next(e for e in d.elementos if e["tipo"] == "divisor"))
        else:
            _content(prs, slide, d)
        for ph in _body_placeholders(slide):  # an empty placeholder shows "Click to add text"
            if not ph.text_frame.text.strip():
                ph._element.getparent().remove(ph._element)
        _footer(slide, layout, informe.pie, total)
        _notes(slide, d.notas)
    props = prs.core_properties
    props.title = informe.titulo
    props.subject = "Informe mensual de Servicio y Atención al Usuario"
    props.author = props.last_modified_by = "GAPCC · Agencia Nacional de Minería"
    props.language = "es-CO"
    props.keywords = f"ANM; GAPCC; {informe.mes}"
    # the month's date, not the clock's (core.reproducible): the same report, the same bytes
    when = fixed_time(informe.mes)
    props.created = props.modified = when.replace(tzinfo=None)
    prs.save(str(path))
    fix_zip_times(path, when)  # the zip entries' times and the charts' workbooks (XlsxWriter stamps them)
    return total
