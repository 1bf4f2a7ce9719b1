"""What the readers hand back, and what every reader shares: ``LINE`` (the
column of spreadsheet line numbers), ``ArchivoIlegible`` (a file that cannot be read
as a table at all), ``Read`` (one engine's result) and ``tidy`` (a frame's
values through ``clean_text``, blank rows dropped)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from anm_helpers.core.text import clean_text


LINE = "_linea"


@dataclass
class Read:
    """One reader's result: the frame (the contract's columns as cleaned text, ``LINE``) and what it found."""

    frame: pd.DataFrame
    presentes: tuple[str, ...]
    #: (linea, columna, valor, regla) of cells that could be read but not trusted
    problemas: list = field(default_factory=list)
    #: values changed by ``clean_text`` beyond trimming, per contract column
    normalizados: dict = field(default_factory=dict)
    encabezados: tuple = ()
    linea_encabezado: int = 1
    #: a workbook's sheet read, and all its sheets
    hoja: str | None = None
    hojas: tuple = ()


def tidy(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Every value through ``clean_text`` (once per distinct value); drop rows
    with no value in any contract column (blank lines, Excel's trailing ``;;;``).
    Also the count of values changed beyond trimming, per column."""
    cols = [c for c in frame.columns if c != LINE]
    counts = {}
    for c in cols:
        s = frame[c].astype(str)
        uniques = pd.unique(s)
        cleaned = {u: clean_text(u) for u in uniques}
        touched = [u for u, v in cleaned.items() if v != u.strip()]
        if touched:
            counts[c] = int(s.isin(touched).sum())
        frame[c] = s.map(cleaned)
    if cols:
        frame = frame[(frame[cols] != "").any(axis=1)]
    return frame.reset_index(drop=True), counts
