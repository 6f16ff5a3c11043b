"""The readers on the real public files of ../shared/data/real (skipped where absent)."""

import numpy as np
import pandas as pd
import pytest

from greentrade.ingest import ceads_emissions, prices
from greentrade.ingest.warehouse import load

pytestmark = pytest.mark.real_data

# shared/data/real/README.md, annual means of the EUA settle price, EUR/t
EUA_ANNUAL_MEANS = {2010: 14.41, 2011: 12.53, 2012: 7.40, 2013: 4.47, 2014: 5.98, 2015: 7.69,
                    2016: 5.35, 2017: 5.83, 2018: 15.92, 2019: 24.87}


@pytest.fixture(scope="module")
def inventories(request):
    from .conftest import REAL_DATA

    folder = REAL_DATA / "ceads_emission_inventories"
    if not folder.is_dir():
        pytest.skip(f"real data folder {folder} is absent (it sits beside the repository, see README)")
    return {year: ceads_emissions.read(folder / f"Emission_Inventories_for_30_Provinces_{year}.xlsx")["ceads_emissions"]
            for year in range(2010, 2020)}


def test_every_year_every_province(inventories):
    for year, rows in inventories.items():
        assert set(rows["year"]) == {year}
        assert rows["province_code"].nunique() == 30
        assert "XZ" not in set(rows["province_code"])
        assert rows.groupby("province_code").size().eq(48 * 22).all(), year
        assert rows["inventory_sector_id"].dropna().nunique() == 45
        assert set(rows["fuel"]) == set(ceads_emissions.FUELS + ceads_emissions.EXTRA_COLUMNS), year


def test_beijing_2017_total(inventories):
    rows = inventories[2017]
    total = rows.query("province_code == 'BJ' and row_kind == 'total' and fuel == 'Scope 1 Total'")["value_mt"].item()
    assert total == pytest.approx(85.56, abs=0.005)


def test_shandong_exceeds_hainan_every_year(inventories):
    for rows in inventories.values():
        totals = rows.query("row_kind == 'total' and fuel == 'Scope 1 Total'").set_index("province_code")["value_mt"]
        assert totals["SD"] > 10 * totals["HI"]


def test_eua_annual_means_match_the_readme(real_data):
    rows = prices.read_eua(real_data / "eua_prices" / "market_prices.csv")["eua_prices"]
    means = rows.groupby(pd.to_datetime(rows["trade_date"]).dt.year)["settle_eur_per_t"].mean().round(2)
    for year, expected in EUA_ANNUAL_MEANS.items():
        assert means[year] == pytest.approx(expected, abs=0.001), year


def test_real_files_load_into_the_warehouse(real_data, con, config):
    report = load(con, "ceads_emissions", path=real_data / "ceads_emission_inventories", config=config)
    assert [f.file_key for f in report.files] == [str(y) for y in range(2010, 2020)]
    load(con, "eua", path=real_data / "eua_prices" / "market_prices.csv", config=config)
    (mean,) = con.execute("SELECT avg(settle_eur_per_t) FROM raw.eua_prices WHERE year(trade_date) = 2019").fetchone()
    assert round(mean, 2) == 24.87
    (total,) = con.execute("""SELECT value_mt FROM raw.ceads_emissions WHERE year = 2017 AND province_code = 'BJ'
                              AND row_kind = 'total' AND fuel = 'Scope 1 Total'""").fetchone()
    assert np.isclose(total, 85.56, atol=0.005)
