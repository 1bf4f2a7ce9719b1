"""The pandas utilities over text columns that reading, the check and typing
share: dictionary codes, normalising to categoricals once per distinct value,
recoding a categorical, mapping a function over distinct values, parsing dates,
whole numbers, a month's bounds. Each takes pandas strings or categoricals."""
from __future__ import annotations

import numpy as np
import pandas as pd

from anm_helpers.core.text import normalize_text


_DATE_RE = (r"^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
            r"|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))"
            r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _dictionary(s: pd.Series):
    """pyarrow's dictionary encoding of a column: each value's index into the
    distinct values, in order of first appearance (-1 for missing), and those
    values as an arrow array. Arrow-backed columns are encoded without a copy."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(s.dtype, pd.CategoricalDtype):  # already encoded (the reader's few-valued columns)
        return s.cat.codes.to_numpy().astype(np.int64), pa.array(list(s.cat.categories), pa.large_string())
    arr = pa.array(s.to_numpy(), from_pandas=True) if isinstance(s.array, np.ndarray) else pa.array(s.array)
    return unpack_dictionary(pc.dictionary_encode(arr))


def unpack_dictionary(encoded):
    """Codes (int64, -1 for missing) and the one dictionary of a dictionary-encoded
    arrow array or chunked array (chunks may carry dictionaries of their own)."""
    import pyarrow as pa

    if isinstance(encoded, pa.ChunkedArray):
        if encoded.num_chunks == 0:
            return np.zeros(0, np.int64), pa.array([], encoded.type.value_type)
        encoded = encoded.unify_dictionaries()
        dictionary = encoded.chunk(0).dictionary
        indices = pa.chunked_array([c.indices for c in encoded.chunks]).combine_chunks()
    else:
        dictionary, indices = encoded.dictionary, encoded.indices
    codes = indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return codes.astype(np.int64, copy=False), dictionary


def dictionary_codes(s: pd.Series) -> tuple[np.ndarray, list]:
    """Each value's index into the list of distinct values, in order of first
    appearance (-1 for missing); pyarrow's dictionary encoding, else pandas."""
    try:
        codes, dictionary = _dictionary(s)
        return codes, dictionary.to_pylist()
    except Exception:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return codes, list(uniques)


def normalize(s: pd.Series) -> pd.Series:
    """``normalize_text`` over a column; each distinct value is normalised once."""
    return categorize(s).astype(str)


def categorize(s: pd.Series) -> pd.Series:
    """``normalize_text`` over a column, as a categorical (missing -> ``""``):
    each distinct value is normalised once, and a million rows stay a million
    small integer codes. Its categories are the values present, sorted."""
    codes, uniques = dictionary_codes(s)
    normed = [normalize_text(u) for u in uniques]
    cats = sorted(set(normed) | ({""} if (codes < 0).any() else set()))
    pos = {c: i for i, c in enumerate(cats)}
    lut = np.array([pos[n] for n in normed] + [pos.get("", -1)], dtype=np.int32)  # last: missing
    return pd.Series(pd.Categorical.from_codes(lut[codes], categories=pd.Index(cats, dtype=object)),
                     index=s.index)


def recode(s: pd.Series, mapping, where=None) -> pd.Series:
    """A categorical column through ``mapping`` (a dict or Series from its
    categories to new values; unmapped -> missing), missing where ``where`` is False."""
    cats = s.cat.categories
    new = [mapping.get(c) for c in cats]
    out = sorted({v for v in new if v is not None and v == v})
    pos = {v: i for i, v in enumerate(out)}
    lut = np.array([pos.get(v, -1) if v is not None and v == v else -1 for v in new] + [-1], dtype=np.int32)
    codes = lut[s.cat.codes.to_numpy()]
    if where is not None:
        codes = np.where(np.asarray(where, dtype=bool), codes, -1)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(out, dtype=object)), index=s.index)


def map_distinct(s: pd.Series, fn) -> pd.Series:
    """``fn`` over a text column, once per distinct value (categoricals stay categoricals)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        new = [fn(c) for c in s.cat.categories]
        values = list(dict.fromkeys(new))
        pos = {v: i for i, v in enumerate(values)}
        lut = np.array([pos[v] for v in new] + [-1], dtype=np.int32)
        return pd.Series(pd.Categorical.from_codes(lut[s.cat.codes.to_numpy()],
                                                   categories=pd.Index(values, dtype=object)), index=s.index)
    uniques = pd.unique(s)
    return s.map({u: fn(u) for u in uniques})


def parse_dates(s: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``, optionally with a time, to dates
    (the time is dropped); NaT where the text is not such a date. Each distinct
    text is parsed once (a month has far fewer distinct stamps than rows)."""
    codes, dictionary = _dictionary(s)
    parsed = np.append(_parse_distinct(dictionary), np.datetime64("NaT", "ns"))  # code -1: missing
    return pd.Series(parsed[codes], index=s.index)


def _parse_distinct(dictionary) -> np.ndarray:
    """The distinct texts' dates, with pyarrow's regular expressions (RE2)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(dictionary):
        return np.zeros(0, "datetime64[ns]")
    parts = pc.extract_regex(dictionary.cast(pa.large_string()), _DATE_RE)  # null where no match
    fields = {}
    for iso, dmy in (("y", "y2"), ("m", "m2"), ("d", "d2")):
        a, b = pc.struct_field(parts, iso), pc.struct_field(parts, dmy)
        fields[iso] = pc.if_else(pc.equal(a, ""), b, a).fill_null("0").cast(pa.int64()).to_numpy()
    dates = pd.to_datetime(pd.DataFrame({"year": fields["y"], "month": fields["m"], "day": fields["d"]}),
                           errors="coerce")
    return dates.to_numpy(dtype="datetime64[ns]")


def is_whole(s: pd.Series) -> pd.Series:
    return s.str.fullmatch(r"[0-9]+").fillna(False).astype(bool)  # ASCII digits only


def month_bounds(mes: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(f"{mes}-01")
    return start, start + pd.offsets.MonthEnd(0)
