"""No hidden sync step (issue 15): each notebook and its .py brought up to date by
the build itself; the newer side wins, both changed is refused, unchanged pairs
are left byte for byte."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from anm_helpers.core import config
from anm_helpers.core.errors import ParejaEnConflicto
from anm_helpers.inputs.sync import ESTADO, sync_pairs


@pytest.fixture
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, folder, ignore=shutil.ignore_patterns(ESTADO))
    return folder


def snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".py", ".ipynb")}


def edit_py(folder: Path, old: str, new: str, name: str = "03_presencial") -> None:
    path = folder / f"{name}.py"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def markdown(folder: Path, name: str = "03_presencial") -> str:
    nb = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_pairs_that_agree_are_left_byte_for_byte(notebooks):
    before = snapshot(notebooks)
    assert sync_pairs(notebooks) == []
    assert snapshot(notebooks) == before
    assert sync_pairs(notebooks) == []  # the second time without reading them (state recorded)


def test_an_edited_py_updates_its_notebook_only(notebooks):
    sync_pairs(notebooks)
    before = snapshot(notebooks)
    edit_py(notebooks, "## Cifras Presencial", "## Cifras Presencial de {periodo.mes}")
    assert sync_pairs(notebooks) == ["03_presencial: 03_presencial.ipynb actualizado desde 03_presencial.py"]
    assert "## Cifras Presencial de {periodo.mes}" in markdown(notebooks)
    after = snapshot(notebooks)
    assert [n for n in after if after[n] != before[n]] == ["03_presencial.py", "03_presencial.ipynb"] or \
        sorted(n for n in after if after[n] != before[n]) == ["03_presencial.ipynb", "03_presencial.py"]
    old_ids = [c.id for c in nbformat.reads(before["03_presencial.ipynb"].decode(), as_version=4).cells]
    new_ids = [c.id for c in nbformat.read(notebooks / "03_presencial.ipynb", as_version=4).cells]
    assert old_ids == new_ids  # cell ids kept: the diff is the edit


def test_an_edited_notebook_updates_its_py(notebooks):
    sync_pairs(notebooks)
    nb = nbformat.read(notebooks / "03_presencial.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith("## Cifras Presencial"))
    cell.source = "## Las cifras presenciales de {periodo.mes}"
    nbformat.write(nb, notebooks / "03_presencial.ipynb")
    assert sync_pairs(notebooks) == ["03_presencial: 03_presencial.py actualizado desde 03_presencial.ipynb"]
    assert "## Las cifras presenciales de {periodo.mes}" in (notebooks / "03_presencial.py").read_text(encoding="utf-8")


def test_both_sides_changed_overwrites_nothing(notebooks):
    sync_pairs(notebooks)
    edit_py(notebooks, "## Cifras Presencial", "## Cifras A")
    nb = nbformat.read(notebooks / "03_presencial.ipynb", as_version=4)
    next(c for c in nb.cells if c.source.startswith("## Cifras Presencial")).source = "## Cifras B"
    nbformat.write(nb, notebooks / "03_presencial.ipynb")
    before = snapshot(notebooks)
    with pytest.raises(ParejaEnConflicto, match=r"notebooks/03_presencial.ipynb y notebooks/03_presencial.py cambiaron "
                                                r"los dos desde la última sincronización; no se sobrescribió nada"):
        sync_pairs(notebooks)
    assert snapshot(notebooks) == before


def test_without_memory_the_newer_side_wins(notebooks):
    edit_py(notebooks, "## Cifras Presencial", "## Cifras nuevas")
    past = time.time() - 3600
    os.utime(notebooks / "03_presencial.ipynb", (past, past))
    assert not (notebooks / ESTADO).exists()
    assert sync_pairs(notebooks) == ["03_presencial: 03_presencial.ipynb actualizado desde 03_presencial.py"]
    assert "## Cifras nuevas" in markdown(notebooks)


# the build picking up a .py edited outside JupyterLab: tests/test_speed.py
# (test_rebuilds_unchanged_narrative_and_data, its markdown edit)
