"""The China ETS price reader, the FRED H.10 reader, and optional sources that are absent."""

from __future__ import annotations

import datetime as dt

import pytest

from greentrade.ingest import prices
from greentrade.ingest.config import load_config
from greentrade.ingest.errors import SourceFormatError
from greentrade.ingest.registry import get_source
from greentrade.ingest.warehouse import load, load_all

CHINA_ETS = """date,market,price_cny_per_t
2013-06-18,shenzhen,28.00
2013-06-18,Beijing,51.50
2013-06-19,shenzhen,30.25
"""


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_china_ets_good_file(tmp_path):
    rows = prices.read_china_ets(_write(tmp_path / "prices" / "china_ets_prices.csv", CHINA_ETS))["china_ets_prices"]
    assert list(rows.columns) == ["trade_date", "market", "price_cny_per_t"]
    assert rows["trade_date"].tolist() == [dt.date(2013, 6, 18), dt.date(2013, 6, 18), dt.date(2013, 6, 19)]
    assert rows["market"].tolist() == ["shenzhen", "beijing", "shenzhen"]  # names in lower case
    assert rows["price_cny_per_t"].tolist() == [28.0, 51.5, 30.25]


@pytest.mark.parametrize("line, place, says", [
    ("2013-06-20,shenzen,29.0", "line 5, column 'market'", "found 'shenzen'"),
    ("2013-06-20,shenzhen,n/a", "line 5, column 'price_cny_per_t'", "expected a number, found 'n/a'"),
    ("20/06/2013,shenzhen,29.0", "line 5, column 'date'", "expected a date YYYY-MM-DD"),
    ("2013-06-20,shenzhen,2900", "line 5, column 'price_cny_per_t'", "outside 0-1000"),
    ("2013-06-20,shenzhen,0", "line 5, column 'price_cny_per_t'", "outside 0-1000"),
    ("2013-06-19,shenzhen,29.0", "line 5", "a second price for shenzhen on 2013-06-19"),
    ("2013-06-20,shenzhen", "line 5", "expected 3 fields, found 2"),
])
def test_china_ets_malformed_row_names_file_and_line(tmp_path, line, place, says):
    path = _write(tmp_path / "prices" / "china_ets_prices.csv", CHINA_ETS + line + "\n")
    with pytest.raises(SourceFormatError) as error:
        prices.read_china_ets(path)
    assert str(error.value).startswith(f"prices/china_ets_prices.csv, {place}: ")
    assert says in str(error.value)


def test_china_ets_wrong_header(tmp_path):
    path = _write(tmp_path / "p" / "china.csv", CHINA_ETS.replace("price_cny_per_t", "price"))
    with pytest.raises(SourceFormatError, match=r"p/china.csv, line 1: expected the columns date,market,price_cny_per_t"):
        prices.read_china_ets(path)


def test_fred_good_file_drops_missing_days(tmp_path):
    text = "observation_date,DEXCHUS\n2019-01-01,.\n2019-01-02,6.8752\n2019-01-03,\n2019-01-04,6.8650\n"
    rows = prices.read_fred(_write(tmp_path / "fred" / "DEXCHUS.csv", text))["fred_fx_rates"]
    assert rows["rate_date"].tolist() == [dt.date(2019, 1, 2), dt.date(2019, 1, 4)]
    assert rows["series_id"].tolist() == ["DEXCHUS", "DEXCHUS"]
    assert rows["value"].tolist() == [6.8752, 6.8650]


@pytest.mark.parametrize("text, message", [
    ("observation_date,DEXUSEU\n2019-01-02,1.1450\n2019-01-03,x\n", "fred/f.csv, line 3, column 'DEXUSEU': expected a number, found 'x'"),
    ("observation_date,DEXUSEU\n2019-01-02,0.8734\n2019-01-03,0.45\n",
     "fred/f.csv, line 3, column 'DEXUSEU': 0.45 USD per EUR is outside 0.5-2.5"),
    ("observation_date,DEXCHUS\n2019-01-02,0.1455\n", "fred/f.csv, line 2, column 'DEXCHUS': 0.1455 CNY per USD is outside 1-12"),
    ("observation_date,DEXCHUS\n2019-01-02,6.87\n2019-01-02,6.88\n", "fred/f.csv, line 3, column 'observation_date': duplicated date"),
    ("DATE,DEXJPUS\n2019-01-02,108.1\n", "fred/f.csv, line 1: expected observation_date,<series> with a series of DEXUSEU, DEXCHUS"),
])
def test_fred_malformed(tmp_path, text, message):
    with pytest.raises(SourceFormatError) as error:
        prices.read_fred(_write(tmp_path / "fred" / "f.csv", text))
    assert str(error.value).startswith(message)


def test_fred_folder_needs_both_series(tmp_path):
    folder = tmp_path / "fred"
    _write(folder / "DEXUSEU.csv", "observation_date,DEXUSEU\n2019-01-02,1.1450\n")
    with pytest.raises(SourceFormatError, match="missing files: DEXCHUS.csv"):
        get_source("fred_fx").files(folder)
    _write(folder / "DEXCHUS.csv", "observation_date,DEXCHUS\n2019-01-02,6.8752\n")
    assert [f.key for f in get_source("fred_fx").files(folder)] == ["DEXUSEU", "DEXCHUS"]
    assert [f.key for f in get_source("fred_fx").files(folder / "DEXCHUS.csv")] == ["DEXCHUS"]


def _config(tmp_path, optional: bool):
    text = f"""
[warehouse]
path = "{(tmp_path / 'work.duckdb').as_posix()}"
[sources]
root = "{(tmp_path / 'root').as_posix()}"
[sources.china_ets]
path = "prices/china_ets_prices.csv"
optional = {str(optional).lower()}
[sources.fred_fx]
path = "prices/fred"
optional = {str(optional).lower()}
"""
    return load_config(_write(tmp_path / "greentrade.toml", text), env={})


def test_missing_optional_source_is_skipped_with_a_message(tmp_path):
    config = _config(tmp_path, optional=True)
    reports = load_all(config)
    assert [r.source for r in reports] == ["china_ets", "fred_fx"]
    assert all(r.absent is not None and r.files == [] for r in reports)
    assert str(reports[0]) == (f"china_ets: optional source not found at {tmp_path / 'root/prices/china_ets_prices.csv'}; "
                               "skipped (raw tables left as they are)")


def test_present_optional_source_loads(tmp_path):
    config = _config(tmp_path, optional=True)
    _write(tmp_path / "root" / "prices" / "china_ets_prices.csv", CHINA_ETS)
    report = load(config.warehouse, "china_ets", config=config)
    assert report.absent is None and report.rows == 3


def test_missing_required_source_is_an_error(tmp_path):
    config = _config(tmp_path, optional=False)
    with pytest.raises(SourceFormatError, match="source 'china_ets' not found"):
        load(config.warehouse, "china_ets", config=config)
