"""Trade accounts (docs/method.md eqs. (6)-(12)) against explicit sums over an inverted L, and the
whole solve against pymrio."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greentrade.mrio import (MRIO, AccountSettings, bilateral_accounts, drop_regions,
                             embodied_in_final_demand, green_benefit, trade_accounts, vex)

from .helpers import random_balanced

REGIONS = ["CN1", "CN2", "SGP", "THA", "USA"]
SECTORS = ["agri", "manu", "chem", "serv"]
MANUFACTURING = ("manu", "chem")


@pytest.fixture(scope="module")
def table():
    Z, Y, F = random_balanced(np.random.default_rng(5), REGIONS, SECTORS, ["hh", "inv"])
    return MRIO(Z=Z, Y=Y, F=F)


def explicit(table: MRIO, home, partner, factor_rows, origin_mask=None, product_mask=None):
    """sum_{i in home} f_i sum_j L_ij y_j(partner), with L from an explicit inverse."""
    Z, Y = table.Z.to_numpy(), table.Y.to_numpy()
    x = Z.sum(axis=1) + Y.sum(axis=1)
    L = np.linalg.inv(np.eye(len(x)) - Z / x)
    f = table.F.loc[list(factor_rows)].to_numpy().sum(axis=0) / x
    y = Y[:, table.Y.columns.get_level_values(0) == partner].sum(axis=1)
    if product_mask is not None:
        y = y * product_mask
    rows = table.Z.index.get_level_values(0) == home
    if origin_mask is not None:
        rows = rows & origin_mask
    return float((f * (L @ y))[rows].sum())


@pytest.mark.parametrize("scope", ["all", "producing_sector", "final_product", "both"])
def test_accounts_match_explicit_sums(table, scope):
    settings = AccountSettings(va_rows=("wages", "surplus"), co2_rows=("CO2",), scope=scope,
                               manufacturing_sectors=MANUFACTURING if scope != "all" else ())
    result = trade_accounts(table, ["CN1", "CN2"], ["SGP", "THA"], settings, by_partner=True).table
    manu = table.Z.index.get_level_values(1).isin(MANUFACTURING)
    origin = manu if scope in ("producing_sector", "both") else None
    product = manu.astype(float) if scope in ("final_product", "both") else None
    for home in ["CN1", "CN2"]:
        for partner in ["SGP", "THA"]:
            row = result.loc[(home, partner)]
            va, co2 = ("wages", "surplus"), ("CO2",)
            assert row["vex"] == pytest.approx(explicit(table, home, partner, va, origin, product), rel=1e-10)
            assert row["vim"] == pytest.approx(explicit(table, partner, home, va, origin, product), rel=1e-10)
            assert row["cex"] == pytest.approx(explicit(table, home, partner, co2, origin, product), rel=1e-10)
            assert row["cim"] == pytest.approx(explicit(table, partner, home, co2, origin, product), rel=1e-10)
            assert row["nv"] == pytest.approx(row["vex"] - row["vim"])
            assert row["nc"] == pytest.approx(row["cex"] - row["cim"])


def test_partner_group_sums_partners_and_skips_home(table):
    settings = AccountSettings(va_rows=("wages", "surplus"))
    accounts = bilateral_accounts(table, settings)
    by_partner = trade_accounts(accounts, ["CN1"], REGIONS, by_partner=True).table
    grouped = trade_accounts(accounts, ["CN1"], REGIONS).table
    assert "CN1" not in by_partner.index.get_level_values("partner_region")
    np.testing.assert_allclose(grouped.loc["CN1"].to_numpy(), by_partner.sum().to_numpy(), rtol=1e-12)
    by_sector = vex(accounts, ["CN1"], ["SGP"], by_sector=True)
    assert by_sector.sum() == pytest.approx(vex(accounts, ["CN1"], ["SGP"]).iloc[0], rel=1e-12)


def test_green_benefit_units():
    # 2 million thousand USD = 2 billion USD; 10 million t at 25 USD/t = 0.25 billion USD
    assert green_benefit(2e6, 1e7, 25.0) == pytest.approx(2.0 - 0.25)
    series = green_benefit(pd.Series([1e6, -1e6]), pd.Series([0.0, 4e6]), 50.0)
    np.testing.assert_allclose(series, [1.0, -1.2])
    assert green_benefit(1.0, 1.0, 10.0, va_unit_usd=1e9, co2_unit_t=1e6) == pytest.approx(1.0 - 0.01)


def test_scope_validation():
    with pytest.raises(ValueError, match="manufacturing_sectors"):
        AccountSettings(scope="both")
    with pytest.raises(ValueError, match="scope"):
        AccountSettings(scope="manufacturing")


def test_drop_regions_reports_discrepancy(table):
    reduced, report = drop_regions(table, ["USA"])
    assert "USA" not in reduced.regions and "USA" not in reduced.Y.columns.get_level_values(0)
    usa = table.Z.index.get_level_values(0) == "USA"
    assert report["row_flows"] == pytest.approx(table.x[usa].sum())
    assert report["factor_CO2"] == pytest.approx(table.F.loc["CO2", usa].sum())


def test_against_pymrio(table):
    pymrio = pytest.importorskip("pymrio", reason="pymrio is the benchmark/test-only reference")
    io = pymrio.IOSystem(Z=table.Z.copy(), Y=table.Y.copy(),
                         factors={"name": "factors", "F": table.F.copy()})
    io.calc_all()
    tidy = embodied_in_final_demand(table.Z, table.Y, table.F)
    by_destination = tidy.pivot_table(index="factor", columns="destination_region", values="value", aggfunc="sum")
    expected = io.factors.D_cba_reg.loc[by_destination.index, by_destination.columns]
    np.testing.assert_allclose(by_destination.to_numpy(), expected.to_numpy(), rtol=1e-9)
    # cell by cell, from pymrio's own L and S
    y_r = table.Y.T.groupby(level=0, sort=False).sum().T
    cells = io.factors.S.to_numpy()[:, :, None] * (io.L.to_numpy() @ y_r.to_numpy())[None]
    mine = tidy.set_index(["factor", "origin_region", "origin_sector", "destination_region"])["value"]
    expected_cells = pd.Series(cells.ravel(), index=pd.MultiIndex.from_product(
        [table.F.index, table.Z.index.get_level_values(0).unique(), SECTORS, y_r.columns]))
    np.testing.assert_allclose(mine.to_numpy(), expected_cells.loc[mine.index].to_numpy(), rtol=1e-9, atol=1e-12)
