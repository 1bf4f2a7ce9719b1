"""The report's figures, one function per figure; each docstring is the
figure's definition (../shared/REPORT-SPEC.md, "Definitions").

Counts are ``int``; shares are fractions from 0 to 1, unrounded (the deck
rounds). A figure that cannot be computed (no data) is ``None``.
"""
from __future__ import annotations

import pandas as pd

from anm_helpers.inputs.contract import CANALES, CANALES_ATENCION, PREGUNTAS, PREGUNTAS_INDICE
from anm_helpers.inputs.dataset import MonthData, ReportData, months_of_year_until


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- Canales -------------------------------------------------------------------

def interacciones(m: MonthData, canal: str) -> int:
    """Interactions of a channel in the month. Presencial and telefónico: rows of
    ``atenciones`` with that channel; virtual: rows of ``comunicaciones``
    (incoming plus outgoing). A month with only headers counts 0."""
    if canal == "virtual":
        return int(len(m.comunicaciones))
    return int((m.atenciones["canal"] == canal).sum())


def interacciones_por_canal(m: MonthData) -> dict:
    """Interactions per channel and their total (the "Canales <mes>" slide)."""
    out = {c: interacciones(m, c) for c in CANALES}
    out["total"] = sum(out.values())
    return out


def acumulado(r: ReportData) -> dict:
    """Year-to-date: per channel, the figure of each month from January to the
    report's month, and the sum over those months. A month with a raw folder is
    computed from it; otherwise from ``data/historico.csv``; a month in neither
    is ``None`` ("sin datos", never 0) and adds nothing to the sum."""
    meses: dict[str, dict] = {}
    for mes in months_of_year_until(r.mes):
        data = r.actual if mes == r.mes else r.anteriores.get(mes)
        if data is not None:
            meses[mes] = {c: interacciones(data, c) for c in CANALES}
        else:
            meses[mes] = _from_history(r.historico, mes)
    total = {}
    for c in CANALES:
        values = [v[c] for v in meses.values() if v[c] is not None]
        total[c] = sum(values) if values else None
    known = [v for v in total.values() if v is not None]
    total["total"] = sum(known) if known else None
    return {"meses": meses, "total": total}


def _from_history(historico: pd.DataFrame | None, mes: str) -> dict:
    out = {c: None for c in CANALES}
    if historico is not None:
        rows = historico[historico["mes"] == mes]
        for canal, n in zip(rows["canal"], rows["interacciones"]):
            out[canal] = int(n)
    return out


# --- Presencial y telefónico ----------------------------------------------------

def _canal(m: MonthData, canal: str, columna: str) -> pd.Series:
    """One column of the channel's rows (only that column is filtered: a large
    month has a million rows)."""
    at = m.atenciones
    return at[columna][(at["canal"] == canal).to_numpy()]


def primer_contacto(m: MonthData, canal: str) -> float | None:
    """First-contact resolution: attended interactions of the channel solved at
    first contact over attended interactions of the channel. None with none attended."""
    rows = _canal(m, canal, "primer_contacto")
    return _share(int(rows.sum()), len(rows))


def por_tipo(m: MonthData, canal: str) -> dict:
    """Attended interactions of the channel by typification topic, most frequent
    first (topics written differently but equal after normalising are one)."""
    return _sorted_counts(_canal(m, canal, "tipo").value_counts(sort=False))


def por_punto(m: MonthData) -> dict:
    """Presencial interactions by attention point (PAR, PAL and the central
    office), as named in ``data/puntos.csv``, most frequent first."""
    return _sorted_counts(_canal(m, "presencial", "punto").value_counts(sort=False))


def por_tipo_punto(m: MonthData) -> dict:
    """Presencial interactions by type of point: ``sede_central``, ``PAR``, ``PAL``
    (only the types present in the month)."""
    counts = _present(_canal(m, "presencial", "tipo_punto").value_counts())
    return {t: int(counts[t]) for t in ("sede_central", "PAR", "PAL") if t in counts.index}


def _present(counts: pd.Series) -> pd.Series:
    """Counts of the values present: a categorical column also counts its
    other categories, with 0 (a topic seen only on the other channel)."""
    return counts[counts > 0]


def _sorted_counts(counts: pd.Series) -> dict:
    items = sorted(((str(k), int(v)) for k, v in _present(counts).items()), key=lambda kv: (-kv[1], kv[0]))
    return dict(items)


def llamadas(m: MonthData) -> dict:
    """Incoming and answered calls of the phone platform, summed over the
    month's days, and answered over incoming (None with no incoming calls)."""
    entrantes = int(m.llamadas["entrantes"].sum())
    contestadas = int(m.llamadas["contestadas"].sum())
    return {"entrantes": entrantes, "contestadas": contestadas,
            "contestadas_sobre_entrantes": _share(contestadas, entrantes)}


# --- Virtual --------------------------------------------------------------------

def virtual(m: MonthData) -> dict:
    """The virtual channel: interactions (rows of ``comunicaciones``), incoming
    (``entrada``: from users), outgoing (``salida``: sent by the agency), and
    incoming by medium (correo contacto, radicador web, chat, te llamamos)."""
    c = m.comunicaciones
    entrada = (c["sentido"] == "entrada").to_numpy()
    return {
        "interacciones": int(len(c)),
        "entrada": int(entrada.sum()),
        "salida": int((c["sentido"] == "salida").sum()),
        "por_medio_entrada": _sorted_counts(c["medio"][entrada].value_counts(sort=False)),
    }


# --- Encuestas ------------------------------------------------------------------

def valor_pregunta(scores: pd.Series, metodo: str) -> float | None:
    """Survey value of a question over the given responses (empty = not answered):
    ``top2``, the share of answers scoring 4 or 5; ``promedio``, the mean score
    rescaled from 1-5 to 0-1, (mean - 1) / 4. None when nobody answered."""
    answered = scores.dropna()
    if answered.empty:
        return None
    if metodo == "top2":
        return float((answered >= 4).sum() / len(answered))
    if metodo == "promedio":
        return float((answered.astype("float64").mean() - 1) / 4)
    raise ValueError(f"metodo_encuestas desconocido: {metodo}")


def califican(scores: pd.Series) -> int:
    """Raters: responses that answered the question."""
    return int(scores.notna().sum())


def tasa_respuesta(raters: int, atendidas: int) -> float | None:
    """Response share: raters over attended interactions of the channel
    (None when the channel attended nobody)."""
    return _share(raters, atendidas)


def tasa_respuesta_promedio(shares: list[float | None]) -> float | None:
    """Average response share: the plain mean of the channels' response shares
    (channels whose share cannot be computed are left out)."""
    known = [s for s in shares if s is not None]
    return sum(known) / len(known) if known else None


def encuesta_pregunta(m: MonthData, pregunta: str, metodo: str, atendidas: dict) -> dict | None:
    """One question: per channel with survey responses its value, raters and
    response share; the consolidated value (the same method over the responses of
    all channels together); the average response share. None when the month's
    survey does not have the question or nobody answered it."""
    e = m.encuestas
    if pregunta not in e.columns or e[pregunta].notna().sum() == 0:
        return None
    out: dict = {}
    for canal in CANALES:
        rows = (e["canal"] == canal).to_numpy()
        if not rows.any():
            continue
        scores = e[pregunta][rows]
        n = califican(scores)
        out[canal] = {"valor": valor_pregunta(scores, metodo), "califican": n,
                      "tasa_respuesta": tasa_respuesta(n, atendidas[canal])}
    out["consolidado"] = valor_pregunta(e[pregunta], metodo)
    out["tasa_respuesta_promedio"] = tasa_respuesta_promedio(
        [out[c]["tasa_respuesta"] for c in CANALES if c in out])
    return out


def indice_anm(m: MonthData) -> float | None:
    """Índice de satisfacción ANM ("Satisfacción consolidada"): answers scoring 4
    or 5 over all answers, summed over the questions satisfacción, percepción and
    confianza and over all channels. None with no answers."""
    e = m.encuestas
    cols = [q for q in PREGUNTAS_INDICE if q in e.columns]
    answered = int(e[cols].notna().sum().sum()) if cols else 0
    favorable = int((e[cols] >= 4).sum().sum()) if cols else 0
    return _share(favorable, answered)


def encuestas(m: MonthData, metodo: str) -> dict:
    atendidas = {c: interacciones(m, c) for c in CANALES}
    return {
        "metodo": metodo,
        "preguntas": {q: encuesta_pregunta(m, q, metodo, atendidas) for q in PREGUNTAS},
        "indice_anm": indice_anm(m),
    }


# --- The whole month ------------------------------------------------------------

def month_metrics(m: MonthData, metodo: str) -> dict:
    """Every figure of one month that depends on that month alone."""
    calls = llamadas(m)
    presencial = {
        "atendidas": interacciones(m, "presencial"),
        "primer_contacto": primer_contacto(m, "presencial"),
        "por_tipo_punto": por_tipo_punto(m),
        "por_punto": por_punto(m),
        "por_tipo": por_tipo(m, "presencial"),
    }
    telefonico = {
        "atendidas": interacciones(m, "telefonico"),
        "primer_contacto": primer_contacto(m, "telefonico"),
        **calls,
        "por_tipo": por_tipo(m, "telefonico"),
    }
    return {
        "mes": m.mes,
        "interacciones": interacciones_por_canal(m),
        "presencial": presencial,
        "telefonico": telefonico,
        "virtual": virtual(m),
        "encuestas": encuestas(m, metodo),
    }


def report_metrics(r: ReportData, metodo: str) -> dict:
    """``metrics.json``: the month's figures and its year-to-date, keyed as the
    data contract specifies."""
    month = month_metrics(r.actual, metodo)
    out = {"mes": r.mes, "interacciones": month["interacciones"], "acumulado": acumulado(r)}
    out.update({k: month[k] for k in ("presencial", "telefonico", "virtual", "encuestas")})
    return out


assert set(CANALES_ATENCION) <= set(CANALES)
