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
# <!-- Sección: Portada y glosario. Cada diapositiva: un título, la narrativa y una llamada a `s`. Las cifras se nombran entre llaves, p. ej. {presencial.atendidas}. -->

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
mes: str = "2024-03"  # YYYY-MM: the report's month
contexto: str = ""  # build context (JSON) written by `make report`; empty: computed here from data/ and params/

# %% slideshow={"slide_type": "skip"}
from anm_helpers.slides.seccion import abrir

s = abrir(mes, contexto)

# %% slideshow={"slide_type": "slide"}
s.portada()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Glosario

# %% slideshow={"slide_type": "-"}
s.texto("""
- **Canal:** son los medios o mecanismos de comunicación establecidos por la Agencia Nacional de Minería, a través de los cuales los grupos de valor caracterizados por la Entidad pueden solicitar trámites y servicios sobre temas de su competencia.
- **Te llamamos:** permite a los usuarios de la ANM registrar sus datos en la página web para ser contactados de manera telefónica y resolver su requerimiento.
- **Telefónico:** contacto verbal de los ciudadanos con los servidores públicos de la Entidad, a través de los medios telefónicos dispuestos para tal fin. Bogotá: (571) 220 19 99 y línea gratuita nacional: 01 8000 933 833.
- **Chat:** asistente virtual de la Agencia Nacional de Minería que busca resolver dudas y orientar a nuestros usuarios las 24 horas del día, los 7 días de la semana.
- **Presencial:** contacto personalizado de los ciudadanos con los servidores, colaboradores, orientadores y gestores de la Entidad, cuando acceden a las instalaciones físicas de la ANM en los diferentes PAR.
- **Escalamiento:** presentación de la solicitud o requerimiento de un usuario a un área o instancia de mayor jerarquía que pueda tomar acciones para su solución.
""", clase="anm-glosario")

# %% slideshow={"slide_type": "-"}
s.texto("**Comunidades / usuarios** → **Canales de atención:** Presencial · Telefónico · Virtual", clase="anm-nota")
