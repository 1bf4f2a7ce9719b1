"""The month rule, in one place: what MONTH and YEAR may be, and which months a
year holds. A month names a file and a folder: exactly ``AAAA-MM`` in ASCII
digits, with no line break after it."""
from __future__ import annotations

import re

from anm_helpers.core import config
from anm_helpers.core.errors import MesInvalido

MES_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z")  # ASCII digits; \Z: no line break after it
ANIO_RE = re.compile(r"^[0-9]{4}\Z")


def is_month(mes: str | None) -> bool:
    return bool(mes) and bool(MES_RE.match(mes))


def check_month(mes: str) -> None:
    """Raise ``MesInvalido`` unless ``mes`` is a month with data or params."""
    if not is_month(mes):
        raise MesInvalido(f'MONTH="{mes}" no es un mes AAAA-MM (por ejemplo MONTH=2024-03)')
    if not config.month_data_dir(mes).is_dir() and not config.params_file(mes).exists():
        raise MesInvalido(f"no hay datos para {mes}: falta la carpeta data/{mes}/ (y params/{mes}.yaml)")


def months_of_year(anio: str) -> list[str]:
    """The months of ``anio`` that have a data folder."""
    return sorted(p.name for p in config.DATA_DIR.glob(f"{anio}-[0-1][0-9]") if p.is_dir() and is_month(p.name))
