"""Publishing a month's outputs so that nothing is ever lost.

- A build writes into a staging folder beside ``reports/<MES>/``.
- Only one build of a month runs at a time (an OS lock, released even when the
  process is killed); a second one stops at once with a clear message.
- Publishing swaps the staging folder and ``reports/<MES>/`` in one atomic
  step (Linux ``renameat2(RENAME_EXCHANGE)``): at no moment is the month's
  folder missing or half written, even if the process is killed meanwhile.
- Staging folders left by killed builds are removed by the next build.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from anm_helpers.core.errors import ConstruccionEnCurso
from anm_helpers.core.cli import pid_alive

STAGING_PREFIX = ".construyendo-"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


@contextmanager
def month_lock(reports_dir: Path, mes: str):
    """Hold the month's build lock, or raise ConstruccionEnCurso."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / f".{mes}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConstruccionEnCurso(
                f"ya hay otra construcción de {mes} en curso; espere a que termine "
                "(el último informe publicado queda como está)") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


def remove_stale_staging(reports_dir: Path, mes: str) -> None:
    """Remove staging folders of ``mes`` left by builds that were killed. Call
    it holding the month's lock: no other build of the month is running."""
    for folder in reports_dir.glob(f"{STAGING_PREFIX}{mes}-*"):
        shutil.rmtree(folder, ignore_errors=True)
    for folder in reports_dir.glob(f".anterior-{mes}-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    rc = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def publish(staging: Path, final: Path) -> Path:
    """Make ``staging`` the month's folder ``final``; the previous one is removed."""
    if not final.exists():
        os.replace(staging, final)
        return final
    if _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous report
        return final
    old = final.with_name(f".anterior-{final.name}-{os.getpid()}")
    os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    return final
