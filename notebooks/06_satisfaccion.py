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
# <!-- Sección: Satisfacción consolidada. Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras se nombran entre llaves, p. ej. {presencial.atendidas}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Índice de satisfacción ANM

# %% slideshow={"slide_type": "-"}
s.indicadores(
    ("encuestas.indice_anm", "Índice de satisfacción de usuario ANM",
     "Sumatoria de personas que califican entre 4 y 5 sobre personas totales que califican las encuestas "
     "(satisfacción, percepción y confianza, todos los canales)."),
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Percepción, Satisfacción y Confianza

# %% slideshow={"slide_type": "-"}
s.indicadores(
    ("encuestas.preguntas.satisfaccion.consolidado", "Satisfacción de usuario",
     "Mide el grado de satisfacción de los usuarios ante los servicios y trámites ofrecidos por la ANM."),
    ("encuestas.preguntas.percepcion.consolidado", "Percepción de usuario",
     "Busca identificar entre los diferentes grupos de interés la percepción que tienen de la imagen de la Entidad."),
    ("encuestas.preguntas.confianza.consolidado", "Confianza",
     "Busca identificar entre los diferentes grupos de interés el grado de confianza de los usuarios en la Entidad."),
)
