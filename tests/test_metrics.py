"""Each figure on small frames whose answer is worked out by hand."""
import pandas as pd
import pytest

from anm_helpers.figures import metrics
from anm_helpers.inputs.dataset import ReportData
from conftest import month

NA = pd.NA


def atenciones(rows):
    return pd.DataFrame(rows, columns=["id", "canal", "punto", "tipo_punto", "tipo", "primer_contacto"])


ATENCIONES = atenciones([
    ("1", "presencial", "PAR Cali", "PAR", "RUCOM", True),
    ("2", "presencial", "PAR Cali", "PAR", "Regalías", False),
    ("3", "presencial", "Sede Central Bogotá", "sede_central", "RUCOM", True),
    ("4", "telefonico", None, None, "RUCOM", True),
    ("5", "telefonico", None, None, "AnnA Minería", False),
])
COMUNICACIONES = pd.DataFrame({"id": list("abcd"), "medio": ["correo_contacto", "radicador_web", "radicador_web", "correo_contacto"],
                               "sentido": ["entrada", "entrada", "entrada", "salida"]})


def test_interacciones_per_channel_count_rows():
    m = month(atenciones=ATENCIONES, comunicaciones=COMUNICACIONES)
    # 3 presencial rows, 2 phone rows, 4 communications (3 in + 1 out)
    assert metrics.interacciones_por_canal(m) == {"presencial": 3, "telefonico": 2, "virtual": 4, "total": 9}


def test_empty_month_counts_zero():
    assert metrics.interacciones_por_canal(month()) == {"presencial": 0, "telefonico": 0, "virtual": 0, "total": 0}


def test_primer_contacto_is_solved_over_attended():
    m = month(atenciones=ATENCIONES)
    assert metrics.primer_contacto(m, "presencial") == pytest.approx(2 / 3)
    assert metrics.primer_contacto(m, "telefonico") == pytest.approx(1 / 2)
    assert metrics.primer_contacto(month(), "presencial") is None


def test_por_punto_tipo_and_tipo_punto():
    m = month(atenciones=ATENCIONES)
    assert metrics.por_punto(m) == {"PAR Cali": 2, "Sede Central Bogotá": 1}
    assert list(metrics.por_punto(m)) == ["PAR Cali", "Sede Central Bogotá"]  # most frequent first
    assert metrics.por_tipo_punto(m) == {"sede_central": 1, "PAR": 2}
    assert metrics.por_tipo(m, "telefonico") == {"AnnA Minería": 1, "RUCOM": 1}


def test_llamadas_answered_over_incoming_sums_days():
    m = month(llamadas=pd.DataFrame({"fecha": ["d1", "d2"], "entrantes": [10, 5], "contestadas": [6, 5]}))
    assert metrics.llamadas(m) == {"entrantes": 15, "contestadas": 11, "contestadas_sobre_entrantes": pytest.approx(11 / 15)}
    assert metrics.llamadas(month())["contestadas_sobre_entrantes"] is None


def test_virtual_in_out_and_by_medium():
    v = metrics.virtual(month(comunicaciones=COMUNICACIONES))
    assert v == {"interacciones": 4, "entrada": 3, "salida": 1,
                 "por_medio_entrada": {"radicador_web": 2, "correo_contacto": 1}}


def test_valor_pregunta_top2_and_promedio():
    scores = pd.Series([5, 4, 3, NA, 1], dtype="Int8")
    # top2: 2 of the 4 answers score 4-5
    assert metrics.valor_pregunta(scores, "top2") == pytest.approx(0.5)
    # promedio: mean of 5,4,3,1 = 3.25; (3.25 - 1) / 4 = 0.5625
    assert metrics.valor_pregunta(scores, "promedio") == pytest.approx(0.5625)
    assert metrics.valor_pregunta(pd.Series([NA, NA], dtype="Int8"), "top2") is None
    assert metrics.califican(scores) == 4


ENCUESTAS = pd.DataFrame({
    "id": list("abcdef"),
    "canal": ["presencial", "presencial", "presencial", "telefonico", "telefonico", "telefonico"],
    "satisfaccion": [5, 5, 4, 5, 2, NA],
    "percepcion": [5, 3, NA, 1, 1, 1],
    "confianza": [4, 4, 4, NA, NA, 5],
})


def test_encuesta_pregunta_channels_pooled_and_shares():
    m = month(atenciones=ATENCIONES, encuestas=ENCUESTAS)
    q = metrics.encuesta_pregunta(m, "satisfaccion", "top2", {"presencial": 3, "telefonico": 2, "virtual": 0})
    # presencial 3 of 3 score 4-5; telefonico 1 of 2; pooled 4 of 5
    assert q["presencial"] == {"valor": 1.0, "califican": 3, "tasa_respuesta": 1.0}
    assert q["telefonico"] == {"valor": 0.5, "califican": 2, "tasa_respuesta": 1.0}
    assert q["consolidado"] == pytest.approx(4 / 5)
    assert "virtual" not in q  # no virtual responses: no entry
    q = metrics.encuesta_pregunta(m, "percepcion", "promedio", {"presencial": 4, "telefonico": 10, "virtual": 0})
    # presencial scores 5,3 -> mean 4 -> 0.75; telefonico 1,1,1 -> 0; pooled mean 11/5=2.2 -> 0.3
    assert q["presencial"]["valor"] == pytest.approx(0.75)
    assert q["telefonico"]["valor"] == pytest.approx(0.0)
    assert q["consolidado"] == pytest.approx(0.3)
    # response shares 2/4 and 3/10; their plain mean 0.4
    assert q["tasa_respuesta_promedio"] == pytest.approx(0.4)


def test_question_absent_or_unanswered_is_none():
    m = month(encuestas=ENCUESTAS)
    assert metrics.encuesta_pregunta(m, "claridad", "top2", {"presencial": 1, "telefonico": 1, "virtual": 1}) is None


def test_indice_anm_pools_questions_and_channels():
    m = month(encuestas=ENCUESTAS)
    # answers: satisfaccion 5 (4 favourable), percepcion 5 (1), confianza 4 (4): 9 of 14
    assert metrics.indice_anm(m) == pytest.approx(9 / 14)
    assert metrics.indice_anm(month()) is None


def test_tasa_respuesta_promedio_is_plain_mean():
    # "Responden la encuesta en promedio el 62%" = mean of 88,7% and 36,1%
    assert metrics.tasa_respuesta_promedio([0.887, 206 / 570]) == pytest.approx((0.887 + 206 / 570) / 2)
    assert metrics.tasa_respuesta_promedio([None, 0.5]) == 0.5
    assert metrics.tasa_respuesta_promedio([]) is None


def _report(mes, actual, anteriores, historico=None):
    return ReportData(mes=mes, actual=actual, anteriores=anteriores, mes_anterior=None,
                      puntos=pd.DataFrame(), historico=historico)


def test_acumulado_sums_months_and_marks_missing_as_none():
    jan = month("2024-01", atenciones=ATENCIONES)
    mar = month("2024-03", comunicaciones=COMUNICACIONES)
    hist = pd.DataFrame({"mes": ["2024-02", "2024-02"], "canal": ["presencial", "virtual"], "interacciones": [7, 100]})
    acc = metrics.acumulado(_report("2024-03", mar, {"2024-01": jan, "2024-02": None}, hist))
    assert acc["meses"]["2024-01"] == {"presencial": 3, "telefonico": 2, "virtual": 0}
    # February only in historico: its channels there count, the missing one is "sin datos"
    assert acc["meses"]["2024-02"] == {"presencial": 7, "telefonico": None, "virtual": 100}
    assert acc["total"] == {"presencial": 10, "telefonico": 2, "virtual": 104, "total": 116}
    acc = metrics.acumulado(_report("2024-03", mar, {"2024-01": None, "2024-02": None}))
    assert acc["meses"]["2024-01"] == {"presencial": None, "telefonico": None, "virtual": None}
    assert list(acc["meses"]) == ["2024-01", "2024-02", "2024-03"]  # no month after the report's


def _as_categories(df: pd.DataFrame, extra: dict) -> pd.DataFrame:
    """The frame as the loader types it: categories as pandas categoricals, each
    with categories no row of this frame has (another channel's topic, a point
    of the catalogue without visits, a medium used only for outgoing mail)."""
    out = df.copy()
    for col, more in extra.items():
        seen = [v for v in out[col].dropna().unique()]
        out[col] = pd.Categorical(out[col], categories=sorted(set(seen) | set(more)))
    return out


def test_categorical_columns_count_only_what_is_there():
    plain = month(atenciones=ATENCIONES, comunicaciones=COMUNICACIONES, encuestas=ENCUESTAS)
    typed = month(atenciones=_as_categories(ATENCIONES, {"canal": ["virtual"], "punto": ["PAL Tunja"],
                                                         "tipo_punto": ["PAL"], "tipo": ["Fiscalización"]}),
                  comunicaciones=_as_categories(COMUNICACIONES, {"medio": ["chat", "te_llamamos"],
                                                                 "sentido": ["otro"]}),
                  encuestas=_as_categories(ENCUESTAS, {"canal": ["virtual"]}))
    assert metrics.month_metrics(typed, "top2") == metrics.month_metrics(plain, "top2")
    # the phone-only topic is not a presencial topic with 0, nor the presencial one a phone topic
    assert "AnnA Minería" not in metrics.por_tipo(typed, "presencial")
    assert "Regalías" not in metrics.por_tipo(typed, "telefonico")
    assert "PAL Tunja" not in metrics.por_punto(typed) and "PAL" not in metrics.por_tipo_punto(typed)
