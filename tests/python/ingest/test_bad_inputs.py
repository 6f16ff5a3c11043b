"""The bad-input corpus (make_bad_inputs.py, cases listed in bad_inputs/cases.csv): each
malformed file gives one clear error naming the file and the place, and leaves the warehouse
exactly as it was."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import duckdb
import pytest

from greentrade.ingest.config import load_config
from greentrade.ingest.errors import SourceFormatError, display_path
from greentrade.ingest.warehouse import load

from . import make_bad_inputs
from .conftest import raw_checksums

COMMITTED = Path(__file__).resolve().parent / "bad_inputs"
CASES = list(csv.DictReader(open(COMMITTED / "cases.csv", encoding="utf-8")))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("bad_inputs")
    make_bad_inputs.write_corpus(target)
    return target


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, source_root):
    """A warehouse already holding good data, to check that nothing changes."""
    con = duckdb.connect(str(tmp_path_factory.mktemp("wh") / "w.duckdb"))
    config = load_config(env={})
    for key, path in [("ifr", source_root / "ifr"), ("eua", source_root / "prices" / "market_prices.csv"),
                      ("yearbook", source_root / "yearbook" / "employment" / "employment_2019.csv")]:
        load(con, key, path=path, config=config)
    yield con, config
    con.close()


def test_corpus_is_large_and_listed():
    assert len(CASES) >= 25
    assert len({c["case"] for c in CASES}) == len(CASES)
    assert {c["source"] for c in CASES} == {"ceads_io", "ceads_emissions", "ifr", "yearbook", "eua", "fx", "eora26"}


def test_committed_cases_are_the_generated_ones(corpus):
    for case in CASES:
        committed = COMMITTED / case["case"] / case["file"]
        if case["file"].endswith(".csv"):
            assert filecmp.cmp(committed, corpus / case["case"] / case["file"], shallow=False), case["case"]
    assert (COMMITTED / "cases.csv").read_bytes() == (corpus / "cases.csv").read_bytes()


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input_is_refused_cleanly(case, corpus, warehouse):
    con, config = warehouse
    before = raw_checksums(con)
    file = corpus / case["case"] / case["file"]
    # the file, the Eora26 year folder it is in, or (no file named) the case's folder
    path = corpus / case["case"] / (Path(case["file"]).parts[0] if case["file"] else "")
    with pytest.raises(SourceFormatError) as info:
        load(con, case["source"], path=path, config=config)
    message = str(info.value)
    assert "\n" not in message
    # a folder case names the file in fault inside the case's folder
    assert message.startswith(display_path(file) if case["file"] else f"{case['case']}/"), message
    assert case["expected"] in message, message
    assert raw_checksums(con) == before
