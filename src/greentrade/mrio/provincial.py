"""China's multi-regional IO table (CEADs) as a :class:`ProvincialIO`, built from the
warehouse's long cells (``int_ceads_io_cells_mapped_to_eora26``: one row per non-zero cell,
sectors already mapped to Eora26 codes), and its CO2 row.

Units: money in 10,000 CNY as CEADs publishes it (the embedding rescales to the world
table's thousand USD); CO2 in tonnes.

The reference lists come in as frames: in dbt, ``dbt.ref`` of the seeds ``provinces`` and
``concordance_ceads_final_use_to_eora26``; elsewhere, e.g. ``greentrade.reference.seed("provinces")``.
No I/O happens here.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from greentrade.mrio.errors import InputTableError
from greentrade.mrio.table import ProvincialIO, as_frame

NEGATIVE_FLOW_TOLERANCE = 1e-6  # a negative Z entry beyond this share of its column's input total is an error


def _flag(series: pd.Series) -> pd.Series:
    """A seed's boolean column as dbt loads it (boolean) or as the CSV holds it ('true')."""
    if series.dtype == bool or str(series.dtype) in ("boolean", "bool[pyarrow]"):
        return series.fillna(False).astype(bool)
    return series.astype(str).str.lower().eq("true")


def province_list(provinces) -> pd.DataFrame:
    """The provinces seed in its sort order, with a boolean ``in_panel``.

    Parameters
    ----------
    provinces : DataFrame or DuckDB relation
        The seed ``provinces`` (``dbt.ref('provinces')``, or seeds/provinces.csv read as
        strings): ``province_code``, ``in_panel`` and optionally ``sort_order``.

    Returns
    -------
    DataFrame
        One row per provincial unit (31), ``in_panel`` boolean.
    """
    frame = as_frame(provinces).copy()
    frame["in_panel"] = _flag(frame["in_panel"])
    if "sort_order" in frame:
        frame = frame.assign(_order=frame["sort_order"].astype(int)).sort_values("_order").drop(columns="_order")
    return frame.reset_index(drop=True)


def final_use_categories(concordance) -> dict[str, str]:
    """CEADs final-use columns mapped to Eora26 final-demand categories.

    Parameters
    ----------
    concordance : DataFrame or DuckDB relation
        The seed ``concordance_ceads_final_use_to_eora26`` (its ``dbt.ref``, or the CSV):
        ``ceads_final_use``, ``eora_fd_category``.

    Returns
    -------
    dict of str to str
        CEADs final-use column name (as published, Chinese) -> Eora26 category.
    """
    frame = as_frame(concordance)
    return dict(zip(frame["ceads_final_use"], frame["eora_fd_category"]))


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
        raise InputTableError(f"{what}: unexpected label {(pick(first), pick(second))!r}")
    return positions


def _scatter(shape, rows, cols, values) -> np.ndarray:
    out = np.zeros(shape, dtype=np.float64)
    np.add.at(out, (rows, cols), values)
    return out


NEGATIVE_FLOW_TOLERANCE = 1e-6  # a negative Z entry beyond this share of its column's input total is an error


def require_panel_provinces(present: set, what: str, source: str, provinces) -> None:
    """Stop unless every panel province is present: a missing one would silently become zeros.

    Parameters
    ----------
    present : set of str
        Province codes found in a table.
    what : str
        The table and year, for the message (e.g. ``"CEADs IO 2012 (stg_ceads__io_table_cells)"``).
    source : str
        The ingest source that loads it (the message says ``greentrade ingest <source>``).
    provinces : DataFrame or DuckDB relation
        The provinces seed (see :func:`province_list`).

    Raises
    ------
    InputTableError
        Naming the missing panel provinces, or the load command when the table is empty.
    """
    panel = province_list(provinces).query("in_panel")["province_code"]
    missing = [p for p in panel if p not in present]
    if missing and not present:
        raise InputTableError(f"{what}: no rows at all; load that year (greentrade ingest {source})")
    if missing:
        raise InputTableError(f"{what}: no rows for panel provinces {missing}")


def _require_negligible_negatives(Z: np.ndarray, index: pd.MultiIndex, table_year: int) -> None:
    """Intermediate flows are purchases, so >= 0; rounding may leave tiny negatives, nothing more."""
    scale = np.abs(Z).sum(axis=0)
    bad = Z < -NEGATIVE_FLOW_TOLERANCE * np.where(scale > 0, scale, 1.0)[np.newaxis, :]
    if bad.any():
        i, j = np.unravel_index(np.argmin(np.where(bad, Z, 0.0)), Z.shape)
        raise InputTableError(
            f"CEADs IO {table_year}: {int(bad.sum())} negative intermediate flows beyond "
            f"{NEGATIVE_FLOW_TOLERANCE:g} of their column total; the worst is Z[{index[i]}, {index[j]}] = "
            f"{Z[i, j]:.6g} (10k CNY)")


def provincial_from_cells(io_cells, emissions, table_year: int, emission_year: int,
                          sectors: list[str], *, provinces, final_use) -> ProvincialIO:
    """The CEADs IO table of one year with the provinces' CO2 of another as its F row.

    :func:`provincial_table` with :func:`with_co2` of :func:`provincial_co2`.

    Parameters
    ----------
    io_cells, emissions : DataFrame or DuckDB relation
        As for :func:`provincial_table` and :func:`provincial_co2`.
    table_year, emission_year : int
        The CEADs IO table's year; the emission inventory's year.
    sectors : list of str
        Eora26 sector codes, in order.
    provinces, final_use : DataFrame or DuckDB relation
        The seeds ``provinces`` and ``concordance_ceads_final_use_to_eora26``.

    Returns
    -------
    ProvincialIO
        Money in 10,000 CNY; F = one 'CO2' row in t.
    """
    table = provincial_table(io_cells, table_year, sectors, provinces=provinces, final_use=final_use)
    return with_co2(table, provincial_co2(emissions, emission_year, table.Z.index, provinces=provinces))


def with_co2(table: ProvincialIO, co2_t: np.ndarray) -> ProvincialIO:
    """``table`` with its factor rows replaced by one 'CO2' row.

    Parameters
    ----------
    table : ProvincialIO
    co2_t : array of float, shape (n,)
        CO2 in t over ``table.Z``'s (province, sector) rows, in their order.

    Returns
    -------
    ProvincialIO
        A copy with ``F`` = 1 x n, index ``['CO2']``.
    """
    F = pd.DataFrame(np.asarray(co2_t, dtype=np.float64)[np.newaxis, :], index=pd.Index(["CO2"], name="factor"),
                     columns=table.Z.index)
    return replace(table, F=F)


def provincial_co2(emissions, year: int, index: pd.MultiIndex, *, provinces) -> np.ndarray:
    """The provinces' CO2 of ``year`` over ``index``.

    CEADs Scope 1 sectoral emissions through the concordance, households left out
    (``int_emissions_by_province_sector``; Mt converted to t in SQL). Provinces without an
    inventory (Tibet) get zero.

    Parameters
    ----------
    emissions : DataFrame or DuckDB relation
        ``year, province_code, eora_sector_code, co2_t`` (t).
    year : int
    index : MultiIndex
        (province, Eora26 sector) rows to return, in order.
    provinces : DataFrame or DuckDB relation
        The provinces seed (the panel provinces must all be present).

    Returns
    -------
    ndarray of float, shape (len(index),)
        CO2 in t.

    Raises
    ------
    InputTableError
        When a panel province has no rows in ``year``.
    """
    co2 = as_frame(emissions)
    co2 = co2[co2["year"] == year]
    require_panel_provinces(set(co2["province_code"]),
                             f"CEADs emissions {year} (int_emissions_by_province_sector)", "ceads_emissions", provinces)
    co2 = co2.groupby(["province_code", "eora_sector_code"])["co2_t"].sum()
    return co2.reindex(index, fill_value=0.0).to_numpy(dtype=np.float64)


def provincial_table(io_cells, table_year: int, sectors: list[str], *, provinces, final_use) -> ProvincialIO:
    """The CEADs IO table of ``table_year`` as a :class:`ProvincialIO` over all ``sectors``.

    Sectors without a CEADs counterpart (Eora's Private Households, Others, Re-export) get
    zero rows and columns. Final-use columns are renamed to Eora's categories (the seed
    ``concordance_ceads_final_use_to_eora26``) and summed where two map to one (rural + urban
    households). No factor rows: add CO2 with :func:`with_co2`.

    Parameters
    ----------
    io_cells : DataFrame or DuckDB relation
        ``int_ceads_io_cells_mapped_to_eora26``: ``table_year, row_kind, row_province_code,
        row_item, col_kind, col_province_code, col_item, value_10k_cny`` (sectors already
        mapped to Eora26 codes).
    table_year : int
    sectors : list of str
        Eora26 sector codes, in order.
    provinces, final_use : DataFrame or DuckDB relation
        The seeds ``provinces`` (order, panel) and ``concordance_ceads_final_use_to_eora26``.

    Returns
    -------
    ProvincialIO
        Z, Y, exports, imports (intermediate and final), VA components and output, all in
        10,000 CNY.

    Raises
    ------
    InputTableError
        No table of that year, a missing panel province, an unknown label or final-use
        column, or a negative intermediate flow beyond 1e-6 of its column total.
    """
    cells = as_frame(io_cells)
    cells = cells[cells["table_year"] == table_year]
    if cells.empty:
        raise InputTableError(f"no CEADs IO table for {table_year} in the warehouse")
    final_use = final_use_categories(final_use)
    province_seed = province_list(provinces)
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
    require_panel_provinces(present, f"CEADs IO {table_year} (stg_ceads__io_table_cells)", "ceads_io", province_seed)
    provinces = [p for p in province_seed["province_code"] if p in present]
    index = pd.MultiIndex.from_product([provinces, sectors], names=["province", "sector"])
    is_fu = kind_is(col_kind, "final_use")
    unknown = sorted(set(col_i[is_fu].unique()) - set(final_use))
    if unknown:
        raise InputTableError(f"CEADs IO {table_year}: final-use columns not in "
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
