"""The expectation suites, as code: one per source, on the frames of :mod:`.frames`.

Numbers that a user may set (bounds, tolerances, the configured years) are suite
parameters (``{"$PARAMETER": name}``) filled at run time by :func:`parameters` from
``greentrade.toml`` -- with the readers' own defaults, so each number lives in one place --
and the committed JSON under ``gx/expectations/`` stays independent of the configuration.
``INDEX`` names the columns that identify a failing row in the one-line summaries.
"""

from __future__ import annotations

import tomllib
from typing import Any

from greentrade.ingest.config import Config

SOURCES = ("eora26", "ceads_io", "ceads_emissions", "ifr", "yearbook", "eua", "fx", "fred_fx", "china_ets")

INDEX: dict[str, list[str]] = {
    "eora26": ["file", "matrix"],
    "ceads_io": ["file", "province_code", "sector_code"],
    "ceads_emissions": ["file", "province_code"],
    "ifr": ["file", "country", "ifr_industry_code", "year"],
    "yearbook": ["file", "item", "province_code", "year"],
    "eua": ["file", "trade_date"],
    "fx": ["file", "rate_date"],
    "fred_fx": ["file", "rate_date"],
    "china_ets": ["file", "trade_date", "market"],
}

DEFAULT_YEARS = (2010, 2019)


def _p(name: str) -> dict:
    return {"$PARAMETER": name}


def expectations(source: str) -> list:
    """The expectations of ``source`` (Great Expectations objects; imports GX)."""
    import great_expectations.expectations as gxe

    between = gxe.ExpectColumnValuesToBeBetween
    not_null = gxe.ExpectColumnValuesToNotBeNull

    def where(condition: str) -> dict:
        return {"row_condition": condition, "condition_parser": "pandas"}

    if source == "eora26":
        return [
            gxe.ExpectColumnPairValuesToBeEqual(column_A="n_rows", column_B="n_cols", **where('matrix == "T"'),
                                                notes="T is square: one row and one column per country-sector"),
            gxe.ExpectColumnPairValuesToBeEqual(column_A="n_rows", column_B="t_size", **where('matrix in ["T", "FD"]'),
                                                notes="FD rows are T's rows"),
            gxe.ExpectColumnPairValuesToBeEqual(column_A="n_cols", column_B="t_size", **where('matrix in ["VA", "Q"]'),
                                                notes="VA and Q columns are T's columns"),
            between(column="labels_incomplete", min_value=0, max_value=0,
                    notes="every label has its item (and country code on country axes)"),
            between(column="cells_outside", min_value=0, max_value=0, notes="no cell outside the labelled shape"),
            between(column="n_cells", min_value=1, **where('matrix in ["T", "FD", "VA"]'), notes="T, FD and VA are not empty"),
            between(column="world_output", min_value=_p("world_output_min"), max_value=_p("world_output_max"), **where('matrix == "T"'),
                    notes="world output (T + FD, thousand USD) at a real level: a unit slip is 1000x off"),
        ]
    if source == "ceads_io":
        return [
            gxe.ExpectColumnPairValuesToBeEqual(column_A="n_sectors", column_B="list_sectors",
                                                notes="every sector of the table's list (42, or 30 in the 2010-style tables) "
                                                      "for every panel province"),
            not_null(column="total_output", notes="every panel province x sector has a total output"),
            between(column="total_output", min_value=0, notes="total output is non-negative"),
            between(column="imbalance", max_value=_p("balance_tolerance"),
                    notes="total input = total output within balance_tolerance (floor 100 万元)"),
            between(column="province_output", min_value=_p("output_min_10k_cny"), max_value=_p("output_max_10k_cny"),
                    notes="a province's total output in 10,000 CNY: CNY or 100 million CNY fall outside"),
        ]
    if source == "ceads_emissions":
        return [
            between(column="n_sectors", min_value=45, max_value=45, notes="45 inventory sectors per panel province"),
            between(column="n_households", min_value=2, max_value=2, notes="Urban and Rural rows"),
            not_null(column="scope1_total_mt", notes="every panel province has a Scope 1 total"),
            between(column="scope1_total_mt", min_value=_p("total_min_mt"), max_value=_p("total_max_mt"),
                    notes="provincial Scope 1 total in Mt CO2: kt or t are 10^3 / 10^6 larger"),
            between(column="total_gap", max_value=_p("total_gap_tolerance"), notes="the total row is the sum of the other rows"),
            between(column="min_value_mt", min_value=0, notes="emissions are non-negative"),
        ]
    if source == "ifr":
        return [
            between(column="installations", min_value=0, max_value=_p("installations_max"),
                    notes="installations are counts of robots per industry-year, non-negative"),
            gxe.ExpectColumnDistinctValuesToContainSet(column="country", value_set=["China"], notes="China is present"),
            gxe.ExpectColumnDistinctValuesToContainSet(column="year", value_set=_p("years"), **where('country == "China"'),
                                                       notes="China has every configured year"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["file", "country", "ifr_industry_code", "year"]),
        ]
    if source == "yearbook":
        return [
            not_null(column="value",
                     notes="every panel province has a value for every configured year (indicators) and industry (employment)"),
            between(column="value", min_value=0, notes="indicators and employment are non-negative"),
            between(column="value", max_value=100, **where('item == "urbanisation"'), notes="urbanisation is a percentage"),
            between(column="value", min_value=_p("gdp_min_100m_cny"), max_value=_p("gdp_max_100m_cny"), **where('item == "gdp"'),
                    notes="provincial GDP in 100 million CNY (a file in 万元 would be 10^4 larger)"),
            between(column="value", max_value=_p("employment_max_10k"), **where('table == "employment"'),
                    notes="employment of one province-industry in 10,000 persons"),
        ]
    if source == "eua":
        return [
            not_null(column="settle_eur_per_t"),
            between(column="settle_eur_per_t", min_value=_p("settle_min_eur_per_t"), max_value=_p("settle_max_eur_per_t"),
                    notes="EUA settle in EUR/t: a price in EUR/kt or cents is 1000x / 100x off"),
            between(column="close", min_value=_p("settle_min_eur_per_t"), max_value=_p("settle_max_eur_per_t")),
            gxe.ExpectColumnValuesToBeUnique(column="trade_date", notes="one row per trading day"),
            gxe.ExpectColumnDistinctValuesToContainSet(column="year", value_set=_p("years"), notes="every configured year has prices"),
        ]
    if source == "fx":
        return [
            not_null(column="usd"),
            between(column="usd", min_value=_p("usd_min"), max_value=_p("usd_max"), notes="USD per EUR: an inverted rate is < 1/0.5"),
            between(column="cny", min_value=_p("cny_min"), max_value=_p("cny_max"), notes="CNY per EUR"),
            gxe.ExpectColumnValuesToBeUnique(column="rate_date", notes="one row per business day"),
            gxe.ExpectColumnDistinctValuesToContainSet(column="year", value_set=_p("years"), notes="every configured year has rates"),
        ]
    if source == "fred_fx":
        return [
            between(column="value", min_value=_p("usd_per_eur_min"), max_value=_p("usd_per_eur_max"), **where('series_id == "DEXUSEU"'),
                    notes="DEXUSEU is USD per EUR: an inverted rate is < 1/0.5"),
            between(column="value", min_value=_p("cny_per_usd_min"), max_value=_p("cny_per_usd_max"), **where('series_id == "DEXCHUS"'),
                    notes="DEXCHUS is CNY per USD"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["series_id", "rate_date"], notes="one row per series and day"),
        ]
    if source == "china_ets":
        # no completeness check: the pilots began in 2013, and the source is optional
        return [
            between(column="price_cny_per_t", min_value=_p("price_min_cny_per_t"), max_value=_p("price_max_cny_per_t"),
                    notes="allowance price in CNY/t: a price in fen or per kt is 100x / 1000x off"),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["trade_date", "market"], notes="one price per market and day"),
        ]
    raise KeyError(f"no expectation suite for source {source!r}; known: {list(SOURCES)}")


def settings_years(config: Config) -> list[int]:
    """first_year..last_year of ``[settings]`` in the configuration file (2010..2019 by default)."""
    settings: dict[str, Any] = {}
    if config.file is not None and config.file.exists():
        with open(config.file, "rb") as handle:
            settings = tomllib.load(handle).get("settings", {})
    first, last = int(settings.get("first_year", DEFAULT_YEARS[0])), int(settings.get("last_year", DEFAULT_YEARS[1]))
    return list(range(first, last + 1))


def parameters(source: str, config: Config) -> dict[str, Any]:
    """Suite parameters of ``source`` from its ``[sources.<key>]`` options; defaults are the
    readers' (one place for each number)."""
    options = dict(config.sources[source].options) if source in config.sources else {}
    years = settings_years(config)
    if source == "eora26":
        from greentrade.ingest.eora26 import Eora26Checks

        checks = Eora26Checks.from_options(options)
        return {"world_output_min": checks.world_output_min, "world_output_max": checks.world_output_max}
    if source == "ceads_io":
        from greentrade.ingest import ceads_io

        low, high = options.get("output_bounds_10k_cny", (1.0e6, 1.0e10))
        tolerance = float(options.get("balance_tolerance", 1e-3))
        return {"output_min_10k_cny": float(low), "output_max_10k_cny": float(high), "balance_tolerance": tolerance,
                "ceads_io_balance_floor": ceads_io.ABS_TOLERANCE / tolerance,
                "years": [int(y) for y in options.get("years", years)]}
    if source == "ceads_emissions":
        from greentrade.ingest import ceads_emissions

        low, high = options.get("total_bounds_mt", (0.5, 5000.0))
        return {"total_min_mt": float(low), "total_max_mt": float(high), "total_gap_tolerance": ceads_emissions.TOLERANCE_MT,
                "years": [int(y) for y in options.get("years", years)]}
    if source == "ifr":
        return {"installations_max": float(options.get("installations_max", 1.0e6)), "years": years}
    if source == "yearbook":
        first, last = options.get("first_year", years[0]), options.get("last_year", years[-1])
        low, high = options.get("gdp_bounds_100m_cny", (10.0, 1.0e6))
        return {"years": list(range(int(first), int(last) + 1)), "gdp_min_100m_cny": float(low), "gdp_max_100m_cny": float(high),
                "employment_max_10k": float(options.get("employment_max_10k", 2.0e4))}
    if source == "eua":
        low, high = options.get("settle_bounds_eur_per_t", (0.0, 200.0))
        return {"settle_min_eur_per_t": float(low), "settle_max_eur_per_t": float(high), "years": years}
    if source == "fx":
        from greentrade.ingest.prices import FX_BOUNDS

        return {"usd_min": FX_BOUNDS["USD"][0], "usd_max": FX_BOUNDS["USD"][1],
                "cny_min": FX_BOUNDS["CNY"][0], "cny_max": FX_BOUNDS["CNY"][1], "years": years}
    if source == "fred_fx":
        from greentrade.ingest.prices import FRED_SERIES

        (usd_min, usd_max), (cny_min, cny_max) = FRED_SERIES["DEXUSEU"][1], FRED_SERIES["DEXCHUS"][1]
        return {"usd_per_eur_min": usd_min, "usd_per_eur_max": usd_max, "cny_per_usd_min": cny_min, "cny_per_usd_max": cny_max}
    if source == "china_ets":
        from greentrade.ingest.prices import CHINA_ETS_BOUNDS

        return {"price_min_cny_per_t": CHINA_ETS_BOUNDS[0], "price_max_cny_per_t": CHINA_ETS_BOUNDS[1]}
    raise KeyError(f"no expectation suite for source {source!r}; known: {list(SOURCES)}")
