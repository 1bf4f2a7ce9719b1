# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] slideshow={"slide_type": "skip"}
# <!-- Sección: Análisis de la encuesta. Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras se nombran entre llaves, p. ej. {presencial.atendidas}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.seccion import abrir

s = abrir(mes, contexto)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "satisfaccion", "Análisis de la Satisfacción",
    texto="El **{encuestas.preguntas.satisfaccion.consolidado}** de los usuarios que calificaron la encuesta de "
          "satisfacción en {periodo.mes} escogen «muy satisfecho» a la hora de medir la experiencia.",
    linea_canal="El canal {canal} tiene un **{valor}** de satisfacción de usuario. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "percepcion", "Análisis de la Percepción",
    texto="El **{encuestas.preguntas.percepcion.consolidado}** de los usuarios que calificaron la encuesta de "
          "percepción en {periodo.mes} reconocen a la ANM como la Autoridad Minera de Colombia y como una Entidad "
          "de carácter técnico que impulsa el sector con transparencia, eficiencia, responsabilidad ambiental, "
          "social y productiva.",
    linea_canal="El canal {canal} tiene un **{valor}** de percepción. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "confianza", "Análisis de la Confianza",
    texto="El **{encuestas.preguntas.confianza.consolidado}** de los usuarios que calificaron la encuesta "
          "reconocen que sienten confianza y credibilidad hacia la ANM, con respecto a los trámites que "
          "adelantan con nosotros.",
    linea_canal="El canal {canal} tiene un **{valor}** de confianza. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "claridad", "Análisis de la Claridad",
    texto="El **{encuestas.preguntas.claridad.consolidado}** de los usuarios que calificaron la encuesta "
          "consideran clara la información que recibieron de la ANM.",
    linea_canal="El canal {canal} tiene un **{valor}** de claridad. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)
