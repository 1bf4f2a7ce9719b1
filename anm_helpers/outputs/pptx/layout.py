"""The PowerPoint's measures: colours, units, how much room a text takes, the deck's
text styles, and the block a content slide is made of (:class:`Block`) with the
fitting of a slide's blocks in its room (:func:`fit_blocks`).

The bottom of ``outputs.pptx``: it imports none of its siblings.
"""
from __future__ import annotations

from dataclasses import dataclass

from anm_helpers.core.palette import BLUE, BORDER, GOLD, GREEN, GREY, INK, LIGHT_BLUE, NOTICE_FILL  # noqa: F401

#: number format of every figure on a chart: the viewer's thousands separator (es-CO: 4.924)
FORMATO_NUMERO = "#,##0"
#: a share (the year's monthly series of satisfaction, first-contact resolution): ``92,9%``
FORMATO_PORCENTAJE = "0.0%"

#: average width of a character, in ems, used to tell how many lines a text takes (on the wide side:
#: a viewer without the theme's font draws a wider one)
CHAR_WIDTH = 0.53
#: width of a figure's character (bold digits), in ems, likewise on the wide side
DIGIT_WIDTH = 0.74
#: room between the blocks of a slide, inches
GAP = 0.18


# --- units and text ---------------------------------------------------------------------
def emu(inches: float) -> int:
    return int(round(inches * 914400))


def inches(emu: int) -> float:
    return emu / 914400


def rgb(color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#").upper())


def line_count(text: str, size: float, width: float) -> int:
    """Lines ``text`` takes at ``size`` points in a box ``width`` inches wide (wrapped by words)."""
    per_line = max(1, int(width * 72 / (size * CHAR_WIDTH)))
    lines = 0
    for part in text.split("\n"):
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


def text_height(paragraphs: list[tuple[str, float]], width: float, space_after: float = 0.35,
                line_spacing: float = 1.2) -> float:
    """Inches that paragraphs ``(text, size)`` take, ``space_after`` ems after each."""
    total = 0.0
    for text, size in paragraphs:
        total += line_count(text, size, width) * size * line_spacing + size * space_after
    return total / 72


@dataclass
class Style:
    """How a text block looks: size (pt), colour, weight, slant, background and left rule."""
    size: float = 18
    color: str = INK
    bold: bool = False
    italic: bool = False
    fill: str = ""
    rule: str = ""
    space_after: float = 0.35
    #: size of bold runs (the deck's large figure in "Total 4.924 interacciones"), else the text's
    bold_size: float = 0


#: the deck's text styles (deck.css), in points (a 1280-pixel slide on a 13.33-inch one: px × 0.75)
STYLES = {
    "": Style(18),
    "anm-texto": Style(18),
    "anm-glosario": Style(16.5, space_after=0.3),
    "anm-nota": Style(18, fill=LIGHT_BLUE),
    "anm-subtitulo": Style(15.5, GREY, space_after=0.1),
    "anm-total": Style(24, bold_size=39, space_after=0),
    "aviso": Style(21, GREY, italic=True, fill=NOTICE_FILL, rule=GOLD),
    "comentario": Style(15.5, fill=LIGHT_BLUE, rule=BLUE, space_after=0.2),
    "lista": Style(16.5, space_after=0.45),
    "avisos": Style(15, space_after=0.25),
}


# --- blocks: what an element needs on a slide, and how the slide's room is shared -------------
class Block:
    """One element on a content slide: its height for a width (``height``), whether it
    takes the room left (``flexible``, charts), and how it is drawn (``draw``)."""
    flexible = False
    minimum = 0.0
    maximum = 99.0
    max_width = 99.0

    def height(self, width: float, scale: float = 1.0) -> float:
        return 0.0

    def draw(self, slide, x: float, y: float, w: float, h: float, scale: float = 1.0) -> None:
        raise NotImplementedError


def fit_blocks(blocks: list[Block], w: float, h: float) -> tuple[float, list[float]]:
    """A text scale and each block's height so that they fit in ``h``: text shrinks (to 60%)
    before charts go under their minimum."""
    gaps = GAP * max(len(blocks) - 1, 0)
    for scale in (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.65, 0.6):
        fixed = [0.0 if b.flexible else b.height(min(w, b.max_width), scale) for b in blocks]
        flex = [b for b in blocks if b.flexible]
        room = h - gaps - sum(fixed)
        if room >= sum(b.minimum for b in flex) - 1e-6 or scale == 0.6:
            break
    heights = list(fixed)
    flexible = [i for i, b in enumerate(blocks) if b.flexible]
    left = max(room, 0.0)
    # share the room among charts, each up to its maximum
    pending = list(flexible)
    while pending:
        share = left / len(pending)
        capped = [i for i in pending if blocks[i].maximum <= share]
        if not capped:
            for i in pending:
                heights[i] = max(share, blocks[i].minimum)
            break
        for i in capped:
            heights[i] = blocks[i].maximum
            left -= blocks[i].maximum
            pending.remove(i)
    return scale, heights
