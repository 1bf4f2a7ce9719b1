"""The report's outputs: one exporter per format, each rendering the same slide
model (``modelo.Informe``), in the order the build writes them.

An exporter is a small class with two methods::

    class Formato:
        def archivo(self, mes: str) -> str:
            "the file it writes in reports/<MES>/"
        def escribir(self, informe: modelo.Informe, path: Path) -> str:
            "write it; return the build's line saying what was written"

(an exporter may also keep ``avisos``, warnings the build prints after its line).

Adding a format is one module with such a class and one line in
:data:`EXPORTERS`. The deck comes first: the PDF is Chromium's print of it
(``build._write_outputs``), made while the next exporters write.
"""
from __future__ import annotations

from anm_helpers.outputs.open_data import DatosAbiertos
from anm_helpers.outputs.deck import DeckHTML
from anm_helpers.outputs.pptx import PowerPoint

EXPORTERS = (
    DeckHTML(),  # informe-<MES>.html: the reveal.js deck (templates/anm/, one Jinja macro per element)
    PowerPoint(),  # informe-<MES>.pptx: editable, native charts (templates/anm/plantilla.pptx)
    DatosAbiertos(),  # datos-abiertos/: the figures as described open data (Frictionless)
)
