"""What a section reads of the params, recorded in its kernel as it runs.

A section's cache key holds the whole context, so a changed comment in params would
re-execute every section. The preview instead records which params keys each section
reads (``TRACKER``, run once in each kernel: ``anm_helpers.slides.seccion`` reads the
build's context through a ``json`` whose ``loads`` hands out the params as a dict that
records each key read), and keeps them with the cache key of that execution
(``TrackingPool``). A section whose reads cannot be known (it opened no context through
``seccion``, or its code uses ``contexto`` itself) counts as reading every key.
"""
from __future__ import annotations

import ast
import json
import re
from concurrent.futures import Future
from pathlib import Path

#: run once in each kernel: ``anm_helpers.slides.seccion`` reads the build's context through a
#: ``json`` whose ``loads`` hands out the params as a dict that records each key read (any
#: access to the whole, such as iterating or copying it, counts as reading every key)
TRACKER = r'''
import sys as _s
if "anm_params_read" not in _s.modules:
    import json as _json, types as _types
    import anm_helpers.slides.seccion as _seccion
    _m = _types.ModuleType("anm_params_read")
    _m.read_keys, _m.opened = set(), 0
    class _Params(dict):
        def __getitem__(self, k):
            _m.read_keys.add(k)
            return dict.__getitem__(self, k)
        def get(self, k, d=None):
            _m.read_keys.add(k)
            return dict.get(self, k, d)
        def __contains__(self, k):
            _m.read_keys.add(k)
            return dict.__contains__(self, k)
    def _whole(name):
        def f(self, *a, **kw):
            _m.read_keys.add("*")
            return getattr(dict, name)(self, *a, **kw)
        return f
    for _n in ("__iter__", "__len__", "__reversed__", "keys", "values", "items", "copy", "__reduce__",
               "__reduce_ex__", "__eq__", "__ne__", "__repr__", "__str__", "__format__", "__or__", "__ror__",
               "__ior__", "pop", "popitem", "setdefault", "update", "__setitem__", "__delitem__", "clear"):
        setattr(_Params, _n, _whole(_n))
    class _Json:
        def __getattr__(self, name):
            return getattr(_json, name)
        def loads(self, s, *a, **kw):
            d = _json.loads(s, *a, **kw)
            if isinstance(d, dict) and isinstance(d.get("params"), dict):
                d["params"] = _Params(d["params"])
                _m.opened += 1
            return d
        def load(self, fp, *a, **kw):
            return self.loads(fp.read(), *a, **kw)
    _seccion.json = _Json()
    _s.modules["anm_params_read"] = _m
'''
#: after a section: how many contexts it opened and the params keys read; then reset
READS = ('(lambda m: (__import__("json").dumps([m.opened, sorted(m.read_keys)]), m.read_keys.clear(), '
         'setattr(m, "opened", 0))[0])(__import__("sys").modules["anm_params_read"])')

_tracker_installed = False  # in each worker process


def _in_kernel(km, code: str, expression: str | None = None):
    """Run ``code`` silently in the kernel; the value of ``expression`` (a string), or None."""
    kc = km.client()
    kc.start_channels()
    try:
        reply = kc.execute_interactive(code, silent=True, store_history=False, timeout=60,
                                       user_expressions={"r": expression} if expression else None,
                                       output_hook=lambda msg: None)
    finally:
        kc.stop_channels()
    content = reply.get("content", {})
    if content.get("status") != "ok" or not expression:
        return None
    result = content.get("user_expressions", {}).get("r", {})
    if result.get("status") != "ok":
        return None
    return ast.literal_eval(result["data"]["text/plain"])


def execute_tracked(path: Path, target: Path, month: str, context: Path):
    """``runner.execute`` on this worker's kernel, and which params keys the section
    read: ``(seconds, keys)``, keys None when they cannot be known."""
    global _tracker_installed
    from anm_helpers.builder import runner

    km = runner.kernel()
    if km is None:
        return runner.execute(path, target, month, context), None
    try:
        if not _tracker_installed:
            _in_kernel(km, TRACKER)
            _tracker_installed = True
    except Exception:  # without the record the section counts as reading every key
        km = None
    seconds = runner.execute(path, target, month, context)
    if km is None:
        return seconds, None
    try:
        opened, keys = json.loads(_in_kernel(km, "", READS))
    except Exception:  # not recorded (a new kernel?): installed again before the next section
        _tracker_installed = False
        return seconds, None
    # a section that opened no context through the helpers read it some other way
    return seconds, (keys if opened else None)


def reads_context_itself(notebook: Path) -> bool:
    """The notebook's code uses ``contexto`` beyond ``abrir(mes, contexto)``: what it
    reads of it cannot be recorded."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            if "contexto" in re.sub(r"abrir\(\s*mes\s*,\s*contexto\s*\)", "", cell.source):
                return True
    return False


class TrackingPool:
    """The warm worker pool as the build sees it (``submit``): each section runs
    through ``execute_tracked``, and what it read of the params is kept with the
    cache key of that execution (``reads``: stem -> (key, keys read or None))."""

    def __init__(self, pool, month: str, reads: dict):
        from anm_helpers.builder import runner
        from anm_helpers.core.fingerprint import code_fingerprint

        self.pool, self.month, self.reads = pool, month, reads
        self.execute, self.code = runner.execute, code_fingerprint()

    def submit(self, fn, *args):
        if fn is not self.execute:
            return self.pool.submit(fn, *args)
        path, _, _, context = args
        key = self._key(Path(path), Path(context))  # before it runs: the notebook it runs
        outer: Future = Future()
        inner = self.pool.submit(execute_tracked, *args)

        def done(f) -> None:
            if f.cancelled():  # Ctrl-C: the pool is shutting down
                outer.cancel()
                return
            exc = f.exception()
            if exc is not None:
                outer.set_exception(exc)
                return
            seconds, keys = f.result()
            try:
                if keys is not None and reads_context_itself(Path(path)):
                    keys = None
            except Exception:  # the notebook changed meanwhile: not known
                keys = None
            self.reads[Path(path).stem] = (key, None if keys is None else sorted(keys))
            outer.set_result(seconds)

        inner.add_done_callback(done)
        return outer

    def _key(self, path: Path, context: Path) -> str:
        from anm_helpers.core.cache import SectionCache

        return SectionCache(self.month, context.read_bytes(), self.code).key(path)
