"""What the dbt Python models call, and nothing else (``python_models/``).

Each function here takes what a model hands over (DuckDB relations from ``dbt.ref``, dbt
vars) and calls the library: :mod:`greentrade.ingest.eora26.readback` reads an Eora26 year
back, :mod:`greentrade.mrio` builds the provincial table, embeds it, balances it and solves
the Leontief system, and the paper's tables come from :mod:`greentrade.econometrics` through
the paper's glue. Seeds reach the library only through the models' ``dbt.ref``.

MRIO models (``int_source_tables_by_year``, ``int_embedded_mrio``): years stream one group
at a time (panel years served by the same Eora26 year and CEADs IO table share one
embedding and one LU), so memory does not grow with the number of years. Units: Eora26 money
in thousand USD; CO2 in tonnes (CEADs inventories in Mt are converted to t by
``int_emissions_by_province_sector``).

Two research settings act here (greentrade.toml ``[settings]``, dbt vars):

- ``co2_satellite``: which rows of Eora26's Q give the countries' CO2
  (:data:`greentrade.ingest.eora26_labels.CO2_SATELLITES`; default ``edgar_total``, the paper
  used ``iea_fuel_combustion``);
- ``province_co2``: ``ceads_levels`` (default, as the paper) gives every province-sector its
  CEADs Scope 1 emissions as they are; ``split_country_row`` splits China's country row over
  the provinces by their CEADs shares, so the provinces add up to Eora's China.

Paper models (``fct_paper_regressions``, ``fct_paper_descriptives``,
``fct_published_comparison``): the panel mart uses lower-case SQL column names; the
estimators use the paper's variable names (Gdp, Hum, Town, Gov). This module is the one
place that maps between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from greentrade.econometrics.results import LONG_COLUMNS, SPEC_COLUMNS
from greentrade.ingest.eora26.readback import WorldYear, world_from_cells
from greentrade.mrio import (
    EmbeddingSettings,
    ProvincialIO,
    coefficients,
    embed_provinces,
    final_demand_by_region,
    solve_by_destination,
    total_output,
)
from greentrade.mrio.embedding import provincial_factor
from greentrade.mrio.errors import InputTableError
from greentrade.mrio.provincial import provincial_co2, provincial_table, with_co2
from greentrade.mrio.table import as_frame
from greentrade.paper import COMPARISON_COLUMNS, paper_tables, published_comparison, table1_descriptives

if TYPE_CHECKING:
    import pyarrow as pa  # imported where used, at run time: only the annotation needs it here

PROVINCE_CO2 = ("ceads_levels", "split_country_row")
DEFAULT_PROVINCE_CO2 = "ceads_levels"


def embedding_settings(va_rows, province_co2: str = DEFAULT_PROVINCE_CO2) -> EmbeddingSettings:
    """The embedding's settings for the ``province_co2`` research setting.

    ``ceads_levels``: the provinces' CO2 row is the provincial table's own CO2 (CEADs Scope 1
    sectoral emissions through the concordance, t), not a split of China's row, so the
    provinces need not add up to Eora's China; ``split_country_row``: China's CO2 row split
    by the provinces' CEADs shares (they add up to China)."""
    if province_co2 not in PROVINCE_CO2:
        raise InputTableError(f"province_co2: expected one of {', '.join(PROVINCE_CO2)}, found {province_co2!r}")
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
        raise InputTableError(f"seeds/year_substitution.csv has no row for years {missing}")
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
    frame = as_frame(year_substitution)
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
        raise InputTableError(f"manufacturing_scope: expected one of {', '.join(MANUFACTURING_SCOPES)}, "
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
    tables = as_frame(tables_by_year).set_index("year")
    missing = [y for y in years if y not in tables.index]
    if missing:
        raise InputTableError(f"seeds/year_substitution.csv has no row for years {missing}")
    groups: dict[tuple[int, int, int], list[int]] = {}
    for year in years:
        row = tables.loc[year]
        sectors = int(row["ceads_io_sectors"]) if "ceads_io_sectors" in tables.columns else 42
        groups.setdefault((int(row["eora_year"]), int(row["ceads_io_year"]), sectors), []).append(int(year))
    return [SourceGroup(e, c, n, tuple(ys)) for (e, c, n), ys in groups.items()]


@dataclass(frozen=True)
class WarehouseSources:
    """The refs the MRIO model reads (DuckDB relations in dbt, or pandas frames in tests):
    the Eora26 cells and labels, the CEADs IO cells mapped to Eora26 sectors, the provinces'
    CO2 by Eora26 sector, and the seeds the computation needs (``eora26_sectors``,
    ``provinces``, ``concordance_ceads_final_use_to_eora26``)."""

    eora_cells: object
    eora_labels: object
    io_cells: object
    emissions: object
    eora26_sectors: object
    provinces: object
    final_use: object

    def sector_codes(self) -> tuple[list[str], list[str]]:
        """Eora26's sector codes in Eora's order, and those of the manufacturing sectors."""
        seed = as_frame(self.eora26_sectors)
        seed = seed.assign(_id=seed["eora_sector_id"].astype(int)).sort_values("_id")
        manufacturing = seed["is_manufacturing"].astype(str).str.lower().eq("true")
        return seed["eora_sector_code"].tolist(), seed.loc[manufacturing.to_numpy(), "eora_sector_code"].tolist()

    def world(self, eora_year: int, co2_satellite_key: str | None, china: str | None) -> WorldYear:
        return world_from_cells(_where(self.eora_cells, "year", eora_year), _where(self.eora_labels, "year", eora_year),
                                eora_year, co2_satellite_key, china, sectors=self.eora26_sectors)

    def provincial(self, group: SourceGroup, sectors: list[str]) -> ProvincialIO:
        cells = as_frame(_where(_where(self.io_cells, "table_year", group.ceads_io_year), "n_sectors",
                                group.ceads_io_sectors))
        if cells.empty:
            raise InputTableError(
                f"{list(group.years)}: no {group.ceads_io_sectors}-sector CEADs IO table of {group.ceads_io_year} in "
                f"the warehouse, which seeds/year_substitution.csv (with ceads_io_tie_rule) names for them; load it "
                f"(greentrade ingest ceads_io) or change the seed")
        return provincial_table(cells, group.ceads_io_year, sectors, provinces=self.provinces,
                                final_use=self.final_use)

    def co2(self, year: int, index: pd.MultiIndex) -> np.ndarray:
        return provincial_co2(_where(self.emissions, "year", year), year, index, provinces=self.provinces)


@dataclass(frozen=True)
class GroupResult:
    """What one embedding and solve gives every panel year of its group (Arrow tables)."""

    embodied: list       # one table per year: factors embodied by destination
    totals: list         # one table per year: region-sector totals
    seconds: dict        # step -> wall seconds (read-back, embedding, solve, accounts)
    gras_sweeps: int = 0
    gras_sweep_seconds: float = 0.0  # mean wall time of one GRAS sweep


def _labels_array(codes: np.ndarray, labels) -> pa.DictionaryArray:
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
    dest_is_province = np.asarray(destinations.isin(list(table.provinces)))
    rows, cols = np.nonzero(is_province[:, np.newaxis] | dest_is_province[np.newaxis, :])
    absorbed = X[rows, cols]
    dest_codes, dest_labels = pd.factorize(destinations.to_numpy())
    origin_region = _labels_array(region_codes[rows], region_labels)
    origin_sector = _labels_array(sector_codes[rows], sector_labels)
    destination = _labels_array(dest_codes[cols], dest_labels)
    va_embodied = coefficients(va[np.newaxis, :], x)[0, rows] * absorbed
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
            "va_thousand_usd": pa.array(va_embodied),
            "co2_t": pa.array(coefficients(co2[np.newaxis, :], x)[0, rows] * absorbed)}))
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
    years = panel_years(as_frame(tables_by_year), int(first_year), int(last_year))
    groups = source_groups(tables_by_year, years)
    own_bar = progress is None
    if own_bar:
        progress = ProgressBar(total=len(years), desc="embed and solve", unit="year")
    sectors, manufacturing = sources.sector_codes()
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


# --- the paper's tables ------------------------------------------------------------

PAPER_NAMES = {"gdp": "Gdp", "hum": "Hum", "town": "Town", "gov": "Gov"}
# the vce setting (greentrade.toml, dbt var) -> the estimators' cov_type
VCE_SETTINGS = {"cluster": "clustered", "robust": "robust", "unadjusted": "unadjusted"}
# 'table' and 'column' are SQL keywords: the marts name them so users need no quoting
MART_NAMES = {"table": "paper_table", "column": "table_column"}
REGRESSION_COLUMNS = [MART_NAMES.get(c, c) for c in LONG_COLUMNS + SPEC_COLUMNS] + ["notes"]


def paper_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel mart with the paper's variable names, sorted by province and year."""
    return panel.rename(columns=PAPER_NAMES).sort_values(["province_code", "year"]).reset_index(drop=True)


def paper_settings(settings: dict | None, panel: pd.DataFrame | None = None) -> dict:
    """The estimation settings from the dbt vars: ``vce`` (cluster | robust | unadjusted) as
    ``cov_type``, the bootstrap, and ``robit_shares`` as the panel mart records it."""
    settings = dict(settings or {})
    vce = settings.pop("vce", "cluster")
    if vce not in VCE_SETTINGS:
        raise ValueError(f"vce must be one of {sorted(VCE_SETTINGS)}, got {vce!r} (greentrade.toml [settings])")
    settings["cov_type"] = VCE_SETTINGS[vce]
    if panel is not None and "robit_shares" in panel and len(panel):
        settings["robit_shares"] = str(panel["robit_shares"].iloc[0])
    return settings


def regression_results(panel: pd.DataFrame, settings: dict | None = None) -> pd.DataFrame:
    """Tables 2-5 in long form (paper_table, table_column, term, estimate, se, t, p, stars,
    n, statistic, value), each row with its model's specification (depvar, estimator,
    convention, se_type, cluster_var, fixed_effects, instruments, inference) and the
    readings of the paper's ambiguities for its table (``notes``). ``settings``: the dbt
    vars ``vce``, ``bootstrap_reps``, ``bootstrap_seed``."""
    if panel.empty:  # dbt build --empty
        return pd.DataFrame(columns=REGRESSION_COLUMNS)
    results = paper_tables(paper_panel(panel), paper_settings(settings, panel), with_specs=True)
    notes = {table: " | ".join(lines) for table, lines in results.attrs["table_notes"].items()}
    return (results.rename(columns=MART_NAMES)
            .assign(notes=lambda f: f["paper_table"].map(notes))[REGRESSION_COLUMNS])


def descriptives(panel: pd.DataFrame) -> pd.DataFrame:
    """Table 1: N, mean, sd (N - 1), min, max of the paper's variables, as Stata's summarize."""
    table = table1_descriptives(paper_panel(panel))
    return table.reset_index().rename(columns={"N": "n_obs"})


def published_comparison_table(regressions: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The published estimates beside the reproduced ones (see
    :func:`greentrade.paper.published_comparison`)."""
    if regressions.empty or published.empty:  # dbt build --empty
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    return published_comparison(regressions, published)
