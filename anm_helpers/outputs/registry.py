"""The report's outputs: the only way out. Each exporter renders the same slide model
(``slides.model.Informe``, which carries the month's figures too) and declares:

- ``salida``: its name (``ANM_SALIDAS`` chooses some, a developers' setting);
- ``archivo(mes)``: the file or folder it writes in ``reports/<MES>/``;
- ``necesita``: the outputs it builds on (the PDF is Chromium's print of the written
  deck), written before it;
- ``siempre``: written by every build, even one that asks for a subset (the deck);
- ``en_segundo_plano``: written on a thread of its own while the next ones write;
- ``escribir(informe, path)``: write it; the build's line saying so, or None when it
  could not be written (its ``notas`` say why); ``avisos``, warnings the build prints;
- optionally ``preparar()`` (called once the data pass: Chromium starts there) and
  ``cerrar()`` (called when the build ends, whatever happens).

Adding an output is one class and one line in :data:`EXPORTERS`; the build's writing
step, its last line, the fingerprint and the preview are loops over this registry.
"""
from __future__ import annotations

import os

from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.core.text import visible
from anm_helpers.outputs.changes_page import Cambios
from anm_helpers.outputs.deck import DeckHTML
from anm_helpers.outputs.open_data import DatosAbiertos
from anm_helpers.outputs.pdf import PDF
from anm_helpers.outputs.pptx import PowerPoint
from anm_helpers.outputs.slide_texts import TextosDiapositivas

#: every output, in the order reviewers use them (the build's last line lists them so)
EXPORTERS: tuple[type, ...] = (
    DeckHTML,  # informe-<MES>.html: the reveal.js deck (templates/anm/, one Jinja macro per element)
    PDF,  # informe-<MES>.pdf: the deck printed by Chromium, tagged and accessible
    PowerPoint,  # informe-<MES>.pptx: editable, native charts (templates/anm/plantilla.pptx)
    DatosAbiertos,  # datos-abiertos/: the figures as described open data (Frictionless)
    TextosDiapositivas,  # diapositivas.json: each slide's texts (the next build's comparison, the site)
    Cambios,  # cambios.html: what changed from the published version (templates/cambios/)
)


def names() -> tuple[str, ...]:
    return tuple(e.salida for e in EXPORTERS)


def chosen_names() -> frozenset[str]:
    """The outputs this build writes: all of them, unless ANM_SALIDAS names a
    comma-separated subset (a developers' setting, docs/desarrollo.md: the tests whose
    checks read only the deck and metrics.json skip what they never open). The outputs
    written always, and those a chosen one needs, come with it. A build with a subset
    is never taken for a complete one (its fingerprint differs)."""
    raw = os.environ.get("ANM_SALIDAS")
    every = names()
    if raw is None:
        return frozenset(every)
    chosen = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = sorted(chosen - set(every))
    if unknown:
        always = [e.salida for e in EXPORTERS if getattr(e, "siempre", False)]
        raise ConstruccionFallida(
            f'ANM_SALIDAS="{visible(raw)}": {", ".join(map(visible, unknown))} no es una salida; las salidas son '
            f'{", ".join(n for n in every if n not in always)} (siempre se escriben: {", ".join(always)})')
    by_name = {e.salida: e for e in EXPORTERS}
    todo = list(chosen) + [e.salida for e in EXPORTERS if getattr(e, "siempre", False)]
    while todo:
        name = todo.pop()
        chosen.add(name)
        todo += [n for n in getattr(by_name[name], "necesita", ()) if n not in chosen]
    return frozenset(chosen)


def exporters(solo: tuple[str, ...] | None = None) -> list:
    """Fresh exporters for one build, in writing order (each after what it needs):
    those ``chosen_names`` says, or only ``solo`` (the preview: the deck alone)."""
    wanted = chosen_names() if solo is None else frozenset(solo)
    pending = [e for e in EXPORTERS if e.salida in wanted]
    order: list[type] = []
    while pending:
        ready = [e for e in pending if all(n in {o.salida for o in order} or n not in wanted
                                           for n in getattr(e, "necesita", ()))]
        if not ready:
            raise ConstruccionFallida("las salidas se necesitan unas a otras en círculo: "
                                      + ", ".join(e.salida for e in pending))
        order.append(ready[0])
        pending.remove(ready[0])
    return [e() for e in order]


def files(mes: str) -> list[str]:
    """Every output's file name in ``reports/<MES>/``, in the registry's order."""
    return [e().archivo(mes) for e in EXPORTERS]


def archivo(salida: str, mes: str) -> str:
    """The file one output writes for ``mes`` (``archivo("html", "2024-03")``)."""
    return next(e for e in EXPORTERS if e.salida == salida)().archivo(mes)
