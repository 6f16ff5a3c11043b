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


def _split_problem(seed: int):
    """A dense block and two split blocks over three constraints (rows, columns, cells), with
    negative and zero world cells, and the same problem with every entry stored."""
    from greentrade.mrio.gras import Constraint, SplitBlock
    rng = np.random.default_rng(seed)
    A, I, B = 4, 3, 5
    shares = rng.random((A, I)) * (rng.random((A, I)) > 0.15)
    shares /= np.where(shares.sum(axis=0) > 0, shares.sum(axis=0), 1.0)
    cells = rng.normal(1.0, 1.0, (I, B)) * (rng.random((I, B)) > 0.2)      # some negative, some zero
    cells2 = rng.random((I, B)) * 3.0
    dense = rng.random(A * I) * 2.0                                          # one entry per (a, i)
    row_groups = np.arange(A * I).reshape(A, I)                              # constraint 0: (a, i)
    cell_groups = np.arange(I * B).reshape(I, B)                             # constraint 1 / 2: (i, b)
    blocks = [SplitBlock(shares, cells, 0, row_groups, 1, cell_groups),
              SplitBlock(shares, cells2, 0, row_groups, 2, cell_groups)]
    full1 = shares[:, :, None] * cells[None]
    full2 = shares[:, :, None] * cells2[None]
    # targets: perturb the split's own sums, keeping row and cell conditions consistent
    row_t = (dense + full1.sum(axis=2).ravel() + full2.sum(axis=2).ravel()) * rng.uniform(0.9, 1.1, A * I)
    grand_cells = np.abs(cells).sum() + cells2.sum()
    constraints = [Constraint(np.arange(A * I), row_t, "rows"),
                   Constraint(np.full(A * I, -1), cells.ravel(), "cells 1"),
                   Constraint(np.full(A * I, -1), cells2.ravel() * (row_t.sum() - dense.sum() - cells.sum())
                              / cells2.sum(), "cells 2")]
    assert grand_cells > 0
    stored = np.concatenate([dense, full1.ravel(), full2.ravel()])
    ids = np.broadcast_to(np.arange(A * I).reshape(A, I, 1), (A, I, B)).ravel()
    cid = np.broadcast_to(np.arange(I * B).reshape(1, I, B), (A, I, B)).ravel()
    none = np.full(A * I * B, -1)
    full_constraints = [
        Constraint(np.concatenate([np.arange(A * I), ids, ids]), constraints[0].targets, "rows"),
        Constraint(np.concatenate([np.full(A * I, -1), cid, none]), constraints[1].targets, "cells 1"),
        Constraint(np.concatenate([np.full(A * I, -1), none, cid]), constraints[2].targets, "cells 2")]
    return dense, constraints, blocks, stored, full_constraints, (A, I, B)


@pytest.mark.parametrize("seed", range(6))
def test_split_blocks_equal_the_stored_entries_gras(seed):
    from greentrade.mrio.gras import balance_groups
    dense, constraints, blocks, stored, full_constraints, (A, I, B) = _split_problem(seed)
    split = balance_groups(dense, constraints, blocks=blocks, tol=1e-12, max_iter=5000)
    full = balance_groups(stored, full_constraints, tol=1e-12, max_iter=5000)
    assert split.iterations == full.iterations
    n = A * I
    np.testing.assert_allclose(split.values, full.values[:n], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(blocks[0].balanced(split.multipliers).ravel(), full.values[n:n + A * I * B],
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(blocks[1].balanced(split.multipliers).ravel(), full.values[n + A * I * B:],
                               rtol=1e-10, atol=1e-12)
    assert len(split.sweep_seconds) == split.iterations


@pytest.mark.parametrize("seed", range(4))
def test_grid_block_equals_the_flat_entries_gras(seed):
    """A (2, 3, 2, 3) block grouped by rows (0, 1), columns (2, 3) and cells (1, 3), with
    negative and zero entries, balances exactly as the same entries given flat."""
    from greentrade.mrio.gras import Constraint, GridBlock, balance_groups
    rng = np.random.default_rng(100 + seed)
    P, S = 2, 3
    X0 = rng.normal(1.0, 0.8, (P, S, P, S)) * (rng.random((P, S, P, S)) > 0.2)
    ps = np.arange(P * S).reshape(P, S)
    cells = np.arange(S * S).reshape(S, S)
    cell_t = X0.sum(axis=(0, 2))
    # feasible targets: rows of sector i sum to the cells of row i, columns of j to column j
    row_t = X0.sum(axis=(2, 3)) * rng.uniform(0.97, 1.03, (P, S))
    row_t *= (cell_t.sum(axis=1) / row_t.sum(axis=0))[None, :]
    col_t = X0.sum(axis=(0, 1)) * rng.uniform(0.97, 1.03, (P, S))
    col_t *= (cell_t.sum(axis=0) / col_t.sum(axis=0))[None, :]
    targets = [row_t.ravel(), col_t.ravel(), cell_t.ravel()]
    none = np.empty(0, dtype=np.int64)
    grid = balance_groups(np.empty(0), [Constraint(none, t) for t in targets], tol=1e-12, max_iter=20000,
                          blocks=[GridBlock(X0, {0: ((0, 1), ps), 1: ((2, 3), ps), 2: ((1, 3), cells)})])
    idx = np.indices(X0.shape).reshape(4, -1)
    flat = balance_groups(X0.ravel(), [Constraint(idx[0] * S + idx[1], targets[0]),
                                       Constraint(idx[2] * S + idx[3], targets[1]),
                                       Constraint(idx[1] * S + idx[3], targets[2])], tol=1e-12, max_iter=20000)
    assert grid.iterations == flat.iterations
    np.testing.assert_allclose(grid.blocks[0].ravel(), flat.values, rtol=1e-10, atol=1e-13)
    nz = X0 != 0
    assert (np.sign(grid.blocks[0][nz]) == np.sign(X0[nz])).all() and (grid.blocks[0][~nz] == 0).all()
