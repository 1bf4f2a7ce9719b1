"""Reproducible files: the same data, params and code give the same bytes. A date a
file must carry (a PDF's creation date, a workbook's ``docProps/core.xml``, a zip
entry's time) is the report's month, not the clock; ids are derived from content.

``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/), when
set, gives the date instead of the month. The build log keeps the real time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from pathlib import Path

from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.core.text import visible


def fixed_time(mes: str) -> dt.datetime:
    """The date the month's files carry: ``SOURCE_DATE_EPOCH`` when set, else the first
    day of ``mes`` (``YYYY-MM``), 00:00 UTC; a year's (``YYYY``, ``make year``), its
    first day."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ConstruccionFallida(f'SOURCE_DATE_EPOCH="{visible(epoch)}" no es un número de segundos desde '
                                      "1970 (la convención de las construcciones reproducibles); bórrela o "
                                      "corríjala") from None
    year, month = (int(part) for part in (mes.split("-") + ["01"])[:2])
    return dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)


def content_id(*parts) -> str:
    """An id (8 hex digits, valid as a notebook cell id) from what it names."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:8]


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def fixed_zip_bytes(data: bytes, when: dt.datetime) -> bytes:
    """An Office file (a zip) as bytes that depend on its content only: entries in their
    order with the time ``when`` (at least 1980, the zip format's first year), its
    ``docProps/core.xml`` created and modified dates ``when``, and the workbooks embedded
    in it (a chart's data) done the same way."""
    when = when.astimezone(dt.timezone.utc) if when.tzinfo else when
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl, XlsxWriter and python-pptx stamp times here
                content = _CORE_DATES.sub(rb"\g<1>" + stamp, content)
            elif info.filename.endswith((".xlsx", ".xlsm", ".pptx", ".docx")):
                content = fixed_zip_bytes(content, when)
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()


def fix_zip_times(path: Path, when: dt.datetime) -> None:
    """Rewrite an Office file (.xlsx, .pptx) in place with :func:`fixed_zip_bytes`: same
    content, same bytes."""
    path = Path(path)
    path.write_bytes(fixed_zip_bytes(path.read_bytes(), when))
