"""The data contract (../shared/DATA-CONTRACT.md) as Python constants.

Column names and category values are the analysts' vocabulary (Spanish, no
accents); categories are compared after normalisation (see ``load.normalize``).
"""
from __future__ import annotations

import re

#: a month, as MONTH, folder names, params files and ``historico.mes`` write it
MES_RE = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])\Z")  # ASCII digits; \Z: no line break after it

TABLES: tuple[str, ...] = ("atenciones", "llamadas", "encuestas", "comunicaciones")

COLUMNS: dict[str, tuple[str, ...]] = {
    "atenciones": ("id", "fecha", "canal", "punto", "tipo", "primer_contacto"),
    "llamadas": ("fecha", "entrantes", "contestadas"),
    "encuestas": ("id", "fecha", "canal", "satisfaccion", "percepcion", "confianza", "claridad"),
    "comunicaciones": ("id", "fecha", "medio", "sentido"),
}
#: Columns a table may lack (the 2026 survey added ``claridad``).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"encuestas": ("claridad",)}

PUNTOS_COLUMNS: tuple[str, ...] = ("nombre", "tipo", "ciudad", "desde")
HISTORICO_COLUMNS: tuple[str, ...] = ("mes", "canal", "interacciones")

CANALES: tuple[str, ...] = ("presencial", "telefonico", "virtual")
CANALES_ATENCION: tuple[str, ...] = ("presencial", "telefonico")
CANALES_ENCUESTA: tuple[str, ...] = CANALES
MEDIOS: tuple[str, ...] = ("correo_contacto", "radicador_web", "chat", "te_llamamos")
SENTIDOS: tuple[str, ...] = ("entrada", "salida")
TIPOS_PUNTO: tuple[str, ...] = ("sede_central", "PAR", "PAL")
PREGUNTAS: tuple[str, ...] = ("satisfaccion", "percepcion", "confianza", "claridad")
PREGUNTAS_INDICE: tuple[str, ...] = ("satisfaccion", "percepcion", "confianza")

METODOS_ENCUESTA: tuple[str, ...] = ("top2", "promedio")
METODO_POR_DEFECTO = "top2"

VERDADERO = ("si", "true", "1")
FALSO = ("no", "false", "0")


def required_columns(table: str) -> tuple[str, ...]:
    optional = OPTIONAL_COLUMNS.get(table, ())
    return tuple(c for c in COLUMNS[table] if c not in optional)
