"""Reading one Eora26 year folder (``Eora26_{year}_bp/``): tokenizing, checks, the raw tables.

Layout (docs/sources.md): five tab-separated matrices without header, values in thousand USD
at basic prices -- T 4915 x 4915, FD 4915 x 1140, VA 6 x 4915, Q n_q x 4915, QY n_q x 1140
for the published 189-country table, n_q = 2720 or 2619 by release -- and four label files
(:mod:`greentrade.ingest.eora26_labels`). The ``ROW`` discrepancy row / column of T and the
six ``ROW`` columns of FD are kept as published and their size is reported
(:attr:`Eora26Read.message`), never dropped here.

Speed is the point of this module (bench/ingest_bench.py, docs/eora26_storage.md):

- a matrix file is tokenized by a small C extension (``_tokenizer.c``), one chunk of the
  memory-mapped file per core, straight into numpy arrays of the non-zero cells, with
  correctly rounded values (:func:`_parse_native`); anything but a plain grid of numbers
  sends it to the polars path, which reads the same values and names the fault (the tab
  taken as line end, see :func:`read_matrix_cells`);
- the reader returns those cells as a pyarrow Table sorted by (matrix, row_idx, col_idx),
  with each matrix's cell count in its schema metadata, which :mod:`.store` writes into one
  table per matrix without a scan.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from ..eora26_labels import (
    DEFAULT_CO2_SATELLITE,
    DISCREPANCY,
    LABEL_COLUMNS,
    LABEL_FILES,
    MATRIX_AXES,
    Co2RowsError,
    co2_rows,
    describe_rows,
    label_rows,
    read_labels,
)

try:  # the C tokenizer, built by `pip install` (optional: else the polars path reads alike)
    from . import _tokenizer
except ImportError:  # pragma: no cover - depends on the build
    _tokenizer = None

MATRICES = tuple(MATRIX_AXES)  # T, FD, VA, Q, QY
CELL_COLUMNS = ["year", "matrix", "row_idx", "col_idx", "value"]
# schema metadata keys of the cells table read() returns: the load message, the cells per matrix
MESSAGE_METADATA = b"greentrade.message"
BLOCKS_METADATA = b"greentrade.eora26_blocks"
LABEL_TABLE_COLUMNS = ["year", "matrix", "axis", "idx", *LABEL_COLUMNS]


def _error(file: Path | str, place: str, message: str) -> Exception:
    from ..errors import SourceFormatError  # lazily: the framework owns the module

    return SourceFormatError(file, place, message)


def matrix_file(folder: Path, year: int, matrix: str) -> Path:
    """The file of ``matrix`` (T, FD, VA, Q, QY) in a year folder: ``Eora26_{year}_bp_{matrix}.txt``."""
    return folder / f"Eora26_{year}_bp_{matrix}.txt"


# --- checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eora26Checks:
    """Plausibility bounds; every field can be set under ``[sources.eora26]`` in greentrade.toml.

    Attributes
    ----------
    world_output_min, world_output_max : float
        Bounds of total world output, the sum of T and FD (thousand USD). Real Eora26 years
        (1990-2016) lie around 5e10..2e11 thousand USD (50..200 trillion USD); a value outside
        1e10..1e12 means a unit slip (USD or million USD read as thousand USD).
    negative_tolerance : float
        The most negative a T cell may be (thousand USD); Eora's balancing leaves tiny
        negative flows, a large one is a sign error.
    """

    world_output_min: float = 1e10
    world_output_max: float = 1e12
    negative_tolerance: float = 1.0

    @classmethod
    def from_options(cls, options: Mapping) -> Eora26Checks:
        known = {k: float(v) for k, v in options.items() if k in cls.__dataclass_fields__}
        return cls(**known)


# --- one matrix -----------------------------------------------------------------------------


def _locate_bad_cell(file: Path, data: bytes, shape: tuple[int, int]) -> Exception:
    """The first cell that is not a finite number, as a SourceFormatError.

    Called once the grid is known to be right (:func:`_check_shape`): the cells are read
    again as text, in the same one-cell-a-line way as :func:`read_matrix_cells`.
    """
    n_rows, n_cols = shape
    step = n_cols - 1
    k, v, w = pl.col("k").cast(pl.Int64), pl.col("v"), pl.col("w")
    flat = k + (k - 1).clip(lower_bound=0) // step
    boundary = (k > 0) & (k % step == 0) & (k < n_rows * step)

    def bad(cell: pl.Expr) -> pl.Expr:
        return cell.is_null() | ~cell.cast(pl.Float64, strict=False).is_finite().fill_null(False)

    try:
        found = (pl.scan_csv(data, has_header=False, separator="\n", eol_char="\t", quote_char=None,
                             missing_columns="insert", schema={"v": pl.String, "w": pl.String})
                 .with_row_index("k")
                 .filter(bad(v) | (boundary & bad(w)))
                 .select(flat.alias("f"), v, w, bad(v).alias("v_bad"))
                 .head(1).collect())
    except pl.exceptions.PolarsError:
        found = None
    if found is None or found.height == 0:
        return _error(file, "", "expected numbers only, found a cell that could not be parsed")
    position, first, second, first_bad = found.row(0)
    text = first if first_bad else second
    row, col = divmod(position if first_bad else position + 1, n_cols)
    shown = repr(text) if text is not None and text.strip() else "an empty cell"
    return _error(file, f"row {row + 1}, column {col + 1}", f"expected a number, found {shown}")


def _cell_text(data: bytes, row: int, col: int) -> str:
    """How the cell at 0-based (row, col) is written in the file (for an error message)."""
    line = data.split(b"\n", row + 1)[row]
    text = line.split(b"\t")[col].decode("utf-8", "replace")
    return repr(text) if text.strip() else "an empty cell"


def _check_shape(file: Path, data: bytes, shape: tuple[int, int]) -> None:
    """Every line holds exactly ``n_cols`` cells and there are ``n_rows`` lines."""
    n_rows, n_cols = shape
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        end -= 1
    start = row = 0
    while start < end:
        stop = data.find(b"\n", start, end)
        stop = end if stop < 0 else stop
        row += 1
        if row > n_rows:
            raise _error(file, f"row {row}", f"expected {n_rows} rows (from the labels), found more")
        cells = data.count(b"\t", start, stop) + 1
        if cells != n_cols:
            raise _error(file, f"row {row}", f"expected {n_cols} columns (from the labels), found {cells}")
        start = stop + 1
    if row != n_rows:
        raise _error(file, "", f"expected {n_rows} rows (from the labels), found {row}")


def read_matrix_cells(file: Path, shape: tuple[int, int]) -> pa.Table:
    """Non-zero cells of one matrix file, in row-major order.

    Parameters
    ----------
    file : pathlib.Path
        A tab-separated Eora26 matrix file without header.
    shape : tuple of int
        ``(n_rows, n_cols)`` the labels give the matrix.

    Returns
    -------
    pyarrow.Table
        ``row_idx`` (int32), ``col_idx`` (int32), 0-based, and ``value`` (float64, the
        file's unit: thousand USD for T, FD, VA).

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        A cell that is text, empty, NaN or infinite, or a line of the wrong length, naming
        the file, the row and the column (1-based, as a text editor shows them).

    Notes
    -----
    The C tokenizer (:func:`_parse_native`) reads the file where it applies. Else polars
    parses it with the tab as line end and the newline as field separator, so every "line"
    is one cell, except where a row ends: there the "line" holds the row's last cell (``v``)
    and the next row's first (``w``). Those boundary lines must sit exactly every
    ``n_cols - 1`` lines, which checks every row's length on the way; a cell's flat position
    follows from its line number ``k``: ``k + max(k - 1, 0) // (n_cols - 1)``.
    """
    n_rows, n_cols = shape
    if not file.is_file():
        raise _error(file, "", f"missing matrix file {file.name}")
    if n_cols < 2:
        raise _error(file, "", f"expected at least 2 columns (from the labels), found {n_cols}")
    native = _parse_native(file, shape)
    if native is not None:  # the C tokenizer read the file: every cell a finite number
        return native
    try:
        cells = _parse_cells(file, shape)  # polars maps the file itself: no copy in Python
    except _LayoutMismatch:
        # CRLF line ends or blank lines at the end, else a real fault: find and name it
        raw = file.read_bytes()
        data = raw.replace(b"\r", b"").rstrip(b"\n") + b"\n"
        try:
            if data == raw:
                raise _LayoutMismatch
            cells = _parse_cells(data, shape)
        except _LayoutMismatch:
            _check_shape(file, data, shape)
            raise _locate_bad_cell(file, data, shape) from None
    value = pl.col("value")
    bad = cells.filter(value.is_null() | ~value.is_finite()).head(1)
    if bad.height:
        row, col, found = bad.row(0)
        shown = str(found) if found is not None and np.isinf(found) else _cell_text(file.read_bytes(), row, col)
        raise _error(file, f"row {row + 1}, column {col + 1}", f"expected a number, found {shown}")
    return cells.to_arrow()


def _native_threads() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except AttributeError:  # not Linux
        return max(1, min(os.cpu_count() or 1, 8))


def _parse_native(file: Path, shape: tuple[int, int]) -> pa.Table | None:
    """Non-zero cells by the C tokenizer (``_tokenizer.c``), or None.

    The file is memory-mapped and cut at line ends into one chunk per core; each chunk is
    parsed in a thread (the tokenizer releases the GIL) into its own slice of three
    preallocated arrays, which are then closed up. None -- the tokenizer is not built, the
    file is empty, or it holds anything but plain numbers in the expected grid -- sends the
    caller to the polars path, which reads the same values and names any fault.
    """
    if _tokenizer is None or os.environ.get("GREENTRADE_EORA26_TOKENIZER", "native") == "polars":
        return None
    n_rows, n_cols = shape
    if n_rows * n_cols == 0 or n_rows >= 2**31 or n_cols >= 2**31:
        return None
    with open(file, "rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file
            return None
    with data:
        size = len(data)
        cuts = [0]
        threads = _native_threads() if size >= 1 << 20 else 1
        for i in range(1, threads):
            cut = data.find(b"\n", max(cuts[-1], i * size // threads))
            if cut < 0 or cut + 1 >= size:
                break
            cuts.append(cut + 1)
        cuts.append(size)
        chunks = list(zip(cuts[:-1], cuts[1:]))
        # a cell takes at least two bytes (a digit and its tab / line end), the last one one
        capacity = [min(n_rows * n_cols, (stop - start + 1) // 2 + 1) for start, stop in chunks]
        offsets = np.concatenate([[0], np.cumsum(capacity)])
        try:  # address space only: the pages the tokenizer does not write are never touched
            rows = np.empty(offsets[-1], dtype=np.int32)
            cols = np.empty(offsets[-1], dtype=np.int32)
            values = np.empty(offsets[-1], dtype=np.float64)
        except MemoryError:  # e.g. overcommit disabled: polars needs less headroom
            return None

        def run(i: int):
            a, b = offsets[i], offsets[i + 1]
            return _tokenizer.parse_rows(data, chunks[i][0], chunks[i][1], n_cols, i == len(chunks) - 1,
                                         rows[a:b], cols[a:b], values[a:b])

        if len(chunks) == 1:
            results = [run(0)]
        else:
            with ThreadPoolExecutor(len(chunks)) as pool:
                results = list(pool.map(run, range(len(chunks))))
    if any(status for _, _, status, _, _ in results) or sum(r[1] for r in results) != n_rows:
        return None
    # each chunk's cells stay where its thread wrote them (one Arrow chunk each, no copy); its
    # rows are shifted in place by the rows of the chunks before
    row_base = 0
    parts = []
    for i, (cells, n, _, _, _) in enumerate(results):
        a = offsets[i]
        if row_base:
            rows[a:a + cells] += row_base
        parts.append(slice(a, a + cells))
        row_base += n
    return pa.table({"row_idx": pa.chunked_array([rows[p] for p in parts], type=pa.int32()),
                     "col_idx": pa.chunked_array([cols[p] for p in parts], type=pa.int32()),
                     "value": pa.chunked_array([values[p] for p in parts], type=pa.float64())})


class _LayoutMismatch(Exception):
    """The fast parse did not see the expected grid of numbers."""


def _parse_cells(source: Path | bytes, shape: tuple[int, int]):
    """Non-zero cells as a polars frame, or _LayoutMismatch; see :func:`read_matrix_cells`."""
    n_rows, n_cols = shape
    step = n_cols - 1
    k, v, w = pl.col("k").cast(pl.Int64), pl.col("v"), pl.col("w")
    flat = k + (k - 1).clip(lower_bound=0) // step
    lines = pl.scan_csv(source, has_header=False, separator="\n", eol_char="\t", quote_char=None,
                        missing_columns="insert", schema={"v": pl.Float64, "w": pl.Float64}).with_row_index("k")
    body = lines.filter(v.ne_missing(0.0)).select((flat // n_cols).cast(pl.Int32).alias("row_idx"),
                                                  (flat % n_cols).cast(pl.Int32).alias("col_idx"), v.alias("value"))
    try:
        count, boundaries, body = pl.collect_all([lines.select(pl.len()),
                                                  lines.filter(w.is_not_null()).select("k", "w"), body])
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, pl.exceptions.ShapeError):
        raise _LayoutMismatch from None
    expected = np.arange(1, n_rows, dtype=np.int64) * step
    if count.item() != n_rows * step + 1 or not np.array_equal(boundaries["k"].to_numpy(), expected):
        raise _LayoutMismatch
    # each row's first cell (w on the boundary lines) follows the body: row-major order but
    # for column 0, which costs no sort; storage and read-back go by position anyway
    first = boundaries.filter(w.ne(0.0))
    openings = pl.DataFrame({"row_idx": (first["k"] // step).cast(pl.Int32),
                             "col_idx": pl.zeros(first.height, pl.Int32, eager=True), "value": first["w"]})
    return pl.concat([body, openings], rechunk=False)


# --- a year folder --------------------------------------------------------------------------


@dataclass
class MatrixStats:
    """Sums over one matrix's cells, for the checks and the load message."""

    total: float
    discrepancy: float  # |value| summed over the ROW row / columns
    negative_count: int
    most_negative: tuple[float, int, int] | None  # value, row_idx, col_idx (ROW entries aside)


@dataclass
class Eora26Read:
    """What :func:`read_year` found in one year folder."""

    year: int
    cells: pa.Table  # CELL_COLUMNS, sorted by matrix (T, FD, VA, Q, QY), row_idx, col_idx
    labels: pd.DataFrame  # LABEL_TABLE_COLUMNS
    shapes: dict[str, tuple[int, int]]
    stats: dict[str, MatrixStats] = field(default_factory=dict)

    @property
    def cell_counts(self) -> dict[str, int]:
        """Stored (non-zero) cells per matrix, in the order of :attr:`cells`."""
        counts = {}
        for chunk in self.cells.column("matrix").chunks:
            if len(chunk):
                name = chunk.dictionary[0].as_py()
                counts[name] = counts.get(name, 0) + len(chunk)
        return counts

    @property
    def world_output(self) -> float:
        """Sum of T and FD (thousand USD): total world output including the ROW entry (of
        those of the two that were read)."""
        return sum(self.stats[m].total for m in ("T", "FD") if m in self.stats)

    @property
    def discrepancy(self) -> float:
        """|value| summed over the ROW row and columns of T and FD (thousand USD)."""
        return sum(self.stats[m].discrepancy for m in ("T", "FD") if m in self.stats)

    def tables(self) -> dict[str, pd.DataFrame | pa.Table]:
        """The raw tables the loader stores: ``eora26_labels`` and ``eora26_cells``.

        The cells table carries in its schema metadata the load message (with the ROW
        discrepancy share, under :data:`MESSAGE_METADATA`), which the loader writes into
        ``raw.load_log.message``, and the cells of each matrix (:data:`BLOCKS_METADATA`),
        which :func:`.store.store_cells` stores one table per matrix without a scan.
        """
        blocks = [{"year": int(self.year), "matrix": m, "rows": int(n)} for m, n in self.cell_counts.items()]
        cells = self.cells.replace_schema_metadata({MESSAGE_METADATA: self.message,
                                                    BLOCKS_METADATA: json.dumps(blocks)})
        return {"eora26_labels": self.labels, "eora26_cells": cells}

    @property
    def message(self) -> str:
        share = self.discrepancy / self.world_output if self.world_output else float("nan")
        return (f"Eora26 {self.year}: {self.cells.num_rows} non-zero cells of "
                + ", ".join(f"{m} {r}x{c}" for m, (r, c) in self.shapes.items())
                + f"; world output {self.world_output:.4g} thousand USD; ROW discrepancy entry kept: "
                f"{self.discrepancy:.4g} thousand USD = {share:.3%} of world output")


def _stats(matrix: str, cells: pa.Table, labels_row: pd.DataFrame, labels_col: pd.DataFrame) -> MatrixStats:
    """Total, ROW discrepancy and the most negative non-ROW cell of one matrix."""
    frame = pl.from_arrow(cells)
    value, row, col = pl.col("value"), pl.col("row_idx"), pl.col("col_idx")
    in_row = pl.lit(False)
    if matrix in ("T", "FD"):
        rows = np.flatnonzero(labels_row["country_code"].eq(DISCREPANCY).to_numpy()).tolist()
        cols = np.flatnonzero(labels_col["country_code"].eq(DISCREPANCY).to_numpy()).tolist()
        in_row = row.is_in(rows) | col.is_in(cols)
    sums = frame.select(value.sum().alias("total"), value.filter(in_row).abs().sum().alias("discrepancy"),
                        (value < 0).and_(~in_row).sum().alias("negative")).row(0)
    most = None
    if sums[2]:
        worst = frame.filter(~in_row).sort("value").row(0)
        most = (float(worst[2]), int(worst[0]), int(worst[1]))
    return MatrixStats(float(sums[0]), float(sums[1]), int(sums[2]), most)


def read_year(folder: Path, year: int | None = None, checks: Eora26Checks | None = None,
              matrices: Iterable[str] = MATRICES, co2_satellite: str = DEFAULT_CO2_SATELLITE) -> Eora26Read:
    """Read and check one ``Eora26_{year}_bp/`` folder (all five matrices by default).

    Parameters
    ----------
    folder : pathlib.Path
        The year folder: the matrix files ``Eora26_{year}_bp_{matrix}.txt`` and the four
        label files.
    year : int, optional
        The year in the file names; by default read from the folder's name.
    checks : Eora26Checks, optional
        Plausibility bounds (thousand USD); the defaults by default.
    matrices : iterable of str, default :data:`MATRICES`
        Which of T, FD, VA, Q, QY to read (the labels are always read whole).
    co2_satellite : str, default ``edgar_total``
        When Q is read, the rows of this CO2 satellite (the research setting,
        :data:`greentrade.ingest.eora26_labels.CO2_SATELLITES`) must be in labels_Q and not
        all zero.

    Returns
    -------
    Eora26Read
        Cells (thousand USD at basic prices; Q / QY in each satellite's unit), labels,
        shapes and per-matrix sums.

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        As :func:`read`.
    """
    folder = Path(folder)
    checks = checks or Eora26Checks()
    if year is None:
        year = _folder_year(folder)
    labels = read_labels(folder)
    matrices = tuple(matrices)
    co2 = None
    if "Q" in matrices:
        try:
            co2 = co2_rows(labels["Q"], co2_satellite)
        except Co2RowsError as error:
            raise _error(folder / LABEL_FILES["Q"], "", str(error)) from None
    parts, shapes, stats = [], {}, {}
    for matrix in matrices:
        row_kind, col_kind = MATRIX_AXES[matrix]
        shape = (len(labels[row_kind]), len(labels[col_kind]))
        file = matrix_file(folder, year, matrix)
        cells = read_matrix_cells(file, shape)
        shapes[matrix] = shape
        stats[matrix] = _stats(matrix, cells, labels[row_kind], labels[col_kind])
        if matrix == "Q":
            _check_co2_not_all_zero(file, cells, labels["Q"], co2, co2_satellite, year)
        parts.append(_with_keys(cells, year, matrix))
    result = Eora26Read(year, pa.concat_tables(parts), label_rows(year, labels, tuple(shapes)), shapes, stats)
    _check_year(folder, result, labels, checks)
    return result


def _check_co2_not_all_zero(file: Path, cells: pa.Table, q_labels: pd.DataFrame, rows: np.ndarray,
                            co2_satellite: str, year: int) -> None:
    """The chosen CO2 rows hold data this year (the cells are Q's non-zero ones)."""
    if pa.compute.any(pa.compute.is_in(cells.column("row_idx"), pa.array(rows, pa.int32()))).as_py():
        return
    place = f"row {rows[0] + 1}" if len(rows) == 1 else f"rows {rows[0] + 1}-{rows[-1] + 1}"
    raise _error(file, place, f"the rows of co2_satellite = {co2_satellite} ({describe_rows(q_labels, rows)} of "
                              f"labels_Q) are all zero in {year}: this release holds no such CO2 for {year}; "
                              "choose another co2_satellite in greentrade.toml [settings]")


def _folder_year(folder: Path) -> int:
    import re

    match = re.search(r"Eora26_(\d{4})_bp", folder.name)
    if not match:
        raise _error(folder, "folder name", "expected a folder named Eora26_{year}_bp")
    return int(match.group(1))


def _with_keys(cells: pa.Table, year: int, matrix: str) -> pa.Table:
    """Add the constant year and matrix columns, dictionary-encoded (one byte a row, and no
    full-size array written: the indices are one zeroed buffer)."""
    n = cells.num_rows
    zeros = pa.array(np.zeros(n, np.int8))
    return pa.table({"year": pa.DictionaryArray.from_arrays(zeros, pa.array([year], pa.int32())),
                     "matrix": pa.DictionaryArray.from_arrays(zeros, pa.array([matrix])),
                     "row_idx": cells.column("row_idx"), "col_idx": cells.column("col_idx"),
                     "value": cells.column("value")})


def _check_year(folder: Path, result: Eora26Read, labels: dict[str, pd.DataFrame], checks: Eora26Checks) -> None:
    t = result.stats.get("T")
    if t is not None and t.most_negative is not None and t.most_negative[0] < -checks.negative_tolerance:
        value, row, col = t.most_negative
        lab = labels["T"]
        where = lambda i: f"{lab.at[i, 'country_code']}/{lab.at[i, 'item']}"  # noqa: E731
        raise _error(matrix_file(folder, result.year, "T"), f"row {row + 1}, column {col + 1}",
                     f"expected inter-industry flows >= -{checks.negative_tolerance:g} thousand USD "
                     f"(negative_tolerance), found {value:.6g} ({where(row)} -> {where(col)}; "
                     f"{t.negative_count} negative cells in all)")
    if "T" in result.stats and "FD" in result.stats:
        output = result.world_output
        if not checks.world_output_min <= output <= checks.world_output_max:
            factor = output / np.sqrt(checks.world_output_min * checks.world_output_max) if output > 0 else 0
            hint = f" (about {factor:.3g} times the expected level: a unit slip?)" if output > 0 else ""
            raise _error(matrix_file(folder, result.year, "T"), "sum of T and FD",
                         f"expected total world output within {checks.world_output_min:.3g}.."
                         f"{checks.world_output_max:.3g} thousand USD (world_output_min/max), found "
                         f"{output:.4g}{hint}")


def read(path: Path, **options) -> dict[str, pd.DataFrame | pa.Table]:
    """Reader of the ingest framework (source ``eora26``): one ``Eora26_{year}_bp/`` folder.

    Parameters
    ----------
    path : pathlib.Path
        The year folder, named ``Eora26_{year}_bp`` (the year is read from the name).
    **options
        ``world_output_min``, ``world_output_max`` (thousand USD) and ``negative_tolerance``
        (thousand USD), see :class:`Eora26Checks`; ``co2_satellite``, the research setting
        the loader passes in (:data:`greentrade.ingest.eora26_labels.CO2_SATELLITES`).

    Returns
    -------
    dict
        ``eora26_labels``: pandas frame of :data:`LABEL_TABLE_COLUMNS`, one row per row and
        column of every matrix; ``eora26_cells``: pyarrow table of :data:`CELL_COLUMNS`, the
        non-zero cells of T, FD, VA (thousand USD, basic prices) and Q, QY (each satellite's
        unit, CO2 in Gg), ~12 million rows for a real T (:meth:`Eora26Read.tables`).

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        A missing or malformed file, a cell that is no finite number, a line of the wrong
        length, the CO2 satellite missing or all zero, or a failed plausibility check; the
        message names the file and the place (row and column, 1-based).
    """
    options = dict(options)
    satellite = options.pop("co2_satellite", None) or DEFAULT_CO2_SATELLITE
    return read_year(Path(path), checks=Eora26Checks.from_options(options), co2_satellite=satellite).tables()
