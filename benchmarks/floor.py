"""The floor of a month's build (benchmark scenario a): ONE papermill run of a
single notebook holding every section's code (context computed once in it),
then the deck and the PDF. Usage: python benchmarks/floor.py MES OUT_DIR"""
import sys
from pathlib import Path

import anm_helpers  # noqa: F401  (first: the same import fix the build gets, see anm_helpers/__init__.py)
import nbformat
import papermill as pm

from anm_helpers.core import config
from anm_helpers.outputs.deck import write_deck
from anm_helpers.outputs.pdf import write_pdf
from anm_helpers.builder.runner import KERNEL_ARGS


def single_notebook(paths):
    """The first section's parameters and set-up cells, then every other cell of every section."""
    first = nbformat.read(paths[0], as_version=4)
    head = [c for c in first.cells if "parameters" in c.metadata.get("tags", [])]
    head += [c for c in first.cells if c.cell_type == "code" and "abrir(" in c.source]
    body = []
    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            if "parameters" in cell.metadata.get("tags", []) or (cell.cell_type == "code" and "abrir(" in cell.source):
                continue
            body.append(cell)
    nb = nbformat.v4.new_notebook(metadata=first.metadata)
    nb.cells = head + body
    return nb


def main(mes: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    src, done = out / "todo.ipynb", out / "todo-ejecutado.ipynb"
    nbformat.write(single_notebook(config.section_notebooks()), src)
    pm.execute_notebook(str(src), str(done), parameters={"mes": mes}, kernel_name="python3",
                        progress_bar=False, extra_arguments=KERNEL_ARGS)
    executed = nbformat.read(done, as_version=4)
    deck = out / f"informe-{mes}.html"
    slides = write_deck([executed], mes, deck)
    write_pdf(deck, out / f"informe-{mes}.pdf", slides)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
