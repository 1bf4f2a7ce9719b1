"""The deck in a real browser: headless Debian Chromium (driven by Playwright)
opens each shipped month's deck with every network request refused, visits
every slide and fails on a console error, a request that left the file, a
slide whose content overflows its box, a chart squeezed to nothing, or a blank
slide. It saves a PNG of each slide in the month's outputs
(``<report>/diapositivas/NN.png``) so a reviewer can page through them, and
checks that the PDF the build wrote has one page per slide.

Without /usr/bin/chromium the browser tests are skipped (``.ci/run`` installs it)."""
from __future__ import annotations

import re

import pytest

from anm_helpers.outputs import pdf
from conftest import slides_markup

needs_chromium = pytest.mark.skipif(
    pdf.chromium() is None, reason=f"sin Chromium en {pdf.CHROMIUM} (apt-get install chromium)")

SLIDE_W, SLIDE_H = 1280, 720
#: a chart smaller than this on its slide was squeezed out by the text around it
MIN_CHART_PX = (240, 120)

#: per slide: what overflows its box, whether it shows anything, the size of its charts
INSPECT_SLIDE = """() => {
  const s = Reveal.getCurrentSlide();
  const box = s.getBoundingClientRect();
  const cs = getComputedStyle(s);
  const inner = {left: box.left + parseFloat(cs.paddingLeft), right: box.right - parseFloat(cs.paddingRight),
                 top: box.top + parseFloat(cs.paddingTop), bottom: box.bottom - parseFloat(cs.paddingBottom)};
  const problems = [];
  if (s.scrollHeight > s.clientHeight + 1) problems.push(`contenido de ${s.scrollHeight}px de alto en ${s.clientHeight}px`);
  if (s.scrollWidth > s.clientWidth + 1) problems.push(`contenido de ${s.scrollWidth}px de ancho en ${s.clientWidth}px`);
  const content = [...s.querySelectorAll("*")].filter(el => !el.closest(".anm-pie, .anm-alt"));
  for (const el of content) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const out = r.left < inner.left - 1 || r.right > inner.right + 1 || r.top < inner.top - 1 || r.bottom > inner.bottom + 1;
    if (out) { problems.push(`<${el.tagName.toLowerCase()} class="${el.className.baseVal ?? el.className}"> `
                             + `en ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`); break; }
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible")
      { problems.push(`texto cortado en <${el.tagName.toLowerCase()}>`); break; }
  }
  const text = [...s.children].filter(c => !c.classList.contains("anm-pie")).map(c => c.innerText).join("").trim();
  const charts = [...s.querySelectorAll(".anm-grafico svg")].map(svg => {
    const r = svg.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; });
  return {box: [box.width, box.height], problems, text: text.slice(0, 80), charts,
          footer: (s.querySelector(".anm-pie") || {}).innerText || ""};
}"""


@pytest.fixture(params=["2024-03", "2026-02"])
def month(request):
    """(mes, the built month's folder, the build's result)."""
    fixture = {"2024-03": "built_2024_03", "2026-02": "built_2026_02"}[request.param]
    folder, result = request.getfixturevalue(fixture)
    return request.param, folder, result


@needs_chromium
def test_deck_in_the_browser_offline(month, browser):
    mes, folder, _ = month
    deck = folder / f"informe-{mes}.html"
    shots = folder / "diapositivas"
    shots.mkdir(exist_ok=True)
    errors, left = [], []
    page = browser.new_page(viewport={"width": SLIDE_W, "height": SLIDE_H})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else left.append(r.url))
    page.route("**/*", pdf.local_only)
    try:
        page.goto(deck.as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.evaluate("Reveal.configure({controls: false, progress: false})")  # clean pictures
        total = page.evaluate("Reveal.getTotalSlides()")
        assert total >= 20
        problems = []
        for i in range(total):
            page.evaluate("i => { const ix = Reveal.getIndices(Reveal.getSlides()[i]); Reveal.slide(ix.h, ix.v); }", i)
            png = shots / f"{i + 1:02d}.png"
            page.screenshot(path=str(png))
            seen = page.evaluate(INSPECT_SLIDE)
            where = f"diapositiva {i + 1} ({seen['text'][:40]!r}, {png})"
            assert seen["box"] == [SLIDE_W, SLIDE_H], f"{where}: la diapositiva no es 16:9 de 1280×720"
            assert seen["footer"].replace("\n", " ").endswith(f"{i + 1} / {total}"), where
            if seen["problems"]:
                problems.append(f"{where}: se desborda: {seen['problems']}")
            if not seen["text"] and not seen["charts"]:
                problems.append(f"{where}: en blanco")
            for w, h in seen["charts"]:
                if w < MIN_CHART_PX[0] or h < MIN_CHART_PX[1]:
                    problems.append(f"{where}: gráfico aplastado a {w}×{h} px")
        assert not problems, "\n".join(problems)
    finally:
        page.close()
    assert not errors, f"errores en la consola: {errors}"
    assert not left, f"el informe pidió recursos fuera del archivo: {left}"
    assert len(list(shots.glob("*.png"))) == total


@needs_chromium
def test_pdf_has_one_page_per_slide(month):
    from pypdf import PdfReader

    mes, folder, result = month
    deck = (folder / f"informe-{mes}.html").read_text(encoding="utf-8")
    slides = int(re.search(rf"informe escrito: informe-{mes}\.html \((\d+) diapositivas\)", result.stdout).group(1))
    assert re.search(rf"✓ PDF escrito: informe-{mes}\.pdf \({slides} páginas\) .* \d+,\d s", result.stdout)
    reader = PdfReader(folder / f"informe-{mes}.pdf")
    assert len(reader.pages) == slides
    # inner slides of the deck (nbconvert nests each in a stack of its own)
    assert len(re.findall(r"<section\b", slides_markup(deck))) == 2 * slides
    for n, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01, f"página {n}: no es 16:9"
        text = page.extract_text()
        assert f"{n} / {slides}" in text, f"página {n}: en blanco o sin su pie"  # a blank page has no footer


def test_deck_is_one_file_that_loads_nothing(built_2024_03):
    """Everything inlined: the only scripts and styles are in the file, and
    nothing of nbconvert's defaults (CDN reveal.js, require.js, jQuery,
    MathJax, mermaid, pygments CSS, web fonts) sneaks in."""
    from anm_helpers.outputs.deck import network_references

    deck = (built_2024_03[0] / "informe-2024-03.html").read_text(encoding="utf-8")
    assert network_references(deck) == []
    assert re.findall(r"<script\b[^>]*>", deck) == ["<script>", "<script>"]  # reveal.js; the deck's set-up
    markup = re.sub(r"<script>.*?</script>", "", deck, flags=re.S)  # all but reveal.js's own code
    assert not re.search(r"<(link|iframe|img|object|embed|video|audio)\b", markup)
    assert re.findall(r"<style>", markup) == ["<style>", "<style>"]  # reveal.css; the deck's own
    assert not re.findall(r"https?://(?!www\.w3\.org/)", slides_markup(deck))  # SVG namespaces only
    for default in ("mathjax", "require.js", "jquery", "mermaid", ".highlight .hll", "fonts.googleapis"):
        assert default not in deck.lower(), default
    assert deck.count("data:font/woff;base64,") == 3


def test_a_deck_that_would_load_from_the_network_is_refused():
    import nbformat

    from anm_helpers.outputs.deck import export
    from anm_helpers.core.errors import ConstruccionFallida

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "## Logo\n\n![logo](https://example.org/logo.png)", metadata={"slideshow": {"slide_type": "slide"}})])
    with pytest.raises(ConstruccionFallida, match="por la red"):
        export(nb, "2024-03")


def test_without_chromium_no_pdf_and_one_line_says_how(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "CHROMIUM", tmp_path / "no-chromium")
    assert pdf.chromium() is None
    assert pdf.write_pdf(tmp_path / "informe.html", tmp_path / "informe.pdf") is None
    assert not (tmp_path / "informe.pdf").exists()
    message = pdf.no_chromium_message()
    assert "\n" not in message and "apt-get install chromium" in message
