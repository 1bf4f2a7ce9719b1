"""«Lo principal del mes» (issue 26): each rule on synthetic months, a corpus of sentences
the rules write over many synthetic months (agreement, numbers, figures), the settings
analysts write in params, and the shipped months' slide, metrics.json and open data."""
from __future__ import annotations

import copy
import csv
import io
import json
import random
import re
from decimal import ROUND_HALF_UP, Decimal



from anm_helpers.core import fmt
from anm_helpers.core import language as es
from anm_helpers.figures import main_points as P

MES = "2024-03"
CANALES = ("presencial", "telefonico", "virtual")


def metricas(mes=MES, series=None, now=None, **extra) -> dict:
    """A month's metrics.json as the rules read it: the year's series per channel, this
    month's interactions, and whatever else a test adds (dotted keys)."""
    series = {"2024-01": (600, 700, 3000), "2024-02": (620, 720, 3100)} if series is None else series
    now = now or (630, 710, 3050)
    meses = {m: dict(zip(CANALES, v)) for m, v in series.items()}
    meses[mes] = dict(zip(CANALES, now))
    out = {"mes": mes, "interacciones": {**dict(zip(CANALES, now)), "total": sum(now)},
           "acumulado": {"meses": meses}, "encuestas": {"metodo": "promedio", "preguntas": {}}}
    for path, value in extra.items():
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def get(tree, path):
    node = tree
    for part in path.split("."):
        node = node[part]
    return node


def datos(m, anterior=None, analistas=None, faltantes=()):
    return P.MonthFacts(m["mes"], m, anterior, analistas or {}, tuple(faltantes))


def survey(consolidado: float, califican: int, metodo="promedio") -> dict:
    return {"metodo": metodo, "preguntas": {"satisfaccion": {
        "presencial": {"valor": consolidado, "califican": califican}, "consolidado": consolidado}}}


# --- each rule -------------------------------------------------------------------------------

def test_a_change_beyond_the_usual_movement_is_said_and_a_usual_one_is_not():
    calm = datos(metricas(now=(640, 700, 3120)))  # within ~3% of February: the series moves ~3% a month
    assert [p for p in P.cambio_canal(calm) if p.rule == "cambio_canal"] == []
    drop = datos(metricas(now=(630, 500, 3050)))
    [point] = [p for p in P.cambio_canal(drop) if "telefónico" in p.text]
    assert point.text == "Las interacciones del canal telefónico disminuyeron 30,6% frente a febrero (de 720 a 500)."
    assert point.figures == {"acumulado.meses.2024-02.telefonico": 720, "interacciones.telefonico": 500}


def test_the_threshold_follows_the_series_not_a_fixed_percentage():
    jumpy = {"2024-01": (600, 700, 3000), "2024-02": (900, 700, 3000)}  # the in-person channel moves 50%
    assert not [p for p in P.cambio_canal(datos(metricas(series=jumpy, now=(700, 700, 3000))))
                if "presencial" in p.text]
    calm = {"2024-01": (600, 700, 3000), "2024-02": (610, 700, 3000)}
    assert [p for p in P.cambio_canal(datos(metricas(series=calm, now=(700, 700, 3000)))) if "presencial" in p.text]


def test_the_total_is_compared_with_the_sum_of_the_channels_it_comes_from():
    m = metricas(now=(630, 300, 1500))
    [total] = [p for p in P.cambio_canal(datos(m)) if "interacciones.total" in p.figures]
    before = sum(v for k, v in total.figures.items() if k.startswith("acumulado.meses.2024-02."))
    assert f"(de {fmt.numero(before)} a {fmt.numero(2430)})" in total.text


def test_a_record_says_since_when_and_agrees_with_its_subject():
    m = metricas(series={"2024-01": (600, 700, 3000), "2024-02": (620, 720, 3100)}, now=(900, 710, 3050))
    [point] = P.record(datos(m))
    assert point.text == "Las interacciones del canal presencial (900) fueron las más altas desde enero de 2024."
    low = P.record(datos(metricas(now=(500, 710, 3050))))
    assert low[0].text.endswith("fueron las más bajas desde enero de 2024.")
    assert P.record(datos(metricas(series={"2024-02": (620, 720, 3100)}, now=(900, 710, 3050)))) == []  # 2 months


def test_a_target_met_or_missed():
    m = metricas(**{"telefonico.contestadas_sobre_entrantes": 0.59})
    [missed] = P.meta(datos(m, analistas={"meta_nivel_servicio": 0.8}))
    assert missed.text == "La proporción de llamadas contestadas (59%) quedó por debajo de la meta de 80%."
    assert missed.figures == {"telefonico.contestadas_sobre_entrantes": 0.59, "analistas.meta_nivel_servicio": 0.8}
    [met] = P.meta(datos(metricas(**{"telefonico.contestadas_sobre_entrantes": 0.85}),
                         analistas={"meta_nivel_servicio": 0.8}))
    assert "superó la meta de 80%" in met.text and met.weight < missed.weight
    assert P.meta(datos(m)) == []  # no target declared: no claim


def test_an_office_far_from_the_others_and_never_the_head_office():
    counts = {"Sede Central Bogotá": 900, "PAR Cali": 40, "PAR Pasto": 42, "PAR Ibagué": 38, "PAR Nobsa": 41,
              "PAL Ubaté": 39, "PAR Medellín": 160}
    [point] = P.punto_atipico(datos(metricas(**{"presencial.por_punto": counts})))
    assert point.text.startswith("El PAR Medellín (160) quedó ") and "por encima del promedio de los demás puntos (40)" \
        in point.text
    assert "presencial.por_punto.Sede Central Bogotá" not in point.figures


def test_survey_changes_never_across_methods_nor_on_small_bases():
    now = metricas(encuestas=survey(0.95, 120))
    before = {"mes": "2024-02", "interacciones": {"total": 10}, "encuestas": survey(0.90, 110)}
    [point] = P.encuestas(datos(now, before))
    assert point.text == "La satisfacción aumentó 5 puntos porcentuales frente a febrero (de 90% a 95%)."
    other = copy.deepcopy(before)
    other["encuestas"]["metodo"] = "top2"
    [method] = P.encuestas(datos(now, other))
    assert method.text == ("Las encuestas no se comparan con febrero: cambió el método de medición "
                            "(top2 → promedio).")
    small = {"mes": "2024-02", "interacciones": {"total": 10}, "encuestas": survey(0.90, 29)}
    assert P.encuestas(datos(now, small)) == []


def test_a_missing_comparison_month_is_named_never_replaced():
    m = metricas(mes="2024-01", series={})
    [point] = P.mes_faltante(datos(m))
    assert point.text == "No hay datos de diciembre de 2023 para comparar." and point.figures == {}
    assert not P.cambio_canal(datos(m))


def test_an_unfinished_month_gets_no_claim_on_the_tables_it_lacks():
    m = metricas(now=(630, 300, 1500), **{"telefonico.contestadas_sobre_entrantes": 0.5})
    claims = P.propose(datos(m, analistas={"meta_nivel_servicio": 0.8}, faltantes=("atenciones", "llamadas")))
    assert not any("presencial" in p.text or "telefónico" in p.text or "llamadas" in p.text for p in claims)
    assert any("virtual" in p.text for p in claims)


def test_nothing_notable_in_one_sentence_and_at_most_six_points():
    calm = datos(metricas(now=(610, 710, 3050)))
    assert [p.text for p in P.select(calm)] == ["En marzo no hubo cambios notables frente a febrero."]
    busy = datos(metricas(now=(1500, 200, 9000), **{"presencial.por_punto": {
        "PAR A": 10, "PAR B": 11, "PAR C": 9, "PAR D": 10, "PAR E": 80}}))
    assert len(P.select(busy)) <= P.MAX_POINTS
    assert len(P.select(busy, {"maximo": 2})) == 2


def test_the_analysts_hide_a_rule_and_replace_its_wording():
    busy = datos(metricas(now=(1500, 200, 9000)))
    assert not [p for p in P.select(busy, {"ocultar": ["cambio_canal"]}) if p.rule == "cambio_canal"]
    replaced = P.select(busy, {"textos": {"record": "Nuevo récord en {periodo.mes}."}},
                             lambda t: t.replace("{periodo.mes}", "marzo"))
    assert "Nuevo récord en marzo." in [p.text for p in replaced if p.rule == "record"]


# --- the corpus: the rules over many synthetic months ------------------------------------------

_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?%?(?!\d)")
_SINGULAR_VERBS = {sg for sg, _ in es.PAST.values()}
_PLURAL_VERBS = {pl for _, pl in es.PAST.values()}


def _shown(value) -> set[str]:
    """How a figure may appear in a sentence: as a count, a share with 0–2 decimals."""
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int):
        return {fmt.numero(value)}
    return {fmt.porcentaje(value, d) for d in (0, 1, 2)} | {fmt.porcentaje(value, d).rstrip("%") for d in (0, 1, 2)}


def _derivable(point: P.Point) -> set[str]:
    """Every number the sentence may hold: its figures, their sums, differences (in counts or
    points) and relative changes, the mean of the others (outliers), as the deck rounds."""
    values = [v for v in point.figures.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    out = set()
    for v in values:
        out |= _shown(v)
    ints = [v for v in values if isinstance(v, int)]
    for subset_sum in {sum(ints[:k]) for k in range(len(ints) + 1)} | {sum(ints[:-1])} | set(ints):
        out |= _shown(subset_sum)
    candidates = set(values) | {sum(ints[:-1])} if ints else set(values)
    for a in candidates:
        for b in candidates:
            if a and isinstance(a, (int, float)):
                rel = abs(Decimal(repr(float(b))) - Decimal(repr(float(a)))) / Decimal(repr(float(a))) * 100
                out.add(fmt._decimal(rel.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1) + "%")
            if isinstance(a, float) and isinstance(b, float):
                for d in (0, 1, 2):
                    diff = abs(fmt.redondear(a * 100, d) - fmt.redondear(b * 100, d))
                    out.add(fmt._decimal(diff, d))
    if ints and len(ints) > 2:  # an outlier: the mean of the others
        for i, v in enumerate(ints):
            rest = ints[:i] + ints[i + 1:]
            mean = sum(rest) / len(rest)
            out.add(fmt.numero(int(fmt.redondear(mean, 0))))
            shown_mean = fmt.redondear(mean, 0)
            if shown_mean:
                rel = abs(Decimal(v) - shown_mean) / shown_mean * 100
                out.add(fmt._decimal(rel.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1) + "%")
    return out


def _synthetic_months(n: int):
    rng = random.Random(20240301)
    for i in range(n):
        year = rng.choice((2024, 2025, 2026))
        month = rng.randint(1, 12)
        mes = f"{year}-{month:02d}"
        series = {}
        for m in range(1, month):
            series[f"{year}-{m:02d}"] = tuple(rng.randint(50, 5000) for _ in CANALES)
        now = tuple(rng.randint(0, 6000) for _ in CANALES)
        extra = {"telefonico.contestadas_sobre_entrantes": rng.random(),
                 "presencial.primer_contacto": rng.random(),
                 "presencial.por_punto": {f"PAR P{k}": rng.randint(5, 80) for k in range(8)} |
                 ({"PAL Lejos": rng.randint(150, 400)} if rng.random() < 0.5 else {}),
                 "presencial.por_tipo": {f"Tema {k}": rng.randint(5, 80) for k in range(6)},
                 "encuestas": survey(rng.random(), rng.choice((10, 40, 200)), rng.choice(("top2", "promedio")))}
        m = metricas(mes, series, now, **extra)
        anterior = None
        if rng.random() < 0.8:
            anterior = {"mes": es.month_before(mes),
                        "interacciones": dict(zip((*CANALES, "total"), (*series.get(es.month_before(mes), now),
                                                                        rng.randint(1, 9000)))),
                        "encuestas": survey(rng.random(), rng.choice((10, 40, 200)), rng.choice(("top2", "promedio")))}
        analistas = {"meta_nivel_servicio": rng.choice((0.8, 0.9)), "meta_primer_contacto": 0.85} if i % 2 else {}
        faltantes = rng.choice(((), (), ("encuestas",), ("atenciones",)))
        yield P.MonthFacts(mes, m, anterior, analistas, faltantes)


def test_a_corpus_of_generated_points_has_no_agreement_error_and_no_number_without_its_figure():
    sentences = 0
    for d in _synthetic_months(160):
        points = P.select(d)
        assert points == P.select(copy.deepcopy(d))  # the same data, the same sentences
        assert 1 <= len(points) <= P.MAX_POINTS
        for p in points:
            sentences += 1
            t = p.text
            assert t[0].isupper() and t.endswith(".") and not t.endswith("..") and "  " not in t, t
            assert not re.search(r"\bde el\b|\ba el\b|None|nan|sin datos", t), t
            for path in p.figures:  # every figure is a key path of the month's metrics.json (or the month before's)
                tree = d.previous if path.startswith("mes_anterior.") else d.figures
                key = path.removeprefix("mes_anterior.")
                if not path.startswith("analistas."):
                    assert get(tree, key) == p.figures[path], (path, t)
            allowed = _derivable(p) | {str(d.month[:4]), str(int(d.month[:4]) - 1)}
            for number in _NUMBER.findall(re.sub(r"«[^»]*»", "", t)):  # a topic's name may hold digits
                assert number in allowed or number.rstrip("%") in allowed, (number, t, p.figures)
            words = set(re.findall(r"\w+(?:\s\w+)?", t))
            subject_plural = t.split(" (")[0].split(" ")[0].lower() in ("las", "los")
            used = {v for v in _SINGULAR_VERBS | _PLURAL_VERBS if re.search(rf"\b{re.escape(v)}\b", t)}
            if p.rule in ("cambio_canal", "record", "meta", "punto_atipico", "tema_atipico", "encuestas"):
                head = t.split(" ")[0].lower()
                if head in ("las", "los"):
                    assert used <= _PLURAL_VERBS | {"se compara"}, (used, t)
                elif head in ("la", "el"):
                    assert used <= _SINGULAR_VERBS, (used, t)
            assert words and subject_plural in (True, False)
    assert sentences >= 300


# --- the shipped months, as the build wrote them ------------------------------------------------

def test_the_shipped_month_has_the_slide_the_figures_and_the_open_data(built_2024_03):
    folder, _ = built_2024_03
    m = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    points = m["puntos_principales"]
    assert 1 <= len(points) <= P.MAX_POINTS and all(set(p) == {"texto", "regla", "cifras"} for p in points)
    for p in points:
        assert p["regla"] in P.RULE_NAMES
        for path, value in p["cifras"].items():
            if not path.startswith("analistas."):
                assert get(m, path) == value, path
    deck = (folder / f"informe-{MES}.html").read_text(encoding="utf-8")
    slide = deck[deck.index("Lo principal del mes"):]
    for p in points:
        assert p["texto"] in slide[:6000]
    assert deck.index("Lo principal del mes") < deck.index("Cifras Presencial")
    rows = list(csv.DictReader(io.StringIO((folder / "datos-abiertos" / f"puntos-principales-{MES}.csv")
                                           .read_text(encoding="utf-8"))))
    assert [r["texto"] for r in rows] == [p["texto"] for p in points]
    assert [json.loads(r["cifras"]) for r in rows] == [p["cifras"] for p in points]


def test_the_same_month_built_twice_gives_the_same_points(built_2024_03):
    from anm_helpers.figures.context import build_context

    m = json.loads((built_2024_03[0] / "metrics.json").read_text(encoding="utf-8"))
    assert build_context(MES)["metricas"]["puntos_principales"] == m["puntos_principales"]


def test_make_check_refuses_an_unknown_rule_with_its_line_and_the_closest(tmp_path, monkeypatch, capfd):
    import shutil

    from anm_helpers.core import config
    from anm_helpers.figures import check

    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / f"{MES}.yaml"
    text = path.read_text(encoding="utf-8") + ("\npuntos_principales:\n  ocultar: [recrod]\n  maximo: 9\n"
                                               "  textos:\n    meta: \"Se atendieron 1.234 personas.\"\n")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "PARAMS_DIR", params)
    capfd.readouterr()
    assert check.main(["--", MES]) == 1
    err = capfd.readouterr().err
    line = text.splitlines().index("  ocultar: [recrod]") + 1
    assert f"params/{MES}.yaml, línea {line} (puntos_principales › ocultar › recrod): «recrod» no es una regla" in err
    assert "¿Quiso decir «record»" in err and "debe ser un número entero de 1 a 6" in err
    assert '"1.234"' in err and "puntos_principales › textos › meta" in err  # a typed figure, as any narrative


def test_the_same_month_a_year_earlier_when_its_data_exist(data_dir):
    """March 2023 in data/historico.csv (the months without a folder): March 2024 is
    compared with it, from the figures the build computes (metrics.json's anio_anterior)."""
    from anm_helpers.figures.context import build_context

    (data_dir / "historico.csv").write_text("mes,canal,interacciones\n2023-03,presencial,990\n"
                                            "2023-03,telefonico,580\n2023-03,virtual,1200\n", encoding="utf-8")
    m = build_context(MES)["metricas"]
    assert m["anio_anterior"] == {"mes": "2023-03", "interacciones": {"presencial": 990, "telefonico": 580,
                                                                      "virtual": 1200, "total": 2770}}
    [virtual] = [p for p in m["puntos_principales"] if p["regla"] == "mismo_mes_anio_anterior"
                 and "virtual" in p["texto"]]
    assert virtual["texto"] == "Las interacciones del canal virtual aumentaron 179,5% frente a marzo de 2023 (de 1.200 a 3.354)."
    assert virtual["cifras"] == {"anio_anterior.interacciones.virtual": 1200, "interacciones.virtual": 3354}
    assert not [p for p in m["puntos_principales"] if p["regla"] == "mismo_mes_anio_anterior"
                and "presencial" in p["texto"]]  # 1.000 against 990: within the usual movement
