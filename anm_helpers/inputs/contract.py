"""The data contract (docs/contrato-datos.md) as Python constants.

Column names and category values are the analysts' vocabulary (Spanish, no
accents); categories are compared after normalisation (see ``reading.series.normalize``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

#: a month, as MONTH, folder names, params files and ``historico.mes`` write it

PUNTOS_COLUMNS: tuple[str, ...] = ("nombre", "tipo", "ciudad", "desde")
HISTORICO_COLUMNS: tuple[str, ...] = ("mes", "canal", "interacciones")


#: the kinds of column a table may have (``Columna.tipo``); each has its typing
#: (``dataset``) and its checks (``validate``)
IDENTIFICADOR = "identificador"  # not empty, unique in the file
FECHA = "fecha"  # a date (AAAA-MM-DD or DD/MM/AAAA, with or without time) inside the month
CONTEO = "conteo"  # a whole number from 0 to MAX_CONTEO
CATEGORIA = "categoria"  # compared without case or accents: fixed values, the catalogue, or any (``valores=()``)
CALIFICACION = "calificacion"  # 1 to 5, or empty (no answer)
SI_NO = "si_no"  # si/no (also sí, true/false, 1/0)
TIPOS = (IDENTIFICADOR, FECHA, CONTEO, CATEGORIA, CALIFICACION, SI_NO)


@dataclass(frozen=True)
class Columna:
    """One column of an input table: its kind, what it may hold, and how analysts call it."""

    nombre: str
    tipo: str
    #: CATEGORIA: the values it may take (after normalising); CATALOGO: a point of data/puntos.csv;
    #: () for any non-empty value (shown as most often written)
    valores: tuple[str, ...] | str = ()
    #: the file may lack the column (the 2026 survey added ``claridad``)
    opcional: bool = False
    #: the refusal, in the analysts' words: of a value not allowed (CATEGORIA, SI_NO), or of an
    #: empty cell (IDENTIFICADOR, an open CATEGORIA)
    regla: str = ""
    #: other names exports give it (``make map-export`` compares headers with them)
    sinonimos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Regla:
    """A rule of one table beyond its columns' kinds, small and named: ``prueba(t)`` is True
    for every row that keeps it (``t``: the table under review, ``validate.Revisada``)."""

    nombre: str
    columna: str
    regla: str
    prueba: Callable


@dataclass(frozen=True)
class TablaSpec:
    """Everything the project knows of one input table, in one place: the reader,
    the checks (pandera schemas built from it), the typing, the export mapping
    (``fuentes``), map-export, the scaffold, the quality annex and the sample data
    all read it. A new table is one entry of :data:`SPECS`."""

    nombre: str
    columnas_: tuple[Columna, ...]
    #: few distinct values in many rows: read as categoricals (dates, channels, topics, scores)
    pocos_valores: tuple[str, ...] = ()
    #: the table's own rules (``Regla``), each with its message
    reglas: tuple[Regla, ...] = ()
    #: columns the contract lets be empty (in some rows at least): a value map of
    #: ``fuentes.yaml`` may send an export's value there to empty (``"No aplica": ""``)
    vacios: tuple[str, ...] = ()
    #: columns only some rows use: column -> (the column that decides, the values that use it);
    #: a value in a row that does not use it is ignored, with a warning (``quality.avisos``)
    solo_en: dict = field(default_factory=dict)
    #: where the export comes from, in the analysts' words (``LEEME.md`` of a new month)
    origen: str = ""

    @property
    def columnas(self) -> tuple[str, ...]:
        return tuple(c.nombre for c in self.columnas_)

    @property
    def opcionales(self) -> tuple[str, ...]:
        return tuple(c.nombre for c in self.columnas_ if c.opcional)

    @property
    def requeridas(self) -> tuple[str, ...]:
        return tuple(c.nombre for c in self.columnas_ if not c.opcional)

    @property
    def categoricas(self) -> tuple[str, ...]:
        """Compared after normalising (case and accents ignored)."""
        return tuple(c.nombre for c in self.columnas_ if c.tipo in (CATEGORIA, SI_NO))

    @property
    def valores(self) -> dict:
        """The values a column may take (after normalising), where the contract fixes them;
        a value map of ``fuentes.yaml`` may only map to these ("punto": the catalogue's names)."""
        out = {}
        for c in self.columnas_:
            if c.tipo == SI_NO:
                out[c.nombre] = SI_NO_VALORES
            elif c.tipo == CALIFICACION:
                out[c.nombre] = CALIFICACIONES
            elif c.tipo == CATEGORIA and c.valores:
                out[c.nombre] = c.valores
        return out

    def columna(self, nombre: str) -> Columna:
        return next(c for c in self.columnas_ if c.nombre == nombre)


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

#: si/no as the contract takes it
SI_NO_VALORES = VERDADERO + FALSO + ("sí",)


# --- the tables' own rules ---------------------------------------------------------------
def _punto_si_presencial(t):
    return ~t.es("canal", "presencial") | (t.texto("punto") != "")


def _punto_en_catalogo(t):
    return ~t.es("canal", "presencial") | (t.texto("punto") == "") | t.en_catalogo("punto")


def _un_total_por_dia(t):
    return t.fechas.isna() | ~t.fechas.duplicated(keep="first")


def _contestadas_hasta_entrantes(t):
    entrantes = t.numero("entrantes")
    if entrantes is None:
        return True
    return (t.numero("contestadas") <= entrantes) | entrantes.isna() | ~t.entero("contestadas")


_ID = ("está vacío: cada registro necesita su id")
_FECHA = ("fecha", "marca temporal", "fecha de atencion", "fecha de radicacion", "dia", "date")
_ID_SIN = ("id", "radicado", "no radicado", "numero", "codigo", "consecutivo", "id respuesta", "ticket")

SPECS: dict[str, TablaSpec] = {s.nombre: s for s in (
    TablaSpec(
        "atenciones", (
            Columna("id", IDENTIFICADOR, regla=_ID, sinonimos=_ID_SIN),
            Columna("fecha", FECHA, sinonimos=_FECHA),
            Columna("canal", CATEGORIA, CANALES_ATENCION, regla="no es un canal de atención: presencial o telefonico",
                    sinonimos=("canal", "canal de atencion", "canal por el que fue atendido")),
            Columna("punto", CATEGORIA, CATALOGO, sinonimos=("punto", "punto de atencion", "sede", "oficina")),
            Columna("tipo", CATEGORIA, regla="está vacío: indique el tema de la tipificación",
                    sinonimos=("tipo", "tipificacion", "tema", "motivo", "asunto")),
            Columna("primer_contacto", SI_NO, regla="no es si/no (también se acepta sí, true/false, 1/0)",
                    sinonimos=("primer contacto", "resuelto en primer contacto", "se resolvio en primer contacto")),
        ),
        pocos_valores=("fecha", "canal", "punto", "tipo", "primer_contacto"),
        reglas=(
            Regla("punto_si_presencial", "punto", "está vacío: una atención presencial necesita su punto",
                  _punto_si_presencial),
            Regla("punto_en_catalogo", "punto",
                  "no está en data/puntos.csv: agregue el punto allí (nombre, tipo, ciudad, desde)", _punto_en_catalogo),
        ),
        vacios=("punto",), solo_en={"punto": ("canal", ("presencial",))},
        origen=(
            "Registro de atenciones de los canales presencial y telefónico (el CRM del GAPCC): una fila por "
            "interacción atendida, con su fecha, canal, punto de atención, tipo (árbol de tipificación) y si se "
            "resolvió en el primer contacto.")),
    TablaSpec(
        "llamadas", (
            Columna("fecha", FECHA, sinonimos=_FECHA),
            Columna("entrantes", CONTEO, sinonimos=("entrantes", "llamadas entrantes", "recibidas", "ofrecidas")),
            Columna("contestadas", CONTEO,
                    sinonimos=("contestadas", "llamadas contestadas", "atendidas", "llamadas atendidas")),
        ),
        reglas=(
            Regla("un_total_por_dia", "fecha", "está repetida: llamadas lleva un solo total por día", _un_total_por_dia),
            Regla("contestadas_hasta_entrantes", "contestadas",
                  "supera las llamadas entrantes de ese día: contestadas no puede ser mayor que entrantes",
                  _contestadas_hasta_entrantes),
        ),
        origen=(
            "Plataforma del centro de contacto (línea telefónica): los totales de cada día de llamadas "
            "entrantes y contestadas.")),
    TablaSpec(
        "encuestas", (
            Columna("id", IDENTIFICADOR, regla=_ID, sinonimos=_ID_SIN),
            Columna("fecha", FECHA, sinonimos=_FECHA),
            Columna("canal", CATEGORIA, CANALES, regla="no es un canal: presencial, telefonico o virtual",
                    sinonimos=("canal", "canal de atencion", "canal por el que fue atendido")),
            Columna("satisfaccion", CALIFICACION, sinonimos=("satisfaccion", "satisfecho", "que tan satisfecho")),
            Columna("percepcion", CALIFICACION, sinonimos=("percepcion", "percepcion del servicio")),
            Columna("confianza", CALIFICACION, sinonimos=("confianza", "confianza en la entidad")),
            Columna("claridad", CALIFICACION, opcional=True, sinonimos=("claridad", "informacion clara")),
        ),
        pocos_valores=("fecha", "canal") + PREGUNTAS, vacios=PREGUNTAS,
        origen=(
            "Encuesta de satisfacción, percepción y confianza (y claridad desde la encuesta de 2026): una fila "
            "por respuesta, con calificaciones de 1 a 5 (vacío = no respondió). En el canal presencial la aplica "
            "el asesor; en el telefónico, el IVR al final de la llamada.")),
    TablaSpec(
        "comunicaciones", (
            Columna("id", IDENTIFICADOR, regla=_ID, sinonimos=_ID_SIN),
            Columna("fecha", FECHA, sinonimos=_FECHA),
            Columna("medio", CATEGORIA, MEDIOS,
                    regla="no es un medio: correo_contacto, radicador_web, chat o te_llamamos",
                    sinonimos=("medio", "medio de recepcion", "medio de entrada")),
            Columna("sentido", CATEGORIA, SENTIDOS, regla="no es un sentido: entrada o salida",
                    sinonimos=("sentido", "tipo de comunicacion", "entrada o salida", "direccion")),
        ),
        pocos_valores=("fecha", "medio", "sentido"),
        origen=(
            "Sistema de Gestión Documental: una fila por comunicación del canal virtual, de entrada (correo "
            "contacto@anm.gov.co, radicador web, chat, Te llamamos) o de salida (enviada por la Entidad).")),
)}



def required_columns(table: str) -> tuple[str, ...]:
    return SPECS[table].requeridas
