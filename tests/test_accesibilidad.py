"""The deck meets WCAG 2.1 AA (Res. MinTIC 1519/2020): axe-core, loaded from
``node_modules`` (npm, ``package-lock.json``; never from a CDN), runs on every
slide of both shipped months in Debian's Chromium with the rules tagged
wcag2a, wcag2aa, wcag21a and wcag21aa, with text contrast really evaluated;
keyboard focus is visible; the channels' colours have the 3:1 asked of
graphics; the page says it is Colombian Spanish.

reveal.js's navigation layer covers the whole slide with a transparent box, so
axe cannot tell the background of any text and marks its contrast
"incomplete" instead of checking it (dequelabs/axe-core#3464): while a slide
is checked, that layer and the progress bar are hidden, and the test fails if
any text's contrast is left undetermined. The navigation buttons themselves are
checked once per deck, visible.

Without /usr/bin/chromium, or without ``node_modules/axe-core`` (``npm ci``),
the browser tests are skipped, saying why."""
from __future__ import annotations

import colorsys
import io
import re

import pytest

from anm_helpers.slides import charts
from anm_helpers.core import config
from anm_helpers.outputs import pdf


AXE = config.PROJ_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SLIDE_W, SLIDE_H = 1280, 720
DECK_CSS = config.TEMPLATES_DIR / "anm" / "deck.css"

needs_chromium = pytest.mark.skipif(
    pdf.chromium() is None, reason=f"sin Chromium en {pdf.CHROMIUM} (apt-get install chromium)")
needs_axe = pytest.mark.skipif(
    not AXE.is_file(), reason=f"sin axe-core en {AXE.parent} (npm ci instala el de package-lock.json)")

GO_TO_SLIDE = "i => { const ix = Reveal.getIndices(Reveal.getSlides()[i]); Reveal.slide(ix.h, ix.v); }"
#: reveal's full-slide navigation layer and progress bar, hidden while a slide is checked, then shown
#: again as reveal had them (it shows them with an inline display: block)
NAVIGATION = """hide => document.querySelectorAll('.reveal .controls, .reveal .progress').forEach(e => {
  if (hide) { e.dataset.anmDisplay = e.style.display; e.style.display = 'none'; }
  else { e.style.display = e.dataset.anmDisplay; } })"""
#: axe-core on the whole page (context null) or on a selector's elements
AXE_RUN = "([context, tags]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags}})"
#: the slide on screen: after the first slide, checked on the whole page (its rules about the
#: document, language and title included), axe looks at the slide shown and nothing else
PRESENT = ".reveal .slides > section.present"
#: transitions and animations off: each step is seen in its final state at once, without waiting
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def rgb_hex(css: str) -> str:
    """``rgb(11, 61, 110)`` (a computed style) as ``#0b3d6e``."""
    r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


@pytest.fixture(params=["2024-03", "2026-02", "2026"])
def month(request):
    """(mes, the built month's folder); "2026": the year deck that make year YEAR=2026 wrote
    beside its months (the same build as ``built_2026_02``)."""
    fixture = {"2024-03": "built_2024_03", "2026-02": "built_2026_02", "2026": "built_2026_02"}[request.param]
    folder = request.getfixturevalue(fixture)[0]
    return request.param, folder.parent / "2026" if request.param == "2026" else folder


def open_deck(browser, deck, axe: bool = True):
    """The deck in a 1280×720 page that loads nothing from the network, with axe-core injected.
    The deck's Content-Security-Policy refuses any script or style it does not carry, the
    test's own too (axe-core, the style that stops motion): the page bypasses it
    (``tests/test_csp.py`` checks the policy itself)."""
    page = browser.new_page(viewport={"width": SLIDE_W, "height": SLIDE_H}, bypass_csp=True)
    page.route("**/*", pdf.local_only)
    page.goto(deck.as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    page.evaluate("document.fonts.ready.then(() => true)")
    if axe:
        page.add_script_tag(path=str(AXE))  # its text, inlined: no request leaves the page
        assert page.evaluate("typeof axe.run") == "function"
    return page


def describe(violation: dict) -> str:
    nodes = "; ".join(" ".join(n["target"]) for n in violation["nodes"][:3])
    return f"{violation['id']} ({violation.get('impact')}): {violation['help']} — {nodes}"


@needs_chromium
@needs_axe
def test_axe_finds_no_violation_on_any_slide_with_contrast_evaluated(month, browser):
    mes, folder = month
    page = open_deck(browser, folder / f"informe-{mes}.html")
    try:
        assert page.evaluate("document.documentElement.lang") == "es-CO"
        total = page.evaluate("Reveal.getTotalSlides()")
        assert total >= (8 if len(mes) == 4 else 20)  # a year deck (make year) has fewer slides
        problems, checked = [], 0
        for i in range(total):
            page.evaluate(GO_TO_SLIDE, i)
            page.evaluate(NAVIGATION, True)
            result = page.evaluate(AXE_RUN, [None if i == 0 else PRESENT, WCAG_TAGS])
            page.evaluate(NAVIGATION, False)
            where = f"diapositiva {i + 1}/{total}"
            problems += [f"{where}: {describe(v)}" for v in result["violations"]]
            undetermined = [n for r in result["incomplete"] if r["id"] == "color-contrast" for n in r["nodes"]]
            if undetermined:
                problems.append(f"{where}: contraste sin evaluar en {len(undetermined)} texto(s), p. ej. "
                                f"{undetermined[0]['target']}: {undetermined[0]['any'][0]['message']}")
            evaluated = [n for r in result["passes"] if r["id"] == "color-contrast" for n in r["nodes"]]
            if not evaluated:
                problems.append(f"{where}: axe no evaluó el contraste de ningún texto")
            checked += len(evaluated)
        # reveal's navigation buttons, visible, once per deck (their names, their focusability)
        page.evaluate(GO_TO_SLIDE, 1)
        shown = page.evaluate("() => [...document.querySelectorAll('.reveal .controls button')]"
                              ".filter(b => b.checkVisibility({visibilityProperty: true})).length")
        assert shown == 2, "los botones de navegación no se ven"
        controls = page.evaluate(AXE_RUN, [".reveal .controls", WCAG_TAGS])
        problems += [f"navegación: {describe(v)}" for v in controls["violations"]]
        assert any(r["id"] == "button-name" for r in controls["passes"]), "axe no revisó los botones"
        assert not problems, "\n".join(problems)
        assert checked >= 5 * total  # texts whose contrast was computed, not just one per slide
    finally:
        page.close()


@needs_chromium
@needs_axe
def test_every_chart_is_an_image_with_a_text_alternative(month, browser):
    """Checks what the deck has today: each chart a role="img" figure whose
    aria-label gives its figures (axe's role-img-alt and svg-img-alt pass on
    every slide above). The wording of that text ("Gráfico de barras, …") and a
    data table per chart belong to the slide model (seccion.py)."""
    mes, folder = month
    page = open_deck(browser, folder / f"informe-{mes}.html", axe=False)
    try:
        charts_ = page.evaluate("""() => [...document.querySelectorAll('.reveal .slides svg')].map(svg => {
            const fig = svg.closest('[role=img]');
            return fig ? {label: fig.getAttribute('aria-label') || '', tag: fig.tagName} : null; })""")
    finally:
        page.close()
    assert len(charts_) >= 5
    for chart in charts_:
        assert chart is not None, "un gráfico SVG sin role=img"
        assert chart["tag"] == "FIGURE" and re.search(r"\d", chart["label"]), chart


def test_channel_colours_have_the_contrast_of_graphics_and_stay_the_agencys():
    """Bars and card edges carry the channel: 3:1 against the white slide (WCAG
    1.4.11). The telephone channel stays in the agency's gold/amber, and the
    CSS variables and the charts' colours are one and the same."""
    css = DECK_CSS.read_text(encoding="utf-8")
    for canal, colour in charts.COLORES.items():
        assert contrast(colour, "#FFFFFF") >= 3, f"{canal} {colour}: {contrast(colour, '#FFFFFF'):.2f}:1"
        declared = re.search(rf"--{canal}:\s*(#[0-9A-Fa-f]{{6}})", css)
        assert declared and declared.group(1).lower() == colour.lower(), f"--{canal} en deck.css ≠ {colour}"
    oro = re.search(r"--anm-oro:\s*(#[0-9A-Fa-f]{6})", css).group(1)
    hue = lambda c: colorsys.rgb_to_hls(*[int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)])[0] * 360  # noqa: E731
    assert abs(hue(charts.COLORES["telefonico"]) - hue(oro)) < 5  # the same gold, darker


def test_point_type_tones_have_the_contrast_of_graphics():
    """The ring of Sede Central / PAR / PAL: each tone 3:1 against the white slide."""
    from anm_helpers.slides.seccion import TONOS_TIPO_PUNTO

    for tipo, colour in TONOS_TIPO_PUNTO.items():
        assert contrast(colour, "#FFFFFF") >= 3, f"{tipo} {colour}: {contrast(colour, '#FFFFFF'):.2f}:1"


def test_deck_template_says_colombian_spanish():
    template = (config.TEMPLATES_DIR / "anm" / "index.html.j2").read_text(encoding="utf-8")
    assert '<html lang="es-CO">' in template


def ring_pixels(focused: bytes, unfocused: bytes, ring: str) -> int:
    """Pixels of the ring's colour in ``focused`` that were not there unfocused."""
    from PIL import Image

    a = Image.open(io.BytesIO(focused)).convert("RGB").tobytes()
    b = Image.open(io.BytesIO(unfocused)).convert("RGB").tobytes()
    target = tuple(int(ring[i:i + 2], 16) for i in (1, 3, 5))
    near = lambda px: max(abs(p - t) for p, t in zip(px, target)) <= 40  # noqa: E731
    return sum(1 for i in range(0, len(a), 3) if near(a[i:i + 3]) and not near(b[i:i + 3]))


@needs_chromium
def test_keyboard_focus_is_visible(month, browser):
    """Tab reaches reveal's navigation buttons, on the blue cover and on a white
    slide; each focused element draws a ring of at least 2 px, opaque, with 3:1
    against the slide (seen in a screenshot, not only in its style), and focus
    never lands on a slide that is not shown."""
    mes, folder = month
    page = open_deck(browser, folder / f"informe-{mes}.html", axe=False)
    page.add_style_tag(content=NO_MOTION)  # the arrows' slide-in (.2 s) is done before each look
    settle = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    try:
        problems, reached = [], 0
        for slide, background in ((0, "#0b3d6e"), (3, "#ffffff")):
            page.evaluate(GO_TO_SLIDE, slide)
            seen = set()
            for _ in range(8):
                page.keyboard.press("Tab")
                page.evaluate(settle)
                info = page.evaluate("""() => { const e = document.activeElement, cs = getComputedStyle(e);
                    const r = e.getBoundingClientRect(), section = e.closest('section');
                    return {what: e.tagName + '.' + [...e.classList].join('.') + ' ' + (e.getAttribute('aria-label') || ''),
                            body: e === document.body, outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
                            colour: cs.outlineColor, opacity: parseFloat(cs.opacity),
                            hidden_slide: !!section && !section.classList.contains('present'),
                            box: [r.x, r.y, r.width, r.height]}; }""")
                if info["what"] in seen:
                    break  # focus came round again
                if info["body"]:
                    continue
                seen.add(info["what"])
                reached += 1
                where = f"diapositiva {slide + 1}, {info['what']}"
                if info["hidden_slide"]:
                    problems.append(f"{where}: el foco está en una diapositiva que no se ve")
                if info["outline"] in ("none", "hidden") or info["width"] < 2 or info["opacity"] < 0.95:
                    problems.append(f"{where}: foco invisible ({info})")
                    continue
                ring = rgb_hex(info["colour"])
                if contrast(ring, background) < 3:
                    problems.append(f"{where}: anillo {ring} sobre {background}: {contrast(ring, background):.2f}:1")
                x, y, w, h = info["box"]
                pad = info["width"] + 6
                clip = {"x": max(0, x - pad), "y": max(0, y - pad)}
                clip.update(width=min(SLIDE_W, x + w + pad) - clip["x"], height=min(SLIDE_H, y + h + pad) - clip["y"])
                focused = page.screenshot(clip=clip)
                page.evaluate("document.activeElement.blur()")
                page.evaluate(settle)
                unfocused = page.screenshot(clip=clip)
                drawn = ring_pixels(focused, unfocused, ring)
                if drawn < 2 * (w + h) * 2 * 0.6:  # a 2 px ring around the box, most of it on screen
                    problems.append(f"{where}: el anillo de foco casi no se ve ({drawn} píxeles)")
                page.evaluate(GO_TO_SLIDE, slide)  # focus starts again from the page
        assert reached >= 3, "el teclado no llega a los botones de navegación"
        assert not problems, "\n".join(problems)
    finally:
        page.close()
