"""Checkpoints on source updates: good changes pass and write Data Docs, bad ones are kept
out of raw (the load rolls back) with one line per failed expectation, unchanged files are
not re-validated, and the real files pass."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from greentrade.ingest.errors import SourceFormatError
from greentrade.ingest.warehouse import load
from greentrade.quality import DataQualityError, data_docs_index, runner, suites, validate
from ingest.builders import INDICATOR_FILES, ifr_text, indicator_text, write_text

from .conftest import eua_lines, raw_checksums

LINE = re.compile(r"^(\w+) (\S.*?): (expect_\w+) on (\S+): (.+) \(expected (.+)\)$")


def test_a_changed_good_file_passes_and_writes_data_docs(con, config, source_root):
    first = load(con, "eua", config=config, quality=True)
    assert first.quality.success and first.quality.files == ["prices/market_prices.csv"]
    write_text(source_root / "prices" / "market_prices.csv", eua_lines(years=range(2018, 2020)))
    second = load(con, "eua", config=config, quality=True)
    assert [f.status for f in second.files] == ["replaced"]
    assert second.quality.success, second.quality.summary()
    assert "quality checkpoint passed" in str(second)
    index = data_docs_index()
    assert index.is_file() and "eua" in index.read_text(encoding="utf-8")


def test_a_1000x_unit_slip_in_the_eua_file_is_kept_out(con, config, source_root):
    load(con, "eua", config=config, quality=True)
    before = raw_checksums(con)
    write_text(source_root / "prices" / "market_prices.csv", eua_lines(scale=1000.0))
    with pytest.raises(DataQualityError) as caught:
        load(con, "eua", config=config, quality=True)
    assert raw_checksums(con) == before
    lines = str(caught.value).splitlines()[1:]
    settle = [m for m in map(LINE.match, lines) if m and m.group(4) == "settle_eur_per_t"]
    assert len(settle) == 1, lines
    source, file, expectation, _, observed, expected = settle[0].groups()
    assert (source, file, expectation) == ("eua", "prices/market_prices.csv", "expect_column_values_to_be_between")
    assert "20000 at trade_date=2019-01-03" in observed and expected == "between 0 and 200"


def test_a_blank_province_year_in_a_yearbook_file_is_kept_out(con, config, source_root):
    load(con, "yearbook", config=config, quality=True)
    before = raw_checksums(con)
    text = indicator_text(INDICATOR_FILES["gdp.csv"], years=[2019]).splitlines()
    text = [re.sub(r"^(北京市),.*$", r"\1,", line) for line in text]  # Beijing's 2019 cell left blank
    write_text(source_root / "yearbook" / "gdp.csv", "\n".join(text) + "\n")
    with pytest.raises(DataQualityError) as caught:
        load(con, "yearbook", config=config, quality=True)
    assert raw_checksums(con) == before
    lines = str(caught.value).splitlines()[1:]
    assert lines == ["yearbook yearbook/gdp.csv: expect_column_values_to_not_be_null on value: "
                     "1 row(s): null at item=gdp, province_code=BJ, year=2019 (expected not null)"]


def test_a_missing_province_is_refused_by_the_reader_first(con, config, source_root):
    load(con, "yearbook", config=config, quality=True)
    before = raw_checksums(con)
    text = [line for line in indicator_text(INDICATOR_FILES["gdp.csv"], years=[2019]).splitlines() if not line.startswith("北京市")]
    write_text(source_root / "yearbook" / "gdp.csv", "\n".join(text) + "\n")
    with pytest.raises(SourceFormatError, match="missing provinces: BJ"):
        load(con, "yearbook", config=config, quality=True)
    assert raw_checksums(con) == before


def test_negative_installations_are_refused_and_a_unit_slip_is_kept_out(con, config, source_root):
    load(con, "ifr", config=config, quality=True)
    before = raw_checksums(con)
    path = source_root / "ifr" / "IFR_installations_by_industry.csv"
    lines = ifr_text(years=range(2019, 2020)).splitlines()
    write_text(path, "\n".join(lines[:1] + [re.sub(r",\d+$", ",-5", lines[1])] + lines[2:]) + "\n")
    with pytest.raises(SourceFormatError, match="expected a value >= 0"):
        load(con, "ifr", config=config, quality=True)
    write_text(path, "\n".join(lines[:1] + [re.sub(r",(\d+)$", r",5000000", lines[1])] + lines[2:]) + "\n")
    with pytest.raises(DataQualityError, match=r"ifr ifr/IFR_installations_by_industry.csv: expect_column_values_to_be_between "
                                               r"on installations: 1 row\(s\): 5000000 at country=China"):
        load(con, "ifr", config=config, quality=True)
    assert raw_checksums(con) == before


def test_unchanged_files_do_not_rerun_the_checkpoint(con, config, monkeypatch):
    calls = []
    original = runner.run_checkpoint
    monkeypatch.setattr(runner, "run_checkpoint", lambda *a, **k: calls.append(a[0]) or original(*a, **k))
    load(con, "fx", config=config, quality=True)
    report = load(con, "fx", config=config, quality=True)
    assert [f.status for f in report.files] == ["skipped"] and report.quality is None
    assert calls == ["fx"]


def test_validate_rechecks_what_raw_holds(con, config):
    load(con, "eua", config=config, quality=True)
    assert validate("eua", config, con).success
    con.execute("UPDATE raw.eua_prices SET settle_eur_per_t = settle_eur_per_t * 1000 WHERE trade_date = '2019-06-03'")
    report = validate("eua", config, con)
    assert not report.success
    assert [f.column for f in report.failures] == ["settle_eur_per_t"]
    assert "21500 at trade_date=2019-06-03" in report.failures[0].observed


def test_eora26_shapes_on_a_summary_frame():
    """The Eora26 suite on a hand-made summary: a T that is not square and a world output
    1000x too large each give one line naming the file."""
    frame = pd.DataFrame({
        "file": ["eora26/Eora26_2015_bp"] * 4, "year": 2015, "matrix": ["T", "FD", "VA", "Q"],
        "n_rows": [521, 521, 6, 6], "n_cols": [520, 126, 521, 521], "t_size": 521, "labels_incomplete": 0,
        "n_cells": [10, 10, 10, 10], "cells_outside": 0, "world_output": 1.1e14,
    })
    params = {"world_output_min": 1e10, "world_output_max": 1e12}
    report = runner.run_checkpoint("eora26", frame, params)
    assert [str(f) for f in report.failures] == [
        'eora26 eora26/Eora26_2015_bp: expect_column_pair_values_to_be_equal on n_rows, n_cols: 1 row(s): 521/520 at '
        'matrix=T (expected n_rows = n_cols where matrix == "T")',
        'eora26 eora26/Eora26_2015_bp: expect_column_values_to_be_between on world_output: 1 row(s): 1.1e+14 at matrix=T '
        '(expected between 1e+10 and 1e+12 where matrix == "T")',
    ]


def test_committed_suites_are_the_code(request):
    """gx/expectations/*.json are written by sync_config from suites.py: they must agree."""
    from greentrade.reference import PROJECT_ROOT

    def normal(kwargs: dict) -> str:
        return json.dumps({k: v for k, v in kwargs.items() if v is not None}, sort_keys=True, default=str)

    for source in suites.SOURCES:
        committed = json.loads((PROJECT_ROOT / "gx" / "expectations" / f"{source}.json").read_text(encoding="utf-8"))
        stored = sorted((e["type"], normal(e["kwargs"])) for e in committed["expectations"])
        code = sorted((e.expectation_type, normal(e.configuration.kwargs)) for e in suites.expectations(source))
        assert stored == code, f"gx/expectations/{source}.json is stale: run greentrade.quality.sync_config()"


@pytest.mark.real_data
def test_real_files_pass(real_data, con, config):
    emissions = load(con, "ceads_emissions", config=config, quality=True)
    assert emissions.quality.success and len(emissions.quality.files) == 10
    eua = load(con, "eua", path=real_data / "eua_prices" / "market_prices.csv", config=config, quality=True)
    assert eua.quality.success, eua.quality.summary()
