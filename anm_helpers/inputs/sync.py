"""Each section notebook and its percent-format ``.py`` kept in agreement, with no
step to remember: ``make report``, ``make check`` and the preview bring every pair
up to date themselves (``sync_pairs``); ``make sync-notebooks`` does only that.

- A pair that agrees is left byte for byte as it is.
- When only one side changed since the last agreement (``.sincronizado.json``
  beside the notebooks remembers each side's hash then), that side wins and the
  other is rewritten from it (the notebook keeps its cell ids and metadata).
- Without that memory (a fresh clone), the newer file wins.
- A pair whose two files are as they were when they last agreed is not even read
  (standard library only, so an unchanged rebuild stays instant).
- When both changed since they last agreed, nothing is overwritten: the
  analyst is told which notebook, and decides.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.errors import ParejaEnConflicto

ESTADO = ".sincronizado.json"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _comparable(nb) -> tuple:
    cells = [(c.cell_type, c.source, {k: v for k, v in c.metadata.items() if k not in ("lines_to_next_cell", "id")})
             for c in nb.cells]
    return cells, nb.metadata.get("kernelspec")


def _agree(ipynb: Path, py: Path) -> bool:
    import jupytext
    import nbformat

    return _comparable(jupytext.read(py)) == _comparable(nbformat.read(ipynb, as_version=4))


def _py_from_ipynb(ipynb: Path, py: Path) -> None:
    import jupytext

    nb = jupytext.read(ipynb)
    jupytext.write(nb, py, fmt="py:percent")


def _ipynb_from_py(ipynb: Path, py: Path) -> None:
    """The notebook rewritten from its ``.py``: cells' sources and metadata from the
    text, outputs and ids kept where a cell is unchanged (jupytext's combine)."""
    import jupytext
    import nbformat
    from jupytext.combine import combine_inputs_with_outputs

    text = jupytext.read(py)
    if ipynb.exists():
        old = nbformat.read(ipynb, as_version=4)
        text = combine_inputs_with_outputs(text, old, fmt="py:percent")
    nbformat.write(text, ipynb)


def _load_state(folder: Path) -> dict:
    try:
        return json.loads((folder / ESTADO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_state(folder: Path, state: dict) -> None:
    tmp = folder / f"{ESTADO}.tmp"
    try:
        tmp.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, folder / ESTADO)
    except OSError:  # a read-only checkout: the next run decides by dates again
        pass


def sync_pairs(folder: Path | None = None) -> list[str]:
    """Bring every pair of ``folder`` up to date; one line per notebook changed.
    Raises ``ParejaEnConflicto`` (naming every such notebook) when both sides of a
    pair changed since they last agreed, after syncing every other pair."""
    folder = folder or config.NOTEBOOKS_DIR
    state = _load_state(folder)
    changed, conflicts = [], []
    for ipynb in config.section_notebooks(folder):
        py = ipynb.with_suffix(".py")
        name = ipynb.stem
        if py.exists() and state.get(name) == {"py": _sha(py), "ipynb": _sha(ipynb)}:
            continue  # as they were when they last agreed: no need to read them (a rebuild stays instant)
        if not py.exists():
            _py_from_ipynb(ipynb, py)
            changed.append(f"{name}: se creó {py.name} desde {ipynb.name}")
        elif not _agree(ipynb, py):
            before = state.get(name, {})
            py_new = _sha(py) != before.get("py")
            nb_new = _sha(ipynb) != before.get("ipynb")
            if before and py_new and nb_new:
                conflicts.append(name)
                continue
            if (py_new and not nb_new) or (not before and py.stat().st_mtime >= ipynb.stat().st_mtime):
                _ipynb_from_py(ipynb, py)
                changed.append(f"{name}: {ipynb.name} actualizado desde {py.name}")
            else:
                _py_from_ipynb(ipynb, py)
                changed.append(f"{name}: {py.name} actualizado desde {ipynb.name}")
        state[name] = {"py": _sha(py), "ipynb": _sha(ipynb)}
    _save_state(folder, state)
    if conflicts:
        listed = ", ".join(f"notebooks/{n}.ipynb y notebooks/{n}.py" for n in conflicts)
        raise ParejaEnConflicto(
            f"{listed} cambiaron los dos desde la última sincronización; no se sobrescribió nada. Deje en uno de "
            "los dos los cambios que quiere conservar y borre los del otro (o copie el otro aparte), y vuelva a "
            "intentarlo")
    return changed


def main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import run

    return run(_main, argv, "make sync-notebooks")


def _main(argv: list[str] | None = None) -> int:
    changed = sync_pairs() + sync_pairs(config.year_notebooks_dir())  # the sections, and the year deck's
    for line in changed:
        print(f"  ✓ {line}")
    if not changed:
        print("Cuadernos y .py ya estaban sincronizados: no se cambió nada.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
