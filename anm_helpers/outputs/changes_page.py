"""``reports/<MES>/cambios.html``: what changed between the published version of a
month and the new build, the page a reviewer opens first (``outputs.changes`` compares;
the template and its style sheet are ``templates/cambios/``).

The page is static: Spanish (``lang="es-CO"``), the deck's fonts and palette, real
tables with their headers, no script at all and a Content-Security-Policy that allows
none (``deck.with_policy``: its one style by hash), every text escaped. It carries no
time, so the same versions give the same bytes.
"""
from __future__ import annotations

import base64
import functools
import json
import re
import shutil
from pathlib import Path

from anm_helpers.core import config, fmt
from anm_helpers.outputs import slide_texts
from anm_helpers.outputs.changes import CAMBIOS, PRIMERA, SIN_CAMBIOS, Comparison, FigureChange, SlideChange, compare, summary
from anm_helpers.outputs.deck import with_policy

FILE_NAME = "cambios.html"
TEMPLATE_DIR = config.TEMPLATES_DIR / "cambios"


@functools.lru_cache(maxsize=1)
def _css() -> str:
    """The page's style sheet with the deck's fonts inlined (``data:`` URIs: nothing loads)."""
    fonts = config.REVEAL_DIR / "dist" / "theme" / "fonts" / "source-sans-pro"
    css = (TEMPLATE_DIR / "cambios.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        path = fonts / match.group(1)
        if not path.is_file():  # reveal.js not installed: the page falls back to the system's sans-serif
            return "local('Source Sans Pro')"
        return f"url(data:font/woff;base64,{base64.b64encode(path.read_bytes()).decode()})"

    return re.sub(r"url\(FONT:([\w.-]+\.woff)\)", inline, css)


@functools.lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    return env.get_template("cambios.html.j2")


def _figure_row(change: FigureChange) -> dict:
    """A figure's row: es-CO as the deck shows it, and the value exactly as metrics.json holds it."""
    before, after = change.estado != "nueva", change.estado != "retirada"
    raw_before = json.dumps(change.antes, ensure_ascii=False) if before else "(no estaba)"
    raw_after = json.dumps(change.ahora, ensure_ascii=False) if after else "(ya no está)"
    return {"nombre": change.nombre, "antes": fmt.valor(change.nombre, change.antes) if before else "—",
            "ahora": fmt.valor(change.nombre, change.ahora) if after else "—", "exacto": f"{raw_before} → {raw_after}"}


def _slide(change: SlideChange) -> dict:
    if change.estado == "nueva":
        heading = f"Diapositiva {change.numero_ahora} (nueva): {change.titulo_ahora}"
        note = "Esta diapositiva no estaba en la versión publicada antes. Sus textos:"
    elif change.estado == "retirada":
        heading = f"Diapositiva {change.numero_antes} de la versión anterior (retirada): {change.titulo_antes}"
        note = "Esta diapositiva ya no está en esta versión. Sus textos eran:"
    else:
        heading = f"Diapositiva {change.numero_ahora}: {change.titulo_ahora}"
        if change.numero_antes != change.numero_ahora:
            heading += f" (antes la {change.numero_antes})"
        note = f"Título anterior: «{change.titulo_antes}»." if change.titulo_antes != change.titulo_ahora else ""
    anchor = f"retirada-{change.numero_antes}" if change.estado == "retirada" else f"diapositiva-{change.numero_ahora}"
    return {"estado": change.estado, "encabezado": heading, "ancla": anchor, "nota": note, "filas": change.filas,
            "nombre": f"la diapositiva {change.numero_ahora}"}


def _draft_note(comparison: Comparison) -> str:
    if comparison.borrador_antes is None or comparison.borrador_antes == comparison.borrador_ahora:
        return ""
    if comparison.borrador_antes:
        return "La versión publicada antes estaba marcada BORRADOR; esta ya no lo está."
    return "Esta versión está marcada BORRADOR; la publicada antes no lo estaba."


def page(comparison: Comparison, titulo: str) -> str:
    """The page's HTML, with its Content-Security-Policy."""
    html = _template().render(
        c=comparison, titulo=titulo, css=_css(), resumen=summary(comparison), borrador=_draft_note(comparison),
        cifras=[_figure_row(f) for f in comparison.cifras], diapositivas=[_slide(s) for s in comparison.diapositivas])
    return with_policy(html)


class Cambios:
    """The exporter of the changes page (``registry.EXPORTERS``): ``cambios.html``, written by
    every build, comparing the published ``reports/<MES>/`` (the folder this build replaces)
    with the new figures and slide texts."""

    salida = "cambios"
    siempre = True

    def __init__(self):
        #: warnings of the last write (a published file that could not be read)
        self.avisos: list[str] = []

    def archivo(self, mes: str) -> str:
        return FILE_NAME

    def escribir(self, informe, path: Path) -> str:
        published = config.report_dir(informe.mes)
        comparison = compare(published, informe.metricas, slide_texts.document(informe))
        self.avisos = list(comparison.avisos)
        if (comparison.estado == SIN_CAMBIOS and comparison.textos_comparados
                and (published / FILE_NAME).is_file()):
            # the same figures and texts as the published version: its page still says what changed
            # from the version before it (a rebuild with nothing new must not erase that for reviewers)
            shutil.copyfile(published / FILE_NAME, path)
            return ("cambios: ninguno frente a la versión publicada; cambios.html sigue mostrando los de "
                    f"la versión anterior ({path.name})")
        path.write_text(page(comparison, informe.titulo), encoding="utf-8")
        if comparison.estado == PRIMERA and comparison.avisos:
            return f"cambios: la versión publicada no se pudo leer ({path.name})"
        if comparison.estado == PRIMERA:
            return f"cambios: primera versión, nada que comparar ({path.name})"
        said = summary(comparison) if comparison.estado == CAMBIOS else "ninguno"
        return f"cambios frente a la versión publicada: {said} ({path.name})"
