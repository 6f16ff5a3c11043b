"""The IFR source's two measures: installations and operational stock, one wide file each,
keyed by measure in raw.load_log; a root with only the installations file reads as before."""

from __future__ import annotations

import pytest

from greentrade.ingest import ifr
from greentrade.ingest.errors import SourceFormatError
from greentrade.ingest.registry import get_source
from greentrade.ingest.warehouse import load

from .builders import ifr_text, write_text
from .conftest import raw_checksums

INSTALLATIONS = "IFR_installations_by_industry.csv"
STOCK = "IFR_operational_stock_by_industry.csv"


@pytest.fixture
def ifr_root(tmp_path):
    """Both files; the stock holds ten times the builder's installation values."""
    root = tmp_path / "ifr"
    write_text(root / INSTALLATIONS, ifr_text())
    lines = ifr_text().splitlines()
    stock = [lines[0]] + [",".join(line.split(",")[:-10] + [str(10 * int(v)) for v in line.split(",")[-10:]])
                          for line in lines[1:]]
    write_text(root / STOCK, "\n".join(stock) + "\n")
    return root


def _by_measure(con) -> dict[str, int]:
    """China's 2013 robots in industry 10-12, by the file key (the measure) of their load."""
    rows = con.execute("""
        select l.file_key, r.installations from raw.ifr_installations r join raw.load_log l on l.load_id = r._load_id
        where l.status = 'loaded' and r.country = 'China' and r.ifr_industry_code = '10-12' and r.year = 2013
    """).fetchall()
    return dict(rows)


def test_both_measures_load_keyed_by_measure(con, config, ifr_root):
    report = load(con, "ifr", path=ifr_root, config=config)
    assert [f.file_key for f in report.files] == ["installations", "operational_stock"]
    # builder: value = 100 * industry index + year index; '10-12' is the third industry
    assert _by_measure(con) == {"installations": 203, "operational_stock": 2030}


def test_a_root_without_the_stock_file_reads_installations_only(con, config, source_root):
    report = load(con, "ifr", path=source_root / "ifr", config=config)
    assert [f.file_key for f in report.files] == ["installations"]
    assert _by_measure(con) == {"installations": 203}


def test_a_changed_stock_file_replaces_only_the_stock_rows(con, config, ifr_root):
    load(con, "ifr", path=ifr_root, config=config)
    lines = (ifr_root / STOCK).read_text(encoding="utf-8").splitlines()
    lines = [line if not line.startswith("China,10-12,") else line.replace(",2030,", ",2031,") for line in lines]
    write_text(ifr_root / STOCK, "\n".join(lines) + "\n")
    report = load(con, "ifr", path=ifr_root, config=config)
    assert [f.status for f in report.files] == ["skipped", "replaced"]
    assert _by_measure(con) == {"installations": 203, "operational_stock": 2031}


def test_a_single_file_is_named_by_its_file_name_or_the_measure_option(con, config, ifr_root, tmp_path):
    assert load(con, "ifr", path=ifr_root / STOCK, config=config).files[0].file_key == "operational_stock"
    assert load(con, "ifr", path=ifr_root / INSTALLATIONS, config=config).files[0].file_key == "installations"
    odd = tmp_path / "china_robots_in_service.csv"
    write_text(odd, (ifr_root / STOCK).read_text(encoding="utf-8"))
    assert get_source("ifr").files(odd, measure="operational_stock")[0].key == "operational_stock"


@pytest.mark.parametrize("value", ["stock", "Operational stock", "installation", ""])
def test_a_malformed_measure_is_refused_before_anything_is_written(con, config, ifr_root, value):
    load(con, "ifr", path=ifr_root / INSTALLATIONS, config=config)
    before = raw_checksums(con)
    config.sources["ifr"].options["measure"] = value
    with pytest.raises(SourceFormatError, match=r"option 'measure': expected one of installations, operational_stock, found"):
        load(con, "ifr", path=ifr_root / STOCK, config=config)
    with pytest.raises(SourceFormatError, match="expected one of installations, operational_stock"):
        load(con, "ifr", path=ifr_root, config=config)
    assert raw_checksums(con) == before


def test_a_configured_stock_file_must_exist(config, ifr_root):
    (ifr_root / STOCK).unlink()
    with pytest.raises(SourceFormatError, match="operational-stock file not found"):
        get_source("ifr").files(ifr_root, stock_pattern=STOCK)


def test_the_stock_file_is_validated_like_installations(ifr_root):
    path = ifr_root / STOCK
    text = path.read_text(encoding="utf-8").replace("China,C,", "China,CC,")
    write_text(path, text)
    with pytest.raises(SourceFormatError, match=r"line 4, column 'industry_code': unknown IFR industry code 'CC'"):
        ifr.read(path)


def test_measure_of():
    assert ifr.measure_of(ifr.MEASURES["operational_stock"]) == "operational_stock"
    assert ifr.measure_of("IFR_installations_by_industry.csv") == "installations"
    assert ifr.measure_of("anything.csv", "operational_stock") == "operational_stock"
