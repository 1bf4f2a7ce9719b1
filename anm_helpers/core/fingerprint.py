"""What a month's figures depend on: the month's data and that of the earlier months
of its year and the month before, the shared catalogues, its params, and the helpers'
code and templates, hashed (``build.freshness`` adds the rest of what a published
report depends on). Standard library only: a rebuild with nothing changed answers
before importing pandas."""
from __future__ import annotations

import hashlib
from pathlib import Path

from anm_helpers.core import config



def months_for(mes: str) -> list[str]:
    """January to ``mes`` of its year, the month before ``mes``, and the same month a year
    earlier (the main points compare with it when its data exist)."""
    year, month = int(mes[:4]), int(mes[5:7])
    before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    return sorted({before, f"{year - 1}-{month:02d}"} | {f"{year}-{m:02d}" for m in range(1, month + 1)})


def code_fingerprint() -> str:
    """The helpers' code and templates: a change there re-executes every section."""
    h = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".json", ".yaml"):
            h.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def data_files(mes: str) -> list[Path]:
    """The files the month's figures and context come from (data and params)."""
    files = [config.DATA_DIR / config.PUNTOS_FILE, config.DATA_DIR / config.HISTORICO_FILE,
             config.DATA_DIR / config.FUENTES_FILE, config.params_file(mes)]
    for m in months_for(mes):
        folder = config.DATA_DIR / m
        if folder.is_dir():  # the month's exports and its own fuentes.yaml (an open file's lock is none)
            files += sorted(p for p in folder.iterdir() if p.is_file() and not config.is_editor_file(p))
    return files


def input_files(mes: str) -> list[Path]:
    return data_files(mes) + [config.REVEAL_DIR / "package.json", config.PPTX_TEMPLATE] + \
        config.section_notebooks()


def hash_files(h, files: list[Path]) -> None:
    for path in files:
        h.update(str(path).encode())
        h.update(path.read_bytes() if path.exists() else b"<none>")


def data_fingerprint(mes: str, code: str) -> str:
    """Data, params and code: while it holds, the month's context need not be recomputed."""
    h = hashlib.sha256(code.encode())
    hash_files(h, data_files(mes))
    return h.hexdigest()
