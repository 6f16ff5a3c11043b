"""Glue between warehouse tables and the MRIO library, called by the dbt Python models.

The dbt models hand over DuckDB relations (or pandas frames); this module turns them into
:class:`greentrade.mrio.MRIO` / :class:`greentrade.mrio.ProvincialIO` objects year by year,
embeds the provinces, solves the Leontief system once per year and returns tidy frames.
Years stream one at a time, so memory does not grow with the number of years.

Units: Eora26 money in thousand USD; CO2 in tonnes (Eora's satellite rows are in Gg = 1,000 t;
CEADs inventories in Mt, converted to t by ``int_emissions_by_province_sector``).

Two research settings act here (greentrade.toml ``[settings]``, dbt vars):

- ``co2_satellite``: which rows of Eora26's Q give the countries' CO2
  (:data:`greentrade.ingest.eora26_labels.CO2_SATELLITES`; default ``edgar_total``, the paper
  used ``iea_fuel_combustion``);
- ``province_co2``: ``ceads_levels`` (default, as the paper) gives every province-sector its
  CEADs Scope 1 emissions as they are; ``split_country_row`` splits China's country row over
  the provinces by their CEADs shares, so the provinces add up to Eora's China.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from greentrade import reference
from greentrade.ingest.eora26 import scatter_cells
from greentrade.ingest.eora26_labels import (DEFAULT_CO2_SATELLITE, MATRIX_AXES, Co2RowsError, co2_rows,
                                             co2_satellite, describe_rows)
from greentrade.mrio import (MRIO, EmbeddingSettings, ProvincialIO, drop_regions, embed_provinces,
                             final_demand_by_region, solve_by_destination, total_output)
from greentrade.mrio.embedding import provincial_factor
from greentrade.mrio.leontief import reciprocal_output

EORA_DISCREPANCY = "ROW"
T_PER_GG = 1_000.0
PROVINCE_CO2 = ("ceads_levels", "split_country_row")
DEFAULT_PROVINCE_CO2 = "ceads_levels"


class PipelineInputError(ValueError):
    """A warehouse table does not hold what a year's computation needs."""


def _frame(relation_or_frame) -> pd.DataFrame:
    """A pandas frame of a DuckDB relation (or the frame itself), through Arrow: strings stay
    Arrow-backed (20x faster than ``.df()`` for a CEADs table's 600,000 labelled cells)."""
    if isinstance(relation_or_frame, pd.DataFrame):
        return relation_or_frame
    return relation_or_frame.to_arrow_table().to_pandas()


def _labels(labels: pd.DataFrame, matrix: str, axis: str) -> pd.DataFrame:
    part = labels[(labels["matrix"] == matrix) & (labels["axis"] == axis)].sort_values("idx")
    if part.empty:
        raise PipelineInputError(f"Eora26 labels: no {axis} labels for matrix {matrix}")
    if not np.array_equal(part["idx"].to_numpy(), np.arange(len(part))):
        raise PipelineInputError(f"Eora26 labels: {matrix} {axis} positions are not 0..{len(part) - 1}")
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
        raise PipelineInputError(str(error)) from None


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
                     china: str | None = None) -> WorldYear:
    """The Eora26 table of ``year`` as an :class:`MRIO` with F = [six VA rows..., CO2 (t)].

    Sectors are relabelled with the codes of ``seeds/eora26_sectors.csv``; the 'ROW'
    discrepancy row / column / final-demand columns are removed (reported in ``dropped``).
    CO2 is the sum of the Q rows of ``co2_satellite_key`` (default ``edgar_total``), found by
    their two labels (name, source), in Gg, converted to tonnes. The year stops with
    PipelineInputError when labels_Q lacks those rows (naming the CO2 rows it has), when
    they are all zero, or when they are zero for the whole of ``china`` (if given).
    """
    satellite = co2_satellite(co2_satellite_key)
    labels = _frame(labels)
    labels = labels[labels["year"] == year]
    if labels.empty:
        raise PipelineInputError(f"Eora26 {year}: no rows in stg_eora26__labels (raw.eora26_labels); "
                                 "ingest that year's Eora26 files, change the year range, or set eora_last_year "
                                 "to the latest Eora26 year you have")
    row_t, col_fd = _labels(labels, "T", "row"), _labels(labels, "FD", "col")
    va_rows, q_rows = _labels(labels, "VA", "row"), _labels(labels, "Q", "row")
    n, m = len(row_t), len(col_fd)

    sector_codes = dict(zip(reference.eora26_sectors()["eora_sector_name"], reference.eora26_sectors()["eora_sector_code"]))
    discrepancy = row_t["country_code"].eq(EORA_DISCREPANCY)
    unknown = sorted(set(row_t.loc[~discrepancy, "item"]) - set(sector_codes))
    if unknown:
        raise PipelineInputError(f"Eora26 {year} labels_T: sectors not in seeds/eora26_sectors.csv: {unknown[:5]}")
    sectors = [EORA_DISCREPANCY if d else sector_codes[s] for s, d in zip(row_t["item"], discrepancy)]
    index = pd.MultiIndex.from_arrays([row_t["country_code"].to_numpy(), sectors], names=["region", "sector"])
    fd_columns = pd.MultiIndex.from_arrays([col_fd["country_code"].to_numpy(), col_fd["item"].to_numpy()],
                                           names=["region", "category"])

    try:
        chosen = co2_rows(q_rows, satellite.key)
    except Co2RowsError as error:
        raise PipelineInputError(f"Eora26 {year} labels_Q (stg_eora26__labels): {error}") from None
    rows_text = describe_rows(q_rows, chosen)
    co2_by_row = _dense(cells, "Q", (len(q_rows), n), rows=chosen)  # those rows only, not all of Q
    if not co2_by_row.any():
        raise PipelineInputError(
            f"Eora26 {year}: the rows of co2_satellite = {satellite.key} ({rows_text} of labels_Q) are all zero "
            f"in {year}; this release holds no such CO2 for {year}: choose another co2_satellite")
    co2_row = co2_by_row.sum(axis=0)
    if china is not None and not co2_row[row_t["country_code"].eq(china).to_numpy()].any():
        raise PipelineInputError(
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


def _level_codes(values, level: pd.Index) -> np.ndarray:
    """Position in ``level`` of each of ``values`` (-1 where absent). ``values`` may be an
    arrow-backed Series (DuckDB's strings): factorised without Python objects, then only
    the distinct labels are looked up."""
    codes, uniques = pd.factorize(values)
    mapped = level.get_indexer(pd.Index(np.asarray(uniques, dtype=object), dtype=object))
    return np.where(codes >= 0, mapped[np.maximum(codes, 0)] if len(mapped) else -1, -1)


def _positions(labels: pd.MultiIndex, first, second, what: str) -> np.ndarray:
    """Position of each (first, second) pair in the two-level ``labels`` (unique); an unknown
    pair is an error. Vectorised: each level is looked up by hash, then a small
    level-by-level table gives the position."""
    level0, level1 = labels.levels
    c0, c1 = _level_codes(first, level0), _level_codes(second, level1)
    table = np.full((len(level0), len(level1)), -1, dtype=np.int64)
    table[labels.codes[0], labels.codes[1]] = np.arange(len(labels))
    found = (c0 >= 0) & (c1 >= 0)
    positions = np.where(found, table[np.maximum(c0, 0), np.maximum(c1, 0)], -1)
    if (positions < 0).any():
        i = int(np.flatnonzero(positions < 0)[0])
        pick = (lambda x: x.iloc[i] if hasattr(x, "iloc") else x[i])  # noqa: E731
        raise PipelineInputError(f"{what}: unexpected label {(pick(first), pick(second))!r}")
    return positions


def _scatter(shape, rows, cols, values) -> np.ndarray:
    out = np.zeros(shape, dtype=np.float64)
    np.add.at(out, (rows, cols), values)
    return out


NEGATIVE_FLOW_TOLERANCE = 1e-6  # a negative Z entry beyond this share of its column's input total is an error


def _require_panel_provinces(present: set, what: str, source: str) -> None:
    """Every panel province must be in ``present``: a missing one would silently become zeros."""
    panel = reference.provinces().query("in_panel")["province_code"]
    missing = [p for p in panel if p not in present]
    if missing and not present:
        raise PipelineInputError(f"{what}: no rows at all; load that year (greentrade ingest {source})")
    if missing:
        raise PipelineInputError(f"{what}: no rows for panel provinces {missing}")


def _require_negligible_negatives(Z: np.ndarray, index: pd.MultiIndex, table_year: int) -> None:
    """Intermediate flows are purchases, so >= 0; rounding may leave tiny negatives, nothing more."""
    scale = np.abs(Z).sum(axis=0)
    bad = Z < -NEGATIVE_FLOW_TOLERANCE * np.where(scale > 0, scale, 1.0)[np.newaxis, :]
    if bad.any():
        i, j = np.unravel_index(np.argmin(np.where(bad, Z, 0.0)), Z.shape)
        raise PipelineInputError(
            f"CEADs IO {table_year}: {int(bad.sum())} negative intermediate flows beyond "
            f"{NEGATIVE_FLOW_TOLERANCE:g} of their column total; the worst is Z[{index[i]}, {index[j]}] = "
            f"{Z[i, j]:.6g} (10k CNY)")


def provincial_from_cells(io_cells, emissions, table_year: int, emission_year: int,
                          sectors: list[str]) -> ProvincialIO:
    """The CEADs IO table of ``table_year`` (sectors already mapped to Eora26 codes) and the
    provincial CO2 of ``emission_year`` as a :class:`ProvincialIO` over all ``sectors``
    (:func:`provincial_table` with its F row from :func:`provincial_co2`)."""
    table = provincial_table(io_cells, table_year, sectors)
    return with_co2(table, provincial_co2(emissions, emission_year, table.Z.index))


def with_co2(table: ProvincialIO, co2_t: np.ndarray) -> ProvincialIO:
    """``table`` with F = one 'CO2' row (tonnes, over Z's (province, sector) rows)."""
    F = pd.DataFrame(np.asarray(co2_t, dtype=np.float64)[np.newaxis, :], index=pd.Index(["CO2"], name="factor"),
                     columns=table.Z.index)
    return replace(table, F=F)


def provincial_co2(emissions, year: int, index: pd.MultiIndex) -> np.ndarray:
    """The provinces' CO2 of ``year`` (tonnes) over ``index`` (province, Eora26 sector), from
    ``int_emissions_by_province_sector`` (CEADs Scope 1 sectoral emissions through the
    concordance, households left out). Provinces without an inventory (Tibet) get zero; a
    missing panel province is an error."""
    co2 = _frame(emissions)
    co2 = co2[co2["year"] == year]
    _require_panel_provinces(set(co2["province_code"]),
                             f"CEADs emissions {year} (int_emissions_by_province_sector)", "ceads_emissions")
    co2 = co2.groupby(["province_code", "eora_sector_code"])["co2_t"].sum()
    return co2.reindex(index, fill_value=0.0).to_numpy(dtype=np.float64)


def provincial_table(io_cells, table_year: int, sectors: list[str]) -> ProvincialIO:
    """The CEADs IO table of ``table_year`` (sectors already mapped to Eora26 codes) as a
    :class:`ProvincialIO` over all ``sectors``, with no factor rows (add CO2 with
    :func:`with_co2`).

    Sectors without a CEADs counterpart (Eora's Private Households, Others, Re-export) get
    zero rows and columns. Final-use columns are renamed to Eora's categories
    (seeds/concordance_ceads_final_use_to_eora26.csv) and summed where two map to one (rural
    + urban households).
    """
    cells = _frame(io_cells)
    cells = cells[cells["table_year"] == table_year]
    if cells.empty:
        raise PipelineInputError(f"no CEADs IO table for {table_year} in the warehouse")
    final_use = dict(zip(reference.seed("concordance_ceads_final_use_to_eora26")["ceads_final_use"],
                         reference.seed("concordance_ceads_final_use_to_eora26")["eora_fd_category"]))
    # label columns stay pandas Series (arrow-backed from DuckDB): compared and factorised
    # without converting a million strings to Python objects
    row_kind, col_kind = cells["row_kind"], cells["col_kind"]
    row_p, row_i = cells["row_province_code"], cells["row_item"]
    col_p, col_i = cells["col_province_code"], cells["col_item"]
    value = cells["value_10k_cny"].to_numpy(dtype=np.float64)

    def kind_is(column, kind):
        return (column == kind).to_numpy(dtype=bool)

    inter = kind_is(row_kind, "intermediate")
    present = set(row_p[inter].unique())
    _require_panel_provinces(present, f"CEADs IO {table_year} (stg_ceads__io_table_cells)", "ceads_io")
    provinces = [p for p in reference.provinces()["province_code"] if p in present]
    index = pd.MultiIndex.from_product([provinces, sectors], names=["province", "sector"])
    is_fu = kind_is(col_kind, "final_use")
    unknown = sorted(set(col_i[is_fu].unique()) - set(final_use))
    if unknown:
        raise PipelineInputError(f"CEADs IO {table_year}: final-use columns not in "
                                 f"seeds/concordance_ceads_final_use_to_eora26.csv: {unknown}")
    categories = list(dict.fromkeys(final_use.values()))
    y_cols = pd.MultiIndex.from_product([provinces, categories], names=["province", "category"])
    n = len(index)

    def part(mask):
        return mask.nonzero()[0]

    col_inter = kind_is(col_kind, "intermediate")
    z = part(inter & col_inter)
    Z = _scatter((n, n), _positions(index, row_p.iloc[z], row_i.iloc[z], "IO rows"),
                 _positions(index, col_p.iloc[z], col_i.iloc[z], "IO columns"), value[z])
    y = part(inter & is_fu)
    y_cat = col_i.iloc[y].map(final_use)
    Y = _scatter((n, len(y_cols)), _positions(index, row_p.iloc[y], row_i.iloc[y], "IO rows"),
                 _positions(y_cols, col_p.iloc[y], y_cat, "final-use columns"), value[y])

    def row_vector(kind):
        k = part(inter & kind_is(col_kind, kind))
        return pd.Series(_scatter((n, 1), _positions(index, row_p.iloc[k], row_i.iloc[k], "IO rows"),
                                  np.zeros(len(k), dtype=np.int64), value[k])[:, 0], index=index)

    imports = kind_is(row_kind, "import")
    k = part(imports & col_inter)
    imports_intermediate = pd.Series(_scatter((1, n), np.zeros(len(k), dtype=np.int64),
                                              _positions(index, col_p.iloc[k], col_i.iloc[k], "import row"),
                                              value[k])[0], index=index)
    k = part(imports & is_fu)
    k_cat = col_i.iloc[k].map(final_use)
    imports_final = pd.Series(_scatter((1, len(y_cols)), np.zeros(len(k), dtype=np.int64),
                                       _positions(y_cols, col_p.iloc[k], k_cat, "import row"), value[k])[0], index=y_cols)
    k = part(kind_is(row_kind, "value_added") & col_inter)
    va_items = row_i.iloc[k].to_numpy(dtype=object)
    components = sorted(set(va_items))
    VA = _scatter((len(components), n), np.searchsorted(np.array(components, dtype=object), va_items),
                  _positions(index, col_p.iloc[k], col_i.iloc[k], "value-added rows"), value[k])

    _require_negligible_negatives(Z, index, table_year)
    F = pd.DataFrame(np.zeros((0, n)), index=pd.Index([], name="factor"), columns=index)

    return ProvincialIO(Z=pd.DataFrame(Z, index=index, columns=index), Y=pd.DataFrame(Y, index=index, columns=y_cols),
                        exports=row_vector("export"), imports_intermediate=imports_intermediate,
                        imports_final=imports_final, VA=pd.DataFrame(VA, index=pd.Index(components), columns=index),
                        output=row_vector("total_output"), F=F)


def embedding_settings(va_rows, province_co2: str = DEFAULT_PROVINCE_CO2) -> EmbeddingSettings:
    """The embedding's settings for the ``province_co2`` research setting.

    ``ceads_levels``: the provinces' CO2 row is the provincial table's own CO2 (CEADs Scope 1
    sectoral emissions through the concordance, t), not a split of China's row, so the
    provinces need not add up to Eora's China; ``split_country_row``: China's CO2 row split
    by the provinces' CEADs shares (they add up to China)."""
    if province_co2 not in PROVINCE_CO2:
        raise PipelineInputError(f"province_co2: expected one of {', '.join(PROVINCE_CO2)}, found {province_co2!r}")
    return EmbeddingSettings(va_rows=tuple(va_rows),
                             factor_levels=("CO2",) if province_co2 == "ceads_levels" else ())


def _where(relation_or_frame, column: str, value: int):
    if isinstance(relation_or_frame, pd.DataFrame):
        return relation_or_frame[relation_or_frame[column] == value]
    return relation_or_frame.filter(f"{column} = {int(value)}")


def panel_years(year_substitution: pd.DataFrame, first_year: int, last_year: int) -> list[int]:
    """The panel years from ``first_year`` to ``last_year``; each must be in the year-substitution seed."""
    known = set(year_substitution["year"].astype(int))
    years = list(range(first_year, last_year + 1))
    missing = [y for y in years if y not in known]
    if missing:
        raise PipelineInputError(f"seeds/year_substitution.csv has no row for years {missing}")
    return years


CEADS_IO_TIE_RULES = ("paper", "earlier", "later")


def resolve_year_substitution(year_substitution, tie_rule: str, eora_last_year: int | None = None) -> pd.DataFrame:
    """The source tables serving each panel year: ``seeds/year_substitution.csv`` with the
    tie rule applied to the years equidistant from two CEADs IO tables.

    Parameters
    ----------
    year_substitution : the seed (relation or frame): year, eora_year, ceads_io_year,
        ceads_io_sectors and, for a tie year, tie_ceads_io_year / tie_ceads_io_sectors (the
        other table as near as ceads_io_year).
    tie_rule : 'paper' keeps ceads_io_year, which the seed sets as the paper's Table A1
        shows (2011 from the 2012 table, 2016 from the 2015 table); 'earlier' / 'later' take
        the earlier / later table of the two for every tie.
    eora_last_year : the latest Eora26 year the user has (the free Eora26 release ends in
        2016): a later panel year is served by it, as a missing CEADs year is served by the
        nearest table (Zhao 2011); None keeps the seed's eora_year.

    Returns
    -------
    One row per year: year, eora_year, ceads_io_year, ceads_io_sectors, is_tie,
    ceads_io_tie_rule (integers for the years and the sector count).
    """
    if tie_rule not in CEADS_IO_TIE_RULES:
        raise ValueError(f"ceads_io_tie_rule: expected {', '.join(CEADS_IO_TIE_RULES[:-1])} or "
                         f"{CEADS_IO_TIE_RULES[-1]}, found {tie_rule!r}")
    frame = _frame(year_substitution)
    numbers = {c: pd.to_numeric(frame[c].replace("", None), errors="coerce") if c in frame.columns
               else pd.Series(np.nan, index=frame.index)
               for c in ("year", "eora_year", "ceads_io_year", "ceads_io_sectors", "tie_ceads_io_year",
                         "tie_ceads_io_sectors")}
    eora = numbers["eora_year"]
    if eora_last_year is not None:
        eora = eora.clip(upper=int(eora_last_year))
    tie, own = numbers["tie_ceads_io_year"], numbers["ceads_io_year"]
    takes_tie = tie.notna() & ((tie < own) if tie_rule == "earlier" else (tie > own) if tie_rule == "later"
                               else pd.Series(False, index=frame.index))
    return pd.DataFrame({
        "year": numbers["year"].astype("int64"),
        "eora_year": eora.astype("int64"),
        "ceads_io_year": own.where(~takes_tie, tie).astype("int64"),
        "ceads_io_sectors": numbers["ceads_io_sectors"].fillna(42).where(~takes_tie, numbers["tie_ceads_io_sectors"]).astype("int64"),
        "is_tie": tie.notna().to_numpy(),
        "ceads_io_tie_rule": tie_rule,
    }).sort_values("year", ignore_index=True)


MANUFACTURING_SCOPES = ("producing_sector", "final_product", "both", "all")


def final_products_for_scope(manufacturing_scope: str) -> str:
    """Which final demand a build traces: 'manufacturing' (final demand for manufactured
    products only) for the scopes final_product and both, else 'all'. Only those right-hand
    sides are solved; the producing-sector restriction is applied in SQL
    (fct_bilateral_trade_accounts)."""
    if manufacturing_scope not in MANUFACTURING_SCOPES:
        raise PipelineInputError(f"manufacturing_scope: expected one of {', '.join(MANUFACTURING_SCOPES)}, "
                                 f"found {manufacturing_scope!r}")
    return "manufacturing" if manufacturing_scope in ("final_product", "both") else "all"


@dataclass(frozen=True)
class SourceGroup:
    """Panel years served by the same Eora26 year and CEADs IO table: one embedding, one LU."""

    eora_year: int
    ceads_io_year: int
    ceads_io_sectors: int
    years: tuple[int, ...]


def source_groups(tables_by_year, years: Iterable[int]) -> list[SourceGroup]:
    """Group ``years`` by the (Eora26 year, CEADs IO table) that serve them
    (``int_source_tables_by_year``), in the order of their first year."""
    tables = _frame(tables_by_year).set_index("year")
    missing = [y for y in years if y not in tables.index]
    if missing:
        raise PipelineInputError(f"seeds/year_substitution.csv has no row for years {missing}")
    groups: dict[tuple[int, int, int], list[int]] = {}
    for year in years:
        row = tables.loc[year]
        sectors = int(row["ceads_io_sectors"]) if "ceads_io_sectors" in tables.columns else 42
        groups.setdefault((int(row["eora_year"]), int(row["ceads_io_year"]), sectors), []).append(int(year))
    return [SourceGroup(e, c, n, tuple(ys)) for (e, c, n), ys in groups.items()]


@dataclass(frozen=True)
class WarehouseSources:
    """The refs the MRIO model reads (DuckDB relations in dbt, or pandas frames in tests)."""

    eora_cells: object
    eora_labels: object
    io_cells: object
    emissions: object

    def world(self, eora_year: int, co2_satellite_key: str | None, china: str | None) -> WorldYear:
        return world_from_cells(_where(self.eora_cells, "year", eora_year), _where(self.eora_labels, "year", eora_year),
                                eora_year, co2_satellite_key, china)

    def provincial(self, group: SourceGroup, sectors: list[str]) -> ProvincialIO:
        cells = _frame(_where(_where(self.io_cells, "table_year", group.ceads_io_year), "n_sectors",
                              group.ceads_io_sectors))
        if cells.empty:
            raise PipelineInputError(
                f"{list(group.years)}: no {group.ceads_io_sectors}-sector CEADs IO table of {group.ceads_io_year} in "
                f"the warehouse, which seeds/year_substitution.csv (with ceads_io_tie_rule) names for them; load it "
                f"(greentrade ingest ceads_io) or change the seed")
        return provincial_table(cells, group.ceads_io_year, sectors)

    def co2(self, year: int, index: pd.MultiIndex) -> np.ndarray:
        return provincial_co2(_where(self.emissions, "year", year), year, index)


@dataclass(frozen=True)
class GroupResult:
    """What one embedding and solve gives every panel year of its group (Arrow tables)."""

    embodied: list       # one table per year: factors embodied by destination
    totals: list         # one table per year: region-sector totals
    seconds: dict        # step -> wall seconds (read-back, embedding, solve, accounts)
    gras_sweeps: int = 0
    gras_sweep_seconds: float = 0.0  # mean wall time of one GRAS sweep


def _labels_array(codes: np.ndarray, labels) -> "pa.DictionaryArray":
    import pyarrow as pa
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), pa.array(list(labels), type=pa.string()))


def embed_and_account(group: SourceGroup, sources: WarehouseSources, table: ProvincialIO, *, china: str,
                      co2_satellite_key: str | None, province_co2: str, final_products: str,
                      manufacturing: Iterable[str]) -> GroupResult:
    """Embed the provinces into the group's world table once, solve ``X = L Y_d`` once for
    the destinations' final demand (all of it, or for manufactured products only, as
    ``final_products`` says), and give every panel year of the group its accounts: VA and
    CO2 generated in each origin region-sector and embodied in each destination's final
    demand (origin or destination a province), and the region-sector totals.

    Only the provinces' CO2 differs between the group's years (each year's CEADs
    inventory): VA, the embedded table and X are shared. ``table`` is the group's CEADs IO
    table (:meth:`WarehouseSources.provincial`). Units: thousand USD, tonnes.
    """
    import time

    import pyarrow as pa

    clock = time.perf_counter()
    seconds = {}
    world = sources.world(group.eora_year, co2_satellite_key, china)
    first_co2 = sources.co2(group.years[0], table.Z.index)
    seconds["read-back"] = time.perf_counter() - clock

    clock = time.perf_counter()
    va_rows = [f for f in world.mrio.F.index if f != "CO2"]
    settings = embedding_settings(va_rows, province_co2)
    result = embed_provinces(world.mrio, with_co2(table, first_co2), china=china, settings=settings)
    embedded = result.mrio
    index = embedded.Z.index
    region_codes, region_labels = index.codes[0], index.levels[0]
    sector_codes, sector_labels = index.codes[1], index.levels[1]
    is_province = np.asarray(index.get_level_values(0).isin(list(table.provinces)))
    province_rows = np.flatnonzero(is_province)
    F = embedded.F
    va = F.loc[va_rows].to_numpy().sum(axis=0)
    co2 = F.loc["CO2"].to_numpy().copy()
    Z = embedded.Z.to_numpy()
    x = total_output(Z, embedded.Y.to_numpy())
    inputs = Z.sum(axis=0)
    y_d = final_demand_by_region(embedded.Y)
    destinations = pd.Index(y_d.columns)
    rhs = y_d.to_numpy()
    if final_products == "manufacturing":
        rhs = rhs * np.asarray(index.get_level_values(1).isin(list(manufacturing)))[:, np.newaxis]
    china_co2 = world.mrio.F.loc["CO2"].to_numpy()[np.asarray(world.mrio.Z.index.get_level_values(0) == china)]
    gras = (result.gras_iterations, result.gras_residual, result.output_shares)
    sweep_seconds = float(np.mean(result.gras_sweep_seconds)) if result.gras_sweep_seconds else 0.0
    row_discrepancy = float(world.dropped.get("row_flows", 0.0))
    co2_rows_text, q_rows = world.co2_rows, world.q_rows
    del world, result, y_d
    seconds["embedding"] = time.perf_counter() - clock

    clock = time.perf_counter()
    Zf = np.asfortranarray(Z)
    del embedded, Z
    X = solve_by_destination(Zf, x, rhs, overwrite_z=True)    # n x destinations; Zf is destroyed
    del Zf, rhs
    seconds["solve"] = time.perf_counter() - clock

    clock = time.perf_counter()
    inv_x = reciprocal_output(x)
    dest_is_province = np.asarray(destinations.isin(list(table.provinces)))
    rows, cols = np.nonzero(is_province[:, np.newaxis] | dest_is_province[np.newaxis, :])
    absorbed = X[rows, cols]
    dest_codes, dest_labels = pd.factorize(destinations.to_numpy())
    origin_region = _labels_array(region_codes[rows], region_labels)
    origin_sector = _labels_array(sector_codes[rows], sector_labels)
    destination = _labels_array(dest_codes[cols], dest_labels)
    va_embodied = (va * inv_x)[rows] * absorbed
    region_all = _labels_array(region_codes, region_labels)
    sector_all = _labels_array(sector_codes, sector_labels)
    embodied, totals = [], []
    for k, year in enumerate(group.years):
        ceads = first_co2 if k == 0 else sources.co2(year, table.Z.index)
        country_row = provincial_factor(china_co2, ceads, gras[2]).ravel()
        co2[province_rows] = ceads if province_co2 == "ceads_levels" else country_row
        embodied.append(pa.table({
            "year": pa.array(np.full(len(rows), year, dtype=np.int32)),
            "origin_region": origin_region, "origin_sector": origin_sector, "destination_region": destination,
            "va_thousand_usd": pa.array(va_embodied), "co2_t": pa.array((co2 * inv_x)[rows] * absorbed)}))
        co2_country_row = co2.copy()
        co2_country_row[province_rows] = country_row
        co2_ceads = np.full(len(co2), np.nan)
        co2_ceads[province_rows] = ceads
        totals.append(pa.table({
            "year": pa.array(np.full(len(x), year, dtype=np.int32)),
            "region": region_all, "sector": sector_all, "is_province": pa.array(is_province),
            "gross_output_thousand_usd": pa.array(x), "intermediate_inputs_thousand_usd": pa.array(inputs),
            "va_thousand_usd": pa.array(va), "co2_t": pa.array(co2.copy()),
            "co2_country_row_t": pa.array(co2_country_row),
            "co2_ceads_t": pa.array(co2_ceads, mask=np.isnan(co2_ceads)),
            "gras_iterations": pa.array(np.full(len(x), gras[0], dtype=np.int32)),
            "gras_residual": pa.array(np.full(len(x), gras[1])),
            "row_discrepancy_output_thousand_usd": pa.array(np.full(len(x), row_discrepancy)),
            "co2_rows": _labels_array(np.zeros(len(x), dtype=np.int32), [co2_rows_text]),
            "labels_q_rows": pa.array(np.full(len(x), q_rows, dtype=np.int32)),
        }))
    seconds["accounts"] = time.perf_counter() - clock
    return GroupResult(embodied=embodied, totals=totals, seconds=seconds, gras_sweeps=gras[0],
                       gras_sweep_seconds=sweep_seconds)


def embedded_mrio(con, tables_by_year, sources: WarehouseSources, *, first_year: int, last_year: int, china: str,
                  co2_satellite_key: str | None, province_co2: str, manufacturing_scope: str,
                  progress=None):
    """The owner of the MRIO computation: every panel year's embedded table, solved once per
    distinct (Eora26 year, CEADs IO table), as one DuckDB relation on ``con`` with a
    ``record_kind`` column:

    - 'embodied': year, origin_region, origin_sector, destination_region, va_thousand_usd,
      co2_t: VA and CO2 generated in the origin and embodied in the destination's final
      demand (``final_products``: 'all', or 'manufacturing' for the scopes final_product and
      both); rows where the origin or the destination is a province;
    - 'region_sector': year, region, sector, is_province, gross output, intermediate inputs,
      value added, CO2 (and China's country row split over the provinces, and CEADs' own
      levels), the GRAS diagnostics, the ROW discrepancy set aside and the CO2 rows read.

    int_embodied_factors_by_destination, int_embedded_mrio_totals and
    int_source_totals_by_year select from it. ``progress(message, steps=k)`` is called after
    each group (default: a bar over the panel years, with an ETA).
    """
    import time

    import pyarrow as pa

    from greentrade.progress import ProgressBar

    embedding_settings((), province_co2)  # the setting is checked before any work
    final_products = final_products_for_scope(manufacturing_scope)
    years = panel_years(_frame(tables_by_year), int(first_year), int(last_year))
    groups = source_groups(tables_by_year, years)
    own_bar = progress is None
    if own_bar:
        progress = ProgressBar(total=len(years), desc="embed and solve", unit="year")
    sectors = reference.eora26_sectors()["eora_sector_code"].tolist()
    manufacturing = reference.eora26_sectors().query("is_manufacturing")["eora_sector_code"].tolist()
    embodied, totals = [], []
    tables: dict[tuple[int, int], ProvincialIO] = {}  # each CEADs IO table is read once
    for group in groups:
        key = (group.ceads_io_year, group.ceads_io_sectors)
        clock = time.perf_counter()
        if key not in tables:
            tables[key] = sources.provincial(group, sectors)
        table_seconds = time.perf_counter() - clock
        result = embed_and_account(group, sources, tables[key], china=china, co2_satellite_key=co2_satellite_key,
                                   province_co2=province_co2, final_products=final_products,
                                   manufacturing=manufacturing)
        embodied += result.embodied
        totals += result.totals
        result.seconds["read-back"] += table_seconds
        progress(f"{'/'.join(map(str, group.years))} (Eora26 {group.eora_year}, CEADs {group.ceads_io_year}): "
                 + ", ".join(f"{k} {v:.2f}s" for k, v in result.seconds.items())
                 + f"; GRAS {result.gras_sweeps} sweeps of {1e3 * result.gras_sweep_seconds:.1f} ms",
                 steps=len(group.years))
    if own_bar:
        progress.close()
    embodied_rel = con.from_arrow(pa.concat_tables(embodied))
    totals_rel = con.from_arrow(pa.concat_tables(totals))
    common = ("year", "va_thousand_usd", "co2_t")
    totals_cols = [c for c in totals[0].column_names if c not in common and c not in ("region", "sector")]
    types = {f.name: str(f.type) for f in totals[0].schema}
    sql_type = {"double": "DOUBLE", "int32": "INTEGER", "bool": "BOOLEAN"}

    def null(column):
        return f"cast(null as {sql_type.get(types[column], 'VARCHAR')}) as {column}"

    select_embodied = ", ".join(["'embodied' as record_kind", "year", "origin_region::varchar as region",
                                 "origin_sector::varchar as sector", "destination_region::varchar as destination_region",
                                 f"'{final_products}' as final_products", "va_thousand_usd", "co2_t",
                                 *[null(c) for c in totals_cols]])
    select_totals = ", ".join(["'region_sector' as record_kind", "year", "region::varchar as region",
                               "sector::varchar as sector", "cast(null as varchar) as destination_region",
                               f"'{final_products}' as final_products", "va_thousand_usd", "co2_t",
                               *[f"{c}::varchar as {c}" if types[c].startswith("dictionary") else c for c in totals_cols]])
    return embodied_rel.select(select_embodied).union(totals_rel.select(select_totals))
