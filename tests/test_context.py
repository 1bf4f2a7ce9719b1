"""Comparisons with the previous month: computed from both months' data, the
sign and the unit in words, "sin mes anterior" when there is none."""
import pytest

from anm_helpers.core import fmt
from anm_helpers.figures.context import build_context, named_values, unidad_cambio


def test_change_words_sign_unit_and_singular():
    assert fmt.cambio(-142, "interacciones", 0) == "una disminución de 142 interacciones"
    assert fmt.cambio(1, "interacciones", 0) == "un aumento de 1 interacción"
    assert fmt.cambio(1.0, "puntos") == "un aumento de 1 punto"
    assert fmt.cambio(-1365, "interacciones", 0) == "una disminución de 1.365 interacciones"
    assert fmt.cambio(0, "llamadas", 0) == "una variación de 0 llamadas"
    assert fmt.cambio(1, "interacciones", 0, forma="verbo") == "aumentó 1 interacción"


@pytest.mark.parametrize("path,unit", [
    ("interacciones.presencial", "interacciones"),
    ("presencial.por_punto.PAR Cali", "interacciones"),
    ("telefonico.entrantes", "llamadas"),
    ("telefonico.contestadas", "llamadas"),
    ("virtual.entrada", "comunicaciones"),
    ("virtual.por_medio_entrada.correo_contacto", "comunicaciones"),
    ("virtual.interacciones", "interacciones"),
    ("encuestas.preguntas.satisfaccion.presencial.califican", "personas"),
])
def test_units_of_counts(path, unit):
    assert unidad_cambio(path) == unit


def metrics(presencial, primer, tasa):
    return {"mes": "x", "interacciones": {"presencial": presencial},
            "presencial": {"primer_contacto": primer, "por_punto": {"PAR Cali": 3}},
            "encuestas": {"metodo": "top2", "tasa_respuesta_promedio": tasa}}


def test_named_changes_on_hand_made_figures():
    now, before = metrics(1000, 0.929, 0.6067), metrics(1142, 0.9186, 0.5267)
    before["presencial"]["por_punto"] = {}  # the point had no interactions the month before
    cifras = named_values("2024-03", now, before, {})
    assert cifras["cambio.interacciones.presencial"] == "una disminución de 142 interacciones"
    assert cifras["cambio.presencial.primer_contacto"] == "un aumento de 1,04 puntos"
    assert cifras["cambio.encuestas.tasa_respuesta_promedio"] == "un aumento de 8 puntos"
    assert cifras["cambio.presencial.por_punto.PAR Cali"] == "un aumento de 3 interacciones"
    assert "cambio.encuestas.metodo" not in cifras


def test_no_previous_month_and_no_data():
    cifras = named_values("2024-01", metrics(600, 0.9183, None), None, {})
    assert cifras["cambio.interacciones.presencial"] == "sin mes anterior"
    assert cifras["cambio.presencial.primer_contacto"] == "sin mes anterior"
    cifras = named_values("2024-02", metrics(600, None, None), metrics(0, None, None), {})
    assert cifras["cambio.interacciones.presencial"] == "un aumento de 600 interacciones"
    assert cifras["cambio.presencial.primer_contacto"] == "sin datos"


def test_march_2024_against_february_from_the_data():
    """The seed's comparisons (response shares) and those of channel volumes
    and first-contact resolution, from the shipped February and March."""
    c = build_context("2024-03")["cifras"]
    assert c["cambio.encuestas.preguntas.percepcion.tasa_respuesta_promedio"] == "un aumento de 8 puntos"
    assert c["cambio.encuestas.preguntas.satisfaccion.presencial.tasa_respuesta"] == "un aumento de 2,01 puntos"
    assert c["cambio.interacciones.presencial"] == "una disminución de 142 interacciones"      # 1.000 vs 1.142
    assert c["cambio.interacciones.telefonico"] == "una disminución de 229 interacciones"      # 570 vs 799
    assert c["cambio.interacciones.virtual"] == "una disminución de 994 interacciones"         # 3.354 vs 4.348
    assert c["cambio.interacciones.total"] == "una disminución de 1.365 interacciones"
    assert c["cambio.presencial.primer_contacto"] == "un aumento de 1,04 puntos"               # 92,9% vs 91,86%
    assert c["cambio.telefonico.primer_contacto"] == "un aumento de 0,98 puntos"               # 61,93% vs 60,95%
    assert c["cambio.encuestas.preguntas.satisfaccion.telefonico.califican"] == "un aumento de 35 personas"


def test_first_month_of_the_data_has_no_previous_month():
    c = build_context("2024-01")["cifras"]
    assert c["cambio.interacciones.total"] == "sin mes anterior"
    assert c["cambio.presencial.primer_contacto"] == "sin mes anterior"
    assert c["cambio.encuestas.preguntas.satisfaccion.tasa_respuesta_promedio"] == "sin mes anterior"
