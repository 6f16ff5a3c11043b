"""Eora26 label files (``labels_T.txt``, ``labels_FD.txt``, ``labels_VA.txt``, ``labels_Q.txt``).

Each label file is tab separated, no header, one line per row (or column) of the matrices it
labels; a line may end with a trailing tab. The columns, as Eora ships them (docs/sources.md):

- ``labels_T`` / ``labels_FD``: country name, country code, entity (``Industries`` /
  ``Final Demand``), sector or category. The last line of ``labels_T`` is the ``ROW``
  discrepancy entry (``ROW``, ``ROW``, ``TOTAL``, ``TOTAL``); ``labels_FD`` ends with six
  ``ROW`` columns.
- ``labels_VA``: ``Primary Inputs`` and the item name.
- ``labels_Q``: the satellite row name (e.g. ``Total CO2 emissions (Gg) from EDGAR``) and its
  source. Stored as ``item`` = name, ``country_name`` = source (as ``stg_eora26__labels``
  documents), ``entity`` = ``Indicators`` (Eora's name for the satellite block, structure
  workbook sheet 'MRIO Matrix Names').

Every label frame has the columns of ``raw.eora26_labels`` less year / matrix / axis / idx:
``country_name``, ``country_code``, ``entity``, ``item`` (strings, ``None`` where absent).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

LABEL_COLUMNS = ["country_name", "country_code", "entity", "item"]
LABEL_FILES = {"T": "labels_T.txt", "FD": "labels_FD.txt", "VA": "labels_VA.txt", "Q": "labels_Q.txt"}
DISCREPANCY = "ROW"
CO2_ROW = "Total CO2 emissions (Gg) from EDGAR"
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
        raw = pd.read_csv(file, sep="\t", header=None, dtype=str, keep_default_na=False,
                          quoting=3, engine="c", encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise _error(file, "", "the label file is empty") from None
    except pd.errors.ParserError as error:
        raise _error(file, "", f"not a tab-separated label file: {error}") from None
    # a trailing tab gives an empty last column: drop empty trailing columns
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
    if kind == "Q" and not frame["item"].eq(CO2_ROW).any():
        raise _error(file, "", f"expected a row {CO2_ROW!r} (Eora's EDGAR CO2, Gg), found none")


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
