"""The site's pages: ``index.html`` (every year and month) and one ``<AAAA>/index.html``
per year, from the Jinja templates in ``templates/sitio/``. Spanish (``lang="es-CO"``),
the deck's colours (``core.palette``) and fonts (inlined as ``data:`` URIs: nothing from
the network), relative links only, and a Content-Security-Policy that allows no script
at all and only the page's own style, by its hash (``policy``). The same
listing gives the same bytes: nothing here reads the clock."""
from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from anm_helpers.core import config, palette
from anm_helpers.core.errors import ConstruccionFallida
from anm_helpers.outputs.site.listing import Year

TEMPLATES = config.TEMPLATES_DIR / "sitio"
FONTS = ("source-sans-pro-regular.woff", "source-sans-pro-semibold.woff")


def font_folder():
    return config.REVEAL_DIR / "dist" / "theme" / "fonts" / "source-sans-pro"


@functools.lru_cache(maxsize=1)
def style_sheet() -> str:
    """``sitio.css`` with the palette's variables and the deck's fonts as data: URIs."""
    fonts = font_folder()
    missing = [name for name in FONTS if not (fonts / name).is_file()]
    if missing:
        raise ConstruccionFallida(f"faltan las fuentes del informe en {fonts}: ejecute `make env` (instala reveal.js)")
    css = (TEMPLATES / "sitio.css").read_text(encoding="utf-8")
    css = re.sub(r"FONT:([\w.-]+\.woff)", lambda m: "data:font/woff;base64," +
                 base64.b64encode((fonts / m.group(1)).read_bytes()).decode(), css)
    variables = "".join(f" {name}: {palette.css(colour)};" for name, colour in palette.CSS_VARIABLES.items())
    return f":root {{{variables} }}\n{css}"


def href(*parts: str) -> str:
    """A relative link to a file of the site, each segment percent-encoded."""
    return quote(str(PurePosixPath(*[p for p in parts if p])), safe="/")


@functools.lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["href"] = lambda path, *before: href(*before, path)
    return env


def policy(css: str) -> str:
    """No script at all, nothing from the network; the page's one style sheet by its hash,
    its fonts from data: URIs; no base URL, no form."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    return (f"default-src 'none'; script-src 'none'; style-src 'sha256-{digest}'; img-src data:; "
            "font-src data:; base-uri 'none'; form-action 'none'")


def _page(template: str, **values) -> bytes:
    css = style_sheet()
    return environment().get_template(template).render(css=css, politica=policy(css), **values).encode("utf-8")


def key(years: list[Year], series: list[str]) -> str:
    """What the pages are made of: the listing, the series' files, the templates, the fonts
    and the code that writes them (the palette's too); the same key, the same pages (a
    rebuild with nothing changed renders none)."""
    import dataclasses
    import json

    digest = hashlib.sha256(json.dumps([[dataclasses.asdict(y) for y in years], series], ensure_ascii=False,
                                       sort_keys=True, default=str).encode("utf-8"))
    for path in sorted(TEMPLATES.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in FONTS:
        font = font_folder() / name
        digest.update(f"{name}:{font.stat().st_size if font.is_file() else None}".encode())
    for code in (*sorted(Path(__file__).parent.glob("*.py")), Path(palette.__file__)):  # the code that writes them
        digest.update(code.read_bytes())
    return digest.hexdigest()


def render(years: list[Year], series: list[str]) -> dict[str, bytes]:
    """Every page of the site: its path in the site and its bytes. ``series``: the files
    of ``datos-abiertos/`` (the whole series), linked from the home page."""
    last = next((m for y in years for m in y.meses if m.publicado), None)
    pages = {"index.html": _page("index.html.j2", years=years, series=series, raiz="", last=last)}
    for year in years:
        pages[f"{year.anio}/index.html"] = _page("anio.html.j2", year=year, years=years, raiz="../")
    return pages
