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
# <!-- Sección: Cifras Virtual. Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras se nombran entre llaves, p. ej. {presencial.atendidas}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Cifras Virtual

# %% slideshow={"slide_type": "-"}
if not s.aviso_si_vacio("virtual.interacciones", "Este mes el canal virtual no registra comunicaciones."):
    s.tarjetas(
        ("virtual.interacciones", "Interacciones atendidas", "virtual"),
        ("virtual.entrada", "Comunicaciones de entrada", "virtual", "sin comunicaciones de entrada"),
        ("virtual.salida", "Comunicaciones de salida", "virtual", "sin comunicaciones de salida"),
    )

# %% slideshow={"slide_type": "-"}
s.texto("Interacciones de entrada de {periodo.mes}, por medio:", clase="anm-subtitulo")
s.grafico_columnas("virtual.por_medio_entrada", "virtual", vacio="Este mes no hay comunicaciones de entrada.",
                   nombres={"correo_contacto": "Correo contacto", "radicador_web": "Radicador web",
                            "chat": "Chat", "te_llamamos": "Te llamamos"})
