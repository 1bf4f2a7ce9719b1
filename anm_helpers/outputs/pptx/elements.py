"""The blocks of a content slide other than charts, one per kind of slide element:
text (narrative, notices, lists), a total, a row of figure cards, an "Análisis de …"
body, the data-quality annex (a real table and its warnings), a picture; and
:func:`blocks_for`, a slide's elements as blocks in their order.

Imports :mod:`.layout`, :mod:`.shapes` and :mod:`.charts`.
"""
from __future__ import annotations

import base64
import io
import re

from anm_helpers.core.palette import WHITE
from anm_helpers.outputs.pptx.charts import Chart
from anm_helpers.outputs.pptx.layout import (BLUE, BORDER, DIGIT_WIDTH, GAP, GREEN, GREY, INK, NOTICE_FILL,
                                             STYLES, Block, Style, emu, line_count, rgb, text_height)
from anm_helpers.outputs.pptx.shapes import (add_markdown, add_run, mark_decorative, rectangle, right_tab,
                                             set_alt_text, text_frame)
from anm_helpers.slides import model


class TextBlock(Block):
    #: centred in the room with cards (as the deck does a statement, or a total under its cards)
    centred = False

    def __init__(self, markdown: str, style: Style, start_number: int | None = None):
        self.markdown, self.style, self.number = markdown, style, start_number
        self.paragraphs = model.narrativa(markdown)

    def _padding(self) -> float:
        return 0.3 if self.style.fill else 0.12

    def height(self, width, scale=1.0):
        size = max(self.style.size, self.style.bold_size) * scale
        indent = lambda p: (size * 1.3 * max(p.nivel, 1 if self.number is not None else 0)) / 72  # noqa: E731
        lines = sum(line_count(p.texto, size, width - 2 * self._padding() - indent(p)) for p in self.paragraphs)
        return (lines * size * 1.2 + len(self.paragraphs) * size * self.style.space_after) / 72 \
            + 2 * min(self._padding(), 0.15) + 0.08

    def draw(self, slide, x, y, w, h, scale=1.0):
        box = rectangle(slide.shapes, x, y, w, h, self.style.fill) if self.style.fill else \
            slide.shapes.add_textbox(emu(x), emu(y), emu(w), emu(h))
        tf = text_frame(box, self._padding())
        add_markdown(tf, self.markdown, self.style, [], self.number, scale)
        if self.style.rule:
            mark_decorative(rectangle(slide.shapes, x, y, 0.07, h, self.style.rule))


class Total(Block):
    def __init__(self, e: dict):
        self.e = e

    def height(self, width, scale=1.0):
        return 39 * 1.25 / 72 + 0.1

    def draw(self, slide, x, y, w, h, scale=1.0):
        tf = text_frame(slide.shapes.add_textbox(emu(x), emu(y), emu(w), emu(h)), 0.08)
        p = tf.paragraphs[0]
        add_run(p, "Total ", 24)
        add_run(p, self.e["valor"], 39, BLUE, bold=True)
        add_run(p, f" {self.e['unidad']}", 24)


class Cards(Block):
    """A row of cards: each a rectangle holding its figure and label, the channel's colour on top."""

    def __init__(self, e: dict):
        self.cards = e["tarjetas"]
        self.css_class = e.get("clase", "")
        self.single = len(self.cards) == 1
        base = {"anm-secundarias": (39, 15.5), "anm-consolidado": (48, 18)}.get(self.css_class, (69, 18))
        self.figure_size, self.label_size = (90, 22.5) if self.single else base
        self.band = 0.08 if self.css_class == "anm-secundarias" else 0.125
        self.pad = 0.18 if self.css_class == "anm-secundarias" else 0.3

    def _card_width(self, width):
        n = len(self.cards)
        if self.single:
            return min(width, 7.9)
        return (width - (n - 1) * 0.27) / n

    def _figure(self, card, cw, scale):
        """The size of a card's figure: the class's, smaller if it would not fit on a line."""
        if card.get("sin_datos"):
            return 25.5 * scale
        size = self.figure_size * scale
        fits = (cw - 2 * self.pad) * 72 / (max(len(card["valor"]), 1) * DIGIT_WIDTH)
        return max(16.0, min(size, fits))

    def card_height(self, card, cw, scale):
        inner = cw - 2 * self.pad
        size = self._figure(card, cw, scale)
        h = line_count(card["valor"], size, inner) * size * 1.1 / 72
        h += line_count(card["etiqueta"], self.label_size * scale, inner) * self.label_size * scale * 1.25 / 72 + 0.08
        if card.get("definicion"):
            h += text_height([(card["definicion"], 15 * scale)], inner) + 0.1
        if card.get("meses"):
            h += len(card["meses"]) * 16 * scale * 1.55 / 72 + 0.12
        return h + self.band + 2 * self.pad

    def height(self, width, scale=1.0):
        cw = self._card_width(width)
        return max(self.card_height(c, cw, scale) for c in self.cards)

    def draw(self, slide, x, y, w, h, scale=1.0):
        from pptx.enum.text import PP_ALIGN

        cw = self._card_width(w)
        x0 = x + (w - cw) / 2 if self.single else x
        for i, card in enumerate(self.cards):
            cx = x0 + i * (cw + 0.27)
            group = slide.shapes.add_group_shape()
            group.name = f"Tarjeta: {card['etiqueta']}"
            set_alt_text(group, f"{card['etiqueta']}: {card['valor']}")
            box = rectangle(group.shapes, cx, y, cw, h, WHITE, BORDER, name=f"Cifra: {card['etiqueta']}")
            tf = text_frame(box, self.pad)
            tf.margin_top = emu(self.band + self.pad * 0.8)
            size = self._figure(card, cw, scale)
            p = tf.paragraphs[0]
            p.line_spacing = 0.95
            add_run(p, card["valor"], size, GREY if card.get("sin_datos") else INK, bold=not card.get("sin_datos"),
                    italic=card.get("sin_datos", False))
            p = tf.add_paragraph()
            p.space_before = emu(0.06)
            add_run(p, card["etiqueta"], self.label_size * scale, GREY)
            if card.get("definicion"):
                p = tf.add_paragraph()
                p.space_before = emu(0.1)
                add_run(p, card["definicion"], 15 * scale, INK)
            for m in card.get("meses") or []:
                p = tf.add_paragraph()
                p.space_before = emu(0.05)
                right_tab(p, cw - 2 * self.pad)
                add_run(p, m["mes"], 16 * scale, INK)
                add_run(p, "\t" + m["valor"], 16 * scale, INK)
            for paragraph in tf.paragraphs:
                paragraph.alignment = PP_ALIGN.LEFT
            band = rectangle(group.shapes, cx, y, cw, self.band, card.get("color") or BLUE)
            mark_decorative(band)


class Analysis(Block):
    """An "Análisis de …" body: the consolidated card beside the text, the commentary under both."""

    def __init__(self, e: dict):
        self.e = e
        card = dict(e["tarjeta"], color=BLUE)
        self.card = Cards({"tarjetas": [card], "clase": "anm-analisis"})
        self.card.single, self.card.figure_size, self.card.label_size = False, 54, 18
        markdown = e["texto"] + "\n\n" + "\n".join(f"- {li}" for li in e["lineas"]) + "\n\n" + e["promedio"]
        self.text = TextBlock(markdown, Style(18, space_after=0.3))
        self.commentary = TextBlock(e["comentario"], STYLES["comentario"]) if e["comentario"] else None

    def _parts(self, width, scale):
        """The card's width, the text's, the height of the two side by side, the commentary's."""
        cw = min(3.3, width * 0.3)
        tw = width - cw - 0.35
        upper = max(self.card.card_height(self.card.cards[0], cw, scale), self.text.height(tw, scale))
        lower = self.commentary.height(width, scale) if self.commentary else 0.0
        return cw, tw, upper, lower

    def height(self, width, scale=1.0):
        cw, tw, upper, lower = self._parts(width, scale)
        return upper + (GAP + lower if self.commentary else 0)

    def draw(self, slide, x, y, w, h, scale=1.0):
        cw, tw, upper, lower = self._parts(w, scale)
        self.card.draw(slide, x, y, cw, self.card.card_height(self.card.cards[0], cw, scale), scale)
        self.text.draw(slide, x + cw + 0.35, y, tw, upper, scale)
        if self.commentary:
            self.commentary.draw(slide, x, y + upper + GAP, w, lower, scale)


class Table(Block):
    """A real table (the data-quality annex's input files, the year's quarters)."""

    def __init__(self, e: dict):
        self.e = e

    def _row_height(self, scale):
        return 0.3 * scale

    def height(self, width, scale=1.0):
        return (len(self.e["filas"]) + 1) * self._row_height(scale)

    def draw(self, slide, x, y, w, h, scale=1.0):
        from pptx.enum.text import PP_ALIGN

        e = self.e
        rows, cols = len(e["filas"]) + 1, len(e["columnas"])
        frame = slide.shapes.add_table(rows, cols, emu(x), emu(y), emu(w), emu(h))
        frame.name = "Tabla de archivos"
        set_alt_text(frame, e["alt"])
        table = frame.table
        hashes = [i for i, c in enumerate(e["columnas"]) if c.get("celda") == "anm-hash"]
        widths = [0.0] * cols
        mono = 9.5 * scale
        longest = max([len(f[i]) for f in e["filas"] for i in hashes] or [0])
        fixed = {i: longest * mono * 0.61 / 72 + 0.22 for i in hashes}  # a hash on one line
        for i, c in enumerate(e["columnas"]):
            if c.get("clase") == "anm-num":  # its header on one line ("Telefónico": the year's quarters)
                fixed[i] = max(1.1, len(c["texto"]) * 12.5 * scale * 0.6 / 72 + 0.3)
        rest = max(w - sum(fixed.values()), 1.5)
        free = [i for i in range(cols) if i not in fixed]
        for i in range(cols):
            widths[i] = fixed.get(i, rest / max(len(free), 1))
        for i, width in enumerate(widths):
            table.columns[i].width = emu(width)
        for r in range(rows):
            table.rows[r].height = emu(self._row_height(scale))
            for c in range(cols):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = emu(0.02)
                text = e["columnas"][c]["texto"] if r == 0 else e["filas"][r - 1][c]
                tf = cell.text_frame
                p = tf.paragraphs[0]
                is_hash = r > 0 and c in hashes
                run = add_run(p, text, mono if is_hash else 12.5 * scale, WHITE if r == 0 else INK, bold=r == 0)
                if is_hash:
                    run.font.name = "Consolas"
                if "anm-num" in (e["columnas"][c].get("clase"), e["columnas"][c].get("celda")):
                    p.alignment = PP_ALIGN.RIGHT
                if r > 0:
                    cell.fill.solid()
                    cell.fill.fore_color.rgb = rgb(WHITE if r % 2 else NOTICE_FILL)


class QualityAnnex(Block):
    """The data-quality annex: its warnings (or that there are none), then the input files' table."""

    def __init__(self, e: dict):
        self.e = e
        self.table = Table(e["tabla"])
        warnings = e["avisos"]
        if warnings is None:
            self.warnings = None
        elif warnings:
            lines = [f"- {escape_markdown(a['texto'])}" for a in warnings]
            if e["resto"] > 0:
                lines.append(f"- … y {e['resto']} aviso(s) más en construccion.log")
            self.warnings = TextBlock("\n".join(lines), STYLES["avisos"])
        else:
            self.warnings = TextBlock(escape_markdown(e["sin_avisos"]), Style(16.5, GREEN))

    def height(self, width, scale=1.0):
        return self.table.height(width, scale) + (self.warnings.height(width, scale) + 0.1 if self.warnings else 0)

    def draw(self, slide, x, y, w, h, scale=1.0):
        if self.warnings:
            wh = self.warnings.height(w, scale)
            self.warnings.draw(slide, x, y, w, wh, scale)
            y += wh + 0.1
        self.table.draw(slide, x, y, w, self.table.height(w, scale), scale)


def escape_markdown(text: str) -> str:
    """A plain text as Markdown that reads the same (no emphasis, list or HTML from its characters)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)


class Picture(Block):
    """A picture an analyst displayed (not from a helper)."""
    flexible = True
    minimum, maximum = 2.0, 5.5

    def __init__(self, e: dict, title: str):
        self.e, self.title = e, title

    def draw(self, slide, x, y, w, h, scale=1.0):
        from PIL import Image

        raw = base64.b64decode(self.e["png"])
        with Image.open(io.BytesIO(raw)) as im:
            ratio = im.width / max(im.height, 1)
        pw = min(w, h * ratio)
        ph = pw / ratio
        pic = slide.shapes.add_picture(io.BytesIO(raw), emu(x + (w - pw) / 2), emu(y), emu(pw), emu(ph))
        set_alt_text(pic, self.e.get("alt") or f"Imagen de la diapositiva «{self.title}»")


def blocks_for(d: model.Diapositiva) -> list[Block]:
    """A content slide's elements as blocks, in their order (covers and dividers have none)."""
    out: list[Block] = []
    for e in d.elementos:
        kind = e["tipo"]
        if kind == "titulo":
            if e.get("subtitulo"):
                out.append(TextBlock(escape_markdown(e["subtitulo"]), STYLES["anm-subtitulo"]))
        elif kind == "texto":
            out.append(TextBlock(e["markdown"], STYLES.get(e.get("clase", ""), STYLES[""])))
            out[-1].centred = e.get("clase") == "anm-total"  # a total under cards, as in the deck
        elif kind == "aviso":
            out.append(TextBlock(escape_markdown(e["texto"]), STYLES["aviso"]))
            out[-1].centred = True
        elif kind == "tarjetas":
            out.append(Cards(e))
        elif kind == "total":
            out.append(Total(e))
        elif kind == "grafico":
            out.append(Chart(e))
        elif kind == "analisis":
            out.append(Analysis(e))
        elif kind == "lista":
            items = "\n".join(f"{n}. {_one_line(i)}" for n, i in enumerate(e["items"], start=e["inicio"]))
            out.append(TextBlock(items, STYLES["lista"]))
        elif kind == "tabla":
            out.append(Table(e))
        elif kind == "calidad":
            out.append(QualityAnnex(e))
        elif kind == "imagen":
            out.append(Picture(e, d.titulo))
    return out


def _one_line(markdown: str) -> str:
    """A list item's Markdown on one line (so it stays one numbered item)."""
    return " ".join(markdown.split())
