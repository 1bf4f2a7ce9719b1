"""No active content from narrative, and chart labels drawn as written.

Every narrative field of a month's params (commentary, value-delivery headings
and items), a helper string (``s.texto``) and a notebook markdown cell are
filled with hostile HTML and Markdown; the month is built once (module
fixture) and the deck must hold none of it as markup, nor run any of it in a
real browser. The legitimate Markdown around it (bold, lists, headings, a
mailto link) must still be there."""
from __future__ import annotations

import html
import re
import shutil

import nbformat
import pytest
import yaml

from anm_helpers.slides import charts, sanitize as safe_html, seccion
from anm_helpers.core import config
from anm_helpers.outputs import pdf
from conftest import run_build, slides_markup

MES = "2024-03"

#: what a hostile payload does when it runs: sets this flag, or opens a dialog
FLAG = "__pwned"
#: hostile narrative: no digits (the typed-number check would refuse the build
#: before anything is rendered) and no braces (named values)
PAYLOADS = [
    f"<script>window.{FLAG}=true;alert(document.domain)</script>",
    f'<img src=x onerror="window.{FLAG}=true;alert(document.domain)">',
    f"<img src=x onerror=window.{FLAG}=true>",
    f'<svg onload="window.{FLAG}=true"><circle r="x"/></svg>',
    f'<iframe src="javascript:parent.{FLAG}=true;alert(document.domain)"></iframe>',
    f'<iframe srcdoc="&lt;script&gt;parent.{FLAG}=true&lt;/script&gt;"></iframe>',
    f'<p style="position:fixed;top:zero;background:red" onclick="window.{FLAG}=true">párrafo con estilo</p>',
    f'<a href="javascript:window.{FLAG}=true;alert(document.domain)">enlace javascript</a>',
    '<a href="data:text/html,&lt;script&gt;alert(document.domain)&lt;/script&gt;">enlace data</a>',
    f"[enlace markdown](javascript:window.{FLAG}=true)",
    "[enlace markdown data](data:text/html;base64,PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+)",
    f'<a href="jav&#x61;script:window.{FLAG}=true">enlace entidad</a>',
    f'<a href="&#x6A;avascript:window.{FLAG}=true">enlace entidad inicial</a>',
    f'<a href=" JaVaScRiPt:window.{FLAG}=true">enlace mayúsculas</a>',
    f'<object data="javascript:window.{FLAG}=true">objeto</object>',
    f'<embed src="javascript:window.{FLAG}=true">',
    f'<form action="javascript:window.{FLAG}=true"><button formaction="javascript:alert(document.domain)">'
    "botón</button></form>",
    f'<details open ontoggle="window.{FLAG}=true">detalles</details>',
    f'<input autofocus onfocus="window.{FLAG}=true">',
    f'<video><source onerror="window.{FLAG}=true"></video>',
    "<style>.reveal .slides section display:none</style>",
    f'<meta http-equiv="refresh" content="zero;url=javascript:window.{FLAG}=true">',
    f'<math><mtext><table><mglyph><style><img src=x onerror="window.{FLAG}=true">',
]
HOSTILE = " ".join(PAYLOADS)
#: legitimate Markdown next to the payloads: it must render as before
LEGIT = "Texto con **negrita** y *énfasis*, escribir a [contacto](mailto:contacto@anm.gov.co)."


# --- the built month -----------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_deck(tmp_path_factory):
    """2024-03 built with every narrative field of its params, a helper string
    and a notebook markdown cell hostile; (deck HTML, build result, folder)."""
    root = tmp_path_factory.mktemp("hostil")
    params, notebooks = root / "params", root / "notebooks"
    shutil.copytree(config.PARAMS_DIR, params)
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)

    path = params / f"{MES}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in doc["comentarios"]:
        doc["comentarios"][key] = f"{LEGIT}\n\n{HOSTILE}"
    doc["entregas_valor"] = [
        {"titulo": f"Entregas {PAYLOADS[0]}", "items": [LEGIT, *PAYLOADS]},
        {"titulo": PAYLOADS[1], "items": [HOSTILE]},
    ]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    path = notebooks / "03_presencial.ipynb"
    nb = nbformat.read(path, as_version=4)
    markdown = nbformat.v4.new_markdown_cell(
        f"## Diapositiva hostil\n\n- {LEGIT}\n- Segundo punto\n\n{HOSTILE}",
        metadata={"slideshow": {"slide_type": "slide"}})
    helper = nbformat.v4.new_code_cell(f"s.texto({HOSTILE!r})", metadata={"slideshow": {"slide_type": "-"}})
    at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Interacciones por PAR"))
    nb.cells[at:at] = [markdown, helper]
    nbformat.write(nb, path)

    # the deck and the PowerPoint are what these tests read: no PDF is printed
    result = run_build(MES, root / "reports", params=params, notebooks=notebooks, salidas="pptx")
    assert result.returncode == 0, result.stderr + result.stdout
    folder = root / "reports" / MES
    return (folder / f"informe-{MES}.html").read_text(encoding="utf-8"), result, folder


def _tags(markup: str) -> list[str]:
    """Every start tag, entities decoded: where active content would be (text
    may show a payload's letters, escaped, which is harmless)."""
    return [html.unescape(t) for t in re.findall(r"<[a-zA-Z][^>]*>", markup)]


def _outside_svg(markup: str) -> str:
    """The markup without the charts (matplotlib's SVG has its own style attributes)."""
    return re.sub(r"<svg\b.*?</svg>", "", markup, flags=re.S | re.I)


def test_the_hostile_narrative_reached_the_deck_as_text(hostile_deck):
    """The payloads were rendered (else the other tests prove nothing), and the
    legitimate Markdown around them kept its markup."""
    deck, _, _ = hostile_deck
    markup = slides_markup(deck)
    assert "Diapositiva hostil" in markup
    for text in ("enlace javascript", "enlace entidad inicial", "enlace markdown data", "párrafo con estilo",
                 "botón", "detalles"):
        assert text in markup, text
    # the value-delivery heading is escaped text, as before
    assert "Entregas &lt;script&gt;window.__pwned=true" in markup
    assert markup.count("<strong>negrita</strong>") >= 5  # three comments, one delivery, the notebook cell
    assert '<a href="mailto:contacto@anm.gov.co">contacto</a>' in markup
    assert "<li>Segundo punto</li>" in markup
    assert '<h2 id="Diapositiva-hostil">Diapositiva hostil<a class="anchor-link" href="#Diapositiva-hostil">' in markup


def test_no_active_markup_from_narrative(hostile_deck):
    deck, _, _ = hostile_deck
    # the deck's own two scripts (reveal.js, its set-up) and no other: slides_markup ends at the first
    assert re.findall(r"<script\b[^>]*>", deck, re.I) == ["<script>", "<script>"]
    markup = slides_markup(deck)
    assert not re.search(r"<script\b", markup, re.I)
    tags = _tags(markup)
    assert not [t for t in tags if re.search(r"\son[a-z]+\s*=", t, re.I)], "atributo de evento"
    assert not re.search(r"<(iframe|object|embed|form|input|button|meta|math|video|source|details|base)\b",
                         markup, re.I)
    # every URL attribute is a fragment, http(s) or mailto (or the img's relative "x"), entities decoded
    for attr, value in re.findall(r"\s(href|src|action|formaction|data|srcdoc)\s*=\s*\"([^\"]*)\"", markup, re.I):
        url = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower()
        assert attr.lower() in ("href", "src") and re.match(r"(#|https?:|mailto:|x$)", url), (attr, value)
    assert not [t for t in tags if re.search(r"javascript:|data:text", re.sub(r"\s", "", t), re.I)]
    # style: only matplotlib's own sheet inside the charts; outside them, only the
    # deck's legend swatches, none from narrative
    for sheet in re.findall(r"<style\b[^>]*>(.*?)</style>", markup, re.S | re.I):
        assert sheet.strip() == "*{stroke-linejoin: round; stroke-linecap: butt}", sheet
    for style in re.findall(r"\sstyle\s*=\s*\"([^\"]*)\"", _outside_svg(markup), re.I):
        assert re.fullmatch(r"background:#[0-9A-Fa-f]{6}", style), style
    assert "position:fixed" not in markup


def test_the_powerpoint_links_only_to_http_and_mail(hostile_deck):
    """The same narrative in the PowerPoint: its links are the allowed ones (a javascript: or
    data: link is text there), its text holds no markup to run."""
    import zipfile

    _, _, folder = hostile_deck
    with zipfile.ZipFile(folder / f"informe-{MES}.pptx") as z:
        rels = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".rels"))
    links = re.findall(r'Target="([^"]*)" TargetMode="External"', rels)
    assert "mailto:contacto@anm.gov.co" in links
    assert all(link.startswith(("https://", "http://", "mailto:")) for link in links), links


needs_chromium = pytest.mark.skipif(
    pdf.chromium() is None, reason=f"sin Chromium en {pdf.CHROMIUM} (apt-get install chromium)")


@needs_chromium
def test_nothing_runs_in_the_browser(hostile_deck):
    """The deck opened in Debian's Chromium, every slide visited: no dialog
    opened and no payload set its flag."""
    from playwright.sync_api import sync_playwright

    _, _, folder = hostile_deck
    dialogs, errors = [], []
    with sync_playwright() as p:
        browser = pdf.launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", pdf.local_only)
            page.goto((folder / f"informe-{MES}.html").as_uri())  # until the load event
            page.wait_for_timeout(300)  # late handlers (image errors, focus, toggles)
            assert dialogs == [], f"se abrió un diálogo al abrir el informe: {dialogs}"
            assert page.evaluate(f"typeof window.{FLAG}") == "undefined", "una carga hostil se ejecutó al abrir"
            page.wait_for_function("window.Reveal && Reveal.isReady()")
            total = page.evaluate("Reveal.getTotalSlides()")
            assert total >= 20
            for i in range(total):
                page.evaluate("i => { const ix = Reveal.getIndices(Reveal.getSlides()[i]); Reveal.slide(ix.h, ix.v); }",
                              i)
                page.wait_for_timeout(20)
            page.wait_for_timeout(300)
            flag = page.evaluate(f"typeof window.{FLAG}")
            hostil = page.evaluate("[...document.querySelectorAll('h2')].some(h => h.textContent.includes('hostil'))")
        finally:
            browser.close()
    assert hostil, "la diapositiva hostil no está en el informe"
    assert dialogs == [], f"se abrió un diálogo: {dialogs}"
    assert flag == "undefined", "una carga hostil se ejecutó en el navegador"
    assert errors == [], errors


# --- the helpers, without a build ----------------------------------------------------------
@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_keeps_no_active_content(payload):
    out = seccion._md(f"{LEGIT}\n\n{payload}")
    assert "<strong>negrita</strong>" in out and '<a href="mailto:contacto@anm.gov.co">' in out
    assert not re.search(r"<(script|iframe|object|embed|form|style|svg|math|meta|input|button|details)\b", out, re.I)
    for tag in _tags(out):
        assert not re.search(r"\s(on[a-z]+|style)\s*=|javascript:|data:", tag, re.I), tag


def test_md_ordinary_markdown_is_unchanged():
    """What analysts write renders exactly as mistune does without the allow-list."""
    import mistune

    for text in ("**Total** de *interacciones* en `marzo`", "- uno\n- dos\n\n3. tres\n4. cuatro",
                 "## Título\n\n> cita\n\nlínea  \nsalto", "[ANM](https://www.anm.gov.co \"sitio\") y "
                 "[correo](mailto:contacto@anm.gov.co)", "| a | b |\n|:--|--:|\n| x | y |"):
        assert seccion._md(text) == mistune.html(text).replace(" />", ">"), text  # <br /> is written <br>


def test_allow_list_keeps_nbconvert_heading_anchor_and_table_alignment():
    heading = '<h2 id="Canales-Marzo">Canales Marzo<a class="anchor-link" href="#Canales-Marzo">¶</a></h2>'
    assert safe_html.clean(heading) == heading
    cell = '<table><tbody><tr><td style="text-align:right">x</td></tr></tbody></table>'
    assert safe_html.clean(cell) == cell
    assert safe_html.clean(cell.replace("text-align:right", "background:url(javascript:x)")) == \
        cell.replace("text-align:right", "")


def test_markdown_cell_is_sanitised_by_the_template():
    """A notebook markdown cell as the deck exporter renders it (nbconvert's own
    renderer would keep a javascript: link and raw HTML)."""
    from anm_helpers.outputs.deck import export

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        f"## Hola\n\n{LEGIT}\n\n[js](javascript:window.{FLAG}=true) <img src=x onerror=alert(document.domain)>",
        metadata={"slideshow": {"slide_type": "slide"}})])
    markup = slides_markup(export(nb, MES))
    assert "<strong>negrita</strong>" in markup and '<a href="mailto:contacto@anm.gov.co">' in markup
    assert "<a>js</a>" in markup and re.search(r'<img [^>]*src="x"', markup)  # nbconvert adds an alt text
    assert "javascript:" not in markup and "onerror" not in markup


# --- chart labels ---------------------------------------------------------------------------
@pytest.fixture
def drawn(monkeypatch):
    """The matplotlib figures the chart functions draw, kept for inspection."""
    figures = []
    real = charts._svg

    def keep(fig):
        figures.append(fig)
        return real(fig)

    monkeypatch.setattr(charts, "_svg", keep)
    return figures


LARGO = "Punto de Atención Regional " + "muy largo " * 20  # 227 characters
LABELS = {"$x^2$": 30, "precio $5": 20, "costo $5^$ por unidad": 15, LARGO: 10}


@pytest.mark.parametrize("draw", [charts.barras_horizontales, charts.columnas])
def test_chart_labels_are_literal_and_short(draw, drawn):
    svg = draw(LABELS, charts.COLORES["presencial"])  # "$5^$" would fail as mathtext
    assert svg.startswith("<svg")
    (fig,) = drawn
    ax = fig.axes[0]
    ticks = ax.get_yticklabels() if draw is charts.barras_horizontales else ax.get_xticklabels()
    shown = {t.get_text(): t for t in ticks}
    for label in ("$x^2$", "precio $5", "costo $5^$ por unidad"):
        assert label in shown, shown
        assert not shown[label].get_parse_math(), f"{label} se dibuja como fórmula"
    short = [t for t in shown if t.endswith("…")]
    assert len(short) == 1 and len(short[0]) == charts.MAX_ETIQUETA
    assert LARGO.startswith(short[0][:-1]) and LARGO not in shown
    assert all(not t.get_parse_math() for t in ax.texts)  # the values on the bars


def test_labels_shortened_alike_stay_separate_bars(drawn):
    a, b = LARGO + " uno", LARGO + " dos"
    charts.barras_horizontales({a: 5, b: 3}, charts.COLORES["virtual"])
    ax = drawn[0].axes[0]
    assert len(ax.patches) == 2
    assert sorted(p.get_width() for p in ax.patches) == [3, 5]
    assert len({p.get_y() for p in ax.patches}) == 2


def test_label_markup_stays_inside_the_svg_comment():
    svg = charts.barras_horizontales({"--><script>alert(document.domain)</script><!--": 3, "b": 1}, "#000000")
    assert "<script" not in svg.lower()


def test_chart_alt_text_keeps_the_full_label(monkeypatch):
    shown = []
    monkeypatch.setattr(seccion, "_display", lambda markup, nueva=False: shown.append(markup))
    s = seccion.Seccion({"mes": MES, "metricas": {"presencial": {"por_punto": {LARGO: 7, "Sede $x^2$": 3}}},
                         "cifras": {}, "params": {}})
    s.grafico_barras("presencial.por_punto", "presencial", "sin datos")
    (markup,) = shown
    alt = re.search(r'aria-label="([^"]*)"', markup).group(1)
    # what the chart is, then every category with its full label
    assert html.unescape(alt) == f"Gráfico de barras, interacciones por punto de atención: {LARGO}: 7; Sede $x^2$: 3"
