"""The PDF says it is PDF/UA-1 (``pdfuaid:part`` 1 in its XMP metadata) only when
every condition a machine checks cheaply holds (``pdf.PDF_UA_CONDITIONS``): the
shipped months' PDFs say it; a copy with one condition broken (pikepdf) is
refused, and the identification it had is taken away.

Skipped without /usr/bin/chromium (no PDF is printed)."""
from __future__ import annotations

import shutil

import pytest

from anm_helpers.outputs import pdf

pytestmark = pytest.mark.skipif(
    pdf.chromium() is None, reason=f"sin Chromium en {pdf.CHROMIUM} (apt-get install chromium)")


def _says_pdf_ua(path) -> bool:
    import pikepdf

    with pikepdf.open(path) as doc:
        return doc.open_metadata().get("pdfuaid:part") == "1"


@pytest.mark.parametrize("fixture", ["built_2024_03", "built_2026_02"])
def test_the_shipped_months_pdf_says_it_is_pdf_ua(fixture, request):
    import pikepdf

    folder, result = request.getfixturevalue(fixture)
    path = next(folder.glob("informe-*.pdf"))
    with pikepdf.open(path) as doc:
        assert pdf.pdf_ua_unmet(doc) == []
    assert _says_pdf_ua(path)
    assert "PDF/UA" not in result.stdout  # no warning from the build


def _first(doc, kind: str):
    return next(element for role, element in pdf._structure_elements(doc) if role == kind)


def _first_font(doc):
    return next(iter(pdf._fonts(doc)))


def _untag(doc):
    doc.Root.MarkInfo.Marked = False


def _no_structure(doc):
    del doc.Root["/StructTreeRoot"]


def _page_unmarked(doc):
    del doc.pages[3].obj["/StructParents"]


def _no_language(doc):
    del doc.Root["/Lang"]


def _title_not_shown(doc):
    doc.Root.ViewerPreferences.DisplayDocTitle = False


def _no_title(doc):
    del doc.docinfo["/Title"]


def _figure_without_alt(doc):
    del _first(doc, "/Figure")["/Alt"]


def _header_cell_as_data(doc):
    import pikepdf

    _first(doc, "/TH").S = pikepdf.Name("/TD")


def _font_without_unicode(doc):
    del _first_font(doc)["/ToUnicode"]


def _font_not_embedded(doc):
    font = _first_font(doc)
    descriptor = (font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font).FontDescriptor
    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
        if key in descriptor:
            del descriptor[key]


#: each condition, how a copy of the shipped PDF breaks it, and what the check then says
CASES = [
    (pdf.ua_tagged, _untag, "MarkInfo/Marked"),
    (pdf.ua_tagged, _no_structure, "sin árbol de estructura"),
    (pdf.ua_pages_marked, _page_unmarked, "páginas sin su contenido en la estructura: [4]"),
    (pdf.ua_language, _no_language, "/Lang"),
    (pdf.ua_title_shown, _title_not_shown, "DisplayDocTitle"),
    (pdf.ua_title_shown, _no_title, "sin título"),
    (pdf.ua_figures_alt, _figure_without_alt, "1 figura(s) sin texto alternativo"),
    (pdf.ua_table_headers, _header_cell_as_data, "1 tabla(s) sin celdas de encabezado (TH)"),
    (pdf.ua_fonts_embedded, _font_without_unicode, "sin /ToUnicode"),
    (pdf.ua_fonts_embedded, _font_not_embedded, "sin incrustar"),
]


def test_every_condition_has_its_broken_pdf():
    assert {condition for condition, _, _ in CASES} == set(pdf.PDF_UA_CONDITIONS)


@pytest.mark.parametrize("condition, breaks, says", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_a_pdf_that_breaks_one_condition_does_not_say_it(condition, breaks, says, built_2024_03, tmp_path):
    import pikepdf

    path = tmp_path / "informe.pdf"
    shutil.copyfile(built_2024_03[0] / "informe-2024-03.pdf", path)
    assert _says_pdf_ua(path)  # as built
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        assert condition(doc) is None
        breaks(doc)
        problem = condition(doc)
        assert problem is not None and says in problem, problem
        doc.save(path)
    unmet = pdf.identify_pdf_ua(path)
    if condition is pdf.ua_tagged and breaks is _no_structure:  # the tree's tests fail with it
        assert problem in unmet
    else:
        assert unmet == [problem]  # that one condition, and only it
    assert not _says_pdf_ua(path)
