"""The whole series as one dataset for the national open-data portal (datos.gov.co):
``write_series(reports_dir, months, folder)`` writes, from each month's own published
``metrics.json``, one CSV per table of figures and a ``datapackage.json`` that
describes them with the metadata the portal asks for. ``make sitio`` fills
``reports/sitio/datos-abiertos/`` with it.

- Tables (``TABLES``), long format, one row per figure and month: ``mes``, ``cifra``
  (the figure's own name in ``metrics.json``), ``canal`` (``total``: the channels
  together), ``categoria`` where the table has one (a point, a topic, a medium),
  ``pregunta`` and the month's survey ``metodo`` in the survey table (two methods are
  never one column without saying which), ``valor``, ``unidad`` and ``clave`` (the
  figure's path in ``metrics.json``). Which figure goes to which table is ``PLACES``,
  keyed by ``outputs.open_data``'s figure patterns (the same walk of ``metrics.json``,
  the same value text: integers, shares unrounded in their shortest form). The
  year-to-date figures (``acumulado``) are left out: they repeat other months' own.
- ``datapackage.json``: a Frictionless tabular data package (a Table Schema per
  resource with every field described, sizes and SHA-256), plus ``portal``: update
  frequency, language, publisher, contact, creation and update dates (the first and
  last months' ``core.reproducible.fixed_time``: reproducible, ``SOURCE_DATE_EPOCH``
  honoured), the months covered and the ones missing between them, each month's survey
  method. The licence, publisher and contact come from ``params/publicacion.yaml``
  (``inputs.publication``): what is not declared is left out and returned as a warning.

Same months' ``metrics.json`` and declarations, same bytes.
"""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.cli import Orden, run
from anm_helpers.core.errors import SerieInvalida
from anm_helpers.core.fmt import nombre_mes
from anm_helpers.core.month import MES_RE
from anm_helpers.core.reproducible import fixed_time
from anm_helpers.inputs.publication import FILE_NAME, LICENSES, load_publication, publication_file
from anm_helpers.outputs import open_data

PACKAGE = "datapackage.json"
TOTAL = "total"

#: figure pattern (``open_data.FIGURAS``, its Vars as ``<name>``) -> table, cifra, channel when the path has none
PLACES = {
    "interacciones.<canal>": ("interacciones", "interacciones", None),
    "interacciones.total": ("interacciones", "interacciones", TOTAL),
    "<canal>.atendidas": ("primer_contacto", "atendidas", None),
    "<canal>.primer_contacto": ("primer_contacto", "primer_contacto", None),
    "telefonico.entrantes": ("telefonico", "entrantes", "telefonico"),
    "telefonico.contestadas": ("telefonico", "contestadas", "telefonico"),
    "telefonico.contestadas_sobre_entrantes": ("telefonico", "contestadas_sobre_entrantes", "telefonico"),
    "presencial.por_tipo_punto.<tipo_punto>": ("puntos", "por_tipo_punto", "presencial"),
    "presencial.por_punto.<punto>": ("puntos", "por_punto", "presencial"),
    "<canal>.por_tipo.<tipo>": ("temas", "por_tipo", None),
    "virtual.interacciones": ("virtual", "interacciones", "virtual"),
    "virtual.entrada": ("virtual", "entrada", "virtual"),
    "virtual.salida": ("virtual", "salida", "virtual"),
    "virtual.por_medio_entrada.<medio>": ("virtual", "por_medio_entrada", "virtual"),
    "encuestas.preguntas.<pregunta>.<canal>.valor": ("encuestas", "valor", None),
    "encuestas.preguntas.<pregunta>.<canal>.califican": ("encuestas", "califican", None),
    "encuestas.preguntas.<pregunta>.<canal>.tasa_respuesta": ("encuestas", "tasa_respuesta", None),
    "encuestas.preguntas.<pregunta>.consolidado": ("encuestas", "consolidado", TOTAL),
    "encuestas.preguntas.<pregunta>.tasa_respuesta_promedio": ("encuestas", "tasa_respuesta_promedio", TOTAL),
    "encuestas.indice_anm": ("encuestas", "indice_anm", TOTAL),
}
#: figures left out on purpose: the year-to-date sums repeat the months' own figures
LEFT_OUT = ("acumulado.meses.<mes>.<canal>", "acumulado.total.<canal>", "acumulado.total.total")

#: table -> its columns, title, description, and what each cifra is
TABLES: dict[str, tuple[tuple, str, str, dict[str, str]]] = {
    "interacciones": (
        ("mes", "cifra", "canal", "valor", "unidad", "clave"),
        "Interacciones por canal",
        "Interacciones de cada mes por canal de atención (presencial, telefónico y virtual) y en total.",
        {"interacciones": "interacciones del canal en el mes (presencial y telefónico: atenciones registradas; "
                          "virtual: comunicaciones de entrada y de salida; total: los tres canales)"}),
    "primer_contacto": (
        ("mes", "cifra", "canal", "valor", "unidad", "clave"),
        "Resolución en primer contacto",
        "Interacciones atendidas en los canales presencial y telefónico y la proporción resuelta en el "
        "primer contacto.",
        {"atendidas": "interacciones atendidas en el canal",
         "primer_contacto": "interacciones resueltas en el primer contacto sobre las atendidas del canal"}),
    "telefonico": (
        ("mes", "cifra", "canal", "valor", "unidad", "clave"),
        "Llamadas de la plataforma telefónica",
        "Llamadas entrantes y contestadas por la plataforma telefónica en cada mes.",
        {"entrantes": "llamadas entrantes (suma de los totales diarios)",
         "contestadas": "llamadas contestadas (suma de los totales diarios)",
         "contestadas_sobre_entrantes": "llamadas contestadas sobre llamadas entrantes"}),
    "puntos": (
        ("mes", "cifra", "canal", "categoria", "valor", "unidad", "clave"),
        "Atención presencial por punto de atención",
        "Interacciones presenciales atendidas en cada punto de atención y en cada tipo de punto "
        "(sede central, PAR, PAL).",
        {"por_punto": "interacciones presenciales atendidas en el punto de atención nombrado en categoria",
         "por_tipo_punto": "interacciones presenciales atendidas en los puntos del tipo nombrado en categoria "
                           "(sede_central, PAR o PAL)"}),
    "temas": (
        ("mes", "cifra", "canal", "categoria", "valor", "unidad", "clave"),
        "Atenciones por tema",
        "Interacciones atendidas en los canales presencial y telefónico según el tema (tipificación) de la "
        "consulta.",
        {"por_tipo": "interacciones atendidas en el canal con la tipificación nombrada en categoria"}),
    "encuestas": (
        ("mes", "metodo", "cifra", "canal", "pregunta", "valor", "unidad", "clave"),
        "Encuesta de satisfacción",
        "Resultados de la encuesta de satisfacción por pregunta y canal, con el método de medición de cada "
        "mes: los valores de meses con métodos distintos no se comparan.",
        {"valor": "valor de la pregunta en el canal, según el método del mes",
         "califican": "respuestas que calificaron la pregunta en el canal",
         "tasa_respuesta": "quienes calificaron la pregunta sobre las interacciones atendidas del canal",
         "consolidado": "valor de la pregunta sobre las respuestas de todos los canales juntos, según el "
                        "método del mes",
         "tasa_respuesta_promedio": "promedio simple de las tasas de respuesta de los canales",
         "indice_anm": "índice de satisfacción ANM: respuestas con calificación 4 o 5 sobre todas las "
                       "respuestas de las preguntas satisfacción, percepción y confianza, en todos los canales "
                       "(pregunta vacía)"}),
    "virtual": (
        ("mes", "cifra", "canal", "categoria", "valor", "unidad", "clave"),
        "Canal virtual",
        "Comunicaciones del canal virtual: de entrada (enviadas por usuarios) y de salida (enviadas por la "
        "Agencia), y las de entrada por medio.",
        {"interacciones": "comunicaciones del canal virtual, de entrada y de salida",
         "entrada": "comunicaciones de entrada", "salida": "comunicaciones de salida",
         "por_medio_entrada": "comunicaciones de entrada por el medio nombrado en categoria"}),
}

FIELDS = {
    "mes": {"type": "yearmonth", "title": "Mes", "description": "Mes del informe (AAAA-MM, ISO 8601).",
            "constraints": {"required": True}},
    "metodo": {"type": "string", "title": "Método de la encuesta",
               "description": "Cómo se midió la encuesta del mes: " + "; ".join(
                   f"{name}, {what}" for name, what in open_data.METODO.items()) + ".",
               "constraints": {"enum": sorted(open_data.METODO)}},
    "cifra": {"type": "string", "title": "Cifra"},
    "canal": {"type": "string", "title": "Canal",
              "description": "Canal de atención: presencial, telefonico o virtual; total, los canales juntos.",
              "constraints": {"required": True, "enum": ["presencial", "telefonico", "virtual", TOTAL]}},
    "categoria": {"type": "string", "title": "Categoría",
                  "description": "El punto de atención, el tipo de punto, la tipificación o el medio, escrito "
                                 "como en el informe; vacía si la cifra no tiene."},
    "pregunta": {"type": "string", "title": "Pregunta",
                 "description": "La pregunta de la encuesta (satisfaccion, percepcion, confianza, claridad); vacía "
                                "en el índice de satisfacción ANM, que reúne varias.",
                 "constraints": {"enum": sorted(open_data.PREGUNTA)}},
    "valor": {"type": "number", "title": "Valor",
              "description": "La cifra, con punto decimal y sin separador de miles: los conteos son enteros y las "
                             "proporciones fracciones de 0 a 1 sin redondear (0,929 se escribe 0.929). Vacío: sin "
                             "datos ese mes.",
              "constraints": {"minimum": 0}},
    "unidad": {"type": "string", "title": "Unidad",
               "description": "conteo (interacciones, llamadas, comunicaciones o personas) o proporción "
                              "(fracción de 0 a 1).",
               "constraints": {"required": True, "enum": [open_data.CONTEO, open_data.PROPORCION]}},
    "clave": {"type": "string", "title": "Clave",
              "description": "Ruta de la cifra en el metrics.json del informe del mes, sus niveles separados por "
                             "puntos (el nombre con que la narrativa del informe la cita).",
              "constraints": {"required": True}},
}
KEYWORDS = ["Agencia Nacional de Minería", "atención al usuario", "servicio al ciudadano", "canales de atención",
            "satisfacción", "minería"]


def series_inputs() -> list[Path]:
    """The files besides the months' ``metrics.json`` the series depends on."""
    return [publication_file()]


def _template(pattern: tuple) -> str:
    return ".".join(f"<{p.nombre}>" if isinstance(p, open_data.Var) else p for p in pattern)


def _month_rows(metrics: dict, warnings: list[str]) -> dict[str, list[dict]]:
    """The rows of one month's figures, by table; a figure no table takes is said."""
    month = metrics["mes"]
    method = (metrics.get("encuestas") or {}).get("metodo") or ""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for fig in open_data.figuras(metrics):
        template = _template(fig.pattern)
        if template in LEFT_OUT:
            continue
        if template not in PLACES:
            warnings.append(f"reports/{month}/metrics.json: la cifra {'.'.join(fig.path)} no tiene tabla en la serie "
                            "de datos abiertos y queda fuera (hay que añadirla a outputs/series.py)")
            continue
        table, cifra, channel = PLACES[template]
        free = [p.nombre for p in fig.pattern if isinstance(p, open_data.Var) and p.valores is None]
        try:
            text = open_data._valor(fig.value)
        except TypeError:
            raise SerieInvalida(f"reports/{month}/metrics.json: la cifra {'.'.join(fig.path)} no es un número "
                                f"({fig.value!r}); vuelva a construir el mes (make report MONTH={month})") from None
        row = {"mes": month, "metodo": method, "cifra": cifra, "canal": channel or fig.found["canal"],
               "pregunta": fig.found.get("pregunta", ""), "categoria": fig.found[free[0]] if free else "",
               "valor": text, "unidad": fig.unidad, "clave": ".".join(fig.path)}
        tables[table].append({c: row[c] for c in TABLES[table][0]})
    return tables


def _check_total(metrics: dict) -> None:
    inter = metrics.get("interacciones") or {}
    channels = [inter.get(c) for c in open_data.CANAL]
    total = inter.get(TOTAL)
    if all(isinstance(v, int) for v in channels) and isinstance(total, int) and total != sum(channels):
        raise SerieInvalida(
            f"reports/{metrics['mes']}/metrics.json: interacciones.total es {total} pero la suma de los canales "
            f"es {sum(channels)}; vuelva a construir el mes (make report MONTH={metrics['mes']}) antes de publicar "
            "la serie")


def _next(month: str) -> str:
    year, m = int(month[:4]), int(month[5:])
    return f"{year + m // 12}-{m % 12 + 1:02d}"


def _gaps(months: list[str]) -> list[str]:
    out, current = [], months[0]
    while current < months[-1]:
        current = _next(current)
        if current not in months:
            out.append(current)
    return out


def _runs(months: list[str]) -> str:
    """Months in words, a run of consecutive ones as «de … a …»."""
    runs: list[list[str]] = []
    for month in months:
        if runs and _next(runs[-1][-1]) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(_label(r[0]) if len(r) == 1 else f"de {_label(r[0])} a {_label(r[-1])}" for r in runs)


def _when(month: str) -> str:
    return fixed_time(month).strftime("%Y-%m-%dT%H:%M:%SZ")


def _label(month: str) -> str:
    return f"{nombre_mes(month)} de {month[:4]}"


def _schema(table: str) -> dict:
    columns, _, _, cifras = TABLES[table]
    fields = []
    for column in columns:
        field = {"name": column, **copy.deepcopy(FIELDS[column])}
        if column == "cifra":
            field["description"] = "Qué cifra es (su nombre en metrics.json): " + "; ".join(
                f"{name}, {what}" for name, what in cifras.items()) + "."
            field["constraints"] = {"required": True, "enum": list(cifras)}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["mes", "clave"], "missingValues": [""]}


def _sort_key(row: dict) -> tuple:
    return (row["mes"], row["cifra"], row["canal"], row.get("pregunta", ""), row.get("categoria", ""))


def write_series(reports_dir: Path, months: list[str], folder: Path) -> list[str]:
    """Write the series of ``months`` (ascending; each read from ``reports_dir/<MES>/metrics.json``)
    into ``folder`` (existing, empty); return the Spanish warnings to print."""
    months = list(months)
    if not months:
        raise SerieInvalida("la serie de datos abiertos necesita al menos un mes con informe publicado")
    bad = [m for m in months if not isinstance(m, str) or not MES_RE.match(m)]
    if bad or months != sorted(set(months)):
        raise SerieInvalida(f"los meses de la serie deben ser AAAA-MM, en orden y sin repetir: {', '.join(map(str, months))}")
    folder = Path(folder)
    if not folder.is_dir() or any(folder.iterdir()):
        raise SerieInvalida(f"la carpeta de la serie de datos abiertos debe existir y estar vacía: {folder}")
    publication = load_publication()

    warnings: list[str] = []
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    covered, methods = [], {}
    for month in months:
        metrics, warning = open_data._leer_publicado(month, Path(reports_dir) / month / "metrics.json")
        if warning:
            warnings.append(warning)
            continue
        _check_total(metrics)
        for name, rows in _month_rows(metrics, warnings).items():
            tables[name] += rows
        covered.append(month)
        methods[month] = (metrics.get("encuestas") or {}).get("metodo") or ""
    if not covered:
        raise SerieInvalida("ningún mes de la serie tiene un metrics.json que se pueda leer: " + "; ".join(warnings))
    missing = _gaps(covered)

    resources = []
    for name, (_, title, description, _) in TABLES.items():
        data = open_data._csv(sorted(tables[name], key=_sort_key), TABLES[name][0])
        (folder / f"{name}.csv").write_bytes(data)
        resources.append(open_data._recurso(name, f"{name}.csv", data, title, description, _schema(name)))

    used = sorted({m for m in methods.values() if m})
    first, last = _label(covered[0]), _label(covered[-1])
    span = first if len(covered) == 1 else f"de {first} a {last}"
    description = (
        "Serie mensual de las cifras del Informe de Servicio y Atención al Usuario de la Agencia Nacional de "
        "Minería (ANM): interacciones por canal de atención (presencial, telefónico y virtual), resolución en "
        "primer contacto, llamadas entrantes y contestadas, atención por punto y por tema, comunicaciones "
        f"virtuales por medio y resultados de la encuesta de satisfacción. Cubre {span}")
    description += (f"; sin informe publicado: {_runs(missing)}." if missing else ".")
    description += (" Cada cifra es la publicada en el informe de su mes (su metrics.json), una por fila, y se "
                    "añade un mes cada mes.")
    if len(used) > 1:
        description += (" La encuesta se midió con métodos distintos según el mes (columna metodo de "
                        "encuestas.csv): sus valores no se comparan entre meses de métodos distintos.")
        warnings.append("la serie mezcla métodos de encuesta (" + "; ".join(
            f"{m}: {', '.join(k for k, v in methods.items() if v == m)}" for m in used)
            + "); encuestas.csv dice el método de cada mes")

    portal = {
        "frecuencia_actualizacion": "mensual",
        "idioma": "es",
        "cobertura_geografica": "Colombia",
        "fecha_creacion": _when(covered[0]),
        "fecha_actualizacion": _when(covered[-1]),
        "periodo": {"primer_mes": covered[0], "ultimo_mes": covered[-1], "meses": covered,
                    "meses_faltantes": missing},
        "metodos_encuesta": methods,
    }
    package = {
        "profile": "tabular-data-package",
        "name": "anm-atencion-al-usuario-serie-mensual",
        "title": "Atención al usuario de la Agencia Nacional de Minería: cifras mensuales por canal",
        "description": description,
        "keywords": KEYWORDS,
        "created": portal["fecha_creacion"],
    }
    if publication.publisher:
        package["contributors"] = [{"title": publication.publisher, "role": "publisher"}]
        portal["publicador"] = publication.publisher
    else:
        warnings.append(f"el publicador de la serie no está declarado: escríbalo en params/{FILE_NAME}, "
                        "clave publicador (la entidad y la dependencia)")
    if publication.contact_email:
        contact = {"title": publication.contact_name or publication.publisher or publication.contact_email,
                   "email": publication.contact_email, "role": "contact"}
        package.setdefault("contributors", []).append(contact)
        portal["contacto"] = {"nombre": publication.contact_name or "", "correo": publication.contact_email}
    else:
        warnings.append(f"el contacto de la serie no está declarado: el portal lo pide; escriba en params/{FILE_NAME} "
                        "contacto › correo (y nombre), el correo de quien responde por los datos")
    if publication.license:
        package["licenses"] = [publication.license]
        portal["licencia"] = publication.license_id
    else:
        warnings.append(f"la licencia de la serie no está declarada: se publica sin licencia. La Agencia la declara "
                        f"una vez en params/{FILE_NAME}, clave licencia ({', '.join(LICENSES)})")
    package["portal"] = portal
    package["resources"] = resources
    (folder / PACKAGE).write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return warnings



def published_months(reports_dir: Path) -> list[str]:
    """The months with a published ``metrics.json`` under ``reports_dir``, in order."""
    return sorted(p.parent.name for p in Path(reports_dir).glob("*/metrics.json") if MES_RE.match(p.parent.name))


def main(argv: list[str] | None = None) -> int:
    parser = Orden(prog="python -m anm_helpers.outputs.series",
                   description="Escribe la serie de datos abiertos de todos los meses publicados en reports/ (el "
                               "conjunto de datos del portal datos.gov.co) en una carpeta vacía.")
    parser.add_argument("carpeta", type=Path, help="carpeta nueva o vacía donde escribir la serie")
    args = parser.parse_args(argv)
    months = published_months(config.REPORTS_DIR)
    args.carpeta.mkdir(parents=True, exist_ok=True)
    warnings = write_series(config.REPORTS_DIR, months, args.carpeta)
    print(f"  ✓ serie de datos abiertos: {len(months)} mes(es) publicados, en {args.carpeta}")
    for warning in warnings:
        print(f"  ! aviso: {warning}")
    return 0


if __name__ == "__main__":
    sys.exit(run(main, None, "python -m anm_helpers.outputs.series"))
