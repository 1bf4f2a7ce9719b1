"""The executed section notebooks as one deck notebook: named values filled in the
narrative, code cells reduced to what they display, slides split where a helper
started a new one, all sections merged in order (the slide model's input)."""
from __future__ import annotations

import copy
import re

from anm_helpers.core import fmt
from anm_helpers.core.errors import ConstruccionFallida, NombreDesconocido
from anm_helpers.core.reproducible import content_id

SHOWN_OUTPUTS = ("display_data", "execute_result")


def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def fill_narrative(nb, cifras: dict, nombre: str) -> None:
    """Fill ``{nombre}`` in the markdown cells of an executed section (skipped
    cells are notes for analysts and stay as written)."""
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "markdown" or slide_type(cell) == "skip":
            continue
        try:
            cell.source = fmt.rellenar(cell.source, cifras)
        except (NombreDesconocido, ValueError) as exc:
            raise ConstruccionFallida(f"notebooks/{nombre}.ipynb, celda {i}: {exc}") from None


#: what papermill and the kernel record of one execution: its times and the build's own
#: temporary context file (gone once the report is published)
_RUN_TIMES = ("start_time", "end_time", "duration")
_CONTEXT_PARAMETER = re.compile(r'^contexto = ".*"$', re.MULTILINE)


def settle(nb, nombre: str) -> None:
    """An executed section as the report publishes it (``core.reproducible``): the
    same notebook, data, params and code, the same bytes. Cell ids from the section's
    name, the cell's place and its source (nbformat and papermill draw them at random);
    no execution times (papermill's, the kernel's); execution counts from 1, as on a
    kernel of its own (a warm kernel runs several sections, in any order); the
    ``contexto`` parameter empty, as the build's context file is temporary (opened on
    its own, the notebook takes the month's cached context, ``seccion.abrir``)."""
    count = 0
    for i, cell in enumerate(nb.cells):
        if cell.get("execution_count") is not None:  # as on a kernel of its own, not the warm one's nth run
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output.execution_count = count
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = _CONTEXT_PARAMETER.sub('contexto = ""', cell.source)
        cell.id = content_id(nombre, i, cell.cell_type, cell.source)
        cell.metadata.pop("execution", None)
        for key in _RUN_TIMES:
            cell.metadata.get("papermill", {}).pop(key, None)
    run = nb.metadata.get("papermill")
    if run:
        for key in _RUN_TIMES:
            run.pop(key, None)
        if "output_path" in run:
            run["output_path"] = f"notebooks/{nombre}.ipynb"
        if "contexto" in run.get("parameters", {}):
            run["parameters"]["contexto"] = ""


def _starts_slide(output) -> bool:
    return bool(output.get("metadata", {}).get("anm", {}).get("diapositiva"))


def deck_cells(nb) -> list:
    """The cells of one executed section as the deck shows them: markdown as
    is; of code cells only their displayed outputs (no input, no stream, no
    empty cell), split where a helper started a new slide."""
    import nbformat  # here, not above: a section's kernel imports this module for ``render`` alone

    cells = []
    pending_slide = False
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind == "skip":
            continue
        if cell.cell_type == "markdown":
            new = copy.deepcopy(cell)
            if pending_slide and kind == "-":
                new.metadata.setdefault("slideshow", {})["slide_type"] = "slide"
            pending_slide = False
            cells.append(new)
            continue
        if cell.cell_type != "code":
            continue
        outputs = [o for o in cell.get("outputs", []) if o.output_type in SHOWN_OUTPUTS]
        if not outputs:
            pending_slide = pending_slide or kind == "slide"
            continue
        groups: list[list] = []
        for out in outputs:
            if not groups or (_starts_slide(out) and groups[-1]):
                groups.append([])
            groups[-1].append(out)
        for j, group in enumerate(groups):
            first_kind = kind if kind != "-" or not (pending_slide or _starts_slide(group[0])) else "slide"
            new = nbformat.v4.new_code_cell(source="", metadata={
                "slideshow": {"slide_type": first_kind if j == 0 else "slide"}})
            new.outputs = group
            cells.append(new)
        pending_slide = False
    return cells


def merge(sections: list, titulo: str):
    """One notebook of all sections' deck cells, in order."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"title": titulo, "kernelspec": {"name": "python3", "display_name": "Python 3"},
                   "language_info": {"name": "python"}}
    for section in sections:
        nb.cells.extend(deck_cells(section))
    if nb.cells:
        nb.cells[0].metadata.setdefault("slideshow", {})["slide_type"] = "slide"
    for i, cell in enumerate(nb.cells):  # the deck's ids from content, not drawn at random
        cell.id = content_id("deck", i, cell.cell_type, cell.source)
    return nb
