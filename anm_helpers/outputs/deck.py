"""The deck HTML exporter: the slide model's merged notebook laid out as one
reveal.js deck by nbconvert, with no code, no empty slides, and every asset
inlined so the file opens from disk (or an e-mail attachment) with no network.
Each element's HTML comes from ``slides.elements``."""
from __future__ import annotations

import re
from pathlib import Path

from anm_helpers.core import config, fmt
from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.slides import model as modelo, sanitize as safe_html
from anm_helpers.slides.elements import DECK_TEMPLATE, inline_assets, render_bundle



_NETWORK = re.compile(r"""(?:\b(?:src|href|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|@import""",
                      re.IGNORECASE)


_ANCHOR = re.compile(r"<a\b[^>]*>", re.IGNORECASE)


def network_references(html: str) -> list[str]:
    """Every place where the deck would load something over the network. A
    link (``<a href>``) loads nothing until a reader follows it: narrative may
    link to the agency's web pages."""
    html = _ANCHOR.sub("<a>", html)
    return [html[max(0, m.start() - 40): m.end() + 60] for m in _NETWORK.finditer(html)]


def export(nb, mes: str, pie: str | None = None) -> str:
    """The deck's HTML, self-contained; ``pie``: every slide's footer (``modelo.Informe.pie``)."""
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
    titulo = f"Informe de Servicio y Atención al Usuario · {fmt.titulo_mes(mes)}"
    resources = {"anm": {**inline_assets(), "titulo": titulo,
                         "pie": pie or f"Agencia Nacional de Minería · GAPCC · {titulo}"}}
    html, _ = exporter.from_notebook_node(nb, resources={**resources, "anm_mime": modelo.MIME})
    leaks = network_references(html)
    if leaks:
        raise ConstruccionFallida("el informe cargaría recursos por la red: " + " | ".join(leaks[:3]))
    return html


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
        path.write_text(export(informe.nb, informe.mes, informe.pie), encoding="utf-8")
        return f"informe escrito: {path.name} ({len(informe.diapositivas)} diapositivas)"
