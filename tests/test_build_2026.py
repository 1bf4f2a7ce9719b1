"""February 2026 (revised survey, top2, the ANM index, virtual channel, point
types), the empty January 2026, and a month with missing pieces: each builds and
says on its slides what it lacks."""
import json

import pytest

from conftest import EXACT, assert_published, slides_markup

PUBLISHED_2026_02 = [
    ("interacciones.presencial", 646, 0, EXACT),
    ("interacciones.telefonico", 434, 0, EXACT),
    ("interacciones.virtual", 5709, 0, EXACT),
    ("interacciones.total", 6789, 0, EXACT),
    ("virtual.entrada", 4127, 0, EXACT),
    ("virtual.salida", 1582, 0, EXACT),
    ("virtual.por_medio_entrada.correo_contacto", 1482, 0, EXACT),
    ("virtual.por_medio_entrada.radicador_web", 2645, 0, EXACT),
    ("presencial.por_tipo_punto.sede_central", 287, 0, EXACT),
    ("presencial.por_tipo_punto.PAR", 312, 0, EXACT),
    ("presencial.por_tipo_punto.PAL", 47, 0, EXACT),
    ("presencial.primer_contacto", 630 / 646, 1e-12, "630 of 646 (REPORT-SPEC), printed 97,5%"),
    ("telefonico.primer_contacto", 0.9263, 0.00005, "printed 92,63% in the value deliveries"),
    ("telefonico.contestadas_sobre_entrantes", 0.88, 0.005, "printed 88%"),
    ("encuestas.preguntas.satisfaccion.presencial.valor", 1.0, 0, "printed 100%"),
    ("encuestas.preguntas.percepcion.presencial.valor", 0.997, 0.0005,
     "printed 99,7% on one slide and 99,9% on another; 286 of 287 = 99,65%"),
    ("encuestas.preguntas.confianza.presencial.valor", 0.983, 0.0005, "printed 98,3% (and 98,2%); 282/287 = 98,26%"),
    ("encuestas.preguntas.satisfaccion.telefonico.valor", 0.853, 0.0005, "printed 85,3%"),
    ("encuestas.preguntas.percepcion.telefonico.valor", 0.865, 0.0005,
     "REPORT-SPEC 86,5% (64 of 74 = 86,49%); the slides print it truncated as 86,4%"),
    ("encuestas.preguntas.confianza.telefonico.valor", 0.84, 1e-12, "63 of 75, printed 84%"),
    ("encuestas.preguntas.satisfaccion.presencial.califican", 287, 0, EXACT),
    ("encuestas.preguntas.satisfaccion.telefonico.califican", 75, 0, EXACT),
    ("encuestas.preguntas.percepcion.telefonico.califican", 74, 0, EXACT),
    ("encuestas.preguntas.confianza.telefonico.califican", 75, 0, EXACT),
    ("encuestas.preguntas.satisfaccion.consolidado", 0.9696, 0.00005, "REPORT-SPEC 96,96%; printed 96,9%"),
    ("encuestas.preguntas.percepcion.consolidado", 0.9695, 0.00005, "REPORT-SPEC 96,95%; printed 96,9%"),
    ("encuestas.preguntas.confianza.consolidado", 0.9530, 0.00005, "REPORT-SPEC 95,30%; printed 95,3%"),
    ("encuestas.indice_anm", 1046 / 1085, 1e-12, "1.046 / 1.085 = 96,41%, exactly as published"),
]




@pytest.fixture(scope="module")
def feb_2026(built_2026_02):
    folder = built_2026_02[0]
    return (json.loads((folder / "metrics.json").read_text(encoding="utf-8")),
            (folder / "informe-2026-02.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path,published,tol,why", PUBLISHED_2026_02, ids=[p[0] for p in PUBLISHED_2026_02])
def test_metrics_match_published_february_2026(feb_2026, path, published, tol, why):
    assert_published(feb_2026[0], path, published, tol, why)


def test_february_2026_method_claridad_and_year_to_date(feb_2026):
    m = feb_2026[0]
    assert m["encuestas"]["metodo"] == "top2"
    assert m["encuestas"]["preguntas"]["claridad"]["presencial"]["califican"] == 287  # the revised survey
    # January 2026 has header-only tables: 0, not "sin datos"
    assert m["acumulado"]["meses"] == {"2026-01": {"presencial": 0, "telefonico": 0, "virtual": 0},
                                       "2026-02": {"presencial": 646, "telefonico": 434, "virtual": 5709}}
    assert m["acumulado"]["total"]["total"] == 6789


def test_february_2026_slides(feb_2026):
    deck = feb_2026[1]
    for shown in ("Cifras Virtual", "4.127", "1.582", "Satisfacción consolidada", "96,41%",
                  "Análisis de la Claridad", "287</strong> (44,4%)", "312</strong> (48,3%)", "47</strong> (7,3%)",
                  "Índice de satisfacción de usuario ANM", "Febrero 2026"):
        assert shown in deck, shown


def test_empty_month_builds_and_says_so(built_2026_01):
    folder, result = built_2026_01
    assert result.returncode == 0, result.stderr
    m = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert m["interacciones"] == {"presencial": 0, "telefonico": 0, "virtual": 0, "total": 0}
    assert m["presencial"]["primer_contacto"] is None
    assert m["telefonico"]["contestadas_sobre_entrantes"] is None
    assert all(v is None for v in m["encuestas"]["preguntas"].values())
    assert m["encuestas"]["indice_anm"] is None
    deck = (folder / "informe-2026-01.html").read_text(encoding="utf-8")
    for said in ("Este mes el canal telefónico no registra interacciones atendidas.",
                 "Este mes el canal presencial no registra interacciones atendidas.",
                 "Este mes el canal virtual no registra comunicaciones.",
                 "Este mes no hay respuestas de la encuesta para esta pregunta.",
                 "En lo corrido del año no hay interacciones registradas."):
        assert said in deck, said
    assert "NaN" not in slides_markup(deck) and "nan%" not in slides_markup(deck)


def test_month_with_missing_pieces_builds_and_says_so(built_missing_pieces):
    """March 2024 with no phone activity, January 2024 absent (sin datos) and
    February 2024 known only from data/historico.csv (conftest._prepare_missing_pieces)."""
    folder, result, _ = built_missing_pieces
    assert result.returncode == 0, result.stderr
    m = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert m["acumulado"]["meses"]["2024-01"] == {"presencial": None, "telefonico": None, "virtual": None}
    assert m["acumulado"]["meses"]["2024-02"] == {"presencial": 1142, "telefonico": 799, "virtual": 4348}
    assert m["acumulado"]["total"] == {"presencial": 2142, "telefonico": 799, "virtual": 7702, "total": 10643}
    assert m["telefonico"]["atendidas"] == 0 and m["telefonico"]["contestadas_sobre_entrantes"] is None
    assert "telefonico" not in m["encuestas"]["preguntas"]["satisfaccion"]
    deck = (folder / "informe-2024-03.html").read_text(encoding="utf-8")
    for said in ("Este mes el canal telefónico no registra interacciones atendidas.",
                 "sin comunicaciones de salida", "sin mes anterior", "<span>sin datos</span>"):
        assert said in deck, said
