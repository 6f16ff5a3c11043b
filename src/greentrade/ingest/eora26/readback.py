"""Reading stored Eora26 years back from the warehouse: numpy arrays, pymrio-labelled
frames, or the world table the embedding needs (:func:`world_from_cells`, as the dbt model
``int_embedded_mrio`` reads a year: Z, Y and F = [value-added rows..., CO2 in t], Eora's ROW
discrepancy entry set aside). One read-back: all three scatter the same cells the same way.

The cells of ``raw.eora26_cells`` (or any relation of ``row_idx``, ``col_idx``, ``value``,
such as the ``stg_eora26__cells`` relation dbt hands a Python model) are scattered into
dense float64 arrays whose shapes come from the stored labels (``raw.eora26_labels``), so
all-zero trailing rows and columns come back too. Values stay as published: thousand USD at
basic prices (Q / QY in each satellite's own unit, CO2 in Gg); the ROW discrepancy entry is
kept as the last row / column of T and the last six columns of FD.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from greentrade.mrio import MRIO
from greentrade.mrio.errors import InputTableError
from greentrade.mrio.table import as_frame

from ..eora26_labels import (
    DEFAULT_CO2_SATELLITE,
    LABEL_COLUMNS,
    MATRIX_AXES,
    Co2RowsError,
    co2_rows,
    co2_satellite,
    describe_rows,
)

EORA_DISCREPANCY = "ROW"  # Eora's discrepancy 'country' (one row, one column, its final demand)
T_PER_GG = 1_000.0


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


def _labels(labels: pd.DataFrame, matrix: str, axis: str) -> pd.DataFrame:
    part = labels[(labels["matrix"] == matrix) & (labels["axis"] == axis)].sort_values("idx")
    if part.empty:
        raise InputTableError(f"Eora26 labels: no {axis} labels for matrix {matrix}")
    if not np.array_equal(part["idx"].to_numpy(), np.arange(len(part))):
        raise InputTableError(f"Eora26 labels: {matrix} {axis} positions are not 0..{len(part) - 1}")
    return part.reset_index(drop=True)


def _matrix_cells(cells, matrix: str):
    if matrix not in MATRIX_AXES:
        raise ValueError(f"unknown Eora26 matrix {matrix!r}")
    if isinstance(cells, pd.DataFrame):
        return cells[cells["matrix"] == matrix]
    return cells.filter(f"matrix = '{matrix}'")


def _closing_up(column: str, dropped) -> str:
    """SQL: the position of ``column`` once the ``dropped`` positions are left out."""
    return column + "".join(f" - ({column} > {int(d)})::INTEGER" for d in dropped)


def _matrix_dense(cells, matrix: str, shape: tuple[int, int], rows=None, drop_rows=(), drop_cols=()) -> np.ndarray:
    """One Eora26 matrix of a year's cells (a DuckDB relation, as dbt hands it, or a pandas
    frame), through the ingest's scatter (no Python objects per cell): only its rows ``rows``
    (ascending, in that order) if given; the positions ``drop_rows`` / ``drop_cols`` (e.g.
    Eora's ROW entry) left out and the others closed up, so no full-size copy is made to drop
    them."""
    rows = None if rows is None else np.asarray(rows, dtype=np.int64)
    drop_rows, drop_cols = sorted(int(d) for d in drop_rows), sorted(int(d) for d in drop_cols)
    part = _matrix_cells(cells, matrix)
    if isinstance(part, pd.DataFrame):
        row_idx, col_idx = part["row_idx"].to_numpy(), part["col_idx"].to_numpy()
        keep = ~np.isin(row_idx, drop_rows) & ~np.isin(col_idx, drop_cols)
        if rows is not None:
            keep &= np.isin(row_idx, rows)
        row_idx, col_idx = row_idx[keep], col_idx[keep]
        row_idx = (np.searchsorted(rows, row_idx) if rows is not None
                   else row_idx - np.searchsorted(drop_rows, row_idx))
        part = pd.DataFrame({"row_idx": row_idx, "col_idx": col_idx - np.searchsorted(drop_cols, col_idx),
                             "value": part["value"].to_numpy()[keep]})
    else:
        if rows is not None:
            listed = ", ".join(str(int(r)) for r in rows)
            part = part.filter(f"row_idx in ({listed})").select(
                f"list_position([{listed}], row_idx) - 1 as row_idx, col_idx, value")
        if drop_rows or drop_cols:
            conditions = [f"{axis} not in ({', '.join(map(str, dropped))})"
                          for axis, dropped in (("row_idx", drop_rows), ("col_idx", drop_cols)) if dropped]
            part = part.filter(" and ".join(conditions)).select(
                f"{_closing_up('row_idx', drop_rows)} as row_idx, {_closing_up('col_idx', drop_cols)} as col_idx, value")
    n_rows = len(rows) if rows is not None else shape[0] - len(drop_rows)
    try:
        return scatter_cells(part, (n_rows, shape[1] - len(drop_cols)), f"Eora26 {matrix}")
    except ValueError as error:
        raise InputTableError(str(error)) from None


def _cell_sum(cells, matrix: str, rows=None, cols=None, not_rows=()) -> float:
    """Sum of the cells of ``matrix`` in the rows ``rows`` and columns ``cols`` (None: all),
    outside the rows ``not_rows``: what leaving positions out of a table sets aside."""
    part = _matrix_cells(cells, matrix)
    if isinstance(part, pd.DataFrame):
        keep = ~part["row_idx"].isin(list(not_rows)).to_numpy()
        if rows is not None:
            keep &= part["row_idx"].isin(list(rows)).to_numpy()
        if cols is not None:
            keep &= part["col_idx"].isin(list(cols)).to_numpy()
        return float(part["value"].to_numpy()[keep].sum())
    conditions = [f"{axis} {op} ({', '.join(str(int(p)) for p in positions)})"
                  for axis, op, positions in (("row_idx", "in", rows), ("col_idx", "in", cols),
                                              ("row_idx", "not in", not_rows)) if positions is not None and len(positions)]
    if any(positions is not None and not len(positions) for positions in (rows, cols)):
        return 0.0
    (total,), = part.filter(" and ".join(conditions) or "true").aggregate("coalesce(sum(value), 0)").fetchall()
    return float(total)


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
    cells = con.sql("SELECT matrix, row_idx, col_idx, value FROM raw.eora26_cells WHERE year = $year",
                    params={"year": int(year)})
    arrays, row_labels, col_labels = {}, {}, {}
    for matrix in matrices:
        rows = labels[(labels["matrix"] == matrix) & (labels["axis"] == "row")]
        cols = labels[(labels["matrix"] == matrix) & (labels["axis"] == "col")]
        if rows.empty or cols.empty:
            raise LookupError(f"raw.eora26_labels holds no {matrix} labels for {year}: load Eora26 {year} first")
        row_labels[matrix] = rows[LABEL_COLUMNS].reset_index(drop=True)
        col_labels[matrix] = cols[LABEL_COLUMNS].reset_index(drop=True)
        arrays[matrix] = _matrix_dense(cells, matrix, (len(rows), len(cols)))
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
    con, year, matrices
        As :func:`read_year_arrays`.

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


@dataclass(frozen=True)
class WorldYear:
    """One year of the global table ready for embedding, and what was set aside.

    ``co2_satellite`` / ``co2_rows``: which Q rows gave F's CO2 row (the setting's key and
    the rows' labels and lines); ``q_rows``: how many rows the year's labels_Q has (2720 or
    2619 in the known releases)."""

    mrio: MRIO
    dropped: pd.Series
    year: int = 0
    co2_satellite: str = DEFAULT_CO2_SATELLITE
    co2_rows: str = ""
    q_rows: int = 0


def world_from_cells(cells, labels, year: int, co2_satellite_key: str | None = None,
                     china: str | None = None, *, sectors=None) -> WorldYear:
    """The Eora26 table of ``year`` as an :class:`~greentrade.mrio.MRIO` ready for embedding.

    Sectors are relabelled with the codes of the seed ``eora26_sectors``; Eora's 'ROW'
    discrepancy row, column and final-demand columns are left out while reading (what they
    held is reported in ``dropped``). CO2 is the sum of the Q rows of the chosen satellite,
    found by their two labels (name, source), converted from Gg to t.

    Parameters
    ----------
    cells : DuckDB relation or DataFrame
        The year's cells, ``matrix, row_idx, col_idx, value`` (``stg_eora26__cells``):
        thousand USD at basic prices; Q in each satellite's unit (CO2 in Gg).
    labels : DuckDB relation or DataFrame
        The year's labels (``stg_eora26__labels``): ``year, matrix, axis, idx,
        country_code, item, ...``.
    year : int
        The Eora26 year.
    co2_satellite_key : str, optional
        ``edgar_total`` (default), ``edgar_ipcc``, ``iea_fuel_combustion`` or ``primap_co2``
        (:data:`greentrade.ingest.eora26_labels.CO2_SATELLITES`).
    china : str, optional
        China's region code; if given, CO2 rows that are zero for all of China stop the year.
    sectors : DuckDB relation or DataFrame, optional
        The seed ``eora26_sectors`` (its ``dbt.ref`` in a dbt model; default: the project's
        seeds/eora26_sectors.csv).

    Returns
    -------
    WorldYear
        ``mrio``: Z (n x n), Y (n x 6 countries) in thousand USD, F = the six value-added
        rows (thousand USD) and 'CO2' (t); ``dropped``: what the ROW entry held (thousand
        USD; factors in their units); the CO2 rows read and labels_Q's row count.

    Raises
    ------
    InputTableError
        No labels for ``year``; an unknown sector name; the chosen CO2 rows absent (the
        message names the CO2 rows the release has), all zero in ``year``, or zero for all
        of ``china``; a cell outside its labelled shape.
    """
    satellite = co2_satellite(co2_satellite_key)
    labels = as_frame(labels)
    labels = labels[labels["year"] == year]
    if labels.empty:
        raise InputTableError(f"Eora26 {year}: no rows in stg_eora26__labels (raw.eora26_labels); "
                                 "ingest that year's Eora26 files, change the year range, or set eora_last_year "
                                 "to the latest Eora26 year you have")
    row_t, col_fd = _labels(labels, "T", "row"), _labels(labels, "FD", "col")
    va_rows, q_rows = _labels(labels, "VA", "row"), _labels(labels, "Q", "row")
    n, m = len(row_t), len(col_fd)

    if sectors is None:
        from greentrade import reference
        sectors = reference.seed("eora26_sectors")
    sectors = as_frame(sectors)
    sector_codes = dict(zip(sectors["eora_sector_name"], sectors["eora_sector_code"]))
    discrepancy = row_t["country_code"].eq(EORA_DISCREPANCY)
    unknown = sorted(set(row_t.loc[~discrepancy, "item"]) - set(sector_codes))
    if unknown:
        raise InputTableError(f"Eora26 {year} labels_T: sectors not in seeds/eora26_sectors.csv: {unknown[:5]}")
    codes = [EORA_DISCREPANCY if d else sector_codes[s] for s, d in zip(row_t["item"], discrepancy)]
    index = pd.MultiIndex.from_arrays([row_t["country_code"].to_numpy(), codes], names=["region", "sector"])
    fd_columns = pd.MultiIndex.from_arrays([col_fd["country_code"].to_numpy(), col_fd["item"].to_numpy()],
                                           names=["region", "category"])

    try:
        chosen = co2_rows(q_rows, satellite.key)
    except Co2RowsError as error:
        raise InputTableError(f"Eora26 {year} labels_Q (stg_eora26__labels): {error}") from None
    rows_text = describe_rows(q_rows, chosen)
    co2_by_row = _matrix_dense(cells, "Q", (len(q_rows), n), rows=chosen)  # those rows only, not all of Q
    if not co2_by_row.any():
        raise InputTableError(
            f"Eora26 {year}: the rows of co2_satellite = {satellite.key} ({rows_text} of labels_Q) are all zero "
            f"in {year}; this release holds no such CO2 for {year}: choose another co2_satellite")
    co2_row = co2_by_row.sum(axis=0)
    if china is not None and not co2_row[row_t["country_code"].eq(china).to_numpy()].any():
        raise InputTableError(
            f"Eora26 {year}: the rows of co2_satellite = {satellite.key} ({rows_text} of labels_Q) are zero for "
            f"every sector of {china} in {year}: choose another co2_satellite")
    # Eora's ROW discrepancy entry is set aside while reading (no full-size copy to drop it);
    # what it held is reported as drop_regions reports it
    gone = np.flatnonzero(discrepancy.to_numpy())
    gone_fd = np.flatnonzero(col_fd["country_code"].eq(EORA_DISCREPANCY).to_numpy())
    kept, kept_fd = np.flatnonzero(~discrepancy.to_numpy()), np.setdiff1d(np.arange(m), gone_fd)
    va = _matrix_dense(cells, "VA", (len(va_rows), n))
    F = np.vstack([va[:, kept], co2_row[kept] * T_PER_GG])
    f_index = pd.Index([*va_rows["item"].to_numpy(), "CO2"], name="factor")
    dropped = pd.Series({
        "row_flows": _cell_sum(cells, "T", rows=gone) + _cell_sum(cells, "FD", rows=gone),
        "column_flows": (_cell_sum(cells, "T", cols=gone, not_rows=gone)
                         + _cell_sum(cells, "FD", cols=gone_fd, not_rows=gone)),
        **{f"factor_{name}": float(total) for name, total in
           zip(f_index, np.append(va[:, gone].sum(axis=1), co2_row[gone].sum() * T_PER_GG))}}, name="dropped")
    index, fd_columns = index[kept], fd_columns[kept_fd]
    world = MRIO(Z=pd.DataFrame(_matrix_dense(cells, "T", (n, n), drop_rows=gone, drop_cols=gone), index=index,
                                columns=index, copy=False),
                 Y=pd.DataFrame(_matrix_dense(cells, "FD", (n, m), drop_rows=gone, drop_cols=gone_fd), index=index,
                                columns=fd_columns, copy=False),
                 F=pd.DataFrame(F, index=f_index, columns=index, copy=False))
    return WorldYear(mrio=world, dropped=dropped, year=int(year), co2_satellite=satellite.key, co2_rows=rows_text,
                     q_rows=len(q_rows))
