"""CSV helpers: decode with the configured encoding, then parse with explicit places."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import SourceFormatError, found

_MISSING = {"", "N/A", "NA", "NaN", "nan"}


def read_rows(path: Path, encoding: str | None, source_key: str, text: str | None = None) -> list[list[str]]:
    """The CSV rows of ``path`` (or of ``text``, already decoded, read from ``path``)."""
    from ._cells import decode

    return list(csv.reader(io.StringIO(decode(path, encoding, source_key) if text is None else text)))


def frame(path: Path, encoding: str | None, source_key: str, text: str | None = None) -> pd.DataFrame:
    """A headed CSV as strings; ragged rows are refused (a truncated last line)."""
    rows = read_rows(path, encoding, source_key, text)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise SourceFormatError(path, "", "no data rows below the header")
    header = [h.strip() for h in rows[0]]
    # the ECB file ends every line with a comma: an unnamed, empty last column
    if header and header[-1] == "" and all(len(r) == len(header) and r[-1].strip() == "" for r in rows[1:]):
        header, rows = header[:-1], [r[:-1] for r in rows]
    for i, name in enumerate(header):
        if name == "":
            raise SourceFormatError(path, f"line 1, column {i + 1}", "column without a name")
        if header.index(name) != i:
            raise SourceFormatError(path, f"line 1, column {name!r}", "duplicated column")
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise SourceFormatError(path, f"line {n}", f"expected {len(header)} fields, found {len(row)}: truncated or misquoted line")
    data = pd.DataFrame([r for r in rows[1:]], columns=header, dtype=object)
    return data.apply(lambda s: s.str.strip())


def numbers(path: Path, data: pd.DataFrame, column: str, *, allow_missing: bool, first_line: int = 2,
            minimum: float | None = None) -> np.ndarray:
    """A column as floats; the first bad cell is reported by its line."""
    text = data[column].astype(str)
    missing = text.isin(_MISSING)
    values = pd.to_numeric(text.where(~missing, None).str.replace(",", "", regex=False), errors="coerce")
    bad = values.isna() & ~missing
    if not allow_missing:
        bad |= missing
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise SourceFormatError(path, f"line {first_line + i}, column {column!r}",
                                f"expected a number, found {found(data[column].iloc[i])}")
    values = values.to_numpy(dtype=float)
    if minimum is not None:
        low = np.flatnonzero(values < minimum)
        if low.size:
            i = int(low[0])
            raise SourceFormatError(path, f"line {first_line + i}, column {column!r}",
                                    f"expected a value >= {minimum:g}, found {values[i]:g}")
    return values


def dates(path: Path, data: pd.DataFrame, column: str, first_line: int = 2) -> pd.Series:
    parsed = pd.to_datetime(data[column], format="%Y-%m-%d", errors="coerce")
    if parsed.isna().any():
        i = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise SourceFormatError(path, f"line {first_line + i}, column {column!r}",
                                f"expected a date YYYY-MM-DD, found {found(data[column].iloc[i])}")
    duplicated = parsed.duplicated()
    if duplicated.any():
        i = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise SourceFormatError(path, f"line {first_line + i}, column {column!r}", f"duplicated date {data[column].iloc[i]}")
    return parsed.dt.date
