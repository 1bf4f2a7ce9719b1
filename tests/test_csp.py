"""Defence in depth for the published deck: its Content-Security-Policy (a meta
element written by ``deck.export``) lets the page run only its own inline scripts
and styles, by the hash of their final text, loads images and fonts only from
``data:`` URIs, and nothing over the network. In Debian's Chromium the deck (and
its print view, which the PDF is printed from) runs with no violation of it, and
a script, event handler or style planted in the file past the sanitiser is refused.

Without /usr/bin/chromium the browser tests are skipped."""
from __future__ import annotations

import html
import re

import pytest

from anm_helpers.outputs import deck as deck_html, pdf
from anm_helpers.preview.server import inject

needs_chromium = pytest.mark.skipif(
    pdf.chromium() is None, reason=f"sin Chromium en {pdf.CHROMIUM} (apt-get install chromium)")

#: recorded in the page before any of its scripts runs (Playwright's init script is not the page's)
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(e.effectiveDirective + " " + (e.blockedURI || "")));"""
#: planted in the file after export, where the sanitiser never sees them
PLANTED = ("<script>document.title = 'pwned';</script>"
           "<img alt=\"\" src=\"data:image/png;base64,AAAA\" onerror=\"window.__pwned = true\">"
           "<style>body { background: rgb(255, 0, 0) !important; }</style>")


def policy(page: str) -> dict[str, list[str]]:
    meta = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" />', page)
    assert len(meta) == 1
    return {d.split()[0]: d.split()[1:] for d in html.unescape(meta[0]).split("; ")}


def test_deck_policy_allows_its_own_code_by_hash_and_no_network(built_2024_03):
    page = (built_2024_03[0] / "informe-2024-03.html").read_text(encoding="utf-8")
    rules = policy(page)
    assert page.index("Content-Security-Policy") < page.index("<style>")  # before what it governs
    assert rules["default-src"] == ["'none'"] and rules["base-uri"] == ["'none'"]
    assert rules["form-action"] == ["'none'"]
    assert rules["img-src"] == ["data:"] and rules["font-src"] == ["data:"]
    assert "connect-src" not in rules  # the deck asks nothing of any server
    assert len(rules["script-src"]) == 2 and all(h.startswith("'sha256-") for h in rules["script-src"])
    assert rules["style-src"][0] == "'unsafe-hashes'"  # the legends' swatches: style="background:…"
    assert all(h.startswith("'sha256-") for h in rules["style-src"][1:])
    assert "'unsafe-inline'" not in page and "'unsafe-eval'" not in page
    assert "'sha256-" not in deck_html.with_policy("<html><head></head></html>")  # no meta: as it was


def test_the_previews_page_allows_its_script_and_its_state(built_2024_03):
    page = (built_2024_03[0] / "informe-2024-03.html").read_text(encoding="utf-8")
    served = inject(page, {"version": 1, "error": None, "construyendo": False})
    rules = policy(served)
    assert rules["connect-src"] == ["'self'"]
    script = re.search(r'<script id="anm-vista-previa">(.*?)</script>', served, re.S).group(1)
    assert deck_html._hash(script) in rules["script-src"] and len(rules["script-src"]) == 3
    assert policy(page)["script-src"][0] in rules["script-src"]


def _open(browser, path, view: str = ""):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda m: console.append(m.text))
    page.route("**/*", pdf.local_only)
    page.goto(path.as_uri() + view)
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    return page, console


@needs_chromium
def test_deck_and_its_print_view_run_with_no_violation(built_2024_03, browser):
    path = built_2024_03[0] / "informe-2024-03.html"
    for view in ("", "?print-pdf&pdfSeparateFragments=false"):
        page, console = _open(browser, path, view)
        try:
            if view:  # reveal's print styles (@page) are allowed by their hash too
                page.wait_for_selector(".pdf-page", state="attached")
                page.evaluate(pdf.ACCESSIBLE_PRINT_VIEW)  # the charts as data: images
                assert page.evaluate("""[...document.styleSheets].some(s => [...s.cssRules].some(
                    r => r.cssText.startsWith("@page") && r.cssText.includes("1280px 720px")))""")
            page.evaluate("document.fonts.ready.then(() => true)")
            assert page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').length") >= 1
            assert page.evaluate("window.__violations") == [], view
            assert not [m for m in console if "Content Security Policy" in m], view
        finally:
            page.close()


@needs_chromium
def test_a_script_planted_past_the_sanitiser_is_refused(built_2024_03, browser, tmp_path):
    text = (built_2024_03[0] / "informe-2024-03.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", text).group(1)
    first = text.index("<h2")  # in the first slides, in the body, before reveal.js
    planted = tmp_path / "informe-2024-03.html"
    planted.write_text(text[:first] + PLANTED + text[first:], encoding="utf-8")
    page, console = _open(browser, planted)
    try:
        page.wait_for_function("window.__violations.length >= 3")
        page.wait_for_timeout(200)  # the image's error event, had its handler run
        assert page.title() == html.unescape(title)
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
        assert sorted(v.split()[0] for v in page.evaluate("window.__violations")) == \
            ["script-src-attr", "script-src-elem", "style-src-elem"]  # these three, nothing else
        assert any("Content Security Policy" in m for m in console)
        assert page.evaluate("Reveal.isReady() && Reveal.getTotalSlides()") >= 20  # the deck still runs
    finally:
        page.close()
