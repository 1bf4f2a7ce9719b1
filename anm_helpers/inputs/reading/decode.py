"""A CSV's bytes as text: its encoding decided from all of its bytes (UTF-8 with
or without BOM, UTF-16 with BOM, Windows-1252, or the one ``fuentes.yaml``
declares), and the cells of a UTF-8 file holding bytes that are not UTF-8."""
from __future__ import annotations

import re

from anm_helpers.core.errors import ArchivoIlegible


def decode(raw: bytes, declared: str | None = None) -> tuple[str | None, str]:
    """The file's text and its encoding, decided from all of its bytes:

    - a UTF-16 BOM: UTF-16 (what Excel's «Texto Unicode» writes);
    - valid UTF-8 (with or without BOM): UTF-8, and the text is None (the bytes go
      to the reader as they are);
    - UTF-8 with a few bytes that are not (a cell pasted from another program):
      ``utf-8-errores``, the text keeping those bytes as lone surrogates that
      ``bad_bytes`` reports line by line; the rest of the file is not re-read
      in another encoding;
    - otherwise Windows-1252 when charset-normalizer finds the bytes plausible text
      in it, else unreadable."""
    import codecs

    if declared:  # fuentes.yaml says it
        name = codecs.lookup(declared).name
        if name == "utf-8":
            return decode(raw)
        try:
            return raw.decode("utf-16" if name.startswith("utf-16") and raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
                              else declared), name
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            raise ArchivoIlegible(f"no se puede leer como {declared} (la codificación que declara fuentes.yaml): "
                             f"revise la codificación del archivo o de fuentes.yaml", line) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ArchivoIlegible("empieza como texto UTF-16 pero no lo es: expórtelo de nuevo") from None
    if b"\x00" in raw[:4096]:
        raise ArchivoIlegible("no es una tabla de texto (parece un archivo binario): expórtelo de nuevo como CSV o .xlsx")
    try:
        raw.decode("utf-8")
        return None, "utf-8"
    except UnicodeDecodeError:
        pass
    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    text = body.decode("utf-8", errors="surrogateescape")
    bad = len(SURROGATE.findall(text))
    good = len(_NON_ASCII.findall(text))  # characters that UTF-8 decoded: accents, ñ
    if good and good >= bad:
        return text, "utf-8-errores"
    from charset_normalizer import from_bytes

    if from_bytes(raw, cp_isolation=["cp1252"]).best() is None:
        raise ArchivoIlegible("no se puede leer el texto (ni UTF-8 ni Windows-1252): "
                         "guárdelo de nuevo desde Excel como «CSV UTF-8»")
    return raw.decode("cp1252"), "cp1252"


SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def bad_bytes(text: str, sep: str, header: list, mapping: dict, first_line: int = 1) -> list[tuple]:
    """Each cell of a contract column holding bytes that are not UTF-8, as
    (line, column, value, rule). Cells of other columns are never loaded."""
    import csv

    columns = [mapping.get(h) for h in header]
    out = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not SURROGATE.search(line):
            continue
        try:
            cells = next(csv.reader([line], delimiter=sep))
        except (csv.Error, StopIteration):
            cells = []
        for i, cell in enumerate(cells):
            if SURROGATE.search(cell) and i < len(columns) and columns[i]:
                raw_bytes = " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in SURROGATE.findall(cell))
                out.append((number, columns[i], cell.strip(),
                            f"tiene bytes que no son UTF-8 ({raw_bytes}) en un archivo UTF-8: corrija el valor "
                            "o guarde el archivo de nuevo como «CSV UTF-8»"))
    return out
