"""A month's last build result, for the publication site (``make sitio``): a failed
build (or ``make year``'s review refusing the month before any build) writes
``reports/.estado/<MES>.json`` (``{"mes", "resultado": "fallida",
"mensaje"}``: the Spanish error, one line), a build that succeeds (or finds the month
up to date) removes it. Never written for ``ConstruccionEnCurso`` (another build of
the month is running: this one did not fail), nor by ``make preview``; a reports
folder that cannot be written is skipped silently (the build's own error says so)."""
from __future__ import annotations

import json
import os
import tempfile

from anm_helpers.core import config
from anm_helpers.core.errors import InformeError

#: the longest message kept (a data error lists up to 20 problems per file)
MAX_MESSAGE = 600


def one_line(exc: BaseException) -> str:
    """The error as the analyst read it, on one line."""
    from anm_helpers.core.cli import os_message

    if isinstance(exc, InformeError):
        text = str(exc)
    elif isinstance(exc, OSError):
        text = os_message(exc)
    else:
        text = f"error inesperado del programa ({type(exc).__name__}), no de sus datos"
    line = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return line if len(line) <= MAX_MESSAGE else line[:MAX_MESSAGE - 1].rstrip() + "…"


def failed(mes: str, exc: BaseException) -> None:
    """Record that the month's build failed with ``exc`` (atomically: a reader never sees half)."""
    path = config.status_file(mes)
    record = {"mes": mes, "resultado": "fallida", "mensaje": one_line(exc)}
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{mes}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def succeeded(mes: str) -> None:
    """The month's last build succeeded: no failure on record."""
    try:
        config.status_file(mes).unlink(missing_ok=True)
    except OSError:
        pass
