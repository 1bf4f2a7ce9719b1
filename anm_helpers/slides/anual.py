"""What the year's notebook (``notebooks/anual/``) calls: one helper per slide of the
year deck, built from the year's figures (``figures.year``) with the month's slide
elements (``model``: cards, charts, tables, statements) and chart helpers (``charts``),
so every exporter renders it as it renders a month.

    from anm_helpers.slides.anual import abrir_anio
    s = abrir_anio(anio, contexto)
    s.serie_canales()

A month without a published report is shown as "sin datos", never as 0; survey
figures are split by the month's method (one series per method, never one line across
two methods).
"""
from __future__ import annotations

import json
from pathlib import Path

from anm_helpers.core import fmt
from anm_helpers.slides import alt, charts, model as modelo, seccion
from anm_helpers.slides.seccion import NOMBRE_CANAL, Seccion, _show, plegar

#: the year's channels of first-contact resolution (the virtual channel has none)
CANALES_PRIMER_CONTACTO = ("presencial", "telefonico")
#: a colour per survey method: a method's months are one series of their own
COLOR_METODO = {"promedio": charts.COLORES["presencial"], "top2": charts.COLORES["virtual"]}
NOMBRE_METODO = {"promedio": "promedio de calificaciones", "top2": "proporción de calificaciones 4 y 5"}


def abrir_anio(anio: str, contexto: str = "") -> "Anio":
    """The year's context: from the build's file (``make year``); when the notebook runs
    on its own (JupyterLab), computed here from the months' published metrics.json."""
    if contexto:
        ctx = json.loads(Path(contexto).read_text(encoding="utf-8"))
    else:
        from anm_helpers.figures.year import read_drafts, read_published, year_context

        published = read_published(anio)
        ctx = year_context(anio, published, read_drafts(list(published)))
    if ctx["mes"] != anio:
        raise ValueError(f"el contexto es de {ctx['mes']}, no de {anio}")
    seccion._interactivo = not contexto
    if seccion._interactivo:
        seccion._estilo_interactivo()
    return Anio(ctx)


class Anio(Seccion):
    """The year's slides; ``mes`` is the year (``AAAA``), ``m`` the year's figures."""

    def __init__(self, ctx: dict):
        super().__init__(ctx)
        self.anio = self.mes
        self.meses = list(self.m["meses"])
        self.etiquetas = [fmt.nombre_mes(m).capitalize() for m in self.meses]

    def _nombres(self, meses: list[str]) -> str:
        """``["2024-04", "2024-05"]`` -> ``abril y mayo``."""
        from anm_helpers.figures.year import enumeration

        return enumeration([fmt.nombre_mes(m) for m in meses])

    def portada(self) -> None:
        _show(modelo.portada("Agencia Nacional de Minería",
                             "Grupo de Atención, Participación Ciudadana y Comunicaciones",
                             "Informe anual de Servicio y Atención al Usuario", f"Año {self.anio}",
                             borrador=bool(self.ctx.get("borrador"))))

    def totales(self) -> None:
        """The year's interactions per channel and their total (months with a report)."""
        total = self.m["total"]
        cards = [modelo.tarjeta(fmt.numero(total[c]), f"Canal {NOMBRE_CANAL[c]}", f"total.{c}", total[c], c,
                                total[c] is None, color=charts.COLORES[c]) for c in NOMBRE_CANAL]
        _show(modelo.tarjetas(cards, "anm-consolidado"),
              modelo.total(fmt.numero(total["total"]), "total.total", total["total"]))

    def meses_sin_datos(self) -> None:
        """The months without a published report, named as such (or that there are none)."""
        sin = self.m["meses_sin_datos"]
        if not sin:
            return self.aviso(f"Todos los meses de {self.anio} tienen informe publicado.")
        self.aviso(f"Sin datos: {self._nombres(sin)} (sin informe publicado; el año no los cuenta).")

    def _columnas(self, tema: str, nombre: str, categorias: list[str], series: list[dict],
                  porcentaje: bool = False, vacio: str = "") -> None:
        if not any(v is not None for s in series for v in s["valores"]):
            return self.aviso(vacio or f"No hay datos de {tema} en {self.anio}.")
        formato = (lambda v: fmt.porcentaje(v, 1)) if porcentaje else fmt.numero
        texto_alt = alt.grafico("meses", tema, categorias, series, formato=formato)
        svg = charts.columnas_agrupadas(categorias, [(s["nombre"], s["valores"], s["color"]) for s in series],
                                        porcentaje)
        _show(modelo.grafico("meses", tema, nombre, categorias, series, texto_alt, svg, meses=self.meses,
                             porcentaje=porcentaje))

    def _serie(self, path: str) -> list:
        """One figure of every month (``interacciones.presencial``): None for a month without data."""
        out = []
        for mes in self.meses:
            node = self.m["meses"][mes]
            for part in path.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            out.append(node)
        return out

    def serie_canales(self) -> None:
        """The twelve months by channel, as grouped columns; a month without data reads "sin datos"."""
        series = [modelo.serie(NOMBRE_CANAL[c], self._serie(f"interacciones.{c}"), charts.COLORES[c])
                  for c in NOMBRE_CANAL]
        self._columnas(f"interacciones por mes y canal en {self.anio}", "meses", self.etiquetas, series)

    def trimestres(self) -> None:
        """The quarters' totals per channel as a table; a quarter missing months says which."""
        filas = []
        for nombre, q in self.m["trimestres"].items():
            faltan = q["meses_sin_datos"]
            nota = "completo" if not faltan else ("sin datos" if len(faltan) == len(q["meses"])
                                                  else f"sin datos de {self._nombres(faltan)}")
            filas.append([nombre, *[fmt.numero(q[c]) for c in (*NOMBRE_CANAL, "total")], nota])
        num = {"clase": "anm-num", "celda": "anm-num"}
        columnas = [{"texto": "Trimestre", "clase": "", "celda": ""},
                    *[{"texto": NOMBRE_CANAL[c], **num} for c in NOMBRE_CANAL],
                    {"texto": "Total", **num}, {"texto": "Meses", "clase": "", "celda": ""}]
        _show(modelo.tabla(columnas, filas, alt.tabla(f"interacciones por trimestre y canal en {self.anio}",
                                                      len(filas)), "anm-archivos anm-anual"))

    def satisfaccion(self) -> None:
        """Consolidated satisfaction per month, one series per survey method: two methods
        never share a series (their figures do not compare)."""
        metodos = self.m["metodos_encuesta"]
        valores = self._serie("satisfaccion.consolidado")
        series = []
        for metodo, meses in metodos.items():
            series.append(modelo.serie(f"Método {metodo}", [v if mes in meses else None
                                                            for mes, v in zip(self.meses, valores)],
                                       COLOR_METODO.get(metodo, charts.GRIS)))
        self._columnas(f"satisfacción consolidada por mes y método de la encuesta en {self.anio}",
                       "meses.satisfaccion.consolidado", self.etiquetas, series, porcentaje=True)
        con_valor = {mes for mes, v in zip(self.meses, valores) if v is not None}
        lineas = [f"**{metodo}** ({NOMBRE_METODO.get(metodo, metodo)}): "
                  f"{self._nombres([m for m in meses if m in con_valor])}"
                  for metodo, meses in metodos.items() if any(m in con_valor for m in meses)]
        nota = " · ".join(lineas)
        if len(lineas) > 1:
            nota += ". Los meses de métodos distintos no son comparables entre sí."
        if lineas:
            self.texto(nota, clase="anm-nota")

    def primer_contacto(self) -> None:
        """First-contact resolution per month, presencial and telefónico."""
        series = [modelo.serie(NOMBRE_CANAL[c], self._serie(f"primer_contacto.{c}"), charts.COLORES[c])
                  for c in CANALES_PRIMER_CONTACTO]
        self._columnas(f"resolución en primer contacto por mes y canal en {self.anio}", "meses.primer_contacto",
                       self.etiquetas, series, porcentaje=True)

    def llamadas(self) -> None:
        """Incoming and answered calls per month (counts)."""
        series = [modelo.serie("Entrantes", self._serie("llamadas.entrantes"), charts.GRIS),
                  modelo.serie("Contestadas", self._serie("llamadas.contestadas"), charts.COLORES["telefonico"])]
        self._columnas(f"llamadas entrantes y contestadas por mes en {self.anio}", "meses.llamadas",
                       self.etiquetas, series)

    def ranking_puntos(self) -> None:
        """The points of attention by presencial interactions over the year, largest first."""
        ranking = {r["punto"]: r["interacciones"] for r in self.m["ranking_puntos"]}
        if not ranking:
            return self.aviso(f"En {self.anio} no hay atenciones presenciales registradas.")
        tema = f"interacciones presenciales por punto de atención en {self.anio}"
        texto_alt = alt.grafico("barras", tema, list(ranking), [modelo.serie("", ranking.values(), "")])
        datos = plegar(ranking)
        svg = charts.barras_horizontales(datos, charts.COLORES["presencial"])
        _show(modelo.grafico("barras", tema, "ranking_puntos", list(datos),
                             [modelo.serie("Interacciones", datos.values(), charts.COLORES["presencial"])],
                             texto_alt, svg, canal="presencial"))
