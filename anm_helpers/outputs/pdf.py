"""The deck as a PDF, one page per slide: Playwright drives Debian's Chromium
(never a browser of its own) through reveal.js's print view.

Chromium's own ``--print-to-pdf`` is unreliable with reveal.js 4.1 and later
(the print layout is built asynchronously and a blank page comes out at
random); waiting in a real page for reveal's ``.pdf-page`` elements is not.

The PDF is what the agency publishes, so it is printed accessible (WCAG 2.1 AA,
Res. MinTIC 1519/2020): tagged (a structure tree of H1/H2/P/L/Table/Figure in
reading order), one bookmark per slide, the deck's language and title. Two
things of the print view stand in the way and are changed in the page, just
before printing (the HTML deck stays as it is):

- reveal.js leaves every slide but the current one ``aria-hidden``, and
  Chromium tags and bookmarks only what is in the accessibility tree: one slide
  of twenty-five. The attribute is removed from the slides.
- Chromium does not make a PDF Figure of an inline ``<svg>`` in a
  ``role="img"`` figure, but does of an ``<img alt>``: each chart's figure is
  replaced by an ``<img>`` of the same SVG (a ``data:`` URI, still vector in the
  PDF) at the same size, whose ``alt`` is the figure's ``aria-label``.

Then pikepdf writes what Chromium leaves out or may change between versions:
the title in the document information and in XMP metadata, ``/Lang``, and
``DisplayDocTitle`` (a viewer shows the title, not the file name). Last, the PDF
says it is PDF/UA-1 (``pdfuaid:part`` in its XMP metadata) only when every
condition of ``PDF_UA_CONDITIONS`` that a machine checks cheaply holds on the
file as written; otherwise it says nothing, and the build warns which failed.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
from pathlib import Path

from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.core.reproducible import fixed_time

#: Debian's Chromium; ANM_CHROMIUM points elsewhere (tests, other systems)
CHROMIUM = Path(os.environ.get("ANM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 60_000


def chromium() -> Path | None:
    """The Chromium executable, or None when it is not installed."""
    path = CHROMIUM if CHROMIUM.is_absolute() else shutil.which(str(CHROMIUM))
    return Path(path) if path and os.access(path, os.X_OK) else None


def _has_playwright() -> bool:
    return importlib.util.find_spec("playwright") is not None


def _has_pikepdf() -> bool:
    return importlib.util.find_spec("pikepdf") is not None


def no_chromium_message() -> str:
    """The one line an analyst reads when the PDF cannot be printed here (the
    HTML is built all the same): what is missing and how to get it."""
    if chromium() is None:
        return (f"sin PDF: no hay Chromium en {CHROMIUM}; instálelo (Debian/Ubuntu: "
                "`sudo apt-get install chromium`) y vuelva a ejecutar make report")
    missing = "playwright" if not _has_playwright() else "pikepdf"
    return f"sin PDF: falta el paquete {missing}; ejecute `make env` y vuelva a ejecutar make report"


def launch(playwright):
    """A headless Chromium browser (Debian's) that downloads nothing."""
    exe = chromium()
    if exe is None:
        raise ConstruccionFallida(no_chromium_message())
    return playwright.chromium.launch(executable_path=str(exe), args=CHROMIUM_ARGS)


def local_only(route) -> None:
    """Playwright route handler: the deck's own file and data: URIs load, anything else is refused."""
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


#: in reveal's print view, just before printing: every slide in the accessibility tree (reveal
#: leaves all but the current one aria-hidden) and every chart an <img alt> of its own SVG, at the
#: size it had (Chromium makes a PDF Figure with /Alt of an <img alt>, not of a role="img" SVG);
#: resolves once every image is decoded. Returns the number of charts replaced.
ACCESSIBLE_PRINT_VIEW = """() => {
  document.querySelectorAll(".reveal .slides section[aria-hidden]").forEach(s => s.removeAttribute("aria-hidden"));
  const images = [];
  for (const figure of document.querySelectorAll(".reveal .slides figure[role=img]")) {
    const svg = figure.querySelector("svg");
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    const img = document.createElement("img");
    img.alt = figure.getAttribute("aria-label") || "";
    img.className = figure.className;
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    img.style.cssText = `display: block; flex: 0 0 auto; margin: 0; width: ${box.width}px; ` +
                        `height: ${box.height}px; object-fit: contain;`;
    figure.replaceWith(img);
    images.push(img.decode());
  }
  return Promise.all(images).then(() => images.length);
}"""
#: the headings of the print view as a reader sees them, in document order (Chromium makes one
#: bookmark per heading, but joins the lines of a wrapped one without their space: "alUsuario")
HEADINGS = """() => [...document.querySelectorAll(".reveal .slides h1, .reveal .slides h2, .reveal .slides h3")]
  .map(h => h.innerText.replace(/\\s+/g, " ").trim())"""
#: the PDF's author in its metadata
AUTOR = "Agencia Nacional de Minería, Grupo de Atención, Participación Ciudadana y Comunicaciones"


def _squeezed(text: str) -> str:
    return "".join(text.split())


# --- PDF/UA-1: the conditions checked before the PDF says it is one --------------------
# Each takes the open PDF (pikepdf) and returns what fails, in the analyst's words, or
# None when it holds. They are what a machine checks cheaply, not all of PDF/UA.

def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    import pikepdf

    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _roles(doc) -> dict:
    root = doc.Root.get("/StructTreeRoot")
    return (root.get("/RoleMap") if root is not None else None) or {}


def _role(element, roles) -> str:
    """A structure element's standard type (through the tree's ``/RoleMap``)."""
    kind = str(element.S)
    return str(roles.get(kind, kind))


def _structure_elements(doc, under=None):
    """Every structure element of the tree (or below ``under``), in document order, with
    its standard type."""
    import pikepdf

    roles = _roles(doc)
    start = under if under is not None else doc.Root.get("/StructTreeRoot")
    if start is None:
        return
    stack, seen = list(reversed(_kids(start))), set()
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue  # a marked-content id, or a reference to content or an annotation
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield _role(element, roles), element
        stack.extend(reversed(_kids(element)))


def ua_tagged(doc) -> str | None:
    """A structure tree, and ``MarkInfo/Marked`` true."""
    mark = doc.Root.get("/MarkInfo")
    if "/StructTreeRoot" not in doc.Root or not _kids(doc.Root.StructTreeRoot):
        return "no está etiquetado (sin árbol de estructura)"
    if mark is None or mark.get("/Marked") is not True:
        return "no está marcado como etiquetado (MarkInfo/Marked)"
    return None


def ua_pages_marked(doc) -> str | None:
    """Every page's content in the structure: each page has ``/StructParents``, and the
    tree's ``/ParentTree`` has that entry."""
    import pikepdf

    root = doc.Root.get("/StructTreeRoot")
    parents = root.get("/ParentTree") if root is not None else None
    tree = pikepdf.NumberTree(parents) if parents is not None else {}
    missing = [n for n, page in enumerate(doc.pages, start=1)
               if not isinstance(page.obj.get("/StructParents"), int) or int(page.obj.StructParents) not in tree]
    return f"páginas sin su contenido en la estructura: {missing[:10]}" if missing else None


def ua_language(doc) -> str | None:
    """The document's language (``/Lang``)."""
    return None if str(doc.Root.get("/Lang", "")).strip() else "sin idioma del documento (/Lang)"


def ua_title_shown(doc) -> str | None:
    """A title (document information and XMP ``dc:title``) that viewers show (``DisplayDocTitle``)."""
    prefs = doc.Root.get("/ViewerPreferences")
    if prefs is None or prefs.get("/DisplayDocTitle") is not True:
        return "el visor no muestra el título (DisplayDocTitle)"
    if not str(doc.docinfo.get("/Title", "")).strip() or not str(doc.open_metadata().get("dc:title", "")).strip():
        return "sin título (información del documento y XMP dc:title)"
    return None


def ua_figures_alt(doc) -> str | None:
    """Every Figure has a text alternative (``/Alt``)."""
    without = sum(1 for kind, element in _structure_elements(doc)
                  if kind == "/Figure" and not str(element.get("/Alt", "")).strip())
    return f"{without} figura(s) sin texto alternativo (/Alt)" if without else None


def ua_table_headers(doc) -> str | None:
    """Every table's first row is header cells (``TH``)."""
    import pikepdf

    roles, bad = _roles(doc), 0
    for kind, table in _structure_elements(doc):
        if kind != "/Table":
            continue
        rows = [row for kind_, row in _structure_elements(doc, under=table) if kind_ == "/TR"]
        cells = [_role(cell, roles) for cell in (_kids(rows[0]) if rows else [])
                 if isinstance(cell, pikepdf.Dictionary) and "/S" in cell]
        if not cells or any(cell != "/TH" for cell in cells):
            bad += 1
    return f"{bad} tabla(s) sin celdas de encabezado (TH) en su primera fila" if bad else None


def _fonts(doc):
    """Every font of the pages and of their forms (XObjects), once."""
    import pikepdf

    seen: set = set()
    stack = [page.obj.get("/Resources") for page in doc.pages]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        for font in (resources.get("/Font") or {}).values():
            key = font.objgen if font.is_indirect else id(font)
            if key not in seen:
                seen.add(key)
                yield font
                stack.append(font.get("/Resources"))  # a Type 3 font's glyphs
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))


def ua_fonts_embedded(doc) -> str | None:
    """Every font embedded (a Type 3 font is its own glyphs) and with a ``/ToUnicode`` map."""
    bad = []
    for font in _fonts(doc):
        descendant = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
        descriptor = descendant.get("/FontDescriptor")
        embedded = font.get("/Subtype") == "/Type3" or (
            descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
        if not embedded or "/ToUnicode" not in font:
            bad.append(str(font.get("/BaseFont", "?")).lstrip("/"))
    return f"fuentes sin incrustar o sin /ToUnicode: {', '.join(bad[:5])}" if bad else None


#: what the PDF must show before it says it is PDF/UA-1
PDF_UA_CONDITIONS = (ua_tagged, ua_pages_marked, ua_language, ua_title_shown, ua_figures_alt,
                     ua_table_headers, ua_fonts_embedded)


def pdf_ua_unmet(doc) -> list[str]:
    """The conditions of ``PDF_UA_CONDITIONS`` that fail on ``doc`` (none: it may say PDF/UA-1)."""
    return [problem for check in PDF_UA_CONDITIONS if (problem := check(doc))]


def _identify_pdf_ua(doc) -> list[str]:
    """``pdfuaid:part`` 1 in the XMP metadata when every condition holds, removed otherwise;
    the conditions that fail."""
    unmet = pdf_ua_unmet(doc)
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if not unmet:
            meta["pdfuaid:part"] = "1"
        elif "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
    return unmet


def identify_pdf_ua(pdf: Path) -> list[str]:
    """Check a written PDF and say it is PDF/UA-1 only if every condition holds; the
    conditions that fail (the PDF then says nothing of PDF/UA)."""
    import pikepdf

    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        unmet = _identify_pdf_ua(doc)
        doc.save(pdf)
    return unmet


def finish_pdf(pdf: Path, title: str, lang: str, headings: list[str] = ()) -> list[str]:
    """What a reader and an accessibility checker look for in the document
    itself: its language (``/Lang``), its title in the document information and
    in XMP metadata (``dc:title``), shown by viewers in place of the file name
    (``DisplayDocTitle``), and its author. The tags and the outline are
    Chromium's; a bookmark whose title lost the space of a line break gets the
    heading's text back (``headings``: the deck's, in document order). Last, the
    PDF/UA-1 identification, when every condition holds; returns those that fail."""
    import pikepdf

    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        with doc.open_outline() as outline:
            items, stack = [], list(reversed(outline.root))
            while stack:  # depth first, in document order
                item = stack.pop()
                items.append(item)
                stack.extend(reversed(item.children))
            for item, heading in zip(items, headings):
                if item.title != heading and _squeezed(item.title) == _squeezed(heading):
                    item.title = heading
        doc.Root.Lang = pikepdf.String(lang)
        prefs = doc.Root.get("/ViewerPreferences")
        if not isinstance(prefs, pikepdf.Dictionary):
            prefs = doc.Root.ViewerPreferences = pikepdf.Dictionary()
        prefs.DisplayDocTitle = True
        doc.docinfo["/Title"] = pikepdf.String(title)
        doc.docinfo["/Author"] = pikepdf.String(AUTOR)
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta.load_from_docinfo(doc.docinfo)
            meta["dc:title"] = title
            meta["dc:language"] = [lang]
        unmet = _identify_pdf_ua(doc)
        doc.save(pdf)
    return unmet


def fix_pdf_dates(pdf: Path, when) -> None:
    """The same deck, the same PDF (``core.reproducible``): Chromium stamps the print time
    (``/CreationDate``, ``/ModDate``, XMP ``xmp:CreateDate``/``xmp:ModifyDate``) and derives
    the document ID from it; here the dates are ``when`` (the report's month, or
    ``SOURCE_DATE_EPOCH``) and the ID is qpdf's hash of the content."""
    import pikepdf

    when = when.astimezone(dt.timezone.utc)
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        stamp = pikepdf.String(when.strftime("D:%Y%m%d%H%M%S+00'00'"))
        doc.docinfo["/CreationDate"] = doc.docinfo["/ModDate"] = stamp
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["xmp:CreateDate"] = meta["xmp:ModifyDate"] = when.isoformat()
            if "xmp:MetadataDate" in meta:
                meta["xmp:MetadataDate"] = when.isoformat()
        if "/ID" in doc.trailer:  # qpdf keeps an ID's first half: without one, both are the content's hash
            del doc.trailer["/ID"]
        doc.save(pdf, deterministic_id=True)


class Printer:
    """Chromium started in the background as soon as a build begins, so that
    printing the deck later costs only the printing. Playwright's sync API
    belongs to the thread that started it: every call runs on one thread."""

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor

        self.available = chromium() is not None and _has_playwright() and _has_pikepdf()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") if self.available else None
        self._started = self._thread.submit(self._start) if self._thread else None
        self._playwright = self._browser = None
        #: the PDF/UA conditions the last PDF printed failed (it does not say it is PDF/UA)
        self.pdf_ua_unmet: list[str] = []

    def _start(self) -> None:
        import logging

        from playwright.sync_api import sync_playwright

        # an interrupted build closes the driver under Playwright's feet: its
        # "Future exception was never retrieved" is no news for the analyst
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)

        self._playwright = sync_playwright().start()
        self._browser = launch(self._playwright)

    def _print(self, deck: Path, pdf: Path, when=None) -> int:
        page = self._browser.new_page()
        try:
            page.route("**/*", local_only)
            page.goto(deck.resolve().as_uri() + "?print-pdf&pdfSeparateFragments=false", wait_until="load")
            page.wait_for_selector(".pdf-page", state="attached", timeout=TIMEOUT_MS)
            page.evaluate("document.fonts.ready.then(() => true)")
            pages = page.locator(".pdf-page").count()
            title, lang = page.title(), page.evaluate("document.documentElement.lang") or "es-CO"
            headings = page.evaluate(HEADINGS)
            page.evaluate(ACCESSIBLE_PRINT_VIEW)
            page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True, tagged=True, outline=True)
            self.pdf_ua_unmet = finish_pdf(pdf, title, lang, headings)
            if when is not None:
                fix_pdf_dates(pdf, when)
            return pages
        finally:
            page.close()

    def _stop(self) -> None:
        for thing, method in ((self._browser, "close"), (self._playwright, "stop")):
            if thing is not None:
                try:
                    getattr(thing, method)()
                except Exception:  # already gone (interrupted build)
                    pass

    def print(self, deck: Path, pdf: Path, slides: int | None = None, when=None) -> int | None:
        """Print ``deck`` to ``pdf``, one page per slide; the number of pages, or
        None (nothing written) when Chromium or Playwright is not installed.
        With ``slides``, a page count that differs stops the build; with ``when`` (a
        datetime), the PDF's dates are that (``fix_pdf_dates``), not the print time."""
        if not self.available:
            return None
        from playwright.sync_api import Error as PlaywrightError

        try:
            self._started.result()
            pages = self._thread.submit(self._print, deck, pdf, when).result()
        except PlaywrightError as exc:
            raise ConstruccionFallida(f"no se pudo escribir el PDF con Chromium: {str(exc).splitlines()[0]}") from None
        if slides is not None and pages != slides:
            raise ConstruccionFallida(f"el PDF tendría {pages} páginas para {slides} diapositivas")
        return pages

    def close(self) -> None:
        if self._thread is not None:
            self._thread.submit(self._stop).result()
            self._thread.shutdown(wait=True)
            self._thread = None

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_pdf(deck: Path, pdf: Path, slides: int | None = None) -> int | None:
    """Print ``deck`` (a self-contained reveal.js HTML file) to ``pdf``, one page
    per slide, and return the number of pages; None, writing nothing, when
    Chromium (or Playwright) is not installed. Nothing is fetched over the network. With
    ``slides``, a page count that differs stops the build."""
    with Printer() as printer:
        return printer.print(deck, pdf, slides)


class PDF:
    """The exporter of the accessible PDF: ``informe-<MES>.pdf``, Chromium's print of the
    written deck (it needs ``html``), printed on a thread of its own while the other
    outputs write. Chromium starts once the data pass (``preparar``): a refused month
    needs no browser."""

    salida = "pdf"
    necesita = ("html",)
    en_segundo_plano = True
    #: not written where Chromium is missing (the build says how to get it)
    puede_faltar = True

    def __init__(self):
        self.printer: Printer | None = None
        self.avisos: list[str] = []
        self.notas: list[str] = []

    def archivo(self, mes: str) -> str:
        return f"informe-{mes}.pdf"

    def preparar(self) -> None:
        self.printer = Printer()

    def escribir(self, informe, path: Path) -> str | None:
        from anm_helpers.outputs.deck import DeckHTML

        if self.printer is None:
            self.preparar()
        deck = path.with_name(DeckHTML().archivo(informe.mes))
        pages = self.printer.print(deck, path, len(informe.diapositivas), fixed_time(informe.mes))
        if pages is None:
            self.notas = [no_chromium_message()]
            return None
        if self.printer.pdf_ua_unmet:
            self.avisos = ["el PDF no se declara PDF/UA: " + "; ".join(self.printer.pdf_ua_unmet)]
        return f"PDF escrito: {path.name} ({pages} páginas)"

    def cerrar(self) -> None:
        if self.printer is not None:
            self.printer.close()
