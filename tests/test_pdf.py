"""The published PDF is accessible (WCAG 2.1 AA, Res. MinTIC 1519/2020), checked
on the PDFs the build wrote for both shipped months with pikepdf, pypdf and
poppler (pdfinfo, pdftotext, pdfimages):

- tagged: MarkInfo/Marked and a structure tree (H1/H2/P/L/Table/Figure);
- ``/Lang`` es-CO; the deck's title in the document information and in XMP
  metadata, shown by viewers (``DisplayDocTitle``);
- one bookmark per slide, to its page, titled with the slide's heading;
- every chart a Figure whose ``/Alt`` is the deck's ``aria-label`` for it, on
  its slide's page, with content and not wrapped in a second Figure; the charts
  still vector;
- text on every page (poppler), all of it tagged, and the tags read it in the
  slide's order (the order of the deck's text in the browser).

Skipped, saying why, without /usr/bin/chromium (no PDF is printed) or without
poppler-utils."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest

from anm_helpers.core import fmt
from anm_helpers.outputs import pdf
from conftest import slides_markup

needs_chromium = pytest.mark.skipif(
    pdf.chromium() is None, reason=f"sin Chromium en {pdf.CHROMIUM} (apt-get install chromium)")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdfimages")),
    reason="sin poppler-utils (apt-get install poppler-utils)")
pytestmark = [needs_chromium, needs_poppler]


@pytest.fixture(params=["2024-03", "2026-02"])
def month(request):
    """(mes, the built PDF, the deck's HTML)."""
    fixture = {"2024-03": "built_2024_03", "2026-02": "built_2026_02"}[request.param]
    folder = request.getfixturevalue(fixture)[0]
    mes = request.param
    return mes, folder / f"informe-{mes}.pdf", (folder / f"informe-{mes}.html").read_text(encoding="utf-8")


# --- the deck's side ----------------------------------------------------------------

class DeckReader(HTMLParser):
    """Per slide of the deck's HTML (nbconvert nests each in a stack section):
    its heading's text and its charts' text alternatives (role="img")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.headings: list[str] = []
        self.charts: list[tuple[int, str]] = []
        self._heading: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.depth += 1
            if self.depth == 2:
                self.headings.append("")
        elif tag in ("h1", "h2") and self.depth == 2:
            self._heading = []
        elif tag == "a" and "anchor-link" in (a.get("class") or ""):
            self._skip += 1  # nbconvert's "¶" anchor, hidden
        if a.get("role") == "img":
            self.charts.append((len(self.headings) - 1, a.get("aria-label") or ""))

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings[-1] = " ".join("".join(self._heading).split())
            self._heading = None
        elif tag == "a" and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if self._heading is not None and not self._skip:
            self._heading.append(data)


def read_deck(deck: str) -> DeckReader:
    reader = DeckReader()
    reader.feed(slides_markup(deck))
    return reader


def deck_title(deck: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", deck, re.S).group(1)).strip()


#: per page of reveal's print view, the text of its slide in document order, as a reader meets it
#: (what is hidden or drawn as a chart left out; text-transform applied by comparing case-folded)
PRINT_VIEW_TEXT = """() => [...document.querySelectorAll('.pdf-page')].map(page => {
  const out = [], walker = document.createTreeWalker(page, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.data.trim() || el.closest('svg, style, script, [role=img], .anm-alt')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    out.push(node.data);
  }
  return out; })"""


# --- the PDF's side ------------------------------------------------------------------

def squeeze(text: str) -> str:
    """For comparing text: compatibility characters unfolded (ligatures), case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


class Structure:
    """The structure tree of a tagged PDF, walked in document order: each
    element's type, /Alt, the (page, MCID) of the content under it, its
    ancestors; and per page, its marked content in reading order."""

    def __init__(self, doc):
        import pikepdf

        self.pikepdf = pikepdf
        self.page_of = {p.objgen: i for i, p in enumerate(doc.pages)}
        self.elements: list[dict] = []
        self.reading: dict[int, list[int]] = {i: [] for i in range(len(doc.pages))}
        self._open: list[dict] = []
        self._visit(doc.Root.StructTreeRoot, None)

    def _visit(self, node, page):
        pk = self.pikepdf
        if isinstance(node, pk.Dictionary) and node.get("/Type") == "/MCR":
            return self._content(self.page_of[node.Pg.objgen], int(node.MCID))
        if isinstance(node, pk.Dictionary) and node.get("/Type") == "/OBJR":
            return None  # an annotation (a link)
        if not isinstance(node, pk.Dictionary):  # an MCID on the element's page
            return self._content(page, int(node))
        if "/Pg" in node:
            page = self.page_of[node.Pg.objgen]
        element = None
        if "/S" in node:
            element = {"type": str(node.S)[1:], "alt": str(node.Alt) if "/Alt" in node else None,
                       "content": [], "ancestors": tuple(e["type"] for e in self._open)}
            self.elements.append(element)
            self._open.append(element)
        kids = node.get("/K")
        for kid in [] if kids is None else (kids if isinstance(kids, pk.Array) else [kids]):
            self._visit(kid, page)
        if element is not None:
            self._open.pop()
        return None

    def _content(self, page, mcid):
        self.reading[page].append(mcid)
        for element in self._open:
            element["content"].append((page, mcid))

    def count(self, kind: str) -> int:
        return sum(e["type"] == kind for e in self.elements)


def outline_items(doc) -> list:
    """Every bookmark, depth first (document order)."""
    with doc.open_outline() as outline:
        items, stack = [], list(reversed(outline.root))
        while stack:
            item = stack.pop()
            items.append((item.title, item.destination))
            stack.extend(reversed(item.children))
    return items


def tagged_text(pdf_path, page: int) -> tuple[dict, str]:
    """The page's text by marked-content id (pypdf), and the text outside any tag."""
    from pypdf import PdfReader

    texts, stack = {}, []

    def before(op, args, cm, tm):
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            stack.append(props.get("/MCID") if hasattr(props, "get") else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(t, cm, tm, font, size):
        mcid = next((m for m in reversed(stack) if m is not None), None)
        texts.setdefault(mcid, []).append(t)

    PdfReader(pdf_path).pages[page].extract_text(visitor_operand_before=before, visitor_text=text)
    untagged = "".join(texts.pop(None, []))
    return {int(k): "".join(v) for k, v in texts.items()}, untagged


def poppler(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


# --- tests -------------------------------------------------------------------------------

def test_pdf_is_tagged_with_its_language_and_title(month):
    import pikepdf

    mes, pdf_path, deck = month
    title = deck_title(deck)
    assert fmt.titulo_mes(mes) in title
    with pikepdf.open(pdf_path) as doc:
        root = doc.Root
        assert root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "es-CO"
        assert str(doc.docinfo["/Title"]) == title
        assert root.ViewerPreferences.DisplayDocTitle is True
        meta = doc.open_metadata()
        assert meta["dc:title"] == title
        assert "es-CO" in meta["dc:language"]
    info = poppler("pdfinfo", str(pdf_path))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.M)
    assert re.search(r"^Metadata Stream:\s+yes$", info, re.M)


def test_one_bookmark_per_slide_to_its_page_with_its_heading(month):
    import pikepdf

    _, pdf_path, deck = month
    headings = read_deck(deck).headings
    with pikepdf.open(pdf_path) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        items = outline_items(doc)
        assert len(items) == len(doc.pages) == len(headings)
        for n, (title, destination) in enumerate(items):
            assert pages[destination[0].objgen] == n, f"marcador {n + 1} ({title}) no lleva a la página {n + 1}"
            assert title == headings[n], f"página {n + 1}"


def test_structure_has_headings_lists_tables_and_a_heading_per_page(month):
    import pikepdf

    _, pdf_path, deck = month
    markup = slides_markup(deck)
    with pikepdf.open(pdf_path) as doc:
        tree = Structure(doc)
        n_pages = len(doc.pages)
    assert tree.count("H1") == 1 and tree.count("H2") == n_pages - 1
    assert tree.count("P") >= n_pages // 2 and tree.count("L") >= 5 and tree.count("LI") >= 10
    assert tree.count("Table") == len(re.findall(r"<table\b", markup)) >= 1
    heading_pages = {p for e in tree.elements if e["type"] in ("H1", "H2") for p, _ in e["content"]}
    assert heading_pages == set(range(n_pages))


def test_every_chart_is_a_figure_with_the_decks_alt_text(month):
    import pikepdf

    _, pdf_path, deck = month
    charts = read_deck(deck).charts
    assert len(charts) >= 5 and all(label for _, label in charts)
    with pikepdf.open(pdf_path) as doc:
        figures = [e for e in Structure(doc).elements if e["type"] == "Figure"]
    for figure in figures:
        assert figure["alt"], "una figura sin /Alt"
        assert figure["content"], f"figura vacía: {figure['alt'][:60]}"
        assert "Figure" not in figure["ancestors"], f"figura dentro de otra: {figure['alt'][:60]}"
    pdf_charts = [(sorted({p for p, _ in f["content"]}), f["alt"]) for f in figures]
    assert pdf_charts == [([slide], label) for slide, label in charts]


def test_charts_stay_vector(month):
    _, pdf_path, _ = month
    listing = poppler("pdfimages", "-list", str(pdf_path)).splitlines()
    assert len(listing) == 2, f"imágenes rasterizadas en el PDF: {listing[2:5]}"  # the header only


def test_text_on_every_page_tagged_and_in_the_slides_order(month, browser):
    import pikepdf

    mes, pdf_path, _ = month
    page = browser.new_page()
    page.route("**/*", pdf.local_only)
    try:
        page.goto(pdf_path.with_suffix(".html").as_uri() + "?print-pdf&pdfSeparateFragments=false")
        page.wait_for_selector(".pdf-page", state="attached")
        deck_text = page.evaluate(PRINT_VIEW_TEXT)
    finally:
        page.close()
    with pikepdf.open(pdf_path) as doc:
        reading = Structure(doc).reading
        n_pages = len(doc.pages)
    assert len(deck_text) == n_pages
    problems = []
    for n in range(n_pages):
        where = f"página {n + 1}"
        shown = poppler("pdftotext", "-f", str(n + 1), "-l", str(n + 1), str(pdf_path), "-")
        if not shown.strip() or f"{n + 1} / {n_pages}" not in shown:
            problems.append(f"{where}: sin texto o sin su pie")
        by_mcid, untagged = tagged_text(str(pdf_path), n)
        if untagged.strip():
            problems.append(f"{where}: texto sin etiquetar: {untagged.strip()[:60]!r}")
        if not set(by_mcid) <= set(reading[n]):
            problems.append(f"{where}: texto marcado que el árbol de estructura no incluye")
        read = squeeze("".join(by_mcid.get(m, "") for m in reading[n]))
        at = 0
        for piece in deck_text[n]:
            found = read.find(squeeze(piece), at)
            if found < 0:
                problems.append(f"{where}: {piece.strip()[:60]!r} no está, o no en el orden de la diapositiva")
                break
            at = found + len(squeeze(piece))
    assert not problems, "\n".join(problems)
