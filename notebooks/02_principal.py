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
# <!-- Sección: Lo principal del mes. Los puntos salen de las cifras del mes (reglas con nombre, en orden de importancia); en params/<MES>.yaml, puntos_principales puede ocultar una regla, cambiar su texto o limitar cuántos se muestran. Las notas de la diapositiva dicen la regla y las cifras de cada punto. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Lo principal del mes
#
# {principales.lista}

# %% [markdown] slideshow={"slide_type": "notes"}
# {principales.notas}

# %% slideshow={"slide_type": "skip"}
# run on its own (JupyterLab): the points proposed, each with its rule (the build fills the slide above)
s.principales()
