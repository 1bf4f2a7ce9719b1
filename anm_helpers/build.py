"""Build a month's report: ``python -m anm_helpers.build 2024-03`` (``make report``).

1. check MONTH, read the params, read and check all the data once, compute
   every figure, write ``metrics.json``;
2. execute each section notebook with papermill (in parallel, one kernel per
   core), filling the narrative's named values;
3. merge the executed sections into one self-contained deck.

Everything is written into a staging folder beside ``reports/<MES>/`` and
published only when every step succeeded: a failed or interrupted build
leaves the last good report as it was.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat

from . import config
from .context import context_from, write_context
from .dataset import load_report_data
from .deck import fill_narrative, write_deck
from .exceptions import ConstruccionFallida, InformeError, MesInvalido
from .load import MES_RE
from .params import load_params
from .pdf import no_chromium_message, write_pdf
from .typed_numbers import check_typed_numbers


def sections() -> list[Path]:
    """The section notebooks, in deck order (file name order)."""
    return sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def check_month(mes: str) -> None:
    if not MES_RE.match(mes or ""):
        raise MesInvalido(f'MONTH="{mes}" no es un mes AAAA-MM (por ejemplo MONTH=2024-03)')
    if not config.month_data_dir(mes).is_dir() and not config.params_file(mes).exists():
        raise MesInvalido(f"no hay datos para {mes}: falta la carpeta data/{mes}/ (y params/{mes}.yaml)")


class Steps:
    """One printed line per step, with its duration; kept for the build log."""

    def __init__(self, out=sys.stdout):
        self.out = out
        self.lines: list[str] = []
        self.start = time.perf_counter()

    def done(self, text: str, since: float) -> None:
        self.took(text, time.perf_counter() - since)

    def took(self, text: str, seconds: float) -> None:
        self.say(f"  ✓ {text:<58} " + f"{seconds:6.1f} s".replace(".", ","))

    def say(self, line: str) -> None:
        self.lines.append(line)
        print(line, file=self.out, flush=True)


#: the kernels' own log lines (transport notices) are not the analysts' business
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]


def execute_section(path: Path, out: Path, mes: str, contexto: Path) -> None:
    import papermill as pm

    try:
        pm.execute_notebook(str(path), str(out), parameters={"mes": mes, "contexto": str(contexto)},
                            kernel_name="python3", progress_bar=False, log_output=False,
                            cwd=str(config.PROJ_ROOT), extra_arguments=KERNEL_ARGS)
    except pm.PapermillExecutionError as exc:
        raise ConstruccionFallida(
            f"la sección {path.name} falló en la celda {exc.exec_count}: {exc.ename}: {exc.evalue}") from None


def _quiet_worker(log: str) -> None:
    """Worker set-up: its stderr, inherited by the kernels it starts, goes to a
    log file; kernels' shutdown notices are not the analysts' business (a
    failing cell is reported through papermill's exception, not stderr)."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)


def run_section(path: Path, target: Path, mes: str, contexto: Path) -> float:
    """Execute one section into ``target`` and fill its narrative; its duration.
    Runs in a worker process: kernels of different sections share nothing."""
    from .context import read_context

    t0 = time.perf_counter()
    execute_section(path, target, mes, contexto)
    nb = nbformat.read(target, as_version=4)
    fill_narrative(nb, read_context(contexto)["cifras"], path.stem)
    nbformat.write(nb, target)
    return time.perf_counter() - t0


def build(mes: str, out=sys.stdout, workers: int | None = None) -> Path:
    """Build ``reports/<mes>/`` and return it."""
    steps = Steps(out)
    check_month(mes)
    steps.say(f"Informe {mes}")
    t = time.perf_counter()
    params = load_params(mes)
    if params["archivo"] is None:
        steps.say(f"  · sin params/{mes}.yaml: se usan los valores por defecto (metodo_encuestas: top2)")
    report_data = load_report_data(mes)
    ctx = context_from(report_data, params)
    check_typed_numbers(ctx, sections())  # a number typed into narrative stops the build, its place named
    rows = sum(f.filas for f in report_data.archivos)
    steps.done(f"datos verificados ({len(report_data.archivos)} archivos, {rows} filas)", t)

    config.REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".construyendo-{mes}-", dir=config.REPORTS_DIR))
    try:
        (staging / "notebooks").mkdir()
        (staging / "metrics.json").write_text(
            json.dumps(ctx["metricas"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        contexto = staging / "contexto.json"
        write_context(ctx, contexto)

        paths = sections()
        if not paths:
            raise ConstruccionFallida(f"no hay notebooks de sección en {config.NOTEBOOKS_DIR}")
        n_workers = workers or min(len(paths), os.cpu_count() or 1)
        kernels_log = staging / "kernels.log"
        pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=_quiet_worker, initargs=(str(kernels_log),))
        try:
            futures = {pool.submit(run_section, p, staging / "notebooks" / p.name, mes, contexto): p for p in paths}
            for future in as_completed(futures):
                steps.took(f"sección {futures[future].stem} ejecutada", future.result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        executed = [nbformat.read(staging / "notebooks" / p.name, as_version=4) for p in paths]

        t = time.perf_counter()
        deck = staging / f"informe-{mes}.html"
        n_slides = write_deck(executed, mes, deck)
        steps.done(f"informe escrito: {deck.name} ({n_slides} diapositivas)", t)
        t = time.perf_counter()
        pages = write_pdf(deck, staging / f"informe-{mes}.pdf", n_slides)
        if pages is None:
            steps.say(f"  · {no_chromium_message()}")
        else:
            steps.done(f"PDF escrito: informe-{mes}.pdf ({pages} páginas)", t)
        contexto.unlink()
        kernels_log.unlink(missing_ok=True)
        total = f"{time.perf_counter() - steps.start:.1f}".replace(".", ",")
        steps.say(f"  Total {total} s")
        (staging / "construccion.log").write_text("\n".join(steps.lines) + "\n", encoding="utf-8")
        return publish(staging, config.report_dir(mes))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def publish(staging: Path, final: Path) -> Path:
    """Replace ``final`` with ``staging`` (renames on the same file system)."""
    old = None
    if final.exists():
        old = final.with_name(f".anterior-{final.name}-{os.getpid()}")
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make report", description="Construye el informe de un mes.")
    parser.add_argument("mes", help="AAAA-MM, por ejemplo 2024-03")
    parser.add_argument("--workers", type=int, default=None, help="secciones en paralelo (por defecto: núcleos)")
    args = parser.parse_args(argv)
    try:
        final = build(args.mes, workers=args.workers)
    except InformeError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrumpido: el último informe publicado queda como estaba.", file=sys.stderr)
        return 130
    rel = final.relative_to(config.PROJ_ROOT) if final.is_relative_to(config.PROJ_ROOT) else final
    pdf = f", {rel}/informe-{args.mes}.pdf" if (final / f"informe-{args.mes}.pdf").exists() else ""
    print(f"Listo: {rel}/informe-{args.mes}.html{pdf} y {rel}/metrics.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
