from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.builders import INDICATOR_FILES, employment_text, eua_text, fx_text, ifr_text, indicator_text, write_text
from ingest.conftest import REAL_DATA, con, raw_checksums, real_data  # noqa: F401 (shared fixtures)


@pytest.fixture(autouse=True)
def gx_folder(tmp_path_factory, monkeypatch):
    """A private Great Expectations project (never the committed gx/), shared by the session."""
    root = tmp_path_factory.getbasetemp() / "gx"
    monkeypatch.setenv("GREENTRADE_GX_ROOT", str(root))
    return root


def eua_lines(years=range(2019, 2020), scale: float = 1.0) -> str:
    """Two trading days a year, settle ~ 20 EUR/t (x ``scale``)."""
    lines = [eua_text().splitlines()[0]]
    for year in years:
        for day, settle in ((f"{year}-01-03", 20.0), (f"{year}-06-03", 21.5)):
            s = settle * scale
            lines.append(f"{day},{s},{s},{s},{s},0.1,,100.0,5.0,,,,{s}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def source_root(tmp_path) -> Path:
    root = tmp_path / "sources"
    write_text(root / "prices" / "market_prices.csv", eua_lines())
    write_text(root / "prices" / "eurofxref-hist.csv", fx_text())
    write_text(root / "ifr" / "IFR_installations_by_industry.csv", ifr_text(years=range(2019, 2020)))
    for name, label in INDICATOR_FILES.items():
        text = indicator_text(label, years=[2019])
        if name == "urbanisation_rate.csv":  # a percentage, not the builder's ~1000
            text = re.sub(r",(\d+\.?\d*)$", lambda m: f",{float(m.group(1)) / 20:.2f}", text, flags=re.M)
        write_text(root / "yearbook" / name, text)
    write_text(root / "yearbook" / "employment" / "employment_2019.csv", employment_text(2019))
    return root


@pytest.fixture
def config(tmp_path, source_root):
    from greentrade.ingest.config import load_config

    path = tmp_path / "greentrade.toml"
    path.write_text(f"""
[warehouse]
path = "{(tmp_path / 'work.duckdb').as_posix()}"
[sources]
root = "{source_root.as_posix()}"
[sources.ifr]
path = "ifr"
[sources.yearbook]
path = "yearbook"
first_year = 2019
last_year = 2019
[sources.eua]
path = "prices/market_prices.csv"
[sources.fx]
path = "prices/eurofxref-hist.csv"
[sources.ceads_emissions]
path = "{(REAL_DATA / 'ceads_emission_inventories').as_posix()}"
pattern = "Emission_Inventories_for_30_Provinces_*.xlsx"
years = [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019]
[settings]
first_year = 2019
last_year = 2019
""", encoding="utf-8")
    return load_config(path, env={})


