"""Build a month's report (``make report``, ``python -m anm_helpers.builder.report 2024-03``;
the command itself is ``builder.report``; a year's months are built here too, by ``builder.year``).

1. if nothing the report depends on changed since it was published, say so and
   stop (``fingerprint``);
2. start worker processes with warm kernels (``runner``) while the month's
   params and data are read and checked once and every figure is computed
   (``metrics.json``, and the context every section reads);
3. execute each section notebook with papermill on those kernels, in parallel,
   reusing executed sections whose inputs did not change, and fill the
   narrative's named values;
4. merge the sections into one self-contained deck, and print it to PDF.

Everything is written into a staging folder beside ``reports/<MES>/`` and
published in one atomic step only when every step succeeded (``publish``): a
failed, interrupted or concurrent build leaves the last good report as it was.
Heavy libraries are imported only once a build has work to do.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import as_completed
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.reproducible import fixed_time
from anm_helpers.core.month import check_month
from anm_helpers.core.errors import ConstruccionEnCurso, ConstruccionFallida
from anm_helpers.core.cache import SectionCache, cached_context, context_bytes, context_cache_path, write_context_cache
from anm_helpers.builder.freshness import HUELLA, build_fingerprint, up_to_date
from anm_helpers.core.fingerprint import code_fingerprint
from anm_helpers.builder import status
from anm_helpers.builder.publish import STAGING_PREFIX, month_lock, publish, remove_stale_staging
from anm_helpers.inputs.sync import sync_pairs


class Steps:
    """One printed line per step, with its duration; kept for the build log."""

    def __init__(self, out=None, prefix: str = ""):
        self.out = out or sys.stdout  # the stream of the moment, not the one at import
        self.prefix = prefix
        self.lines: list[str] = []
        self.start = time.perf_counter()

    def done(self, text: str, since: float) -> None:
        self.took(text, time.perf_counter() - since)

    def took(self, text: str, seconds: float) -> None:
        self.say(f"  ✓ {text:<58} " + f"{seconds:6.1f} s".replace(".", ","))

    def say(self, line: str) -> None:
        self.lines.append(line)
        print(self.prefix + line, file=self.out, flush=True)


def kernels_log() -> Path:
    """Where the kernels' stderr goes (never the analyst's terminal), opened here first:
    one that cannot be written refuses the build before each worker fails on it aloud."""
    folder = config.REPORTS_DIR / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "kernels.log"
    log.open("a").close()
    return log


#: make preview's reports folder (``build(..., solo_html=True)``): its ``<MES>/`` holds the deck
#: alone, beside caches and a lock of its own; make report's folders and caches are never written
PREVIEW = ".preview"
#: what make preview writes: the deck alone (no PDF, PowerPoint or open data)
PREVIEW_OUTPUTS = ("html",)


def preview_dir(mes: str) -> Path:
    """Where ``make preview`` writes the month's deck: ``reports/.preview/<mes>/``."""
    return config.REPORTS_DIR / PREVIEW / mes


class PreviewReports:
    """While active, ``config.REPORTS_DIR`` is ``reports/.preview/``: the build's
    staging, lock, caches and published folder all go there (nested use is a no-op)."""

    def __init__(self, active: bool = True):
        self.active, self.saved = active, None

    def __enter__(self):
        if self.active and config.REPORTS_DIR.name != PREVIEW:
            self.saved = config.REPORTS_DIR
            config.REPORTS_DIR = self.saved / PREVIEW
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            config.REPORTS_DIR, self.saved = self.saved, None


def build(mes: str, out=None, workers: int | None = None, pool=None, prefix: str = "",
          solo_html: bool = False) -> Path:
    """Build ``reports/<mes>/`` and return it; one build of a month at a time.
    ``pool``: worker processes to use (``runner.pool``), shared by a year's months.
    ``solo_html``: ``make preview``'s build, the deck alone (no PDF, PowerPoint or open
    data) in ``reports/.preview/<mes>/`` (``PreviewReports``)."""
    check_month(mes)
    fixed_time(mes)  # SOURCE_DATE_EPOCH, when set, must be a date before anything starts
    if solo_html:  # make preview records no result: its folder is its own
        return _locked_build(mes, out, workers, pool, prefix, solo_html)
    try:  # the result make sitio lists (builder.status: reports/.estado/<MES>.json)
        final = _locked_build(mes, out, workers, pool, prefix, solo_html)
    except ConstruccionEnCurso:
        raise  # another build is running: this one did not fail
    except Exception as exc:
        status.failed(mes, exc)
        raise
    status.succeeded(mes)
    return final


def _locked_build(mes: str, out, workers: int | None, pool, prefix: str, solo_html: bool) -> Path:
    with PreviewReports(solo_html), month_lock(config.REPORTS_DIR, mes):
        remove_stale_staging(config.REPORTS_DIR, mes)
        for line in sync_pairs():  # a .py edited outside JupyterLab counts: no hidden sync step
            Steps(out, prefix).say(f"  · {line}")
        huella = build_fingerprint(mes)
        if up_to_date(mes, huella, solo=PREVIEW_OUTPUTS if solo_html else None):
            Steps(out, prefix).say(f"Informe {mes}: sin cambios desde la última construcción; "
                                   f"reports/{mes}/ está al día")
            return config.report_dir(mes)
        return _build(mes, out, workers, pool, huella, prefix, solo_html)


def _in_background(function, *args):
    """``function(*args)`` on a thread of its own; its future."""
    from concurrent.futures import ThreadPoolExecutor

    thread = ThreadPoolExecutor(max_workers=1)
    future = thread.submit(function, *args)
    thread.shutdown(wait=False)  # returns at once; the thread ends with its task
    return future


def _preload() -> None:
    """Import the deck's machinery while kernels warm up (the main process waits then)."""
    import nbconvert.exporters.slides  # noqa: F401

    from anm_helpers.outputs import deck  # noqa: F401


def _build(mes: str, out, workers: int | None, shared_pool, huella: str, prefix: str,
           solo_html: bool = False) -> Path:
    import threading

    from anm_helpers.builder import runner
    from anm_helpers.outputs import registry

    steps = Steps(out, prefix)
    steps.say(f"Informe {mes}")
    paths = config.section_notebooks()
    if not paths:
        raise ConstruccionFallida(f"no hay notebooks de sección en {config.NOTEBOOKS_DIR}")
    exporters: list = []  # made once the data are verified: a refused month starts no browser
    threading.Thread(target=_preload, daemon=True).start()
    # workers with warm kernels start now too: as many as sections to execute, known
    # at once when the month's checked context is cached, else one per core
    cached_ctx = cached_context(mes)
    todo = paths if cached_ctx is None else _sections_to_run(paths, mes, cached_ctx)
    n_workers = _workers_for(workers, todo)
    # the staging folder before any worker: a reports folder that cannot be written refuses the
    # build with none started (one left starting would go on after the command and its scratch folder)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{mes}-", dir=config.REPORTS_DIR))
    starting = None
    try:
        staging.chmod(0o755)  # mkdtemp makes it owner-only; the published report is for everyone
        # spawning workers blocks until the fork server is up: a thread does it, the data check goes on
        # (ANM_PRECALENTAR=no: only once the data pass, in _run_sections)
        if shared_pool is None and n_workers and config.prewarm():
            starting = _in_background(runner.pool, n_workers, kernels_log())
        ctx = _check_data(mes, steps, cached_ctx)
        # the outputs' exporters (Chromium starts in the background, while the sections run)
        exporters = registry.exporters(solo=PREVIEW_OUTPUTS if solo_html else None)
        for exporter in exporters:
            getattr(exporter, "preparar", lambda: None)()
        (staging / "notebooks").mkdir()
        (staging / "metrics.json").write_text(
            json.dumps(ctx["metricas"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        contexto = staging / "contexto.json"  # what every section reads (seccion.abrir)
        contexto.write_bytes(context_bytes(ctx))
        pool = shared_pool if shared_pool is not None else (starting.result() if starting else None)
        executed = _run_sections(paths, staging, mes, contexto, ctx, pool, steps, workers)
        write_outputs(executed, mes, staging, steps, exporters, ctx["metricas"])
        contexto.unlink()
        return finish(staging, steps, huella, config.report_dir(mes))
    except BaseException:
        # workers and browser first: once they are stopped nothing writes into staging any more
        stop(starting, exporters, failed=True)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        stop(starting, exporters)


def finish(staging: Path, steps: Steps, huella: str, final: Path) -> Path:
    """The build's stamp (what it was made from), its total time and its log written into
    ``staging``, then published as ``final`` in one step (a month's folder, or a year's)."""
    (staging / HUELLA).write_text(huella + "\n")
    total = f"{time.perf_counter() - steps.start:.1f}".replace(".", ",")
    steps.say(f"  Total {total} s")
    (staging / "construccion.log").write_text("\n".join(steps.lines) + "\n", encoding="utf-8")
    return publish(staging, final)


def _workers_for(workers: int | None, todo: list) -> int:
    """Worker processes for the sections to execute: as many as asked (default: one
    per core), never more than there are sections."""
    return min(workers or os.cpu_count() or 1, len(todo))


def stop(starting, exporters: list, failed: bool = False) -> None:
    """Close the exporters (the PDF's browser) and the worker processes (their kernels go
    with them); idempotent. ``failed``: the workers are stopped at once, booting or not
    (``runner.abandon``)."""
    from anm_helpers.builder import runner

    for exporter in exporters:
        getattr(exporter, "cerrar", lambda: None)()
    if starting is not None:
        (runner.abandon if failed else lambda pool: pool.shutdown(wait=True, cancel_futures=True))(starting.result())


def _sections_to_run(paths: list[Path], mes: str, ctx: dict) -> list[Path]:
    cache = SectionCache(mes, context_bytes(ctx), code_fingerprint())
    return [p for p in paths if not cache.has(p)]


def _check_data(mes: str, steps: Steps, cached: dict | None = None) -> dict:
    """Params and data read and checked once; every figure computed. While the
    data, params and code are those of a previous build, its checked context is
    reused (cached under their hash), without reading a table again."""
    from anm_helpers.figures.typed_numbers import check_typed_numbers

    t = time.perf_counter()
    cache = context_cache_path(mes)
    if cached is not None:
        ctx = cached
        note = "datos sin cambios desde la última verificación"
        check_typed_numbers(ctx, config.section_notebooks())  # the notebooks may have changed since
    else:
        from anm_helpers.figures.check import review

        found = review(mes, config.section_notebooks())  # what `make check` does: every problem of every kind at once
        found.raise_errors()
        ctx = found.ctx
        if ctx["params"]["archivo"] is None:
            steps.say(f"  · sin params/{mes}.yaml: se usan los valores por defecto (metodo_encuestas: top2)")
        note = f"datos verificados ({found.archivos} archivos, {found.filas} filas)"
    if not cache.exists():
        write_context_cache(mes, ctx)
    steps.done(note, t)
    for aviso in ctx["avisos"]:
        steps.say(f"  ! aviso: {aviso}")
    for linea in ctx.get("normalizados", []):
        steps.say(f"  · texto normalizado: {linea}")
    for nota in ctx.get("notas", []):
        steps.say(f"  · {nota}")
    if ctx.get("borrador"):
        steps.say("  ! el mes está sin terminar: el informe se marca BORRADOR en la portada y en cada pie")
    return ctx


def _run_sections(paths: list[Path], staging: Path, mes: str, contexto: Path, ctx: dict, pool, steps: Steps,
                  workers: int | None = None) -> list:
    """Each section executed on a warm kernel, or taken from the cache when its
    notebook, the month's context and the helpers' code are unchanged. Without
    ``pool`` (none booted early), ``workers`` of its own (default: one per core)."""
    import nbformat

    from anm_helpers.builder import runner

    cache = SectionCache(mes, contexto.read_bytes(), code_fingerprint())
    todo = []
    for path in paths:
        t = time.perf_counter()
        target = staging / "notebooks" / path.name
        if cache.get(path, target):
            fill(target, ctx, path.stem)
            steps.took(f"sección {path.stem}: código sin cambios, resultados de la caché", time.perf_counter() - t)
        else:
            todo.append(path)
    own = pool is None and bool(todo)  # none booted early, or the cache changed since the build started
    if own:
        pool = runner.pool(_workers_for(workers, todo), kernels_log())
    try:
        futures = {pool.submit(runner.execute, p, staging / "notebooks" / p.name, mes, contexto): p for p in todo}
        _collect(futures, staging, ctx, cache, steps)
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    return [nbformat.read(staging / "notebooks" / p.name, as_version=4) for p in paths]


def _collect(futures: dict, staging: Path, ctx: dict, cache, steps: Steps) -> None:
    """As each section finishes: keep it in the cache, fill its narrative, say so."""
    for future in as_completed(futures):
        path = futures[future]
        seconds = future.result()
        target = staging / "notebooks" / path.name
        cache.put(path, target)
        fill(target, ctx, path.stem)
        steps.took(f"sección {path.stem} ejecutada", seconds)


def fill(target: Path, ctx: dict, name: str) -> None:
    """The narrative's named values filled in, in the executed notebook itself, which
    is published as it settles (``merge.settle``: no execution times, ids from content)."""
    import nbformat

    from anm_helpers.slides.merge import fill_narrative, settle

    nb = nbformat.read(target, as_version=4)
    fill_narrative(nb, ctx["cifras"], name)
    settle(nb, name)
    nbformat.write(nb, target)


def write_outputs(executed: list, mes: str, staging: Path, steps: Steps, exporters: list, metricas: dict) -> None:
    """Every output from one slide model (``slides.model``), one exporter each, in the
    registry's writing order (``outputs.registry``): each after what it needs, those
    ``en_segundo_plano`` on a thread of their own while the next ones write (the PDF
    prints while the PowerPoint and the open data are written)."""
    from anm_helpers.slides.model import Informe

    informe = Informe.de(executed, mes, metricas)
    background = []
    for exporter in exporters:
        path, t = staging / exporter.archivo(mes), time.perf_counter()
        if getattr(exporter, "en_segundo_plano", False):
            background.append((exporter, t, _in_background(exporter.escribir, informe, path)))
        else:
            _said(steps, exporter, exporter.escribir(informe, path), t)
    for exporter, t, writing in background:
        _said(steps, exporter, writing.result(), t)


def _said(steps: Steps, exporter, line: str | None, since: float) -> None:
    """An exporter's line (or, when it wrote nothing, why), then its warnings."""
    if line is not None:
        steps.done(line, since)
    for nota in getattr(exporter, "notas", ()):
        steps.say(f"  · {nota}")
    for aviso in getattr(exporter, "avisos", ()):
        steps.say(f"  ! aviso: {aviso}")


def ready_line(final: Path) -> str:
    """The build's last line: the folder and every output in it, in the registry's order
    (the order reviewers use them: deck, PDF, PowerPoint, open data), then the figures."""
    from anm_helpers.outputs.registry import files

    mes = final.name
    rel = final.relative_to(config.PROJ_ROOT) if final.is_relative_to(config.PROJ_ROOT) else final
    names = [*files(mes), "metrics.json"]
    shown = [f"{n}/" if (final / n).is_dir() else n for n in names if (final / n).exists()]
    listed = f"{', '.join(shown[:-1])} y {shown[-1]}" if len(shown) > 1 else "".join(shown)
    return f"Listo: {rel}/ ({listed})"
