"""The deck HTML exporter: the slide model's merged notebook laid out as one
reveal.js deck by nbconvert, with no code, no empty slides, and every asset
inlined so the file opens from disk (or an e-mail attachment) with no network.
Each element's HTML comes from ``slides.elements``."""
from __future__ import annotations

import base64
import hashlib
import html as html_text
import re
from html.parser import HTMLParser
from pathlib import Path

from anm_helpers.core import config, fmt
from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.slides import model as modelo, sanitize as safe_html
from anm_helpers.slides.elements import DECK_TEMPLATE, inline_assets, render_bundle

#: the slide size reveal.js lays the deck out at (the template's ``Reveal.initialize``)
SLIDE_SIZE = (1280, 720)
#: the style sheets reveal.js adds to the page in its print view (``?print-pdf``), for the
#: deck's size and no margin: their text is known before the page runs, so are their hashes
PRINT_STYLES = ("@page{{size:{w}px {h}px; margin: 0px;}}",
                ".reveal section>img, .reveal section>video, .reveal section>iframe"
                "{{max-width: {w}px; max-height:{h}px}}")
#: the template's Content-Security-Policy meta element; its policy is written by ``with_policy``
#: (nbconvert writes the page again through BeautifulSoup: its attributes in any order)
_POLICY_META = re.compile(r"""<meta\b[^>]*\bhttp-equiv\s*=\s*["']?Content-Security-Policy\b[^>]*>""", re.IGNORECASE)

_NETWORK = re.compile(r"""(?:\b(?:src|href|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
                      re.IGNORECASE)


_ANCHOR = re.compile(r"<a\b[^>]*>", re.IGNORECASE)


def network_references(html: str) -> list[str]:
    """Every place where the deck would load something over the network. A
    link (``<a href>``) loads nothing until a reader follows it: narrative may
    link to the agency's web pages."""
    html = _ANCHOR.sub("<a>", html)
    return [html[max(0, m.start() - 40): m.end() + 60] for m in _NETWORK.finditer(html)]


class _InlineCode(HTMLParser):
    """The page's inline code as the browser hashes it: each ``<script>``'s and
    ``<style>``'s text, and every ``style="…"`` attribute's value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: set[str] = set()
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "style" and value is not None:
                self.style_attributes.add(value)
        if tag in ("script", "style"):
            self._open = [tag]

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if self._open is not None and tag == self._open[0]:
            kind, *text = self._open
            (self.scripts if kind == "script" else self.styles).append("".join(text))
            self._open = None


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy(html: str, connect: str | None = None) -> str:
    """The deck's policy: no network (``connect``: the one origin a served page may ask,
    the preview's ``'self'``), no base URL, no form; scripts and styles only the page's
    own, by the hash of their final text; images and fonts only from ``data:`` URIs.
    A ``<style>`` in an inline SVG is hashed both as written and with its entities
    decoded (the browser reads SVG text as markup); a ``style="…"`` attribute needs
    ``'unsafe-hashes'``, which lets through only the attribute values hashed here."""
    code = _InlineCode()
    code.feed(html)
    code.close()
    styles = [*code.styles, *(html_text.unescape(s) for s in code.styles),
              *(s.format(w=SLIDE_SIZE[0], h=SLIDE_SIZE[1]) for s in PRINT_STYLES)]
    scripts = " ".join(dict.fromkeys(map(_hash, code.scripts))) or "'none'"
    style_hashes = " ".join(dict.fromkeys(map(_hash, [*styles, *sorted(code.style_attributes)])))
    unsafe_hashes = "'unsafe-hashes' " if code.style_attributes else ""
    directives = ["default-src 'none'", f"script-src {scripts}", f"style-src {unsafe_hashes}{style_hashes}",
                  "img-src data:", "font-src data:", *([f"connect-src {connect}"] if connect else []),
                  "base-uri 'none'", "form-action 'none'"]
    return "; ".join(directives)


def with_policy(html: str, connect: str | None = None) -> str:
    """The page with its Content-Security-Policy written for its inline code as it
    now is; a page without the policy's meta element is returned as it is."""
    match = _POLICY_META.search(html)
    if match is None:
        return html
    meta = (f'<meta http-equiv="Content-Security-Policy" '
            f'content="{html_text.escape(content_security_policy(html, connect), quote=False)}" />')
    return html[:match.start()] + meta + html[match.end():]


def export(nb, mes: str, pie: str | None = None, titulo: str | None = None) -> str:
    """The deck's HTML, self-contained; ``pie``: every slide's footer (``modelo.Informe.pie``);
    ``titulo``: the page's title (``modelo.Informe.titulo``; default: the month's report)."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(config.TEMPLATES_DIR)]
    c.SlidesExporter.template_name = DECK_TEMPLATE
    c.SlidesExporter.exclude_input = True
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    # the template inlines its own styles: no pygments style sheet (nbconvert's
    # base conf.json would enable it over the template's own)
    c.CSSHTMLHeaderPreprocessor.enabled = False
    exporter = SlidesExporter(config=c)
    # markdown cells rendered through the allow-list (the template's markdowncell block)
    exporter.register_filter("narrativa_segura", safe_html.clean)
    # a helper's output: its HTML rendered from its elements (the template's data_priority block)
    exporter.register_filter("elementos_html", render_bundle)
    titulo = titulo or f"Informe de Servicio y Atención al Usuario · {fmt.titulo_mes(mes)}"
    resources = {"anm": {**inline_assets(), "titulo": titulo, "ancho": SLIDE_SIZE[0], "alto": SLIDE_SIZE[1],
                         "pie": pie or f"Agencia Nacional de Minería · GAPCC · {titulo}"}}
    html, _ = exporter.from_notebook_node(nb, resources={**resources, "anm_mime": modelo.MIME})
    leaks = network_references(html)
    if leaks:
        raise ConstruccionFallida("el informe cargaría recursos por la red: " + " | ".join(leaks[:3]))
    if _POLICY_META.search(html) is None:
        raise ConstruccionFallida("la plantilla del informe no tiene su Content-Security-Policy")
    return with_policy(html)


def write_deck(sections: list, mes: str, path: Path) -> int:
    """Merge, export and write the deck; returns the number of slides."""
    informe = modelo.Informe.de(sections, mes)
    DeckHTML().escribir(informe, path)
    return len(informe.diapositivas)


class DeckHTML:
    """The exporter of the reveal.js deck: ``informe-<MES>.html``, written by every build."""

    salida = "html"
    siempre = True
    avisos: list[str] = []

    def archivo(self, mes: str) -> str:
        return f"informe-{mes}.html"

    def escribir(self, informe: "modelo.Informe", path: Path) -> str:
        """Write the deck; the build's line saying so."""
        path.write_text(export(informe.nb, informe.mes, informe.pie, informe.titulo), encoding="utf-8")
        return f"informe escrito: {path.name} ({len(informe.diapositivas)} diapositivas)"
