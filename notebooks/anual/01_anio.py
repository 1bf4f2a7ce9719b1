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
# <!-- Informe anual (make year). Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras del año se nombran entre llaves, p. ej. {total.total} o {periodo.meses_sin_datos}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
anio: str = "2024"  # AAAA: the report's year
contexto: str = ""  # the year's figures (JSON) written by `make year`; empty: computed here from reports/<MES>/metrics.json

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.anual import abrir_anio

s = abrir_anio(anio, contexto)

# %% slideshow={"slide_type": "slide"}
s.portada()

# %% slideshow={"slide_type": "slide"}
s.titulo("El año {periodo.anio} en cifras", "Meses con informe publicado: {periodo.meses_con_datos}")

# %% slideshow={"slide_type": "-"}
s.totales()

# %% slideshow={"slide_type": "-"}
s.meses_sin_datos()

# %% slideshow={"slide_type": "slide"}
s.titulo("Interacciones por mes y canal")

# %% slideshow={"slide_type": "-"}
s.serie_canales()

# %% slideshow={"slide_type": "slide"}
s.titulo("Totales por trimestre")

# %% slideshow={"slide_type": "-"}
s.trimestres()

# %% slideshow={"slide_type": "slide"}
s.titulo("Satisfacción por mes", "Consolidado de cada mes con el método de su encuesta")

# %% slideshow={"slide_type": "-"}
s.satisfaccion()

# %% slideshow={"slide_type": "slide"}
s.titulo("Resolución en primer contacto por mes")

# %% slideshow={"slide_type": "-"}
s.primer_contacto()

# %% slideshow={"slide_type": "slide"}
s.titulo("Llamadas contestadas frente a entrantes por mes")

# %% slideshow={"slide_type": "-"}
s.llamadas()

# %% slideshow={"slide_type": "slide"}
s.titulo("Puntos de atención: interacciones presenciales del año")

# %% slideshow={"slide_type": "-"}
s.ranking_puntos()

# %% slideshow={"slide_type": "slide"}
s.divisor("Gracias", "Agencia Nacional de Minería · Grupo de Atención, Participación Ciudadana y Comunicaciones")
