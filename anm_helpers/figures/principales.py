"""«Lo principal del mes»: the month's main points, drafted from its figures by small
named rules, ranked by how much they matter, and written in correct Spanish
(``core.lenguaje``). Deterministic and traceable: the same figures give the same
points byte for byte, and each point carries the figures it rests on by their key
paths in ``metrics.json`` (``cifras``), every number of its text being one of them or
computed from them (a difference, a ratio), rounded as the deck rounds.

The rules (each a function of the month's ``Datos``, returning candidate points):

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
  change of method is said instead) nor on fewer than ``BASE_MINIMA`` responses;
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
from anm_helpers.core import lenguaje as es
from anm_helpers.core.month import MES_RE

#: at most this many points (the UK's ONS: at most six main points)
MAXIMO = 6
#: no claim on a survey figure computed from fewer responses
BASE_MINIMA = 30
#: the usual month-to-month movement when the series is too short to tell (a relative change)
MOVIMIENTO_POR_DEFECTO = 0.10
#: never less than this, however calm the series (a relative change)
MOVIMIENTO_MINIMO = 0.05
#: a survey question's change worth saying (in share units: 0.01 is one percentage point)
CAMBIO_ENCUESTA = 0.01
#: how far from the rest an office or a topic must be (standard deviations of the rest)
DESVIOS = 2.0

CANAL_DE_TABLA = {"presencial": "atenciones", "telefonico": "atenciones", "virtual": "comunicaciones"}


@dataclass(frozen=True)
class Punto:
    """One main point: its sentence, its rule, the figures it rests on (key path in
    ``metrics.json`` -> value) and its weight in the ranking."""

    regla: str
    texto: str
    cifras: dict
    peso: float

    def como_dict(self) -> dict:
        return {"texto": self.texto, "regla": self.regla, "cifras": dict(self.cifras)}


@dataclass
class Datos:
    """What the rules read: the month's figures (``metrics.json``), the previous month's
    with its own survey method (``mes_anterior`` in ``metrics.json``, None without data),
    the analysts' figures, and the tables the month lacks (an unfinished month)."""

    mes: str
    metricas: dict
    anterior: dict | None = None
    analistas: dict = field(default_factory=dict)
    faltantes: tuple[str, ...] = ()

    @property
    def mes_anterior(self) -> str:
        return es.month_before(self.mes)

    @property
    def sin_anterior(self) -> bool:
        """The month before has no data (no folder, or a folder with no interaction)."""
        return not _get(self.anterior, "interacciones.total")

    def tiene(self, canal: str) -> bool:
        """The channel's table is there this month (``total``: all of them)."""
        if canal == "total":
            return not self.faltantes
        return CANAL_DE_TABLA[canal] not in self.faltantes


def _get(tree: dict | None, path: str):
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _subject(canal: str) -> es.Noun:
    if canal == "total":
        return es.LEXICON["interacciones"]
    return es.LEXICON["interacciones"].of(es.CHANNELS[canal])


def _previous(d: Datos, canal: str) -> tuple[dict, int | None]:
    """The previous month's interactions of ``canal`` and the figures they come from:
    the year's series when the month before is of the same year (``acumulado.meses``),
    else ``mes_anterior`` (the month before, of another year)."""
    prev = d.mes_anterior
    canales = ("presencial", "telefonico", "virtual") if canal == "total" else (canal,)
    if prev[:4] == d.mes[:4]:
        cifras = {f"acumulado.meses.{prev}.{c}": _get(d.metricas, f"acumulado.meses.{prev}.{c}") for c in canales}
        if None not in cifras.values():
            return cifras, sum(cifras.values())
    path = f"interacciones.{canal}"
    value = _get(d.anterior, path)
    return {f"mes_anterior.{path}": value}, value


def _usual_movement(d: Datos, canal: str) -> float:
    """The series' usual month-to-month movement of ``canal``: the median relative
    change between the year's earlier months (before this month's change)."""
    meses = _get(d.metricas, "acumulado.meses") or {}
    series = []
    for mes in sorted(meses):
        if mes >= d.mes:
            break
        values = meses[mes]
        value = sum(values.values()) if canal == "total" and None not in values.values() else values.get(canal)
        series.append(value)
    changes = [abs(b - a) / a for a, b in zip(series, series[1:]) if a and b is not None]
    usual = statistics.median(changes) if changes else MOVIMIENTO_POR_DEFECTO
    return max(usual, MOVIMIENTO_MINIMO)


def cambio_canal(d: Datos) -> list[Punto]:
    out = []
    for canal in ("total", "presencial", "telefonico", "virtual"):
        if not d.tiene(canal):
            continue
        now_path = f"interacciones.{canal}"
        now = _get(d.metricas, now_path)
        cifras, before = _previous(d, canal)
        if now is None or not before:
            continue
        rel = (now - before) / before
        usual = _usual_movement(d, canal)
        if abs(rel) < usual:
            continue
        texto = es.change(_subject(canal), before, now, d.mes_anterior,
                          with_year=d.mes_anterior[:4] != d.mes[:4])
        out.append(Punto("cambio_canal", texto, {**cifras, now_path: now},
                         abs(rel) / usual + (0.5 if canal == "total" else 0)))
    return out


def mismo_mes_anio_anterior(d: Datos) -> list[Punto]:
    """The total, and each channel, against the same month a year earlier, when the data
    exist (``anio_anterior`` in metrics.json), beyond the usual movement of the series."""
    before_tree = d.metricas.get("anio_anterior")
    if not before_tree:
        return []
    out = []
    for canal in ("total", "presencial", "telefonico", "virtual"):
        if not d.tiene(canal):
            continue
        now_path, before_path = f"interacciones.{canal}", f"anio_anterior.interacciones.{canal}"
        now, before = _get(d.metricas, now_path), _get(d.metricas, before_path)
        if now is None or not before:
            continue
        rel = (now - before) / before
        if abs(rel) < 2 * _usual_movement(d, canal):  # a year apart: twice the usual monthly movement
            continue
        texto = es.same_month_last_year(_subject(canal), before, now, d.mes)
        out.append(Punto("mismo_mes_anio_anterior", texto, {before_path: before, now_path: now},
                         abs(rel) / (2 * _usual_movement(d, canal))))
    return out


def record(d: Datos) -> list[Punto]:
    out = []
    meses = _get(d.metricas, "acumulado.meses") or {}
    for canal in ("presencial", "telefonico", "virtual"):
        if not d.tiene(canal):
            continue
        series = {m: v.get(canal) for m, v in sorted(meses.items()) if v.get(canal) is not None}
        if len(series) < 3 or d.mes not in series:
            continue
        now = series[d.mes]
        others = [v for m, v in series.items() if m != d.mes]
        for high in (True, False):
            if (high and now > max(others)) or (not high and now < min(others)):
                since = min(series)
                texto = es.record(_subject(canal), now, high, since)
                cifras = {f"acumulado.meses.{m}.{canal}": v for m, v in series.items()}
                out.append(Punto("record", texto, cifras, 1.2))
    return out


#: (target in cifras_analistas, figure path, subject)
METAS = (
    ("meta_nivel_servicio", "telefonico.contestadas_sobre_entrantes", es.LEXICON["contestadas_sobre_entrantes"]),
    ("meta_primer_contacto", "presencial.primer_contacto",
     es.LEXICON["primer_contacto"].of(es.CHANNELS["presencial"])),
    ("meta_aplicacion_encuestas", "encuestas.preguntas.satisfaccion.presencial.tasa_respuesta",
     es.LEXICON["tasa_respuesta"].of(es.CHANNELS["presencial"])),
)


def meta(d: Datos) -> list[Punto]:
    out = []
    for nombre, path, subject in METAS:
        goal = d.analistas.get(nombre)
        value = _get(d.metricas, path)
        table = "llamadas" if path.startswith("telefonico.contestadas") else \
            "encuestas" if path.startswith("encuestas") else "atenciones"
        if not isinstance(goal, (int, float)) or isinstance(goal, bool) or not isinstance(value, float) \
                or table in d.faltantes:
            continue
        texto = es.target(subject, value, goal, figure=path)
        missed = "por debajo" in texto
        out.append(Punto("meta", texto, {path: value, f"analistas.{nombre}": goal}, 2.0 if missed else 0.9))
    return out


def _atipico(d: Datos, regla: str, path: str, subject_of, others: es.Noun, keep=lambda name: True) -> list[Punto]:
    counts = {k: v for k, v in (_get(d.metricas, path) or {}).items() if isinstance(v, int) and keep(k)}
    if len(counts) < 4 or "atenciones" in d.faltantes:
        return []
    best = None
    for name, value in counts.items():
        rest = [v for k, v in counts.items() if k != name]
        mean, spread = statistics.mean(rest), statistics.pstdev(rest)
        if not spread or value <= mean:
            continue
        z = (value - mean) / spread
        if z >= DESVIOS and (best is None or z > best[0]):
            best = (z, name, value, mean, rest)
    if best is None:
        return []
    z, name, value, mean, rest = best
    texto = es.outlier(subject_of(name), value, mean, others)
    cifras = {f"{path}.{k}": v for k, v in counts.items()}
    return [Punto(regla, texto, cifras, min(z / DESVIOS, 1.5))]


def punto_atipico(d: Datos) -> list[Punto]:
    # the regional and local offices among themselves: the head office is larger by design
    return _atipico(d, "punto_atipico", "presencial.por_punto", es.office, es.LEXICON["demas_puntos"],
                    keep=lambda name: name.startswith(("PAR ", "PAL ")))


def tema_atipico(d: Datos) -> list[Punto]:
    out = []
    for canal in ("presencial", "telefonico"):
        out += _atipico(d, "tema_atipico", f"{canal}.por_tipo", es.topic, es.LEXICON["demas_temas"])
    return out[:1]


def encuestas(d: Datos) -> list[Punto]:
    if d.sin_anterior or "encuestas" in d.faltantes:
        return []
    method, before_method = _get(d.metricas, "encuestas.metodo"), _get(d.anterior, "encuestas.metodo")
    if method and before_method and method != before_method:
        texto = es.method_changed(es.LEXICON["encuestas"], before_method, method, d.mes_anterior,
                                  with_year=d.mes_anterior[:4] != d.mes[:4])
        return [Punto("encuestas", texto, {"encuestas.metodo": method,
                                          "mes_anterior.encuestas.metodo": before_method}, 1.5)]
    out = []
    for q, subject in es.QUESTIONS.items():
        path = f"encuestas.preguntas.{q}.consolidado"
        now, before = _get(d.metricas, path), _get(d.anterior, path)
        if not isinstance(now, float) or not isinstance(before, float):
            continue
        base_now = _califican(d.metricas, q)
        base_before = _califican(d.anterior, q)
        if min(base_now, base_before) < BASE_MINIMA:
            continue
        shown = fmt.redondear(now * 100, 2) - fmt.redondear(before * 100, 2)
        if abs(shown) < CAMBIO_ENCUESTA * 100:
            continue
        texto = es.change(subject, before, now, d.mes_anterior, figure=path,
                          with_year=d.mes_anterior[:4] != d.mes[:4])
        out.append(Punto("encuestas", texto, {f"mes_anterior.{path}": before, path: now},
                         float(abs(shown)) / (CAMBIO_ENCUESTA * 100) / 2))
    return out


def _califican(metricas: dict, q: str) -> int:
    """The responses a question's consolidated figure rests on (every channel's raters)."""
    node = _get(metricas, f"encuestas.preguntas.{q}") or {}
    return sum(v.get("califican") or 0 for v in node.values() if isinstance(v, dict))


def mes_faltante(d: Datos) -> list[Punto]:
    if not d.sin_anterior:
        return []
    prev = d.mes_anterior
    if prev[:4] == d.mes[:4] and any((_get(d.metricas, f"acumulado.meses.{prev}") or {}).values()):
        return []  # the year's series holds it (data/historico.csv): the channels' changes use it
    return [Punto("mes_faltante", es.missing_month(prev), {}, 3.0)]


#: every rule, by name (the names analysts write under ``puntos_principales.ocultar``)
REGLAS = {f.__name__: f for f in (cambio_canal, mismo_mes_anio_anterior, record, meta, punto_atipico, tema_atipico, encuestas,
                                   mes_faltante)}
NADA_NOTABLE = "nada_notable"
NOMBRES = (*REGLAS, NADA_NOTABLE)


def proponer(d: Datos) -> list[Punto]:
    """Every rule's points, ranked by weight (then by rule and text: the same figures
    always give the same order)."""
    if not MES_RE.match(d.mes):
        raise ValueError(d.mes)
    found = [p for rule in REGLAS.values() for p in rule(d)]
    return sorted(found, key=lambda p: (-p.peso, list(REGLAS).index(p.regla), p.texto))


def principales(d: Datos, ajustes: dict | None = None, rellenar=None) -> list[Punto]:
    """The month's main points after the analysts' settings (``ajustes``: params'
    ``puntos_principales``): rules hidden, wording replaced (``rellenar`` fills a
    replacement's ``{nombre}``), at most ``maximo``. A month with nothing notable says so."""
    ajustes = ajustes or {}
    ocultas = set(ajustes.get("ocultar") or ())
    textos = ajustes.get("textos") or {}
    maximo = ajustes.get("maximo") or MAXIMO
    out = []
    for p in proponer(d):
        if p.regla in ocultas:
            continue
        if p.regla in textos and rellenar is not None:
            p = Punto(p.regla, rellenar(textos[p.regla]), p.cifras, p.peso)
        out.append(p)
    if not [p for p in out if p.regla != "mes_faltante"] and NADA_NOTABLE not in ocultas \
            and _get(d.metricas, "interacciones.total"):  # a month with no activity at all: nothing to say
        texto = textos.get(NADA_NOTABLE)
        out.append(Punto(NADA_NOTABLE, rellenar(texto) if texto and rellenar else es.nothing_notable(d.mes),
                         {}, 0.0))
    return out[:maximo]


def refresh(ctx: dict, faltantes: tuple[str, ...] = ()) -> None:
    """The month's main points from its checked context (figures, the previous month's,
    params), into ``metricas.puntos_principales`` and the names the slide fills:
    ``principales.lista`` (the points as a numbered Markdown list) and
    ``principales.notas`` (each point's rule and figures, the slide's notes). Reads no
    data: the preview redoes it when only params' ``puntos_principales`` changed."""
    metricas, params, cifras = ctx["metricas"], ctx["params"], ctx["cifras"]
    datos = Datos(ctx["mes"], metricas, metricas.get("mes_anterior"), params.get("cifras_analistas") or {},
                  tuple(ctx.get("faltantes", faltantes)))
    puntos = principales(datos, params.get("puntos_principales"), lambda t: fmt.rellenar(t, cifras))
    metricas["puntos_principales"] = [p.como_dict() for p in puntos]
    cifras["principales.lista"] = "\n".join(f"{i}. {p.texto}" for i, p in enumerate(puntos, start=1))
    cifras["principales.notas"] = notas(puntos)


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


def notas(puntos: list[Punto]) -> str:
    """The speaker notes of the slide: each point's rule and the figures it compared."""
    lines = []
    for i, p in enumerate(puntos, start=1):
        cifras = "; ".join(f"{k} = {fmt.valor(k, v)}" for k, v in p.cifras.items()) or "sin cifras"
        lines.append(f"{i}. Regla «{p.regla}». Cifras: {cifras}.")
    return "\n".join(lines)


AJUSTES = ("ocultar", "textos", "maximo")


def check_settings(params: dict, path) -> None:
    """Raise ``ParametrosInvalidos`` naming the file, the line and the closest name for
    every problem of params' ``puntos_principales``: an unknown key, an unknown rule
    (under ``ocultar`` or ``textos``), a text that is not text, a ``maximo`` that is not
    1 to 6. (A replacement text's ``{nombre}`` and typed numbers are checked with the
    rest of the narrative, ``typed_numbers``.)"""
    import yaml

    from anm_helpers.core.errors import ParametrosInvalidos
    from anm_helpers.core.suggestions import quiso_decir

    ajustes = params.get("puntos_principales")
    if ajustes is None or path is None or not path.exists():
        return
    name = f"params/{path.name}"
    lines = _lines(yaml.compose(path.read_text(encoding="utf-8-sig")))
    problems = []

    def say(key: str, text: str) -> None:
        line = lines.get(key) or lines.get(key.rsplit(".", 1)[0]) or lines.get("puntos_principales")
        problems.append(f"{name}, línea {line} (puntos_principales › {key.split('.', 1)[-1].replace('.', ' › ')}): {text}")

    if not isinstance(ajustes, dict):
        say("puntos_principales", "debe ser un conjunto de claves (ocultar, textos, maximo)")
    else:
        for key in ajustes:
            if key not in AJUSTES:
                say(f"puntos_principales.{key}", f"«{key}» no es una clave de puntos_principales "
                                                 f"({', '.join(AJUSTES)}){quiso_decir(str(key), AJUSTES)}")
        ocultar = ajustes.get("ocultar") or []
        if not isinstance(ocultar, list):
            say("puntos_principales.ocultar", "debe ser una lista de reglas, p. ej. [record, tema_atipico]")
            ocultar = []
        textos = ajustes.get("textos") or {}
        if not isinstance(textos, dict):
            say("puntos_principales.textos", "debe ser un conjunto de «regla: texto»")
            textos = {}
        for regla in [*ocultar, *textos]:
            if regla not in NOMBRES:
                where = "textos" if regla in textos else "ocultar"
                say(f"puntos_principales.{where}.{regla}", f"«{regla}» no es una regla de lo principal del mes "
                                                          f"({', '.join(NOMBRES)}){quiso_decir(str(regla), NOMBRES)}")
        for regla, texto in textos.items():
            if not isinstance(texto, str) or not texto.strip():
                say(f"puntos_principales.textos.{regla}", "debe ser un texto")
        maximo = ajustes.get("maximo")
        if maximo is not None and (isinstance(maximo, bool) or not isinstance(maximo, int) or not 1 <= maximo <= MAXIMO):
            say("puntos_principales.maximo", f"debe ser un número entero de 1 a {MAXIMO}")
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
