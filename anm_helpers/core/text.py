"""Text as the exports write it, made comparable, and shown so a reader sees it.

- ``clean_text``: what every text value of an input becomes at read time: no
  invisible characters (format characters such as the zero-width space, the
  soft hyphen or a BOM in the middle of a line; control characters), Unicode
  NFC (an accent typed as a separate mark joins its letter), every run of
  spaces (non-breaking, doubled, tabs) one plain space, trimmed. Two values
  that look the same on screen are then the same value.
- ``visible``: a value as a message shows it, with every character a reader
  cannot see or could mistake written as ``<U+200B>`` (a byte that is not text
  as ``<0xE9>``), so two names that look identical show why they differ.

Standard library only: error messages use it before pandas is imported.
"""
from __future__ import annotations

import re
import unicodedata

#: a value that needs more than trimming: anything but printable ASCII, or two spaces in a row
NEEDS_CLEANING = r"[^\x20-\x7e]|  "
_NEEDS = re.compile(NEEDS_CLEANING)
_INVISIBLE = ("Cf", "Cc")
#: characters beyond Latin shown as they are in messages (typographic punctuation)
_SHOWN = set("–—‘’‚“”„…•€′″")


def clean_text(value) -> str:
    """``"PAR\u00a0 Villa\u200b Prueba "`` -> ``"PAR Villa Prueba"``; see the module."""
    text = str(value)
    if not _NEEDS.search(text):
        return text.strip()
    text = "".join(" " if c.isspace() else c for c in text
                   if c.isspace() or unicodedata.category(c) not in _INVISIBLE)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _plain(c: str) -> bool:
    if c == " ":
        return True
    if not c.isprintable() or c.isspace() or unicodedata.category(c) in ("Mn", "Me", "Co", "Cn", "Cs"):
        return False
    return ord(c) < 0x250 or c in _SHOWN


def visible(value) -> str:
    """``"PAR Villa\u200b Prueba"`` -> ``"PAR Villa<U+200B> Prueba"``; a byte kept
    undecoded (``surrogateescape``) -> ``<0xE9>``. Latin letters, accents and
    ordinary punctuation are shown as they are."""
    out = []
    for c in str(value):
        if _plain(c):
            out.append(c)
        elif 0xDC80 <= ord(c) <= 0xDCFF:
            out.append(f"<0x{ord(c) - 0xDC00:02X}>")
        else:
            out.append(f"<U+{ord(c):04X}>")
    return "".join(out)

def normalize_text(value: str) -> str:
    """Cleaned (``texto.clean_text``), lower case, without accents:
    ``" Telefónico "`` -> ``"telefonico"``."""
    decomposed = unicodedata.normalize("NFKD", clean_text(value).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
