"""Mixed-precision solve (float32 LU + float64 iterative refinement) against float64."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

from greentrade.mrio import (
    embodied_by_destination,
    solve_by_destination,
    sum_by_origin_region,
    sum_columns_by_group,
    total_output,
)
from greentrade.mrio.leontief import SolveInfo


def productive_system(rng, regions=30, sectors=30, categories=3, foreign=0.05):
    """A random MRIO-like table (dense domestic blocks, weaker foreign blocks, some negative
    final demand, one negative VA component): n = regions x sectors = 900 by default."""
    n = regions * sectors
    region = np.repeat(np.arange(regions), sectors)
    Z = rng.random((n, n)) ** 3 * np.where(region[:, None] == region[None, :], 1.0, foreign)
    Z *= rng.lognormal(0.0, 1.0, n)[:, None]  # sizes across rows: values over decades
    Y = rng.uniform(0.5, 2.0, (n, regions * categories)) * Z.sum(axis=1)[:, None] / categories
    Y[:, categories - 1::categories] *= np.where(rng.random((n, regions)) < 0.3, -0.1, 0.1)
    x = total_output(Z, Y)
    # rescale columns so that every input share is in [0.3, 0.7] (certificate holds)
    Z *= (rng.uniform(0.3, 0.7, n) * x / Z.sum(axis=0))[None, :]
    x = total_output(Z, Y)
    va = x - Z.sum(axis=0)
    F = np.vstack([0.7 * va, 0.35 * va, -0.05 * va, rng.lognormal(0.0, 1.0, n) * x])
    codes = np.repeat(np.arange(regions), categories)
    return np.asfortranarray(Z), Y, F, x, sum_columns_by_group(Y, codes, regions), region


def test_refinement_reaches_float64_accuracy():
    Z, Y, F, x, y_r, _ = productive_system(np.random.default_rng(1))
    n = len(x)
    assert n >= 512
    reference = np.linalg.solve(np.eye(n) - Z / x[None, :], y_r)  # float64 dense (gesv)
    Z_before = Z.copy()
    X, info = solve_by_destination(Z, x, y_r, overwrite_z=True, return_info=True)
    assert isinstance(info, SolveInfo)
    assert info.method == "mixed" and info.fallback is None
    assert 1 <= info.refinement_steps <= 3
    assert info.error_bound <= 1e-12
    # the float32 solve alone is only ~1e-7 accurate; refinement recovers float64
    assert info.residual_history[0] > 1e-9
    column_error = np.abs(X - reference).sum(axis=0) / np.abs(reference).sum(axis=0)
    assert column_error.max() <= 1e-12
    # the certified bound holds for the true error (up to the reference's own rounding)
    assert column_error.max() <= info.error_bound + 1e-14
    np.testing.assert_allclose(X, reference, rtol=1e-10, atol=0)
    np.testing.assert_array_equal(Z, Z_before)  # mixed precision leaves Z intact


def test_mixed_matches_float64_path():
    Z, Y, F, x, y_r, _ = productive_system(np.random.default_rng(2))
    X64, info64 = solve_by_destination(Z.copy(order="F"), x, y_r, precision="float64", return_info=True)
    X32, info32 = solve_by_destination(Z, x, y_r, precision="mixed", return_info=True)
    assert info64.method == "float64" and info32.method == "mixed"
    np.testing.assert_allclose(X32, X64, rtol=1e-11, atol=1e-12 * np.abs(X64).max())


def test_value_added_absorbed_equals_total_value_added():
    Z, Y, F, x, y_r, region = productive_system(np.random.default_rng(3))
    embodied = embodied_by_destination(Z, y_r, F, x=x, overwrite_z=True)
    totals = embodied.sum(axis=(1, 2))
    np.testing.assert_allclose(totals, F.sum(axis=1), rtol=1e-9)
    va = F[:3].sum(axis=0)
    assert abs(embodied[:3].sum() - va.sum()) / abs(va.sum()) <= 1e-9
    by_region = sum_by_origin_region(embodied, region, region.max() + 1)
    np.testing.assert_allclose(by_region.sum(axis=2), sum_columns_by_group(F, region, region.max() + 1),
                               rtol=1e-9)


def test_ill_conditioned_system_falls_back_to_float64():
    # column sums of A all 0.9995: certified, but cond(I - A) ~ 4000 > 1e3 -> float64 LU
    rng = np.random.default_rng(4)
    n = 600
    A = rng.random((n, n))
    A *= 0.9995 / A.sum(axis=0)
    x = rng.uniform(1.0, 2.0, n)
    Z = np.asfortranarray(A * x[None, :])
    y = rng.random((n, 5))
    X, info = solve_by_destination(Z, x, y, precision="mixed", return_info=True)
    assert info.method == "float64"
    assert "rcond" in info.fallback
    reference = sla.solve(np.eye(n) - A, y)
    np.testing.assert_allclose(X, reference, rtol=1e-8)


def test_no_certificate_falls_back_to_float64():
    # productive (rho < 1) but some column sums of A above 1 and some rows with negative
    # net final demand: no certificate, so no guaranteed conditioning -> float64 LU
    rng = np.random.default_rng(5)
    n = 520
    A = rng.random((n, n)) / n
    A[:, 0] = 0.0
    A[1:, 0] = 1.3 / (n - 1)  # column 0 sums to 1.3
    rho = np.max(np.abs(np.linalg.eigvals(A)))
    assert rho < 1
    x = rng.uniform(1.0, 2.0, n)
    x[1] = 1e-3  # row 1 sells far more than it produces: the row-sum certificate fails too
    Z = np.asfortranarray(A * x[None, :])
    assert Z[1].sum() > x[1]
    y = rng.random((n, 3))
    X, info = solve_by_destination(Z, x, y, precision="mixed", return_info=True)
    assert info.method == "float64" and info.fallback == "no productivity certificate"
    np.testing.assert_allclose(X, np.linalg.solve(np.eye(n) - A, y), rtol=1e-10)


def test_refinement_that_cannot_converge_falls_back():
    Z, Y, F, x, y_r, _ = productive_system(np.random.default_rng(6))
    X64 = solve_by_destination(Z.copy(order="F"), x, y_r, precision="float64")
    X, info = solve_by_destination(Z, x, y_r, precision="mixed", rtol=0.0, max_refinement=2,
                                   return_info=True)
    assert info.method == "float64"
    assert info.fallback.startswith("refinement did not converge")
    assert len(info.residual_history) >= 2
    np.testing.assert_array_equal(X, X64)


def test_small_systems_stay_in_float64_by_default():
    Z, Y, F, x, y_r, _ = productive_system(np.random.default_rng(7), regions=5, sectors=10)
    _, info = solve_by_destination(Z, x, y_r, return_info=True)
    assert info.method == "float64" and info.fallback is None
    _, info = solve_by_destination(Z, x, y_r, precision="mixed", return_info=True)
    assert info.method == "mixed"


def test_huge_units_do_not_overflow_float32():
    Z, Y, F, x, y_r, _ = productive_system(np.random.default_rng(8))
    scale = 1e36  # float32 max is 3.4e38
    X, info = solve_by_destination(Z * scale, x * scale, y_r * scale, precision="mixed", return_info=True)
    X_ref = solve_by_destination(Z, x, y_r, precision="float64")
    assert info.method == "mixed"
    np.testing.assert_allclose(X / scale, X_ref, rtol=1e-10, atol=1e-12 * np.abs(X_ref).max())


def test_precision_must_be_known():
    with pytest.raises(ValueError, match="precision"):
        solve_by_destination(np.eye(2), np.ones(2) * 2, np.ones(2), precision="half")


def test_auto_keeps_float64_for_many_right_hand_sides():
    # each column costs two float32 solves and two float64 residuals: beyond ~0.045 n
    # columns the float64 LU is cheaper, and 'auto' takes it
    Z, Y, F, x, y_r, _ = productive_system(np.random.default_rng(9))
    many = np.hstack([y_r, y_r * 0.5])  # 60 > 0.045 * 900
    _, info = solve_by_destination(Z, x, many, return_info=True)
    assert info.method == "float64" and info.fallback is None
    _, info = solve_by_destination(Z, x, y_r, return_info=True)  # 30 columns
    assert info.method == "mixed"
