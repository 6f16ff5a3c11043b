"""Eora26 years read back from the warehouse into an :class:`greentrade.mrio.MRIO`.

The ingest stores Eora26's matrices as cells (``raw.eora26_cells``, exposed by the dbt
view ``stg_eora26__cells``) and its label files as ``raw.eora26_labels``
(``stg_eora26__labels``). :func:`world_from_cells` turns one year of them (DuckDB relations,
as dbt hands them to a Python model, or pandas frames) into the world table the embedding
needs: Z, Y and F = [the value-added rows..., CO2], Eora's ROW discrepancy entry set aside.

Units: thousand USD (Eora26's basic prices); CO2 in tonnes (Eora's satellite rows are in
Gg = 1,000 t).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greentrade.ingest.eora26 import scatter_cells
from greentrade.ingest.eora26_labels import (DEFAULT_CO2_SATELLITE, MATRIX_AXES, Co2RowsError, co2_rows,
                                             co2_satellite, describe_rows)
from greentrade.mrio import MRIO
from greentrade.mrio.errors import InputTableError
from greentrade.mrio.table import as_frame

EORA_DISCREPANCY = "ROW"  # Eora's discrepancy 'country' (one row, one column, its final demand)
T_PER_GG = 1_000.0


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


def _dense(cells, matrix: str, shape: tuple[int, int], rows=None, drop_rows=(), drop_cols=()) -> np.ndarray:
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
    """The Eora26 table of ``year`` as an :class:`MRIO` with F = [six VA rows..., CO2 (t)].

    Sectors are relabelled with the codes of the seed ``eora26_sectors`` (``sectors``: its
    ``dbt.ref`` in a dbt model; default: seeds/eora26_sectors.csv); the 'ROW'
    discrepancy row / column / final-demand columns are removed (reported in ``dropped``).
    CO2 is the sum of the Q rows of ``co2_satellite_key`` (default ``edgar_total``), found by
    their two labels (name, source), in Gg, converted to tonnes. The year stops with
    InputTableError when labels_Q lacks those rows (naming the CO2 rows it has), when
    they are all zero, or when they are zero for the whole of ``china`` (if given).
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
    co2_by_row = _dense(cells, "Q", (len(q_rows), n), rows=chosen)  # those rows only, not all of Q
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
    va = _dense(cells, "VA", (len(va_rows), n))
    F = np.vstack([va[:, kept], co2_row[kept] * T_PER_GG])
    f_index = pd.Index([*va_rows["item"].to_numpy(), "CO2"], name="factor")
    dropped = pd.Series({
        "row_flows": _cell_sum(cells, "T", rows=gone) + _cell_sum(cells, "FD", rows=gone),
        "column_flows": (_cell_sum(cells, "T", cols=gone, not_rows=gone)
                         + _cell_sum(cells, "FD", cols=gone_fd, not_rows=gone)),
        **{f"factor_{name}": float(total) for name, total in
           zip(f_index, np.append(va[:, gone].sum(axis=1), co2_row[gone].sum() * T_PER_GG))}}, name="dropped")
    index, fd_columns = index[kept], fd_columns[kept_fd]
    world = MRIO(Z=pd.DataFrame(_dense(cells, "T", (n, n), drop_rows=gone, drop_cols=gone), index=index,
                                columns=index, copy=False),
                 Y=pd.DataFrame(_dense(cells, "FD", (n, m), drop_rows=gone, drop_cols=gone_fd), index=index,
                                columns=fd_columns, copy=False),
                 F=pd.DataFrame(F, index=f_index, columns=index, copy=False))
    return WorldYear(mrio=world, dropped=dropped, year=int(year), co2_satellite=satellite.key, co2_rows=rows_text,
                     q_rows=len(q_rows))
