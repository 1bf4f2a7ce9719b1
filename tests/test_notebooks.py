"""Every section notebook has a typed parameters cell and runs with its defaults
(man-group/notebooker's sanity test); none is committed with outputs; each is
paired with a percent-format .py, the text that review reads, and the two agree."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from anm_helpers.builder.runner import KERNEL_ARGS
from anm_helpers.core import config

NOTEBOOKS = config.section_notebooks()
#: every committed notebook: the month's sections and the year deck's (make year)
COMMITTED = NOTEBOOKS + config.section_notebooks(config.year_notebooks_dir())


def test_there_are_sections():
    assert len(NOTEBOOKS) >= 9 and len(COMMITTED) > len(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_tagged_typed_and_commented(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    for name in ("mes", "contexto"):
        assert re.search(rf"^{name}: str = .*#", cells[0].source, re.M), f"{name} not typed and commented"


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.fixture(scope="module")
def nbstripout_verdict(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """nbstripout --verify, as the pre-commit hook runs it, over every section notebook
    and one planted with an output, in one run (one interpreter, not eleven)."""
    planted = tmp_path_factory.mktemp("nbstripout") / "with_output.ipynb"
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="1.000")]
    code.execution_count = 1
    nbformat.write(nb, planted)
    result = subprocess.run([sys.executable, "-m", "nbstripout", "--keep-id", "--verify",
                             str(planted), *map(str, COMMITTED)], capture_output=True, text=True)
    return result, planted


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
def test_committed_as_nbstripout_leaves_it(path, nbstripout_verdict):
    """No outputs, counts or run metadata: what the pre-commit hook enforces."""
    result, _ = nbstripout_verdict
    assert f"would have stripped {path}\n" not in result.stdout, \
        f"{path.name} has outputs or run metadata: make hooks, or nbstripout --keep-id"


def test_a_committed_output_would_fail(nbstripout_verdict):
    """The planted output is named, alone, and the command fails."""
    result, planted = nbstripout_verdict
    assert result.returncode != 0 and result.stderr == ""
    assert result.stdout == f"Dry run: would have stripped {planted}\n"


def _comparable(nb):
    cells = [(c.cell_type, c.source, {k: v for k, v in c.metadata.items() if k != "lines_to_next_cell"})
             for c in nb.cells]
    return cells, nb.metadata.get("kernelspec")


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: p.stem)
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
    from anm_helpers.core import config

    for folder in (config.NOTEBOOKS_DIR, config.year_notebooks_dir()):
        for py in folder.glob("[0-9][0-9]_*.py"):
            assert py.with_suffix(".ipynb").exists(), f"{py.name} has no notebook: make sync-notebooks"


@pytest.fixture(scope="module")
def kernel():
    """One kernel for the module, as a build's worker has (``runner``): starting ten
    costs more than running the ten sections."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(NOTEBOOKS[0].parent.parent), extra_arguments=KERNEL_ARGS)
    yield km
    km.shutdown_kernel(now=True)


def _forget_everything(km, reports: Path) -> None:
    """The namespace emptied and the helpers' modules dropped: each notebook runs as if
    on a kernel of its own, and one cannot lean on what another defined. ``reports``:
    the reports folder the helpers will see (ANM_REPORTS_DIR)."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(
            "get_ipython().run_line_magic('reset', '-f')\n"
            "def _forget():\n    import os, sys\n"
            f"    os.environ['ANM_REPORTS_DIR'] = {str(reports)!r}\n"
            "    for m in [m for m in sys.modules if m.split('.')[0] == 'anm_helpers']:\n        del sys.modules[m]\n"
            "_forget()\ndel _forget", timeout=120)
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_with_its_defaults(path, tmp_path, kernel, built_2024_03):
    """As an analyst runs it in JupyterLab: the first notebook beside no report at all
    (its context computed from data/ and params/), the others after a build of the
    month with the same data (the context that build checked, ``seccion.abrir``)."""
    _forget_everything(kernel, tmp_path / "reports" if path == NOTEBOOKS[0] else built_2024_03[0].parent)
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), kernel_name="python3", progress_bar=False, km=kernel,
                        cwd=str(path.parent.parent))
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "display_data"]
    assert shown, f"{path.name} showed nothing"


def test_run_on_its_own_a_section_takes_the_last_build_context_while_it_holds(built_2024_03, tmp_path, monkeypatch):
    """JupyterLab after make report: the context that build checked, not data/ read
    again; once params (or data, or the helpers' code) change, computed anew."""
    import json

    from anm_helpers.figures import check
    from anm_helpers.core import config
    from anm_helpers.slides import seccion

    def read_again(mes):
        raise LookupError(f"{mes}: computed from data/")

    folder, _ = built_2024_03
    monkeypatch.setattr(config, "REPORTS_DIR", folder.parent)
    monkeypatch.setattr(check, "checked_context", read_again)
    monkeypatch.setattr(seccion, "_estilo_interactivo", lambda: None)
    monkeypatch.setattr(seccion, "_interactivo", False)  # restored after the test: abrir() sets it
    s = seccion.abrir("2024-03")
    assert s.m == json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert s.cifras["presencial.atendidas"] and s.params["archivo"]

    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / "2024-03.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# una línea más\n", encoding="utf-8")
    monkeypatch.setattr(config, "PARAMS_DIR", params)
    with pytest.raises(LookupError, match="computed from data"):
        seccion.abrir("2024-03")
