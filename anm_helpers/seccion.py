"""What a section notebook calls: one helper per slide element.

    from anm_helpers.seccion import abrir
    s = abrir(mes, contexto)
    s.tarjetas(("presencial.atendidas", "Interacciones atendidas", "presencial"))

Narrative names the month's values in braces (``{presencial.atendidas}``); the
helpers fill them in es-CO format. Every helper shows HTML; a helper that draws
whole slides marks each one so the deck starts a new slide there, and a helper
with nothing to show for the month says so on the slide.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from . import charts, fmt, safe_html

NOMBRE_CANAL = {"presencial": "Presencial", "telefonico": "Telefónico", "virtual": "Virtual"}
NOMBRE_MEDIO = {"correo_contacto": "Correo contacto", "radicador_web": "Radicador web",
                "chat": "Chat", "te_llamamos": "Te llamamos"}
NOMBRE_TIPO_PUNTO = {"sede_central": "Sede Central", "PAR": "PAR", "PAL": "PAL"}
NOMBRE_PREGUNTA = {"satisfaccion": "Satisfacción", "percepcion": "Percepción",
                   "confianza": "Confianza", "claridad": "Claridad"}
#: characters of a line of the value-deliveries list on a slide (see deck.css, .anm-entregas)
ENTREGAS_LINEA = 115
#: metadata that makes an output start a new slide in the deck (see ``deck``)
NUEVA_DIAPOSITIVA = {"anm": {"diapositiva": True}}


def abrir(mes: str, contexto: str = "") -> "Seccion":
    """The month's context: from the build's file (plain JSON: no pandas needed
    in the kernel), or computed here from data/ and params/ when the notebook
    runs on its own."""
    if contexto:
        ctx = json.loads(Path(contexto).read_text(encoding="utf-8"))
    else:
        from .context import build_context

        ctx = build_context(mes)
    if ctx["mes"] != mes:
        raise ValueError(f"el contexto es de {ctx['mes']}, no de {mes}")
    return Seccion(ctx)


def _display(markup: str, nueva: bool = False) -> None:
    from IPython.display import HTML, display

    display(HTML(markup), metadata=NUEVA_DIAPOSITIVA if nueva else {})


def _md(text: str) -> str:
    """Markdown of narrative (bold, lists) to HTML, with no active content:
    raw HTML pasted into a text keeps only what ordinary Markdown produces
    (``safe_html.clean``: no script, event handler, frame or form; links only
    http, https and mailto)."""
    import mistune

    return safe_html.clean(mistune.html(text))


class Seccion:
    def __init__(self, ctx: dict):
        self.ctx = ctx
        self.mes: str = ctx["mes"]
        self.m: dict = ctx["metricas"]
        self.cifras: dict = ctx["cifras"]
        self.params: dict = ctx["params"]

    # --- values -----------------------------------------------------------------
    def valor(self, path: str):
        """The raw figure at a dotted path of metrics.json (None if absent)."""
        node = self.m
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def rellenar(self, plantilla: str) -> str:
        return fmt.rellenar(plantilla, self.cifras)

    # --- slide elements --------------------------------------------------------
    def portada(self) -> None:
        """The cover: agency, group, title and month."""
        _display(
            '<div class="anm-portada">'
            '<div class="anm-portada-entidad">Agencia Nacional de Minería</div>'
            '<div class="anm-portada-grupo">Grupo de Atención, Participación Ciudadana y Comunicaciones</div>'
            '<h1 class="anm-portada-titulo">Informe de Servicio y Atención al Usuario</h1>'
            f'<div class="anm-portada-mes">{html.escape(fmt.titulo_mes(self.mes))}</div>'
            "</div>")

    def divisor(self, titulo: str, subtitulo: str = "", puntos: list[str] | None = None) -> None:
        """A section divider slide."""
        items = "".join(f"<li>{html.escape(p)}</li>" for p in puntos or [])
        _display(f'<div class="anm-divisor"><h2>{html.escape(self.rellenar(titulo))}</h2>'
                 f'<div class="anm-divisor-sub">{html.escape(self.rellenar(subtitulo))}</div>'
                 f'{"<ul>" + items + "</ul>" if items else ""}</div>')

    def texto(self, plantilla: str, clase: str = "anm-texto") -> None:
        """Narrative (Markdown) with the month's values filled in."""
        _display(f'<div class="{clase}">{_md(self.rellenar(plantilla))}</div>')

    def tarjetas(self, *items: tuple, clase: str = "") -> None:
        """Large figures with their label under them: items are
        ``(path, label)``, ``(path, label, channel)`` or
        ``(path, label, channel, text if zero)``. A figure with no data reads
        "sin datos"; one that is 0 and has a "text if zero" shows that text."""
        cards = []
        for item in items:
            path, label = item[0], item[1]
            canal = item[2] if len(item) > 2 else ""
            if_zero = item[3] if len(item) > 3 else ""
            value = self.cifras.get(path, fmt.SIN_DATOS)
            missing = " anm-sin-datos" if value == fmt.SIN_DATOS else ""
            if if_zero and self.valor(path) in (0, None):
                value, missing = self.rellenar(if_zero), " anm-sin-datos"
            cards.append(f'<div class="anm-tarjeta anm-{canal}{missing}">'
                         f'<div class="anm-cifra">{html.escape(value)}</div>'
                         f'<div class="anm-etiqueta">{html.escape(self.rellenar(label))}</div></div>')
        _display(f'<div class="anm-tarjetas {clase}">{"".join(cards)}</div>')

    def indicadores(self, *items: tuple) -> None:
        """Figures with a label and a one-line definition: ``(path, label, definition)``."""
        cards = []
        for path, label, definicion in items:
            value = self.cifras.get(path, fmt.SIN_DATOS)
            missing = " anm-sin-datos" if value == fmt.SIN_DATOS else ""
            cards.append(f'<div class="anm-tarjeta anm-indicador{missing}"><div class="anm-cifra">'
                         f'{html.escape(value)}</div><div class="anm-etiqueta">{html.escape(label)}</div>'
                         f'<div class="anm-definicion">{html.escape(self.rellenar(definicion))}</div></div>')
        _display(f'<div class="anm-tarjetas">{"".join(cards)}</div>')

    def aviso_si_vacio(self, path: str, texto: str) -> bool:
        """Say ``texto`` on the slide when the figure at ``path`` is 0 or missing."""
        if self.valor(path) in (0, None):
            self.aviso(texto)
            return True
        return False

    def aviso(self, texto: str) -> None:
        """A plain statement on the slide that something is missing this month."""
        _display(f'<div class="anm-aviso">{html.escape(self.rellenar(texto))}</div>')

    def _figura(self, svg: str, alt: str) -> None:
        _display(f'<figure class="anm-grafico" role="img" aria-label="{html.escape(alt)}">{svg}'
                 f'<figcaption class="anm-alt">{html.escape(alt)}</figcaption></figure>')

    def grafico_barras(self, path: str, canal: str, vacio: str, nombres: dict | None = None) -> None:
        """Horizontal bars of a ``por_*`` figure (e.g. ``presencial.por_punto``),
        or ``vacio`` on the slide when the month has none."""
        self._grafico_por(charts.barras_horizontales, path, canal, vacio, nombres)

    def grafico_columnas(self, path: str, canal: str, vacio: str, nombres: dict | None = None) -> None:
        """Vertical columns of a ``por_*`` figure with few categories (e.g.
        ``virtual.por_medio_entrada``), or ``vacio`` when the month has none."""
        self._grafico_por(charts.columnas, path, canal, vacio, nombres)

    def _grafico_por(self, draw, path: str, canal: str, vacio: str, nombres: dict | None) -> None:
        datos = self.valor(path) or {}
        if not datos or not sum(datos.values()):
            return self.aviso(vacio)
        datos = {(nombres or {}).get(k, k): v for k, v in datos.items()}
        alt = "; ".join(f"{k}: {fmt.numero(v)}" for k, v in datos.items())
        self._figura(draw(datos, charts.COLORES[canal]), alt)

    # --- composite slides ---------------------------------------------------------
    def consolidado(self) -> None:
        """Year to date: per channel its total and each month's figure, the total of
        all channels, and a chart of the months by channel."""
        meses = self.m["acumulado"]["meses"]
        total = self.m["acumulado"]["total"]
        cards = []
        for canal in NOMBRE_CANAL:
            lines = "".join(
                f"<li><span>{fmt.nombre_mes(mes).capitalize()}</span>"
                f"<span>{fmt.numero(v[canal])}</span></li>" for mes, v in meses.items())
            cards.append(f'<div class="anm-tarjeta anm-{canal}"><div class="anm-cifra">{fmt.numero(total[canal])}'
                         f'</div><div class="anm-etiqueta">Canal {NOMBRE_CANAL[canal]}</div>'
                         f'<ul class="anm-meses">{lines}</ul></div>')
        _display(f'<div class="anm-tarjetas anm-consolidado">{"".join(cards)}</div>'
                 f'<div class="anm-total">Total <strong>{fmt.numero(total["total"])}</strong> interacciones</div>')

    def grafico_consolidado(self) -> None:
        """The months of the year to date by channel, as grouped bars; a statement
        instead when no month has any interaction."""
        meses = self.m["acumulado"]["meses"]
        if not any(v for m in meses.values() for v in m.values()):
            return self.aviso("En lo corrido del año no hay interacciones registradas.")
        etiquetas = {m: fmt.nombre_mes(m).capitalize() for m in meses}
        alt = "; ".join(f"{etiquetas[m]}: " + ", ".join(f"{NOMBRE_CANAL[c]} {fmt.numero(v[c])}" for c in NOMBRE_CANAL)
                        for m, v in meses.items())
        self._figura(charts.barras_meses(meses, etiquetas, NOMBRE_CANAL), alt)

    def reparto_puntos(self) -> None:
        """Presencial by type of point (Sede Central / PAR / PAL): counts and shares
        that add up to 100%, as a ring with its legend."""
        counts = self.valor("presencial.por_tipo_punto") or {}
        total = sum(counts.values())
        if not total:
            return self.aviso("Este mes no registra atenciones presenciales.")
        shares = fmt.reparto(list(counts.values()))
        tonos = {"sede_central": "#0B3D6E", "PAR": "#4F7FAF", "PAL": "#A9C3DD"}
        parts = [(NOMBRE_TIPO_PUNTO[k], v, tonos[k]) for k, v in counts.items()]
        legend = "".join(
            f'<li><span class="anm-muestra" style="background:{tonos[k]}"></span>'
            f"<strong>{fmt.numero(v)}</strong> ({s}) {NOMBRE_TIPO_PUNTO[k]}</li>"
            for (k, v), s in zip(counts.items(), shares))
        alt = "; ".join(f"{NOMBRE_TIPO_PUNTO[k]}: {fmt.numero(v)} ({s})" for (k, v), s in zip(counts.items(), shares))
        svg = charts.anillo(parts, fmt.numero(total), "usuarios")
        _display(f'<div class="anm-reparto"><figure class="anm-grafico" role="img" aria-label="{html.escape(alt)}">'
                 f'{svg}</figure><ul class="anm-leyenda">{legend}</ul></div>')

    def analisis(self, pregunta: str, titulo: str, texto: str, linea_canal: str) -> None:
        """One "Análisis de …" slide for a survey question: the consolidated value
        (``texto``), one line per channel (``linea_canal``, which may name
        ``{canal}``, ``{valor}``, ``{califican}``, ``{atendidas}``, ``{tasa}``), the
        average response share, and the analysts' commentary from params.
        Nothing when the month's survey does not have the question."""
        q = (self.m["encuestas"]["preguntas"] or {}).get(pregunta)
        if q is None:
            if pregunta == "claridad":
                return None
            _display(f'<h2>{html.escape(titulo)}</h2>', nueva=True)
            return self.aviso("Este mes no hay respuestas de la encuesta para esta pregunta.")
        base = f"encuestas.preguntas.{pregunta}"
        lines = []
        for canal in NOMBRE_CANAL:
            if canal not in q:
                continue
            lines.append(linea_canal.format(
                canal=NOMBRE_CANAL[canal].lower(), valor=self.cifras[f"{base}.{canal}.valor"],
                califican=self.cifras[f"{base}.{canal}.califican"],
                atendidas=self.cifras[f"interacciones.{canal}"],
                tasa=self.cifras[f"{base}.{canal}.tasa_respuesta"]))
        comentario = (self.params.get("comentarios") or {}).get(pregunta, "")
        body = _md(self.rellenar(texto)) + "<ul>" + "".join(f"<li>{_md(li)}</li>" for li in lines) + "</ul>"
        body += _md(f"Responden la encuesta en promedio el **{self.cifras[f'{base}.tasa_respuesta_promedio']}** "
                    "de los usuarios atendidos.")
        figure = (f'<div class="anm-tarjeta"><div class="anm-cifra">{self.cifras[f"{base}.consolidado"]}</div>'
                  f'<div class="anm-etiqueta">{NOMBRE_PREGUNTA[pregunta]} consolidada</div></div>')
        body = f'<div class="anm-analisis-fila">{figure}<div>{body}</div></div>'
        if comentario:
            body += f'<div class="anm-comentario">{_md(self.rellenar(comentario))}</div>'
        _display(f'<h2>{html.escape(titulo)}</h2><div class="anm-texto anm-analisis">{body}</div>', nueva=True)

    def entregas(self, por_diapositiva: int = 2000) -> None:
        """The month's value deliveries from params, as numbered lists under their
        headings, continued on further slides when a list is long. A slide holds
        about ``por_diapositiva`` characters, counting the lines an item starts
        as whole lines and the space between items."""
        bloques = self.params.get("entregas_valor") or []
        if not bloques:
            _display("<h2>Entregas de valor</h2>", nueva=True)
            return self.aviso("Este mes no tiene entregas de valor registradas en params.")
        for bloque in bloques:
            titulo = html.escape(self.rellenar(bloque["titulo"]))
            items = [self.rellenar(str(i)) for i in bloque["items"]]
            start, page, size = 1, [], 0
            for n, item in enumerate(items, start=1):
                room = -(-len(item) // ENTREGAS_LINEA) * ENTREGAS_LINEA + ENTREGAS_LINEA // 2
                if page and size + room > por_diapositiva:
                    self._entregas_slide(titulo, page, start)
                    start, page, size = n, [], 0
                page.append(item)
                size += room
            self._entregas_slide(titulo, page, start)

    def _entregas_slide(self, titulo: str, items: list[str], start: int) -> None:
        lis = "".join(f"<li>{_md(i)}</li>" for i in items)
        _display(f'<h2>{titulo}</h2><div class="anm-subtitulo">{html.escape(fmt.titulo_mes(self.mes))}</div>'
                 f'<ol class="anm-entregas" start="{start}">{lis}</ol>', nueva=True)

    def calidad_datos(self, max_avisos: int = 6, filas_por_diapositiva: int = 14) -> None:
        """The data-quality slide: the build's warnings (valid but suspicious
        data), the values normalised at read time per file and column, and
        every input file the figures rest on, with its rows and SHA-256; the list of files continues on further slides when it is long
        (a December report rests on some fifty files)."""
        avisos = self.ctx.get("avisos") or []
        # values cleaned at read time (invisible characters, extra spaces): said, not warned
        notas = [f"Texto normalizado: {n}" for n in self.ctx.get("normalizados") or []]
        if avisos or notas:
            items = [(a, "") for a in avisos] + [(n, ' class="anm-nota"') for n in notas]
            shown = "".join(f"<li{cls}>{html.escape(a)}</li>" for a, cls in items[:max_avisos])
            rest = len(items) - max_avisos
            more = f"<li>… y {rest} aviso(s) más en construccion.log</li>" if rest > 0 else ""
            block = f'<ul class="anm-avisos">{shown}{more}</ul>'
            avisos = items
        else:
            block = '<p class="anm-sin-avisos">Sin avisos: los datos no presentan situaciones sospechosas.</p>'
        files = self.ctx.get("archivos") or []
        first = max(3, filas_por_diapositiva - 2 * min(len(avisos), max_avisos + 1))
        chunks = [files[:first]] + [files[i:i + filas_por_diapositiva]
                                    for i in range(first, len(files), filas_por_diapositiva)]
        for n, chunk in enumerate(chunks):
            rows = "".join(
                f"<tr><td>{html.escape(f['archivo'])}</td><td class=\"anm-num\">{fmt.numero(f['filas'])}</td>"
                f"<td class=\"anm-hash\">{f['sha256']}</td></tr>" for f in chunk)
            table = (f'<table class="anm-archivos"><thead><tr><th>Archivo</th><th class="anm-num">Filas</th>'
                     f'<th>SHA-256</th></tr></thead><tbody>{rows}</tbody></table>')
            if n == 0:
                _display(f'<div class="anm-calidad">{block}{table}</div>')
            else:
                _display(f'<h2>Anexo: calidad de los datos ({n + 1}/{len(chunks)})</h2>'
                         f'<div class="anm-calidad">{table}</div>', nueva=True)
