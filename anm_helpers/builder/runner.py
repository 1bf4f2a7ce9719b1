"""Executing section notebooks fast: worker processes with a warm kernel each,
and a cache of executed sections.

Each worker process starts one kernel when it starts (while the main process
reads and checks the data), imports the section helpers in it once, and runs
every section it is given through papermill on that same kernel (papermill
hands nbclient a kernel manager it does not own, so the kernel outlives each
notebook). A section whose notebook, month context and helper code are
unchanged is taken from the cache instead of being executed again.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.errors import ConstruccionFallida

#: the kernels' own log lines (transport notices) are not the analysts' business
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
WARM_UP = "import anm_helpers.slides.seccion, anm_helpers.slides.charts, IPython.display, mistune"

_kernel = None  # this worker's kernel manager
_booting = None  # this worker's kernel manager while its kernel starts


def _abandon(signum, frame) -> None:
    """SIGTERM (``abandon``): the build failed before this worker ran anything; its
    kernel, booting or ready, is killed at once, and the worker exits."""
    km = _kernel or _booting
    try:
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None:
            process.kill()
    finally:
        os._exit(0)


def kernel():
    """This worker's kernel manager: None outside a worker process (or before its kernel is up)."""
    return _kernel


def _stop_kernel() -> None:
    global _kernel
    if _kernel is not None:
        try:
            _kernel.shutdown_kernel(now=True)
        except Exception:  # the kernel may already be gone (Ctrl-C)
            pass
        _kernel = None


def init_worker(log: str) -> None:
    """Worker set-up: stderr (inherited by its kernel) to a log file, then a warm
    kernel with the helpers imported. A failing cell is reported through
    papermill's exception, not through stderr."""
    global _kernel
    import signal

    signal.signal(signal.SIGTERM, _abandon)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    from multiprocessing.util import Finalize

    _kernel = boot()
    Finalize(None, _stop_kernel, exitpriority=10)


#: seconds a booting kernel has to answer, attempt by attempt: a kernel boots in a
#: second or two. One whose ports were taken in the meantime (jupyter_client picks free
#: ports, the kernel binds them a second later, and another process may get there
#: first: "Address already in use" in kernels.log) stays alive and never answers; it
#: is killed and another one, on other ports, is booted
BOOT_TIMEOUTS = (30, 30, 120)


def boot(timeouts: tuple[float, ...] = BOOT_TIMEOUTS):
    """A warm kernel: booted again, on other ports, while one does not answer in time."""
    for attempt, timeout in enumerate(timeouts, 1):
        try:
            return _boot_kernel(timeout)
        except Exception:
            if attempt == len(timeouts):
                raise


def _boot_kernel(timeout: float):
    """A kernel that answered and imported the helpers, or an error with no kernel left
    running (it would hold the build's output open after the build ended)."""
    global _booting
    from jupyter_client.manager import KernelManager

    km = _booting = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(config.PROJ_ROOT), extra_arguments=KERNEL_ARGS)
    import papermill  # noqa: F401  (slow to import: done while the kernel boots)

    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        kc.execute_interactive(WARM_UP, timeout=120)
    except BaseException:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass
        _booting = None
        raise
    finally:
        kc.stop_channels()
    return km


def ready() -> int:
    """A no-op task: submitting one per worker starts the workers (and kernels) early."""
    return os.getpid()


def execute(path: Path, target: Path, mes: str, contexto: Path, parametro: str = "mes") -> float:
    """Execute one section into ``target`` on this worker's kernel; its duration.
    ``parametro``: the notebook's name for ``mes`` (the year's notebook: ``anio``)."""
    import papermill as pm

    t0 = time.perf_counter()
    kwargs = {"km": _kernel} if _kernel is not None else {"extra_arguments": KERNEL_ARGS}
    try:
        # written once, when the section ends (not after every cell too): the same notebook,
        # in about half the time for a short section; a failed or stopped build discards it anyway
        pm.execute_notebook(str(path), str(target), parameters={parametro: mes, "contexto": str(contexto)},
                            kernel_name="python3", progress_bar=False, log_output=False,
                            request_save_on_cell_execute=False, cwd=str(config.PROJ_ROOT), **kwargs)
    except pm.PapermillExecutionError as exc:
        raise ConstruccionFallida(
            f"la sección {path.name} falló en la celda {exc.exec_count}: {exc.ename}: {exc.evalue}") from None
    return time.perf_counter() - t0


def abandon(executor: ProcessPoolExecutor) -> None:
    """Stop the workers of a build that failed without waiting for their kernels to
    finish booting (``shutdown`` would: a failed data check would cost two kernel
    starts): each gets SIGTERM, kills its kernel and exits (``_abandon``)."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError):  # already gone
            pass
    executor.shutdown(wait=True, cancel_futures=True)


def pool(workers: int, log: Path) -> ProcessPoolExecutor:
    """Worker processes with warm kernels; their start begins now, in the background."""
    context = multiprocessing.get_context("forkserver")
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                   initializer=init_worker, initargs=(str(log),))
    for _ in range(workers):
        executor.submit(ready)
    return executor
