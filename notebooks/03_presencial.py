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
# <!-- Sección: Cifras Presencial. Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras se nombran entre llaves, p. ej. {presencial.atendidas}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Cifras Presencial

# %% slideshow={"slide_type": "-"}
if not s.aviso_si_vacio("presencial.atendidas", "Este mes el canal presencial no registra interacciones atendidas."):
    s.tarjetas(
        ("presencial.atendidas", "Interacciones atendidas", "presencial"),
        ("presencial.primer_contacto", "Solución en primer contacto", "presencial"),
    )

# %% slideshow={"slide_type": "-"}
s.tarjetas(
    ("encuestas.preguntas.satisfaccion.presencial.valor", "Satisfacción de usuario", "presencial"),
    ("encuestas.preguntas.percepcion.presencial.valor", "Percepción de usuario", "presencial"),
    ("encuestas.preguntas.confianza.presencial.valor", "Confianza", "presencial"),
    clase="anm-secundarias",
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interacciones por PAR y PAL

# %% slideshow={"slide_type": "-"}
s.grafico_barras("presencial.por_punto", "presencial", vacio="Este mes no registra atenciones presenciales.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Tipos de interacciones: canal presencial

# %% slideshow={"slide_type": "-"}
s.grafico_barras("presencial.por_tipo", "presencial", vacio="Este mes no registra atenciones presenciales.")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Interacciones canal presencial por tipo de punto

# %% slideshow={"slide_type": "-"}
s.reparto_puntos()
