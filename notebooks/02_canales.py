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
# <!-- Sección: Canales y consolidado del año. Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras se nombran entre llaves, p. ej. {presencial.atendidas}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% slideshow={"slide_type": "slide"}
s.titulo("Canales {periodo.mes_titulo}")

# %% slideshow={"slide_type": "-"}
s.tarjetas(
    ("interacciones.telefonico", "Canal Telefónico", "telefonico"),
    ("interacciones.presencial", "Canal Presencial", "presencial"),
    ("interacciones.virtual", "Canal Virtual", "virtual"),
)

# %% slideshow={"slide_type": "-"}
s.texto("Total **{interacciones.total}** interacciones", clase="anm-total")

# %% slideshow={"slide_type": "slide"}
s.titulo("Consolidado {periodo.anio}")

# %% slideshow={"slide_type": "-"}
s.consolidado()

# %% slideshow={"slide_type": "slide"}
s.titulo("Consolidado {periodo.anio}: interacciones por mes y canal")

# %% slideshow={"slide_type": "-"}
s.grafico_consolidado()
