"""A small published warehouse with the marts the report reads, written in seconds.

The numbers are arbitrary (the report formats, it computes nothing); the shapes are the
marts' (columns as in models/marts/_marts__models.yml). ``synthetic`` puts the demo's marker
file beside the source files, as `greentrade demo` does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from greentrade.lineage import SYNTHETIC_MARKER
from greentrade.reference import PROJECT_ROOT

YEARS = [2010, 2011, 2012]


def write_warehouse(folder: Path, *, synthetic: bool, comparison: bool = False,
                    partner_group: str = "asean", carbon_price: str = "eua", sources_by_year: bool = False,
                    co2_satellite: str = "edgar_total") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources"
    sources.mkdir(exist_ok=True)
    if synthetic:
        (sources / SYNTHETIC_MARKER).write_text("synthetic")
    source_file = sources / "market_prices.csv"
    source_file.write_text("date,price\n")
    provinces = pd.read_csv(PROJECT_ROOT / "seeds" / "provinces.csv", dtype={"gb_code": str})
    panel = provinces[provinces["in_panel"]]
    rng = np.random.default_rng(6)
    rows = []
    for year in YEARS:
        for code in panel["province_code"]:
            vex, vim, cex, cim = rng.uniform(0.5, 5.0, 4)
            price = 20.0 + year - 2010
            rows.append(dict(year=year, province_code=code, partner_group=partner_group,
                             manufacturing_scope="producing_sector", co2_satellite=co2_satellite,
                             province_co2="ceads_levels", vex_bn_usd=vex, vim_bn_usd=vim,
                             cex_mt=cex, cim_mt=cim, nv_bn_usd=vex - vim, nc_mt=cex - cim,
                             carbon_price_series=carbon_price, carbon_price_usd_per_t=price,
                             green_bn_usd=vex - vim - price * (cex - cim) / 1e3))
    green = pd.DataFrame(rows)
    regressions = []
    for table, columns in {"T2": ["1", "2"], "T3": ["1", "2", "3"], "T4": ["1", "2"],
                           "T5": ["east", "central", "west"]}.items():
        for column in columns:
            for term, estimate in [("logrobit", rng.normal()), ("loggdp", rng.normal()), ("_cons", rng.normal())]:
                se = abs(rng.normal()) + 0.1
                regressions.append(dict(paper_table=table, table_column=column, term=term, estimate=estimate,
                                        se=se, t=estimate / se, p=0.04, stars="**", n=300, statistic=None,
                                        value=None, notes="test notes"))
            for statistic, value in [("N", 300.0), ("r2_within", 0.31)]:
                regressions.append(dict(paper_table=table, table_column=column, term=None, estimate=None, se=None,
                                        t=None, p=None, stars=None, n=300, statistic=statistic, value=value,
                                        notes="test notes"))
    regressions = pd.DataFrame(regressions)
    descriptives = pd.DataFrame({"variable": ["green", "robit"], "n_obs": [300, 300], "mean": [0.1, 2.0],
                                 "sd": [1.0, 0.5], "min": [-3.0, 1.0], "max": [3.0, 4.0]})
    bilateral = pd.DataFrame([dict(year=y, province_code=p, partner_country=c, eora_sector_code="ELM",
                                   manufacturing_scope="producing_sector", vex_bn_usd=1.0, vim_bn_usd=0.5,
                                   cex_mt=0.2, cim_mt=0.1) for y in YEARS for p in ["JS", "GD"]
                              for c in ["VNM", "THA"]])
    load_log = pd.DataFrame({"load_id": [1], "source": ["eua"], "file_key": ["all"], "file_path": [str(source_file)],
                             "file_sha256": ["ab" * 32], "row_count": [10],
                             "loaded_at": [pd.Timestamp("2026-01-01", tz="UTC")], "code_version": ["test"],
                             "status": ["loaded"], "message": [""]})
    partner_groups = pd.read_csv(PROJECT_ROOT / "seeds" / "partner_groups.csv")
    sectors = pd.read_csv(PROJECT_ROOT / "seeds" / "eora26_sectors.csv")
    path = folder / "greentrade.duckdb"
    with duckdb.connect(str(path)) as con:
        for schema in ("marts", "raw", "reference"):
            con.execute(f"create schema {schema}")
        for name, frame in [("marts.fct_green_trade_benefit", green), ("marts.dim_provinces", provinces),
                            ("marts.fct_paper_regressions", regressions),
                            ("marts.fct_paper_descriptives", descriptives),
                            ("marts.fct_bilateral_trade_accounts", bilateral), ("raw.load_log", load_log),
                            ("reference.partner_groups", partner_groups), ("reference.eora26_sectors", sectors)]:
            con.register("frame", frame)
            con.execute(f"create table {name} as select * from frame")
            con.unregister("frame")
        if sources_by_year:  # the columns of marts.dim_build_lineage_by_year
            by_year = pd.DataFrame({
                "year": YEARS, "eora_year": YEARS, "ceads_io_year": [2010, 2010, 2012], "labels_q_rows": [2720, 2720, 2619],
                "co2_satellite": co2_satellite, "co2_rows": "'IEA GHG emissions (Gg) and energy use' / 'IEA - DEPRECATED "
                "- CO2 emissions from fuel combustion' (line 2613)", "province_co2": "ceads_levels",
                "china_co2_eora_mt": [8123.0, 8711.0, 9012.0], "ceads_provincial_co2_mt": [7712.0, 8389.0, 8605.0],
                "ceads_over_eora_co2": [0.949, 0.963, 0.955], "china_gross_output_bn_usd": [12600.0, 14700.0, 16800.0],
                "china_inputs_bn_usd": [12565.0, 14731.0, 16797.0], "china_imbalance_bn_usd": [35.0, -31.0, 3.0],
                "china_imbalance_share": [0.00278, -0.00211, 0.00018], "largest_imbalance_sector": ["FOD", "RET", "EGW"],
                "largest_imbalance_share": [0.0292, 0.0274, 0.0293], "row_discrepancy_output_bn_usd": [470.0, -329.0, 663.0],
                "build_id": "test"})
            con.register("frame", by_year)
            con.execute("create table marts.dim_build_lineage_by_year as select * from frame")
            con.unregister("frame")
        if comparison:
            con.execute("""create table marts.fct_published_comparison as
                           select 'T2' as paper_table, '1' as table_column, 'logrobit' as term,
                                  0.0529 as published, 0.7 as reproduced""")
    return path


@pytest.fixture(scope="session")
def synthetic_warehouse(tmp_path_factory) -> Path:
    return write_warehouse(tmp_path_factory.mktemp("wh_synthetic"), synthetic=True)


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory) -> Path:
    return write_warehouse(tmp_path_factory.mktemp("wh_real"), synthetic=False, comparison=True,
                           partner_group="rcep", carbon_price="social_cost", sources_by_year=True,
                           co2_satellite="iea_fuel_combustion")


@pytest.fixture(scope="session")
def synthetic_report(synthetic_warehouse, tmp_path_factory) -> Path:
    from greentrade.report import write_report

    return write_report(synthetic_warehouse, tmp_path_factory.mktemp("out_synthetic"),
                        configured_settings={"carbon_price": "social_cost", "fx_source": "ecb"})


@pytest.fixture(scope="session")
def real_report(real_warehouse, tmp_path_factory) -> Path:
    from greentrade.report import write_report

    return write_report(real_warehouse, tmp_path_factory.mktemp("out_real"), configured_settings={})
