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
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "satisfaccion", "Análisis de la Satisfacción",
    texto="La satisfacción consolidada de {periodo.mes} es del **{encuestas.preguntas.satisfaccion.consolidado}** "
          "({encuestas.medida}).",
    linea_canal="El canal {canal} tiene un **{valor}** de satisfacción de usuario. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "percepcion", "Análisis de la Percepción",
    texto="La percepción consolidada de {periodo.mes} es del **{encuestas.preguntas.percepcion.consolidado}** "
          "({encuestas.medida}): mide cuánto reconocen los usuarios a la ANM como la Autoridad Minera de Colombia "
          "y como una Entidad de carácter técnico que impulsa el sector con transparencia, eficiencia, "
          "responsabilidad ambiental, social y productiva.",
    linea_canal="El canal {canal} tiene un **{valor}** de percepción. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "confianza", "Análisis de la Confianza",
    texto="La confianza consolidada de {periodo.mes} es del **{encuestas.preguntas.confianza.consolidado}** "
          "({encuestas.medida}): mide la confianza y la credibilidad de los usuarios hacia la ANM en los trámites "
          "que adelantan con nosotros.",
    linea_canal="El canal {canal} tiene un **{valor}** de confianza. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)

# %% slideshow={"slide_type": "slide"}
s.analisis(
    "claridad", "Análisis de la Claridad",
    texto="La claridad consolidada de {periodo.mes} es del **{encuestas.preguntas.claridad.consolidado}** "
          "({encuestas.medida}): mide cuán clara consideran los usuarios la información que recibieron de la ANM.",
    linea_canal="El canal {canal} tiene un **{valor}** de claridad. "
                "Califican {califican} personas de {atendidas}, es decir el {tasa}.",
)
