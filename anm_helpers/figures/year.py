"""The year's figures (``reports/<AAAA>/metrics.json``), computed from the months' own
published ``metrics.json`` only (never from data/), and checked against them.

:func:`year_metrics` reads plain dicts (each month's ``metrics.json`` content), so it is
tested without files. The checks (:func:`disagreements`): each month's year to date
(``acumulado.meses``) holds every earlier month's own ``interacciones``, and each
month's ``acumulado.total`` is the sum of its ``acumulado.meses``, so the last
month's year to date is the sum of the months. A difference is an error
(``AnioInconsistente``) naming the months, the figure and both values, never a
silent pick of one side.

A month with no published report is ``null`` in ``meses`` and listed in
``meses_sin_datos``; it adds nothing to a total and a quarter that lacks it says so.
"""
from __future__ import annotations

from anm_helpers.core import fmt
from anm_helpers.core.errors import AnioInconsistente

CHANNELS = ("presencial", "telefonico", "virtual")
QUARTERS = {"T1": (1, 2, 3), "T2": (4, 5, 6), "T3": (7, 8, 9), "T4": (10, 11, 12)}


def months_of(anio: str) -> list[str]:
    """The twelve months of ``anio``, ``AAAA-MM``."""
    return [f"{anio}-{n:02d}" for n in range(1, 13)]


def month_figures(m: dict) -> dict:
    """What the year shows of one month, from its ``metrics.json``."""
    counts = m.get("interacciones") or {}
    return {
        "interacciones": {c: counts.get(c) for c in (*CHANNELS, "total")},
        "primer_contacto": {c: fmt.at_path(m, f"{c}.primer_contacto") for c in ("presencial", "telefonico")},
        "llamadas": {k: fmt.at_path(m, f"telefonico.{k}") for k in ("entrantes", "contestadas", "contestadas_sobre_entrantes")},
        "satisfaccion": {"consolidado": fmt.at_path(m, "encuestas.preguntas.satisfaccion.consolidado"),
                         "metodo": fmt.at_path(m, "encuestas.metodo")},
    }


def disagreements(months: dict[str, dict]) -> list[str]:
    """Every place where the months' published figures disagree, in Spanish."""
    from anm_helpers.core.fmt import nombre_mes, numero

    out = []
    for mes in sorted(months):
        ytd = months[mes].get("acumulado") or {}
        listed = ytd.get("meses") or {}
        for earlier, values in sorted(listed.items()):
            own = months.get(earlier)
            if own is None or values is None:
                continue
            for channel in CHANNELS:
                a, b = values.get(channel), (own.get("interacciones") or {}).get(channel)
                if a != b:
                    out.append(f"el informe de {nombre_mes(mes)} ({mes}) dice en acumulado.meses.{earlier}.{channel} "
                               f"{numero(a)}, y el de {nombre_mes(earlier)} ({earlier}) en interacciones.{channel} "
                               f"{numero(b)}")
        total = ytd.get("total") or {}
        for channel in CHANNELS:
            parts = [v.get(channel) for v in listed.values() if v and v.get(channel) is not None]
            expected = sum(parts) if parts else None
            if channel in total and total[channel] != expected:
                out.append(f"el informe de {nombre_mes(mes)} ({mes}) dice en acumulado.total.{channel} "
                           f"{numero(total[channel])}, y la suma de sus meses ({', '.join(sorted(listed))}) es "
                           f"{numero(expected)}")
    return out


def _against_year_to_date(months: dict[str, dict], with_data: list[str], total: dict) -> list[str]:
    """The year's total per channel against the last month's published year to date
    (``acumulado.total``); skipped when that year to date holds a month with no report
    of its own (known from ``data/historico.csv``), which the year does not count."""
    from anm_helpers.core.fmt import nombre_mes, numero

    if not with_data:
        return []
    last = with_data[-1]
    ytd = months[last].get("acumulado") or {}
    others = [m for m, v in (ytd.get("meses") or {}).items()
              if m not in months and v and any(x is not None for x in v.values())]
    if others:
        return []
    out = []
    for channel in (*CHANNELS, "total"):
        published = (ytd.get("total") or {}).get(channel)
        if channel in (ytd.get("total") or {}) and published != total[channel]:
            scope = f"en el canal {channel}" if channel != "total" else "de todos los canales"
            out.append(f"el total del año {scope} es {numero(total[channel])} (la suma de "
                       f"{enumeration([nombre_mes(m) for m in with_data])}), y el informe de {nombre_mes(last)} ({last}) "
                       f"dice en acumulado.total.{channel} {numero(published)}")
    return out


def _sum(values: list) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def year_metrics(anio: str, months: dict[str, dict]) -> dict:
    """The year's figures from the months' ``metrics.json`` (``{"AAAA-MM": {...}}``, the
    months with a published report); ``AnioInconsistente`` when they disagree."""
    months = {mes: m for mes, m in months.items() if mes.startswith(f"{anio}-")}
    found = disagreements(months)
    by_month = {mes: (month_figures(months[mes]) if mes in months else None) for mes in months_of(anio)}
    with_data = [mes for mes, v in by_month.items() if v is not None]
    total = {c: _sum([v["interacciones"][c] for v in by_month.values() if v]) for c in CHANNELS}
    total["total"] = _sum(list(total.values()))
    found += _against_year_to_date(months, with_data, total)
    if found:
        raise AnioInconsistente(found)
    quarters = {}
    for name, numbers in QUARTERS.items():
        in_quarter = [f"{anio}-{n:02d}" for n in numbers]
        present = [by_month[m] for m in in_quarter if by_month[m] is not None]
        q = {c: _sum([v["interacciones"][c] for v in present]) for c in (*CHANNELS, "total")}
        q["meses"] = in_quarter
        q["meses_sin_datos"] = [m for m in in_quarter if by_month[m] is None]
        quarters[name] = q
    by_office: dict[str, int] = {}
    for mes in with_data:
        for office, n in (fmt.at_path(months[mes], "presencial.por_punto") or {}).items():
            by_office[office] = by_office.get(office, 0) + int(n)
    ranking = [{"punto": p, "interacciones": n} for p, n in sorted(by_office.items(), key=lambda kv: (-kv[1], kv[0]))]
    methods: dict[str, list[str]] = {}
    for mes in with_data:
        method = by_month[mes]["satisfaccion"]["metodo"]
        if method is not None:
            methods.setdefault(method, []).append(mes)
    return {
        "anio": anio,
        "meses": by_month,
        "meses_con_datos": with_data,
        "meses_sin_datos": [m for m, v in by_month.items() if v is None],
        "metodos_encuesta": methods,
        "trimestres": quarters,
        "total": total,
        "ranking_puntos": ranking,
    }


def enumeration(words: list[str]) -> str:
    """``["abril", "mayo", "junio"]`` -> ``abril, mayo y junio``; none -> ``ninguno``."""
    if not words:
        return "ninguno"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} y {words[-1]}"


def year_names(metricas: dict) -> dict:
    """The year's named values for narrative (``{total.total}``, ``{periodo.anio}``,
    ``{periodo.meses_sin_datos}``), in es-CO format, as a month's ``cifras``."""
    names = {path: fmt.valor(path, v) for path, v in fmt.flatten(metricas).items() if not isinstance(v, list)}
    anio = metricas["anio"]
    names.update({
        "periodo.anio": anio,
        "periodo.titulo": anio,
        "periodo.meses_con_datos": enumeration([fmt.nombre_mes(m) for m in metricas["meses_con_datos"]]),
        "periodo.meses_sin_datos": enumeration([fmt.nombre_mes(m) for m in metricas["meses_sin_datos"]]),
    })
    return names


def read_published(anio: str, months: list[str] | None = None) -> dict[str, dict]:
    """The published ``reports/<MES>/metrics.json`` of ``months`` (default: every month
    of ``anio`` that has one), as dicts; a file that cannot be read is an error naming it."""
    import json

    from anm_helpers.core import config
    from anm_helpers.core.errors import ArchivoIlegible

    out = {}
    for mes in months if months is not None else months_of(anio):
        path = config.report_dir(mes) / "metrics.json"
        if not path.exists():
            continue
        try:
            out[mes] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ArchivoIlegible(f"reports/{mes}/metrics.json no se puede leer ({exc}); vuelva a construir "
                                  f"el mes: make report MONTH={mes}") from None
    return out


def year_context(anio: str, months: dict[str, dict], borrador: list[str] | tuple = ()) -> dict:
    """What the year's notebook reads (``slides.anual.abrir_anio``): the figures and their
    named values, shaped as a month's context (``mes`` is the year). ``borrador``: the
    months published unfinished (``read_drafts``): the year is then a draft too, and says
    which months make it one."""
    metricas = year_metrics(anio, months)
    metricas["meses_borrador"] = sorted(borrador)
    ctx = {"mes": anio, "metricas": metricas, "cifras": year_names(metricas), "params": {}}
    if borrador:
        ctx["borrador"] = [f"el informe de {fmt_month(m)} está marcado BORRADOR" for m in sorted(borrador)]
    return ctx


def fmt_month(mes: str) -> str:
    return f"{fmt.nombre_mes(mes)} de {mes[:4]}"


def published_draft(folder) -> bool | None:
    """A published report's BORRADOR mark (``diapositivas.json``'s ``borrador``): False
    without that file (published by an earlier version of the tool), None when it cannot
    be read."""
    import json

    path = folder / "diapositivas.json"
    if not path.is_file():
        return False
    try:
        texts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return texts.get("borrador") is True if isinstance(texts, dict) else None


def read_drafts(months: list[str]) -> list[str]:
    """The months whose published report is marked BORRADOR (``published_draft``)."""
    from anm_helpers.core import config

    return [mes for mes in months if published_draft(config.report_dir(mes))]
