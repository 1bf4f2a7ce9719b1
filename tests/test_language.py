"""The sentence realiser of "Lo principal del mes" (core/language.py): agreement,
contractions, es-CO numbers, determinism, and a generated corpus of sentences that
are checked automatically (form, numbers, agreement)."""
from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from anm_helpers.core import fmt
from anm_helpers.core import language as lg
from anm_helpers.core.language import LEXICON as L
from anm_helpers.core.language import Noun

FORMS = (("m", "sg"), ("f", "sg"), ("m", "pl"), ("f", "pl"))

#: every verb a sentence conjugates: infinitive -> (singular, plural), written out here,
#: not read from the module, so the module's table is checked against Spanish
VERBS = {
    "aumentar": ("aumentó", "aumentaron"),
    "disminuir": ("disminuyó", "disminuyeron"),
    "mantenerse": ("se mantuvo", "se mantuvieron"),
    "alcanzar": ("alcanzó", "alcanzaron"),
    "superar": ("superó", "superaron"),
    "quedar": ("quedó", "quedaron"),
    "registrar": ("registró", "registraron"),
    "ser": ("fue", "fueron"),
    "cumplir": ("cumplió", "cumplieron"),
    "calcularse": ("se calculó", "se calcularon"),
}
PRESENT_VERBS = {"compararse": ("se compara", "se comparan")}

#: adjective -> its forms in FORMS' order (m sg, f sg, m pl, f pl)
ADJECTIVES = {
    "alto": ("alto", "alta", "altos", "altas"),
    "bajo": ("bajo", "baja", "bajos", "bajas"),
    "alcanzado": ("alcanzado", "alcanzada", "alcanzados", "alcanzadas"),
    "registrado": ("registrado", "registrada", "registrados", "registradas"),
    "atípico": ("atípico", "atípica", "atípicos", "atípicas"),
    "notable": ("notable", "notable", "notables", "notables"),
    "presencial": ("presencial", "presencial", "presenciales", "presenciales"),
    "mayor": ("mayor", "mayor", "mayores", "mayores"),
    "común": ("común", "común", "comunes", "comunes"),
    "feliz": ("feliz", "feliz", "felices", "felices"),
}


# ---------------------------------------------------------------- agreement


@pytest.mark.parametrize("infinitive", VERBS)
def test_verbs_agree_with_their_subject(infinitive):
    singular, plural = VERBS[infinitive]
    got = [Noun("x", g, n).verb(infinitive) for g, n in FORMS]
    assert got == [singular, singular, plural, plural]


def test_present_verbs_agree():
    got = [Noun("x", g, n).verb("compararse", "present") for g, n in FORMS]
    assert got == ["se compara", "se compara", "se comparan", "se comparan"]


def test_the_module_conjugates_no_verb_this_table_does_not_check():
    assert set(lg.PAST) == set(VERBS)


@pytest.mark.parametrize("adjective", ADJECTIVES)
def test_adjectives_agree_in_gender_and_number(adjective):
    assert tuple(Noun("x", g, n).agree(adjective) for g, n in FORMS) == ADJECTIVES[adjective]


def test_superlatives_carry_their_article():
    assert [Noun("x", g, n).superlative("alto") for g, n in FORMS] == [
        "el más alto", "la más alta", "los más altos", "las más altas"]
    assert [Noun("x", g, n).superlative("bajo") for g, n in FORMS] == [
        "el más bajo", "la más baja", "los más bajos", "las más bajas"]


def test_articles_and_the_lexicon():
    assert [Noun("x", g, n).article for g, n in FORMS] == ["el", "la", "los", "las"]
    assert L["canal_telefonico"].definite() == "el canal telefónico"
    assert L["interacciones"].definite() == "las interacciones"
    assert L["atenciones_presenciales"].definite() == "las atenciones presenciales"
    assert L["primer_contacto"].definite() == "la solución en primer contacto"
    assert L["indice_anm"].definite() == "el índice ANM"
    assert L["contestadas_sobre_entrantes"].definite() == "la proporción de llamadas contestadas"
    assert L["comunicaciones_entrada"].definite() == "las comunicaciones de entrada"
    assert L["sede_central"].definite() == "la sede central"
    assert L["PAR"].definite() == "los PAR"
    assert lg.office("PAR Cali").definite() == "el PAR Cali"
    assert lg.office("PAL  Ubaté ").definite() == "el PAL Ubaté"  # the name cleaned
    assert lg.office("Sede Central Bogotá").definite() == "la Sede Central Bogotá"
    assert lg.topic("RUCOM").definite() == "el tema «RUCOM»"
    assert set(lg.CHANNELS) == {"presencial", "telefonico", "virtual"}
    assert lg.QUESTIONS["satisfaccion"].definite() == "la satisfacción"


def test_a_complement_keeps_the_head_nouns_gender_and_number():
    noun = L["interacciones"].of(L["canal_telefonico"])
    assert (noun.definite(), noun.gender, noun.number) == ("las interacciones del canal telefónico", "f", "pl")
    noun = L["indice_anm"].of(L["sede_central"])
    assert (noun.definite(), noun.plural) == ("el índice ANM de la sede central", False)
    assert L["satisfaccion"].joined("en", L["canal_presencial"]).definite() == "la satisfacción en el canal presencial"


# ---------------------------------------------------------------- contractions


def test_de_and_a_contract_with_el_only():
    assert L["canal_telefonico"].after("de") == "del canal telefónico"
    assert L["canal_telefonico"].after("a") == "al canal telefónico"
    assert L["sede_central"].after("de") == "de la sede central"
    assert L["sede_central"].after("a") == "a la sede central"
    assert L["PAR"].after("de") == "de los PAR"
    assert L["PAR"].after("a") == "a los PAR"
    assert L["llamadas_contestadas"].after("de") == "de las llamadas contestadas"
    assert L["llamadas_contestadas"].after("a") == "a las llamadas contestadas"
    assert L["canal_virtual"].after("en") == "en el canal virtual"  # only de and a contract
    assert L["canal_virtual"].after("con") == "con el canal virtual"


@pytest.mark.parametrize("key", L)
def test_every_lexicon_noun_contracts_as_spanish_does(key):
    noun = L[key]
    for preposition, contracted in (("de", "del"), ("a", "al")):
        phrase = noun.after(preposition)
        if noun.article == "el":
            assert phrase == f"{contracted} {noun.text}"
        else:
            assert phrase == f"{preposition} {noun.article} {noun.text}"
        assert not re.search(r"\b(de|a) el\b", phrase)


# ---------------------------------------------------------------- numbers


def test_numbers_as_the_deck_writes_them():
    assert lg.same_month_last_year(L["interacciones"], 4100, 4924, "2024-03") == (
        "Las interacciones aumentaron 20,1% frente a marzo de 2023 (de 4.100 a 4.924).")
    assert lg.change(L["atenciones_presenciales"], 1000, 713, "2024-02") == (
        "Las atenciones presenciales disminuyeron 28,7% frente a febrero (de 1.000 a 713).")
    assert lg.change(L["primer_contacto"], 0.906, 0.929, "2024-02") == (
        "La solución en primer contacto aumentó 2,3 puntos porcentuales frente a febrero (de 90,6% a 92,9%).")
    assert lg.change(L["tasa_respuesta"], 0.92, 0.93, "2024-02") == (
        "La tasa de respuesta aumentó 1 punto porcentual frente a febrero (de 92% a 93%).")
    assert lg.change(L["tasa_respuesta"], 0.925, 0.935, "2024-02") == (
        "La tasa de respuesta aumentó 1 punto porcentual frente a febrero (de 92,5% a 93,5%).")
    assert lg.month_name("2024-03") == "marzo"
    assert lg.month_name("2024-03", with_year=True) == "marzo de 2024"
    assert lg.month_before("2024-01") == "2023-12"


def test_survey_values_take_their_figures_decimals():
    got = lg.change(L["satisfaccion"].of(L["canal_presencial"]), 0.9941, 0.9684, "2024-02",
                    figure="encuestas.preguntas.satisfaccion.presencial.valor")
    assert got == ("La satisfacción del canal presencial disminuyó 2,57 puntos porcentuales "
                   "frente a febrero (de 99,41% a 96,84%).")
    assert lg.record(L["indice_anm"], 0.9359, False, "2023-06", figure="encuestas.indice_anm") == (
        "El índice ANM (93,59%) fue el más bajo desde junio de 2023.")
    assert "(99,10%)" in lg.record(L["satisfaccion"], 0.991, True, "2024-01", decimals=2)


def test_a_change_is_taken_between_the_values_as_shown():
    # 92,94% and 89,76% show as 92,9% and 89,8%: the reader subtracts 3,1, not 3,2
    assert "disminuyó 3,1 puntos porcentuales" in lg.change(L["primer_contacto"], 0.9294, 0.8976, "2024-02")
    # two values that show the same are no change
    assert lg.change(L["primer_contacto"], 0.9294, 0.9291, "2024-02") == (
        "La solución en primer contacto se mantuvo en 92,9%, como en febrero.")
    # a count from 0, or by less than 0,05%, shows no percentage
    assert lg.change(L["interacciones"], 0, 12, "2024-02") == "Las interacciones aumentaron frente a febrero (de 0 a 12)."
    assert lg.change(L["interacciones"], 10000, 10001, "2024-02") == (
        "Las interacciones aumentaron frente a febrero (de 10.000 a 10.001).")


def test_the_other_sentences():
    assert lg.record(L["interacciones"].of(L["canal_virtual"]), 3354, True, "2024-01") == (
        "Las interacciones del canal virtual (3.354) fueron las más altas desde enero de 2024.")
    assert lg.target(L["contestadas_sobre_entrantes"], 0.59, 0.8) == (
        "La proporción de llamadas contestadas (59%) quedó por debajo de la meta de 80%.")
    assert lg.target(L["contestadas_sobre_entrantes"], 0.8, 0.8).endswith("(80%) alcanzó la meta de 80%.")
    assert lg.target(L["contestadas_sobre_entrantes"], 0.85, 0.8).endswith("(85%) superó la meta de 80%.")
    assert lg.target(L["llamadas_contestadas"], 5000, 5000).endswith("alcanzaron la meta de 5.000.")
    assert lg.target(L["tasa_respuesta"], 0.045, 0.05, higher_is_better=False) == (
        "La tasa de respuesta (4,5%) cumplió la meta de no superar 5%.")
    assert lg.target(L["tasa_respuesta"], 0.06, 0.05, higher_is_better=False) == (
        "La tasa de respuesta (6%) superó el máximo de 5% fijado como meta.")
    assert lg.outlier(lg.office("PAR Medellín"), 102, 44.6, L["demas_puntos"]) == (
        "El PAR Medellín (102) quedó 126,7% por encima del promedio de los demás puntos (45).")
    assert lg.outlier(L["primer_contacto"].of(lg.office("PAR Cali")), 0.5, 0.801, L["demas_puntos"]) == (
        "La solución en primer contacto del PAR Cali (50%) quedó 30,1 puntos porcentuales "
        "por debajo del promedio de los demás puntos (80,1%).")
    assert lg.method_changed(L["satisfaccion"], "promedio", "top2", "2024-02") == (
        "La satisfacción no se compara con febrero: cambió el método de medición (promedio → top2).")
    assert lg.small_base(L["satisfaccion"].of(L["canal_telefonico"]), 12) == (
        "La satisfacción del canal telefónico se calculó con solo 12 respuestas: "
        "una base pequeña para sacar conclusiones.")
    assert "con solo 1 respuesta:" in lg.small_base(L["satisfaccion"], 1)
    assert lg.nothing_notable("2024-03") == "En marzo no hubo cambios notables frente a febrero."
    assert lg.nothing_notable("2024-01") == "En enero no hubo cambios notables frente a diciembre de 2023."
    assert lg.missing_month("2024-02") == "No hay datos de febrero de 2024 para comparar."


# ---------------------------------------------------------------- the narrative's verb forms


@pytest.mark.parametrize("difference, unit, decimals", [
    (7.9966, "puntos", 2), (-0.5, "puntos", 2), (0.001, "puntos", 2), (1, "puntos", 2),
    (-723, "interacciones", 0), (1, "interacciones", 0), (-1, "llamadas", 0), (0, "comunicaciones", 0),
    (142, "personas", 0), (None, "puntos", 2)])
def test_verb_change_singular_is_the_narratives_and_plural_agrees(difference, unit, decimals):
    singular = lg.verb_change(difference, unit, decimals, plural=False)
    assert singular == fmt.cambio(difference, unit, decimals, forma="verbo")
    plural = lg.verb_change(difference, unit, decimals, plural=True)
    for sg, pl in (VERBS["aumentar"], VERBS["disminuir"], VERBS["mantenerse"]):
        if singular.startswith(sg):
            assert plural == pl + singular[len(sg):]
            break
    else:
        assert plural == singular == fmt.SIN_MES_ANTERIOR


def test_verb_change_examples():
    assert lg.verb_change(-723, "interacciones", 0, plural=True) == "disminuyeron 723 interacciones"
    assert lg.verb_change(0.001, plural=True) == "se mantuvieron"
    assert lg.verb_change(1, "interacciones", 0, plural=True) == "aumentaron 1 interacción"
    assert lg.verb_change(8) == "aumentó 8 puntos"


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize("call", [
    lambda: lg.change(L["interacciones"], None, 3, "2024-02"),
    lambda: lg.change(L["interacciones"], 3, math.nan, "2024-02"),
    lambda: lg.change(L["interacciones"], 3, math.inf, "2024-02"),
    lambda: lg.change(L["interacciones"], True, 3, "2024-02"),
    lambda: lg.change(L["interacciones"], 2, 3, "2024-13"),
    lambda: lg.change(L["interacciones"], 2, 3, "marzo"),
    lambda: lg.record(L["interacciones"], None, True, "2024-01"),
    lambda: lg.target(L["interacciones"], 3, None),
    lambda: lg.outlier(L["interacciones"], 3, math.nan),
    lambda: lg.method_changed(L["satisfaccion"], "top2", "top2", "2024-02"),
    lambda: lg.small_base(L["satisfaccion"], 1.5),
    lambda: lg.missing_month("2024-3"),
    lambda: Noun("x", "n", "sg"),
    lambda: Noun("x", "m", "du"),
    lambda: Noun("  ", "m", "sg"),
    lambda: lg.office(""),
    lambda: lg.topic(None),
])
def test_what_is_not_a_sentence_is_refused(call):
    with pytest.raises(ValueError):
        call()


# ---------------------------------------------------------------- the generated corpus

OFFICES = ("Sede Central Bogotá", "PAR Cali", "PAR Medellín", "PAR Cúcuta", "PAL Ubaté", "PAL Montería")
TOPICS = ("RUCOM", "AnnA Minería", "Titulación minera", "Regalías")
COUNT_CHANGES = ((570, 641), (1142, 1000), (0, 12), (10000, 10001), (4924, 4924), (1, 2), (3953, 4348),
                 (799, 570), (1000, 713))
SHARE_CHANGES = ((0.929, 0.898), (0.6193, 0.6425), (0.5, 0.51), (0.9941, 0.9684), (0.9294, 0.9291),
                 (0.92, 0.93), (0.887, 0.3614), (0.0843, 0.9707), (0.9, 0.9))
#: figure names that decide a share's decimals (fmt.decimales_de): 1, then 2
FIGURES = ("presencial.primer_contacto", "encuestas.preguntas.satisfaccion.presencial.valor")
MONTHS = tuple(f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13))


def _subjects() -> list[Noun]:
    subjects = list(L.values())
    for head in ("interacciones", "primer_contacto", "satisfaccion", "llamadas_contestadas", "indice_anm"):
        subjects += [L[head].of(channel) for channel in lg.CHANNELS.values()]
    subjects += [lg.office(name) for name in OFFICES] + [lg.topic(name) for name in TOPICS]
    subjects += [L["atenciones_presenciales"].of(lg.office(name)) for name in OFFICES[:3]]
    subjects += [L["interacciones"].of(lg.topic(name)) for name in TOPICS[:2]]
    return subjects


def _es(d: Decimal) -> str:
    """A Decimal as the deck writes it (a whole number without decimals)."""
    if d == d.to_integral_value():
        return f"{int(d):,}".replace(",", ".")
    whole, _, frac = str(abs(d)).partition(".")
    return ("-" if d < 0 else "") + f"{int(whole):,}".replace(",", ".") + "," + frac


def _value(text: str) -> Decimal:
    """``92,9%`` or ``4.924`` back to a Decimal."""
    return Decimal(text.rstrip("%").replace(".", "").replace(",", "."))


def _year(mes: str) -> str:
    return mes[:4]


class Case:
    """One generated sentence with what the checks need: its subject (None for a
    sentence without one), the numbers it may show (each formatted input, or computed
    from them as the function says) and the ones it must show."""

    def __init__(self, text, subject, allowed, required=(), superlative=None, direction=None):
        self.text, self.subject = text, subject
        self.allowed, self.required = set(allowed) | set(required), set(required)
        self.superlative, self.direction = superlative, direction


def _shown(value, share: bool, decimals: int) -> str:
    return fmt.porcentaje(value, decimals) if share else fmt.numero(value)


def _difference(a: str, b: str, share: bool) -> set[str]:
    """What a change between two shown values may write: percentage points between
    them (a share), or the relative change of a count."""
    old, new = _value(a), _value(b)
    if share:
        return {_es(abs(new - old))}
    return {fmt.porcentaje(float(abs(new - old) / old))} if old else set()


def _direction(a: str, b: str) -> str:
    old, new = _value(a), _value(b)
    return "mantenerse" if old == new else "aumentar" if new > old else "disminuir"


def _target_verb(shown: str, limit: str, higher_is_better: bool) -> str:
    value, goal = _value(shown), _value(limit)
    if not higher_is_better:
        return "cumplir" if value <= goal else "superar"
    return "superar" if value > goal else "alcanzar" if value == goal else "quedar"


def generate() -> list[Case]:
    cases = []
    for i, subject in enumerate(_subjects()):
        against = MONTHS[i % len(MONTHS)]
        for j, (before, now) in enumerate(COUNT_CHANGES[i % 3::3]):  # a rise, a fall or no change each
            a, b = fmt.numero(before), fmt.numero(now)
            text = lg.change(subject, before, now, against)
            cases.append(Case(text, subject, _difference(a, b, False), {a, b}, direction=_direction(a, b)))
        for j, (before, now) in enumerate(SHARE_CHANGES[i % 3::3]):
            figure = FIGURES[(i + j) % 2]
            decimals = fmt.decimales_de(figure)
            a, b = _shown(before, True, decimals), _shown(now, True, decimals)
            text = lg.change(subject, before, now, against, figure=figure)
            cases.append(Case(text, subject, _difference(a, b, True), {a, b}, direction=_direction(a, b)))
        for share, (before, now) in ((False, COUNT_CHANGES[i % 9]), (True, SHARE_CHANGES[i % 9])):
            a, b = _shown(before, share, 1), _shown(now, share, 1)
            text = lg.same_month_last_year(subject, before, now, against)
            cases.append(Case(text, subject, _difference(a, b, share), {a, b, str(int(against[:4]) - 1)},
                              direction=_direction(a, b)))
        for high in (True, False):
            for share, value in ((False, COUNT_CHANGES[i % 9][1]), (True, SHARE_CHANGES[i % 9][1])):
                shown = _shown(value, share, 1)
                text = lg.record(subject, value, high, against)
                expected = subject.superlative("alto" if high else "bajo")
                cases.append(Case(text, subject, set(), {shown, _year(against)}, superlative=expected))
        for value, goal in ((0.59, 0.8), (0.7995, 0.8), (0.85, 0.8), (4999, 5000)):
            share = isinstance(value, float)
            for better in (True, False):
                shown, limit = _shown(value, share, 1), _shown(goal, share, 1)
                text = lg.target(subject, value, goal, higher_is_better=better)
                cases.append(Case(text, subject, set(), {shown, limit}, direction=_target_verb(shown, limit, better)))
        for value, mean, share in ((102, 44.6, False), (6, 44.6, False), (45, 44.6, False),
                                   (0.5, 0.801, True), (0.8, 0.8, True)):
            shown, average = _shown(value, share, 1), _shown(fmt.redondear(mean, 0) if not share else mean, share, 1)
            text = lg.outlier(subject, value, mean, L["demas_puntos"])
            cases.append(Case(text, subject, _difference(average, shown, share), {shown, average}))
        text = lg.method_changed(subject, "promedio", "top2", against)
        cases.append(Case(text, subject, set()))
        for count in (1, 12):
            cases.append(Case(lg.small_base(subject, count), subject, set(), {fmt.numero(count)}))
    for mes in MONTHS:
        before = lg.month_before(mes)
        cases.append(Case(lg.nothing_notable(mes), None, {_year(before)} if mes.endswith("-01") else set()))
        cases.append(Case(lg.missing_month(mes), None, set(), {_year(mes)}))
    return cases


CASES = generate()
#: an es-CO number as the deck writes it: 4.924, 92,9%, 2,57, 2024
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?:,\d+)?%?|(?<![\w.,])\d+(?:,\d+)?%?")
SINGULAR_FORMS = [sg for sg, _ in (*VERBS.values(), *PRESENT_VERBS.values())]
PLURAL_FORMS = [pl for _, pl in (*VERBS.values(), *PRESENT_VERBS.values())]
SUPERLATIVES = [Noun("x", g, n).superlative(a) for a in ("alto", "bajo") for g, n in FORMS]


def _pattern(forms: list[str]) -> re.Pattern:
    """Any of ``forms`` as whole words."""
    return re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in sorted(forms, key=len, reverse=True)))


SINGULAR_VERB, PLURAL_VERB, SUPERLATIVE = _pattern(SINGULAR_FORMS), _pattern(PLURAL_FORMS), _pattern(SUPERLATIVES)
FORM_PROBLEMS = re.compile(r"\b(None|nan|NaN|inf|sin datos)\b"  # what a missing value would write
                           r"|[-−]\s?\d"  # a sign: the direction is in the verb
                           r"|\b(de|a) el\b"  # de el, a el: del, al
                           r"|  |\n|\.\.$")


def test_the_corpus_is_large():
    assert len({c.text for c in CASES}) >= 300  # distinct sentences


def test_every_sentence_has_the_form_of_one_sentence():
    for case in CASES:
        text = case.text
        assert text[0].isupper(), text
        assert text.endswith("."), text
        assert text == text.strip() and not FORM_PROBLEMS.search(text), text


def test_every_number_comes_from_the_arguments():
    for case in CASES:
        found = NUMBER.findall(case.text)
        assert set(found) <= case.allowed, (case.text, found, case.allowed)
        assert case.required <= set(found), (case.text, case.required)


def test_subject_and_verb_agree():
    for case in CASES:
        if case.subject is None:
            continue
        right, wrong = (PLURAL_VERB, SINGULAR_VERB) if case.subject.plural else (SINGULAR_VERB, PLURAL_VERB)
        assert not wrong.search(case.text), (case.text, case.subject)
        assert right.search(case.text), case.text
        assert case.text.startswith(case.subject.definite()[0].upper() + case.subject.definite()[1:] + " ")


def test_superlatives_agree_and_changes_and_targets_go_the_right_way():
    for case in CASES:
        if case.superlative:
            assert SUPERLATIVE.findall(case.text) == [case.superlative], case.text
        if case.direction:
            form = VERBS[case.direction][case.subject.plural]
            verbs = (PLURAL_VERB if case.subject.plural else SINGULAR_VERB).findall(case.text)
            assert verbs == [form], case.text


def test_the_same_arguments_give_the_same_sentences():
    assert [c.text for c in generate()] == [c.text for c in CASES]


#: one sentence of each builder, run here and in another interpreter
SAMPLE = """
from anm_helpers.core import language as lg
L = lg.LEXICON
SENTENCES = [
    lg.change(L["interacciones"].of(L["canal_telefonico"]), 570, 641, "2024-02"),
    lg.change(L["primer_contacto"], 0.929, 0.898, "2024-02"),
    lg.change(L["satisfaccion"], 0.9941, 0.9684, "2024-02", figure="encuestas.preguntas.satisfaccion.presencial.valor"),
    lg.same_month_last_year(L["interacciones"], 4100, 4924, "2024-03"),
    lg.record(L["interacciones"].of(L["canal_virtual"]), 3354, True, "2024-01"),
    lg.target(L["contestadas_sobre_entrantes"], 0.59, 0.8),
    lg.outlier(lg.office("PAR Medellín"), 102, 44.6, L["demas_puntos"]),
    lg.method_changed(L["encuestas"], "promedio", "top2", "2024-02"),
    lg.small_base(L["satisfaccion"].of(lg.topic("RUCOM")), 12),
    lg.nothing_notable("2024-01"),
    lg.missing_month("2024-02"),
    lg.verb_change(-723, "interacciones", 0, plural=True),
]
"""


def test_the_sentences_do_not_depend_on_the_process():
    """Another interpreter, with another hash seed, writes the same sentences byte for byte."""
    here = {}
    exec(SAMPLE, here)
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    code = SAMPLE + "\nimport sys; sys.stdout.buffer.write('\\n'.join(SENTENCES).encode())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert out.stdout == "\n".join(here["SENTENCES"]).encode()
