"""«¿Quiso decir…?»: the closest known names to an unknown one (rapidfuzz),
compared as analysts write them (case, accents and spaces ignored)."""
from __future__ import annotations

from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str], limit: int = 3, cutoff: float = 60) -> list[str]:
    """Up to ``limit`` candidates most like ``name``, best first."""
    from rapidfuzz import fuzz, process, utils

    from anm_helpers.core.text import normalize_text

    candidates = list(dict.fromkeys(c for c in candidates if c))
    if not name or not candidates:
        return []
    keyed = {c: normalize_text(c) for c in candidates}
    found = process.extract(normalize_text(name), keyed, scorer=fuzz.WRatio, limit=limit,
                            score_cutoff=cutoff, processor=utils.default_process)
    return [c for _, _, c in found]


def quiso_decir(name: str, candidates: Iterable[str], limit: int = 3, fmt: str = "«{}»") -> str:
    """`` ¿Quiso decir «a» o «b»?`` or an empty string."""
    found = closest(name, candidates, limit)
    if not found:
        return ""
    shown = [fmt.format(c) for c in found]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " o " + shown[-1]
    return f". ¿Quiso decir {listed}?"
