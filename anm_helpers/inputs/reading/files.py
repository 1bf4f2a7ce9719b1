"""Finding a month's table: the contract's own file (``find_table``: ``.csv`` or
``.xlsx``) or the one ``fuentes.yaml``'s pattern matches (``find_export``), and
a file's name as analysts know it (``display_name``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.config import is_editor_file
from anm_helpers.core.errors import Problema


def display_name(path: Path) -> str:
    """A file as analysts know it: relative to ``data/`` (``2024-03/encuestas.csv``), else its name."""
    try:
        return path.resolve().relative_to(config.DATA_DIR.resolve()).as_posix()
    except ValueError:
        return path.name


#: spreadsheet formats an export may come in that the report does not read
OTHER_FORMATS = (".xls", ".xlsm", ".xlsb", ".ods", ".numbers")


@dataclass
class Hallazgo:
    """Where a month's table is, and how to read it."""

    #: the file, or None (``problemas`` says why)
    ruta: Path | None
    #: the mapping entry to read it with (``fuentes.Fuente``); None: as the contract says
    fuente: object = None
    problemas: list = field(default_factory=list)
    #: the mapping's pattern matched nothing and the contract's own file was read
    sin_mapeo: bool = False
    #: contract-named files the mapping's file was taken over
    no_leidos: tuple = ()


def find_export(folder: Path, nombre: str, fuente=None) -> Hallazgo:
    """The file of table ``nombre`` in ``folder`` and how to read it: the one the
    mapping's pattern (``fuente.archivo``) matches, read with the mapping; when
    the pattern matches nothing and the folder holds the contract's own file
    (``atenciones.csv``: a month kept in contract shape under a shared
    ``fuentes.yaml``), that file, read as the contract says."""
    if fuente is None or not fuente.archivo:
        path, problems = find_table(folder, nombre)
        return Hallazgo(path, fuente if path is not None else None, problems)
    found = sorted(p for p in folder.glob(fuente.archivo) if p.name != "fuentes.yaml" and not is_editor_file(p))
    own = [p for p in _contract_files(folder, nombre) if p not in found]
    if len(found) == 1:
        return Hallazgo(found[0], fuente, no_leidos=tuple(own))
    if not found and own:
        path, problems = find_table(folder, nombre)
        return Hallazgo(path, None, problems, sin_mapeo=path is not None)
    there = sorted(p.name for p in folder.iterdir() if p.is_file() and not is_editor_file(p)) \
        if folder.is_dir() else []
    if not found:
        from anm_helpers.core.suggestions import quiso_decir

        otro = "" if "/" in fuente.origen else (
            f" Si ese mes la exportación llega con otro nombre o de otra forma, un data/{display_name(folder)}/"
            f"fuentes.yaml reemplaza, solo para ese mes, la entrada {nombre} de data/{fuente.origen}")
        return Hallazgo(None, problemas=[fuente.problema(
            "archivo", fuente.archivo,
            f"no coincide con ningún archivo de {display_name(folder)}/ (ni {nombre}.csv ni {nombre}.xlsx)"
            f"{quiso_decir(fuente.archivo, there) or '.'}{otro}")])
    return Hallazgo(None, problemas=[fuente.problema(
        "archivo", fuente.archivo, f"coincide con {len(found)} archivos de {display_name(folder)}/ "
                                   f"({', '.join(p.name for p in found)}): deje uno o precise el patrón")])


def _contract_files(folder: Path, nombre: str) -> list[Path]:
    return [p for p in (folder / f"{nombre}.csv", folder / f"{nombre}.xlsx") if p.exists()]


def find_table(folder: Path, nombre: str) -> tuple[Path | None, list[Problema]]:
    """The contract's own file of table ``nombre`` in ``folder``: ``.csv`` or
    ``.xlsx``, never both (``find_export`` looks for it as ``fuentes.yaml`` says)."""
    found = _contract_files(folder, nombre)
    if len(found) == 2:
        return None, [Problema(f"{nombre}.csv / {nombre}.xlsx", None, None, None,
                               "la tabla está dos veces (CSV y Excel): deje solo uno de los dos archivos")]
    if not found:
        other = sorted(p for p in folder.glob(f"{nombre}.*") if p.suffix.lower() in OTHER_FORMATS)
        if other:
            return None, [Problema(display_name(other[0]), None, None, None,
                                   f"es un libro {other[0].suffix} que el informe no lee: ábralo en Excel y "
                                   "guárdelo como .xlsx (Libro de Excel) o como CSV UTF-8")]
        return None, [Problema(f"{nombre}.csv", None, None, None,
                               f"falta el archivo en {folder}: expórtelo como {nombre}.csv o {nombre}.xlsx "
                               "(si no hubo actividad, deje solo la fila de encabezados)")]
    return found[0], []
