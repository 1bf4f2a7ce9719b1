"""The month's parameters, ``params/<YYYY-MM>.yaml`` (optional).

Keys that change figures: ``mes`` and ``metodo_encuestas`` (data contract).
The project's own keys, all optional:

- ``cifras_analistas``: figures only the analysts know (``orientaciones: 72``),
  used in narrative as ``{analistas.orientaciones}``; one left empty (as
  ``make new-month`` writes them) is shown as "sin datos";
- ``comentarios``: the analysts' commentary per survey question
  (``satisfaccion``, ``percepcion``, ``confianza``, ``claridad``);
- ``entregas_valor``: the month's value deliveries, a list of
  ``{titulo: ..., items: [...]}`` shown in that order;
- ``puntos_principales``: the analysts' say over «Lo principal del mes»
  (``ocultar``: rules not to show; ``textos``: a rule's wording replaced, narrative
  with ``{nombre}``; ``maximo``: how many points), checked by ``figures.main_points``.
"""
from __future__ import annotations

import math
from pathlib import Path

import yaml

from anm_helpers.core import config
from anm_helpers.inputs.contract import METODO_POR_DEFECTO, METODOS_ENCUESTA, PREGUNTAS
from anm_helpers.core.errors import ClaveRepetida, ParametrosInvalidos

CLAVES = ("mes", "metodo_encuestas", "cifras_analistas", "comentarios", "entregas_valor", "puntos_principales")


def defaults(mes: str) -> dict:
    return {"mes": mes, "metodo_encuestas": METODO_POR_DEFECTO, "cifras_analistas": {},
            "comentarios": {}, "entregas_valor": [], "archivo": None}


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader refusing a key written twice in one mapping: YAML keeps
    the last one silently, and the analyst's first text would be lost."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # an unhashable key: the base loader words it
                continue
            if first != key_node.start_mark.line + 1:
                raise ClaveRepetida(key, key_node.start_mark.line + 1, first)
        return super().construct_mapping(node, deep=deep)


def read_params_text(path: Path, name: str) -> str:
    """The params file's text (UTF-8, with or without BOM), or ``ParametrosInvalidos``
    saying what to do: a folder, an unreadable file, another encoding."""
    if path.is_dir():
        raise ParametrosInvalidos(f"{name} es una carpeta, no un archivo: bórrela o ponga ahí el archivo del mes")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ParametrosInvalidos(f"{name}: no se puede leer ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ParametrosInvalidos(
            f"{name}, línea {line}: no está guardado en UTF-8 (byte 0x{raw[exc.start]:02X}); guárdelo de nuevo "
            "con codificación UTF-8 (en el Bloc de notas: Archivo > Guardar como > Codificación: UTF-8)") from None


def parse_params_yaml(text: str, name: str):
    """The YAML of a params file, refusing duplicated keys; errors name the line."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except ClaveRepetida as exc:
        raise ParametrosInvalidos(
            f"{name}, línea {exc.linea}: la clave «{exc.clave}» está repetida (ya está en la línea {exc.primera}); "
            "YAML conservaría solo la última: deje una sola y junte ahí los textos") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", línea {mark.line + 1}" if mark else ""
        raise ParametrosInvalidos(f"{name}{where}: no es YAML válido ({getattr(exc, 'problem', exc)})") from None


def load_params(mes: str, path: Path | None = None) -> dict:
    """The parameters of ``mes`` with defaults filled in; ``archivo`` is None
    when the month has no params file."""
    path = path or config.params_file(mes)
    out = defaults(mes)
    if not path.exists():
        return out
    name = f"params/{path.name}"
    data = parse_params_yaml(read_params_text(path, name), name)
    if data is None:
        raise ParametrosInvalidos(
            f"{name} está vacío: escriba sus claves (mes, metodo_encuestas, …; `make new-month` las prepara) "
            "o bórrelo para construir con los valores por defecto (metodo_encuestas: top2)")
    if not isinstance(data, dict):
        raise ParametrosInvalidos(f"{name}: debe ser un conjunto de claves (mes, metodo_encuestas, …)")
    problems = []
    unknown = sorted(set(data) - set(CLAVES))
    if unknown:
        problems.append(f"claves desconocidas {', '.join(unknown)}; las válidas son {', '.join(CLAVES)}")
    if str(data.get("mes", mes)) != mes:
        problems.append(f'mes es "{data.get("mes")}" pero el archivo es de {mes}')
    metodo = data.get("metodo_encuestas", METODO_POR_DEFECTO)
    if metodo not in METODOS_ENCUESTA:
        problems.append(f'metodo_encuestas "{metodo}" no es top2 ni promedio')
    cifras = data.get("cifras_analistas") or {}
    if not isinstance(cifras, dict) or not all(v is None or isinstance(v, (int, float)) and not isinstance(v, bool)
                                               for v in cifras.values()):
        problems.append("cifras_analistas debe asociar nombres a números (por ejemplo orientaciones: 72; "
                        "una cifra aún vacía se muestra como «sin datos»)")
    else:
        no_finite = [k for k, v in cifras.items() if isinstance(v, float) and not math.isfinite(v)]
        if no_finite:
            problems.append(f"cifras_analistas: {', '.join(map(str, no_finite))} no es un número (.nan o .inf); "
                            "escriba la cifra, o déjela vacía para mostrar «sin datos»")
    comentarios = data.get("comentarios") or {}
    if not isinstance(comentarios, dict) or set(comentarios) - set(PREGUNTAS):
        problems.append(f"comentarios admite solo {', '.join(PREGUNTAS)}, cada uno con un texto")
    entregas = data.get("entregas_valor") or []
    if not isinstance(entregas, list) or not all(
            isinstance(e, dict) and isinstance(e.get("titulo"), str) and isinstance(e.get("items"), list)
            for e in entregas):
        problems.append("entregas_valor debe ser una lista de {titulo: ..., items: [...]}")
    if problems:
        raise ParametrosInvalidos(f"{name}: " + "; ".join(problems))
    out.update({k: v for k, v in data.items() if v is not None})
    out["mes"] = mes
    out["archivo"] = name
    return out
