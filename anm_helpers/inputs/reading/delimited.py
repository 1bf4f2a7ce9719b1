"""A CSV's contract columns, by one of two engines: pyarrow's multi-threaded
reader, tidied in arrow (large months; few-valued columns as categoricals), or
pandas' parser, which words what pyarrow cannot say (malformed tables, blank
lines, quoted line breaks). On the same file both give the same table."""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from anm_helpers.core.text import NEEDS_CLEANING, clean_text
from anm_helpers.inputs.reading.decode import SURROGATE, bad_bytes, decode
from anm_helpers.inputs.reading.layout import (MAX_TITLE_ROWS, Layout, csv_header, first_lines, header_map_at,
                                               line_offset)
from anm_helpers.inputs.reading.month_guard import FIRST_BLOCK, refuse_wrong_month
from anm_helpers.inputs.reading.series import unpack_dictionary
from anm_helpers.inputs.reading.table import LINE, Read, tidy
from anm_helpers.core.errors import ArchivoIlegible


def read_csv(data: bytes, columnas: tuple[str, ...], few: tuple[str, ...] = (),
             mes: str | None = None, layout: "Layout | None" = None) -> Read:
    layout = layout or Layout.of(columnas, required=columnas)
    text, encoding = decode(data, layout.encoding)
    if encoding == "utf-8":
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        head = first_lines(body, MAX_TITLE_ROWS).decode("utf-8")
    else:
        body = None
        head = first_lines(text, MAX_TITLE_ROWS)
    sep, skip, header = csv_header(head, layout)
    mapping = header_map_at(header, layout, skip + 1)
    if skip:  # title rows above the header: the table starts at the header line
        if text is None:
            body = body[line_offset(body, b"\n", skip):]
        else:
            text = text[line_offset(text, "\n", skip):]
    if mes:
        block = first_lines(body, FIRST_BLOCK + 1).decode("utf-8") if text is None else first_lines(text, FIRST_BLOCK + 1)
        refuse_wrong_month(block, sep, mapping, mes)
    problemas = []
    if encoding == "utf-8-errores":
        problemas = bad_bytes(text, sep, header, mapping, first_line=skip + 1)
        text = SURROGATE.sub("\ufffd", text)
    kept = tuple(mapping.values())
    if mapping:  # UTF-8 bytes go to pyarrow as they are; other encodings once re-encoded
        read = read_csv_arrow(body if text is None else text.encode("utf-8"), sep, mapping, few)
        if read is not None:
            frame, counts = read
            frame[LINE] += skip
            return Read(frame, kept, problemas, counts, tuple(header), skip + 1)
    if text is None:
        text = body.decode("utf-8")
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            usecols=lambda c: c in mapping, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ArchivoIlegible(f"no es una tabla CSV legible ({exc})") from None
    frame = frame.rename(columns=mapping).fillna("")
    frame[LINE] = frame.index + 2 + skip
    frame, counts = tidy(frame)
    return Read(frame, kept, problemas, counts, tuple(header), skip + 1)


def read_csv_arrow(data: bytes, sep: str, mapping: dict, few: tuple[str, ...] = ()):
    """pyarrow's multi-threaded reader, tidied in arrow. Columns of ``few``
    (a handful of distinct values in a million rows: channels, topics, dates)
    are dictionary-encoded by the reader itself and come out as pandas
    categoricals, cleaned once per distinct value; the others as arrow strings.
    Returns the frame and the count of values ``clean_text`` changed per column.

    None when it cannot say what pandas' parser would (the caller then reads
    with that parser, which words the errors): a malformed table, or rows that are not the file's lines one for one (pyarrow
    skips blank lines, and a quoted line break joins two lines)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = list(mapping)
    types = {n: pa.dictionary(pa.int32(), pa.large_string()) if mapping[n] in few else pa.large_string()
             for n in names}
    try:
        table = pcsv.read_csv(
            io.BytesIO(data), parse_options=pcsv.ParseOptions(delimiter=sep),
            convert_options=pcsv.ConvertOptions(include_columns=names, column_types=types,
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except Exception:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if table.num_rows + 1 != lines:
        return None
    as_str = {pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get
    columns, counts = {}, {}
    for n in names:
        columns[mapping[n]], changed = _cleaned(table.column(n), as_str)
        if changed:
            counts[mapping[n]] = changed
    frame = pd.DataFrame(columns, copy=False)
    frame[LINE] = np.arange(2, table.num_rows + 2, dtype=np.int64)
    first = frame.columns[0]
    if (frame[first] == "").any():  # only then can a row be blank (Excel's trailing ;;;)
        frame = frame[(frame[[mapping[n] for n in names]] != "").any(axis=1)].reset_index(drop=True)
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):  # the blank rows' "" may be gone
                frame[col] = frame[col].cat.remove_unused_categories()
    return frame, counts


def _cleaned(column, as_str) -> tuple[pd.Series, int]:
    """An arrow column through ``clean_text``, as a pandas column, and how many
    values that changed beyond trimming. Only values that are not plain ASCII
    (or hold two spaces in a row) go through Python; a column whose bytes are
    all plain (ids) is seen to be so at once, without a regular expression per
    value; a dictionary-encoded column, once per distinct value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(column.type):
        trimmed = pc.utf8_trim_whitespace(column)
        if isinstance(trimmed, pa.ChunkedArray):
            trimmed = trimmed.combine_chunks()
        changed = 0
        needs = None if _all_plain(trimmed) else pc.match_substring_regex(trimmed, NEEDS_CLEANING)
        if needs is not None and pc.any(needs).as_py():
            values = pc.filter(trimmed, needs).to_pylist()
            cleaned = [clean_text(v) for v in values]
            changed = sum(a != b for a, b in zip(values, cleaned))
            trimmed = pc.replace_with_mask(trimmed, needs, pa.array(cleaned, trimmed.type))
        return pa.table({"c": trimmed}).to_pandas(types_mapper=as_str)["c"], changed
    indices, dictionary = unpack_dictionary(column)
    trimmed = pc.utf8_trim_whitespace(dictionary).to_pylist()
    text = [clean_text(t) for t in trimmed]
    changed = 0
    touched = [i for i, (a, b) in enumerate(zip(trimmed, text)) if a != b]
    if touched:
        occurrences = np.bincount(indices[indices >= 0], minlength=len(text))
        changed = int(occurrences[touched].sum())
    values = list(dict.fromkeys(text))  # " a" and "a" are one value once cleaned
    pos = {v: i for i, v in enumerate(values)}
    lut = np.array([pos[t] for t in text], dtype=np.int32)
    return pd.Series(pd.Categorical.from_codes(lut[indices] if len(lut) else indices,
                                               categories=pd.Index(values, dtype=object))), changed


#: ``NEEDS_CLEANING``'s second half, looked for in a column's bytes at once
_TWO_SPACES = re.compile(b"  ")


def _all_plain(array) -> bool:
    """True when no value of a (large) string array can match ``NEEDS_CLEANING``,
    seen from its bytes at once: every byte printable ASCII (0x20 to 0x7E) and no
    two spaces in a row anywhere (a value's bytes are contiguous, so that covers
    each value). False only means «look value by value»: two spaces across the
    end of one value and the start of the next send the column there too."""
    import pyarrow as pa

    if not pa.types.is_large_string(array.type) or not len(array):
        return False
    _, offsets, data = array.buffers()
    if offsets is None or data is None:
        return False
    offsets = np.frombuffer(offsets, np.int64)
    body = np.frombuffer(data, np.uint8)[offsets[array.offset]:offsets[array.offset + len(array)]]
    return bool(not body.size or (body.min() >= 0x20 and body.max() <= 0x7E and _TWO_SPACES.search(body) is None))
