"""The PowerPoint exporter: ``informe-<MES>.pptx``, the deck as an editable
presentation, rendered from the slide model (``slides.model``) with python-pptx on the
template ``templates/anm/plantilla.pptx`` (or the file ``ANM_PPTX_TEMPLATE``
names: ``config.PPTX_TEMPLATE``; ``pptx_template`` says what a template must have).

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

The modules, each importing only the ones above it in this list:

- ``layout``: colours, units, text measuring, the deck's text styles, the block
  interface and the fitting of a slide's blocks in its room;
- ``shapes``: drawing primitives (rectangles, text frames, runs, list markers,
  narrative into a text frame, alternative text, the decorative mark);
- ``charts``: the native charts with their embedded data;
- ``elements``: the other blocks (text, total, cards, analysis, the quality
  annex's table, pictures) and a slide's elements as blocks;
- ``writer``: the presentation and its slides, :func:`escribir` and the exporter.
"""
from __future__ import annotations

from anm_helpers.outputs.pptx.layout import FORMATO_NUMERO
from anm_helpers.outputs.pptx.writer import PowerPoint, escribir

__all__ = ["FORMATO_NUMERO", "PowerPoint", "escribir"]
