"""The slide model: every slide element as data, before any output format.

A section helper (``seccion``) builds the elements of what it shows as plain
JSON-able dicts, one kind per ``tipo``, and displays them in one bundle: the
elements under :data:`MIME` and their HTML (for JupyterLab and the executed
notebooks). :class:`Informe` reads the executed sections back as slides, each
with its title, its elements in reading order and its notes; every output is
rendered from it by one exporter (``exporters``: the deck HTML, the
PowerPoint). Narrative stays Markdown with the figures filled in; each
exporter renders it (:func:`narrativa` gives it as paragraphs and runs).

The kinds (``tipo``) and their fields:

- ``portada``: ``entidad``, ``grupo``, ``titulo``, ``mes`` — the cover.
- ``divisor``: ``titulo``, ``subtitulo``, ``puntos`` (list) — a section divider.
- ``titulo``: ``texto``, ``subtitulo`` — the title of a slide a helper starts.
- ``texto``: ``markdown``, ``clase`` — narrative (``clase``: the deck's style, e.g. ``anm-nota``).
- ``aviso``: ``texto`` — a statement that something is missing this month.
- ``tarjetas``: ``clase``, ``tarjetas`` — large figures; each card (:func:`tarjeta`) has
  ``nombre`` (its path in metrics.json), ``cifra`` (the raw figure), ``valor`` (as shown),
  ``etiqueta``, ``canal`` and its ``color``, ``sin_datos``, and optionally ``definicion``
  and ``meses`` (``[{"mes", "valor"}]``).
- ``total``: ``nombre``, ``cifra``, ``valor``, ``unidad`` — "Total 16.468 interacciones".
- ``grafico``: ``forma`` (``barras``, ``columnas``, ``meses``, ``anillo``), ``tema`` (its
  subject), ``nombre`` (its path in metrics.json), ``categorias``, ``series``
  (``[{"nombre", "valores", "color"}]``; a ring also ``colores`` per part, ``porcentajes``
  and ``centro``), ``alt`` (the sentence of ``alt``) and ``svg`` (the deck's drawing).
- ``analisis``: ``tarjeta``, ``texto``, ``lineas``, ``promedio``, ``comentario`` — an
  "Análisis de …" slide's body.
- ``lista``: ``items``, ``inicio``, ``clase`` — a numbered list (value deliveries).
- ``calidad``: ``avisos`` (``[{"texto", "nota"}]``, or None on a continuation slide),
  ``resto``, ``sin_avisos``, ``tabla`` — the data-quality annex.
- ``tabla`` (inside ``calidad``): ``clase``, ``columnas`` (``[{"texto", "clase", "celda"}]``:
  the header's and the cells' style), ``filas`` (lists of texts), ``alt``.
- ``html``, ``imagen``: an output no helper made (an analyst's own ``display``), kept as
  text or as a PNG picture.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

#: the mime type of a helper's elements in a display bundle
MIME = "application/vnd.anm.elemento+json"
#: the shape of the elements (raise it when a kind changes incompatibly)
VERSION = 1
#: what the reveal deck treats as starting a slide (nbconvert: "slide" and "subslide")
NUEVA = ("slide", "subslide")


# --- the elements ------------------------------------------------------------------
def portada(entidad: str, grupo: str, titulo: str, mes: str, borrador: bool = False) -> dict:
    """The cover; ``borrador``: the month is unfinished (every output marks it)."""
    return {"tipo": "portada", "entidad": entidad, "grupo": grupo, "titulo": titulo, "mes": mes,
            "borrador": borrador}


def divisor(titulo: str, subtitulo: str = "", puntos: list[str] | None = None) -> dict:
    return {"tipo": "divisor", "titulo": titulo, "subtitulo": subtitulo, "puntos": list(puntos or [])}


def titulo(texto: str, subtitulo: str = "") -> dict:
    return {"tipo": "titulo", "texto": texto, "subtitulo": subtitulo}


def texto(markdown: str, clase: str = "anm-texto") -> dict:
    return {"tipo": "texto", "markdown": markdown, "clase": clase}


def aviso(texto_: str) -> dict:
    return {"tipo": "aviso", "texto": texto_}


def tarjeta(valor: str, etiqueta: str, nombre: str | None = None, cifra=None, canal: str = "",
            sin_datos: bool = False, definicion: str = "", meses: list[dict] | None = None,
            color: str = "") -> dict:
    card = {"nombre": nombre, "cifra": cifra, "valor": valor, "etiqueta": etiqueta, "canal": canal,
            "color": color, "sin_datos": sin_datos}
    if definicion:
        card["definicion"] = definicion
    if meses is not None:
        card["meses"] = meses
    return card


def tarjetas(cards: list[dict], clase: str = "") -> dict:
    return {"tipo": "tarjetas", "clase": clase, "tarjetas": cards}


def total(valor: str, nombre: str, cifra, unidad: str = "interacciones") -> dict:
    return {"tipo": "total", "nombre": nombre, "cifra": cifra, "valor": valor, "unidad": unidad}


def grafico(forma: str, tema: str, nombre: str, categorias: list[str], series: list[dict], alt: str,
            svg: str, **extra) -> dict:
    return {"tipo": "grafico", "forma": forma, "tema": tema, "nombre": nombre, "categorias": categorias,
            "series": series, "alt": alt, "svg": svg, **extra}


def serie(nombre: str, valores: list, color: str) -> dict:
    return {"nombre": nombre, "valores": list(valores), "color": color}


def analisis(card: dict, texto_: str, lineas: list[str], promedio: str, comentario: str) -> dict:
    return {"tipo": "analisis", "tarjeta": card, "texto": texto_, "lineas": lineas, "promedio": promedio,
            "comentario": comentario}


def lista(items: list[str], inicio: int = 1, clase: str = "anm-entregas") -> dict:
    return {"tipo": "lista", "items": items, "inicio": inicio, "clase": clase}


def tabla(columnas: list[dict], filas: list[list[str]], alt: str, clase: str = "") -> dict:
    return {"tipo": "tabla", "clase": clase, "columnas": columnas, "filas": filas, "alt": alt}


def calidad(avisos: list[dict] | None, resto: int, sin_avisos: str, tabla_: dict) -> dict:
    return {"tipo": "calidad", "avisos": avisos, "resto": resto, "sin_avisos": sin_avisos, "tabla": tabla_}


def bundle(elementos: list[dict]) -> dict:
    """What a display carries under :data:`MIME`."""
    return {"version": VERSION, "elementos": elementos}


# --- narrative as paragraphs and runs ------------------------------------------------
@dataclass
class Parrafo:
    """A paragraph of narrative: its runs (``texto``, ``negrita``, ``cursiva``,
    ``enlace``), and for a list item its ``nivel`` (0: not in a list; 1, 2: nesting)
    and ``numero`` (its number in an ordered list, else None)."""
    runs: list[dict] = field(default_factory=list)
    nivel: int = 0
    numero: int | None = None
    cita: bool = False

    @property
    def texto(self) -> str:
        return "".join(r["texto"] for r in self.runs)


_LINK_SCHEMES = ("http://", "https://", "mailto:")


def _markdown_ast():
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["strikethrough", "table"])


def _html_text(raw: str) -> str:
    """The text of raw HTML in narrative, after the deck's allow-list (so a
    script's code is not shown as text)."""
    from html.parser import HTMLParser

    from anm_helpers.slides import sanitize as safe_html

    parts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.feed(safe_html.clean(raw))
    parser.close()
    return " ".join("".join(parts).split())


def _runs(tokens: list, negrita=False, cursiva=False, enlace=None) -> list[dict]:
    runs: list[dict] = []
    for tok in tokens:
        kind = tok["type"]
        if kind in ("text", "codespan"):
            runs.append({"texto": tok.get("raw", ""), "negrita": negrita, "cursiva": cursiva, "enlace": enlace})
        elif kind in ("softbreak",):
            runs.append({"texto": " ", "negrita": negrita, "cursiva": cursiva, "enlace": enlace})
        elif kind == "linebreak":
            runs.append({"texto": "\n", "negrita": negrita, "cursiva": cursiva, "enlace": enlace})
        elif kind == "strong":
            runs += _runs(tok["children"], True, cursiva, enlace)
        elif kind == "emphasis":
            runs += _runs(tok["children"], negrita, True, enlace)
        elif kind == "link":
            url = tok.get("attrs", {}).get("url", "")
            runs += _runs(tok["children"], negrita, cursiva, url if url.lower().startswith(_LINK_SCHEMES) else None)
        elif kind == "image":
            runs += _runs(tok.get("children", []), negrita, cursiva, enlace)
        elif kind == "inline_html":
            continue  # tags only: what they enclose is in the neighbouring tokens
        elif "children" in tok:
            runs += _runs(tok["children"], negrita, cursiva, enlace)
    merged: list[dict] = []
    for run in runs:  # neighbours with the same style as one run
        if merged and all(merged[-1][k] == run[k] for k in ("negrita", "cursiva", "enlace")):
            merged[-1]["texto"] += run["texto"]
        else:
            merged.append(dict(run))
    return merged


def _bloques(tokens: list, out: list[Parrafo], nivel: int = 0, cita: bool = False) -> None:
    for tok in tokens:
        kind = tok["type"]
        if kind in ("paragraph", "block_text", "heading"):
            runs = _runs(tok["children"], negrita=kind == "heading")
            if "".join(r["texto"] for r in runs).strip():
                out.append(Parrafo(runs, nivel, None, cita))
        elif kind == "list":
            ordered = tok.get("attrs", {}).get("ordered", False)
            start = tok.get("attrs", {}).get("start", 1) or 1
            for i, item in enumerate(tok["children"]):
                first = len(out)
                _bloques(item["children"], out, nivel + 1, cita)
                if len(out) > first:
                    out[first].numero = start + i if ordered else None
                    for p in out[first + 1:]:  # its continuation paragraphs: no bullet of their own
                        if p.nivel == nivel + 1 and p.numero is None:
                            p.numero = -1
        elif kind == "block_quote":
            _bloques(tok["children"], out, nivel, True)
        elif kind == "block_code":
            out.append(Parrafo([{"texto": tok.get("raw", "").rstrip("\n"), "negrita": False, "cursiva": False,
                                 "enlace": None}], nivel, None, cita))
        elif kind == "block_html":
            text = _html_text(tok.get("raw", ""))
            if text:
                out.append(Parrafo([{"texto": text, "negrita": False, "cursiva": False, "enlace": None}],
                                   nivel, None, cita))
        elif kind == "table":
            for part in tok.get("children", []):
                rows = part["children"] if part["type"] == "table_body" else [part]
                for row in rows:
                    cells = [_runs(c.get("children", [])) for c in row.get("children", [])]
                    text = " · ".join("".join(r["texto"] for r in c) for c in cells)
                    out.append(Parrafo([{"texto": text, "negrita": part["type"] == "table_head", "cursiva": False,
                                         "enlace": None}], nivel, None, cita))


def narrativa(markdown: str) -> list[Parrafo]:
    """Markdown narrative as paragraphs of styled runs (bold, italic, links),
    list items with their level and number; raw HTML as its text after the
    deck's allow-list."""
    out: list[Parrafo] = []
    _bloques(_markdown_ast()(markdown or ""), out)
    return out


def texto_plano(markdown: str) -> str:
    """One line of Markdown as plain text (a title)."""
    return " ".join(" ".join(p.texto for p in narrativa(markdown)).split())


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


def titulo_markdown(source: str) -> tuple[str, str]:
    """A markdown cell's heading (if its first line is one) as plain text, and the rest of the cell."""
    lines = source.strip("\n").split("\n")
    match = _HEADING.match(lines[0]) if lines else None
    if not match:
        return "", source
    return texto_plano(match.group(2)), "\n".join(lines[1:]).strip("\n")


# --- slides -------------------------------------------------------------------------
@dataclass
class Diapositiva:
    """One slide: its title, its elements in reading order, its speaker notes (Markdown)."""
    titulo: str = ""
    elementos: list[dict] = field(default_factory=list)
    notas: list[str] = field(default_factory=list)


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def elementos_de(output) -> list[dict]:
    """The elements a displayed output carries: a helper's, or an output no
    helper made, as a picture (PNG) or as its text."""
    data = output.get("data", {})
    if MIME in data:
        return list(data[MIME]["elementos"])
    if "image/png" in data:
        png = data["image/png"]
        alt = output.get("metadata", {}).get("image/png", {}).get("alt", "") or data.get("text/plain", "")
        return [{"tipo": "imagen", "png": png if isinstance(png, str) else base64.b64encode(png).decode(),
                 "alt": alt if isinstance(alt, str) else "".join(alt)}]
    if "text/html" in data:
        text = _html_text(data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"]))
        return [texto(text, "")] if text else []
    if "text/markdown" in data:
        return [texto(data["text/markdown"], "")]
    if "text/plain" in data:
        return [texto(data["text/plain"], "")]
    return []


def _title_of(element: dict) -> str:
    kind = element["tipo"]
    if kind == "titulo":
        return element["texto"]
    if kind in ("portada", "divisor"):
        return element["titulo"]
    return ""


def diapositivas(nb) -> list[Diapositiva]:
    """The slides of a merged deck notebook (``merge.merge``): a new slide where a
    cell starts one; a markdown cell's heading is its slide's title and the rest
    its narrative; a "notes" cell goes to the slide's notes; a helper's output
    gives its elements (its ``titulo`` element, cover or divider the title)."""
    slides: list[Diapositiva] = []
    for cell in nb.cells:
        kind = _slide_type(cell)
        if kind == "skip":
            continue
        if kind in NUEVA or not slides:
            slides.append(Diapositiva())
        slide = slides[-1]
        if cell.cell_type == "markdown":
            if kind == "notes":
                slide.notas.append(cell.source)
                continue
            heading, rest = titulo_markdown(cell.source)
            if heading and not slide.titulo and not slide.elementos:
                slide.titulo = heading
                slide.elementos.append(titulo(heading))
            elif heading:
                rest = cell.source
            if rest.strip():
                slide.elementos.append(texto(rest, ""))
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                for element in elementos_de(output):
                    if not slide.titulo and _title_of(element):
                        slide.titulo = _title_of(element)
                    slide.elementos.append(element)
    return slides


#: the mark of an unfinished month, on the cover and every footer of every output
BORRADOR = "BORRADOR"


@dataclass
class Informe:
    """A month's deck as data: the merged deck notebook (the HTML exporter lays it
    out with nbconvert, rendering each element from its data), its slides, and the
    month's figures (``metrics.json``'s content: outputs that publish figures read
    them here)."""
    mes: str
    titulo: str
    pie: str
    nb: object
    diapositivas: list[Diapositiva]
    metricas: dict = field(default_factory=dict)

    @classmethod
    def de(cls, sections: list, mes: str, metricas: dict | None = None) -> "Informe":
        """The model of the executed sections of ``mes``, in deck order, with its figures;
        ``mes`` a year (``AAAA``): the year's deck ("Informe anual … · 2024")."""
        from anm_helpers.slides import merge
        from anm_helpers.core import fmt

        periodo = mes if len(mes) == 4 else fmt.titulo_mes(mes)  # a year (make year): "2024"
        titulo_ = f"{'Informe anual' if len(mes) == 4 else 'Informe'} de Servicio y Atención al Usuario · {periodo}"
        nb = merge.merge(sections, periodo)
        slides = diapositivas(nb)
        pie = f"Agencia Nacional de Minería · GAPCC · {titulo_}"
        if any(e.get("borrador") for d in slides for e in d.elementos if e.get("tipo") == "portada"):
            pie = f"{BORRADOR} · {pie}"  # an unfinished month: on every slide's footer
        return cls(mes, titulo_, pie, nb, slides, dict(metricas or {}))
