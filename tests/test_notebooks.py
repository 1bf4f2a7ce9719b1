"""Every section notebook has a typed parameters cell and runs with its defaults
(man-group/notebooker's sanity test); none is committed with outputs; each is
paired with a percent-format .py, the text that review reads, and the two agree."""
import re
import subprocess
import sys

import nbformat
import papermill as pm
import pytest

from anm_helpers.build import sections
from anm_helpers.runner import KERNEL_ARGS

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
def test_committed_as_nbstripout_leaves_it(path):
    """No outputs, counts or run metadata: what the pre-commit hook enforces."""
    result = subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", "--verify", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, f"{path.name} has outputs or run metadata: make hooks, or nbstripout --keep-id"


def test_a_committed_output_would_fail(tmp_path):
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="1.000")]
    code.execution_count = 1
    nbformat.write(nb, tmp_path / "with_output.ipynb")
    result = subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", "--verify",
                             str(tmp_path / "with_output.ipynb")], capture_output=True, text=True)
    assert result.returncode != 0


def _comparable(nb):
    cells = [(c.cell_type, c.source, {k: v for k, v in c.metadata.items() if k != "lines_to_next_cell"})
             for c in nb.cells]
    return cells, nb.metadata.get("kernelspec")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_paired_with_its_py_in_sync(path):
    import jupytext

    py = path.with_suffix(".py")
    assert py.exists(), f"{py.name} is missing: jupytext --set-formats ipynb,py:percent {path.name}"
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    text = jupytext.read(py)
    assert text.metadata["jupytext"]["text_representation"]["format_name"] == "percent"
    assert _comparable(text) == _comparable(nb), \
        f"{path.name} and {py.name} differ: make sync-notebooks (the newer one wins)"


def test_no_py_without_its_notebook():
    from anm_helpers import config

    for py in config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py"):
        assert py.with_suffix(".ipynb").exists(), f"{py.name} has no notebook: make sync-notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_with_its_defaults(path, tmp_path):
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), kernel_name="python3", progress_bar=False,
                        extra_arguments=KERNEL_ARGS, cwd=str(path.parent.parent))
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
