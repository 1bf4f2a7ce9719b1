"""How every command ends, whatever happens: an analyst reads a message in
Spanish that says what to do, never a traceback.

- a problem of the inputs or the outputs (``InformeError``): its message;
- a file that cannot be written or read (disk full, read-only folder): which
  file and why;
- Ctrl-C or ``kill``: one line saying the last report is as it was;
- anything else (a bug nobody foresaw): one short message and the path of a log
  file holding the traceback, for the team that keeps the tool.

A build also gets a scratch folder of its own for every temporary file of the
processes it starts (kernels' connection files, Chromium's and Playwright's
profiles, multiprocessing's sockets); it is removed when the command ends, so
a failed or interrupted build leaves nothing in the system's temporary folder.
"""
from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import re
import shutil
import signal
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.errors import InformeError

SCRATCH_PREFIX = "anm-informe-"
#: the longest scratch folder this process's own temporary files go in (see ``scratch_folder``)
MAX_BASE = 60
INTERRUMPIDO = "Interrumpido: el último informe publicado queda como estaba."


#: argparse's own words, in the analysts' language
_ARGPARSE = ((r"^unrecognized arguments: (.*)$", r"argumentos desconocidos: \1"),
             (r"^the following arguments are required: (.*)$", r"faltan los argumentos: \1"),
             (r"^argument (\S+): invalid int value: (.*)$", r"el argumento \1 debe ser un número entero (no \2)"),
             (r"^argument (\S+): expected one argument$", r"el argumento \1 necesita un valor"),
             (r"^argument (\S+): invalid choice: (.*)$", r"el argumento \1 no admite \2"))


class Orden(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are the report's own (``InformeError``, in
    Spanish, through ``run``) and whose help speaks Spanish."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, add_help=False, **kwargs)
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def error(self, message: str):
        for pattern, spanish in _ARGPARSE:
            message = re.sub(pattern, spanish, message)
        raise InformeError(f"{self.prog}: {message}")

    def format_help(self) -> str:
        text = super().format_help()
        return (text.replace("usage:", "uso:", 1).replace("positional arguments:", "argumentos:")
                .replace("options:", "opciones:"))


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def os_message(exc: OSError) -> str:
    """A file system error in the analysts' words: which file, why, what to do."""
    path = exc.filename or ""
    shown = shown_path(Path(path)) if path else f"en {shown_path(config.REPORTS_DIR)}"
    if exc.errno == errno.ENOSPC:
        return (f"no queda espacio en el disco para escribir {shown}: libere espacio y vuelva a construir "
                "(el último informe publicado queda como estaba)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"no hay permiso para escribir {shown}: revise los permisos de la carpeta (o use otra con "
                "ANM_REPORTS_DIR) y vuelva a construir; el último informe publicado queda como estaba")
    if exc.errno == errno.EISDIR:
        return (f"no se puede escribir {shown}: en su lugar hay una carpeta y se esperaba un archivo; "
                "mueva o renombre esa carpeta y vuelva a construir (el último informe publicado queda como estaba)")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return (f"no se puede escribir en {shown}: una parte de esa ruta es un archivo y no una carpeta; "
                "renómbrelo o elija otra carpeta de informes")
    return f"no se pudo leer o escribir {shown} ({exc.strerror or exc})"


def shown_path(path: Path) -> str:
    """A path as the analyst reads it in a message: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(config.PROJ_ROOT.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def log_folders() -> list[Path]:
    """Where an unexpected error's traceback is written: beside the reports, else the user's cache."""
    return [config.REPORTS_DIR / ".registros", Path.home() / ".cache" / "anm-informe"]


def write_error_log(text: str) -> Path | None:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for folder in log_folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"error-{stamp}-{os.getpid()}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def traceback_note(exc: BaseException, command: str) -> str:
    """An unexpected error's traceback written to a log file (``command`` and the time
    first); the clause that tells the analyst where it went (or that it could not be
    saved), lower case and without a full stop, for the message to place."""
    log = write_error_log(f"{command}\n{dt.datetime.now().isoformat()}\n\n" + "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return (f"el detalle técnico quedó en {shown_path(log)}: envíelo al equipo que mantiene el informe"
            if log else f"no se pudo guardar el detalle técnico ({type(exc).__name__})")


def unexpected_message(exc: BaseException, command: str) -> str:
    """A command stopped by a bug: one short message, the traceback in a log file."""
    where = traceback_note(exc, command)
    return (f"ERROR: {command} se detuvo por un error inesperado del programa, no de sus datos; el último "
            f"informe publicado queda como estaba. {where[:1].upper()}{where[1:]}.")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_scratch(base: Path) -> None:
    """Scratch folders of builds that were killed (``kill -9``) before they could clean up."""
    for folder in base.glob(f"{SCRATCH_PREFIX}*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def scratch_folder():
    """A temporary folder for this process and every process it starts
    (``TMPDIR``, ``JUPYTER_RUNTIME_DIR``), removed at the end. When that folder's
    path is long, this process's own temporary files (multiprocessing's Unix
    sockets, whose path may not pass ~107 bytes) go to a second, short one in
    ``/tmp``, removed at the end too."""
    base = Path(tempfile.gettempdir())
    remove_stale_scratch(base)
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=base))
    short = None
    if len(str(folder)) > MAX_BASE and Path("/tmp").is_dir() and os.access("/tmp", os.W_OK):
        remove_stale_scratch(Path("/tmp"))
        short = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir="/tmp"))
    saved = {k: os.environ.get(k) for k in ("TMPDIR", "JUPYTER_RUNTIME_DIR")}
    os.environ["TMPDIR"] = str(folder)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(folder / "jupyter")
    tempfile.tempdir = str(short or folder)
    try:
        yield folder
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        tempfile.tempdir = None
        _run_multiprocessing_exit()
        for path in (folder, short):
            if path is not None:
                shutil.rmtree(path, ignore_errors=True)


def _run_multiprocessing_exit() -> None:
    """multiprocessing removes its own temporary folder (in the scratch folder)
    only at interpreter exit, and fails loudly if it is gone by then: run its
    exit step now, while the folder is still there."""
    util = sys.modules.get("multiprocessing.util")
    exit_function = getattr(util, "_exit_function", None)
    if exit_function is not None:
        try:
            exit_function()
        except Exception:  # nothing of it matters once the command is over
            pass
        # and again at interpreter exit (it runs once): whatever is started after the command
        # (a folder of its own outside the scratch folder) is removed then
        util._exiting = False


def run(main, argv: list[str] | None, command: str, scratch: bool = False) -> int:
    """``main(argv)`` with every way it can end turned into an exit status and,
    on failure, Spanish lines on stderr."""
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C
    try:
        if not scratch:
            return main(argv)
        with scratch_folder():
            return main(argv)
    except InformeError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(INTERRUMPIDO, file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"ERROR: {os_message(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: a short message, the traceback in a log file
        print(unexpected_message(exc, command), file=sys.stderr)
        return 1
