"""The platforms' exports as they come: ``data/fuentes.yaml`` says, per table,
where its file is in the month's folder, which sheet and line hold it, its
separator and encoding, which export header feeds each contract column, how
the export's values map to the contract's, and its date format
(docs/contrato-datos.md, "Las exportaciones tal como llegan"). Every key is optional;
without the file the contract's own names apply. ``data/<MES>/fuentes.yaml``
replaces the shared file's entries for the tables it names, for that month. A
month whose folder holds the contract's own file for a table and nothing the
entry's ``archivo`` matches is read as the contract says (``reading.files.find_export``):
months kept in contract shape live beside months of exports under one mapping.

The mapping file is checked like data: an unknown key, a value mapped to
something the contract does not allow, a malformed entry: each a problem with
the mapping file's line. (A header the export lacks is found when the export
is read, and named with the same line.)
"""
from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from anm_helpers.core import config
from anm_helpers.inputs.contract import CATALOGO, SPECS
from anm_helpers.core.errors import Problema
from anm_helpers.core.suggestions import quiso_decir
from anm_helpers.core.text import clean_text
from anm_helpers.inputs.reading.files import display_name

FUENTES_FILE = config.FUENTES_FILE
CLAVES = ("archivo", "hoja", "encabezado", "separador", "codificacion", "formato_fecha", "columnas", "valores")
SEPARADORES = (",", ";", "\t", "|")


def _key(value) -> str:
    from anm_helpers.core.text import normalize_text

    return normalize_text(value)


@dataclass
class Fuente:
    """One table's entry of a mapping file (every field optional)."""

    tabla: str
    #: the mapping file as analysts know it (``fuentes.yaml``, ``2024-03/fuentes.yaml``)
    origen: str
    archivo: str | None = None
    hoja: str | None = None
    encabezado: int | None = None
    separador: str | None = None
    codificacion: str | None = None
    formato_fecha: str | None = None
    #: contract column -> export header
    columnas: dict = field(default_factory=dict)
    #: contract column -> {normalised export value: contract value}
    valores: dict = field(default_factory=dict)
    #: "columnas.fecha" -> line of the mapping file
    lineas: dict = field(default_factory=dict)
    #: SHA-256 of the mapping file's bytes (the data-quality annex lists the mapping files that applied)
    sha256: str = ""

    def linea(self, clave: str) -> int | None:
        return self.lineas.get(clave) or self.lineas.get(clave.split(".")[0]) or self.lineas.get("")

    def problema(self, clave: str, valor, regla: str) -> Problema:
        return Problema(self.origen, self.linea(clave), f"{self.tabla} › {clave.replace('.', ' › ')}",
                        None if valor is None else str(valor), regla)

    def encabezado_de(self, columna: str) -> str:
        """The export header expected for a contract column."""
        return self.columnas.get(columna, columna)


def read_mapping(path: Path, puntos_claves: set | None = None) -> tuple[dict[str, Fuente], list[Problema]]:
    """The entries of one mapping file, and its problems (each with its line)."""
    origen = display_name(path)
    if path.is_dir():
        return {}, [Problema(origen, None, None, None, "es una carpeta, no un archivo: bórrela o ponga ahí el mapeo")]
    import hashlib

    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return {}, [Problema(origen, None, None, None,
                             f"no está guardado en UTF-8 (byte en la posición {exc.start}): guárdelo como UTF-8")]
    except OSError as exc:
        return {}, [Problema(origen, None, None, None, f"no se puede leer ({exc.strerror})")]
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [Problema(origen, mark.line + 1 if mark else None, None, None,
                             f"no es YAML válido ({getattr(exc, 'problem', exc)})")]
    if root is None:
        return {}, []
    problems: list[Problema] = []
    _repeated_keys(root, origen, problems)
    if not isinstance(root, yaml.MappingNode):
        return {}, problems + [Problema(origen, root.start_mark.line + 1, None, None,
                                        "debe ser un conjunto de tablas (atenciones, llamadas, encuestas, comunicaciones)")]
    out: dict[str, Fuente] = {}
    for key_node, node in root.value:
        tabla = str(key_node.value)
        line = key_node.start_mark.line + 1
        if tabla not in SPECS:
            problems.append(Problema(origen, line, None, tabla,
                                     f"no es una tabla del contrato ({', '.join(SPECS)}){quiso_decir(tabla, SPECS)}"))
            continue
        fuente = Fuente(tabla, origen, lineas={"": line}, sha256=hashlib.sha256(data).hexdigest())
        if node is not None and not isinstance(node, yaml.MappingNode) and getattr(node, "value", "") not in ("", None):
            problems.append(fuente.problema("", None, "debe ser un conjunto de claves (archivo, hoja, columnas, …)"))
        elif isinstance(node, yaml.MappingNode):
            _read_entry(fuente, node, problems, puntos_claves)
        out[tabla] = fuente
    return out, problems


def _repeated_keys(node, origen: str, problems: list) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for k, v in node.value:
            key = getattr(k, "value", None)
            if isinstance(key, str) and key in seen:
                problems.append(Problema(origen, k.start_mark.line + 1, None, key,
                                         f"está repetida (ya está en la línea {seen[key]}): deje una sola"))
            elif isinstance(key, str):
                seen[key] = k.start_mark.line + 1
            _repeated_keys(v, origen, problems)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _repeated_keys(v, origen, problems)


def _scalar(node) -> object:
    """A scalar node's value as YAML's safe loader would give it (an empty value, ``clave:``, is None)."""
    return yaml.SafeLoader("").construct_object(node, deep=True) if node is not None else None


def _read_entry(fuente: Fuente, node, problems: list, puntos_claves: set | None) -> None:
    spec = SPECS[fuente.tabla]
    for k, v in node.value:
        clave = str(k.value)
        fuente.lineas[clave] = k.start_mark.line + 1
        if clave not in CLAVES:
            problems.append(fuente.problema(clave, None, f"no es una clave de fuentes.yaml ({', '.join(CLAVES)})"
                                            f"{quiso_decir(clave, CLAVES)}"))
            continue
        if clave in ("columnas", "valores"):
            if not isinstance(v, yaml.MappingNode):
                problems.append(fuente.problema(clave, None, "debe ser un conjunto de «columna del contrato: …»"))
                continue
            for ck, cv in v.value:
                columna = str(ck.value)
                fuente.lineas[f"{clave}.{columna}"] = ck.start_mark.line + 1
                if columna not in spec.columnas:
                    problems.append(fuente.problema(
                        f"{clave}.{columna}", None,
                        f"no es una columna de {fuente.tabla} ({', '.join(spec.columnas)})"
                        f"{quiso_decir(columna, spec.columnas)}"))
                elif clave == "columnas":
                    header = _scalar(cv) if isinstance(cv, yaml.ScalarNode) else None
                    if not isinstance(header, (str, int)) or not str(header).strip():
                        problems.append(fuente.problema(f"columnas.{columna}", None,
                                                        "debe ser el encabezado de la exportación, entre comillas"))
                    else:
                        fuente.columnas[columna] = clean_text(header)
                else:
                    _read_values(fuente, columna, cv, problems, puntos_claves)
            continue
        value = _scalar(v) if isinstance(v, yaml.ScalarNode) else None
        if not isinstance(v, yaml.ScalarNode):
            problems.append(fuente.problema(clave, None, "debe ser un solo valor"))
        elif clave == "encabezado":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(fuente.problema(clave, value, "debe ser el número de la línea de los encabezados "
                                                              "(1 es la primera línea)"))
            else:
                fuente.encabezado = value
        elif clave == "separador":
            if value not in SEPARADORES:
                problems.append(fuente.problema(clave, repr(value), 'debe ser "," ";" "\\t" (tabulador) o "|"'))
            else:
                fuente.separador = value
        elif clave == "codificacion":
            try:
                codecs.lookup(str(value))
                fuente.codificacion = str(value)
            except LookupError:
                problems.append(fuente.problema(clave, value, "no es una codificación conocida (utf-8, utf-16, "
                                                              "cp1252, latin-1…)"))
        elif clave == "formato_fecha":
            if not _valid_date_format(value):
                problems.append(fuente.problema(clave, value, "no es un formato de fecha válido: use %d, %m, %Y "
                                                              "(y %H:%M si trae hora), p. ej. \"%d/%m/%Y %H:%M\""))
            else:
                fuente.formato_fecha = value
        elif clave in ("archivo", "hoja"):
            if not isinstance(value, str) or not value.strip():
                problems.append(fuente.problema(clave, value, "debe ser un texto"))
            elif clave == "archivo" and ("/" in value or "\\" in value or value.startswith(".")):
                problems.append(fuente.problema(clave, value, "debe ser un nombre (o patrón con *) dentro de la "
                                                              "carpeta del mes, sin rutas"))
            else:
                setattr(fuente, clave, value)


def _valid_date_format(value) -> bool:
    if not isinstance(value, str) or not all(d in value for d in ("%d", "%m")) or not ("%Y" in value or "%y" in value):
        return False
    sample = dt.datetime(2024, 3, 9, 8, 7, 6)
    try:
        return dt.datetime.strptime(sample.strftime(value), value).date() == sample.date()
    except ValueError:
        return False


def _read_values(fuente: Fuente, columna: str, node, problems: list, puntos_claves: set | None) -> None:
    spec = SPECS[fuente.tabla]
    allowed = spec.valores.get(columna)
    if columna not in spec.categoricas and allowed is None:
        problems.append(fuente.problema(f"valores.{columna}", None,
                                        f"la columna {columna} no admite un mapa de valores"))
        return
    if not isinstance(node, yaml.MappingNode):
        problems.append(fuente.problema(f"valores.{columna}", None,
                                        "debe ser un conjunto de «valor de la exportación: valor del contrato»"))
        return
    mapa = {}
    for vk, vv in node.value:
        exported = _scalar(vk)
        target = _scalar(vv) if isinstance(vv, yaml.ScalarNode) else [] if vv is not None else None
        line = vk.start_mark.line + 1
        where = f"valores.{columna}"
        if target is None or isinstance(target, (list, dict)) or not str(target).strip():
            if columna in spec.vacios and not isinstance(target, (list, dict)):  # "No aplica": "" (or null)
                mapa[_key(clean_text(exported))] = ""
                fuente.lineas.setdefault(where, line)
                continue
            problems.append(Problema(fuente.origen, line, f"{fuente.tabla} › valores › {columna}", str(exported),
                                     f"debe ir a {_allowed_words(columna, allowed)}"))
            continue
        target = clean_text(target if not isinstance(target, bool) else ("si" if target else "no"))
        if allowed == CATALOGO:
            if puntos_claves is not None and _key(target) not in puntos_claves:
                problems.append(Problema(fuente.origen, line, f"{fuente.tabla} › valores › {columna}", target,
                                         "no es un punto de data/puntos.csv: escriba el nombre como está en el "
                                         "catálogo" + quiso_decir(target, sorted(puntos_claves))))
                continue
        elif allowed is not None and _key(target) not in {_key(a) for a in allowed}:
            problems.append(Problema(fuente.origen, line, f"{fuente.tabla} › valores › {columna}", target,
                                     f"no es un valor de {columna} en el contrato ({', '.join(allowed)})"
                                     f"{quiso_decir(target, allowed)}"))
            continue
        mapa[_key(clean_text(exported))] = target
        fuente.lineas.setdefault(where, line)
    fuente.valores[columna] = mapa


def _allowed_words(columna: str, allowed) -> str:
    """What a value of ``columna`` may be mapped to, in the analysts' words (a column
    that takes no empty value)."""
    if allowed == CATALOGO:
        what = "un punto de data/puntos.csv, escrito como en el catálogo"
    elif allowed:
        what = f"un valor de {columna} en el contrato ({', '.join(allowed)})"
    else:
        what = f"un texto, el valor de {columna} en el informe"
    return f"{what}: {columna} no puede quedar vacío"


def load_shared(data_dir: Path | None = None, puntos_claves: set | None = None
                ) -> tuple[dict[str, Fuente], list[Problema]]:
    """The shared mapping, ``data/fuentes.yaml`` (empty when there is none)."""
    path = (data_dir or config.DATA_DIR) / FUENTES_FILE
    return read_mapping(path, puntos_claves) if path.exists() else ({}, [])


def load_fuentes(mes: str, data_dir: Path | None = None, puntos_claves: set | None = None,
                 compartido: dict[str, Fuente] | None = None) -> tuple[dict[str, Fuente], list[Problema]]:
    """The month's mapping: the shared file's tables, replaced table by table by
    the month's own file. Empty when neither exists. ``compartido``: the shared
    file's entries, already read (and its problems already said) by the caller."""
    data_dir = data_dir or config.DATA_DIR
    problems: list[Problema] = []
    if compartido is None:
        compartido, problems = load_shared(data_dir, puntos_claves)
    out = dict(compartido)
    path = data_dir / mes / FUENTES_FILE
    if path.exists():
        entries, found = read_mapping(path, puntos_claves)
        out.update(entries)
        problems += found
    return out, problems
