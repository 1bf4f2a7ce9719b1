"""The month's parameters, ``params/<YYYY-MM>.yaml`` (optional).

Keys that change figures: ``mes`` and ``metodo_encuestas`` (data contract).
The project's own keys, all optional:

- ``cifras_analistas``: figures only the analysts know (``orientaciones: 72``),
  used in narrative as ``{analistas.orientaciones}``; one left empty (as
  ``make new-month`` writes them) is shown as "sin datos";
- ``comentarios``: the analysts' commentary per survey question
  (``satisfaccion``, ``percepcion``, ``confianza``, ``claridad``);
- ``entregas_valor``: the month's value deliveries, a list of
  ``{titulo: ..., items: [...]}`` shown in that order.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from . import config
from .contract import METODO_POR_DEFECTO, METODOS_ENCUESTA, PREGUNTAS
from .exceptions import ParametrosInvalidos

CLAVES = ("mes", "metodo_encuestas", "cifras_analistas", "comentarios", "entregas_valor")


def defaults(mes: str) -> dict:
    return {"mes": mes, "metodo_encuestas": METODO_POR_DEFECTO, "cifras_analistas": {},
            "comentarios": {}, "entregas_valor": [], "archivo": None}


def load_params(mes: str, path: Path | None = None) -> dict:
    """The parameters of ``mes`` with defaults filled in; ``archivo`` is None
    when the month has no params file."""
    path = path or config.params_file(mes)
    out = defaults(mes)
    if not path.exists():
        return out
    name = f"params/{path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", línea {mark.line + 1}" if mark else ""
        raise ParametrosInvalidos(f"{name}{where}: no es YAML válido ({getattr(exc, 'problem', exc)})") from None
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
