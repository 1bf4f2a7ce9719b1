"""The deck HTML exporter: the executed section notebooks merged into one
reveal.js deck by nbconvert, with no code, no empty slides, and every asset
inlined so the file opens from disk (or an e-mail attachment) with no network.

Each helper's output is rendered from its elements (``modelo``) by the Jinja
macros of ``templates/anm/elementos.html.j2``, one per kind: the same
:func:`render` gives the HTML a section notebook shows in JupyterLab and the
deck's (the template's ``data_priority`` block, through the ``elementos_html``
filter)."""
from __future__ import annotations

import base64
import copy
import functools
import html as html_lib
import re
from pathlib import Path

from . import config, fmt, modelo, safe_html
from .exceptions import ConstruccionFallida

DECK_TEMPLATE = "anm"
ELEMENTOS_TEMPLATE = "elementos.html.j2"
SHOWN_OUTPUTS = ("display_data", "execute_result")


def markdown_html(text: str) -> str:
    """Markdown of narrative (bold, lists) to HTML, with no active content:
    raw HTML pasted into a text keeps only what ordinary Markdown produces
    (``safe_html.clean``: no script, event handler, frame or form; links only
    http, https and mailto)."""
    import mistune

    return safe_html.clean(mistune.html(text))


@functools.lru_cache(maxsize=1)
def _macros():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(config.TEMPLATES_DIR / DECK_TEMPLATE),
                             autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(esc=html_lib.escape, md=markdown_html, numero=fmt.numero)
    return env.get_template(ELEMENTOS_TEMPLATE).module


def render(elementos: list[dict]) -> str:
    """The deck's HTML of slide elements, one macro per kind (``tipo``)."""
    macros = _macros()
    return "".join(str(getattr(macros, e["tipo"])(e)) for e in elementos)


def render_bundle(data: dict) -> str:
    """:func:`render` of what a display carries under ``modelo.MIME``."""
    return render(data["elementos"])


def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def fill_narrative(nb, cifras: dict, nombre: str) -> None:
    """Fill ``{nombre}`` in the markdown cells of an executed section (skipped
    cells are notes for analysts and stay as written)."""
    for i, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "markdown" or slide_type(cell) == "skip":
            continue
        try:
            cell.source = fmt.rellenar(cell.source, cifras)
        except (fmt.NombreDesconocido, ValueError) as exc:
            raise ConstruccionFallida(f"notebooks/{nombre}.ipynb, celda {i}: {exc}") from None


def _starts_slide(output) -> bool:
    return bool(output.get("metadata", {}).get("anm", {}).get("diapositiva"))


def deck_cells(nb) -> list:
    """The cells of one executed section as the deck shows them: markdown as
    is; of code cells only their displayed outputs (no input, no stream, no
    empty cell), split where a helper started a new slide."""
    import nbformat  # here, not above: a section's kernel imports this module for ``render`` alone

    cells = []
    pending_slide = False
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind == "skip":
            continue
        if cell.cell_type == "markdown":
            new = copy.deepcopy(cell)
            if pending_slide and kind == "-":
                new.metadata.setdefault("slideshow", {})["slide_type"] = "slide"
            pending_slide = False
            cells.append(new)
            continue
        if cell.cell_type != "code":
            continue
        outputs = [o for o in cell.get("outputs", []) if o.output_type in SHOWN_OUTPUTS]
        if not outputs:
            pending_slide = pending_slide or kind == "slide"
            continue
        groups: list[list] = []
        for out in outputs:
            if not groups or (_starts_slide(out) and groups[-1]):
                groups.append([])
            groups[-1].append(out)
        for j, group in enumerate(groups):
            first_kind = kind if kind != "-" or not (pending_slide or _starts_slide(group[0])) else "slide"
            new = nbformat.v4.new_code_cell(source="", metadata={
                "slideshow": {"slide_type": first_kind if j == 0 else "slide"}})
            new.outputs = group
            cells.append(new)
        pending_slide = False
    return cells


def merge(sections: list, titulo: str):
    """One notebook of all sections' deck cells, in order."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"title": titulo, "kernelspec": {"name": "python3", "display_name": "Python 3"},
                   "language_info": {"name": "python"}}
    for section in sections:
        nb.cells.extend(deck_cells(section))
    if nb.cells:
        nb.cells[0].metadata.setdefault("slideshow", {})["slide_type"] = "slide"
    return nb


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def inline_assets(reveal_dir: Path | None = None) -> dict:
    """reveal.js, its core style sheet, the deck's style sheet and its fonts, as text."""
    reveal_dir = reveal_dir or config.REVEAL_DIR
    dist = reveal_dir / "dist"
    if not (dist / "reveal.js").exists():
        raise ConstruccionFallida(f"falta reveal.js en {reveal_dir}: ejecute `make` (instala con npm)")
    fonts = dist / "theme" / "fonts" / "source-sans-pro"
    css = (config.TEMPLATES_DIR / DECK_TEMPLATE / "deck.css").read_text(encoding="utf-8")
    css = re.sub(r"FONT:([\w.-]+\.woff)", lambda m: _data_uri(fonts / m.group(1), "font/woff"), css)
    js = (dist / "reveal.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    return {"reveal_css": (dist / "reveal.css").read_text(encoding="utf-8"), "reveal_js": js, "deck_css": css}


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
    """The exporter of the reveal.js deck: ``informe-<MES>.html``."""

    def archivo(self, mes: str) -> str:
        return f"informe-{mes}.html"

    def escribir(self, informe: "modelo.Informe", path: Path) -> str:
        """Write the deck; the build's line saying so."""
        path.write_text(export(informe.nb, informe.mes, informe.pie), encoding="utf-8")
        return f"informe escrito: {path.name} ({len(informe.diapositivas)} diapositivas)"
