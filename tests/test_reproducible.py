"""Reproducible files (``core.reproducible``): a month built twice from the same data,
params and code gives the same bytes, whatever the clock, the time zone, the reports
folder or the order the warm kernels ran the sections in."""
from __future__ import annotations

import datetime as dt
import io
import os
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from anm_helpers.core.reproducible import fix_zip_times, fixed_time
from anm_helpers.outputs import pptx as powerpoint
from anm_helpers.outputs.pdf import fix_pdf_dates
from anm_helpers.slides import model as modelo
from conftest import run_build

#: the build's log keeps the real time (how long each step took, when it ran)
REAL_TIME = {"construccion.log"}
#: what other tests write into the shared build's folder (tests/test_browser.py's screenshots)
TESTS_OWN = ("diapositivas",)


def published(folder: Path) -> dict[str, Path]:
    """Every file of a published month, by its path in the folder (hidden ones too: the
    fingerprint ``.huella`` holds hashes of data, params and code, no time or path)."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in REAL_TIME and p.relative_to(folder).parts[0] not in TESTS_OWN}


@pytest.mark.larga
def test_a_month_built_twice_is_the_same_bytes(built_2024_03, tmp_path):
    """The shared build of March 2024 and one more from nothing: another reports folder,
    another time zone, one worker instead of one per core (the sections run in another
    order on the warm kernels), and later, so a file stamped with the clock would differ."""
    first, _ = built_2024_03
    first_files = published(first)
    assert {"informe-2024-03.html", "informe-2024-03.pptx", "metrics.json"} <= set(first_files)
    assert any(name.startswith("datos-abiertos/") for name in first_files)
    assert any(name.startswith("notebooks/") for name in first_files)
    # zip entries keep time to 2 s, PDF dates to 1 s: be sure the clock moved on
    newest = max(p.stat().st_mtime for p in first_files.values())
    time.sleep(max(0.0, newest + 2.5 - time.time()))
    tz = "Pacific/Kiritimati" if os.environ.get("TZ") != "Pacific/Kiritimati" else "America/Bogota"
    result = run_build("2024-03", tmp_path / "reports", extra_env={"TZ": tz}, salidas=None)
    assert result.returncode == 0, result.stderr + result.stdout
    second_files = published(tmp_path / "reports" / "2024-03")
    assert set(second_files) == set(first_files)
    differ = [name for name, path in first_files.items() if path.read_bytes() != second_files[name].read_bytes()]
    assert differ == []
    # the real time is in the log, and only there
    assert (first / "construccion.log").exists()


def test_a_published_section_carries_no_time_or_path(built_2024_03):
    """The executed notebooks: ids from content, counts from 1, no execution times and
    no path of the build's temporary folder."""
    folder, _ = built_2024_03
    text = (folder / "notebooks" / "02_canales.ipynb").read_text(encoding="utf-8")
    assert ".construyendo-" not in text and str(folder.parent) not in text
    assert "start_time" not in text and "iopub.execute_input" not in text
    nb = nbformat.read(folder / "notebooks" / "02_canales.ipynb", as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.execution_count is not None]
    assert counts == list(range(1, len(counts) + 1))


def test_the_dates_are_the_months_first_day(built_2024_03):
    """Without SOURCE_DATE_EPOCH, the PDF and the PowerPoint carry 1 March 2024, 00:00 UTC."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        pytest.skip("SOURCE_DATE_EPOCH is set for this run")
    folder, _ = built_2024_03
    pdf = folder / "informe-2024-03.pdf"
    if pdf.exists():
        import pikepdf

        with pikepdf.open(pdf) as doc:
            assert str(doc.docinfo["/CreationDate"]).startswith("D:20240301000000")
            assert str(doc.docinfo["/ModDate"]).startswith("D:20240301000000")
    with zipfile.ZipFile(folder / "informe-2024-03.pptx") as pptx:
        assert {info.date_time for info in pptx.infolist()} == {(2024, 3, 1, 0, 0, 0)}
        core = pptx.read("docProps/core.xml").decode()
        assert core.count("2024-03-01T00:00:00Z") == 2
        workbooks = [n for n in pptx.namelist() if n.endswith(".xlsx")]
        assert workbooks
        for name in workbooks:
            with zipfile.ZipFile(io.BytesIO(pptx.read(name))) as xlsx:
                assert xlsx.read("docProps/core.xml").decode().count("2024-03-01T00:00:00Z") == 2


EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC
WHEN = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)


def test_source_date_epoch_sets_the_dates(monkeypatch, tmp_path):
    """SOURCE_DATE_EPOCH, when set, is the date of every file (the reproducible-builds
    convention), not the report's month: the PDF's /CreationDate and XMP dates, the
    PowerPoint's core properties and zip entries, its charts' workbooks."""
    import pikepdf

    assert fixed_time("2024-03") == dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert fixed_time("2024-03") == WHEN

    pdf = tmp_path / "x.pdf"
    with pikepdf.new() as doc:
        doc.add_blank_page()
        doc.docinfo["/CreationDate"] = doc.docinfo["/ModDate"] = pikepdf.String("D:20991231235959+00'00'")
        doc.save(pdf)
    fix_pdf_dates(pdf, fixed_time("2024-03"))
    with pikepdf.open(pdf) as doc:
        assert str(doc.docinfo["/CreationDate"]) == "D:20231114221320+00'00'"
        assert str(doc.docinfo["/ModDate"]) == "D:20231114221320+00'00'"
        meta = doc.open_metadata()
        assert meta["xmp:CreateDate"].startswith("2023-11-14T22:13:20")
        ids = [bytes(x) for x in doc.trailer.ID]
    again = tmp_path / "y.pdf"
    again.write_bytes(pdf.read_bytes())
    fix_pdf_dates(again, fixed_time("2024-03"))
    assert again.read_bytes() == pdf.read_bytes() and ids[0] == ids[1]  # the ID is the content's hash

    cell = nbformat.v4.new_code_cell("")
    cell.metadata["slideshow"] = {"slide_type": "slide"}
    chart = modelo.grafico("columnas", "canales", "canales", ["a", "b"],
                           [modelo.serie("Interacciones", [3, 4], "#123456")], "Dos columnas", "<svg/>")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "x", modelo.MIME: modelo.bundle(
        [modelo.titulo("Canales"), chart])})]
    informe = modelo.Informe.de([nbformat.v4.new_notebook(cells=[cell])], "2024-03")
    path = tmp_path / "x.pptx"
    powerpoint.escribir(informe, path)
    from pptx import Presentation

    props = Presentation(str(path)).core_properties
    assert props.created == props.modified == WHEN.replace(tzinfo=None)
    with zipfile.ZipFile(path) as pptx:
        assert {info.date_time for info in pptx.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        workbook = next(n for n in pptx.namelist() if n.endswith(".xlsx"))
        with zipfile.ZipFile(io.BytesIO(pptx.read(workbook))) as xlsx:
            assert xlsx.read("docProps/core.xml").decode().count("2023-11-14T22:13:20Z") == 2
            assert {info.date_time for info in xlsx.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_fix_zip_times_gives_the_same_bytes_for_the_same_content(tmp_path):
    """Two zips of the same entries written at different times: the same bytes once fixed."""
    paths = []
    for n, stamp in enumerate([(2030, 5, 6, 7, 8, 10), (2031, 1, 2, 3, 4, 6)]):
        path = tmp_path / f"{n}.xlsx"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr(zipfile.ZipInfo("docProps/core.xml", date_time=stamp),
                       f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp[0]}-01-01T00:00:00Z</dcterms:created>')
            z.writestr(zipfile.ZipInfo("xl/workbook.xml", date_time=stamp), "<workbook/>")
        fix_zip_times(path, WHEN)
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_a_source_date_epoch_that_is_no_date_is_one_spanish_line(tmp_path):
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) that is not a number of seconds:
    refused before anything starts, in Spanish, with no log of a bug."""
    result = run_build("2024-03", tmp_path / "reports", extra_env={"SOURCE_DATE_EPOCH": "ayer"})
    assert result.returncode == 1
    assert result.stderr.strip() == ('ERROR: SOURCE_DATE_EPOCH="ayer" no es un número de segundos desde 1970 (la '
                                     'convención de las construcciones reproducibles); bórrela o corríjala')
    assert not (tmp_path / "reports" / ".registros").exists()
