"""Build a year: ``python -m anm_helpers.builder.report --anio 2024`` (``make year YEAR=2024``;
``python -m anm_helpers.builder.year --anio 2024`` does the same).

1. every month of the year with data is reviewed (``make check``'s review) before any
   is built, then built on the same warm kernels (``report.build``: a month that is up
   to date answers at once);
2. the year's figures (``reports/<AAAA>/metrics.json``) are computed from the months'
   own published ``metrics.json`` and checked against them (``figures.year``);
3. the year's notebook (``notebooks/anual/``, papermill on the same kernels) draws the
   year's slides, and the month's exporters write ``informe-<AAAA>.html``, ``.pdf`` and
   ``.pptx`` from the same slide model (``slides.model.Informe``).

Like a month, the year is written into a staging folder and published in one atomic
step under its own lock (``publish``): a failed year build leaves the last one as it was.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from anm_helpers.builder.freshness import HUELLA, build_fingerprint, up_to_date
from anm_helpers.builder.publish import STAGING_PREFIX, month_lock, remove_stale_staging
from anm_helpers.builder.month import Steps, build, fill, finish, kernels_log, ready_line, stop, write_outputs
from anm_helpers.core import config
from anm_helpers.core.cache import cached_context, write_context_cache
from anm_helpers.core.errors import ConstruccionFallida, InformeError, MesInvalido
from anm_helpers.core.month import ANIO_RE, months_of_year
from anm_helpers.inputs.sync import sync_pairs

#: what the year writes beside its metrics.json (open data for the series is ``make sitio``'s)
YEAR_OUTPUTS = ("html", "pdf", "pptx")


def year_notebooks() -> list[Path]:
    """The year deck's notebooks, in deck order: ``notebooks/anual/NN_*.ipynb``."""
    return config.section_notebooks(config.year_notebooks_dir())


def survey_methods(months: list[str]) -> list[str]:
    """Each month's declared survey method, one line, and a warning when the
    months of one year mix methods (their survey figures do not compare)."""
    from anm_helpers.core.fmt import nombre_mes
    from anm_helpers.inputs.params import load_params

    methods = {}
    for mes in months:
        try:
            params = load_params(mes)
        except InformeError:  # the months' review says what is wrong
            methods[mes] = ("?", " (params con errores)")
            continue
        declared = "" if params["archivo"] else " (por defecto: sin params)"
        methods[mes] = (params["metodo_encuestas"], declared)
    lines = ["  método de las encuestas: " + "; ".join(f"{nombre_mes(m)} {v}{d}" for m, (v, d) in methods.items())]
    if len({v for v, _ in methods.values() if v != "?"}) > 1:
        by = {}
        for m, (v, _) in methods.items():
            if v != "?":
                by.setdefault(v, []).append(nombre_mes(m))
        lines.append("  ! aviso: los meses del año mezclan métodos de encuesta (" +
                     "; ".join(f"{v}: {', '.join(ms)}" for v, ms in by.items()) +
                     "): sus cifras de encuestas no son comparables entre sí")
    return lines


def _review_year(months: list[str], out) -> None:
    """Every month of the year that needs building is reviewed as make check does
    before any kernel starts or any month is built: a year whose months have
    problems is refused whole, with every problem of every month; the reviewed
    months' contexts are cached for their builds (not read again)."""
    from anm_helpers.builder import status
    from anm_helpers.core.errors import AnioConProblemas, RevisionFallida
    from anm_helpers.figures.check import review

    for line in sync_pairs():
        print(f"  · {line}", file=out, flush=True)
    failed = {}
    for mes in months:
        with month_lock(config.REPORTS_DIR, mes):
            if up_to_date(mes, build_fingerprint(mes)):
                continue
        found = review(mes, config.section_notebooks())
        if found.errores:
            failed[mes] = found.errores
            # its build failed as make report's would: make sitio lists the month so (builder.status)
            status.failed(mes, found.errores[0] if len(found.errores) == 1 else RevisionFallida(found.errores))
        elif cached_context(mes) is None:
            write_context_cache(mes, found.ctx)
    if failed:
        raise AnioConProblemas(failed)


def build_year(anio: str, out=None, workers: int | None = None) -> list[Path]:
    """Every month of ``anio`` with data, one after the other on the same warm
    kernels (one per core), then the year's deck; a progress line per month and
    section. The published folders: the months', then the year's."""
    from anm_helpers.builder import runner

    if not ANIO_RE.match(anio or ""):
        raise MesInvalido(f'YEAR="{anio}" no es un año AAAA (por ejemplo YEAR=2024)')
    months = months_of_year(anio)
    if not months:
        raise MesInvalido(f"no hay datos de {anio}: ninguna carpeta data/{anio}-MM/")
    print(f"Año {anio}: {len(months)} mes(es) con datos ({', '.join(months)})", file=out, flush=True)
    for line in survey_methods(months):
        print(line, file=out, flush=True)
    _review_year(months, out)
    pool = runner.pool(workers or min(len(config.section_notebooks()) or 1, os.cpu_count() or 1), kernels_log())
    try:
        finals = [build(mes, out, workers, pool, prefix=f"[{mes}] ") for mes in months]
        finals.append(build_year_deck(anio, months, out, pool))
        return finals
    finally:
        pool.shutdown(wait=True, cancel_futures=True)




def year_fingerprint(anio: str, months: list[str]) -> str:
    """Everything the year's outputs depend on: the months' published metrics.json (and their
    BORRADOR mark, diapositivas.json), the
    year's notebooks, the helpers' code and templates, reveal.js, the PowerPoint template,
    the key packages and Chromium, and SOURCE_DATE_EPOCH (the files' date)."""
    import hashlib

    from anm_helpers.builder.freshness import machine
    from anm_helpers.core.fingerprint import code_fingerprint, hash_files

    h = hashlib.sha256(code_fingerprint().encode())
    for mes in months:  # by month, not by path: a reports/ folder moved or copied stays up to date
        for name in ("metrics.json", "diapositivas.json"):  # the figures, and whether the month is a draft
            path = config.report_dir(mes) / name
            h.update(mes.encode() + (path.read_bytes() if path.exists() else b"<none>"))
    hash_files(h, year_notebooks() + [config.REVEAL_DIR / "package.json", config.PPTX_TEMPLATE])
    machine(h)
    h.update(f"{anio}|{os.environ.get('SOURCE_DATE_EPOCH', '').strip()}|{','.join(YEAR_OUTPUTS)}".encode())
    return h.hexdigest()


def _year_up_to_date(anio: str, huella: str) -> bool:
    """The published year was built from exactly these inputs and has every file."""
    from anm_helpers.outputs import registry

    folder = config.report_dir(anio)
    stamp = folder / HUELLA
    wanted = [e.archivo(anio) for e in registry.exporters(solo=YEAR_OUTPUTS) if not getattr(e, "puede_faltar", False)]
    return (stamp.exists() and stamp.read_text().strip() == huella
            and all((folder / name).exists() for name in [*wanted, "metrics.json"]))


def build_year_deck(anio: str, months: list[str], out=None, pool=None) -> Path:
    """``reports/<anio>/``: the year's figures from the months' published metrics.json,
    checked against them, and the year's deck in every output of ``YEAR_OUTPUTS``."""
    from anm_helpers.figures.typed_numbers import check_typed_numbers
    from anm_helpers.figures.year import published_draft, read_drafts, read_published, year_context
    from anm_helpers.outputs import registry

    steps = Steps(out, f"[{anio}] ")
    steps.say(f"Informe anual {anio}")
    paths = year_notebooks()
    if not paths:
        raise ConstruccionFallida(f"no hay notebooks del informe anual en {config.year_notebooks_dir()}")
    for line in sync_pairs(config.year_notebooks_dir()):
        steps.say(f"  · {line}")
    t = time.perf_counter()
    ctx = year_context(anio, read_published(anio, months), read_drafts(months))
    for mes in months:  # a mark that cannot be read is said, never taken silently for a finished month
        if published_draft(config.report_dir(mes)) is None:
            steps.say(f"  ! aviso: no se pudo leer reports/{mes}/diapositivas.json: no se sabe si el mes es "
                      f"BORRADOR; vuelva a construirlo (make report MONTH={mes}) y luego make year")
    check_typed_numbers(ctx, paths)  # the year's narrative names its figures, as a month's does
    metricas = ctx["metricas"]
    sin = metricas["meses_sin_datos"]
    steps.done(f"cifras del año: {len(metricas['meses_con_datos'])} mes(es), coinciden con cada mes", t)
    if sin:
        steps.say(f"  · meses sin datos: {ctx['cifras']['periodo.meses_sin_datos']}")
    for line in ctx.get("borrador", []):
        steps.say(f"  ! {line}: el informe anual también se marca BORRADOR en la portada y en cada pie")
    with month_lock(config.REPORTS_DIR, anio):
        remove_stale_staging(config.REPORTS_DIR, f"{anio}-anual")
        huella = year_fingerprint(anio, months)
        if _year_up_to_date(anio, huella):
            steps.say(f"Informe anual {anio}: sin cambios desde la última construcción; reports/{anio}/ está al día")
            return config.report_dir(anio)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{anio}-anual-", dir=config.REPORTS_DIR))
        exporters: list = []
        try:
            staging.chmod(0o755)
            exporters = registry.exporters(solo=YEAR_OUTPUTS)
            for exporter in exporters:
                getattr(exporter, "preparar", lambda: None)()
            (staging / "notebooks").mkdir()
            (staging / "metrics.json").write_text(json.dumps(metricas, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8")
            contexto = staging / "contexto.json"
            contexto.write_text(json.dumps(ctx, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            executed = _run_year_notebooks(paths, staging, anio, contexto, ctx, pool, steps)
            write_outputs(executed, anio, staging, steps, exporters, metricas)
            contexto.unlink()
            return finish(staging, steps, huella, config.report_dir(anio))
        except BaseException:
            stop(None, exporters, failed=True)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            stop(None, exporters)


def _run_year_notebooks(paths: list[Path], staging: Path, anio: str, contexto: Path, ctx: dict, pool,
                        steps: Steps) -> list:
    """The year's notebooks executed by papermill (on the build's warm kernels when
    given), their narrative's named values filled in with the year's."""
    import nbformat

    from anm_helpers.builder import runner

    own = pool is None
    if own:
        pool = runner.pool(1, kernels_log())
    try:
        for path in paths:
            target = staging / "notebooks" / path.name
            seconds = pool.submit(runner.execute, path, target, anio, contexto, "anio").result()
            fill(target, ctx, path.stem)
            steps.took(f"cuaderno anual {path.stem} ejecutado", seconds)
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    return [nbformat.read(staging / "notebooks" / p.name, as_version=4) for p in paths]


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import Orden

    parser = Orden(prog="make year", description="Construye los meses de un año y el informe anual.")
    parser.add_argument("--anio", required=True, help="AAAA, por ejemplo 2024")
    parser.add_argument("--workers", type=int, default=None, help="secciones en paralelo (por defecto: núcleos)")
    args = parser.parse_args(argv)
    for final in build_year(args.anio, workers=args.workers):
        print(ready_line(final))
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command: every error becomes Spanish lines (``cli.run``)."""
    from anm_helpers.core.cli import run

    return run(_main, argv, "make year", scratch=True)


if __name__ == "__main__":
    sys.exit(main())
