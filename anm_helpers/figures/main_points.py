"""«Lo principal del mes»: the month's main points, drafted from its figures by small
named rules, ranked by how much they matter, and written in correct Spanish
(``core.language``). Deterministic and traceable: the same figures give the same
points byte for byte, and each point carries the figures it rests on by their key
paths in ``metrics.json`` (``cifras``), every number of its text being one of them or
computed from them (a difference, a ratio), rounded as the deck rounds.

The rules (each a function of the month's ``MonthFacts``, returning candidate points):

- ``cambio_canal``: the interactions of a channel, or in total, against the previous
  month, when the change is beyond the series' usual month-to-month movement;
- ``mismo_mes_anio_anterior``: the same against the same month a year earlier, when
  the data exist (its folder in data/, or data/historico.csv);
- ``record``: a channel's interactions the highest or lowest of the months held;
- ``meta``: a figure against the target the analysts declare in ``cifras_analistas``
  (``meta_nivel_servicio``: answered over incoming calls; ``meta_primer_contacto``;
  ``meta_aplicacion_encuestas``: the in-person survey's response rate);
- ``punto_atipico`` and ``tema_atipico``: an office or an interaction type far from the rest;
- ``encuestas``: a survey question's largest change, never across two methods (the
  change of method is said instead) nor on fewer than ``MIN_RESPONSES`` responses;
- ``mes_faltante``: the month to compare with has no data (never replaced by another);
- ``nada_notable``: nothing above, said in one sentence.

An unfinished month (BORRADOR) gets no claim on the tables it lacks. The analysts keep
the last word in ``params/<MES>.yaml`` (``puntos_principales``: ``ocultar`` a rule,
``textos`` to replace a rule's wording, ``maximo`` points).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from anm_helpers.core import fmt
from anm_helpers.core import language as es
from anm_helpers.core.month import MES_RE

#: at most this many points (the UK's ONS: at most six main points)
MAX_POINTS = 6
#: no claim on a survey figure computed from fewer responses
MIN_RESPONSES = 30
#: the usual month-to-month movement when the series is too short to tell (a relative change)
DEFAULT_MOVEMENT = 0.10
#: never less than this, however calm the series (a relative change)
MIN_MOVEMENT = 0.05
#: a survey question's change worth saying (in share units: 0.01 is one percentage point)
SURVEY_CHANGE = 0.01
#: how far from the rest an office or a topic must be (standard deviations of the rest)
DEVIATIONS = 2.0

TABLE_OF_CHANNEL = {"presencial": "atenciones", "telefonico": "atenciones", "virtual": "comunicaciones"}


@dataclass(frozen=True)
class Point:
    """One main point: its sentence, its rule, the figures it rests on (key path in
    ``metrics.json`` -> value) and its weight in the ranking."""

    rule: str
    text: str
    figures: dict
    weight: float

    def as_dict(self) -> dict:
        """As metrics.json holds it, in the analysts' words."""
        return {"texto": self.text, "regla": self.rule, "cifras": dict(self.figures)}


@dataclass
class MonthFacts:
    """What the rules read: the month's figures (``metrics.json``), the previous month's
    with its own survey method (``mes_anterior`` in ``metrics.json``, None without data),
    the analysts' figures, and the tables the month lacks (an unfinished month)."""

    month: str
    figures: dict
    previous: dict | None = None
    analysts: dict = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    @property
    def previous_month(self) -> str:
        return es.month_before(self.month)

    @property
    def no_previous(self) -> bool:
        """The month before has no data (no folder, or a folder with no interaction)."""
        return not fmt.at_path(self.previous, "interacciones.total")

    def has(self, channel: str) -> bool:
        """The channel's table is there this month (``total``: all of them)."""
        if channel == "total":
            return not self.missing
        return TABLE_OF_CHANNEL[channel] not in self.missing


def _subject(channel: str) -> es.Noun:
    if channel == "total":
        return es.LEXICON["interacciones"]
    return es.LEXICON["interacciones"].of(es.CHANNELS[channel])


def _previous(d: MonthFacts, channel: str) -> tuple[dict, int | None]:
    """The previous month's interactions of ``canal`` and the figures they come from:
    the year's series when the month before is of the same year (``acumulado.meses``),
    else ``mes_anterior`` (the month before, of another year)."""
    prev = d.previous_month
    channels = ("presencial", "telefonico", "virtual") if channel == "total" else (channel,)
    if prev[:4] == d.month[:4]:
        figures = {f"acumulado.meses.{prev}.{c}": fmt.at_path(d.figures, f"acumulado.meses.{prev}.{c}") for c in channels}
        if None not in figures.values():
            return figures, sum(figures.values())
    path = f"interacciones.{channel}"
    value = fmt.at_path(d.previous, path)
    return {f"mes_anterior.{path}": value}, value


def _usual_movement(d: MonthFacts, channel: str) -> float:
    """The series' usual month-to-month movement of ``canal``: the median relative
    change between the year's earlier months (before this month's change)."""
    months = fmt.at_path(d.figures, "acumulado.meses") or {}
    series = []
    for month in sorted(months):
        if month >= d.month:
            break
        values = months[month]
        value = sum(values.values()) if channel == "total" and None not in values.values() else values.get(channel)
        series.append(value)
    changes = [abs(b - a) / a for a, b in zip(series, series[1:]) if a and b is not None]
    usual = statistics.median(changes) if changes else DEFAULT_MOVEMENT
    return max(usual, MIN_MOVEMENT)


def cambio_canal(d: MonthFacts) -> list[Point]:
    out = []
    for channel in ("total", "presencial", "telefonico", "virtual"):
        if not d.has(channel):
            continue
        now_path = f"interacciones.{channel}"
        now = fmt.at_path(d.figures, now_path)
        figures, before = _previous(d, channel)
        if now is None or not before:
            continue
        rel = (now - before) / before
        usual = _usual_movement(d, channel)
        if abs(rel) < usual:
            continue
        text = es.change(_subject(channel), before, now, d.previous_month,
                          with_year=d.previous_month[:4] != d.month[:4])
        out.append(Point("cambio_canal", text, {**figures, now_path: now},
                         abs(rel) / usual + (0.5 if channel == "total" else 0)))
    return out


def mismo_mes_anio_anterior(d: MonthFacts) -> list[Point]:
    """The total, and each channel, against the same month a year earlier, when the data
    exist (``anio_anterior`` in metrics.json), beyond the usual movement of the series."""
    before_tree = d.figures.get("anio_anterior")
    if not before_tree:
        return []
    out = []
    for channel in ("total", "presencial", "telefonico", "virtual"):
        if not d.has(channel):
            continue
        now_path, before_path = f"interacciones.{channel}", f"anio_anterior.interacciones.{channel}"
        now, before = fmt.at_path(d.figures, now_path), fmt.at_path(d.figures, before_path)
        if now is None or not before:
            continue
        rel = (now - before) / before
        if abs(rel) < 2 * _usual_movement(d, channel):  # a year apart: twice the usual monthly movement
            continue
        text = es.same_month_last_year(_subject(channel), before, now, d.month)
        out.append(Point("mismo_mes_anio_anterior", text, {before_path: before, now_path: now},
                         abs(rel) / (2 * _usual_movement(d, channel))))
    return out


def record(d: MonthFacts) -> list[Point]:
    out = []
    months = fmt.at_path(d.figures, "acumulado.meses") or {}
    for channel in ("presencial", "telefonico", "virtual"):
        if not d.has(channel):
            continue
        series = {m: v.get(channel) for m, v in sorted(months.items()) if v.get(channel) is not None}
        if len(series) < 3 or d.month not in series:
            continue
        now = series[d.month]
        others = [v for m, v in series.items() if m != d.month]
        for high in (True, False):
            if (high and now > max(others)) or (not high and now < min(others)):
                since = min(series)
                text = es.record(_subject(channel), now, high, since)
                figures = {f"acumulado.meses.{m}.{channel}": v for m, v in series.items()}
                out.append(Point("record", text, figures, 1.2))
    return out


#: (target in cifras_analistas, figure path, subject)
TARGETS = (
    ("meta_nivel_servicio", "telefonico.contestadas_sobre_entrantes", es.LEXICON["contestadas_sobre_entrantes"]),
    ("meta_primer_contacto", "presencial.primer_contacto",
     es.LEXICON["primer_contacto"].of(es.CHANNELS["presencial"])),
    ("meta_aplicacion_encuestas", "encuestas.preguntas.satisfaccion.presencial.tasa_respuesta",
     es.LEXICON["tasa_respuesta"].of(es.CHANNELS["presencial"])),
)


def meta(d: MonthFacts) -> list[Point]:
    out = []
    for name, path, subject in TARGETS:
        goal = d.analysts.get(name)
        value = fmt.at_path(d.figures, path)
        table = "llamadas" if path.startswith("telefonico.contestadas") else\
            "encuestas" if path.startswith("encuestas") else "atenciones"
        if not isinstance(goal, (int, float)) or isinstance(goal, bool) or not isinstance(value, float)\
                or table in d.missing:
            continue
        text = es.target(subject, value, goal, figure=path)
        missed = "por debajo" in text
        out.append(Point("meta", text, {path: value, f"analistas.{name}": goal}, 2.0 if missed else 0.9))
    return out


def _outlier(d: MonthFacts, rule: str, path: str, subject_of, others: es.Noun, keep=lambda name: True) -> list[Point]:
    counts = {k: v for k, v in (fmt.at_path(d.figures, path) or {}).items() if isinstance(v, int) and keep(k)}
    if len(counts) < 4 or "atenciones" in d.missing:
        return []
    best = None
    for name, value in counts.items():
        rest = [v for k, v in counts.items() if k != name]
        mean, spread = statistics.mean(rest), statistics.pstdev(rest)
        if not spread or value <= mean:
            continue
        z = (value - mean) / spread
        if z >= DEVIATIONS and (best is None or z > best[0]):
            best = (z, name, value, mean, rest)
    if best is None:
        return []
    z, name, value, mean, rest = best
    text = es.outlier(subject_of(name), value, mean, others)
    figures = {f"{path}.{k}": v for k, v in counts.items()}
    return [Point(rule, text, figures, min(z / DEVIATIONS, 1.5))]


def punto_atipico(d: MonthFacts) -> list[Point]:
    # the regional and local offices among themselves: the head office is larger by design
    return _outlier(d, "punto_atipico", "presencial.por_punto", es.office, es.LEXICON["demas_puntos"],
                    keep=lambda name: name.startswith(("PAR ", "PAL ")))


def tema_atipico(d: MonthFacts) -> list[Point]:
    out = []
    for channel in ("presencial", "telefonico"):
        out += _outlier(d, "tema_atipico", f"{channel}.por_tipo", es.topic, es.LEXICON["demas_temas"])
    return out[:1]


def encuestas(d: MonthFacts) -> list[Point]:
    if d.no_previous or "encuestas" in d.missing:
        return []
    method, before_method = fmt.at_path(d.figures, "encuestas.metodo"), fmt.at_path(d.previous, "encuestas.metodo")
    if method and before_method and method != before_method:
        text = es.method_changed(es.LEXICON["encuestas"], before_method, method, d.previous_month,
                                  with_year=d.previous_month[:4] != d.month[:4])
        return [Point("encuestas", text, {"encuestas.metodo": method,
                                          "mes_anterior.encuestas.metodo": before_method}, 1.5)]
    out = []
    for q, subject in es.QUESTIONS.items():
        path = f"encuestas.preguntas.{q}.consolidado"
        now, before = fmt.at_path(d.figures, path), fmt.at_path(d.previous, path)
        if not isinstance(now, float) or not isinstance(before, float):
            continue
        base_now = _raters(d.figures, q)
        base_before = _raters(d.previous, q)
        if min(base_now, base_before) < MIN_RESPONSES:
            continue
        shown = fmt.redondear(now * 100, 2) - fmt.redondear(before * 100, 2)
        if abs(shown) < SURVEY_CHANGE * 100:
            continue
        text = es.change(subject, before, now, d.previous_month, figure=path,
                          with_year=d.previous_month[:4] != d.month[:4])
        out.append(Point("encuestas", text, {f"mes_anterior.{path}": before, path: now},
                         float(abs(shown)) / (SURVEY_CHANGE * 100) / 2))
    return out


def _raters(tree: dict, q: str) -> int:
    """The responses a question's consolidated figure rests on (every channel's raters)."""
    node = fmt.at_path(tree, f"encuestas.preguntas.{q}") or {}
    return sum(v.get("califican") or 0 for v in node.values() if isinstance(v, dict))


def mes_faltante(d: MonthFacts) -> list[Point]:
    if not d.no_previous:
        return []
    prev = d.previous_month
    if prev[:4] == d.month[:4] and any((fmt.at_path(d.figures, f"acumulado.meses.{prev}") or {}).values()):
        return []  # the year's series holds it (data/historico.csv): the channels' changes use it
    return [Point("mes_faltante", es.missing_month(prev), {}, 3.0)]


#: every rule, by name (the names analysts write under ``puntos_principales.ocultar``)
RULES = {f.__name__: f for f in (cambio_canal, mismo_mes_anio_anterior, record, meta, punto_atipico, tema_atipico, encuestas,
                                   mes_faltante)}
NOTHING_NOTABLE = "nada_notable"
RULE_NAMES = (*RULES, NOTHING_NOTABLE)


def propose(d: MonthFacts) -> list[Point]:
    """Every rule's points, ranked by weight (then by rule and text: the same figures
    always give the same order)."""
    if not MES_RE.match(d.month):
        raise ValueError(d.month)
    found = [p for rule in RULES.values() for p in rule(d)]
    return sorted(found, key=lambda p: (-p.weight, list(RULES).index(p.rule), p.text))


def select(d: MonthFacts, settings: dict | None = None, fill=None) -> list[Point]:
    """The month's main points after the analysts' settings (``settings``: params'
    ``puntos_principales``): rules hidden, wording replaced (``fill`` fills a
    replacement's ``{nombre}``), at most ``maximo``. A month with nothing notable says so."""
    settings = settings or {}
    hidden = set(settings.get("ocultar") or ())
    texts = settings.get("textos") or {}
    cap = settings.get("maximo") or MAX_POINTS
    out = []
    for p in propose(d):
        if p.rule in hidden:
            continue
        if p.rule in texts and fill is not None:
            p = Point(p.rule, fill(texts[p.rule]), p.figures, p.weight)
        out.append(p)
    if not [p for p in out if p.rule != "mes_faltante"] and NOTHING_NOTABLE not in hidden\
            and fmt.at_path(d.figures, "interacciones.total"):  # a month with no activity at all: nothing to say
        text = texts.get(NOTHING_NOTABLE)
        out.append(Point(NOTHING_NOTABLE, fill(text) if text and fill else es.nothing_notable(d.month),
                         {}, 0.0))
    return out[:cap]


def refresh(ctx: dict, missing: tuple[str, ...] = ()) -> None:
    """The month's main points from its checked context (figures, the previous month's,
    params), into ``metricas.puntos_principales`` and the names the slide fills:
    ``principales.lista`` (the points as a numbered Markdown list) and
    ``main_points.notes`` (each point's rule and figures, the slide's notes). Reads no
    data: the preview redoes it when only params' ``puntos_principales`` changed."""
    tree, params, figures = ctx["metricas"], ctx["params"], ctx["cifras"]
    facts = MonthFacts(ctx["mes"], tree, tree.get("mes_anterior"), params.get("cifras_analistas") or {},
                  tuple(ctx.get("faltantes", missing)))
    points = select(facts, params.get("puntos_principales"), lambda t: fmt.rellenar(t, figures))
    tree["puntos_principales"] = [p.as_dict() for p in points]
    figures["principales.lista"] = "\n".join(f"{i}. {p.text}" for i, p in enumerate(points, start=1))
    figures["principales.notas"] = notes(points)


def redo(ctx: dict, path) -> bool:
    """``refresh`` after an edit of params' ``puntos_principales`` alone (the preview's
    narrative shortcut); False when the new settings have errors (the build says them)."""
    from anm_helpers.core.errors import ParametrosInvalidos

    try:
        check_settings(ctx["params"], path)
    except ParametrosInvalidos:
        return False
    refresh(ctx)
    return True


def notes(points: list[Point]) -> str:
    """The speaker notes of the slide: each point's rule and the figures it compared."""
    lines = []
    for i, p in enumerate(points, start=1):
        figures = "; ".join(f"{k} = {fmt.valor(k, v)}" for k, v in p.figures.items()) or "sin cifras"
        lines.append(f"{i}. Regla «{p.rule}». Cifras: {figures}.")
    return "\n".join(lines)


SETTINGS = ("ocultar", "textos", "maximo")


def check_settings(params: dict, path) -> None:
    """Raise ``ParametrosInvalidos`` naming the file, the line and the closest name for
    every problem of params' ``puntos_principales``: an unknown key, an unknown rule
    (under ``ocultar`` or ``textos``), a text that is not text, a ``maximo`` that is not
    1 to 6. (A replacement text's ``{nombre}`` and typed numbers are checked with the
    rest of the narrative, ``typed_numbers``.)"""
    import yaml

    from anm_helpers.core.errors import ParametrosInvalidos
    from anm_helpers.core.suggestions import quiso_decir

    settings = params.get("puntos_principales")
    if settings is None or path is None or not path.exists():
        return
    name = f"params/{path.name}"
    lines = _lines(yaml.compose(path.read_text(encoding="utf-8-sig")))
    problems = []

    def say(key: str, text: str) -> None:
        line = lines.get(key) or lines.get(key.rsplit(".", 1)[0]) or lines.get("puntos_principales")
        problems.append(f"{name}, línea {line} (puntos_principales › {key.split('.', 1)[-1].replace('.', ' › ')}): {text}")

    if not isinstance(settings, dict):
        say("puntos_principales", "debe ser un conjunto de claves (ocultar, textos, maximo)")
    else:
        for key in settings:
            if key not in SETTINGS:
                say(f"puntos_principales.{key}", f"«{key}» no es una clave de puntos_principales "
                                                 f"({', '.join(SETTINGS)}){quiso_decir(str(key), SETTINGS)}")
        hide = settings.get("ocultar") or []
        if not isinstance(hide, list):
            say("puntos_principales.ocultar", "debe ser una lista de reglas, p. ej. [record, tema_atipico]")
            hide = []
        texts = settings.get("textos") or {}
        if not isinstance(texts, dict):
            say("puntos_principales.textos", "debe ser un conjunto de «regla: texto»")
            texts = {}
        for rule in [*hide, *texts]:
            if rule not in RULE_NAMES:
                where = "textos" if rule in texts else "ocultar"
                say(f"puntos_principales.{where}.{rule}", f"«{rule}» no es una regla de lo principal del mes "
                                                          f"({', '.join(RULE_NAMES)}){quiso_decir(str(rule), RULE_NAMES)}")
        for rule, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                say(f"puntos_principales.textos.{rule}", "debe ser un texto")
        cap = settings.get("maximo")
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= MAX_POINTS):
            say("puntos_principales.maximo", f"debe ser un número entero de 1 a {MAX_POINTS}")
    if problems:
        raise ParametrosInvalidos("\n".join(problems))


def _lines(root, prefix: str = "") -> dict:
    """Dotted key -> line, for the mappings and list items of a YAML document."""
    import yaml

    out = {}
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            key = f"{prefix}{k.value}"
            out[key] = k.start_mark.line + 1
            out.update(_lines(v, key + "."))
    elif isinstance(root, yaml.SequenceNode):
        for item in root.value:
            if isinstance(item, yaml.ScalarNode):
                out[f"{prefix}{item.value}"] = item.start_mark.line + 1
    return out
