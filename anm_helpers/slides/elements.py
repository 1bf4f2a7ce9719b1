"""Slide elements' HTML: each helper's output is rendered from its elements
(``model``) by the Jinja macros of ``templates/anm/elementos.html.j2``, one per kind:
the same :func:`render` gives the HTML a section notebook shows in JupyterLab and the
deck's (the deck template's ``data_priority`` block, through the ``elementos_html``
filter). Also the deck's look as text (:func:`inline_assets`: reveal.js, the style
sheet, its fonts), which a section opened on its own shows too."""
from __future__ import annotations

import base64
import functools
import html as html_lib
import re
from pathlib import Path

from anm_helpers.core import config, fmt
from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.slides import sanitize as safe_html

DECK_TEMPLATE = "anm"
ELEMENTOS_TEMPLATE = "elementos.html.j2"


def markdown_html(text: str) -> str:
    """Markdown of narrative (bold, lists) to HTML, with no active content:
    raw HTML pasted into a text keeps only what ordinary Markdown produces
    (``safe_html.clean``: no script, event handler, frame or form; links only
    http, https and mailto)."""
    import mistune

    return safe_html.clean(mistune.html(text))


@functools.lru_cache(maxsize=1)
def macros():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(config.TEMPLATES_DIR / DECK_TEMPLATE),
                             autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(esc=html_lib.escape, md=markdown_html, numero=fmt.numero)
    return env.get_template(ELEMENTOS_TEMPLATE).module


def render(elementos: list[dict]) -> str:
    """The deck's HTML of slide elements, one macro per kind (``tipo``)."""
    return "".join(str(getattr(macros(), e["tipo"])(e)) for e in elementos)


def render_bundle(data: dict) -> str:
    """:func:`render` of what a display carries under ``modelo.MIME``."""
    return render(data["elementos"])


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
