"""What changed between the published version of a month and the new build: the
comparison ``cambios.html`` shows (``outputs.changes_page``).

- Figures: every leaf of ``metrics.json`` by its dotted name (a list's items by their
  position: ``puntos_principales.0.texto``), old against new; added and removed ones too.
- Slides: the published ``diapositivas.json`` against the new model's texts
  (``outputs.slide_texts``). Slides are matched by title, in order (difflib on the
  titles); where titles differ, by position among the unmatched ones between the same
  matched neighbours (a slide whose title was edited is a changed slide, not one removed
  and one added); what is left over was added or removed. Within a matched slide the texts
  are compared the same way, and each changed text word by word (difflib), the words
  taken out marked ``<del>``, those put in ``<ins>``, everything else escaped.

Standard library only, no HTML beyond those marks: the page's template lays it out.
"""
from __future__ import annotations

import difflib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from anm_helpers.outputs.slide_texts import FILE_NAME as TEXTS_FILE

METRICS_FILE = "metrics.json"
#: what the comparison found: no earlier version, nothing changed, or changes
PRIMERA, SIN_CAMBIOS, CAMBIOS = "primera", "sin_cambios", "cambios"


# --- figures -----------------------------------------------------------------------
def leaves(tree, prefix: str = "") -> dict:
    """Every value of a figures' tree by its dotted name, in the tree's order; a
    list's items by position; an empty dict or list is a value of its own."""
    if isinstance(tree, dict) and tree:
        items = tree.items()
    elif isinstance(tree, list) and tree:
        items = enumerate(tree)
    else:
        return {prefix: tree} if prefix else {}
    out = {}
    for key, value in items:
        out.update(leaves(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _same(a, b) -> bool:
    """Equal as metrics.json holds them (1 and 1.0, or 1 and true, are not the same figure)."""
    return type(a) is type(b) and a == b


@dataclass
class FigureChange:
    nombre: str
    antes: object = None
    ahora: object = None
    #: "cambiada", "nueva" (not in the published file) or "retirada" (not in the new one)
    estado: str = "cambiada"


def figure_changes(old: dict, new: dict) -> list[FigureChange]:
    """The figures whose value differs, in the new tree's order, then those removed."""
    before, after = leaves(old), leaves(new)
    out = [FigureChange(k, before.get(k), v, "cambiada" if k in before else "nueva")
           for k, v in after.items() if k not in before or not _same(before[k], v)]
    out += [FigureChange(k, v, None, "retirada") for k, v in before.items() if k not in after]
    return out


# --- words -------------------------------------------------------------------------
def _marked(words: list[str], spans: list[tuple[int, int, bool]], tag: str) -> str:
    parts = []
    for i, j, changed in spans:
        text = html.escape(" ".join(words[i:j]), quote=False)
        if text:
            parts.append(f"<{tag}>{text}</{tag}>" if changed else text)
    return " ".join(parts)


def word_diff(old: str, new: str) -> tuple[str, str]:
    """The old and the new text as HTML, escaped, the words taken out of the old one in
    ``<del>``, those put into the new one in ``<ins>`` (consecutive words in one mark)."""
    a, b = old.split(), new.split()
    old_spans, new_spans = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_spans.append((i1, i2, op != "equal"))
        new_spans.append((j1, j2, op != "equal"))
    return _marked(a, old_spans, "del"), _marked(b, new_spans, "ins")


# --- slides ------------------------------------------------------------------------
def _pairs(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Indices of ``old`` and ``new`` paired: equal items in order, then the others by
    position within the stretch between the same equal neighbours; an unpaired one with
    None on the other side."""
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out += list(zip(range(i1, i2), range(j1, j2)))
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        common = min(len(olds), len(news))
        out += list(zip(olds[:common], news[:common]))
        out += [(i, None) for i in olds[common:]] + [(None, j) for j in news[common:]]
    return out


@dataclass
class TextRow:
    """One text of a slide that changed: its old and new HTML (None: not there)."""
    antes: str | None
    ahora: str | None


@dataclass
class SlideChange:
    """A slide whose texts differ (``estado`` "cambiada"), or one "nueva" or "retirada":
    its number and title before and now (None where it is not), and the changed texts."""
    estado: str
    numero_antes: int | None
    numero_ahora: int | None
    titulo_antes: str
    titulo_ahora: str
    filas: list[TextRow] = field(default_factory=list)

    @property
    def titulo(self) -> str:
        return self.titulo_ahora if self.numero_ahora is not None else self.titulo_antes


def text_rows(old: list[str], new: list[str]) -> list[TextRow]:
    """The texts that differ between two versions of a slide, in reading order."""
    rows = []
    for i, j in _pairs(old, new):
        if i is not None and j is not None:
            if old[i] != new[j]:
                rows.append(TextRow(*word_diff(old[i], new[j])))
        elif i is not None:
            rows.append(TextRow(f"<del>{html.escape(old[i], quote=False)}</del>", None))
        else:
            rows.append(TextRow(None, f"<ins>{html.escape(new[j], quote=False)}</ins>"))
    return rows


def slide_changes(old: list[dict], new: list[dict]) -> list[SlideChange]:
    """Slides of ``diapositivas.json`` (``{"numero", "titulo", "textos"}``) compared: the
    changed, added and removed ones, in the order of the deck."""
    out = []
    for i, j in _pairs([s["titulo"] for s in old], [s["titulo"] for s in new]):
        a = old[i] if i is not None else None
        b = new[j] if j is not None else None
        if a is not None and b is not None:
            rows = text_rows(a["textos"], b["textos"])
            if rows or a["titulo"] != b["titulo"]:
                out.append(SlideChange("cambiada", a["numero"], b["numero"], a["titulo"], b["titulo"], rows))
        elif a is not None:
            out.append(SlideChange("retirada", a["numero"], None, a["titulo"], "", text_rows(a["textos"], [])))
        else:
            out.append(SlideChange("nueva", None, b["numero"], "", b["titulo"], text_rows([], b["textos"])))
    return out


# --- the comparison ----------------------------------------------------------------
@dataclass
class Comparison:
    """What ``cambios.html`` says. ``estado``: PRIMERA (nothing published), SIN_CAMBIOS or
    CAMBIOS; ``textos_comparados``: False when the published folder has no
    ``diapositivas.json`` (an earlier version of the tool); ``borrador_antes``: the
    published cover's BORRADOR mark (None: unknown); ``avisos``: what could not be read."""
    estado: str
    cifras: list[FigureChange] = field(default_factory=list)
    diapositivas: list[SlideChange] = field(default_factory=list)
    textos_comparados: bool = True
    borrador_antes: bool | None = None
    borrador_ahora: bool = False
    avisos: list[str] = field(default_factory=list)

    def count(self, estado: str) -> int:
        return sum(s.estado == estado for s in self.diapositivas)


def _read_json(path: Path, avisos: list[str]):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "no es JSON válido"
        avisos.append(f"no se pudo leer {path.parent.name}/{path.name} publicado ({reason}): no se compara")
        return None


def compare(published: Path, metricas: dict, textos: dict) -> Comparison:
    """The published folder ``published`` (``reports/<MES>/``) against a new build's
    figures and slide texts (``slide_texts.document``)."""
    borrador = bool(textos.get("borrador"))
    if not (published / METRICS_FILE).is_file():
        return Comparison(PRIMERA, borrador_ahora=borrador)
    avisos: list[str] = []
    old_figures = _read_json(published / METRICS_FILE, avisos)
    if not isinstance(old_figures, dict):
        if old_figures is not None:
            avisos.append(f"{published.name}/{METRICS_FILE} publicado no es un objeto JSON: no se compara")
        return Comparison(PRIMERA, borrador_ahora=borrador, avisos=avisos)
    figures = figure_changes(old_figures, json.loads(json.dumps(metricas)))
    comparison = Comparison(CAMBIOS, figures, borrador_ahora=borrador, avisos=avisos)
    old_texts = _read_json(published / TEXTS_FILE, avisos) if (published / TEXTS_FILE).is_file() else None
    if isinstance(old_texts, dict) and isinstance(old_texts.get("diapositivas"), list):
        comparison.diapositivas = slide_changes(old_texts["diapositivas"], textos["diapositivas"])
        comparison.borrador_antes = bool(old_texts.get("borrador"))
    else:
        comparison.textos_comparados = False
    if not comparison.cifras and not comparison.diapositivas:
        comparison.estado = SIN_CAMBIOS
    return comparison


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary(comparison: Comparison) -> str:
    """The comparison in a few words: «3 cifras, 1 diapositiva cambiada, 1 nueva»."""
    if comparison.estado == PRIMERA:
        return "primera versión del mes, sin versión anterior"
    parts = [_n(len(comparison.cifras), "cifra", "cifras")]
    if comparison.textos_comparados:
        parts.append(_n(comparison.count("cambiada"), "diapositiva cambiada", "diapositivas cambiadas"))
        parts += [_n(comparison.count(e), e, e + "s") for e in ("nueva", "retirada") if comparison.count(e)]
    else:
        parts.append("textos sin comparar")
    return ", ".join(parts)
