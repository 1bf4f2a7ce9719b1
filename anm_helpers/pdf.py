"""The deck as a PDF, one page per slide: Playwright drives Debian's Chromium
(never a browser of its own) through reveal.js's print view.

Chromium's own ``--print-to-pdf`` is unreliable with reveal.js 4.1 and later
(the print layout is built asynchronously and a blank page comes out at
random); waiting in a real page for reveal's ``.pdf-page`` elements is not.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from .exceptions import ConstruccionFallida

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


def no_chromium_message() -> str:
    """The one line an analyst reads when the PDF cannot be printed here (the
    HTML is built all the same): what is missing and how to get it."""
    if chromium() is None:
        return (f"sin PDF: no hay Chromium en {CHROMIUM}; instálelo (Debian/Ubuntu: "
                "`sudo apt-get install chromium`) y vuelva a ejecutar make report")
    return "sin PDF: falta el paquete playwright; ejecute `make env` y vuelva a ejecutar make report"


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


class Printer:
    """Chromium started in the background as soon as a build begins, so that
    printing the deck later costs only the printing. Playwright's sync API
    belongs to the thread that started it: every call runs on one thread."""

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor

        self.available = chromium() is not None and _has_playwright()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf") if self.available else None
        self._started = self._thread.submit(self._start) if self._thread else None
        self._playwright = self._browser = None

    def _start(self) -> None:
        import logging

        from playwright.sync_api import sync_playwright

        # an interrupted build closes the driver under Playwright's feet: its
        # "Future exception was never retrieved" is no news for the analyst
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)

        self._playwright = sync_playwright().start()
        self._browser = launch(self._playwright)

    def _print(self, deck: Path, pdf: Path) -> int:
        page = self._browser.new_page()
        try:
            page.route("**/*", local_only)
            page.goto(deck.resolve().as_uri() + "?print-pdf&pdfSeparateFragments=false", wait_until="load")
            page.wait_for_selector(".pdf-page", state="attached", timeout=TIMEOUT_MS)
            page.evaluate("document.fonts.ready.then(() => true)")
            pages = page.locator(".pdf-page").count()
            page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
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

    def print(self, deck: Path, pdf: Path, slides: int | None = None) -> int | None:
        """Print ``deck`` to ``pdf``, one page per slide; the number of pages, or
        None (nothing written) when Chromium or Playwright is not installed.
        With ``slides``, a page count that differs stops the build."""
        if not self.available:
            return None
        from playwright.sync_api import Error as PlaywrightError

        try:
            self._started.result()
            pages = self._thread.submit(self._print, deck, pdf).result()
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
