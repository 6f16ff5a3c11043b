"""Eora26 year folders (``Eora26_{year}_bp/``) into ``raw.eora26_cells`` / ``raw.eora26_labels``.

Layout (docs/sources.md): five tab-separated matrices without header, values in thousand USD
at basic prices -- T 4915 x 4915, FD 4915 x 1140, VA 6 x 4915, Q n_q x 4915, QY n_q x 1140
for the published 189-country table, n_q = 2720 or 2619 by release -- and four label files
(:mod:`.eora26_labels`). The
``ROW`` discrepancy row / column of T and the six ``ROW`` columns of FD are kept as published
and their size is reported (:attr:`Eora26Read.message`), never dropped here.

Speed is the point of this module (bench/ingest_bench.py, docs/eora26_storage.md):

- a matrix file is tokenized by a small C extension (``_eora26_tokenizer.c``), one chunk of
  the memory-mapped file per core, straight into numpy arrays of the non-zero cells, with
  correctly rounded values (:func:`_parse_native`); anything but a plain grid of numbers
  sends it to the polars path, which reads the same values and names the fault (the tab
  taken as line end, see :func:`read_matrix_cells`);
- the reader returns those cells as a pyarrow Table, which DuckDB scans without a copy;
- cells are stored sorted by (year, matrix, row_idx, col_idx), so row_idx compresses to runs
  and col_idx to small bit-packed integers; :func:`read_year_arrays` scatters them back into
  dense numpy arrays.
"""

from __future__ import annotations

import json
import mmap
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from .eora26_labels import (DEFAULT_CO2_SATELLITE, DISCREPANCY, LABEL_COLUMNS, LABEL_FILES, MATRIX_AXES,
                            Co2RowsError, co2_rows, describe_rows, label_rows, read_labels)

try:  # the C tokenizer, built by `pip install` (optional: else the polars path reads alike)
    from . import _eora26_tokenizer as _tokenizer
except ImportError:  # pragma: no cover - depends on the build
    _tokenizer = None

MATRICES = tuple(MATRIX_AXES)  # T, FD, VA, Q, QY
CELL_COLUMNS = ["year", "matrix", "row_idx", "col_idx", "value"]
# columns of raw.eora26_cells (the block layout's view adds _load_id; so does the table layout)
CELL_TYPES = {"year": "INTEGER NOT NULL", "matrix": "VARCHAR NOT NULL", "row_idx": "INTEGER NOT NULL",
              "col_idx": "INTEGER NOT NULL", "value": "DOUBLE NOT NULL"}
LABEL_TABLE_COLUMNS = ["year", "matrix", "axis", "idx", *LABEL_COLUMNS]


def _error(file: Path | str, place: str, message: str) -> Exception:
    from .errors import SourceFormatError  # lazily: the framework owns the module

    return SourceFormatError(file, place, message)


def matrix_file(folder: Path, year: int, matrix: str) -> Path:
    return folder / f"Eora26_{year}_bp_{matrix}.txt"


# --- checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eora26Checks:
    """Plausibility bounds; every field can be set under ``[sources.eora26]`` in greentrade.toml.

    world_output_min / world_output_max
        bounds of total world output, sum of T and FD (thousand USD). Real Eora26 years
        (1990-2016) lie around 5e10..2e11 thousand USD (50..200 trillion USD); a value outside
        1e10..1e12 means a unit slip (USD or million USD read as thousand USD).
    negative_tolerance
        the most negative a T cell may be (thousand USD); Eora's balancing leaves tiny
        negative flows, a large one is a sign error.
    """

    world_output_min: float = 1e10
    world_output_max: float = 1e12
    negative_tolerance: float = 1.0

    @classmethod
    def from_options(cls, options: Mapping) -> "Eora26Checks":
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
    """Non-zero cells of one matrix file: ``row_idx`` (int32), ``col_idx`` (int32), ``value``.

    Cells come in row-major order. A cell that is text, empty, NaN or infinite, or a line of
    the wrong length, raises SourceFormatError naming the file, the row and the column
    (1-based, as a text editor shows them).

    How: the C tokenizer (:func:`_parse_native`) where it applies. Else polars parses the
    file with the tab as line end and the newline as field separator, so every "line" is one
    cell, except where a row ends: there the "line" holds the row's
    last cell (``v``) and the next row's first (``w``). Those boundary lines must sit exactly
    every ``n_cols - 1`` lines, which checks every row's length on the way; a cell's flat
    position follows from its line number ``k``: ``k + max(k - 1, 0) // (n_cols - 1)``.
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
    """Non-zero cells by the C tokenizer (``_eora26_tokenizer.c``), or None.

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
    # close up: chunk i's cells move to follow chunk i-1's, their rows shifted by the rows before
    written = row_base = 0
    for i, (cells, n, _, _, _) in enumerate(results):
        a = offsets[i]
        if i:
            np.add(rows[a:a + cells], row_base, out=rows[written:written + cells])
            cols[written:written + cells] = cols[a:a + cells]
            values[written:written + cells] = values[a:a + cells]
        written += cells
        row_base += n
    return pa.table({"row_idx": rows[:written], "col_idx": cols[:written], "value": values[:written]})


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
        """Sum of T and FD (thousand USD): total world output including the ROW entry."""
        return self.stats["T"].total + self.stats["FD"].total

    @property
    def discrepancy(self) -> float:
        return self.stats["T"].discrepancy + self.stats["FD"].discrepancy

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

    When Q is read, the rows of the CO2 satellite ``co2_satellite`` (the research setting of
    that name, :data:`.eora26_labels.CO2_SATELLITES`) must be in labels_Q and not all zero.
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
    """Reader for the ingest framework: one ``Eora26_{year}_bp/`` folder.

    Returns ``eora26_labels`` (pandas) and ``eora26_cells`` (pyarrow, ~12 million rows for a
    real T); the load message (with the ROW discrepancy share) is in the cells table's schema
    metadata under ``b"greentrade.message"``. Options: see :class:`Eora26Checks`, and
    ``co2_satellite`` (the research setting, passed in by the loader).
    """
    options = dict(options)
    satellite = options.pop("co2_satellite", None) or DEFAULT_CO2_SATELLITE
    result = read_year(Path(path), checks=Eora26Checks.from_options(options), co2_satellite=satellite)
    blocks = [{"matrix": m, "rows": int(n)} for m, n in result.cell_counts.items()]
    cells = result.cells.replace_schema_metadata({"greentrade.message": result.message,
                                                  "greentrade.eora26_blocks": json.dumps(blocks)})
    return {"eora26_labels": result.labels, "eora26_cells": cells}


# --- persistence ----------------------------------------------------------------------------


def persist_arrow(con, table_name: str, arrow_table: pa.Table, load_id: int,
                  constants: Mapping[str, object] | None = None) -> int:
    """Insert an arrow table into ``raw.<table_name>`` with one DuckDB scan (no copy in Python).

    The columns of ``arrow_table`` are matched by name; ``_load_id`` and the ``constants``
    (column -> one value for every row, e.g. ``{"year": 2015, "matrix": "T"}``) are added as
    SQL parameters, which DuckDB folds instead of reading a column per row. Returns rows.
    """
    constants = dict(constants or {})
    name = f"_greentrade_arrow_{table_name}"
    given = [f'"{c}"' for c in arrow_table.column_names]
    target = ", ".join([*given, *(f'"{c}"' for c in constants), "_load_id"])
    select = ", ".join([*given, *("?" for _ in constants), "?"])
    con.register(name, arrow_table)
    try:
        con.execute(f"INSERT INTO raw.{table_name} ({target}) SELECT {select} FROM {name}",
                    [*constants.values(), int(load_id)]).fetchall()
    finally:
        con.unregister(name)
    return arrow_table.num_rows


def ensure_cells_table(con, matrix_type: str = "VARCHAR") -> None:
    """The table layout: make ``raw.eora26_cells`` a table (the bench, one-off loads).

    The loader uses the block layout (:func:`store_cells`), where ``raw.eora26_cells`` is a
    view; an empty view (no block stored) is replaced by the table, a view over stored
    blocks is refused (ValueError).
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS raw").fetchall()
    if _cells_kind(con) == "VIEW":
        stored = con.execute(f"SELECT count(*) FROM raw.{BLOCKS_TABLE}").fetchall()[0][0] if _has_blocks_table(con) else 0
        if stored:
            raise ValueError(f"raw.eora26_cells is the block layout's view over {stored} blocks: "
                             "store cells with eora26.store_cells")
        con.execute("DROP VIEW raw.eora26_cells").fetchall()
    columns = ", ".join(f'"{c}" {matrix_type + " NOT NULL" if c == "matrix" else kind}' for c, kind in CELL_TYPES.items())
    con.execute(f'CREATE TABLE IF NOT EXISTS raw.eora26_cells ({columns}, "_load_id" BIGINT NOT NULL)').fetchall()


def persist_cells(con, cells: pa.Table, load_id: int) -> int:
    """Insert a cells table returned by :func:`read` into ``raw.eora26_cells``, matrix by matrix
    (the table layout: :func:`ensure_cells_table`).

    Equivalent to the generic ``INSERT ... SELECT`` of the whole table, but the year and the
    matrix go in as constants (the block sizes travel in the table's schema metadata), which
    spares DuckDB a per-row cast: with ``matrix`` typed as an ENUM this is the fast path.
    """
    ensure_cells_table(con)
    blocks = json.loads((cells.schema.metadata or {}).get(b"greentrade.eora26_blocks", b"null"))
    if blocks is None:
        return persist_arrow(con, "eora26_cells", cells, load_id)
    year = cells.column("year")[0].as_py() if cells.num_rows else None
    start = 0
    for block in blocks:
        part = cells.slice(start, block["rows"]).select(["row_idx", "col_idx", "value"])
        persist_arrow(con, "eora26_cells", part, load_id, constants={"year": year, "matrix": block["matrix"]})
        start += block["rows"]
    return start


def load_matrix(con, file: Path, year: int, matrix: str, shape: tuple[int, int], load_id: int) -> int:
    """Parse one matrix file and insert its non-zero cells into ``raw.eora26_cells``.

    The single-matrix path of the reader (no labels, no year checks), used by the bench and
    handy for re-loading one matrix; returns the number of cells written. Table layout
    (:func:`ensure_cells_table`); :func:`load_matrix_blocks` is the loader's block layout.
    """
    ensure_cells_table(con)
    cells = read_matrix_cells(Path(file), shape)
    return persist_arrow(con, "eora26_cells", cells, load_id, constants={"year": int(year), "matrix": matrix})


# --- block layout (the loader's) ------------------------------------------------------------
#
# DuckDB spends most of an insert appending and compressing columns, about the same time per
# column whatever it holds, so the three constant columns (year, matrix, _load_id) of a
# 12-million-row T cost more than its positions. In the block layout each (year, matrix) of a
# load is its own table of row_idx, col_idx, value, listed in raw.eora26_blocks, and
# raw.eora26_cells is a UNION ALL view adding the constants: same columns for every query,
# 60% less insert time; DuckDB prunes the branches a year / matrix filter excludes.
# warehouse._load_file stores eora26_cells through store_cells / drop_cells, inside its
# transaction (DuckDB's CREATE / DROP TABLE and CREATE VIEW roll back like rows).

BLOCKS_TABLE = "eora26_blocks"


def _block_table(year: int, matrix: str, load_id: int) -> str:
    return f"eora26_cells__{int(year)}_{matrix}__{int(load_id)}"


def _cells_kind(con) -> str | None:
    """'BASE TABLE' (table layout), 'VIEW' (block layout) or None (absent)."""
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_schema = 'raw' "
                       "AND table_name = 'eora26_cells'").fetchall()
    return kind[0][0] if kind else None


def _has_blocks_table(con) -> bool:
    return bool(con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = 'raw' "
                            f"AND table_name = '{BLOCKS_TABLE}'").fetchall())


def ensure_cells_view(con) -> None:
    """Create ``raw.eora26_blocks`` and, unless ``raw.eora26_cells`` exists, its (empty) view.

    Called by ``warehouse.ensure_schema``; an existing table-layout ``raw.eora26_cells`` is
    left as it is here and moved into blocks by the first :func:`store_cells` /
    :func:`drop_cells` (inside the loader's transaction).
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS raw").fetchall()
    con.execute(f"CREATE TABLE IF NOT EXISTS raw.{BLOCKS_TABLE} (year INTEGER NOT NULL, matrix VARCHAR NOT NULL, "
                "table_name VARCHAR NOT NULL, n_cells BIGINT NOT NULL, _load_id BIGINT NOT NULL)").fetchall()
    if _cells_kind(con) is None:
        refresh_cells_view(con)


def _ensure_blocks(con) -> None:
    ensure_cells_view(con)
    if _cells_kind(con) == "BASE TABLE":  # rows stored by the table layout: move them into blocks
        groups = con.execute("SELECT year, matrix, _load_id, count(*) FROM raw.eora26_cells GROUP BY ALL "
                             "ORDER BY ALL").fetchall()
        for year, matrix, load_id, count in groups:
            name = _block_table(year, matrix, load_id)
            con.execute(f"CREATE TABLE raw.{name} AS SELECT row_idx, col_idx, value FROM raw.eora26_cells "
                        "WHERE year = ? AND matrix = ? AND _load_id = ? ORDER BY row_idx, col_idx",
                        [year, matrix, load_id]).fetchall()
            con.execute(f"INSERT INTO raw.{BLOCKS_TABLE} VALUES (?, ?, ?, ?, ?)",
                        [year, matrix, name, count, load_id]).fetchall()
        con.execute("DROP TABLE raw.eora26_cells").fetchall()
        refresh_cells_view(con)


def refresh_cells_view(con) -> None:
    """(Re)create the view ``raw.eora26_cells`` over the blocks listed in ``raw.eora26_blocks``."""
    blocks = con.execute(f"SELECT year, matrix, table_name, _load_id FROM raw.{BLOCKS_TABLE} "
                         "ORDER BY year, matrix, _load_id").fetchall()
    parts = [f"SELECT {int(y)}::INTEGER AS year, '{m}'::VARCHAR AS matrix, row_idx, col_idx, value, "
             f"{int(l)}::BIGINT AS _load_id FROM raw.{t}" for y, m, t, l in blocks]
    if not parts:
        parts = ["SELECT NULL::INTEGER AS year, NULL::VARCHAR AS matrix, NULL::INTEGER AS row_idx, "
                 "NULL::INTEGER AS col_idx, NULL::DOUBLE AS value, NULL::BIGINT AS _load_id WHERE false"]
    con.execute("CREATE OR REPLACE VIEW raw.eora26_cells AS " + "\nUNION ALL ".join(parts)).fetchall()


def _cell_blocks(cells: pa.Table) -> Iterable[tuple[int, str, pa.Table]]:
    """(year, matrix, row_idx / col_idx / value) of each block of a cells table: by the block
    sizes :func:`read` puts in the metadata (no scan), else by grouping on year and matrix."""
    for column in ("year", "matrix", "row_idx", "col_idx", "value"):
        if cells.column(column).null_count:
            raise ValueError(f"eora26 cells: null {column}")
    blocks = json.loads((cells.schema.metadata or {}).get(b"greentrade.eora26_blocks", b"null"))
    years = pa.compute.unique(cells.column("year")).to_pylist() if cells.num_rows else []
    if blocks is not None and len(years) <= 1:
        start = 0
        for block in blocks:
            yield years[0] if years else None, block["matrix"], cells.slice(start, block["rows"]).select(
                ["row_idx", "col_idx", "value"])
            start += block["rows"]
        if start != cells.num_rows:
            raise ValueError(f"eora26 cells: the block sizes in the metadata add up to {start}, not {cells.num_rows}")
        return
    frame = pl.from_arrow(cells.select(CELL_COLUMNS)).with_columns(pl.col("matrix").cast(pl.String))
    for (year, matrix), part in frame.group_by(["year", "matrix"], maintain_order=True):
        yield int(year), str(matrix), part.select("row_idx", "col_idx", "value").to_arrow()


def store_cells(con, cells: pa.Table, load_id: int) -> int:
    """Store a cells table (columns :data:`CELL_COLUMNS`, e.g. from :func:`read`) in the block
    layout; returns cells written.

    The loader calls it instead of inserting ``eora26_cells`` rows (and :func:`drop_cells`
    instead of deleting them), inside its transaction. A table without :func:`read`'s block
    sizes in its metadata is split by year and matrix.
    """
    _ensure_blocks(con)
    written = 0
    for year, matrix, part in _cell_blocks(cells):
        if part.num_rows:
            _store_block(con, part, year, matrix, load_id)
        written += part.num_rows
    refresh_cells_view(con)
    return written


def _store_block(con, part: pa.Table, year: int, matrix: str, load_id: int) -> None:
    if matrix not in MATRICES:
        raise ValueError(f"eora26 cells: unknown matrix {matrix!r} (expected one of {', '.join(MATRICES)})")
    name = _block_table(year, matrix, load_id)
    # through a relation, not con.register: a registered view, even unregistered, keeps its
    # Arrow table alive until the transaction commits (DuckDB's catalog is versioned), so a
    # source of seven full-size years would hold all their cells in memory at once
    con.from_arrow(part).select("row_idx::INTEGER AS row_idx, col_idx::INTEGER AS col_idx, "
                                "value::DOUBLE AS value").create(f"raw.{name}")
    con.execute(f"INSERT INTO raw.{BLOCKS_TABLE} VALUES (?, ?, ?, ?, ?)",
                [int(year), matrix, name, part.num_rows, int(load_id)]).fetchall()


def drop_cells(con, load_id: int) -> int:
    """Remove the blocks of one load (the block layout's DELETE); returns cells removed."""
    _ensure_blocks(con)
    blocks = con.execute(f"SELECT table_name, n_cells FROM raw.{BLOCKS_TABLE} WHERE _load_id = ?",
                         [int(load_id)]).fetchall()
    if not blocks:
        return 0
    con.execute(f"DELETE FROM raw.{BLOCKS_TABLE} WHERE _load_id = ?", [int(load_id)]).fetchall()
    refresh_cells_view(con)  # first: the view must not name a dropped table
    for name, _ in blocks:
        con.execute(f"DROP TABLE raw.{name}").fetchall()
    return sum(n for _, n in blocks)


def load_matrix_blocks(con, file: Path, year: int, matrix: str, shape: tuple[int, int], load_id: int) -> int:
    """:func:`load_matrix` in the block layout."""
    _ensure_blocks(con)
    cells = read_matrix_cells(Path(file), shape)
    _store_block(con, cells, int(year), matrix, load_id)
    refresh_cells_view(con)
    return cells.num_rows


# --- read-back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eora26Year:
    """Dense Eora26 matrices of one year with their labels (thousand USD; Q in its units).

    ``arrays['T']`` is n x n with the ROW discrepancy as last row / column, ``arrays['FD']``
    n x (6 * countries + 6), ``arrays['VA']`` 6 x n, ``arrays['Q']`` satellites x n.
    ``row_labels[m]`` / ``col_labels[m]`` are frames of country_name, country_code, entity,
    item in position order.
    """

    year: int
    arrays: dict[str, np.ndarray]
    row_labels: dict[str, pd.DataFrame]
    col_labels: dict[str, pd.DataFrame]

    def __getitem__(self, matrix: str) -> np.ndarray:
        return self.arrays[matrix]


def _labels_of(con, year: int, matrices: tuple[str, ...]) -> pd.DataFrame:
    marks = ", ".join("?" for _ in matrices)
    return con.execute(
        f"SELECT matrix, axis, idx, {', '.join(LABEL_COLUMNS)} FROM raw.eora26_labels "
        f"WHERE year = ? AND matrix IN ({marks}) ORDER BY matrix, axis, idx", [int(year), *matrices]).df()


def scatter_cells(cells, shape: tuple[int, int], what: str) -> np.ndarray:
    """Dense float64 array of ``shape`` from cells with ``row_idx``, ``col_idx``, ``value``.

    ``cells`` is a DuckDB relation (a dbt ref in a Python model, or ``con.sql(...)``): DuckDB
    computes the flat positions and they arrive as arrow batches, put into a zeroed array
    batch by batch without Python objects. A pandas frame (or a dict of arrays) works too.
    A cell outside ``shape`` raises ValueError naming ``what``.
    """
    n_rows, n_cols = shape
    outside = n_rows * n_cols  # one past the end: np.put refuses it
    out = np.zeros(n_rows * n_cols, dtype=np.float64)
    if isinstance(cells, (pd.DataFrame, Mapping)):
        rows = np.asarray(cells["row_idx"], dtype=np.int64)
        cols = np.asarray(cells["col_idx"], dtype=np.int64)
        inside = (rows >= 0) & (rows < n_rows) & (cols >= 0) & (cols < n_cols)
        batches = [(np.where(inside, rows * n_cols + cols, outside), np.asarray(cells["value"], dtype=np.float64))]
    else:
        # streamed in batches: a full-size T (24 million cells) never sits in memory as a table
        reader = cells.select(
            f"case when row_idx >= 0 and row_idx < {int(n_rows)} and col_idx >= 0 and col_idx < {int(n_cols)} "
            f"then row_idx::BIGINT * {int(n_cols)} + col_idx else {int(outside)} end as pos, value::DOUBLE as value"
        ).to_arrow_reader(1 << 20)
        batches = ((batch.column(0).to_numpy(), batch.column(1).to_numpy()) for batch in reader)
    try:
        for positions, values in batches:
            np.put(out, positions, values)
    except IndexError:
        raise ValueError(f"{what}: a cell lies outside the labelled {n_rows} x {n_cols}") from None
    return out.reshape(n_rows, n_cols)


def _dense(con, year: int, matrix: str, shape: tuple[int, int]) -> np.ndarray:
    cells = con.sql("SELECT row_idx, col_idx, value FROM raw.eora26_cells WHERE year = $year AND matrix = $matrix",
                    params={"year": int(year), "matrix": matrix})
    return scatter_cells(cells, shape, f"raw.eora26_cells {year} {matrix}")


def read_year_arrays(con, year: int, matrices: Iterable[str] = ("T", "FD", "VA", "Q")) -> Eora26Year:
    """Dense numpy arrays of ``matrices`` for ``year`` from ``raw.eora26_cells`` / labels.

    ``con`` is a DuckDB connection (a dbt Python model's ``session`` works). Shapes come from
    the stored labels, so all-zero trailing rows and columns come back too.
    """
    matrices = tuple(matrices)
    labels = _labels_of(con, year, matrices)
    arrays, row_labels, col_labels = {}, {}, {}
    for matrix in matrices:
        rows = labels[(labels["matrix"] == matrix) & (labels["axis"] == "row")]
        cols = labels[(labels["matrix"] == matrix) & (labels["axis"] == "col")]
        if rows.empty or cols.empty:
            raise LookupError(f"raw.eora26_labels holds no {matrix} labels for {year}: load Eora26 {year} first")
        row_labels[matrix] = rows[LABEL_COLUMNS].reset_index(drop=True)
        col_labels[matrix] = cols[LABEL_COLUMNS].reset_index(drop=True)
        arrays[matrix] = _dense(con, year, matrix, (len(rows), len(cols)))
    return Eora26Year(int(year), arrays, row_labels, col_labels)


def _index(labels: pd.DataFrame, kind: str) -> pd.Index:
    """pymrio's labelling: (region, sector) / (region, category); Q rows (stressor, source)."""
    if kind in ("T", "FD"):
        return pd.MultiIndex.from_arrays([labels["country_code"].to_numpy(), labels["item"].to_numpy()],
                                         names=["region", "sector" if kind == "T" else "category"])
    if kind == "Q":  # a satellite name may come from several sources
        return pd.MultiIndex.from_arrays([labels["item"].to_numpy(), labels["country_name"].to_numpy()],
                                         names=["stressor", "source"])
    return pd.Index(labels["item"].to_numpy(), name="item")


def read_year_frames(con, year: int, matrices: Iterable[str] = ("T", "FD", "VA", "Q")) -> dict[str, pd.DataFrame]:
    """Like :func:`read_year_arrays`, as pandas frames labelled the way pymrio labels Eora26.

    T: (region, sector) x (region, sector); FD: (region, sector) x (region, category);
    VA: item x (region, sector); Q: (stressor, source) x (region, sector); QY: (stressor, source)
    x (region, category).
    Region is Eora's country code ('ROW' for the discrepancy entry).
    """
    data = read_year_arrays(con, year, matrices)
    out = {}
    for matrix, array in data.arrays.items():
        row_kind, col_kind = MATRIX_AXES[matrix]
        index = _index(data.row_labels[matrix], row_kind)
        columns = _index(data.col_labels[matrix], col_kind)
        out[matrix] = pd.DataFrame(array, index=index, columns=columns, copy=False)
    return out
