"""Leontief solve against hand-computed numbers (Miller & Blair 2009, sec. 2.3)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from greentrade.mrio import (
    NonProductiveError,
    SingularSystemError,
    coefficients,
    embodied_by_destination,
    embodied_in_final_demand,
    factorise_leontief,
    solve_by_destination,
    spectral_radius,
    sum_by_origin_region,
    total_output,
)

from .helpers import labelled

MB_Z = np.array([[150.0, 500.0], [200.0, 100.0]])
MB_Y = np.array([[350.0, 0.0], [0.0, 1700.0]])  # region r1 buys sector 1, r2 buys sector 2
MB_L = np.array([[1.2541, 0.3300], [0.2640, 1.1221]])  # by hand, Miller & Blair p. 22


def test_miller_blair_coefficients_and_leontief():
    x = total_output(MB_Z, MB_Y)
    np.testing.assert_allclose(x, [1000.0, 2000.0])
    np.testing.assert_allclose(coefficients(MB_Z, x), [[0.15, 0.25], [0.2, 0.05]])
    L = factorise_leontief(MB_Z, x).solve(np.eye(2))
    np.testing.assert_allclose(L, MB_L, atol=5e-5)


def test_miller_blair_embodied_value_added():
    # two regions of one sector each; v = 1 - column sums of A = [0.65, 0.70]
    Z, Y, F = labelled(MB_Z, MB_Y, [[650.0, 1400.0]], ["r1", "r2"], ["s"], ["hh"], ["va"])
    tidy = embodied_in_final_demand(Z, Y, F).set_index(["origin_region", "destination_region"])["value"]
    by_hand = {("r1", "r1"): 0.65 * 1.2541 * 350, ("r2", "r1"): 0.70 * 0.2640 * 350,
               ("r1", "r2"): 0.65 * 0.3300 * 1700, ("r2", "r2"): 0.70 * 1.1221 * 1700}
    for key, value in by_hand.items():
        assert tidy[key] == pytest.approx(value, rel=2e-4)


def test_factors_sum_over_destinations_to_totals(three_region):
    Z, Y, F = three_region
    tidy = embodied_in_final_demand(Z, Y, F)
    assert list(tidy.columns) == ["factor", "origin_region", "origin_sector", "destination_region", "value"]
    totals = tidy.groupby("factor")["value"].sum()
    for factor in F.index:
        assert totals[factor] == pytest.approx(F.loc[factor].sum(), rel=1e-9)
    by_origin = tidy.groupby(["factor", "origin_region", "origin_sector"])["value"].sum()
    for (factor, region, sector), value in by_origin.items():
        assert value == pytest.approx(F.loc[factor, (region, sector)], rel=1e-9)


def test_negative_inventory_matches_dense_solve(three_region):
    Z, Y, F = three_region
    assert (Y.to_numpy() < 0).any()
    x = Z.sum(axis=1).to_numpy() + Y.sum(axis=1).to_numpy()
    A = Z.to_numpy() / x
    y_r = Y.T.groupby(level=0).sum().T.to_numpy()
    X = solve_by_destination(Z, x, y_r)
    np.testing.assert_allclose(X, np.linalg.solve(np.eye(len(x)) - A, y_r), rtol=1e-10)


def test_zero_output_sector_gets_zero_coefficients_without_warnings():
    Z = np.array([[10.0, 0.0, 5.0], [0.0, 0.0, 0.0], [4.0, 0.0, 6.0]])
    Y = np.array([[20.0], [0.0], [-2.0]])  # negative inventory too
    Zf, Yf, Ff = labelled(Z, Y, [[11.0, 3.0, 8.0]], ["r"], ["a", "b", "c"], ["hh"], ["va"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tidy = embodied_in_final_demand(Zf, Yf, Ff)
        x = total_output(Z, Y)
        A = coefficients(Z, x)
    assert x[1] == 0 and (A[:, 1] == 0).all()
    assert tidy.set_index("origin_sector").loc["b", "value"] == 0
    # VA of the zero-output column (3.0) cannot be attributed; the rest is
    assert tidy["value"].sum() == pytest.approx(19.0, rel=1e-12)


def test_singular_system_raises():
    Z = np.array([[50.0, 50.0], [50.0, 50.0]])  # A = [[.5,.5],[.5,.5]], det(I - A) = 0
    with pytest.raises(SingularSystemError, match="singular"):
        factorise_leontief(Z, np.array([100.0, 100.0]))


def test_non_productive_system_raises():
    Z = np.array([[50.0, 90.0], [90.0, 50.0]])  # A = [[.5,.9],[.9,.5]], rho = 1.4
    with pytest.raises(NonProductiveError) as info:
        factorise_leontief(Z, np.array([100.0, 100.0]))
    assert info.value.spectral_radius == pytest.approx(1.4)


def test_non_productive_large_system_uses_iterative_estimate():
    rng = np.random.default_rng(3)
    n = 120
    A = rng.uniform(0, 1, (n, n)) / n * 1.6  # column sums ~ 0.8, rho ~ 0.8 * ... then scaled up
    rho_true = np.max(np.abs(np.linalg.eigvals(A)))
    A *= 1.05 / rho_true
    x = rng.uniform(1, 2, n)
    Z = A * x
    assert spectral_radius(Z, x) == pytest.approx(1.05, rel=1e-6)
    with pytest.raises(NonProductiveError):
        factorise_leontief(Z, x)
    # same matrix scaled to rho = 0.95 but with some column sums > 1: certificate fails, ARPACK passes
    Z2 = Z * (0.95 / 1.05)
    assert (coefficients(Z2, x).sum(axis=0) > 1).any()
    assert spectral_radius(Z2, x) == pytest.approx(0.95, rel=1e-6)
    factorise_leontief(Z2, x)


def test_overwrite_uses_input_buffer():
    x = np.array([1000.0, 2000.0])
    Z = np.asfortranarray(MB_Z.copy())
    factor = factorise_leontief(Z, x, overwrite_z=True)
    assert np.shares_memory(factor.lu, Z)
    np.testing.assert_allclose(factor.solve(np.eye(2)), MB_L, atol=5e-5)


def test_frames_must_align(three_region):
    Z, Y, F = three_region
    with pytest.raises(ValueError, match="F: column labels"):
        embodied_in_final_demand(Z, Y, F.iloc[:, ::-1])


def test_array_api_in_place_matches_explicit_inverse(three_region):
    Z, Y, F = three_region
    y_r = Y.T.groupby(level=0, sort=False).sum().T.to_numpy()
    x = Z.sum(axis=1).to_numpy() + Y.sum(axis=1).to_numpy()
    L = np.linalg.inv(np.eye(len(x)) - Z.to_numpy() / x)
    expected = (F.to_numpy() / x)[:, :, None] * (L @ y_r)[None]
    buffer = np.asfortranarray(Z.to_numpy().copy())
    embodied = embodied_by_destination(buffer, y_r, F.to_numpy(), overwrite_z=True)
    np.testing.assert_allclose(embodied, expected, rtol=1e-10, atol=1e-12)
    assert not np.array_equal(buffer, Z.to_numpy())  # the buffer now holds the LU factors
    regions = sum_by_origin_region(embodied, np.repeat(np.arange(3), 3), 3)
    np.testing.assert_allclose(regions.sum(axis=(1, 2)), F.sum(axis=1).to_numpy(), rtol=1e-10)


def test_certificate_gives_condition_bound():
    x = np.array([1000.0, 2000.0])
    factor = factorise_leontief(MB_Z, x)
    # column sums of A are 0.35 and 0.30: bound 0.35, so rcond >= 0.65 / 1.35
    assert factor.spectral_radius == pytest.approx(0.35)
    assert factor.rcond == pytest.approx(0.65 / 1.35)
    true_rcond = 1.0 / (np.linalg.norm(np.eye(2) - MB_Z / x, 1) * np.linalg.norm(MB_L, 1))
    assert factor.rcond <= true_rcond * 1.001
