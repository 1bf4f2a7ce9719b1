"""Whether a month's published report is up to date: one hash of everything it depends on
(``core.fingerprint``'s data, params and code, the notebooks, reveal.js, the PowerPoint
template, the key packages' versions, whether a PDF can be made, the outputs asked for,
and the published figures of the earlier months that the open data's series holds)."""
from __future__ import annotations

import hashlib
import shutil
from importlib import metadata
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.fingerprint import code_fingerprint, hash_files, input_files
from anm_helpers.outputs import registry

HUELLA = ".huella"
PACKAGES = ("pandas", "pandera", "papermill", "nbconvert", "matplotlib", "babel", "playwright", "python-pptx")


def build_fingerprint(mes: str) -> str:
    from anm_helpers.outputs.open_data import meses_publicados

    h = hashlib.sha256(code_fingerprint().encode())
    hash_files(h, input_files(mes))
    # the open data's series holds the published figures of every earlier month: building or
    # rebuilding one of them with other figures makes this month's report out of date
    # (by month, not by path: a reports/ folder moved or copied stays up to date, as the year's does)
    for earlier, path in meses_publicados(mes):
        h.update(earlier.encode() + (path.read_bytes() if path.exists() else b"<none>"))
    machine(h)
    # the outputs: a new one makes every published report out of date, and a build of some
    # outputs is never a complete one
    h.update(("salidas=" + ",".join(registry.names()) + "|" + ",".join(sorted(registry.chosen_names()))).encode())
    return h.hexdigest()


def machine(h) -> None:
    """What the outputs depend on beside the inputs: the key packages' versions and
    whether a PDF can be made (Chromium), added to the hash ``h``."""
    for name in PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(name.encode())
    h.update(b"chromium" if shutil.which("chromium") or Path("/usr/bin/chromium").exists() else b"-")


def up_to_date(mes: str, fingerprint: str, solo: tuple[str, ...] | None = None) -> bool:
    """The published report was built from exactly these inputs and has every output
    this build would write (``solo``: the preview's, the deck alone); an output that
    may be missing where the machine cannot make it (the PDF without Chromium, which
    the fingerprint already tells apart) is not asked for."""
    folder = config.report_dir(mes)
    stamp = folder / HUELLA
    wanted = [e.archivo(mes) for e in registry.exporters(solo) if not getattr(e, "puede_faltar", False)]
    return (stamp.exists() and stamp.read_text().strip() == fingerprint
            and all((folder / name).exists() for name in [*wanted, "metrics.json"]))
