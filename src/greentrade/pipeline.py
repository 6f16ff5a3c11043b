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

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from greentrade import reference
from greentrade.ingest.eora26 import scatter_cells
from greentrade.ingest.eora26_labels import (DEFAULT_CO2_SATELLITE, MATRIX_AXES, Co2RowsError, co2_rows,
                                             co2_satellite, describe_rows)
from greentrade.mrio import (MRIO, EmbeddingSettings, ProvincialIO, drop_regions, embed_provinces,
                             final_demand_by_region, solve_by_destination, total_output)
from greentrade.mrio.leontief import reciprocal_output

EORA_DISCREPANCY = "ROW"
T_PER_GG = 1_000.0
VA_FACTOR, CO2_FACTOR = "va", "co2"
PROVINCE_CO2 = ("ceads_levels", "split_country_row")
DEFAULT_PROVINCE_CO2 = "ceads_levels"


class PipelineInputError(ValueError):
    """A warehouse table does not hold what a year's computation needs."""


def _frame(relation_or_frame) -> pd.DataFrame:
    return relation_or_frame if isinstance(relation_or_frame, pd.DataFrame) else relation_or_frame.df()


def _labels(labels: pd.DataFrame, matrix: str, axis: str) -> pd.DataFrame:
    part = labels[(labels["matrix"] == matrix) & (labels["axis"] == axis)].sort_values("idx")
    if part.empty:
        raise PipelineInputError(f"Eora26 labels: no {axis} labels for matrix {matrix}")
    if not np.array_equal(part["idx"].to_numpy(), np.arange(len(part))):
        raise PipelineInputError(f"Eora26 labels: {matrix} {axis} positions are not 0..{len(part) - 1}")
    return part.reset_index(drop=True)


def _dense(cells, matrix: str, shape: tuple[int, int], rows=None) -> np.ndarray:
    """One Eora26 matrix (or only its rows ``rows``, ascending, in that order) of a year's
    cells (a DuckDB relation, as dbt hands it, or a pandas frame), through the ingest's
    scatter (no Python objects per cell)."""
    if matrix not in MATRIX_AXES:
        raise ValueError(f"unknown Eora26 matrix {matrix!r}")
    rows = None if rows is None else np.asarray(rows, dtype=np.int64)
    if isinstance(cells, pd.DataFrame):
        part = cells[cells["matrix"] == matrix]
        if rows is not None:
            part = part[part["row_idx"].isin(rows)]
            part = part.assign(row_idx=np.searchsorted(rows, part["row_idx"].to_numpy()))
    else:
        part = cells.filter(f"matrix = '{matrix}'")
        if rows is not None:
            listed = ", ".join(str(int(r)) for r in rows)
            part = part.filter(f"row_idx in ({listed})").select(
                f"list_position([{listed}], row_idx) - 1 as row_idx, col_idx, value")
    try:
        return scatter_cells(part, (len(rows), shape[1]) if rows is not None else shape, f"Eora26 {matrix}")
    except ValueError as error:
        raise PipelineInputError(str(error)) from None


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
                                 "ingest that year's Eora26 files or change the year range")
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
    F = np.vstack([_dense(cells, "VA", (len(va_rows), n)), co2_row * T_PER_GG])
    f_index = pd.Index([*va_rows["item"].to_numpy(), "CO2"], name="factor")

    world = MRIO(Z=pd.DataFrame(_dense(cells, "T", (n, n)), index=index, columns=index),
                 Y=pd.DataFrame(_dense(cells, "FD", (n, m)), index=index, columns=fd_columns),
                 F=pd.DataFrame(F, index=f_index, columns=index))
    reduced, dropped = drop_regions(world, [EORA_DISCREPANCY])
    return WorldYear(mrio=reduced, dropped=dropped, year=int(year), co2_satellite=satellite.key, co2_rows=rows_text,
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
    provincial CO2 of ``emission_year`` as a :class:`ProvincialIO` over all ``sectors``.

    Sectors without a CEADs counterpart (Eora's Private Households, Others, Re-export) get
    zero rows and columns. Provinces without an inventory (Tibet) get zero CO2. Final-use
    columns are renamed to Eora's categories (seeds/concordance_ceads_final_use_to_eora26.csv)
    and summed where two map to one (rural + urban households).
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
    co2 = _frame(emissions)
    co2 = co2[co2["year"] == emission_year]
    _require_panel_provinces(set(co2["province_code"]),
                             f"CEADs emissions {emission_year} (int_emissions_by_province_sector)", "ceads_emissions")
    co2 = co2.groupby(["province_code", "eora_sector_code"])["co2_t"].sum()
    F = pd.DataFrame([co2.reindex(index, fill_value=0.0).to_numpy()], index=pd.Index(["CO2"], name="factor"), columns=index)

    return ProvincialIO(Z=pd.DataFrame(Z, index=index, columns=index), Y=pd.DataFrame(Y, index=index, columns=y_cols),
                        exports=row_vector("export"), imports_intermediate=imports_intermediate,
                        imports_final=imports_final, VA=pd.DataFrame(VA, index=pd.Index(components), columns=index),
                        output=row_vector("total_output"), F=F)


def embodied_factors(embedded: MRIO, provinces: Iterable[str], manufacturing: Iterable[str],
                     va_rows: list[str]) -> pd.DataFrame:
    """Value added (sum of ``va_rows``) and CO2 generated in each origin region-sector and
    embodied in each destination region's final demand, for every origin or destination
    that is a province, with final demand for all products and for manufactured products
    only (``final_products`` = 'all' | 'manufacturing'); one LU, 2r right-hand sides.
    Columns: final_products, factor ('va' in thousand USD, 'co2' in tonnes), origin_region,
    origin_sector, destination_region, value.
    """
    Z = embedded.Z.to_numpy(dtype=np.float64)
    Yfull = embedded.Y
    x = total_output(Z, Yfull.to_numpy())
    y_r = final_demand_by_region(Yfull)
    regions = list(y_r.columns)
    sectors_of_rows = embedded.Z.index.get_level_values(1)
    manuf_rows = np.asarray(sectors_of_rows.isin(list(manufacturing)))
    rhs = np.hstack([y_r.to_numpy(), y_r.to_numpy() * manuf_rows[:, None]])

    factors = embedded.F
    va = factors.loc[va_rows].to_numpy().sum(axis=0)
    co2 = factors.loc["CO2"].to_numpy()
    solved = solve_by_destination(Z, x, rhs, overwrite_z=True)  # n x 2r; Z is destroyed
    inv_x = reciprocal_output(x)

    province_set = set(provinces)
    origin_regions = embedded.Z.index.get_level_values(0).to_numpy()
    origin_is_province = np.isin(origin_regions, list(province_set))
    dest_is_province = np.isin(np.asarray(regions), list(province_set))
    frames = []
    r = len(regions)
    for f_name, intensity in ((VA_FACTOR, va * inv_x), (CO2_FACTOR, co2 * inv_x)):
        for k, products in enumerate(("all", "manufacturing")):
            values = solved[:, k * r:(k + 1) * r] * intensity[:, None]
            keep = origin_is_province[:, None] | dest_is_province[None, :]
            rows, cols = np.nonzero(keep)
            frames.append(pd.DataFrame({
                "final_products": products, "factor": f_name,
                "origin_region": origin_regions[rows], "origin_sector": np.asarray(sectors_of_rows)[rows],
                "destination_region": np.asarray(regions, dtype=object)[cols], "value": values[rows, cols],
            }))
    return pd.concat(frames, ignore_index=True)


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


def embed_year(year: int, load_world: Callable[[int], WorldYear],
               load_provincial: Callable[[int], ProvincialIO], *, china: str,
               settings: EmbeddingSettings | None = None, province_co2: str = DEFAULT_PROVINCE_CO2):
    """Embed the provinces into one year's global table.

    Returns (embedding result, the world table with what was set aside, the provincial table,
    the names of the value-added rows of F)."""
    world = load_world(year)
    provincial = load_provincial(year)
    va_rows = [f for f in world.mrio.F.index if f != "CO2"]
    result = embed_provinces(world.mrio, provincial, china=china,
                             settings=settings or embedding_settings(va_rows, province_co2))
    return result, world, provincial, va_rows


def embodied_for_years(years: Iterable[int], load_world, load_provincial, *, china: str,
                       manufacturing: Iterable[str], settings: EmbeddingSettings | None = None,
                       province_co2: str = DEFAULT_PROVINCE_CO2,
                       progress: Callable[[str], None] = print) -> pd.DataFrame:
    """Embed and solve every year, one at a time: tidy embodied value added and CO2
    (see :func:`embodied_factors`) with a ``year`` column."""
    frames = []
    for year in years:
        result, world, provincial, va_rows = embed_year(year, load_world, load_provincial, china=china,
                                                        settings=settings, province_co2=province_co2)
        embodied = embodied_factors(result.mrio, provincial.provinces, manufacturing, va_rows)
        frames.append(embodied.assign(year=year))
        progress(f"{year}: {result.summary()}; ROW discrepancy set aside: "
                 f"{world.dropped.get('row_flows', 0.0):.4g} thousand USD of output")
    return pd.concat(frames, ignore_index=True)


def embedded_totals_for_years(years: Iterable[int], load_world, load_provincial, *, china: str,
                              settings: EmbeddingSettings | None = None,
                              province_co2: str = DEFAULT_PROVINCE_CO2) -> pd.DataFrame:
    """Per region-sector totals of each year's embedded table (gross output, column total,
    value added, CO2) plus the GRAS diagnostics, for the accounting-identity tests."""
    frames = []
    for year in years:
        result, world, provincial, va_rows = embed_year(year, load_world, load_provincial, china=china,
                                                        settings=settings, province_co2=province_co2)
        embedded = result.mrio
        Z = embedded.Z.to_numpy()
        x = total_output(Z, embedded.Y.to_numpy())
        va = embedded.F.loc[va_rows].to_numpy().sum(axis=0)
        frames.append(pd.DataFrame({
            "year": year,
            "region": embedded.Z.index.get_level_values(0),
            "sector": embedded.Z.index.get_level_values(1),
            "is_province": embedded.Z.index.get_level_values(0).isin(list(provincial.provinces)),
            "gross_output": x,
            "intermediate_inputs": Z.sum(axis=0),
            "value_added": va,
            "co2_t": embedded.F.loc["CO2"].to_numpy(),
            "gras_iterations": result.gras_iterations,
            "gras_residual": result.gras_residual,
            "row_discrepancy_output": world.dropped.get("row_flows", 0.0),
        }))
    return pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class ChinaBalance:
    """China's sectors in one year's world table once ROW is set aside (thousand USD).

    ``output`` = row sums of Z and Y (sales to ROW excluded); ``inputs`` = column sums of Z
    (purchases from ROW excluded) plus value added. Real Eora26 balances only with the ROW
    entry, so ``output - inputs`` is not zero: the embedding carries it over
    (docs/mrio.md, "China's imbalance")."""

    sectors: pd.Index
    output: np.ndarray
    inputs: np.ndarray

    @property
    def imbalance(self) -> np.ndarray:
        return self.output - self.inputs

    def largest(self) -> tuple[str, float]:
        """The sector with the largest |output - inputs| / output, and that share."""
        share = np.divide(np.abs(self.imbalance), np.abs(self.output), out=np.zeros_like(self.output),
                          where=self.output != 0)
        k = int(np.argmax(share)) if len(share) else 0
        return (str(self.sectors[k]), float(share[k])) if len(share) else ("", 0.0)


def china_balance(world: MRIO, china: str, va_rows: Iterable[str]) -> ChinaBalance:
    """:class:`ChinaBalance` of ``china`` in ``world`` (ROW already dropped)."""
    is_c = np.asarray(world.Z.index.get_level_values(0) == china)
    if not is_c.any():
        raise PipelineInputError(f"the world table has no region {china!r}")
    Z = world.Z.to_numpy()
    output = Z[is_c].sum(axis=1) + world.Y.to_numpy()[is_c].sum(axis=1)
    inputs = Z[:, is_c].sum(axis=0) + world.F.loc[list(va_rows)].to_numpy()[:, is_c].sum(axis=0)
    return ChinaBalance(world.Z.index[is_c].get_level_values(1), output, inputs)


def source_totals_for_years(years: Iterable[int], load_world, load_provincial, *, china: str,
                            province_co2: str = DEFAULT_PROVINCE_CO2) -> pd.DataFrame:
    """One row per panel year: what served it and how the sources compare.

    China's CO2 in Eora26 (the ``co2_satellite`` rows, t) beside CEADs' provincial total
    (Scope 1 sectoral emissions of the provinces through the concordance, households left
    out, t), and China's output and inputs in the world table once ROW is set aside, with
    the imbalance the embedding carries over (thousand USD)."""
    embedding_settings((), province_co2)  # the setting is checked here too
    rows = []
    for year in years:
        world = load_world(year)
        provincial = load_provincial(year)
        va_rows = [f for f in world.mrio.F.index if f != "CO2"]
        balance = china_balance(world.mrio, china, va_rows)
        is_c = np.asarray(world.mrio.F.columns.get_level_values(0) == china)
        china_co2 = float(world.mrio.F.loc["CO2"].to_numpy()[is_c].sum())
        ceads_co2 = float(provincial.F.loc["CO2"].to_numpy().sum())
        sector, share = balance.largest()
        output, inputs = float(balance.output.sum()), float(balance.inputs.sum())
        rows.append({
            "year": int(year), "eora_year": world.year, "co2_satellite": world.co2_satellite,
            "co2_rows": world.co2_rows, "labels_q_rows": world.q_rows, "province_co2": province_co2,
            "china_co2_eora_t": china_co2, "ceads_provincial_co2_t": ceads_co2,
            "china_gross_output": output, "china_inputs": inputs, "china_imbalance": output - inputs,
            "china_imbalance_share": (output - inputs) / output if output else float("nan"),
            "largest_imbalance_sector": sector, "largest_imbalance_share": share,
            "row_discrepancy_output": float(world.dropped.get("row_flows", 0.0)),
        })
    return pd.DataFrame(rows)


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


def resolve_year_substitution(year_substitution, tie_rule: str) -> pd.DataFrame:
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
    tie, own = numbers["tie_ceads_io_year"], numbers["ceads_io_year"]
    takes_tie = tie.notna() & ((tie < own) if tie_rule == "earlier" else (tie > own) if tie_rule == "later"
                               else pd.Series(False, index=frame.index))
    return pd.DataFrame({
        "year": numbers["year"].astype("int64"),
        "eora_year": numbers["eora_year"].astype("int64"),
        "ceads_io_year": own.where(~takes_tie, tie).astype("int64"),
        "ceads_io_sectors": numbers["ceads_io_sectors"].fillna(42).where(~takes_tie, numbers["tie_ceads_io_sectors"]).astype("int64"),
        "is_tie": tie.notna().to_numpy(),
        "ceads_io_tie_rule": tie_rule,
    }).sort_values("year", ignore_index=True)


def warehouse_loaders(*, eora_cells, eora_labels, io_cells, emissions, year_substitution,
                      co2_satellite: str | None = None, china: str | None = None):
    """Per-year loaders over warehouse relations: (load_world(year), load_provincial(year)).

    The global table of ``eora_year`` and the CEADs IO table of ``ceads_io_year`` with the
    sector list ``ceads_io_sectors`` (42 when the frame has no such column) serve each panel
    year as ``year_substitution`` says (``int_source_tables_by_year``: the seed with the tie
    rule applied); CO2 is the panel year's inventory, the countries' CO2 the
    ``co2_satellite`` rows of Q (:func:`world_from_cells`).
    """
    substitution = _frame(year_substitution).set_index("year")
    sectors = reference.eora26_sectors()["eora_sector_code"].tolist()

    def lookup(year: int, column: str) -> int:
        if year not in substitution.index:
            raise PipelineInputError(f"seeds/year_substitution.csv has no row for {year}")
        return int(substitution.loc[year, column])

    def load_world(year: int) -> WorldYear:
        eora_year = lookup(year, "eora_year")
        cells = _where(eora_cells, "year", eora_year)
        labels = _where(eora_labels, "year", eora_year)
        return world_from_cells(cells, labels, eora_year, co2_satellite, china)

    cached: dict[tuple[int, int], pd.DataFrame] = {}  # the last IO table fetched: consecutive years share it

    def load_provincial(year: int) -> ProvincialIO:
        table_year = lookup(year, "ceads_io_year")
        n_sectors = lookup(year, "ceads_io_sectors") if "ceads_io_sectors" in substitution.columns else 42
        if (table_year, n_sectors) not in cached:
            cached.clear()
            cells = _where(_where(io_cells, "table_year", table_year), "n_sectors", n_sectors)
            cached[table_year, n_sectors] = _frame(cells)
            if cached[table_year, n_sectors].empty:
                raise PipelineInputError(
                    f"{year}: no {n_sectors}-sector CEADs IO table of {table_year} in the warehouse, which "
                    f"seeds/year_substitution.csv (with ceads_io_tie_rule) names for it; load it (greentrade ingest "
                    f"ceads_io) or change the seed")
        return provincial_from_cells(cached[table_year, n_sectors], _where(emissions, "year", year), table_year, year, sectors)

    return load_world, load_provincial


def year_inputs(first_year, last_year, *, year_substitution, eora_cells, eora_labels, io_cells,
                emissions, co2_satellite: str | None = None, china: str | None = None) -> tuple[list[int], tuple]:
    """What the MRIO dbt Python models need: the panel years and the per-year loaders over
    the refs they pass. (The models read their config themselves: dbt only supplies the
    ``dbt.config.get`` keys it finds in the model's own source.)"""
    years = panel_years(_frame(year_substitution), int(first_year), int(last_year))
    loaders = warehouse_loaders(eora_cells=eora_cells, eora_labels=eora_labels, io_cells=io_cells,
                                emissions=emissions, year_substitution=year_substitution,
                                co2_satellite=co2_satellite, china=china)
    return years, loaders
