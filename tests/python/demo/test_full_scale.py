"""The full-scale demo (``greentrade demo --scale full``) without writing seven full-size years:
one full-scale year (2011, a 2720-row satellite year) generated into a temporary folder and
read back with the project's Eora26 reader, and the world behind it.

What is checked: Eora26's real layout (T 4915 x 4915, FD 4915 x 1140, VA 6 x 4915, Q with
the rows of every ``co2_satellite``), Eora's 189 countries in Eora's order with Eora's codes
and names, the ROW entry carrying the discrepancy (China's sectors off balance by up to
``P.SECTOR_IMBALANCE_MAX`` without it), the split of XRW into the other 170 countries (every
other flow unchanged, exact totals, XRW's input coefficients, balance), identical files from
``generate`` and from the writer (deterministic bytes), and the China-only sources identical
to the small scale's.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from greentrade import reference
from greentrade.demo import generate, writers
from greentrade.demo import params as P
from greentrade.demo import world as W
from greentrade.ingest import eora26
from greentrade.ingest.eora26_labels import CO2_SATELLITES, co2_rows, read_labels

pytestmark = pytest.mark.slow

YEAR = 2011
N = 189 * 26 + 1
N_SECTORS = 26


@pytest.fixture(scope="module")
def worlds():
    """The small world of YEAR and its full-scale split."""
    panel = W.province_panel()
    emp = W.employment()
    robit = W.robot_exposure(emp, W.ifr_operational_stock(W.ifr_installations()))
    panel = W.add_patents(panel, robit)
    small = W.world_year(YEAR, panel, robit)
    return small, W.split_rest_of_world(small)


@pytest.fixture(scope="module")
def full_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo_full")
    result = generate(root, years=[YEAR], scale="full")
    return root, result


@pytest.fixture(scope="module")
def full_year(full_root):
    """What the project's reader finds in the year's folder (shapes, discrepancy, message), its
    five matrices as dense arrays, and its labels."""
    root, _ = full_root
    folder = root / "eora26" / f"Eora26_{YEAR}_bp"
    result = eora26.read_year(folder)
    cells = result.cells
    arrays = {}
    for matrix, shape in result.shapes.items():
        part = cells.filter(pc.equal(cells.column("matrix").cast(pa.string()), matrix))
        arrays[matrix] = eora26.scatter_cells({k: part.column(k).to_numpy() for k in ("row_idx", "col_idx", "value")},
                                              shape, matrix)
    found = {"shapes": result.shapes, "discrepancy": result.discrepancy, "message": result.message}
    return found, arrays, read_labels(folder)


def test_full_layout_is_eoras_189_countries_in_eoras_order():
    full = W.layout("full")
    seed = reference.eora26_countries()
    assert full.eora_regions == seed["country_code"].tolist() and len(full.eora_regions) == 189
    assert full.eora_names == dict(zip(seed["country_code"], seed["country_name"]))
    calibrated = [c for c in P.COUNTRIES if c != W.REST_OF_WORLD]
    assert full.regions == full.provinces + calibrated + full.rest_of_world
    assert len(full.rest_of_world) == 170 and not {"CHN", *calibrated} & set(full.rest_of_world)
    assert {"SUD", "SDS", "USR", "ANT"} <= set(full.rest_of_world)
    # the small scale: the same countries' order, then XRW
    small = W.layout("small")
    assert small.eora_regions == [c for c in seed["country_code"] if c in {"CHN", *calibrated}] + ["XRW"]
    with pytest.raises(ValueError, match="demo scale: expected one of small, full, found 'huge'"):
        W.Layout("huge")


def test_rest_of_world_split_keeps_every_other_flow_and_xrws_totals(worlds):
    small, full = worlds
    m = len(small.regions[:-1]) * N_SECTORS
    f = len(small.regions[:-1]) * 6
    K = len(full.layout.rest_of_world)
    assert full.Z.shape == (m + K * N_SECTORS,) * 2 and full.Y.shape == (m + K * N_SECTORS, f + K * 6)
    np.testing.assert_array_equal(full.Z[:m, :m], small.Z[:m, :m])
    np.testing.assert_array_equal(full.Y[:m, :f], small.Y[:m, :f])
    np.testing.assert_allclose(full.x[:m], small.x[:m], rtol=1e-12)
    # the 170 countries together are XRW: output, value added, CO2 by sector; households' CO2
    def by_sector(v):
        return v[m:].reshape(K, N_SECTORS).sum(axis=0)

    for name in ("x", "va", "co2"):
        np.testing.assert_allclose(by_sector(getattr(full, name)), getattr(small, name)[m:], rtol=1e-12)
    assert full.co2_households[-K:].sum() == pytest.approx(small.co2_households[-1], rel=1e-12)
    np.testing.assert_allclose(full.Z[m:, :m].reshape(K, N_SECTORS, m).sum(axis=0), small.Z[m:, :m], rtol=1e-12)
    np.testing.assert_allclose(full.Y[:m, f:].reshape(m, K, 6).sum(axis=1), small.Y[:m, f:], rtol=1e-12)
    # balanced: output = Z 1 + Y 1 = Z' 1 + va, each country-sector
    np.testing.assert_allclose(full.Z.sum(axis=0) + full.va, full.x, rtol=1e-10, atol=1e-6)
    # each country-sector has XRW's input coefficients (the 170 as suppliers summed), so the
    # Leontief system of every other region is the small world's (exact aggregation)
    x = np.where(full.x > 0, full.x, 1.0)
    A_kept = full.Z[:m, m:] / x[m:]
    A_row = full.Z[m:, m:].reshape(K, N_SECTORS, -1).sum(axis=0) / x[m:]
    xs = np.where(small.x > 0, small.x, 1.0)
    np.testing.assert_allclose(A_kept, np.tile(small.Z[:m, m:] / xs[m:], K), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(A_row, np.tile(small.Z[m:, m:] / xs[m:], K), rtol=1e-9, atol=1e-15)
    # plausible sizes: every country produces; the largest economies of the list lead
    output = full.x[m:].reshape(K, N_SECTORS).sum(axis=1)
    assert (output > 0).all()
    largest = [full.layout.rest_of_world[k] for k in np.argsort(-output)[:5]]
    assert set(largest) <= set(P.ROW_LARGEST_ECONOMIES)
    assert output.max() < 0.2 * output.sum() and output.min() > 1e-5 * output.sum()
    # trade between the 170: most of a country's inputs from the 170 are its own
    own = np.einsum("kiKj->kK", full.Z[m:, m:].reshape(K, N_SECTORS, K, N_SECTORS))
    assert np.median(np.diag(own) / own.sum(axis=0)) > 0.6


def test_full_scale_year_has_eoras_layout_and_order(full_year):
    found, arrays, labels = full_year
    n_q = int(P.EORA_RELEASE_BY_YEAR[YEAR])
    assert found["shapes"] == {"T": (N, N), "FD": (N, 1140), "VA": (6, N), "Q": (n_q, N), "QY": (n_q, 1140)}
    seed = reference.eora26_countries()
    t = labels["T"]
    assert t.iloc[-1][["country_name", "country_code", "entity", "item"]].tolist() == ["ROW", "ROW", "TOTAL", "TOTAL"]
    assert t["country_code"].iloc[:-1].tolist() == np.repeat(seed["country_code"].to_numpy(), 26).tolist()
    assert t["country_name"].iloc[:-1].tolist() == np.repeat(seed["country_name"].to_numpy(), 26).tolist()
    assert t["item"].iloc[:26].tolist() == reference.eora26_sectors()["eora_sector_name"].tolist()
    assert labels["FD"]["country_code"].tolist() == np.repeat([*seed["country_code"], "ROW"], 6).tolist()
    # the Q block holds the rows of every co2_satellite, non-zero
    q = arrays["Q"]
    for key in CO2_SATELLITES:
        rows = co2_rows(labels["Q"], key)
        assert q[rows, :-1].sum() > 0, key


def test_full_scale_row_entry_carries_the_discrepancy(full_year):
    found, arrays, labels = full_year
    T, FD, VA = arrays["T"], arrays["FD"], arrays["VA"]
    assert found["discrepancy"] > 0 and "ROW discrepancy entry kept" in found["message"]
    out = T.sum(axis=1) + FD.sum(axis=1)
    np.testing.assert_allclose(out[:-1], T.sum(axis=0)[:-1] + VA.sum(axis=0)[:-1], rtol=1e-9, atol=1e-3)
    # without ROW, inputs are off output by up to a few percent: China's too
    out_kept = T[:-1, :-1].sum(axis=1) + FD[:-1, :-6].sum(axis=1)
    gap = np.divide(out_kept - (T[:-1, :-1].sum(axis=0) + VA[:, :-1].sum(axis=0)), out_kept,
                    out=np.zeros_like(out_kept), where=out_kept > 0)
    chn = labels["T"]["country_code"].iloc[:-1].eq("CHN").to_numpy()
    assert np.abs(gap).max() <= P.SECTOR_IMBALANCE_MAX + 1e-9
    assert 0.01 < np.abs(gap[chn]).max() <= P.SECTOR_IMBALANCE_MAX + 1e-9
    # China's GDP and CO2 those of the small demo's world (~7.5 trn USD, ~9.3 Gt in 2011)
    assert 6.5 < VA[:, :-1][:, chn].sum() / 1e9 < 8.5
    edgar = co2_rows(labels["Q"], "edgar_total")
    assert 8.0 < arrays["Q"][edgar, :-1][:, chn].sum() / 1e6 < 10.5


def test_full_scale_files_are_the_writers_bytes_and_the_china_sources_the_small_scales(
        full_root, worlds, demo_root, tmp_path):
    root, result = full_root
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scale"] == "full" and manifest["eora26_years"] == [YEAR] and manifest["years"] == [YEAR]
    readme = (root / "SYNTHETIC_DATA_README.md").read_text(encoding="utf-8")
    assert "scale **full**" in readme and "189 countries" in readme and "170" in readme
    # deterministic: the writer alone, on a world built anew, gives the same bytes
    _, full = worlds
    for path in writers.write_eora(tmp_path, full):
        rel = path.relative_to(tmp_path).as_posix()
        assert hashlib.sha256(path.read_bytes()).hexdigest() == result["files"][rel], rel
    # the China-only sources of the year are the small scale's, byte for byte
    small = json.loads((demo_root / "manifest.json").read_text(encoding="utf-8"))["files"]
    china = [k for k in result["files"] if k.startswith(("ceads_emissions/", "yearbook/employment/"))]
    assert china and all(result["files"][k] == small[k] for k in china)
    # a rerun is cached
    assert generate(root, years=[YEAR], scale="full")["cached"] is True


def test_full_scale_writes_eora26_for_the_free_release_only():
    from greentrade.demo.generate import eora_years

    assert eora_years(range(2010, 2020), "full") == list(range(2010, 2017))
    assert eora_years(range(2010, 2020), "small") == list(range(2010, 2020))
    with pytest.raises(ValueError, match="demo scale"):
        eora_years([2015], "medium")
