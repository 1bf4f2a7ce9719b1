"""The build context: what every section notebook of a month reads.

It is computed once per build (data read and checked once, figures computed
once) and written as JSON beside the staged outputs (``build``), which
``seccion.abrir`` reads without pandas; a notebook run on its own computes the
same thing itself.
"""
from __future__ import annotations

from dataclasses import asdict

from anm_helpers.core import fmt, language
from anm_helpers.core.errors import InformeError
from anm_helpers.inputs.contract import MEDIOS, TIPOS_PUNTO
from anm_helpers.inputs.dataset import ReportData, load_report_data, previous_month
from anm_helpers.figures import main_points
from anm_helpers.figures.metrics import month_metrics, report_metrics
from anm_helpers.inputs.params import load_params
from anm_helpers.figures.quality import avisos, borrador, normalizaciones, notas

NO_CAMBIO = ("mes", "encuestas.metodo")
#: keys of metrics.json that are not the month's own figures: the previous month's (the main
#: points compare with them) and the main points themselves; no {nombre} of their own
NO_CIFRAS = ("mes_anterior", "anio_anterior", "puntos_principales")
#: what a survey figure is under each method, for narrative that must read true under both
MEDIDA = {"top2": "porcentaje de quienes califican con 4 o 5, en una escala de 1 a 5",
          "promedio": "promedio de las calificaciones de 1 a 5, llevado a una escala de 0 a 100%"}
#: ``por_*`` counts whose categories the contract fixes: narrative may name any of them,
#: and one absent this month reads 0 (metrics.json keeps only the categories present)
FIXED_CATEGORIES = {"virtual.por_medio_entrada": MEDIOS, "presencial.por_tipo_punto": TIPOS_PUNTO}
#: what a count counts, for its change in words ("disminución de 142 interacciones");
#: the first key found in the path decides, otherwise interactions
UNIDADES = (("califican", "personas"), ("entrantes", "llamadas"), ("contestadas", "llamadas"),
            ("virtual.entrada", "comunicaciones"), ("virtual.salida", "comunicaciones"),
            ("virtual.por_medio_entrada", "comunicaciones"))


def unidad_cambio(path: str) -> str:
    """The unit of the change of the count at ``path`` (shares change in ``puntos``)."""
    return next((unidad for key, unidad in UNIDADES if key in path), "interacciones")


def named_values(mes: str, metricas: dict, anterior: dict | None, params: dict) -> dict:
    """Every value narrative may name, formatted for the deck:

    - each path of ``metrics.json`` (``presencial.atendidas`` -> ``1.000``);
    - ``cambio.<path>``: the change against the previous month as a noun phrase
      with its article (``un aumento de 8 puntos``, ``una disminución de …``);
      ``variacion.<path>``: the same as a verb phrase (``aumentó 8 puntos``,
      ``se mantuvo``); both in words
    - ``encuestas.medida``: what the month's survey figures are under its method
      (``top2``: a share of raters; ``promedio``: a rescaled mean)
      (``aumento de 8 puntos``; shares change in percentage points);
    - ``periodo.mes`` (``marzo``), ``periodo.mes_titulo`` (``Marzo``),
      ``periodo.titulo`` (``Marzo 2024``), ``periodo.anio``, ``periodo.mes_anterior``;
    - ``analistas.<nombre>``: the figures declared in the month's params.
    """
    flat = fmt.flatten({k: v for k, v in metricas.items() if k not in NO_CIFRAS})
    for path, universe in FIXED_CATEGORIES.items():  # a medio with no communication this month had 0
        node = metricas
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            for category in universe:
                flat.setdefault(f"{path}.{category}", 0)
    out = {path: fmt.valor(path, v) for path, v in flat.items() if path not in NO_CAMBIO}
    prev = fmt.flatten(anterior) if anterior else {}
    for path, v in flat.items():
        if path in NO_CAMBIO or path.startswith("acumulado.") or not isinstance(v, (int, float)):
            continue
        # a category of a por_* count absent the month before had none then
        before = prev.get(path, 0 if ".por_" in path and isinstance(v, int) else None)
        for prefix, forma in (("cambio", "nombre"), ("variacion", "verbo"), ("variaciones", "plural")):
            if not anterior:
                out[f"{prefix}.{path}"] = fmt.SIN_MES_ANTERIOR
            elif v is None or before is None:
                out[f"{prefix}.{path}"] = fmt.SIN_DATOS
            elif forma == "plural":  # the verb for a plural subject (las atenciones … disminuyeron)
                out[f"{prefix}.{path}"] = language.verb_change((v - before) * 100, "puntos", plural=True) \
                    if isinstance(v, float) else language.verb_change(v - before, unidad_cambio(path), 0, plural=True)
            elif isinstance(v, float):
                out[f"{prefix}.{path}"] = fmt.cambio((v - before) * 100, "puntos", forma=forma)
            else:
                out[f"{prefix}.{path}"] = fmt.cambio(v - before, unidad_cambio(path), 0, forma=forma)
    for path, v in flat.items():  # None figures still get their change word
        if v is None and path not in NO_CAMBIO and not path.startswith("acumulado."):
            for prefix in ("cambio", "variacion", "variaciones"):
                out.setdefault(f"{prefix}.{path}", fmt.SIN_MES_ANTERIOR if not anterior else fmt.SIN_DATOS)
    out.update({
        "encuestas.medida": MEDIDA.get(metricas.get("encuestas", {}).get("metodo"), fmt.SIN_DATOS),
        "periodo.mes": fmt.nombre_mes(mes),
        "periodo.mes_titulo": fmt.nombre_mes(mes).capitalize(),
        "periodo.titulo": fmt.titulo_mes(mes),
        "periodo.anio": mes[:4],
        "periodo.mes_anterior": fmt.nombre_mes(previous_month(mes)),
    })
    for name, v in (params.get("cifras_analistas") or {}).items():
        out[f"analistas.{name}"] = fmt.porcentaje(v) if isinstance(v, float) else fmt.numero(v)
    return out


def context_from(r: ReportData, params: dict) -> dict:
    metodo = params["metodo_encuestas"]
    metricas = report_metrics(r, metodo)
    # the mapping files that applied change how every file is read: listed after the shared catalogues
    shared = [f for f in r.archivos if "/" not in f.archivo]
    archivos = [asdict(f) for f in shared + r.mapeos + [f for f in r.archivos if "/" in f.archivo]]
    pendientes = borrador(r, params)
    anterior = month_metrics(r.mes_anterior, metodo) if r.mes_anterior else None
    # the previous month's figures with its own survey method (the main points never compare
    # two methods), in metrics.json: every figure a main point rests on has its key path there
    metodo_anterior = _method_of(r.mes_anterior.mes) if r.mes_anterior else None
    propio = anterior if metodo_anterior in (None, metodo) else month_metrics(r.mes_anterior, metodo_anterior)
    metricas["mes_anterior"] = {"mes": r.mes_anterior.mes, **propio} if propio else None
    metricas["anio_anterior"] = year_before(r)
    ctx = {
        "mes": r.mes,
        "metricas": metricas,
        "anterior": anterior,
        "cifras": named_values(r.mes, metricas, anterior, params),
        "params": params,
        "archivos": archivos,
        "avisos": avisos(r) + pendientes,
        "normalizados": normalizaciones(archivos),
        #: how the files were found (``quality.notas``): said in the build's log and by make check
        "notas": notas(r),
        #: why the month is unfinished: the deck is marked BORRADOR while any remains
        "borrador": pendientes,
        #: the tables the month lacks: no main point is drafted on them
        "faltantes": list(r.actual.faltantes),
    }
    main_points.refresh(ctx)
    return ctx


def year_before(r: ReportData) -> dict | None:
    """The interactions of the same month a year earlier, when the data exist: from its
    folder in data/ (read and checked like any month; with problems, none), else from
    data/historico.csv; None when neither holds it."""
    from anm_helpers.figures.metrics import _from_history, interacciones_por_canal
    from anm_helpers.inputs.dataset import load_month

    mes = f"{int(r.mes[:4]) - 1}-{r.mes[5:]}"
    data, problems = load_month(mes, r.puntos)
    if data is not None and not problems:
        return {"mes": mes, "interacciones": interacciones_por_canal(data)}
    known = _from_history(r.historico, mes)
    if data is None and None not in known.values():
        return {"mes": mes, "interacciones": {**known, "total": sum(known.values())}}
    return None


def _method_of(mes: str) -> str | None:
    """A month's declared survey method (None when its params cannot be read: its own
    build says why, and no survey figure is compared with it)."""
    try:
        return load_params(mes)["metodo_encuestas"]
    except InformeError:
        return None


def build_context(mes: str) -> dict:
    """Read and check the month's data and params, compute every figure."""
    params = load_params(mes)
    return context_from(load_report_data(mes), params)
