"""Eora26 label files (``labels_T.txt``, ``labels_FD.txt``, ``labels_VA.txt``, ``labels_Q.txt``).

Each label file is tab separated, no header, one line per row (or column) of the matrices it
labels; a line may end with a trailing tab. The columns, as Eora ships them (docs/sources.md):

- ``labels_T`` / ``labels_FD``: country name, country code, entity (``Industries`` /
  ``Final Demand``), sector or category. The last line of ``labels_T`` is the ``ROW``
  discrepancy entry (``ROW``, ``ROW``, ``TOTAL``, ``TOTAL``); ``labels_FD`` ends with six
  ``ROW`` columns.
- ``labels_VA``: ``Primary Inputs`` and the item name.
- ``labels_Q``: the satellite row name (e.g. ``Total CO2 emissions (Gg) from EDGAR``) and its
  source (e.g. ``Total``). Stored as ``item`` = name, ``country_name`` = source (as
  ``stg_eora26__labels`` documents), ``entity`` = ``Indicators`` (Eora's name for the
  satellite block, structure workbook sheet 'MRIO Matrix Names'). Releases differ here: one
  has 2720 rows, another 2619, in another order; a satellite row is found by its two labels
  together (:data:`CO2_SATELLITES`, :func:`co2_rows`), never by its position.

Every label frame has the columns of ``raw.eora26_labels`` less year / matrix / axis / idx:
``country_name``, ``country_code``, ``entity``, ``item`` (strings, ``None`` where absent).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

LABEL_COLUMNS = ["country_name", "country_code", "entity", "item"]
LABEL_FILES = {"T": "labels_T.txt", "FD": "labels_FD.txt", "VA": "labels_VA.txt", "Q": "labels_Q.txt"}
DISCREPANCY = "ROW"
SATELLITE_ENTITY = "Indicators"

# Which label file labels the rows and the columns of each matrix.
MATRIX_AXES: dict[str, tuple[str, str]] = {
    "T": ("T", "T"),
    "FD": ("T", "FD"),
    "VA": ("VA", "T"),
    "Q": ("Q", "T"),
    "QY": ("Q", "FD"),
}


def _error(file: Path, place: str, message: str) -> Exception:
    from .errors import SourceFormatError  # lazily: the framework owns the module

    return SourceFormatError(file, place, message)


def read_label_file(file: Path, kind: str) -> pd.DataFrame:
    """The labels of ``kind`` ('T', 'FD', 'VA' or 'Q') as a frame of :data:`LABEL_COLUMNS`."""
    if not file.is_file():
        raise _error(file, "", f"missing label file {file.name} (expected in the Eora26 year folder)")
    try:
        text = file.read_text(encoding="utf-8-sig")
        lines = [line.rstrip("\r") for line in text.split("\n") if line.strip()]
    except UnicodeDecodeError as error:
        raise _error(file, "", f"not a utf-8 text file (byte {error.object[error.start]:#04x} at offset "
                               f"{error.start})") from None
    if not lines:
        raise _error(file, "", "the label file is empty")
    cells = [line.split("\t") for line in lines]
    # a line may be short (a missing label) or end with a tab: pad, then drop empty trailing columns
    widest = max(map(len, cells))
    raw = pd.DataFrame([row + [""] * (widest - len(row)) for row in cells], dtype=str)
    while raw.shape[1] > 1 and raw.iloc[:, -1].str.strip().eq("").all():
        raw = raw.iloc[:, :-1]
    width = {"T": 4, "FD": 4, "VA": 2, "Q": 2}[kind]
    if raw.shape[1] < width:
        raise _error(file, "line 1", f"expected {width} tab-separated label columns, found {raw.shape[1]}")
    cols = [raw.iloc[:, i].str.strip() for i in range(raw.shape[1])]
    if kind in ("T", "FD"):
        frame = pd.DataFrame(dict(zip(LABEL_COLUMNS, cols[:4])))
    elif kind == "VA":
        frame = pd.DataFrame({"country_name": None, "country_code": None, "entity": cols[0], "item": cols[1]})
    else:
        frame = pd.DataFrame({"country_name": cols[1], "country_code": None, "entity": SATELLITE_ENTITY,
                              "item": cols[0]})
    frame = frame.astype(object).where(frame.notna() & frame.ne(""), None)
    _check_labels(file, kind, frame)
    return frame.reset_index(drop=True)


def _check_labels(file: Path, kind: str, frame: pd.DataFrame) -> None:
    key = ["country_code", "item"] if kind in ("T", "FD") else (["item"] if kind == "VA" else ["item", "country_name"])
    empty = frame["item"].isna()
    if empty.any():
        line = int(empty.to_numpy().argmax()) + 1
        raise _error(file, f"line {line}", "expected a label, found an empty item")
    # Eora's ROW entries share labels (e.g. six 'ROW' final-demand columns): their position names them
    seen: dict[tuple, int] = {}
    for line, (code, *label) in enumerate(frame[["country_code", *key]].itertuples(index=False), start=1):
        if code == DISCREPANCY:
            continue
        label = tuple(label)
        if label in seen:
            raise _error(file, f"line {line}", f"duplicated label {' / '.join(map(str, label))!r} (first on line {seen[label]})")
        seen[label] = line
    if kind == "T" and frame["country_code"].iloc[-1] != DISCREPANCY:
        raise _error(file, f"line {len(frame)}",
                     f"expected the last line to be the {DISCREPANCY!r} discrepancy entry, found "
                     f"{frame['country_code'].iloc[-1]!r}")
    if kind == "Q":
        no_source = frame["country_name"].isna()
        if no_source.any():
            line = int(no_source.to_numpy().argmax()) + 1
            raise _error(file, f"line {line}", f"expected a satellite name and its source, found only the name "
                                               f"{frame['item'].iloc[line - 1]!r}")


def read_labels(folder: Path) -> dict[str, pd.DataFrame]:
    """The four label files of an ``Eora26_{year}_bp/`` folder, keyed 'T', 'FD', 'VA', 'Q'."""
    return {kind: read_label_file(folder / name, kind) for kind, name in LABEL_FILES.items()}


def label_rows(year: int, labels: dict[str, pd.DataFrame], matrices=tuple(MATRIX_AXES)) -> pd.DataFrame:
    """Rows of ``raw.eora26_labels``: for each matrix, its row and its column labels."""
    parts = []
    for matrix in matrices:
        for axis, kind in zip(("row", "col"), MATRIX_AXES[matrix]):
            part = labels[kind].copy()
            part.insert(0, "idx", range(len(part)))
            part.insert(0, "axis", axis)
            part.insert(0, "matrix", matrix)
            part.insert(0, "year", int(year))
            parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["year"] = frame["year"].astype("int32")
    frame["idx"] = frame["idx"].astype("int32")
    return frame[["year", "matrix", "axis", "idx", *LABEL_COLUMNS]]


# --- the countries' CO2 in the satellite block ------------------------------------------------


@dataclass(frozen=True)
class Co2Satellite:
    """One reading of a country-sector's CO2 (Gg) from Eora26's Q: the rows whose name (first
    column of labels_Q) is ``name`` and whose source (second column) is in ``sources``
    (``None``: any source but those in ``excluded``), summed."""

    key: str
    name: str
    sources: tuple[str, ...] | None
    description: str
    excluded: tuple[str, ...] = ()

    def selects(self, name: str | None, source: str | None) -> bool:
        if name != self.name:
            return False
        return source in self.sources if self.sources is not None else source not in self.excluded


# the research setting `co2_satellite` (greentrade.toml [settings]); docs/sources.md
CO2_SATELLITES: dict[str, Co2Satellite] = {s.key: s for s in [
    Co2Satellite("edgar_total", "Total CO2 emissions (Gg) from EDGAR", ("Total",),
                 "EDGAR's total CO2 ('Total CO2 emissions (Gg) from EDGAR')"),
    Co2Satellite("edgar_ipcc", "I-GHG-CO2 emissions (Gg)", None,
                 "EDGAR's CO2 by IPCC category ('I-GHG-CO2 emissions (Gg)'), summed without the two memo items",
                 excluded=("Memo: International aviation", "Memo: International navigation")),
    Co2Satellite("iea_fuel_combustion", "IEA GHG emissions (Gg) and energy use",
                 ("IEA - DEPRECATED - CO2 emissions from fuel combustion",),
                 "IEA CO2 from fuel combustion ('IEA - DEPRECATED - CO2 emissions from fuel combustion'), "
                 "the paper's source"),
    Co2Satellite("primap_co2", "GHG emissions (Gg) from PRIMAPHIST", ("PRIMAP|CO2|TOTALexcludingLULUCF|Gg",),
                 "PRIMAP-hist CO2 excluding LULUCF ('PRIMAP|CO2|TOTALexcludingLULUCF|Gg')"),
]}
DEFAULT_CO2_SATELLITE = "edgar_total"


class Co2RowsError(ValueError):
    """labels_Q lacks the rows of the chosen CO2 satellite; the message names those it has."""


def co2_satellite(key: str | None) -> Co2Satellite:
    """The :class:`Co2Satellite` of a ``co2_satellite`` setting (None: the default)."""
    key = DEFAULT_CO2_SATELLITE if key is None else str(key)
    if key not in CO2_SATELLITES:
        raise ValueError(f"co2_satellite: expected one of {', '.join(CO2_SATELLITES)}, found {key!r}")
    return CO2_SATELLITES[key]


def describe_rows(q_labels: pd.DataFrame, positions) -> str:
    """How rows of labels_Q (0-based ``positions``) are named in a message, with their lines."""
    positions = [int(p) for p in positions]
    names, sources = q_labels["item"].to_numpy(), q_labels["country_name"].to_numpy()
    if len(positions) == 1:
        p = positions[0]
        return f"{names[p]!r} / {sources[p]!r} (line {p + 1})"
    kinds = sorted({names[p] for p in positions})
    return (f"{len(positions)} rows {' / '.join(map(repr, kinds))} (lines {positions[0] + 1}-{positions[-1] + 1})")


def co2_rows(q_labels: pd.DataFrame, key: str | None = None) -> np.ndarray:
    """0-based positions in labels_Q of the rows of the CO2 satellite ``key``.

    ``q_labels`` is a labels_Q frame (``item`` = name, ``country_name`` = source) in position
    order. Rows are matched on both columns, never by position. Raises :class:`Co2RowsError`
    when there are none, naming the CO2 satellites the labels do have (with their lines) and,
    if none of them, the first rows that mention CO2.
    """
    satellite = co2_satellite(key)
    names = q_labels["item"].to_numpy(dtype=object)
    sources = q_labels["country_name"].to_numpy(dtype=object)
    chosen = np.flatnonzero([satellite.selects(n, s) for n, s in zip(names, sources)])
    if len(chosen):
        return chosen
    wanted = (f"{satellite.name!r} / {' or '.join(map(repr, satellite.sources))}" if satellite.sources is not None
              else f"{satellite.name!r} (any source but {' and '.join(map(repr, satellite.excluded))})")
    message = f"expected the rows of co2_satellite = {satellite.key}: {wanted}, found none"
    same_name = np.flatnonzero(names == satellite.name)
    if len(same_name):
        message += f" (a row {describe_rows(q_labels, same_name[:1])} has that name with another source)"
    present = []
    for other in CO2_SATELLITES.values():
        rows = np.flatnonzero([other.selects(n, s) for n, s in zip(names, sources)])
        if len(rows):
            present.append(f"{other.key}: {describe_rows(q_labels, rows)}")
    if present:
        message += "; the CO2 rows of this release: " + "; ".join(present)
        message += " (set co2_satellite in greentrade.toml [settings] to one of those)"
    else:
        mention = [i for i, (n, s) in enumerate(zip(names, sources)) if "CO2" in f"{n} {s}"]
        shown = ", ".join(describe_rows(q_labels, [i]) for i in mention[:5])
        message += (f"; none of {', '.join(CO2_SATELLITES)} is here; rows naming CO2: {shown}"
                    f"{f' ({len(mention)} in all)' if len(mention) > 5 else ''}" if mention
                    else "; no row of this labels_Q names CO2")
    raise Co2RowsError(message)
