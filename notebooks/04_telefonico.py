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
# <!-- Sección: Cifras Telefónico. Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras se nombran entre llaves, p. ej. {presencial.atendidas}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Cifras Telefónico

# %% slideshow={"slide_type": "-"}
if not s.aviso_si_vacio("telefonico.atendidas", "Este mes el canal telefónico no registra interacciones atendidas."):
    s.tarjetas(
        ("telefonico.atendidas", "Interacciones atendidas", "telefonico"),
        ("telefonico.primer_contacto", "Solución en primer contacto", "telefonico"),
        ("telefonico.contestadas_sobre_entrantes", "Llamadas contestadas vs. entrantes", "telefonico"),
    )

# %% slideshow={"slide_type": "-"}
s.tarjetas(
    ("encuestas.preguntas.satisfaccion.telefonico.valor", "Satisfacción de usuario", "telefonico"),
    ("encuestas.preguntas.percepcion.telefonico.valor", "Percepción de usuario", "telefonico"),
    ("encuestas.preguntas.confianza.telefonico.valor", "Confianza", "telefonico"),
    clase="anm-secundarias",
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Tipos de interacciones: canal telefónico

# %% slideshow={"slide_type": "-"}
s.grafico_barras("telefonico.por_tipo", "telefonico", vacio="Este mes el canal telefónico no registra interacciones.")
