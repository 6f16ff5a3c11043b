"""Same bytes on every run; a year's files do not depend on the other years generated; the
manifest cache skips an up-to-date root and rewrites a changed one."""

from __future__ import annotations

import json
import time

import pytest

from greentrade.demo import generate, writers


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """A second, independent generation: 2011 only (the session root has 2010 and 2011)."""
    return generate(tmp_path_factory.mktemp("determinism") / "a", years=[2011])


def test_yearly_files_are_byte_identical_across_runs_and_subsets(alone, demo_root):
    together = json.loads((demo_root / "manifest.json").read_text(encoding="utf-8"))["files"]
    yearly = [k for k in alone["files"] if "2011" in k]
    assert len(yearly) == 11 and any(k.endswith(".xlsx") for k in yearly)
    assert all(alone["files"][k] == together[k] for k in yearly)


def test_panel_and_price_files_are_byte_identical(tmp_path):
    for run in ("a", "b"):
        writers.write_eua(tmp_path / run, [2010, 2011])
        writers.write_fred(tmp_path / run, [2010, 2011])
    for name in ("market_prices.csv", "fred/DEXUSEU.csv", "fred/DEXCHUS.csv"):
        assert (tmp_path / "a" / "prices" / name).read_bytes() == (tmp_path / "b" / "prices" / name).read_bytes()


def test_cached_rerun_is_fast_and_writes_nothing(demo_root):
    start = time.perf_counter()
    result = generate(demo_root, years=[2010, 2011])
    assert result["cached"] is True
    assert time.perf_counter() - start < 5.0


def test_changed_file_is_rewritten(alone):
    root = alone["root"]
    target = root / "ifr" / "IFR_installations_by_industry.csv"
    original = target.read_bytes()
    target.write_bytes(original + b"tampered\n")
    result = generate(root, years=[2011])
    assert result["cached"] is False and target.read_bytes() == original


def test_files_no_longer_written_are_removed(alone):
    """An upgrade that stops writing a file (the synthetic eurofxref-hist.csv, the yearbook's
    gdp.csv ...) removes it from the demo root, even when the old manifest is gone."""
    root = alone["root"]
    stale = [root / "prices" / "eurofxref-hist.csv", root / "yearbook" / "gdp.csv"]
    for path in stale:
        path.write_text("left by an older generator\n", encoding="utf-8")
    (root / "manifest.json").unlink()
    result = generate(root, years=[2011])
    assert result["cached"] is False
    assert not any(path.exists() for path in stale)
    assert all((root / rel).is_file() for rel in result["files"])
