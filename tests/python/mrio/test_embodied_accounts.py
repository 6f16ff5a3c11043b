"""The library's face for any MRIO, ``embodied_in_final_demand(Z, Y, F)``, and the masked
``embodied_by_destination`` the dbt models can use, against explicit sums over an inverted L
(the accounts of docs/method.md eqs. (6)-(9) written out by hand), and the whole solve against pymrio.

The accounts themselves are defined once, in the SQL marts; their unit conversions are pinned
by the dbt unit tests (models/*/_*__unit_tests.yml), and the marts are compared with the
demo's true world in tests/python/pipeline/test_end_to_end.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greentrade.mrio import MRIO, drop_regions, embodied_by_destination, embodied_in_final_demand

from .helpers import random_balanced

REGIONS = ["CN1", "CN2", "SGP", "THA", "USA"]
SECTORS = ["agri", "manu", "chem", "serv"]
MANUFACTURING = ("manu", "chem")
VA, CO2 = ("wages", "surplus"), ("CO2",)


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


@pytest.mark.parametrize("origin_sectors", ["all", "manufacturing"])
def test_tidy_output_sums_to_the_accounts(table, origin_sectors):
    """VEX/VIM/CEX/CIM of a home region with a partner, summed from the tidy output as the
    marts sum int_embodied_factors_by_destination (scope producing_sector: manufacturing
    origin sectors only), equal the explicit sums."""
    tidy = embodied_in_final_demand(table.Z, table.Y, table.F)
    manu = table.Z.index.get_level_values(1).isin(MANUFACTURING)
    origin = manu if origin_sectors == "manufacturing" else None
    if origin is not None:
        tidy = tidy[tidy["origin_sector"].isin(MANUFACTURING)]

    def flow(factors, origin_region, destination_region):
        rows = tidy["factor"].isin(factors) & (tidy["origin_region"] == origin_region) \
            & (tidy["destination_region"] == destination_region)
        return tidy.loc[rows, "value"].sum()

    for home in ["CN1", "CN2"]:
        for partner in ["SGP", "THA"]:
            assert flow(VA, home, partner) == pytest.approx(explicit(table, home, partner, VA, origin), rel=1e-10)
            assert flow(VA, partner, home) == pytest.approx(explicit(table, partner, home, VA, origin), rel=1e-10)
            assert flow(CO2, home, partner) == pytest.approx(explicit(table, home, partner, CO2, origin), rel=1e-10)
            assert flow(CO2, partner, home) == pytest.approx(explicit(table, partner, home, CO2, origin), rel=1e-10)


@pytest.mark.parametrize("scope", ["all", "producing_sector", "final_product", "both"])
def test_masked_solve_matches_explicit_sums(table, scope):
    """The manufacturing scopes through embodied_by_destination's masks: origin_mask zeroes
    intensities outside manufacturing (producing_sector), product_mask zeroes final demand
    for other products before solving (final_product); 'both' applies both."""
    manu = table.Z.index.get_level_values(1).isin(MANUFACTURING)
    origin = manu if scope in ("producing_sector", "both") else None
    product = manu if scope in ("final_product", "both") else None
    y_r = table.Y.T.groupby(level=0, sort=False).sum().T
    factors = np.vstack([table.F.loc[list(VA)].to_numpy().sum(axis=0), table.F.loc[list(CO2)].to_numpy().sum(axis=0)])
    embodied = embodied_by_destination(table.Z.to_numpy(), y_r.to_numpy(), factors, x=table.x.to_numpy(),
                                       origin_mask=origin, product_mask=product)
    regions = table.Z.index.get_level_values(0)
    for home in ["CN1", "CN2"]:
        for partner in ["SGP", "THA"]:
            for k, rows in enumerate([VA, CO2]):
                exported = embodied[k][regions == home, y_r.columns.get_loc(partner)].sum()
                imported = embodied[k][regions == partner, y_r.columns.get_loc(home)].sum()
                product_weights = None if product is None else product.astype(float)
                assert exported == pytest.approx(explicit(table, home, partner, rows, origin, product_weights), rel=1e-10)
                assert imported == pytest.approx(explicit(table, partner, home, rows, origin, product_weights), rel=1e-10)


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
