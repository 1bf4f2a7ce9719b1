"""No typed numbers in narrative.

Narrative names the month's figures in braces (``{presencial.atendidas}``)
and the build fills them in; a number typed by hand would be stale the next
month, or simply mistyped. Before anything is rendered, the build reads all
narrative that reaches the deck:

- the markdown cells of the section notebooks (not the skipped notes);
- the strings of their code cells (what ``s.texto(...)``, ``s.analisis(...)``
  and the other helpers show);
- the texts of the month's params: ``comentarios`` and ``entregas_valor``;

and refuses every number written there, naming its place, unless a rule
allows it: dates (``17 de abril``, ``2024-03-01``), years (``desde 2013.``,
``la vigencia 2024``, a heading ``Consolidado 2024``), times and durations
(``24 horas``, ``24/7``), phone numbers (``(571) 220 19 99``), numbered-list
markers and ordinals (``1.``, ``3.º``, ``1.er``), names, codes and versions that
carry digits (``ISO 9001:2015``, ``Ley 1755``, ``AT-2024``, ``NIT 900.500.018-2``,
``AnnA Minería 2.0``), postal addresses (``Calle 26 # 59-51, piso 8``) and
e-mail and web addresses. ``tests/corpus_narrativa.txt`` holds over two hundred
sentences of the published issues, the guide and value deliveries, each with
the numbers the check must flag and no other. A figure
only the analysts know is declared once in the month's ``cifras_analistas``
and written as ``{analistas.<nombre>}``.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import nbformat
import yaml

from anm_helpers.core import config
from anm_helpers.core.errors import CifrasEscritas, NarrativaInvalida, NombresDesconocidos
from anm_helpers.core.month import ANIO_RE

MESES = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
         "diciembre")
_I = re.IGNORECASE
_M = re.MULTILINE

#: a number as people type it: ``72``, ``1.000``, ``7,099``, ``92,9 %``
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?:\s?%)?")

#: spans where digits are allowed by rule (each masked before numbers are looked for)
ALLOWED: list[tuple[str, re.Pattern]] = [
    ("dirección", re.compile(r"\S+@\S+|(?:https?://|www\.)\S+", _I)),
    ("fecha", re.compile(r"\b\d{4}-\d{1,2}(?:-\d{1,2})?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b")),
    ("fecha", re.compile(rf"\b\d{{1,2}}(?:\s*(?:,|y el|y|e|al|a|-|–)\s*\d{{1,2}})*\s+de\s+(?:{MESES})\b", _I)),
    ("año", re.compile(rf"(?:\b(?:de|del|año|años|vigencia|vigencias|en|desde|hasta|entre|y|a|al|para|durante|"
                       rf"periodo|período|encuesta|consolidado|informe|plan|corte|cierre|{MESES})\s+|\(|–|-|:)"
                       r"(?:19|20)\d{2}(?!\d|[.,]\d|\s?%)", _I)),
    ("año", re.compile(r"^\W*(?:[^\W\d]+\s+){1,3}(?:19|20)\d{2}\s*$", _M)),  # a heading: "Consolidado 2024"
    ("hora", re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{1,2}\s*(?:a\.\s?m\.|p\.\s?m\.|am\b|pm\b)", _I)),
    ("escala", re.compile(r"\b(?:entre|de|del|con)\s+(?:10|\d)\s+(?:y|a|al|o)\s+(?:10|\d)\b(?![.,]?\d|\s*%)", _I)),
    ("duración", re.compile(r"\b\d+\s+(?:horas?|minutos?|segundos?|d[ií]as?|semanas?|mes(?:es)?|años?)\b", _I)),
    ("teléfono", re.compile(r"(?:\(\+?\d{1,4}\)\s*)?\+?\d{1,4}(?:[ -]\d{2,8})+")),
    ("lista", re.compile(r"^\s*(?:[-*+]\s+)?\d{1,3}[.)](?=\s)", _M)),
    ("ordinal", re.compile(r"\b\d+\.?\s?(?:[º°ª]|(?:er|ra|ro|do|da|to|ta|vo|va|mo|ma|no|na)\b)")),
    ("siempre", re.compile(r"\b(?:24\s?/\s?7|24\s?[x×]\s?7|7\s?[x×]\s?24)\b", _I)),
    ("dirección", re.compile(r"\b(?:calle|cl\.|carrera|cra\.|kr\.|avenida|av\.|diagonal|dg\.|transversal|tv\.|"
                             r"autopista|piso|torre|oficina|of\.|local|bloque|apto\.?|apartamento|interior|int\.|"
                             r"km|kil[oó]metro)\s+\d+[a-z]?\b(?:\s*(?:#|no\.?|n\.?º)\s*\d+[a-z]?"
                             r"(?:\s*[-–]\s*\d+)?)?|#\s*\d+[a-z]?\s*[-–]\s*\d+", _I)),
    ("referencia", re.compile(r"\b(?:ley|decreto|resoluci[oó]n|circular|acuerdo|art[ií]culo|art\.|numeral|"
                              r"literal|iso|ntc|nit|no\.|n\.?º|n°|núm\.|número|radicado|expediente|contrato|"
                              r"convenio|anexo|cap[ií]tulo|formato|c[oó]digo|l[ií]nea|fila|columna|celda|"
                              r"extensi[oó]n|ext\.|versi[oó]n)\s*\d[\d.\-/:]*", _I)),
    ("nit", re.compile(r"\b\d{3}\.\d{3}\.\d{3}-\d\b")),
    ("versión", re.compile(r"(?<=[^\W\d_]\s)\d+\.\d(?:\.\d+)*\b(?![.,]?\d|\s*%)")),
    ("nombre", re.compile(r"[\w-]*[^\W\d_][\w-]*\d[\w-]*|[\w-]*\d[\w-]*[^\W\d_][\w-]*")),
]


def _phone_like(text: str) -> bool:
    return sum(c.isdigit() for c in text) >= 7


@dataclass(frozen=True)
class TypedFigure:
    """A number typed into narrative, where it is, and what to write instead."""

    lugar: str
    numero: str
    fragmento: str
    sugerencia: str

    def __str__(self) -> str:
        return f'{self.lugar}: "{self.numero}" en «{self.fragmento}» — {self.sugerencia}'


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def typed_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of the numbers typed in ``text`` that no rule allows; named
    values in braces (``{presencial.atendidas}``) are not typed numbers."""
    masked = re.sub(r"\{\{|\}\}", "  ", text)
    masked = re.sub(r"\{[^{}]*\}", lambda m: " " * len(m.group()), masked)
    for kind, pattern in ALLOWED:
        for m in list(pattern.finditer(masked)):
            if kind == "teléfono" and not _phone_like(m.group()):
                continue
            masked = _mask(masked, m.start(), m.end())
    return [(m.start(), m.end()) for m in NUMBER.finditer(masked)]


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    out = " ".join(text[a:b].split())
    return ("…" if a else "") + out + ("…" if b < len(text) else "")


def _value(token: str) -> tuple[Decimal, bool] | None:
    """``1.000`` -> (1000, False); ``92,9%`` -> (92.9, True) (es-CO writing)."""
    pct = token.rstrip().endswith("%")
    digits = token.rstrip("% ").strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(".", "")
    digits = digits.replace(",", ".")
    try:
        return Decimal(digits), pct
    except InvalidOperation:
        return None


def _names_by_value(cifras: dict) -> dict:
    """The month's named values by the numbers they show (for the hint);
    changes, earlier months and the period (year) are left out: a number
    typed that equals one of those is a coincidence more often than not."""
    out: dict = {}
    for name, shown in cifras.items():
        if name.startswith(("cambio.", "variacion.", "variaciones.", "acumulado.meses.", "periodo.", "principales.")):
            continue
        for m in NUMBER.finditer(str(shown)):
            v = _value(m.group())
            if v is not None:
                out.setdefault(v, []).append(name)
    return out


def _rank(name: str) -> tuple:
    return not name.startswith("analistas."), name.startswith("acumulado."), len(name)


@dataclass(frozen=True)
class UnknownName:
    """A ``{nombre}`` in narrative that is no named value of the month, where it is."""

    lugar: str
    nombre: str
    sugerencia: str

    def __str__(self) -> str:
        return f"{self.lugar}: {{{self.nombre}}} {self.sugerencia}"


#: names a code cell's strings may hold that a helper fills itself (``Seccion.analisis``'s linea_canal)
NOMBRES_LOCALES = ("canal", "valor", "califican", "atendidas", "tasa")


class Checker:
    """Collects the typed numbers and the unknown ``{nombre}`` of one month's narrative."""

    def __init__(self, mes: str, cifras: dict, partial: bool = False):
        self.mes = mes
        self.periodo = "año" if ANIO_RE.match(mes) else "mes"  # the year deck's notebook (make year)
        self.cifras = cifras
        self.partial = partial
        self.by_value = _names_by_value(cifras)
        self.found: list[TypedFigure] = []
        self.unknown: list[UnknownName] = []

    def _absent_this_month(self, name: str) -> bool:
        """A name under a figure the month does not have (``encuestas.preguntas.claridad``
        is "sin datos" before the 2026 survey): the helpers that show it skip it."""
        from anm_helpers.core.fmt import SIN_DATOS

        parts = name.split(".")
        return any(self.cifras.get(".".join(parts[:i])) == SIN_DATOS for i in range(1, len(parts)))

    def names(self, lugar, text: str, local: tuple = ()) -> None:
        """Record every ``{nombre}`` of ``text`` the month does not have."""
        from anm_helpers.core.fmt import nombres_en
        from anm_helpers.core.suggestions import quiso_decir

        try:
            found = nombres_en(text)
        except ValueError:
            where = _place(lugar, text, 0)
            self.unknown.append(UnknownName(where, "…", "tiene una llave sin pareja: escriba {{ o }} para "
                                                          "una llave literal"))
            return
        for name in found:
            if name in self.cifras or name in local or self._absent_this_month(name):
                continue
            if self.partial and (".por_" in name or name.startswith(("cambio.", "variacion."))):
                continue
            where = _place(lugar, text, max(text.find("{" + name), 0))
            hint = quiso_decir(name, self.cifras, fmt="{{{}}}")
            self.unknown.append(UnknownName(where, name, f"no es una cifra del {self.periodo}" + (hint or ".")))

    def hint(self, token: str) -> str:
        v = _value(token)
        names = sorted(self.by_value.get(v, []), key=_rank)[:3] if v and (v[1] or v[0] >= 10) else []
        if self.periodo == "año":  # no params, no analysts' figures: every figure is a month's or the year's
            return ("¿es la cifra " + " o ".join("{" + n + "}" for n in names) + "? Escríbala con su nombre entre "
                    "llaves para que la construcción la llene con las cifras del año" if names else
                    "no es una cifra del año: nombre la cifra entre llaves (p. ej. {total.total})")
        if names:  # the same number, not necessarily the same figure: the analyst decides
            return ("¿es la cifra " + " o ".join("{" + n + "}" for n in names) + "? Si es esa, escríbala con "
                    "su nombre entre llaves para que se actualice cada mes; si es otra que solo conocen los "
                    f"analistas, declárela en cifras_analistas de params/{self.mes}.yaml y escríbala como "
                    "{analistas.<nombre>}")
        return (f"no es una cifra del mes: nombre la cifra entre llaves (p. ej. {{presencial.atendidas}}) o, "
                f"si solo la conocen los analistas, declárela en cifras_analistas de params/{self.mes}.yaml "
                "y escríbala como {analistas.<nombre>}")

    def text(self, lugar, text: str, local: tuple = ()) -> None:
        """Record the typed numbers and unknown names of ``text``; ``lugar`` is its
        place, or a function of ``(text, offset)`` that gives the place of a character."""
        self.names(lugar, text, local)
        for start, end in typed_numbers(text):
            token = text[start:end]
            where = _place(lugar, text, start)
            self.found.append(TypedFigure(where, token.strip(), _snippet(text, start, end), self.hint(token)))

    # --- notebooks ------------------------------------------------------------------
    def notebook(self, path: Path) -> None:
        nb = nbformat.read(path, as_version=4)
        py_lines = _percent_cell_lines(path.with_suffix(".py"), len(nb.cells))
        for i, cell in enumerate(nb.cells, start=1):
            meta = cell.get("metadata", {})
            if meta.get("slideshow", {}).get("slide_type") == "skip" and cell.cell_type == "markdown":
                continue
            if "parameters" in meta.get("tags", []):
                continue
            local = NOMBRES_LOCALES if cell.cell_type == "code" else ()
            for first, text in _narrative_of(cell):
                self.text(self._cell_place(path, i, py_lines, first), text, local)

    @staticmethod
    def _cell_place(path: Path, i: int, py_lines: list[int] | None, first: int):
        def lugar(text: str, offset: int) -> str:
            line = 1 + text.count("\n", 0, offset)
            out = f"notebooks/{path.name}, celda {i}"
            if py_lines:
                out += f" (notebooks/{path.with_suffix('.py').name}, línea {py_lines[i - 1] + first + line - 1})"
            return out
        return lugar

    # --- params ---------------------------------------------------------------------
    def params(self, path: Path) -> None:
        try:
            source = path.read_text(encoding="utf-8-sig")
            root = yaml.compose(source)
        except (yaml.YAMLError, UnicodeDecodeError, OSError):
            return  # load_params has already said what is wrong
        if not isinstance(root, yaml.MappingNode):
            return
        name = f"params/{path.name}"
        top = {k.value: v for k, v in root.value}
        comentarios = top.get("comentarios")
        if isinstance(comentarios, yaml.MappingNode):
            for k, v in comentarios.value:
                self._scalar(name, source, v, f"comentarios › {k.value}")
        puntos = top.get("puntos_principales")
        if isinstance(puntos, yaml.MappingNode):
            textos = {k.value: v for k, v in puntos.value}.get("textos")
            if isinstance(textos, yaml.MappingNode):
                for k, v in textos.value:
                    self._scalar(name, source, v, f"puntos_principales › textos › {k.value}")
        entregas = top.get("entregas_valor")
        if isinstance(entregas, yaml.SequenceNode):
            for n, bloque in enumerate(entregas.value, start=1):
                if not isinstance(bloque, yaml.MappingNode):
                    continue
                fields = {k.value: v for k, v in bloque.value}
                titulo = fields.get("titulo")
                label = f"«{titulo.value}»" if isinstance(titulo, yaml.ScalarNode) else f"bloque {n}"
                self._scalar(name, source, titulo, f"entregas_valor › bloque {n} › titulo")
                items = fields.get("items")
                if isinstance(items, yaml.SequenceNode):
                    for j, item in enumerate(items.value, start=1):
                        self._scalar(name, source, item, f"entregas_valor › {label} › punto {j}")

    def _scalar(self, name: str, source: str, node, where: str) -> None:
        if isinstance(node, yaml.ScalarNode) and node.value:
            lines = _source_lines(source, node)
            self.text(lambda text, offset: f"{name}, línea {lines(offset)} ({where})", node.value)


def _place(lugar, text: str, offset: int) -> str:
    return lugar(text, offset) if callable(lugar) else lugar


def _source_lines(source: str, node):
    """For a YAML scalar, a function from an offset in its value to the line of the
    file that holds that character: a folded paragraph (``>-``) joins its lines with
    spaces, so the value's characters other than spaces are matched, in order, with
    the source's. Where they differ (an escape in quotes), the scalar's first line."""
    first = node.start_mark.line + 1
    raw = source[node.start_mark.index:node.end_mark.index]
    body_start = 0
    if node.style in (">", "|"):  # the text starts below the indicator line
        body_start = raw.find("\n") + 1 if "\n" in raw else len(raw)
    elif node.style in ("'", '"'):
        body_start = 1
    lines_of = [first + raw.count("\n", 0, i) for i, c in enumerate(raw) if i >= body_start and not c.isspace()]
    chars_of = [c for i, c in enumerate(raw) if i >= body_start and not c.isspace()]
    value = node.value

    def line(offset: int) -> int:
        k = sum(1 for c in value[:offset] if not c.isspace())
        if k < len(chars_of) and chars_of[:k + 1] == [c for c in value[:offset + 1] if not c.isspace()][:k + 1]:
            return lines_of[k]
        return first + (node.style in (">", "|"))
    return line


def _narrative_of(cell) -> list[tuple[int, str]]:
    """(line in the cell, text) of what a cell shows: a markdown cell's
    source; a code cell's string literals."""
    if cell.cell_type == "markdown":
        return [(1, cell.source)]
    if cell.cell_type != "code":
        return []
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return []  # papermill reports it when the section runs
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
    return sorted(out)


def _percent_cell_lines(py: Path, n_cells: int) -> list[int] | None:
    """The line before each cell's first source line in the paired
    percent-format ``.py`` (None when there is none or it does not match)."""
    if not py.exists():
        return None
    starts = [n for n, line in enumerate(py.read_text(encoding="utf-8").splitlines(), start=1)
              if line.startswith("# %%")]
    return starts if len(starts) == n_cells else None



def check_typed_numbers(ctx: dict, notebooks: list[Path] | None = None, partial: bool = False) -> None:
    """Raise ``NarrativaInvalida`` naming every number typed into the month's
    narrative (notebooks and params) that no rule allows and every ``{nombre}``
    the month does not have, all at once, before any section runs. ``partial``:
    ``ctx`` is a month without data (its data failed its checks), so a name of
    a category's count (``por_*``) cannot be judged and is let through."""
    mes = ctx["mes"]
    checker = Checker(mes, ctx["cifras"], partial)
    for path in config.section_notebooks() if notebooks is None else notebooks:
        checker.notebook(path)
    params = config.params_file(mes)
    if params.exists():
        checker.params(params)
    if checker.unknown and checker.found:
        raise NarrativaInvalida(checker.found, checker.unknown, checker.periodo)
    if checker.unknown:
        raise NombresDesconocidos([], checker.unknown, checker.periodo)
    if checker.found:
        raise CifrasEscritas(checker.found, periodo=checker.periodo)


check_narrative = check_typed_numbers
