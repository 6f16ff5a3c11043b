"""Each reader on small synthetic files written in the publisher's layout (builders.py),
compared with the numbers the builder wrote."""

import numpy as np
import pandas as pd
import pytest

from greentrade.ingest import ceads_emissions, ceads_io, ifr, prices, yearbook
from greentrade.ingest.errors import SourceFormatError, column_letter

from .builders import (
    IO_PROVINCES,
    ceads_io_grid,
    emission_sheets,
    indicator_value,
    write_ceads_io,
    write_emissions,
)


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_error_is_one_line_with_file_and_place(tmp_path):
    error = SourceFormatError(tmp_path / "ceads_emissions" / "x_2017.xlsx", "sheet 'Beijing2017', row 12, column 'Coke'",
                              "expected a number, found 'n/a'")
    assert str(error) == "ceads_emissions/x_2017.xlsx, sheet 'Beijing2017', row 12, column 'Coke': expected a number, found 'n/a'"


def test_ceads_io_cells_match_the_grid(tmp_path):
    grid = write_ceads_io(tmp_path / "io_2012.xlsx", 2012)
    cells = ceads_io.read(tmp_path / "io_2012.xlsx")["ceads_io_cells"]
    n = 42 * len(IO_PROVINCES)
    assert set(cells["year"]) == {2012}
    z = cells.query("row_kind == 'intermediate' and col_kind == 'intermediate'")
    assert len(z) == n * n
    # Inner Mongolia (内蒙) sector 03 selling to Tianjin sector 42: row 5 + 2*42 + 2, column D + 42 + 41
    cell = z.query("row_province_code == 'NM' and row_item == '03' and col_province_code == 'TJ' and col_item == '42'")
    assert cell["value"].item() == grid[4 + 84 + 2][3 + 42 + 41]
    totals = cells.query("col_kind == 'total_output'").set_index(["row_province_code", "row_item"])["value"]
    inputs = cells.query("row_kind == 'total_input'").set_index(["col_province_code", "col_item"])["value"]
    assert np.allclose(totals.to_numpy(), inputs.to_numpy())
    fd = cells.query("col_kind == 'final_use'")
    assert set(fd["col_item"]) == {"农村居民消费", "城镇居民消费", "政府消费", "固定资本形成总额", "存货增加"}
    assert set(fd["col_province_code"]) == {"BJ", "TJ", "NM"}
    va = cells.query("row_kind == 'value_added'")
    assert set(va["row_item"]) == {"劳动者报酬", "生产税净额", "固定资产折旧", "营业盈余"}
    assert va["row_province_code"].isna().all()


def test_ceads_io_accepts_tibet_and_31_style_names(tmp_path):
    write_ceads_io(tmp_path / "io_2017.xlsx", names=("西藏", "北京"))
    cells = ceads_io.read(tmp_path / "io_2017.xlsx")["ceads_io_cells"]
    assert set(cells["row_province_code"].dropna()) == {"XZ", "BJ"}


def test_ceads_io_year_from_title():
    grid = ceads_io_grid(2015)
    assert grid[0][0].startswith("2015年")


@pytest.mark.parametrize("vintage_2018", [False, True])
def test_ceads_emissions_both_header_vintages(tmp_path, vintage_2018):
    year = 2019 if vintage_2018 else 2016
    sheets = emission_sheets(year, vintage_2018=vintage_2018)
    write_emissions(tmp_path, year, vintage_2018=vintage_2018)
    rows = ceads_emissions.read(tmp_path / f"Emission_Inventories_for_30_Provinces_{year}.xlsx")["ceads_emissions"]
    assert len(rows) == 30 * 48 * 22
    assert rows["province_code"].nunique() == 30
    assert set(rows["fuel"]) == set(ceads_emissions.FUELS + ceads_emissions.EXTRA_COLUMNS)
    grid = sheets[f"InnerMongolia{year}"]
    nm = rows.query("province_code == 'NM'")
    coke = nm.query("fuel == 'Coke' and inventory_sector_id == 9")["value_mt"].item()
    assert coke == grid[4 + 8][5]
    assert nm.query("row_kind == 'total'")["row_label"].iloc[0] in ("Total Consumption", "TotalEmissions")
    assert nm.query("row_kind == 'household'")["row_label"].unique().tolist() == ["Urban", "Rural"]
    assert not rows["row_label"].str.endswith(" ").any()


def test_ifr_wide_to_long(source_root):
    rows = ifr.read(source_root / "ifr" / "IFR_installations_by_industry.csv")["ifr_installations"]
    assert set(rows["country"]) == {"China", "Japan"}
    assert rows["year"].min() == 2010 and rows["year"].max() == 2019
    # builder: value = 100 * industry index + year index; '10-12' is the third industry
    value = rows.query("country == 'China' and ifr_industry_code == '10-12' and year == 2013")["installations"].item()
    assert value == 203


def test_yearbook_indicator(source_root):
    rows = yearbook.read(source_root / "yearbook" / "gdp.csv", first_year=2010, last_year=2019)["yearbook_indicators"]
    assert len(rows) == 31 * 10
    assert rows["unit"].unique().tolist() == ["100 million CNY"]
    # NM is the fifth official name in seeds/province_aliases.csv
    assert rows.query("province_code == 'NM' and year == 2014")["value"].item() == indicator_value(4, 2014)


def test_yearbook_employment_keeps_the_national_row(source_root):
    rows = yearbook.read(source_root / "yearbook" / "employment" / "employment_2019.csv")["yearbook_employment"]
    assert set(rows["year"]) == {2019}
    assert "CN" in set(rows["province_code"])
    assert rows["province_code"].nunique() == 32
    assert rows["employment_industry_code"].nunique() == 18
    national = rows.query("province_code == 'CN'").set_index("employment_industry_code")["employment_10k"]
    provinces = rows.query("province_code != 'CN'").groupby("employment_industry_code")["employment_10k"].sum()
    assert np.allclose(national.sort_index(), provinces.sort_index())


def test_yearbook_gbk_file_read_with_configured_encoding(tmp_path, source_root):
    text = (source_root / "yearbook" / "gdp.csv").read_text(encoding="utf-8")
    (tmp_path / "gdp.csv").write_bytes(text.encode("gb18030"))
    with pytest.raises(SourceFormatError, match='encoding = "gb18030"'):
        yearbook.read(tmp_path / "gdp.csv")
    rows = yearbook.read(tmp_path / "gdp.csv", encoding="gb18030")["yearbook_indicators"]
    assert len(rows) == 310


def test_prices(source_root):
    eua = prices.read_eua(source_root / "prices" / "market_prices.csv")["eua_prices"]
    assert eua["settle_eur_per_t"].tolist() == [24.0, 25.0, 30.0]
    assert eua["wave"].isna().all()
    fx = prices.read_fx(source_root / "prices" / "eurofxref-hist.csv")["fx_rates"]
    assert len(fx) == 10  # three dates x USD, JPY, CNY, and CYP on one date (N/A left out)
    assert fx.query("currency == 'CNY'")["units_per_eur"].iloc[0] == 7.7857
    assert pd.Timestamp(fx["rate_date"].min()) == pd.Timestamp("2008-01-02")
