"""Reading stored Eora26 years back from the warehouse into numpy arrays and pandas frames.

The cells of ``raw.eora26_cells`` (or any relation of ``row_idx``, ``col_idx``, ``value``,
such as the ``stg_eora26__cells`` relation dbt hands a Python model) are scattered into
dense float64 arrays whose shapes come from the stored labels (``raw.eora26_labels``), so
all-zero trailing rows and columns come back too. Values stay as published: thousand USD at
basic prices (Q / QY in each satellite's own unit, CO2 in Gg); the ROW discrepancy entry is
kept as the last row / column of T and the last six columns of FD.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..eora26_labels import LABEL_COLUMNS, MATRIX_AXES


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
    """Dense float64 array of ``shape`` from the non-zero cells of one matrix.

    ``cells`` is a DuckDB relation (a dbt ref in a Python model, or ``con.sql(...)``): DuckDB
    computes the flat positions and they arrive as arrow batches, put into a zeroed array
    batch by batch without Python objects. A pandas frame (or a dict of arrays) works too.

    Parameters
    ----------
    cells : duckdb.DuckDBPyRelation, pandas.DataFrame or mapping of arrays
        Columns ``row_idx``, ``col_idx`` (0-based positions) and ``value`` (any unit; the
        array carries the cells' own, thousand USD for Eora26's T, FD and VA).
    shape : tuple of int
        ``(n_rows, n_cols)`` of the matrix, from its labels.
    what : str
        What the cells are, for the error message (e.g. ``"raw.eora26_cells 2015 T"``).

    Returns
    -------
    numpy.ndarray
        ``shape`` float64 array, zero where no cell is given.

    Raises
    ------
    ValueError
        A cell lies outside ``shape`` (the message names ``what``).
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
    """Dense numpy arrays of ``matrices`` for ``year`` from ``raw.eora26_cells`` and its labels.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A connection to the warehouse (a dbt Python model's ``session`` works).
    year : int
        The Eora26 year, as loaded.
    matrices : iterable of str, default ("T", "FD", "VA", "Q")
        Any of ``T``, ``FD``, ``VA``, ``Q``, ``QY``.

    Returns
    -------
    Eora26Year
        ``arrays[m]`` float64, thousand USD at basic prices (Q / QY in each satellite's
        unit, CO2 in Gg), shapes from the stored labels (all-zero trailing rows and columns
        come back too), the ROW discrepancy entry included; ``row_labels[m]`` /
        ``col_labels[m]`` in position order.

    Raises
    ------
    LookupError
        No labels of a requested matrix are stored for ``year``.
    ValueError
        A stored cell lies outside its labelled shape.
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

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A connection to the warehouse.
    year : int
        The Eora26 year, as loaded.
    matrices : iterable of str, default ("T", "FD", "VA", "Q")
        Any of ``T``, ``FD``, ``VA``, ``Q``, ``QY``.

    Returns
    -------
    dict of str to pandas.DataFrame
        Thousand USD at basic prices (Q / QY in each satellite's unit). T: (region, sector)
        x (region, sector); FD: (region, sector) x (region, category); VA: item x (region,
        sector); Q: (stressor, source) x (region, sector); QY: (stressor, source) x
        (region, category). Region is Eora's country code ('ROW' for the discrepancy entry).
    """
    data = read_year_arrays(con, year, matrices)
    out = {}
    for matrix, array in data.arrays.items():
        row_kind, col_kind = MATRIX_AXES[matrix]
        index = _index(data.row_labels[matrix], row_kind)
        columns = _index(data.col_labels[matrix], col_kind)
        out[matrix] = pd.DataFrame(array, index=index, columns=columns, copy=False)
    return out
