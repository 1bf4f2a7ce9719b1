"""What a section notebook calls: one helper per slide element.

    from anm_helpers.slides.seccion import abrir
    s = abrir(mes, contexto)
    s.tarjetas(("presencial.atendidas", "Interacciones atendidas", "presencial"))

Narrative names the month's values in braces (``{presencial.atendidas}``); the
helpers fill them in es-CO format. Every helper builds its slide elements as
data (``modelo``: cards with their named values, a chart's categories and
values with its text alternative, narrative, tables) and displays them in one
bundle with their HTML (``elements.render``); every output of the report is
rendered from those elements (``exporters``). A helper that draws whole slides
marks each one so the deck starts a new slide there, and a helper with nothing
to show for the month says so on the slide.
"""
from __future__ import annotations

import json
from pathlib import Path

from anm_helpers.core import fmt, palette
from anm_helpers.slides import alt, charts, elements, model as modelo

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
    in the kernel); when the notebook runs on its own (JupyterLab), the one the
    last build of the month checked, while the data, params and helpers' code are
    still those it was computed from, else computed here from data/ and params/."""
    global _interactivo
    if contexto:
        ctx = json.loads(Path(contexto).read_text(encoding="utf-8"))
    else:
        ctx = _last_build_context(mes)
        if ctx is None:  # the same review as make check: every problem, the same messages
            from anm_helpers.figures.check import checked_context

            ctx = checked_context(mes)
    if ctx["mes"] != mes:
        raise ValueError(f"el contexto es de {ctx['mes']}, no de {mes}")
    _interactivo = not contexto
    if _interactivo:
        _estilo_interactivo()
    return Seccion(ctx)


def _last_build_context(mes: str) -> dict | None:
    """The checked context the last build (or preview) of ``mes`` cached in
    reports/.cache/, under the hash of the data, params and helpers' code it was
    computed from (``core.cache.cached_context``); None when any of them changed since,
    or there is none."""
    from anm_helpers.core.cache import cached_context

    try:
        return cached_context(mes)
    except (OSError, ValueError):  # an unreadable file: computing it from data/ says what is wrong
        return None


#: a notebook run on its own (JupyterLab): its outputs carry the deck's look
_interactivo = False
#: what the deck's slide gives an element and a notebook's output lacks: the slide's width,
#: the dark background of the cover and the dividers
ESTILO_INTERACTIVO = """
.anm-interactivo { width: 1168px; max-width: 100%; padding: 8px 0 16px 0; }
.anm-interactivo .anm-portada, .anm-interactivo .anm-divisor { background: var(--anm-azul); padding: 28px 34px; }
.anm-interactivo .anm-grafico { height: 440px; }
.anm-interactivo .anm-reparto { height: 440px; }
"""


def _estilo_interactivo() -> None:
    """The deck's style sheet (its fonts inlined), once, when a section runs on its
    own: what the analyst sees in JupyterLab is what the reviewer reads. Rules for
    the whole page (html, body) are left out: they would restyle JupyterLab."""
    import re

    from IPython.display import HTML, display

    try:
        css = elements.inline_assets()["deck_css"]
    except Exception:  # no reveal.js installed here: the outputs stay plain
        return
    css = re.sub(r"(?m)^html, body \{[^}]*\}\n?", "", css)
    display(HTML(f"<style>{css}{ESTILO_INTERACTIVO}</style>"))


class Salida(str):
    """The HTML of some slide elements, with the elements it was rendered from."""

    elementos: list[dict]


def _salida(elementos: list[dict]) -> Salida:
    out = Salida(elements.render(elementos))
    out.elementos = elementos
    return out


def _show(*elementos: dict, nueva: bool = False) -> None:
    _display(_salida(list(elementos)), nueva)


def _display(markup: Salida, nueva: bool = False) -> None:
    """One display: the elements (``modelo.MIME``) and their HTML in the same bundle."""
    from IPython.display import display

    html = f'<div class="reveal anm-interactivo">{markup}</div>' if _interactivo else str(markup)
    display({"text/html": html, modelo.MIME: modelo.bundle(markup.elementos)}, raw=True,
            metadata=NUEVA_DIAPOSITIVA if nueva else {})


#: narrative Markdown to sanitised HTML (the deck's renderer)
_md = elements.markdown_html


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
        return fmt.at_path(self.m, path)

    def rellenar(self, plantilla: str) -> str:
        return fmt.rellenar(plantilla, self.cifras)

    # --- slide elements --------------------------------------------------------
    def portada(self) -> None:
        """The cover: agency, group, title and month; «BORRADOR» while the month is
        unfinished (``quality.borrador``: the data-quality annex says why)."""
        _show(modelo.portada("Agencia Nacional de Minería",
                             "Grupo de Atención, Participación Ciudadana y Comunicaciones",
                             "Informe de Servicio y Atención al Usuario", fmt.titulo_mes(self.mes),
                             borrador=bool(self.ctx.get("borrador"))))

    def divisor(self, titulo: str, subtitulo: str = "", puntos: list[str] | None = None) -> None:
        """A section divider slide."""
        _show(modelo.divisor(self.rellenar(titulo), self.rellenar(subtitulo), puntos))

    def titulo(self, plantilla: str, subtitulo: str = "") -> None:
        """A slide's title with the month's values filled in (``## …`` in a markdown
        cell does the same for a fixed title): it starts a new slide, and in
        JupyterLab it shows filled in, as the reviewer reads it."""
        _show(modelo.titulo(self.rellenar(plantilla), self.rellenar(subtitulo)), nueva=True)

    def texto(self, plantilla: str, clase: str = "anm-texto") -> None:
        """Narrative (Markdown) with the month's values filled in."""
        _show(modelo.texto(self.rellenar(plantilla), clase))

    def _tarjeta(self, path: str, label: str, canal: str = "", definicion: str = "") -> dict:
        """The card of the figure at ``path``: "sin datos" when there is none."""
        value = self.cifras.get(path, fmt.SIN_DATOS)
        return modelo.tarjeta(value, label, path, self.valor(path), canal, value == fmt.SIN_DATOS, definicion,
                              color=charts.COLORES.get(canal, ""))

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
            card = self._tarjeta(path, self.rellenar(label), canal)
            if if_zero and self.valor(path) in (0, None):
                card.update(valor=self.rellenar(if_zero), sin_datos=True)
            cards.append(card)
        _show(modelo.tarjetas(cards, clase))

    def indicadores(self, *items: tuple) -> None:
        """Figures with a label and a one-line definition: ``(path, label, definition)``."""
        _show(modelo.tarjetas([self._tarjeta(path, label, definicion=self.rellenar(definicion))
                               for path, label, definicion in items]))

    def aviso_si_vacio(self, path: str, texto: str) -> bool:
        """Say ``texto`` on the slide when the figure at ``path`` is 0 or missing."""
        if self.valor(path) in (0, None):
            self.aviso(texto)
            return True
        return False

    def aviso(self, texto: str) -> None:
        """A plain statement on the slide that something is missing this month."""
        _show(modelo.aviso(self.rellenar(texto)))

    def grafico_barras(self, path: str, canal: str, vacio: str, nombres: dict | None = None,
                       tema: str = "") -> None:
        """Horizontal bars of a ``por_*`` figure (e.g. ``presencial.por_punto``),
        or ``vacio`` on the slide when the month has none. ``tema``: what the
        chart shows, for its text alternative (default: from ``TEMAS``)."""
        self._grafico_por("barras", path, canal, vacio, nombres, tema)

    def grafico_columnas(self, path: str, canal: str, vacio: str, nombres: dict | None = None,
                         tema: str = "") -> None:
        """Vertical columns of a ``por_*`` figure with few categories (e.g.
        ``virtual.por_medio_entrada``), or ``vacio`` when the month has none."""
        self._grafico_por("columnas", path, canal, vacio, nombres, tema)

    def _grafico_por(self, forma: str, path: str, canal: str, vacio: str, nombres: dict | None, tema: str) -> None:
        datos = self.valor(path) or {}
        if not datos or not sum(datos.values()):
            return self.aviso(vacio)
        datos = {(nombres or {}).get(k, k): v for k, v in datos.items()}
        tema = tema or tema_de(path)
        # the text alternative names every category; the chart folds the smallest beyond MAX_BARRAS
        texto_alt = alt.grafico(forma, tema, list(datos), [modelo.serie("", datos.values(), "")])
        if forma == "barras":
            datos = plegar(datos)
            svg = charts.barras_horizontales(datos, charts.COLORES[canal], max_barras=MAX_BARRAS)
        else:
            svg = charts.columnas(datos, charts.COLORES[canal])
        series = [modelo.serie(NOMBRE_SERIE.get(path.split(".")[0], "Interacciones"), datos.values(),
                               charts.COLORES[canal])]
        _show(modelo.grafico(forma, tema, path, list(datos), series, texto_alt, svg, canal=canal))

    # --- composite slides ---------------------------------------------------------
    def consolidado(self) -> None:
        """Year to date: per channel its total and each month's figure, the total of
        all channels, and a chart of the months by channel."""
        meses = self.m["acumulado"]["meses"]
        total = self.m["acumulado"]["total"]
        cards = [modelo.tarjeta(fmt.numero(total[canal]), f"Canal {NOMBRE_CANAL[canal]}", f"acumulado.total.{canal}",
                                total[canal], canal, color=charts.COLORES[canal],
                                meses=[{"mes": fmt.nombre_mes(mes).capitalize(), "valor": fmt.numero(v[canal])}
                                       for mes, v in meses.items()])
                 for canal in NOMBRE_CANAL]
        _show(modelo.tarjetas(cards, "anm-consolidado"),
              modelo.total(fmt.numero(total["total"]), "acumulado.total.total", total["total"]))

    def grafico_consolidado(self) -> None:
        """The months of the year to date by channel, as grouped bars; a statement
        instead when no month has any interaction."""
        meses = self.m["acumulado"]["meses"]
        if not any(v for m in meses.values() for v in m.values()):
            return self.aviso("En lo corrido del año no hay interacciones registradas.")
        etiquetas = {m: fmt.nombre_mes(m).capitalize() for m in meses}
        series = [modelo.serie(NOMBRE_CANAL[c], [v[c] for v in meses.values()], charts.COLORES[c])
                  for c in NOMBRE_CANAL]
        tema = f"interacciones por mes y canal en lo corrido de {self.mes[:4]}"
        texto_alt = alt.grafico("meses", tema, list(etiquetas.values()), series)
        _show(modelo.grafico("meses", tema, "acumulado.meses", list(etiquetas.values()), series, texto_alt,
                             charts.barras_meses(meses, etiquetas, NOMBRE_CANAL), meses=list(meses)))

    def reparto_puntos(self) -> None:
        """Presencial by type of point (Sede Central / PAR / PAL): counts and shares
        that add up to 100%, as a ring with its legend."""
        counts = self.valor("presencial.por_tipo_punto") or {}
        total = sum(counts.values())
        if not total:
            return self.aviso("Este mes no registra atenciones presenciales.")
        shares = fmt.reparto(list(counts.values()))
        nombres = [NOMBRE_TIPO_PUNTO[k] for k in counts]
        colores = [TONOS_TIPO_PUNTO[k] for k in counts]
        series = [modelo.serie("Interacciones", counts.values(), charts.COLORES["presencial"])]
        tema = "interacciones del canal presencial por tipo de punto"
        texto_alt = alt.grafico("anillo", tema, nombres, series, porcentajes=shares, total=total)
        svg = charts.anillo(list(zip(nombres, counts.values(), colores)), fmt.numero(total), "usuarios")
        _show(modelo.grafico("anillo", tema, "presencial.por_tipo_punto", nombres, series, texto_alt, svg,
                             colores=colores, porcentajes=shares,
                             centro={"valor": fmt.numero(total), "texto": "usuarios"}))

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
            _show(modelo.titulo(titulo), nueva=True)
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
        promedio = (f"Responden la encuesta en promedio el **{self.cifras[f'{base}.tasa_respuesta_promedio']}** "
                    "de los usuarios atendidos.")
        card = modelo.tarjeta(self.cifras[f"{base}.consolidado"], f"{NOMBRE_PREGUNTA[pregunta]} consolidada",
                              f"{base}.consolidado", self.valor(f"{base}.consolidado"))
        _show(modelo.titulo(titulo),
              modelo.analisis(card, self.rellenar(texto), lines, promedio,
                              self.rellenar(comentario) if comentario else ""), nueva=True)

    def principales(self) -> None:
        """«Lo principal del mes» as the month's figures propose it (``figures.main_points``:
        ranked, at most six, as params' ``puntos_principales`` leaves them), each with its
        rule: what a section opened on its own shows the analyst. The deck's slide is the
        notebook's Markdown (``{principales.lista}``), filled by the build: an edit of the
        points' settings re-runs no section."""
        puntos = self.m.get("puntos_principales") or []
        _show(modelo.titulo("Lo principal del mes (propuesto)", fmt.titulo_mes(self.mes)),
              modelo.lista([f"{p['texto']} *({p['regla']})*" for p in puntos], 1), nueva=True)

    def entregas(self, por_diapositiva: int = 2000) -> None:
        """The month's value deliveries from params, as numbered lists under their
        headings, continued on further slides when a list is long. A slide holds
        about ``por_diapositiva`` characters, counting the lines an item starts
        as whole lines and the space between items."""
        bloques = self.params.get("entregas_valor") or []
        if not bloques:
            _show(modelo.titulo("Entregas de valor"), nueva=True)
            return self.aviso("Este mes no tiene entregas de valor registradas en params.")
        for bloque in bloques:
            titulo = self.rellenar(bloque["titulo"])
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
        _show(modelo.titulo(titulo, fmt.titulo_mes(self.mes)), modelo.lista(items, start), nueva=True)

    def calidad_datos(self, max_avisos: int = 6, filas_por_diapositiva: int = 14) -> None:
        """The data-quality slide: the build's warnings (valid but suspicious
        data), the values normalised at read time per file and column, and
        every input file the figures rest on, with its rows and SHA-256; the list of files continues on further slides when it is long
        (a December report rests on some fifty files)."""
        avisos = self.ctx.get("avisos") or []
        # values cleaned at read time (invisible characters, extra spaces): said, not warned
        notas = [f"Texto normalizado: {n}" for n in self.ctx.get("normalizados") or []]
        items = [{"texto": a, "nota": False} for a in avisos] + [{"texto": n, "nota": True} for n in notas]
        files = self.ctx.get("archivos") or []
        first = max(3, filas_por_diapositiva - 2 * min(len(items), max_avisos + 1))
        chunks = [files[:first]] + [files[i:i + filas_por_diapositiva]
                                    for i in range(first, len(files), filas_por_diapositiva)]
        columnas = [{"texto": "Archivo", "clase": "", "celda": ""},
                    {"texto": "Filas", "clase": "anm-num", "celda": "anm-num"},
                    {"texto": "SHA-256", "clase": "", "celda": "anm-hash"}]
        for n, chunk in enumerate(chunks):
            parte = f" ({n + 1}/{len(chunks)})" if len(chunks) > 1 else ""
            # a mapping file (fuentes.yaml) has no rows of data: "—"
            table = modelo.tabla(columnas, [[f["archivo"], "—" if f["filas"] is None else fmt.numero(f["filas"]),
                                             f["sha256"]] for f in chunk],
                                 alt.tabla(f"archivos de entrada del informe con sus filas y su SHA-256{parte}",
                                           len(chunk)), "anm-archivos")
            if n == 0:
                _show(modelo.calidad(items[:max_avisos], len(items) - max_avisos,
                                     "Sin avisos: los datos no presentan situaciones sospechosas.", table))
            else:
                _show(modelo.titulo(f"Anexo: calidad de los datos ({n + 1}/{len(chunks)})"),
                      modelo.calidad(None, 0, "", table), nueva=True)


#: the subject of each chart of a ``por_*`` figure, for its text alternative
TEMAS = {
    "presencial.por_punto": "interacciones por punto de atención",
    "presencial.por_tipo": "interacciones del canal presencial por tipo",
    "telefonico.por_tipo": "interacciones del canal telefónico por tipo",
    "virtual.por_medio_entrada": "comunicaciones de entrada por medio",
}
#: what a chart's values count, by the figure's first part
NOMBRE_SERIE = {"virtual": "Comunicaciones"}
#: the ring's tones of the institutional blue, one per type of point
TONOS_TIPO_PUNTO = {tipo: palette.css(color) for tipo, color in palette.OFFICE_KINDS.items()}  # each 3:1 or more on white
#: bars a horizontal chart shows: beyond, the smallest are added up as "Otros"
MAX_BARRAS = 16


def tema_de(path: str) -> str:
    """The subject of the chart of ``path``: from :data:`TEMAS`, else from its name."""
    if path in TEMAS:
        return TEMAS[path]
    parts = path.split(".")
    canal = NOMBRE_CANAL.get(parts[0], parts[0]).lower()
    return f"{NOMBRE_SERIE.get(parts[0], 'Interacciones').lower()} del canal {canal} " \
           f"{parts[-1].replace('_', ' ')}"


def plegar(datos: dict, maximo: int = MAX_BARRAS) -> dict:
    """Beyond ``maximo`` categories, the smallest added up as "Otros" (in the order given)."""
    items = list(datos.items())
    if len(items) <= maximo:
        return dict(datos)
    return dict(items[: maximo - 1] + [("Otros", sum(v for _, v in items[maximo - 1:]))])
