"""GRAS against independent characterisations of its solution."""

from __future__ import annotations

import numpy as np
import pytest

from greentrade.mrio import GRASConvergenceError, gras

# Miller & Blair (2009), section 7.4.2: base coefficients A0, new outputs x1 and the
# observed row / column totals of the (unknown) new flows.
MB_A0 = np.array([[0.120, 0.100, 0.049], [0.210, 0.247, 0.265], [0.026, 0.249, 0.145]])
MB_X1 = np.array([421.0, 284.0, 283.0])
MB_U = np.array([245.0, 136.0, 159.0])
MB_V = np.array([251.0, 107.0, 182.0])


def classic_ras(Z0, u, v, sweeps=10_000):
    """Stone's RAS exactly as printed (alternate row and column scaling), for nonnegative Z0."""
    Z = Z0.copy()
    for _ in range(sweeps):
        Z *= (u / Z.sum(axis=1))[:, None]
        Z *= (v / Z.sum(axis=0))[None, :]
    return Z


def test_miller_blair_ras_example_matches_classic_ras():
    Z0 = MB_A0 * MB_X1[None, :]
    result = gras(Z0, MB_U, MB_V, tol=1e-12)
    np.testing.assert_allclose(result.values.sum(axis=1), MB_U, rtol=1e-11)
    np.testing.assert_allclose(result.values.sum(axis=0), MB_V, rtol=1e-11)
    np.testing.assert_allclose(result.values, classic_ras(Z0, MB_U, MB_V), rtol=1e-9)


def test_two_by_two_keeps_the_cross_product_ratio():
    # For a positive 2x2 matrix the RAS solution is the unique matrix with the given
    # margins and the original odds ratio ad / bc (Bacharach 1970): solve the quadratic.
    X0 = np.array([[4.0, 1.0], [2.0, 3.0]])
    u, v = np.array([7.0, 5.0]), np.array([6.0, 6.0])
    ratio = (4.0 * 3.0) / (1.0 * 2.0)
    # a (u2 - v1 + a) = ratio (u1 - a)(v1 - a)
    coeffs = [1.0 - ratio, (u[1] - v[0]) + ratio * (u[0] + v[0]), -ratio * u[0] * v[0]]
    roots = np.roots(coeffs)
    a = [r.real for r in roots if 0 < r.real < min(u[0], v[0])][0]
    expected = np.array([[a, u[0] - a], [v[0] - a, u[1] - v[0] + a]])
    np.testing.assert_allclose(gras(X0, u, v, tol=1e-13).values, expected, rtol=1e-10)


def test_mixed_signs_have_the_gras_structure():
    X0 = np.array([[7.0, 3.0, 5.0, -3.0], [2.0, 9.0, 8.0, 1.0], [-2.0, 0.0, 2.0, 1.0], [4.0, -1.0, 6.0, 5.0]])
    u = np.array([15.0, 26.0, -1.0, 17.0])
    v = np.array([13.0, 12.0, 25.0, 7.0])
    X = gras(X0, u, v, tol=1e-12).values
    np.testing.assert_allclose(X.sum(axis=1), u, rtol=1e-10)
    np.testing.assert_allclose(X.sum(axis=0), v, rtol=1e-10)
    nz = X0 != 0
    assert (np.sign(X[nz]) == np.sign(X0[nz])).all() and (X[~nz] == 0).all()
    # X = diag(r) P diag(s) - diag(r)^-1 N diag(s)^-1  <=>  sign(X0) log(X / X0) = log r_i + log s_j
    # is additive: every 2x2 interaction contrast over nonzero cells vanishes.
    g = np.where(nz, np.sign(X0) * np.log(np.where(nz, X / np.where(nz, X0, 1.0), 1.0)), np.nan)
    for i in range(4):
        for j in range(4):
            for k in range(4):
                for m in range(4):
                    cells = [g[i, j], g[i, m], g[k, j], g[k, m]]
                    if not np.isnan(cells).any():
                        assert g[i, j] - g[i, m] - g[k, j] + g[k, m] == pytest.approx(0.0, abs=1e-9)


def test_inconsistent_targets_raise_with_residual():
    X0 = np.array([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(GRASConvergenceError) as info:
        gras(X0, [5.0, 5.0], [6.0, 6.0], tol=1e-10, max_iter=200)  # 10 != 12
    assert info.value.residual > 1e-3
    assert info.value.iterations == 200
