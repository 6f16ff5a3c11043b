"""The demo's China ETS and FRED files: deterministic, readable by their readers, plausible."""

from __future__ import annotations

import datetime as dt

from greentrade.demo import writers
from greentrade.ingest import prices


def test_china_ets_and_fred_files_are_byte_identical_and_read_back(tmp_path):
    for run in ("a", "b"):
        writers.write_china_ets(tmp_path / run, [2013, 2014])
        writers.write_fred(tmp_path / run, [2013, 2014])
    names = ("china_ets_prices.csv", "fred/DEXUSEU.csv", "fred/DEXCHUS.csv")
    for name in names:
        assert (tmp_path / "a" / "prices" / name).read_bytes() == (tmp_path / "b" / "prices" / name).read_bytes()
    ets = prices.read_china_ets(tmp_path / "a" / "prices" / "china_ets_prices.csv")["china_ets_prices"]
    assert ets["trade_date"].min() == dt.date(2013, 6, 18)  # Shenzhen's first trading day
    assert ets["price_cny_per_t"].between(10, 100).all()
    usd = prices.read_fred(tmp_path / "a" / "prices" / "fred" / "DEXUSEU.csv")["fred_fx_rates"]
    assert dt.date(2013, 12, 25) not in set(usd["rate_date"]) and usd["value"].between(1.2, 1.45).all()


def test_no_china_ets_file_for_years_before_the_pilots(tmp_path):
    assert writers.write_china_ets(tmp_path, [2010, 2011]) is None
    assert not (tmp_path / "prices" / "china_ets_prices.csv").exists()
