"""Live preview of a month's deck: ``make preview MONTH=2024-03 [PORT=8765]``
(``python -m anm_helpers.preview.app -- 2024-03``, or ``python -m anm_helpers.preview``;
the port from ``PORT``).

- Builds the deck alone (``build.build(..., solo_html=True)``) into
  ``reports/.preview/<MES>/``, with caches and a lock of its own: the published
  ``reports/<MES>/`` and ``make report``'s caches are never written. The PDF, the
  PowerPoint and the open data stay ``make report``'s.
- Serves it at ``http://127.0.0.1:PORT/`` (``server``: loopback only, the page's
  script injected as it is served, the state it polls at ``/__estado``); the page
  reloads on a new version on the same slide, and shows a build error (bad data, an
  unknown ``{nombre}``, a failing section) over the last good deck, in Spanish; the
  next good save removes it.
- Watches ``params/<MES>.yaml``, the section notebooks (``.py`` and ``.ipynb``), the
  month's data folder (and those of the months its figures compare with), the
  shared data files and the templates, and rebuilds on each saved change: each
  pair is synced first (``sync_pairs``), and only what changed is redone (the
  build's caches): a markdown edit re-executes nothing, a code edit one section,
  on the worker processes' warm kernels, which live as long as the preview.
- A narrative-only edit of params (``comentarios``, ``entregas_valor``) does not
  read the data again nor re-execute every section: the month's context is the
  last one with the new params (``Preview._narrative_shortcut``), and a section is
  re-executed only if its last execution read the texts that changed (``tracking``:
  what a section reads of the params is recorded as it runs; a section whose reads
  cannot be known counts as reading everything), so a section's cached outputs are
  reused for new texts only when they cannot depend on them.
- A change to a template restarts the kernels (they keep the templates they
  loaded); a change to the program's own code (or to the page's script) restarts the
  whole preview (the running one would build with the old code). nbconvert's compiled templates are
  kept in memory between builds (``templates_cache``).

Ctrl-C stops everything (server, workers, kernels) and removes every temporary
file (``cli.run(..., scratch=True)``).
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.cache import SectionCache, context_bytes, remove_stale
from anm_helpers.core.errors import InformeError, PuertoInvalido, ReinicioVistaPrevia
from anm_helpers.figures import main_points
from anm_helpers.figures.quality import params_draft_lines
from anm_helpers.preview.server import PAGE_DIR, State, make_server, parse_port
from anm_helpers.preview.templates_cache import CompiledTemplates
from anm_helpers.preview.tracking import TrackingPool

#: the params keys that hold narrative only (texts, not figures nor method)
NARRATIVE_KEYS = ("comentarios", "entregas_valor", "puntos_principales")
#: what counts as the program's code and templates (as ``fingerprint.code_fingerprint``)
CODE_SUFFIXES = (".py", ".j2", ".css", ".json", ".yaml")
NOTEBOOK_RE = re.compile(config.SECTION_NAME)


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _program_file(path: Path) -> bool:
    """What the running preview holds as it was when it started: its Python code and the
    page's own files (``server`` reads them once)."""
    return path.suffix == ".py" or path.parent == PAGE_DIR


def _code_fingerprints() -> tuple[str, str]:
    """The program (``_program_file``), and the package's other files (templates, styles, data)."""
    program, others = hashlib.sha256(), hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if (path.is_file() and (path.suffix in CODE_SUFFIXES or _program_file(path))
                and "__pycache__" not in path.parts):
            h = program if _program_file(path) else others
            h.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return program.hexdigest(), others.hexdigest()


def _display(path: Path) -> str:
    """A changed file as the terminal names it: relative to the project or to its folder's parent."""
    for base in (config.PROJ_ROOT, config.DATA_DIR.parent, config.PARAMS_DIR.parent,
                 config.NOTEBOOKS_DIR.parent):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


def _unexpected(exc: BaseException) -> str:
    """An error nobody foresaw: one short message and where its traceback went."""
    from anm_helpers.core.cli import traceback_note

    return (f"error inesperado del programa, no de sus datos; {traceback_note(exc, 'make preview')}. "
            "La vista previa sigue en marcha.")


def _seconds(s: float) -> str:
    return f"{s:.1f}".replace(".", ",")


class Preview:
    """One month's preview: the warm pool, the server's state, the watcher."""

    def __init__(self, month: str, port: int, out=None, err=None):
        from anm_helpers.builder.month import preview_dir
        from anm_helpers.outputs import registry

        self.month, self.port, self.out, self.err = month, port, out or sys.stdout, err or sys.stderr
        self.url = f"http://127.0.0.1:{port}/"
        self.state = State()
        self.deck = preview_dir(month) / registry.archivo("html", month)
        self.pool = None
        self.server = None
        self.ctx = None  # the context of the last good build, and what it was made from
        self.code = self.data = self.ctx_cache = None
        self.program, self.others = _code_fingerprints()
        self.seen: dict[Path, str | None] = {}
        self.reads: dict[str, tuple] = {}
        self.copied_from: list[Path] = []  # section caches the narrative shortcut copied (pruned on success)

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        import errno

        try:
            self.server = make_server(self.month, self.port, self.deck, self.state)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PuertoInvalido(
                    f"el puerto {self.port} ya está en uso (¿otra vista previa abierta?): use otro, por ejemplo "
                    f"make preview MONTH={self.month} PORT={self.port + 1 if self.port < 65535 else 8766}") from None
            raise
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        self.say(f"Vista previa de {self.month}: ábrala en el navegador (se actualiza sola al guardar; Ctrl-C para "
                 "terminar)")
        self.say(self.url)
        self._open_browser()
        self._start_pool()
        self._load_reads()
        CompiledTemplates.install()

    def _open_browser(self) -> None:
        """Only where a graphical session is at hand, and never a text-mode browser."""
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return
        import webbrowser

        def open_it() -> None:
            try:
                browser = webbrowser.get()
                if type(browser) is not webbrowser.GenericBrowser:
                    browser.open(self.url)
            except Exception:  # no browser: the URL is printed
                pass

        threading.Thread(target=open_it, daemon=True).start()

    def _start_pool(self) -> None:
        from anm_helpers.builder import runner
        from anm_helpers.builder.month import PreviewReports, kernels_log

        with PreviewReports():
            log = kernels_log()
        self.pool = runner.pool(max(1, min(len(config.section_notebooks()) or 1, os.cpu_count() or 1)), log)

    def _restart_pool(self) -> None:
        """Fresh kernels: the running ones keep the templates they already loaded."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        elements = sys.modules.get("anm_helpers.slides.elements")
        if elements is not None:
            elements.macros.cache_clear()
        self._start_pool()

    def close(self) -> None:
        self.state.close()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    # --- watching ----------------------------------------------------------------
    def roots(self) -> list[Path]:
        roots = [config.PARAMS_DIR, config.NOTEBOOKS_DIR, config.DATA_DIR, config.PACKAGE_DIR]
        return [p for p in roots if p.is_dir()]

    def watched(self, path: Path) -> bool:
        """A file the month's deck is made from (editors' temporary files aside)."""
        from anm_helpers.core.fingerprint import months_for

        name = path.name
        if name.startswith((".", "~")) or name.endswith(("~", ".swp", ".tmp")):
            return False
        if path == config.params_file(self.month):
            return True
        if path.parent == config.NOTEBOOKS_DIR:
            return bool(NOTEBOOK_RE.match(name))
        if path.parent == config.DATA_DIR:
            return name in (config.PUNTOS_FILE, config.HISTORICO_FILE, config.FUENTES_FILE)
        if path.is_relative_to(config.DATA_DIR):
            parts = path.relative_to(config.DATA_DIR).parts
            return len(parts) >= 2 and parts[0] in months_for(self.month)
        if path.is_relative_to(config.PACKAGE_DIR):
            return (path.suffix in CODE_SUFFIXES or _program_file(path)) and "__pycache__" not in path.parts
        return False

    def changed(self, changes) -> list[Path]:
        """The watched files whose content is not what the preview last saw."""
        out = []
        for _, name in changes:
            path = Path(name)
            if self.watched(path):
                sha = _sha(path)
                if path not in self.seen or self.seen[path] != sha:
                    self.seen[path] = sha
                    out.append(path)
        return sorted(set(out))

    def _remember_notebooks(self) -> None:
        """The notebooks as they are now (the sync may have written them): not a change."""
        for path in config.NOTEBOOKS_DIR.glob(config.SECTION_GLOB):
            if NOTEBOOK_RE.match(path.name):
                self.seen[path] = _sha(path)

    def run(self) -> None:
        """The first build, then one per saved change, until Ctrl-C. The watcher starts
        before the first build: a file saved meanwhile is built next."""
        import watchfiles

        first = True
        for changes in watchfiles.watch(*self.roots(), debounce=400, step=30, rust_timeout=250,
                                        yield_on_timeout=True, raise_interrupt=True):
            if first:
                first = False
                self.rebuild(first=True)
                continue
            paths = self.changed(changes)
            if paths:
                self.say("Cambio: " + ", ".join(_display(p) for p in paths))
                self.rebuild()

    # --- building ----------------------------------------------------------------
    def rebuild(self, first: bool = False) -> None:
        """Build what changed; its outcome becomes the page's state. Errors are shown, not raised."""
        from anm_helpers.core.cli import os_message

        self.state.begin()
        t = time.perf_counter()
        try:
            built = self._build()
        except InformeError as exc:
            self._failed(str(exc))
        except OSError as exc:
            self._failed(os_message(exc))
        except Exception as exc:  # a bug: a short message and the log's path, as every command
            self._failed(_unexpected(exc))
        else:
            if built or first or self.state.error:
                self.state.publish(None)
                self.say(f"  ✓ vista previa actualizada ({_seconds(time.perf_counter() - t)} s): {self.url}")
            else:
                self.state.end()
        finally:
            self._remember_notebooks()

    def _failed(self, message: str) -> None:
        self.state.publish(message)
        print(f"ERROR: {message}", file=self.err, flush=True)
        self.say("  ✗ la página muestra el error; corrija y guarde (la vista previa sigue en marcha)")

    def _build(self) -> bool:
        from anm_helpers.builder.freshness import build_fingerprint, up_to_date
        from anm_helpers.builder.month import PREVIEW_OUTPUTS, PreviewReports, build
        from anm_helpers.core.cache import context_cache_path
        from anm_helpers.core.fingerprint import code_fingerprint
        from anm_helpers.inputs.sync import sync_pairs

        program, others = _code_fingerprints()
        if program != self.program:
            raise ReinicioVistaPrevia
        if others != self.others:
            self.say("  · cambió una plantilla: se reinician los kernels")
            self._restart_pool()
            self.others = others
        with PreviewReports():
            for line in sync_pairs():  # a .py edited outside JupyterLab counts
                self.say(f"  · {line}")
            if up_to_date(self.month, build_fingerprint(self.month), solo=PREVIEW_OUTPUTS):
                self.say("  · sin cambios: la página ya muestra esta versión")
                if self.ctx is None:
                    self._remember_context()
                return False
            saved_reads, last_cache = dict(self.reads), self.ctx_cache  # what goes with the last good build
            changed_keys = self._narrative_shortcut()
            pool = TrackingPool(self.pool, self.month, self.reads)
            before = code_fingerprint(), self._other_data(), context_cache_path(self.month)
        if changed_keys:
            self.say(f"  · solo cambió la narrativa de params ({', '.join(sorted(changed_keys))}): "
                     "se reutilizan el contexto y las secciones que no la leen")
        try:
            build(self.month, out=self.out, pool=pool, solo_html=True)
        except BaseException:  # self.ctx stays the last good build's, and so do its sections' records
            self.reads.clear()
            self.reads.update(saved_reads)
            raise
        finally:
            with PreviewReports():
                self._save_reads()
        with PreviewReports():
            self._remember_context(before)
        if last_cache not in (None, self.ctx_cache):  # kept by _narrative_shortcut in case this build failed
            last_cache.unlink(missing_ok=True)
        with PreviewReports():  # the section copies the shortcut took from the last good build: replaced now
            remove_stale(self.copied_from, self.ctx and SectionCache(self.month, context_bytes(self.ctx), self.code))
        self.copied_from = []
        return True
        return True

    def _other_data(self) -> str:
        from anm_helpers.core.fingerprint import data_files, hash_files

        h = hashlib.sha256()
        hash_files(h, [p for p in data_files(self.month) if p != config.params_file(self.month)])
        return h.hexdigest()

    def _remember_context(self, before: tuple | None = None) -> None:
        """The context the last good build used, and the data and code it was made from:
        cached under the files as they are now, or (``before``: code, data and context
        cache before the build) as they were when the build started. Params saved while
        it ran leave that one a good base (a context holds the params it was made from);
        data or code changed meanwhile leave none (no shortcut then)."""
        from anm_helpers.core.cache import context_cache_path
        from anm_helpers.core.fingerprint import code_fingerprint

        self.code, self.data = code_fingerprint(), self._other_data()
        self.ctx = self.ctx_cache = None
        caches = [context_cache_path(self.month)]
        if before is not None:
            if before[:2] != (self.code, self.data):
                return
            caches.append(before[2])
        for cache in caches:
            try:
                self.ctx = json.loads(cache.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            self.ctx_cache = cache
            return

    def _narrative_shortcut(self) -> set[str] | None:
        """When only the narrative texts of params changed since the last good build:
        the month's context is that build's with the new params (no data read again),
        written to the build's context cache, and each section whose last execution
        did not read the changed texts has its outputs kept for the new context.
        Anything else (data, figures, method, a draft line that comes or goes, a
        params file with errors) is left to the build. The changed keys, or None."""
        from anm_helpers.core.cache import context_cache_path, write_context_cache
        from anm_helpers.core.fingerprint import code_fingerprint
        from anm_helpers.inputs.params import load_params

        if self.ctx is None or context_cache_path(self.month).exists():
            return None
        code = code_fingerprint()
        if code != self.code or self._other_data() != self.data:
            return None
        try:
            params = json.loads(json.dumps(load_params(self.month), ensure_ascii=False))
        except (InformeError, TypeError, ValueError):
            return None  # the build says what is wrong
        last = self.ctx["params"]
        changed_keys = {k for k in set(params) | set(last) if params.get(k) != last.get(k)}
        if not changed_keys or not changed_keys <= set(NARRATIVE_KEYS):
            return None
        if params_draft_lines(self.month, params) != params_draft_lines(self.month, last):
            return None
        ctx = copy.deepcopy(self.ctx)
        ctx["params"] = params
        # the points again from the checked figures (no data read); settings with errors: the build says so
        if "puntos_principales" in changed_keys and not main_points.redo(ctx, config.params_file(self.month)):
            return None
        # as build._check_data writes it; the last good build's stays until this one's build succeeds
        # (a failed one would leave the deck still published without its context)
        write_context_cache(self.month, ctx, keep=self.ctx_cache)
        old = SectionCache(self.month, context_bytes(self.ctx), code)
        new = SectionCache(self.month, context_bytes(ctx), code)
        for path in config.section_notebooks():
            key, keys = self.reads.get(path.stem, (None, None))
            if keys is None or "*" in keys or changed_keys & set(keys) or old.key(path) != key:
                continue  # it reads them, or what it reads is not known: it runs again
            src, dst = old.path(path), new.path(path)
            if not src.exists():
                continue
            shutil.copyfile(src, dst.with_suffix(".tmp"))
            os.replace(dst.with_suffix(".tmp"), dst)
            self.copied_from.append(src)  # removed once this build succeeds (kept while it may fail)
            self.reads[path.stem] = (new.key(path), keys)
        return changed_keys

    def _reads_file(self) -> Path:
        return config.REPORTS_DIR / ".cache" / self.month / "lecturas.json"

    def _load_reads(self) -> None:
        from anm_helpers.builder.month import PreviewReports

        with PreviewReports():
            try:
                saved = json.loads(self._reads_file().read_text(encoding="utf-8"))
                self.reads.update({k: (v[0], v[1]) for k, v in saved.items()})
            except (OSError, ValueError, TypeError, IndexError, AttributeError):
                pass

    def _save_reads(self) -> None:
        path = self._reads_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({k: list(v) for k, v in sorted(self.reads.items())}, indent=1) + "\n",
                       encoding="utf-8")
        os.replace(tmp, path)


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import Orden
    from anm_helpers.core.month import check_month

    parser = Orden(prog="make preview", description="Vista previa del informe de un mes, actualizada al guardar.")
    parser.add_argument("mes", nargs="?", default="", help="AAAA-MM, por ejemplo 2024-03")
    args = parser.parse_args(argv)
    check_month(args.mes)
    # Ctrl-C stops the preview even when started where SIGINT was ignored (a shell's background job)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    preview = Preview(args.mes, parse_port(os.environ.get("PORT")))
    try:
        preview.start()
        preview.run()
    except KeyboardInterrupt:
        preview.close()
        print("Vista previa detenida.", file=sys.stderr, flush=True)
        return 130
    finally:
        preview.close()
    return 0


def _stop_multiprocessing_helpers() -> None:
    """multiprocessing's fork server and resource tracker, stopped and waited for before
    the process image is replaced (else they would linger as zombies of the new one)."""
    from multiprocessing import forkserver, resource_tracker

    for helper in (getattr(forkserver, "_forkserver", None), getattr(resource_tracker, "_resource_tracker", None)):
        try:
            helper._stop()
        except Exception:
            pass


def main(argv: list[str] | None = None) -> int:
    """The command, through ``cli.run`` (Spanish errors, a scratch folder for every
    temporary file); restarts itself when the program's code changed."""
    from anm_helpers.core.cli import run

    try:
        return run(_main, argv, "make preview", scratch=True)
    except ReinicioVistaPrevia:
        print("  · cambió el código del programa: la vista previa se reinicia", flush=True)
        _stop_multiprocessing_helpers()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, "-m", "anm_helpers.preview.app", *sys.argv[1:]])
        return 1  # not reached


if __name__ == "__main__":
    # the module by its own name: one copy of it (its classes, its state), not a second as __main__
    from anm_helpers.preview.app import main as _entry

    sys.exit(_entry())
