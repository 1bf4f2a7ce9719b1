"""Every section notebook has a typed parameters cell and runs with its defaults
(man-group/notebooker's sanity test); none is committed with outputs."""
import re

import nbformat
import papermill as pm
import pytest

from anm_helpers.build import KERNEL_ARGS, sections

NOTEBOOKS = sections()


def test_there_are_sections():
    assert len(NOTEBOOKS) >= 9


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_tagged_typed_and_commented(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    for name in ("mes", "contexto"):
        assert re.search(rf"^{name}: str = .*#", cells[0].source, re.M), f"{name} not typed and commented"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_with_its_defaults(path, tmp_path):
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), kernel_name="python3", progress_bar=False,
                        extra_arguments=KERNEL_ARGS, cwd=str(path.parent.parent))
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
