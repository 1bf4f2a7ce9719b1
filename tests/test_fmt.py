"""es-CO formatting and named values."""
import pytest

from anm_helpers.core import fmt
from anm_helpers.core.errors import NombreDesconocido


def test_numbers_and_percentages_es_co():
    assert fmt.numero(4924) == "4.924"
    assert fmt.numero(16468) == "16.468"
    assert fmt.numero(None) == "sin datos"
    assert fmt.porcentaje(0.929) == "92,9%"
    assert fmt.porcentaje(0.9910, 2) == "99,10%"
    assert fmt.porcentaje(1.0, 2) == "100%"      # a whole number shows no decimals
    assert fmt.porcentaje(0.84, 2) == "84%"
    assert fmt.porcentaje(None) == "sin datos"


def test_rounding_is_half_up_everywhere():
    assert fmt.porcentaje(0.00125, 2) == "0,13%"   # half-even would give 0,12%
    assert fmt.porcentaje(0.98945, 2) == "98,95%"
    assert str(fmt.redondear(2.675, 2)) == "2.68"   # as written, not the binary float


def test_change_in_words():
    assert fmt.cambio(7.9966) == "un aumento de 8 puntos"
    assert fmt.cambio(2.0099) == "un aumento de 2,01 puntos"
    assert fmt.cambio(-0.5) == "una disminución de 0,50 puntos"
    assert fmt.cambio(0.001) == "una variación de 0 puntos"
    # the verb form, for "la tasa … frente a febrero"
    assert fmt.cambio(7.9966, forma="verbo") == "aumentó 8 puntos"
    assert fmt.cambio(-0.5, forma="verbo") == "disminuyó 0,50 puntos"
    assert fmt.cambio(0.001, forma="verbo") == "se mantuvo"
    assert fmt.cambio(None) == "sin mes anterior"


def test_shares_of_a_whole_add_up_to_100():
    assert fmt.reparto([287, 312, 47]) == ["44,4%", "48,3%", "7,3%"]
    shares = fmt.reparto([1, 1, 1])
    assert sum(float(s.rstrip("%").replace(",", ".")) for s in shares) == pytest.approx(100)


def test_month_names():
    assert fmt.nombre_mes("2024-03") == "marzo"
    assert fmt.titulo_mes("2026-02") == "Febrero 2026"


def test_named_values_fill_and_unknown_name_is_named():
    assert fmt.rellenar("Total {interacciones.total} ({{literal}})", {"interacciones.total": "4.924"}) == \
        "Total 4.924 ({literal})"
    with pytest.raises(NombreDesconocido, match=r"\{interacciones.totl\}.*interacciones.total"):
        fmt.rellenar("{interacciones.totl}", {"interacciones.total": "4.924"})
