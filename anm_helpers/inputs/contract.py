"""The data contract (docs/contrato-datos.md) as Python constants.

Column names and category values are the analysts' vocabulary (Spanish, no
accents); categories are compared after normalisation (see ``reading.series.normalize``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: a month, as MONTH, folder names, params files and ``historico.mes`` write it

PUNTOS_COLUMNS: tuple[str, ...] = ("nombre", "tipo", "ciudad", "desde")
HISTORICO_COLUMNS: tuple[str, ...] = ("mes", "canal", "interacciones")


@dataclass(frozen=True)
class TablaSpec:
    """Everything the project knows of one input table, in one place: the reader,
    the checks, the export mapping (``fuentes``), the scaffold, the quality
    annex and the sample data all read it. A new source is one entry here."""

    nombre: str
    columnas: tuple[str, ...]
    #: columns a file may lack (the 2026 survey added ``claridad``)
    opcionales: tuple[str, ...] = ()
    #: few distinct values in many rows: read as categoricals (dates, channels, topics, scores)
    pocos_valores: tuple[str, ...] = ()
    #: compared after normalising (case and accents ignored)
    categoricas: tuple[str, ...] = ()
    #: the values a column may take (after normalising), where the contract fixes them;
    #: a value map of ``fuentes.yaml`` may only map to these ("punto": the catalogue's names)
    valores: dict = field(default_factory=dict)
    #: columns the contract lets be empty (in some rows at least): a value map of
    #: ``fuentes.yaml`` may send an export's value there to empty (``"No aplica": ""``)
    vacios: tuple[str, ...] = ()
    #: columns only some rows use: column -> (the column that decides, the values that use it);
    #: a value in a row that does not use it is ignored, with a warning (``quality.avisos``)
    solo_en: dict = field(default_factory=dict)
    #: where the export comes from, in the analysts' words (``LEEME.md`` of a new month)
    origen: str = ""

    @property
    def requeridas(self) -> tuple[str, ...]:
        return tuple(c for c in self.columnas if c not in self.opcionales)


CANALES: tuple[str, ...] = ("presencial", "telefonico", "virtual")
CANALES_ATENCION: tuple[str, ...] = ("presencial", "telefonico")
CANALES_ENCUESTA: tuple[str, ...] = CANALES
MEDIOS: tuple[str, ...] = ("correo_contacto", "radicador_web", "chat", "te_llamamos")
SENTIDOS: tuple[str, ...] = ("entrada", "salida")
TIPOS_PUNTO: tuple[str, ...] = ("sede_central", "PAR", "PAL")
PREGUNTAS: tuple[str, ...] = ("satisfaccion", "percepcion", "confianza", "claridad")
PREGUNTAS_INDICE: tuple[str, ...] = ("satisfaccion", "percepcion", "confianza")
CALIFICACIONES: tuple[str, ...] = ("1", "2", "3", "4", "5")

METODOS_ENCUESTA: tuple[str, ...] = ("top2", "promedio")
METODO_POR_DEFECTO = "top2"

VERDADERO = ("si", "true", "1")
FALSO = ("no", "false", "0")
#: a value map to "punto" names a point of ``data/puntos.csv``
CATALOGO = "catálogo de puntos"

SPECS: dict[str, TablaSpec] = {s.nombre: s for s in (
    TablaSpec(
        "atenciones", ("id", "fecha", "canal", "punto", "tipo", "primer_contacto"),
        pocos_valores=("fecha", "canal", "punto", "tipo", "primer_contacto"),
        categoricas=("canal", "punto", "tipo", "primer_contacto"),
        valores={"canal": CANALES_ATENCION, "primer_contacto": VERDADERO + FALSO + ("sí",), "punto": CATALOGO},
        vacios=("punto",), solo_en={"punto": ("canal", ("presencial",))},
        origen=(
            "Registro de atenciones de los canales presencial y telefónico (el CRM del GAPCC): una fila por "
            "interacción atendida, con su fecha, canal, punto de atención, tipo (árbol de tipificación) y si se "
            "resolvió en el primer contacto.")),
    TablaSpec(
        "llamadas", ("fecha", "entrantes", "contestadas"),
        origen=(
            "Plataforma del centro de contacto (línea telefónica): los totales de cada día de llamadas "
            "entrantes y contestadas.")),
    TablaSpec(
        "encuestas", ("id", "fecha", "canal") + PREGUNTAS, opcionales=("claridad",),
        pocos_valores=("fecha", "canal") + PREGUNTAS, categoricas=("canal",),
        valores={"canal": CANALES, **{q: CALIFICACIONES for q in PREGUNTAS}}, vacios=PREGUNTAS,
        origen=(
            "Encuesta de satisfacción, percepción y confianza (y claridad desde la encuesta de 2026): una fila "
            "por respuesta, con calificaciones de 1 a 5 (vacío = no respondió). En el canal presencial la aplica "
            "el asesor; en el telefónico, el IVR al final de la llamada.")),
    TablaSpec(
        "comunicaciones", ("id", "fecha", "medio", "sentido"),
        pocos_valores=("fecha", "medio", "sentido"), categoricas=("medio", "sentido"),
        valores={"medio": MEDIOS, "sentido": SENTIDOS},
        origen=(
            "Sistema de Gestión Documental: una fila por comunicación del canal virtual, de entrada (correo "
            "contacto@anm.gov.co, radicador web, chat, Te llamamos) o de salida (enviada por la Entidad).")),
)}

TABLES: tuple[str, ...] = tuple(SPECS)
COLUMNS: dict[str, tuple[str, ...]] = {n: s.columnas for n, s in SPECS.items()}
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {n: s.opcionales for n, s in SPECS.items() if s.opcionales}

def required_columns(table: str) -> tuple[str, ...]:
    return SPECS[table].requeridas
