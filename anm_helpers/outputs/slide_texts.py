"""The slides' texts as data: ``reports/<MES>/diapositivas.json``, written by every build.

What a reader sees on each slide, as plain text in reading order, taken from the slide
model (``slides.model.Informe``), never from the HTML: titles, narrative (Markdown as
its paragraphs' text, ``model.narrativa``), each card's label and value, totals, each
chart's text alternative, lists, the analysis slides, the data-quality annex's notices
and table rows, and the speaker notes (marked ``Notas: …``). The cover of an unfinished
month carries ``BORRADOR``.

The file (UTF-8, keys sorted, indent 1, a newline at the end)::

    {"mes": "2024-03", "titulo": "<Informe.titulo>", "borrador": false,
     "diapositivas": [{"numero": 1, "titulo": "…", "textos": ["…", …]}, …]}

It is what ``cambios.html`` compares a new build with (``outputs.changes``), and what the
agency's site reads; a folder without it was published by an earlier version of the tool.
"""
from __future__ import annotations

import json
from pathlib import Path

from anm_helpers.slides import model as modelo

FILE_NAME = "diapositivas.json"
#: what marks a speaker note among a slide's texts
NOTES_PREFIX = "Notas: "


def _plain(text) -> str:
    """One line: every run of spaces and line breaks one space."""
    return " ".join(str(text or "").split())


def _markdown(markdown: str) -> list[str]:
    """Narrative as its paragraphs' plain text; a numbered list item with its number."""
    out = []
    for paragraph in modelo.narrativa(markdown or ""):
        text = _plain(paragraph.texto)
        if text:
            out.append(f"{paragraph.numero}. {text}" if paragraph.numero and paragraph.numero > 0 else text)
    return out


def _card(card: dict) -> list[str]:
    out = [_plain(f"{card.get('etiqueta', '')}: {card.get('valor', '')}")]
    if card.get("definicion"):
        out.append(_plain(card["definicion"]))
    out += [_plain(f"{m.get('mes', '')}: {m.get('valor', '')}") for m in card.get("meses") or []]
    return out


def _table(table: dict) -> list[str]:
    out = [_plain(" · ".join(c.get("texto", "") for c in table.get("columnas", [])))]
    out += [_plain(" · ".join(str(v) for v in row)) for row in table.get("filas", [])]
    return out


def element_texts(element: dict) -> list[str]:
    """The texts a reader sees in one slide element, in reading order."""
    kind = element.get("tipo")
    if kind == "portada":
        out = [element.get("entidad"), element.get("grupo"), element.get("titulo"), element.get("mes")]
        if element.get("borrador"):
            out.append(modelo.BORRADOR)
    elif kind == "divisor":
        out = [element.get("titulo"), element.get("subtitulo"), *element.get("puntos", [])]
    elif kind == "titulo":
        out = [element.get("texto"), element.get("subtitulo")]
    elif kind == "texto":
        out = _markdown(element.get("markdown", ""))
    elif kind == "tarjetas":
        out = [t for card in element.get("tarjetas", []) for t in _card(card)]
    elif kind == "total":
        out = [f"Total {element.get('valor', '')} {element.get('unidad', '')}"]
    elif kind in ("grafico", "imagen"):
        out = [element.get("alt")]
    elif kind == "analisis":
        out = [*_card(element.get("tarjeta") or {}), *_markdown(element.get("texto", "")),
               *(t for line in element.get("lineas", []) for t in _markdown(line)),
               *_markdown(element.get("promedio", "")), *_markdown(element.get("comentario", ""))]
    elif kind == "lista":
        start = int(element.get("inicio") or 1)
        out = [f"{start + i}. {' '.join(_markdown(item))}" for i, item in enumerate(element.get("items", []))]
    elif kind == "calidad":
        avisos = element.get("avisos")
        out = [a.get("texto") for a in avisos or []]
        if avisos is not None and not avisos:
            out.append(element.get("sin_avisos"))
        if (element.get("resto") or 0) > 0:
            out.append(f"… y {element['resto']} aviso(s) más en construccion.log")
        out += _table(element.get("tabla") or {})
    elif kind == "tabla":
        out = _table(element)
    elif kind == "aviso":
        out = [element.get("texto")]
    else:  # a kind this module does not know yet: whatever text it carries
        out = [element.get(k) for k in ("texto", "alt") if isinstance(element.get(k), str)]
    return [t for t in map(_plain, out) if t]


def slide_texts(slide: modelo.Diapositiva) -> list[str]:
    """Every text of a slide in reading order, then its speaker notes (marked)."""
    out = [t for element in slide.elementos for t in element_texts(element)]
    out += [f"{NOTES_PREFIX}{t}" for note in slide.notas for t in _markdown(note)]
    return out


def document(informe: modelo.Informe) -> dict:
    """The content of ``diapositivas.json`` for a slide model."""
    return {"mes": informe.mes, "titulo": informe.titulo, "borrador": informe.pie.startswith(modelo.BORRADOR),
            "diapositivas": [{"numero": n, "titulo": _plain(d.titulo), "textos": slide_texts(d)}
                             for n, d in enumerate(informe.diapositivas, 1)]}


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


class TextosDiapositivas:
    """The exporter of the slides' texts (``registry.EXPORTERS``): ``diapositivas.json``,
    written by every build (the next build's ``cambios.html`` compares with it)."""

    salida = "textos"
    siempre = True
    avisos: list[str] = []

    def archivo(self, mes: str) -> str:
        return FILE_NAME

    def escribir(self, informe: modelo.Informe, path: Path) -> str:
        doc = document(informe)
        path.write_text(dumps(doc), encoding="utf-8")
        return f"textos: {path.name} ({len(doc['diapositivas'])} diapositivas)"
