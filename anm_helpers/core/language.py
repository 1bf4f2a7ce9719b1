"""Sentences in correct Spanish for "Lo principal del mes" (issue 26): the report's
own small sentence realiser, deterministic (the same arguments give the same
sentence, byte for byte) and standard library plus ``fmt`` (babel) only.

- ``Noun``: a noun phrase of the report (``canal telefónico``, ``interacciones``)
  with its gender (``m``/``f``) and number (``sg``/``pl``): its definite article,
  ``del``/``al`` (only ``de``/``a`` + ``el`` contract), the verbs and adjectives
  that agree with it. ``LEXICON`` holds the nouns the report talks about (the
  examples write ``L`` for it);
  ``office`` (``el PAR Cali``, ``la Sede Central Bogotá``) and ``topic``
  (``el tema «RUCOM»``) make the ones named by the data.
- The sentence builders (each returns one sentence, capitalised, ending in one
  period): ``change``, ``same_month_last_year``, ``record``, ``target``,
  ``outlier``, ``method_changed``, ``small_base``, ``nothing_notable``,
  ``missing_month``.
- ``verb_change``: the narrative's ``fmt.cambio(…, forma="verbo")`` agreeing with
  a plural subject (``disminuyeron 723 interacciones``, ``se mantuvieron``).

Numbers are written as the deck writes them (``fmt``): counts whole (``4.924``),
shares as ``fmt.porcentaje`` (``92,9%``; survey values with 2 decimals: pass the
figure's name, ``fmt.decimales_de`` decides). A change's direction is in the verb,
never in a sign: a count's relative change as a percentage (``disminuyeron
28,7%``), a share's in percentage points (``aumentó 2,3 puntos porcentuales``,
``1 punto porcentual``). Every number comes from the arguments; a difference is
taken between the values as shown, so the reader's own subtraction agrees, and two
values that show the same are no change (``se mantuvo en 92,9%``).

A value is a share or a count by its type, as ``fmt.valor`` decides (a float is a
share, a fraction of 1; an int a count) unless ``share`` says otherwise. ``None``,
NaN, an infinite value or a month that is not ``AAAA-MM`` is a programming error of
the caller (``ValueError``): the rules say "no data" with ``missing_month``.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
from dataclasses import dataclass
from decimal import Decimal

from anm_helpers.core import fmt
from anm_helpers.core.month import is_month
from anm_helpers.core.text import clean_text

GENDERS = ("m", "f")
NUMBERS = ("sg", "pl")
ARTICLES = {("m", "sg"): "el", ("f", "sg"): "la", ("m", "pl"): "los", ("f", "pl"): "las"}
#: the only contractions of Spanish: de + el, a + el (never with la, los, las)
CONTRACTIONS = {("de", "el"): "del", ("a", "el"): "al"}

#: verbs in the past (pretérito perfecto simple) by infinitive: (singular, plural)
PAST = {
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
#: verbs in the present by infinitive: (singular, plural)
PRESENT = {
    "compararse": ("se compara", "se comparan"),
    "ser": ("es", "son"),
}
TENSES = {"past": PAST, "present": PRESENT}

_UNSTRESSED = str.maketrans("áéíóú", "aeiou")


def inflect(adjective: str, gender: str, number: str) -> str:
    """An adjective or participle, given in the masculine singular, in ``gender``
    and ``number``: ``inflect("alto", "f", "pl")`` -> ``altas``;
    ``inflect("alcanzado", "f", "sg")`` -> ``alcanzada``; one that ends otherwise
    than in -o keeps its gender: ``inflect("presencial", "f", "pl")`` ->
    ``presenciales``, ``inflect("común", "m", "pl")`` -> ``comunes``,
    ``inflect("notable", "f", "pl")`` -> ``notables``, ``inflect("mayor", "f", "pl")``
    -> ``mayores``. Regular adjectives only (no ``trabajador``/``trabajadora``: the
    report uses none)."""
    _check_form(gender, number)
    if adjective.endswith("o"):
        return adjective[:-1] + {("m", "sg"): "o", ("f", "sg"): "a", ("m", "pl"): "os", ("f", "pl"): "as"}[
            (gender, number)]
    if number == "sg":
        return adjective
    if adjective[-1] in "aeiou":
        return adjective + "s"
    if adjective.endswith("z"):
        return adjective[:-1] + "ces"
    # a stressed last syllable loses its accent mark with one more syllable: común -> comunes
    head, last = adjective[:-2], adjective[-2:]
    return head + last.translate(_UNSTRESSED) + "es"


def _check_form(gender: str, number: str) -> None:
    if gender not in GENDERS or number not in NUMBERS:
        raise ValueError(f"gender must be one of {GENDERS} and number one of {NUMBERS}: {gender!r}, {number!r}")


@dataclass(frozen=True)
class Noun:
    """A noun phrase without its article, with its gender and number::

        >>> Noun("canal telefónico", "m", "sg").definite()
        'el canal telefónico'
        >>> Noun("interacciones", "f", "pl").of(Noun("canal telefónico", "m", "sg")).definite()
        'las interacciones del canal telefónico'
    """

    text: str
    gender: str  # "m" or "f"
    number: str  # "sg" or "pl"

    def __post_init__(self):
        _check_form(self.gender, self.number)
        text = clean_text(self.text) if isinstance(self.text, str) else ""
        if not text:
            raise ValueError(f"a noun needs its text: {self.text!r}")
        object.__setattr__(self, "text", text)

    @property
    def plural(self) -> bool:
        return self.number == "pl"

    @property
    def article(self) -> str:
        """``el``, ``la``, ``los`` or ``las``."""
        return ARTICLES[(self.gender, self.number)]

    def definite(self) -> str:
        """``la sede central``, ``los PAR``."""
        return f"{self.article} {self.text}"

    def after(self, preposition: str) -> str:
        """The noun with its article after a preposition, contracted where Spanish
        contracts: ``after("de")`` -> ``del canal telefónico``, ``al canal …``;
        ``de la sede central``, ``a las llamadas contestadas``, ``en el canal …``."""
        article = self.article
        if (preposition, article) in CONTRACTIONS:
            return f"{CONTRACTIONS[(preposition, article)]} {self.text}"
        return f"{preposition} {article} {self.text}"

    def joined(self, preposition: str, other: Noun) -> Noun:
        """This noun with a complement; it keeps its own gender and number:
        ``L["satisfaccion"].joined("en", L["canal_presencial"])`` -> ``la satisfacción en el canal presencial``."""
        return Noun(f"{self.text} {other.after(preposition)}", self.gender, self.number)

    def of(self, other: Noun) -> Noun:
        """``L["interacciones"].of(L["canal_virtual"])`` -> ``las interacciones del canal virtual`` (plural, feminine)."""
        return self.joined("de", other)

    def verb(self, infinitive: str, tense: str = "past") -> str:
        """The verb agreeing with this noun as its subject: ``aumentó`` / ``aumentaron``
        (``PAST``), ``se compara`` / ``se comparan`` (``tense="present"``, ``PRESENT``)."""
        return TENSES[tense][infinitive][self.plural]

    def agree(self, adjective: str) -> str:
        """An adjective given in the masculine singular, agreeing: ``alto`` -> ``altas``."""
        return inflect(adjective, self.gender, self.number)

    def superlative(self, adjective: str) -> str:
        """``la más alta``, ``el más bajo``, ``los más altos``, ``las más bajas``."""
        return f"{self.article} más {self.agree(adjective)}"


#: the nouns the report talks about, by the name its figures use where they have one
LEXICON = {
    "canal_presencial": Noun("canal presencial", "m", "sg"),
    "canal_telefonico": Noun("canal telefónico", "m", "sg"),
    "canal_virtual": Noun("canal virtual", "m", "sg"),
    "interacciones": Noun("interacciones", "f", "pl"),
    "atenciones_presenciales": Noun("atenciones presenciales", "f", "pl"),
    "llamadas_atendidas": Noun("llamadas atendidas", "f", "pl"),
    "llamadas_contestadas": Noun("llamadas contestadas", "f", "pl"),
    "llamadas_entrantes": Noun("llamadas entrantes", "f", "pl"),
    "primer_contacto": Noun("solución en primer contacto", "f", "sg"),
    "satisfaccion": Noun("satisfacción", "f", "sg"),
    "percepcion": Noun("percepción", "f", "sg"),
    "confianza": Noun("confianza", "f", "sg"),
    "claridad": Noun("claridad", "f", "sg"),
    "indice_anm": Noun("índice ANM", "m", "sg"),
    "tasa_respuesta": Noun("tasa de respuesta", "f", "sg"),
    "tasa_respuesta_promedio": Noun("tasa de respuesta promedio", "f", "sg"),
    "contestadas_sobre_entrantes": Noun("proporción de llamadas contestadas", "f", "sg"),
    "comunicaciones_entrada": Noun("comunicaciones de entrada", "f", "pl"),
    "comunicaciones_salida": Noun("comunicaciones de salida", "f", "pl"),
    "encuestas": Noun("encuestas", "f", "pl"),
    "sede_central": Noun("sede central", "f", "sg"),
    "PAR": Noun("PAR", "m", "pl"),
    "PAL": Noun("PAL", "m", "pl"),
    "demas": Noun("demás", "m", "pl"),
    "demas_puntos": Noun("demás puntos", "m", "pl"),
    "demas_temas": Noun("demás temas", "m", "pl"),
    "demas_canales": Noun("demás canales", "m", "pl"),
}
#: the channels by their name in the figures (``interacciones.presencial``)
CHANNELS = {name: LEXICON[f"canal_{name}"] for name in ("presencial", "telefonico", "virtual")}
#: the survey questions by their name in the figures (``encuestas.preguntas.<name>``)
QUESTIONS = {name: LEXICON[name] for name in ("satisfaccion", "percepcion", "confianza", "claridad")}
#: the kinds of office by their name in the figures (``presencial.por_tipo_punto.<name>``)
POINT_TYPES = {name: LEXICON[name] for name in ("sede_central", "PAR", "PAL")}
#: offices whose name starts with one of these words are feminine (la Sede Central Bogotá)
_FEMININE_OFFICES = ("sede", "oficina")


def office(name: str) -> Noun:
    """An office by its name: ``office("PAR Cali")`` -> ``el PAR Cali``,
    ``office("PAL Ubaté")`` -> ``el PAL Ubaté`` (punto de atención: masculine),
    ``office("Sede Central Bogotá")`` -> ``la Sede Central Bogotá``."""
    text = clean_text(name) if isinstance(name, str) else ""
    if not text:
        raise ValueError(f"an office needs its name: {name!r}")
    return Noun(text, "f" if text.split()[0].casefold() in _FEMININE_OFFICES else "m", "sg")


def topic(name: str) -> Noun:
    """An interaction type by its name: ``topic("RUCOM")`` -> ``el tema «RUCOM»``."""
    text = clean_text(name) if isinstance(name, str) else ""
    if not text:
        raise ValueError(f"a topic needs its name: {name!r}")
    return Noun(f"tema «{text}»", "m", "sg")


# ---------------------------------------------------------------- months

def _date(month: str) -> dt.date:
    if not isinstance(month, str) or not is_month(month):
        raise ValueError(f"a month is AAAA-MM: {month!r}")
    return fmt.fecha_mes(month)


def month_name(month: str, with_year: bool = False) -> str:
    """``month_name("2024-03")`` -> ``marzo``; ``with_year=True`` -> ``marzo de 2024`` (Babel's names)."""
    date = _date(month)
    return f"{fmt.nombre_mes(month)} de {date.year}" if with_year else fmt.nombre_mes(month)


def month_before(month: str) -> str:
    """``2024-01`` -> ``2023-12``."""
    date = _date(month)
    return f"{date.year - 1}-12" if date.month == 1 else f"{date.year}-{date.month - 1:02d}"


def _year_before(month: str) -> str:
    date = _date(month)
    return f"{date.year - 1}-{date.month:02d}"


# ---------------------------------------------------------------- numbers

def _number(x, what: str):
    if x is None or isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
        raise ValueError(f"{what} must be a finite number: {x!r}")
    return x


@dataclass(frozen=True)
class _Scale:
    """How a figure is shown: a share (``fmt.porcentaje`` with ``decimals``) or a count."""

    share: bool
    decimals: int

    def shown(self, x) -> Decimal:
        """The value as the deck shows it, in percent for a share (as ``fmt.porcentaje`` rounds)."""
        if self.share:
            return fmt.redondear(float(Decimal(repr(float(x))) * 100), self.decimals)
        return fmt.redondear(x, 0)

    def text(self, x) -> str:
        return fmt.porcentaje(x, self.decimals) if self.share else fmt.numero(int(self.shown(x)))


def _scale(value, share: bool | None, figure: str | None, decimals: int | None) -> _Scale:
    if share is None:
        share = not isinstance(value, numbers.Integral)
    if decimals is None:
        decimals = fmt.decimales_de(figure) if figure else 1
    return _Scale(share, decimals)


def _points(difference: Decimal, decimals: int) -> str:
    """A difference of two percentages, its sign dropped: ``3,1 puntos porcentuales``,
    ``1 punto porcentual`` (the amount and unit of ``fmt.cambio``)."""
    amount = fmt.cambio(float(abs(difference)), "puntos", decimals, forma="verbo").split(" ", 1)[1]
    return amount + (" porcentual" if amount.endswith("punto") else " porcentuales")


def _relative(before: Decimal, now: Decimal) -> str:
    """A count's relative change, its sign dropped (``28,7%``), or "" when it has none
    to show (from 0, or smaller than the last decimal)."""
    if before == 0:
        return ""
    text = fmt.porcentaje(float(abs(now - before) / before))
    return "" if text == "0%" else text


def _sentence(*parts: str) -> str:
    text = " ".join(p for p in parts if p)
    return text[0].upper() + text[1:] + "."


# ---------------------------------------------------------------- sentences

def change(subject: Noun, before, now, against: str, *, share: bool | None = None,
           figure: str | None = None, decimals: int | None = None, with_year: bool = False) -> str:
    """A figure against another month (``against``, ``AAAA-MM``; ``with_year``
    names its year too). A count changes by a percentage of ``before``, a share
    by percentage points between the values as shown (``figure``: the figure's
    name in ``metrics.json``, whose decimals ``fmt.decimales_de`` decides; or
    ``decimals``)::

        change(L["interacciones"].of(L["canal_telefonico"]), 570, 641, "2024-02")
        -> "Las interacciones del canal telefónico aumentaron 12,5% frente a febrero (de 570 a 641)."
        change(L["primer_contacto"].of(L["canal_presencial"]), 0.929, 0.898, "2024-02")
        -> "La solución en primer contacto del canal presencial disminuyó 3,1 puntos
            porcentuales frente a febrero (de 92,9% a 89,8%)."
        change(L["atenciones_presenciales"], 1000, 1000, "2024-02")
        -> "Las atenciones presenciales se mantuvieron en 1.000, como en febrero."

    A count from 0, or whose change rounds to 0,0%, shows no percentage
    (``aumentaron frente a febrero (de 0 a 12)``)."""
    scale = _scale(_number(now, "now"), share, figure, decimals)
    _number(before, "before")
    when = month_name(against, with_year)
    old, new = scale.shown(before), scale.shown(now)
    if old == new:
        return _sentence(subject.definite(), subject.verb("mantenerse"), "en", scale.text(now) + ",", "como en", when)
    amount = _points(new - old, scale.decimals) if scale.share else _relative(old, new)
    return _sentence(subject.definite(), subject.verb("aumentar" if new > old else "disminuir"), amount,
                     "frente a", when, f"(de {scale.text(before)} a {scale.text(now)})")


def same_month_last_year(subject: Noun, before, now, month: str, **options) -> str:
    """``change`` against the same month a year before the report's ``month``::

        same_month_last_year(L["interacciones"], 4100, 4924, "2024-03")
        -> "Las interacciones aumentaron 20,1% frente a marzo de 2023 (de 4.100 a 4.924)."
    """
    return change(subject, before, now, _year_before(month), with_year=True, **options)


def record(subject: Noun, value, high: bool, since: str, *, share: bool | None = None,
           figure: str | None = None, decimals: int | None = None) -> str:
    """The highest (``high``) or lowest value since the month ``since``::

        record(L["interacciones"].of(L["canal_virtual"]), 3354, True, "2024-01")
        -> "Las interacciones del canal virtual (3.354) fueron las más altas desde enero de 2024."
        record(L["indice_anm"], 0.9359, False, "2023-06", figure="encuestas.indice_anm")
        -> "El índice ANM (93,59%) fue el más bajo desde junio de 2023."
    """
    scale = _scale(_number(value, "value"), share, figure, decimals)
    return _sentence(subject.definite(), f"({scale.text(value)})", subject.verb("ser"),
                     subject.superlative("alto" if high else "bajo"), "desde", month_name(since, True))


def target(subject: Noun, value, goal, *, share: bool | None = None, figure: str | None = None,
           decimals: int | None = None, higher_is_better: bool = True) -> str:
    """A figure against its target, compared as both are shown::

        target(L["contestadas_sobre_entrantes"], 0.59, 0.8)
        -> "La proporción de llamadas contestadas (59%) quedó por debajo de la meta de 80%."
        target(L["contestadas_sobre_entrantes"], 0.8, 0.8) -> "… (80%) alcanzó la meta de 80%."
        target(L["contestadas_sobre_entrantes"], 0.85, 0.8) -> "… (85%) superó la meta de 80%."

    ``higher_is_better=False`` for a target that is a maximum: ``cumplió la meta de
    no superar 5%`` / ``superó el máximo de 5% fijado como meta``."""
    scale = _scale(_number(value, "value"), share, figure, decimals)
    _number(goal, "goal")
    shown, limit = scale.shown(value), scale.shown(goal)
    head = (subject.definite(), f"({scale.text(value)})")
    if not higher_is_better:
        if shown <= limit:
            return _sentence(*head, subject.verb("cumplir"), "la meta de no superar", scale.text(goal))
        return _sentence(*head, subject.verb("superar"), "el máximo de", scale.text(goal), "fijado como meta")
    if shown > limit:
        return _sentence(*head, subject.verb("superar"), "la meta de", scale.text(goal))
    if shown == limit:
        return _sentence(*head, subject.verb("alcanzar"), "la meta de", scale.text(goal))
    return _sentence(*head, subject.verb("quedar"), "por debajo de la meta de", scale.text(goal))


def outlier(subject: Noun, value, others_mean, others: Noun = LEXICON["demas"], *, share: bool | None = None,
            figure: str | None = None, decimals: int | None = None) -> str:
    """An office, topic or channel far from the mean of the rest (``others``), by
    how far as shown: a count by a percentage of that mean, a share in points::

        outlier(office("PAR Medellín"), 102, 44.6, L["demas_puntos"])
        -> "El PAR Medellín (102) quedó 126,7% por encima del promedio de los demás puntos (45)."
        outlier(L["primer_contacto"].of(office("PAR Cali")), 0.5, 0.801, L["demas_puntos"])
        -> "La solución en primer contacto del PAR Cali (50%) quedó 30,1 puntos porcentuales
            por debajo del promedio de los demás puntos (80,1%)."
    """
    scale = _scale(_number(value, "value"), share, figure, decimals)
    _number(others_mean, "others_mean")
    shown, mean = scale.shown(value), scale.shown(others_mean)
    head = (subject.definite(), f"({scale.text(value)})", subject.verb("quedar"))
    reference = f"promedio {others.after('de')} ({scale.text(others_mean)})"
    if shown == mean:
        return _sentence(*head, "en el", reference)
    amount = _points(shown - mean, scale.decimals) if scale.share else _relative(mean, shown)
    return _sentence(*head, amount, "por encima" if shown > mean else "por debajo", "del", reference)


def method_changed(subject: Noun, before: str, now: str, against: str, with_year: bool = False) -> str:
    """A survey figure not compared, its method changed (``params``' ``metodo_encuestas``)::

        method_changed(L["satisfaccion"], "promedio", "top2", "2024-02")
        -> "La satisfacción no se compara con febrero: cambió el método de medición (promedio → top2)."
    """
    old, new = (clean_text(m) if isinstance(m, str) else "" for m in (before, now))
    if not old or not new or old == new:
        raise ValueError(f"a change of method needs two different methods: {before!r}, {now!r}")
    return _sentence(subject.definite(), "no", subject.verb("compararse", "present"), "con",
                     month_name(against, with_year) + ":", f"cambió el método de medición ({old} → {new})")


#: units of a base in the singular, beside fmt.SINGULAR's
_SINGULAR = {**fmt.SINGULAR, "respuestas": "respuesta", "encuestas": "encuesta"}


def small_base(subject: Noun, count: int, unit: str = "respuestas") -> str:
    """A figure computed on few cases::

        small_base(L["satisfaccion"].of(L["canal_telefonico"]), 12)
        -> "La satisfacción del canal telefónico se calculó con solo 12 respuestas:
            una base pequeña para sacar conclusiones."
    """
    if not isinstance(_number(count, "count"), numbers.Integral):
        raise ValueError(f"a base is a whole count: {count!r}")
    word = _SINGULAR.get(unit, unit) if count == 1 else unit
    return _sentence(subject.definite(), subject.verb("calcularse"), "con solo", fmt.numero(count), word + ":",
                     "una base pequeña para sacar conclusiones")


def nothing_notable(month: str, against: str | None = None) -> str:
    """Nothing to say about ``month`` against ``against`` (the month before
    by default; named with its year when it is another year)::

        nothing_notable("2024-03") -> "En marzo no hubo cambios notables frente a febrero."
        nothing_notable("2024-01") -> "En enero no hubo cambios notables frente a diciembre de 2023."
    """
    against = month_before(month) if against is None else against
    other_year = _date(against).year != _date(month).year
    return _sentence("en", month_name(month), "no hubo cambios notables frente a", month_name(against, other_year))


def missing_month(month: str) -> str:
    """The month to compare with has no data::

        missing_month("2024-02") -> "No hay datos de febrero de 2024 para comparar."
    """
    return _sentence("no hay datos de", month_name(month, True), "para comparar")


_PLURAL_OF = {singular: plural for singular, plural in (PAST["aumentar"], PAST["disminuir"], PAST["mantenerse"])}


def verb_change(difference: float | None, unit: str = "puntos", decimals: int = 2, plural: bool = False) -> str:
    """The narrative's change as a verb phrase (``fmt.cambio(…, forma="verbo")``, the
    same words and numbers) agreeing with its subject::

        verb_change(-723, "interacciones", 0, plural=True) -> "disminuyeron 723 interacciones"
        verb_change(0.001, plural=True) -> "se mantuvieron"
        verb_change(8, plural=False) -> "aumentó 8 puntos"

    ``None`` -> ``sin mes anterior``, as ``fmt.cambio``."""
    phrase = fmt.cambio(difference, unit, decimals, forma="verbo")
    if plural:
        for singular, plural_form in _PLURAL_OF.items():
            if phrase == singular or phrase.startswith(singular + " "):
                return plural_form + phrase[len(singular):]
    return phrase

