"""Errors of the report build. Messages about the analysts' data are Spanish."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from anm_helpers.core.text import visible


class InformeError(Exception):
    """Root of every error the build reports to its user without a traceback."""

    def _render_traceback_(self) -> list[str]:
        """How IPython (a section opened in JupyterLab) shows it: the Spanish message
        that every command prints, without a traceback."""
        return [f"ERROR: {self}"]


class MesInvalido(InformeError):
    """Raised when MONTH is not YYYY-MM, or names a month with neither data nor params."""


class ParametrosInvalidos(InformeError):
    """Raised when params/<YYYY-MM>.yaml cannot be read or breaks its rules."""


class ConstruccionFallida(InformeError):
    """Raised when a section notebook fails to execute or the deck cannot be written."""


@dataclass(frozen=True)
class Problema:
    """One problem in one cell (or row, or file) of an input table."""

    archivo: str
    linea: int | None
    columna: str | None
    valor: str | None
    regla: str

    def __str__(self) -> str:
        where = [self.archivo]
        if self.linea is not None:  # as the spreadsheet shows it: a workbook has rows, a CSV lines
            where.append(f"{'fila' if self.archivo.endswith('.xlsx') else 'línea'} {self.linea}")
        if self.columna:
            where.append(f"columna {self.columna}")
        # an empty cell: the rule says "está vacío"; invisible characters shown as <U+200B>
        value = f'"{visible(self.valor)}" ' if self.valor else ""
        return f"{', '.join(where)}: {value}{self.regla}"


class DatosInvalidos(InformeError):
    """Raised when input tables break the data contract; holds every problem found."""

    MAX_POR_ARCHIVO = 20

    def __init__(self, problemas: list[Problema]):
        self.problemas = list(problemas)
        super().__init__(self.informe())

    def informe(self) -> str:
        """All problems grouped by file, capped per file with a count of the rest."""
        lines = [f"Los datos tienen {len(self.problemas)} problema(s); corríjalos y vuelva a construir:"]
        by_file: dict[str, list[Problema]] = {}
        for p in self.problemas:
            by_file.setdefault(p.archivo, []).append(p)
        for archivo, probs in by_file.items():
            lines.append(f"  {archivo} ({len(probs)}):")
            lines += [f"    - {p}" for p in probs[: self.MAX_POR_ARCHIVO]]
            if len(probs) > self.MAX_POR_ARCHIVO:
                lines.append(f"    … y {len(probs) - self.MAX_POR_ARCHIVO} problema(s) más en {archivo}")
        return "\n".join(lines)


class NarrativaInvalida(InformeError):
    """Raised when narrative (a section notebook or the month's params) types a
    number by hand or names a value the month does not have; holds every one of
    both kinds, each with its place (see ``typed_numbers``)."""

    def __init__(self, cifras: list, nombres: list | None = None, periodo: str = "mes"):
        self.cifras = list(cifras)
        self.nombres = list(nombres or [])
        lines = []
        if self.nombres:
            lines.append(f"La narrativa nombra {len(self.nombres)} cifra(s) que el {periodo} no tiene; corrija cada "
                         "nombre (todos están en metrics.json):")
            lines += [f"  - {n}" for n in self.nombres]
        if self.cifras:
            lines.append(f"La narrativa tiene {len(self.cifras)} cifra(s) escrita(s) a mano; las cifras se escriben "
                         f"con su nombre entre llaves para que la construcción las llene con los datos del {periodo}:")
            lines += [f"  - {c}" for c in self.cifras]
        super().__init__("\n".join(lines))


class CifrasEscritas(NarrativaInvalida):
    """Raised when narrative has numbers typed by hand (and names nothing unknown)."""


class NombresDesconocidos(NarrativaInvalida):
    """Raised when narrative names values the month does not have (``{interacciones.totl}``)."""


class RevisionFallida(InformeError):
    """Raised when a month's review finds problems of more than one kind (params,
    data, narrative); holds each kind's error, every problem of each."""

    def __init__(self, errores: list[InformeError]):
        self.errores = list(errores)
        super().__init__("\n\n".join(str(e) for e in self.errores))


class AnioConProblemas(RevisionFallida):
    """Raised when ``make year`` reviews its months before building any and some
    have problems; holds each month's errors, every problem of each."""

    def __init__(self, por_mes: dict[str, list[InformeError]]):
        self.por_mes = dict(por_mes)
        self.errores = [e for errores in self.por_mes.values() for e in errores]
        meses = ", ".join(self.por_mes)
        partes = [f"{len(self.por_mes)} mes(es) del año con problemas ({meses}); no se construyó ningún mes:"]
        for mes, errores in self.por_mes.items():
            partes += [f"[{mes}] {e}" for e in errores]
        InformeError.__init__(self, "\n\n".join(partes))


class SerieInvalida(InformeError):
    """Raised when the open-data series cannot be written as asked (no month, a month
    written wrong, a folder that is not empty) or a month's published figures
    contradict themselves (a total that is not the sum of its channels)."""


class AnioInconsistente(InformeError):
    """Raised when ``make year`` finds that the months' published ``metrics.json`` do not
    agree with each other (a month's year to date against an earlier month's own figure,
    the year's total against the sum of its months); holds every disagreement, each one
    naming the months, the figure and both values."""

    def __init__(self, diferencias: list[str]):
        self.diferencias = list(diferencias)
        partes = [f"las cifras publicadas de los meses no coinciden entre sí ({len(self.diferencias)} "
                  "diferencia(s)); vuelva a construir los meses con make report y luego make year:"]
        partes += [f"  - {d}" for d in self.diferencias]
        InformeError.__init__(self, "\n".join(partes))


class ConstruccionEnCurso(InformeError):
    """Raised when another build of the same month is running."""


class ParejaEnConflicto(InformeError):
    """Raised when a notebook and its ``.py`` both changed since they last agreed."""


class PuertoInvalido(InformeError):
    """Raised when PORT is not a port number the preview may use."""


class ClaveRepetida(InformeError):
    """Raised when a YAML mapping writes a key twice (params/<MES>.yaml); ``load_params``
    words it with the file's name."""

    def __init__(self, clave, linea: int, primera: int):
        super().__init__(clave)
        self.clave, self.linea, self.primera = clave, linea, primera


class NombreDesconocido(InformeError, KeyError):
    """Raised when narrative being filled in (``fmt.rellenar``) names a value the month
    does not have; a KeyError too, as a missing key of the named values."""

    def __init__(self, nombre: str, conocidos):
        close = difflib.get_close_matches(nombre, list(conocidos), n=3)
        hint = f" ¿Quiso decir {', '.join('{' + c + '}' for c in close)}?" if close else ""
        super().__init__(nombre)
        self.mensaje = f"{{{nombre}}} no es una cifra del mes.{hint}"

    def __str__(self) -> str:
        return self.mensaje


class ArchivoIlegible(InformeError):
    """Raised when a file cannot be read as a table at all (bytes, sheet, header): the
    reader turns it into one problem for the file."""

    def __init__(self, message: str, linea: int | None = None, columna: str | None = None, mapear: bool = False):
        super().__init__(message)
        self.linea, self.columna = linea, columna
        #: the headers are not the contract's: ``make map-export`` is suggested
        self.mapear = mapear


class ReinicioVistaPrevia(BaseException):
    """Raised when the program's code changed under ``make preview``: the preview restarts
    itself. Not an error (a BaseException, so no ``except Exception`` swallows it)."""
