"""es-CO formatting with babel (``4.924``, ``92,9%``, ``marzo``) and the named
values that narrative uses (``{presencial.atendidas}`` -> ``1.000``).

One rounding policy everywhere: half up, on the decimal value as written.
Survey values (``valor``, ``consolidado``, ``indice_anm``) show 2 decimals,
other shares 1 (``99,10%``, ``88,7%``); a whole number shows none (``100%``, ``84%``).
"""
from __future__ import annotations

import datetime as dt
import string
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from anm_helpers.core.errors import NombreDesconocido

LOCALE = "es_CO"
SIN_DATOS = "sin datos"
SIN_MES_ANTERIOR = "sin mes anterior"
SURVEY_KEYS = ("valor", "consolidado", "indice_anm")


def redondear(x: float, decimales: int) -> Decimal:
    """``x`` rounded half up to ``decimales`` places, as a Decimal."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)


def _decimal(d: Decimal, decimales: int) -> str:
    if d == d.to_integral_value():
        decimales = 0
    pattern = "#,##0" + ("." + "0" * decimales if decimales else "")
    return format_decimal(d, format=pattern, locale=LOCALE, decimal_quantization=False)


def numero(n: int | None) -> str:
    """``4924`` -> ``4.924``; None -> ``sin datos``."""
    return SIN_DATOS if n is None else _decimal(Decimal(int(n)), 0)


def porcentaje(x: float | None, decimales: int = 1) -> str:
    """A fraction as a percentage: ``0.929`` -> ``92,9%``; None -> ``sin datos``."""
    if x is None:
        return SIN_DATOS
    return _decimal(redondear(float(Decimal(repr(float(x))) * 100), decimales), decimales) + "%"


#: a unit of change in the singular, for a change of exactly 1
SINGULAR = {"puntos": "punto", "interacciones": "interacción", "llamadas": "llamada",
            "comunicaciones": "comunicación", "personas": "persona"}


def cambio(diferencia: float | None, unidad: str = "puntos", decimales: int = 2, forma: str = "nombre") -> str:
    """A change against the previous month in words that agree in gender and
    number, its unit after it. ``forma="nombre"`` is a noun phrase with its
    article, for "la medición muestra …": ``un aumento de 8 puntos``, ``una
    disminución de 142 interacciones``, ``un aumento de 1 punto``, ``una
    variación de 0 puntos``; ``forma="verbo"`` a verb phrase, for "la tasa …
    frente a febrero": ``aumentó 8 puntos``, ``disminuyó 142 interacciones``,
    ``se mantuvo``. None -> ``sin mes anterior``."""
    if diferencia is None:
        return SIN_MES_ANTERIOR
    d = redondear(abs(diferencia), decimales)
    amount = _decimal(d, decimales)
    if d == 1:
        unidad = SINGULAR.get(unidad, unidad)
    if forma == "verbo":
        if d == 0:
            return "se mantuvo"
        return f"{'aumentó' if diferencia > 0 else 'disminuyó'} {amount} {unidad}".rstrip()
    if d == 0:
        return f"una variación de 0 {unidad}".rstrip()
    word = "un aumento" if diferencia > 0 else "una disminución"
    return f"{word} de {amount} {unidad}".rstrip()


def fecha_mes(mes: str) -> dt.date:
    return dt.date.fromisoformat(f"{mes}-01")


def nombre_mes(mes: str) -> str:
    """``2024-03`` -> ``marzo``."""
    return format_date(fecha_mes(mes), "LLLL", locale=LOCALE)


def titulo_mes(mes: str) -> str:
    """``2024-03`` -> ``Marzo 2024``."""
    return f"{nombre_mes(mes).capitalize()} {mes[:4]}"


def decimales_de(path: str) -> int:
    return 2 if path.rsplit(".", 1)[-1] in SURVEY_KEYS else 1


def valor(path: str, v) -> str:
    """A metric formatted by what it is: counts as numbers, shares as percentages."""
    if v is None:
        return SIN_DATOS
    if isinstance(v, bool):
        return "sí" if v else "no"
    if isinstance(v, int):
        return numero(v)
    if isinstance(v, float):
        return porcentaje(v, decimales_de(path))
    return str(v)


def at_path(tree: dict | None, path: str):
    """The value at a dotted path of a figures' tree (``"presencial.primer_contacto"``), or
    None where the path does not exist."""
    node = tree
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def flatten(tree: dict, prefix: str = "") -> dict:
    """Nested figures as dotted paths: ``{"a": {"b": 1}}`` -> ``{"a.b": 1}``."""
    out = {}
    for k, v in tree.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, path + "."))
        else:
            out[path] = v
    return out


class _Formatter(string.Formatter):
    def __init__(self, valores: dict):
        self.valores = valores

    def get_field(self, field_name, args, kwargs):
        if field_name not in self.valores:
            raise NombreDesconocido(field_name, self.valores)
        return self.valores[field_name], field_name


def rellenar(plantilla: str, valores: dict) -> str:
    """Fill ``{nombre}`` with the month's named values (``{{`` for a literal brace)."""
    return _Formatter(valores).format(plantilla)


def nombres_en(plantilla: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(plantilla) if f]


def reparto(counts: list[int], decimales: int = 1) -> list[str]:
    """Shares of a whole that add up to exactly 100% at the shown precision
    (largest remainder): ``[287, 312, 47]`` -> ``44,4% / 48,3% / 7,3%``."""
    total = sum(counts)
    if not total:
        return [SIN_DATOS for _ in counts]
    unit = Decimal(1).scaleb(-decimales)
    exact = [Decimal(c) * 100 / Decimal(total) for c in counts]
    floors = [e.quantize(unit, rounding="ROUND_FLOOR") for e in exact]
    missing = int((Decimal(100) - sum(floors)) / unit)
    order = sorted(range(len(counts)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[:missing]:
        floors[i] += unit
    return [_decimal(f, decimales) + "%" for f in floors]
