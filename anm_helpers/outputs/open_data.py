"""Open data: the month's figures as described, reusable files
(``reports/<MES>/datos-abiertos/``), written by the same build as the deck.

- ``cifras-<MES>.csv``: every figure of ``metrics.json``, one row per figure
  (tidy): the month, its dotted path in ``metrics.json`` (``clave``, the name
  narrative uses), the figure's definition key (``indicador``, the path with its
  free category replaced by ``<punto>``, ``<tipo>``…), that category, the value,
  its unit (``conteo`` or ``proporción``, a fraction from 0 to 1) and a short
  Spanish definition. UTF-8, comma-separated, dot decimals, months as ISO
  ``YYYY-MM``; a figure with no data has an empty value.
- ``cifras-hasta-<MES>.csv``: the same rows for every month up to ``MES`` that
  has a published report under ``reports/`` (each as its ``metrics.json`` was
  published), with this build's figures for ``MES`` itself, in month order. A
  later month is never in it, whatever the order months were built in, so a
  month's package depends only on its own figures and those of the months
  before it, and is byte for byte the same however it is reached. Those earlier
  ``metrics.json`` are part of the month's fingerprint (``fingerprint``): once
  an earlier month is built or rebuilt with other figures, ``make report``
  builds this month again instead of answering "sin cambios".
- ``datapackage.json``: a Frictionless Data Package (tabular data package, Table
  Schema) describing both files, column by column, with their sizes and SHA-256.

Values are written as ``metrics.json`` holds them: counts as integers, shares
unrounded with the shortest text that gives back the same number. Standard
library only (the fingerprint imports this module before anything else).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from anm_helpers.core import config
from anm_helpers.core.month import MES_RE

CARPETA = "datos-abiertos"
PAQUETE = "datapackage.json"

COLUMNAS = ("mes", "clave", "indicador", "categoria", "valor", "unidad", "definicion")
CONTEO, PROPORCION = "conteo", "proporción"
SIN_DEFINICION = "Sin definición registrada."

CANAL = {"presencial": "presencial", "telefonico": "telefónico", "virtual": "virtual"}
CANAL_ATENCION = {k: CANAL[k] for k in ("presencial", "telefonico")}
PREGUNTA = {"satisfaccion": "satisfacción", "percepcion": "percepción", "confianza": "confianza",
            "claridad": "claridad"}
METODO = {
    "top2": "proporción de respuestas con calificación 4 o 5 (método top2)",
    "promedio": "promedio de las calificaciones llevado de 1–5 a 0–1, (promedio − 1) / 4 (método promedio)",
}


class Var:
    """A segment of a figure's path that varies: one of a fixed vocabulary
    (``valores``: its name in the definition), or a free category (a point, a
    topic, a medium, a month) that becomes the row's ``categoria``."""

    def __init__(self, nombre: str, valores: dict | None = None):
        self.nombre, self.valores = nombre, valores

    def matches(self, segment: str) -> bool:
        return self.valores is None or segment in self.valores


CANAL_V, ATENCION_V, PREGUNTA_V = Var("canal", CANAL), Var("canal", CANAL_ATENCION), Var("pregunta", PREGUNTA)
MES_V = Var("mes")
_Q = ("encuestas", "preguntas", PREGUNTA_V)

#: every figure of metrics.json: its path (fixed segments and Vars), unit and definition;
#: a definition names its Vars in braces ({canal}: "telefónico"), {categoria} the free one, {metodo} the survey method
FIGURAS: tuple[tuple[tuple, str, str], ...] = (
    (("interacciones", CANAL_V), CONTEO,
     "Interacciones del canal {canal} en el mes (presencial y telefónico: atenciones registradas; "
     "virtual: comunicaciones de entrada y de salida)."),
    (("interacciones", "total"), CONTEO, "Interacciones del mes en los tres canales."),
    (("acumulado", "meses", MES_V, CANAL_V), CONTEO,
     "Interacciones del canal {canal} en el mes {categoria}, parte del acumulado del año hasta el mes "
     "del informe (vacío: sin datos de ese mes)."),
    (("acumulado", "total", CANAL_V), CONTEO,
     "Interacciones del canal {canal} sumadas desde enero hasta el mes del informe (un mes sin datos no suma)."),
    (("acumulado", "total", "total"), CONTEO,
     "Interacciones de los tres canales sumadas desde enero hasta el mes del informe."),
    ((ATENCION_V, "atendidas"), CONTEO, "Interacciones atendidas en el canal {canal}."),
    ((ATENCION_V, "primer_contacto"), PROPORCION,
     "Resolución en primer contacto: interacciones del canal {canal} resueltas en el primer contacto "
     "sobre las interacciones atendidas del canal."),
    (("presencial", "por_tipo_punto", Var("tipo_punto")), CONTEO,
     "Interacciones presenciales atendidas en puntos de tipo {categoria} (sede_central, PAR o PAL)."),
    (("presencial", "por_punto", Var("punto")), CONTEO,
     "Interacciones presenciales atendidas en el punto de atención {categoria}."),
    ((ATENCION_V, "por_tipo", Var("tipo")), CONTEO,
     "Interacciones atendidas en el canal {canal} con la tipificación «{categoria}»."),
    (("telefonico", "entrantes"), CONTEO,
     "Llamadas entrantes a la plataforma telefónica en el mes (suma de los totales diarios)."),
    (("telefonico", "contestadas"), CONTEO,
     "Llamadas contestadas por la plataforma telefónica en el mes (suma de los totales diarios)."),
    (("telefonico", "contestadas_sobre_entrantes"), PROPORCION, "Llamadas contestadas sobre llamadas entrantes."),
    (("virtual", "interacciones"), CONTEO, "Comunicaciones del canal virtual en el mes, de entrada y de salida."),
    (("virtual", "entrada"), CONTEO, "Comunicaciones de entrada del canal virtual (enviadas por usuarios)."),
    (("virtual", "salida"), CONTEO, "Comunicaciones de salida del canal virtual (enviadas por la Agencia)."),
    (("virtual", "por_medio_entrada", Var("medio")), CONTEO,
     "Comunicaciones de entrada del canal virtual por el medio {categoria}."),
    ((*_Q, CANAL_V, "valor"), PROPORCION,
     "Valor de la pregunta {pregunta} de la encuesta en el canal {canal}: {metodo}."),
    ((*_Q, CANAL_V, "califican"), CONTEO,
     "Respuestas de la encuesta del canal {canal} que calificaron la pregunta {pregunta}."),
    ((*_Q, CANAL_V, "tasa_respuesta"), PROPORCION,
     "Tasa de respuesta de la pregunta {pregunta} en el canal {canal}: quienes la calificaron sobre las "
     "interacciones atendidas del canal."),
    ((*_Q, "consolidado"), PROPORCION,
     "Valor consolidado de la pregunta {pregunta}, sobre las respuestas de todos los canales juntos: {metodo}."),
    ((*_Q, "tasa_respuesta_promedio"), PROPORCION,
     "Tasa de respuesta promedio de la pregunta {pregunta}: promedio simple de las tasas de respuesta "
     "de los canales."),
    (("encuestas", "indice_anm"), PROPORCION,
     "Índice de satisfacción ANM: respuestas con calificación 4 o 5 sobre todas las respuestas, sumadas "
     "las preguntas satisfacción, percepción y confianza y todos los canales."),
)
#: leaves of metrics.json that are not figures: the month (a column of its own), the survey
#: method (said in the definitions) and a question the month's survey does not have (null)
#: keys of metrics.json that are not the month's figures (``figures.context.NO_CIFRAS``)
NO_CIFRAS = ("mes_anterior", "anio_anterior", "puntos_principales")
NO_FIGURAS = (("mes",), ("encuestas", "metodo"), (*_Q,))


def _match(pattern: tuple, path: tuple) -> dict | None:
    if len(pattern) != len(path):
        return None
    found = {}
    for p, segment in zip(pattern, path):
        if isinstance(p, Var):
            if not p.matches(segment):
                return None
            found[p.nombre] = segment
        elif p != segment:
            return None
    return found


def _leaves(tree: dict, prefix: tuple = ()):
    """(path as segments, value) of every leaf, in metrics.json's order (a segment may hold a dot)."""
    for key, value in tree.items():
        path = (*prefix, str(key))
        if isinstance(value, dict):
            yield from _leaves(value, path)
        else:
            yield path, value


def _valor(v) -> str:
    """A figure as CSV text: empty for no data, integers as they are, shares with
    the shortest decimal text that reads back as the same float (never 1e-05)."""
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"cifra no numérica: {v!r}")
    if isinstance(v, int):
        return str(v)
    text = repr(float(v))
    return format(Decimal(text), "f") if "e" in text or "E" in text else text


class Figura(NamedTuple):
    """A figure of ``metrics.json``: its path (segments), value, the ``FIGURAS`` pattern it
    matched (the path itself when none did), the segments its Vars matched, unit and
    definition (still with its braces)."""

    path: tuple
    value: object
    pattern: tuple
    found: dict
    unidad: str
    definicion: str


def figuras(metricas: dict):
    """Every figure of a month's ``metrics.json`` (``Figura``), in its order: what
    ``filas`` writes, and what the series (``outputs.series``) sorts into its tables."""
    for path, value in _leaves({k: v for k, v in metricas.items() if k not in NO_CIFRAS}):
        if any(_match(p, path) is not None for p in NO_FIGURAS) and not isinstance(value, (int, float)):
            continue
        for pattern, unidad, definicion in FIGURAS:
            found = _match(pattern, path)
            if found is not None:
                break
        else:  # a figure added to metrics.json without a definition here (a test fails on it)
            pattern, found = path, {}
            unidad, definicion = (CONTEO if isinstance(value, int) else PROPORCION), SIN_DEFINICION
        yield Figura(path, value, pattern, found, unidad, definicion)


def filas(metricas: dict) -> list[dict]:
    """One row per figure of a month's ``metrics.json`` (columns ``COLUMNAS``)."""
    mes = metricas["mes"]
    metodo = METODO.get((metricas.get("encuestas") or {}).get("metodo"), "método de la encuesta sin indicar")
    out = []
    for path, value, pattern, found, unidad, definicion in figuras(metricas):
        free = [p for p in pattern if isinstance(p, Var) and p.valores is None]
        categoria = found[free[0].nombre] if free else ""
        names = {p.nombre: p.valores[found[p.nombre]] for p in pattern if isinstance(p, Var) and p.valores}
        indicador = ".".join(f"<{p.nombre}>" if isinstance(p, Var) and p.valores is None else
                             (found[p.nombre] if isinstance(p, Var) else p) for p in pattern)
        out.append({
            "mes": mes, "clave": ".".join(path), "indicador": indicador, "categoria": categoria,
            "valor": _valor(value), "unidad": unidad,
            "definicion": definicion.format(categoria=categoria, metodo=metodo, **names),
        })
    return out


def _csv(rows: list[dict], columnas: tuple = None) -> bytes:
    """RFC 4180 CSV (comma, CRLF, quotes only where needed), UTF-8 without BOM."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columnas or COLUMNAS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def meses_publicados(mes: str, reports_dir: Path | None = None) -> list[tuple[str, Path]]:
    """The months before ``mes`` that have a published ``metrics.json`` under
    ``reports/``, in month order: what the cumulative file adds to the month."""
    folder = reports_dir or config.REPORTS_DIR
    if not folder.is_dir():
        return []
    return sorted((p.parent.name, p) for p in folder.glob("*/metrics.json")
                  if MES_RE.match(p.parent.name) and p.parent.name < mes)


def _leer_publicado(mes: str, path: Path) -> tuple[dict | None, str | None]:
    """A published month's figures, or None and why it is left out."""
    try:
        metricas = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"reports/{mes}/metrics.json no se pudo leer ({type(exc).__name__}); {mes} queda fuera de la serie"
    if not isinstance(metricas, dict) or metricas.get("mes") != mes:
        return None, f"reports/{mes}/metrics.json no es el de {mes}; {mes} queda fuera de la serie"
    return metricas, None


def puntos_filas(metricas: dict) -> list[dict]:
    """«Lo principal del mes» as rows: rank, rule, sentence, and the figures it rests on
    (their key paths in metrics.json and values, as JSON)."""
    return [{"mes": metricas["mes"], "orden": i, "regla": p["regla"], "texto": p["texto"],
             "cifras": json.dumps({k: v for k, v in p["cifras"].items()}, ensure_ascii=False, sort_keys=True)}
            for i, p in enumerate(metricas.get("puntos_principales") or [], start=1)]


COLUMNAS_PUNTOS = ("mes", "orden", "regla", "texto", "cifras")
ESQUEMA_PUNTOS = {
    "fields": [
        {"name": "mes", "type": "yearmonth", "title": "Mes", "description": "Mes del informe (AAAA-MM).",
         "constraints": {"required": True}},
        {"name": "orden", "type": "integer", "title": "Orden",
         "description": "Lugar del punto en la diapositiva «Lo principal del mes» (1 es el más importante).",
         "constraints": {"required": True, "minimum": 1}},
        {"name": "regla", "type": "string", "title": "Regla",
         "description": "La regla que lo propuso (cambio_canal, mismo_mes_anio_anterior, record, meta, "
                        "punto_atipico, tema_atipico, encuestas, mes_faltante, nada_notable).",
         "constraints": {"required": True}},
        {"name": "texto", "type": "string", "title": "Texto", "description": "La frase, como en el informe.",
         "constraints": {"required": True}},
        {"name": "cifras", "type": "object", "title": "Cifras",
         "description": "Las cifras en que descansa la frase: su clave en metrics.json y su valor (JSON)."},
    ],
    "primaryKey": ["mes", "orden"],
    "missingValues": [""],
}


def _recurso(nombre: str, archivo: str, datos: bytes, titulo: str, descripcion: str, esquema: dict | None = None) -> dict:
    return {
        "name": nombre,
        "path": archivo,
        "profile": "tabular-data-resource",
        "title": titulo,
        "description": descripcion,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(datos),
        "hash": "sha256:" + hashlib.sha256(datos).hexdigest(),
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": True,
                    "header": True},
        "schema": esquema or ESQUEMA,
    }


ESQUEMA = {
    "fields": [
        {"name": "mes", "type": "yearmonth", "format": "default", "title": "Mes",
         "description": "Mes del informe al que pertenece la cifra (AAAA-MM, ISO 8601).",
         "constraints": {"required": True}},
        {"name": "clave", "type": "string", "title": "Clave",
         "description": "Ruta de la cifra en metrics.json, sus niveles separados por puntos; es también el "
                        "nombre con que la narrativa del informe la cita entre llaves.",
         "constraints": {"required": True}},
        {"name": "indicador", "type": "string", "title": "Indicador",
         "description": "Clave de la definición: la clave con su categoría libre reemplazada por <punto>, "
                        "<tipo>, <tipo_punto>, <medio> o <mes>; las filas con el mismo indicador comparten "
                        "definición.",
         "constraints": {"required": True}},
        {"name": "categoria", "type": "string", "title": "Categoría",
         "description": "La categoría libre de la clave (punto de atención, tipificación, tipo de punto, medio "
                        "o mes del acumulado), escrita tal como en metrics.json; vacía si la cifra no tiene."},
        {"name": "valor", "type": "number", "title": "Valor",
         "description": "La cifra, con punto decimal y sin separador de miles: los conteos son enteros y las "
                        "proporciones fracciones sin redondear (0,929 se escribe 0.929; el informe las "
                        "muestra como porcentaje redondeado). Vacío: sin datos.",
         "constraints": {"minimum": 0}},
        {"name": "unidad", "type": "string", "title": "Unidad",
         "description": "conteo (número de interacciones, llamadas, comunicaciones o personas) o proporción "
                        "(fracción de 0 a 1).",
         "constraints": {"required": True, "enum": [CONTEO, PROPORCION]}},
        {"name": "definicion", "type": "string", "title": "Definición",
         "description": "Qué se cuenta y sobre qué, en pocas palabras.", "constraints": {"required": True}},
    ],
    "primaryKey": ["mes", "clave"],
    "missingValues": [""],
}


class Escrito(NamedTuple):
    """What ``escribir`` wrote: the folder, the month's figures, the months of
    the series, and the warnings to print (an earlier ``metrics.json`` that
    cannot be read is left out of the series, and said)."""

    carpeta: Path
    cifras: int
    meses: list[str]
    avisos: list[str]


def escribir(mes: str, metricas: dict, destino: Path, reports_dir: Path | None = None) -> Escrito:
    """Write ``destino/datos-abiertos/`` for ``mes`` from its figures (the ones this build
    computed, carried by the slide model) and the published ones of the months before it."""
    from anm_helpers.core.fmt import titulo_mes

    if metricas.get("mes") != mes:
        raise ValueError(f"las cifras son de {metricas.get('mes')}, no de {mes}")
    avisos = []
    mensual = filas(metricas)
    serie, meses = [], []
    for anterior, path in meses_publicados(mes, reports_dir):
        publicado, aviso = _leer_publicado(anterior, path)
        if aviso:
            avisos.append(aviso)
            continue
        serie += filas(publicado)
        meses.append(anterior)
    serie += mensual
    meses.append(mes)

    carpeta = destino / CARPETA
    carpeta.mkdir(parents=True, exist_ok=True)
    nombre_mes, nombre_serie = f"cifras-{mes}", f"cifras-hasta-{mes}"
    datos_mes, datos_serie = _csv(mensual), _csv(serie)
    (carpeta / f"{nombre_mes}.csv").write_bytes(datos_mes)
    (carpeta / f"{nombre_serie}.csv").write_bytes(datos_serie)
    nombre_puntos = f"puntos-principales-{mes}"
    datos_puntos = _csv(puntos_filas(metricas), COLUMNAS_PUNTOS)
    (carpeta / f"{nombre_puntos}.csv").write_bytes(datos_puntos)
    titulo = titulo_mes(mes)
    paquete = {
        "profile": "tabular-data-package",
        "name": f"anm-informe-servicio-{mes}",
        "title": f"Cifras del Informe de Servicio y Atención al Usuario, {titulo}",
        "description": (
            "Cifras del informe mensual de servicio y atención al usuario de la Agencia Nacional de Minería "
            "(Grupo de Atención, Participación Ciudadana y Comunicaciones): interacciones por canal y por "
            "punto de atención, tipificaciones, llamadas, comunicaciones virtuales y resultados de la encuesta "
            "de satisfacción. Una fila por cifra; son las mismas cifras del informe y de metrics.json."),
        "keywords": ["Agencia Nacional de Minería", "atención al usuario", "canales de atención",
                     "satisfacción", "datos abiertos"],
        "contributors": [{"title": "Agencia Nacional de Minería, Grupo de Atención, Participación "
                                   "Ciudadana y Comunicaciones (GAPCC)", "role": "publisher"}],
        "resources": [
            _recurso(nombre_mes, f"{nombre_mes}.csv", datos_mes, f"Cifras de {titulo}",
                     f"Todas las cifras del informe de {titulo}, una por fila, con su definición."),
            _recurso(nombre_serie, f"{nombre_serie}.csv", datos_serie, f"Serie de cifras hasta {titulo}",
                     f"Las cifras de cada mes con informe publicado hasta {titulo} ({', '.join(meses)}), "
                     "una por fila, tal como se publicó cada mes; los meses posteriores no se incluyen."),
            _recurso(nombre_puntos, f"{nombre_puntos}.csv", datos_puntos, f"Lo principal de {titulo}",
                     f"Los puntos principales del informe de {titulo}, en su orden, con la regla que los "
                     "propuso y las cifras de metrics.json en que descansa cada uno.", ESQUEMA_PUNTOS),
        ],
    }
    (carpeta / PAQUETE).write_text(json.dumps(paquete, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Escrito(carpeta, len(mensual), meses, avisos)


class DatosAbiertos:
    """The exporter of the open data (``registry.EXPORTERS``): ``datos-abiertos/``
    beside the deck, from the figures the slide model carries (with their
    definitions) and the earlier months' published ones."""

    salida = "datos"

    def __init__(self):
        #: warnings of the last write (an earlier month's metrics.json unreadable)
        self.avisos: list[str] = []

    def archivo(self, mes: str) -> str:
        return CARPETA

    def escribir(self, informe, path: Path) -> str:
        hecho = escribir(informe.mes, informe.metricas, path.parent)
        self.avisos = list(hecho.avisos)
        return f"datos abiertos: {hecho.cifras} cifras, serie de {len(hecho.meses)} mes(es)"
