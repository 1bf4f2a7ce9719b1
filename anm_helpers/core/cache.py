"""The build's caches, one public module: the month's checked context (cached under the
hash of its data, params and code: while they hold, a build, the preview and a section
opened on its own take it instead of reading the data again) and the executed sections
(keyed on their code, the month's context and the helpers' code). Both live under
``reports/.cache/<MES>/``."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.fingerprint import code_fingerprint, data_fingerprint


def context_cache_path(mes: str) -> Path:
    return config.REPORTS_DIR / ".cache" / mes / f"contexto-{data_fingerprint(mes, code_fingerprint())[:24]}.json"


def cached_context(mes: str) -> dict | None:
    """The month's checked context from a previous build with the same data, params and code."""
    cache = context_cache_path(mes)
    return json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else None


def write_context_cache(mes: str, ctx: dict, keep: Path | None = None) -> None:
    """The month's checked context, cached under the hash of its data, params and
    code (the month's earlier cached contexts removed, but ``keep``), written atomically."""
    cache = context_cache_path(mes)
    cache.parent.mkdir(parents=True, exist_ok=True)
    for stale in cache.parent.glob("contexto-*.json"):
        if stale != keep:
            stale.unlink(missing_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, cache)


def context_bytes(ctx: dict) -> bytes:
    return json.dumps(ctx, ensure_ascii=False, indent=1).encode("utf-8")


class SectionCache:
    """Executed sections of a month, keyed on what their outputs depend on: the
    notebook's code cells, the month's context (every figure, the params, the
    input files' hashes) and the helpers' code. Markdown narrative is not part
    of the key: an edit there takes the cached outputs under the notebook's
    current markdown, without a kernel."""

    def __init__(self, mes: str, contexto: bytes, code: str):
        self.folder = config.REPORTS_DIR / ".cache" / mes
        self.base = hashlib.sha256(contexto + code.encode()).hexdigest()

    def key(self, notebook: Path) -> str:
        import json

        import nbformat

        nb = nbformat.read(notebook, as_version=4)
        code_cells = [[c.source, c.metadata.get("tags", []), c.metadata.get("slideshow", {})]
                      for c in nb.cells if c.cell_type == "code"]
        blob = json.dumps([nb.metadata.get("kernelspec", {}), code_cells], sort_keys=True).encode()
        return hashlib.sha256(self.base.encode() + blob).hexdigest()[:24]

    def path(self, notebook: Path) -> Path:
        return self.folder / f"{notebook.stem}-{self.key(notebook)}.ipynb"

    def has(self, notebook: Path) -> bool:
        return self.path(notebook).exists()

    def get(self, notebook: Path, target: Path) -> bool:
        """Write to ``target`` the notebook as it is now with its cached outputs."""
        import nbformat

        cached = self.path(notebook)
        if not cached.exists():
            return False
        executed = nbformat.read(cached, as_version=4)
        current = nbformat.read(notebook, as_version=4)
        ran = iter(c for c in executed.cells if c.cell_type == "code"
                   and "injected-parameters" not in c.metadata.get("tags", []))
        injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
        cells = []
        for cell in current.cells:
            if cell.cell_type == "code":
                done = next(ran)
                cell.outputs, cell.execution_count = done.outputs, done.execution_count
                cell.metadata = done.metadata
            cells.append(cell)
            if "parameters" in cell.metadata.get("tags", []):
                cells += injected
        current.cells = cells
        current.metadata = executed.metadata
        nbformat.write(current, target)
        return True

    def put(self, notebook: Path, executed: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        cached = self.path(notebook)
        for stale in self.folder.glob(f"{notebook.stem}-*.ipynb"):
            if stale != cached:
                stale.unlink(missing_ok=True)
        tmp = cached.with_suffix(".tmp")
        shutil.copyfile(executed, tmp)
        os.replace(tmp, cached)


def remove_stale(paths: list[Path], current: "SectionCache | None") -> None:
    """Remove the cached sections ``paths`` except those ``current`` (the cache of the
    context in use) holds for a section notebook."""
    kept = {current.path(p) for p in config.section_notebooks()} if current else set()
    for path in paths:
        if path not in kept:
            path.unlink(missing_ok=True)
