"""Leontief quantity model: coefficients, productivity check, one-LU solve.

Conventions (Miller & Blair 2009, ch. 2-3; docs/mrio.md):

* total output is the row sum ``x = Z 1 + Y 1`` (output side, never column sums);
* coefficients ``A = Z diag(x)^-1`` and factor intensities ``f = F diag(x)^-1`` are 0 in
  the column of a zero-output sector (no division, no warning);
* signs are kept: negative final demand (inventory draw-downs) and negative factor rows
  (subsidies) are legitimate and flow through unchanged;
* ``L = (I - A)^-1`` is never formed. ``I - A`` is LU-factorised once and the right-hand
  sides ``Y`` aggregated by destination region are solved together: for large systems with a
  productivity certificate in float32 (sgetrf) with float64 iterative refinement, verified by
  a float64 residual; otherwise (or if refinement does not converge) in float64 (getrf/getrs).
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg as sla
from scipy.linalg import blas, lapack
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigs

from greentrade.mrio.errors import NonProductiveError, SingularSystemError, TableLayoutError

log = logging.getLogger(__name__)

# Columns per chunk when a pass over Z needs |Z|; keeps temporaries at ~ n * 256 doubles.
_CHUNK = 256
# Columns per chunk when building I - A: n x 16 doubles (~0.7 MB at n = 5668) stay in cache
# while they are read for the |Z| sums and then scaled.
_BUILD_CHUNK = 16
# Below this size the spectral radius is computed exactly with a dense eigensolver.
_DENSE_EIG_MAX = 64


def total_output(Z, Y) -> np.ndarray:
    """Total output from the row sums, ``x = Z 1 + Y 1`` (docs/method.md eq. (L1); pymrio ``calc_x``).

    Parameters
    ----------
    Z : array_like or DataFrame, (n, n)
        Intermediate flows (Eora26: thousand USD).
    Y : array_like or DataFrame, (n, m)
        Final demand, any number of columns (same unit as ``Z``).

    Returns
    -------
    ndarray, (n,)
        Total output of each row (float64), in the unit of ``Z``.
    """
    return np.asarray(Z, dtype=np.float64).sum(axis=1) + np.asarray(Y, dtype=np.float64).sum(axis=1)


def reciprocal_output(x) -> np.ndarray:
    """``1 / x`` where ``x != 0`` and 0 where ``x == 0`` (docs/method.md eq. (L2)).

    Zero-output sectors get zero coefficients instead of a division warning, as pymrio's
    ``calc_A`` does.

    Parameters
    ----------
    x : array_like, (n,)
        Total output (thousand USD).

    Returns
    -------
    ndarray, (n,)
        Reciprocals (float64, per thousand USD), 0 where ``x`` is 0.
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def coefficients(flows, x):
    """Column-normalised coefficients ``flows diag(x)^-1`` (docs/method.md eqs. (L2)-(L3)).

    ``A`` from ``Z``, the factor intensities ``f`` from ``F`` (pymrio ``calc_A`` /
    ``calc_S``). Columns of zero-output sectors are 0.

    Parameters
    ----------
    flows : array_like or DataFrame, (k, n)
        Flows by using column: ``Z`` (n, n, thousand USD) or ``F`` (k, n: value added in
        thousand USD, CO2 in t).
    x : array_like, (n,)
        Total output of each column (thousand USD).

    Returns
    -------
    ndarray or DataFrame, (k, n)
        Coefficients per unit of output: ``A`` in thousand USD per thousand USD, value-added
        intensity likewise, CO2 intensity in t per thousand USD. A DataFrame keeps its labels.
    """
    inv = reciprocal_output(x)
    if isinstance(flows, pd.DataFrame):
        return flows * inv[np.newaxis, :]
    return np.asarray(flows, dtype=np.float64) * inv[np.newaxis, :]


def _abs_sums(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column sums of ``|M|``: plain sums when M has no negative entry, otherwise in
    column chunks (never an n x n temporary)."""
    if M.size == 0 or M.min() >= 0:
        return M.sum(axis=1), M.sum(axis=0)
    n_rows, n_cols = M.shape
    rows = np.zeros(n_rows)
    cols = np.empty(n_cols)
    for start in range(0, n_cols, _CHUNK):
        block = np.abs(M[:, start:start + _CHUNK])
        cols[start:start + _CHUNK] = block.sum(axis=0)
        rows += block.sum(axis=1)
    return rows, cols


def spectral_radius(Z, x) -> float:
    """Spectral radius of ``A = Z diag(x)^-1``, by certificate when possible.

    Parameters
    ----------
    Z : array_like, (n, n)
        Intermediate flows (thousand USD).
    x : array_like, (n,)
        Total output (thousand USD).

    Returns
    -------
    float
        The spectral radius rho(A), or an upper bound on it below 1 when a certificate
        holds (dimensionless).

    Notes
    -----
    Returns an upper bound < 1 as soon as one of two O(n^2) certificates proves
    productivity. For any matrix rho(A) <= rho(|A|), and for a positive vector w with
    ``|A| w < w`` componentwise rho(|A|) <= max_i (|A| w)_i / w_i < 1 (Collatz-Wielandt):

    * w = 1 (left): every column sum of |A| is below 1 (Hawkins-Simon in its usual form,
      true whenever every sector has positive value added);
    * w = x (right, all x > 0): every row sum of |Z| is below x, i.e. positive net final
      demand in every row.

    Otherwise the largest-modulus eigenvalue of A is computed: a dense eigensolver for
    n <= 64, else ARPACK (implicitly restarted Arnoldi, k = 1) on the operator
    ``v -> Z (v / x)``: a few dozen n^2 products, no copy of Z.
    """
    Z = np.asarray(Z, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    inv_x = reciprocal_output(x)
    row_abs, col_abs = _abs_sums(Z)
    bound = _certified_bound(x, inv_x, row_abs, col_abs)
    if bound < 1.0:
        return bound
    return _largest_eigenvalue(lambda v: Z @ (inv_x * v), lambda: Z * inv_x[np.newaxis, :], Z.shape[0])


def _certified_bound(x, inv_x, row_abs_z, col_abs_z) -> float:
    """Smallest of the two Collatz-Wielandt bounds on rho(|A|) (inf if none applies)."""
    bounds = [float(np.max(col_abs_z * inv_x, initial=0.0))]
    if np.all(x > 0):
        bounds.append(float(np.max(row_abs_z / x, initial=0.0)))
    return min(bounds)


def _largest_eigenvalue(matvec, dense, n: int) -> float:
    """Largest eigenvalue modulus of an operator (dense solver for small n)."""
    if n == 0:
        return 0.0
    if n <= _DENSE_EIG_MAX:
        return float(np.max(np.abs(np.linalg.eigvals(dense()))))
    operator = LinearOperator((n, n), matvec=lambda v: matvec(np.ravel(v)), dtype=np.float64)
    try:
        values = eigs(operator, k=1, which="LM", tol=1e-10, maxiter=max(1000, 10 * n),
                      return_eigenvectors=False, v0=np.ones(n))
    except ArpackNoConvergence as exc:  # keep what converged, else be conservative
        values = exc.eigenvalues if len(exc.eigenvalues) else np.array([np.inf])
    return float(np.max(np.abs(values)))


@dataclass(frozen=True)
class LeontiefFactorisation:
    """LU factors of ``I - A`` (LAPACK getrf output) and the diagnostics of the check.

    Attributes
    ----------
    lu, piv : ndarray, (n, n) and (n,)
        LAPACK getrf factors of ``I - A`` (dimensionless).
    rcond : float
        LAPACK's estimate of the reciprocal 1-norm condition number of ``I - A``, or a
        guaranteed lower bound when a productivity certificate holds.
    spectral_radius : float
        rho(A), or an upper bound below 1 from a certificate (see :func:`spectral_radius`);
        NaN when not checked.
    """

    lu: np.ndarray
    piv: np.ndarray
    rcond: float
    spectral_radius: float

    def solve(self, rhs, *, overwrite_rhs: bool = False) -> np.ndarray:
        """``(I - A)^-1 rhs`` for a vector or an n x r matrix (one getrs call).

        Parameters
        ----------
        rhs : array_like, (n,) or (n, r)
            Final demand (thousand USD), e.g. one column per destination region.
        overwrite_rhs : bool
            Let LAPACK overwrite ``rhs`` (saves a copy).

        Returns
        -------
        ndarray, (n,) or (n, r)
            Output required by ``rhs``, ``L rhs`` (thousand USD).
        """
        rhs = np.asarray(rhs, dtype=np.float64)
        return sla.lu_solve((self.lu, self.piv), rhs, overwrite_b=overwrite_rhs, check_finite=False)


def _build_i_minus_a(Z: np.ndarray, inv_x: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Write ``I - A`` into ``out`` (Fortran order: ``Z`` itself for the in-place float64 build,
    or a new float32 array) in one pass over cache-sized column chunks, returning the row and
    column sums of |Z| read on the way."""
    n = Z.shape[0]
    diagonal = 1.0 - np.diagonal(Z) * inv_x  # read before an in-place build overwrites it
    row_abs = np.zeros(n)
    col_abs = np.empty(n)
    for start in range(0, n, _BUILD_CHUNK):
        stop = min(start + _BUILD_CHUNK, n)
        block = Z[:, start:stop]
        magnitude = np.abs(block) if block.min(initial=0.0) < 0 else block
        col_abs[start:stop] = magnitude.sum(axis=0)
        row_abs += magnitude.sum(axis=1)
        np.multiply(block, -inv_x[start:stop], out=out[:, start:stop], casting="same_kind")
    index = np.arange(n)
    out[index, index] = diagonal
    return row_abs, col_abs


def factorise_leontief(Z, x, *, overwrite_z: bool = False, check: bool = True) -> LeontiefFactorisation:
    """Factorise ``I - A`` with ``A = Z diag(x)^-1`` by one dense LU (docs/method.md eq. (L4)).

    Parameters
    ----------
    Z : ndarray or DataFrame, (n, n)
        Intermediate flows (thousand USD).
    x : array_like, (n,)
        Total output (thousand USD), usually :func:`total_output`.
    overwrite_z : bool
        Build ``I - A`` in ``Z``'s own buffer when it is a Fortran-ordered float64 ndarray
        (``Z`` is destroyed).
    check : bool
        Compute rho(A) when no productivity certificate holds, and raise if it is >= 1.

    Returns
    -------
    LeontiefFactorisation
        The LU factors, ``rcond`` and ``spectral_radius``.

    Raises
    ------
    SingularSystemError
        ``I - A`` is singular to working precision (rcond <= n * machine epsilon).
    NonProductiveError
        rho(A) >= 1 (checked when ``check``).

    Notes
    -----
    ``I - A`` is built in a Fortran-ordered float64 array: in ``Z`` itself when
    ``overwrite_z`` is true and ``Z`` already is a Fortran-ordered float64 ndarray (then
    ``Z`` is destroyed; peak memory ~ 1 n^2 doubles), otherwise in one copy. The sums of
    |Z| for the productivity certificates are read in the same pass.

    Singularity: when a certificate proves ||A|| < 1 in some norm, ``I - A`` is
    nonsingular and ``rcond`` is the guaranteed bound ``(1 - b) / (1 + b)`` (b the
    certified bound: exact for the 1-norm certificate, a bound for the weighted one);
    otherwise LAPACK's 1-norm estimate (dgecon) is computed after the LU.
    """
    Z_arr = Z.to_numpy() if isinstance(Z, pd.DataFrame) else Z
    x = np.asarray(x, dtype=np.float64)
    n = Z_arr.shape[0]
    if Z_arr.shape != (n, n) or x.shape != (n,):
        raise TableLayoutError(f"Z must be n x n and x length n; found Z {Z_arr.shape}, x {x.shape}")
    inv_x = reciprocal_output(x)
    diagonal = np.diagonal(Z_arr) * inv_x
    in_place = (overwrite_z and isinstance(Z_arr, np.ndarray) and Z_arr.dtype == np.float64
                and Z_arr.flags.f_contiguous and Z_arr.flags.writeable)
    M = Z_arr if in_place else np.array(Z_arr, dtype=np.float64, order="F", copy=True)
    row_abs, col_abs = _build_i_minus_a(M, inv_x, out=M)

    bound = _certified_bound(x, inv_x, row_abs, col_abs)
    certified = bound < 1.0 - 1e-8
    rho = bound if certified else float("nan")
    if check and not certified:  # A v = v - (I - A) v, before the LU overwrites M
        rho = _largest_eigenvalue(lambda v: v - M @ v, lambda: np.eye(n) - M, n)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sla.LinAlgWarning)
        lu, piv = sla.lu_factor(M, overwrite_a=True, check_finite=False)
    if certified:
        rcond = (1.0 - bound) / (1.0 + bound)
    elif n:
        # ||I - A||_1 from the column sums of |A|: off-diagonal part plus |1 - a_jj|
        anorm = float(np.max(col_abs * inv_x - np.abs(diagonal) + np.abs(1.0 - diagonal)))
        rcond = float(lapack.dgecon(lu, anorm, norm="1")[0])
    else:
        rcond = 1.0
    if not rcond > n * np.finfo(np.float64).eps:
        raise SingularSystemError(
            f"I - A is singular: reciprocal condition number {rcond:.3g} "
            f"(n = {n}; spectral radius of A {rho:.6g}). Look for a closed block of sectors "
            "with no value added and no final demand.", rcond=rcond)
    if check and rho >= 1.0:
        raise NonProductiveError(
            f"A is not productive: spectral radius {rho:.6g} >= 1 (n = {n}); some sectors "
            "use more inputs than they produce (negative value added?).", spectral_radius=rho)
    return LeontiefFactorisation(lu=lu, piv=piv, rcond=rcond, spectral_radius=rho)


# --- mixed-precision solve -------------------------------------------------------------

# Below this size the float64 LU costs milliseconds: 'auto' keeps it.
_MIXED_MIN_N = 512
# 'auto' uses mixed precision only for r <= this fraction of n right-hand sides. Measured
# at n = 5668 (2 cores, OpenBLAS 0.3.31), in float64-LU units: sgetrf ~0.5 plus ~0.05 to
# allocate and fill the float32 matrix; per 100 columns, two float32 solves ~0.07 and two
# float64 residuals ~0.13, against ~0.06 for the float64 getrs. At r = 218 the mixed solve
# is ~1.0-1.1 against ~1.15-1.25 for the float64 path; break-even near r = 0.05 n.
_MIXED_MAX_RHS_FRACTION = 0.045
# Mixed precision is attempted only when the certified condition bound is at least this
# (cond <= ~1e3, so one float32 solve contracts the error by ~1e-4 or better).
_MIXED_MIN_RCOND = 1e-3


@dataclass(frozen=True)
class SolveInfo:
    """How :func:`solve_by_destination` obtained ``X``.

    Attributes
    ----------
    method : str
        'mixed' (float32 LU + float64 iterative refinement, verified) or 'float64' (dense
        float64 LU, LAPACK getrf/getrs).
    refinement_steps : int
        float64 residual corrections applied (mixed only).
    error_bound : float
        Certified bound on the relative forward error of every column,
        ``max_j ||X_j - X*_j|| / ||X_j||`` (dimensionless; mixed only:
        ``||r_j|| / ((1 - b) ||X_j||)`` from the final float64 residual r, in the norm of the
        productivity certificate); NaN for 'float64' (backward-stable LU, not verified by a
        residual).
    spectral_radius : float
        Bound or value of rho(A) (see :func:`spectral_radius`).
    rcond : float
        Reciprocal condition number bound (certificate) or estimate (dgecon).
    fallback : str or None
        Why the float64 LU was used when mixed precision was asked for, else None.
    residual_history : tuple of float
        The error bound after each residual (mixed only).
    """

    method: str
    refinement_steps: int
    error_bound: float
    spectral_radius: float
    rcond: float
    fallback: str | None = None
    residual_history: tuple[float, ...] = ()


def _solve32(lu: np.ndarray, piv: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """float64 n x r -> float64 ``(I - A)_32^-1 rhs`` via sgetrs, columns scaled to unit max
    before the cast (no float32 overflow or underflow whatever the units)."""
    scale = np.max(np.abs(rhs), axis=0)
    scale[~(scale > 0)] = 1.0
    b = np.asfortranarray(rhs / scale, dtype=np.float32)
    sol, info = lapack.sgetrs(lu, piv, b, overwrite_b=True)
    if info != 0:
        raise ValueError(f"sgetrs failed with info = {info}")
    out = sol.astype(np.float64)
    out *= scale
    return out


def _residual(Z: np.ndarray, inv_x: np.ndarray, rhs: np.ndarray, X: np.ndarray) -> np.ndarray:
    """float64 ``rhs - (I - A) X = rhs - X + Z (X / x)`` from Z itself (never from the
    rounded matrix). One dgemm from scipy's BLAS, the library that also runs sgetrf and
    sgetrs: switching between numpy's and scipy's OpenBLAS copies leaves the idle pool's
    threads spinning on the two cores."""
    out = np.asfortranarray(rhs - X)
    W = np.asfortranarray(X * inv_x[:, np.newaxis])
    if Z.flags.f_contiguous:
        return blas.dgemm(1.0, Z, W, beta=1.0, c=out, overwrite_c=True)
    if Z.flags.c_contiguous:
        return blas.dgemm(1.0, Z.T, W, beta=1.0, c=out, trans_a=True, overwrite_c=True)
    out += Z @ W
    return out


def _weighted_norms(V: np.ndarray, weight: np.ndarray | None) -> np.ndarray:
    """Column 1-norms (weight None) or x-weighted max-norms max_i |V_ij| / x_i."""
    if weight is None:
        return np.abs(V).sum(axis=0)
    return np.max(np.abs(V) * weight[:, np.newaxis], axis=0, initial=0.0)


def _solve_mixed(Z: np.ndarray, x: np.ndarray, inv_x: np.ndarray, rhs: np.ndarray, *, rtol: float,
                 max_steps: int) -> tuple[np.ndarray | None, SolveInfo]:
    """Float32 LU of ``I - A`` + float64 iterative refinement (Wilkinson; Moler 1967;
    LAPACK dsgesv; Higham 2002, ch. 12), verified by a float64 residual.

    Returns (None, info) when mixed precision is not applicable or does not converge; the
    caller then falls back to the float64 LU. Accuracy certificate: with b < 1 the
    productivity bound (``||A|| <= b`` in the 1-norm for the column-sum certificate, in the
    x-weighted max-norm for the row-sum one), ``||(I - A)^-1|| <= 1 / (1 - b)`` and the
    forward error of column j is at most ``||r_j|| / (1 - b)`` with ``r = Y - (I - A) X``
    computed in float64 from Z itself: ``r = Y - X + Z (X / x)``.
    """
    M = np.empty(Z.shape, dtype=np.float32, order="F")  # I - A rounded to float32; Z untouched
    row_abs, col_abs = _build_i_minus_a(Z, inv_x, out=M)
    left = float(np.max(col_abs * inv_x, initial=0.0))
    right = float(np.max(row_abs / x, initial=0.0)) if np.all(x > 0) else np.inf
    bound, weight = (left, None) if left <= right else (right, 1.0 / x)
    rcond = (1.0 - bound) / (1.0 + bound) if bound < 1.0 else 0.0
    if not bound < 1.0 - 1e-8:
        return None, SolveInfo("float64", 0, np.nan, np.nan, np.nan, fallback="no productivity certificate")
    if rcond < _MIXED_MIN_RCOND:
        return None, SolveInfo("float64", 0, np.nan, bound, rcond,
                               fallback=f"certified rcond {rcond:.2g} below {_MIXED_MIN_RCOND:g}")
    lu, piv, info = lapack.sgetrf(M, overwrite_a=True)
    del M
    if info != 0:
        return None, SolveInfo("float64", 0, np.nan, bound, rcond, fallback=f"sgetrf info {info}")
    X = _solve32(lu, piv, rhs)
    history: list[float] = []
    steps = 0
    while True:
        residual = _residual(Z, inv_x, rhs, X)
        size = _weighted_norms(X, weight)
        error = _weighted_norms(residual, weight) / (1.0 - bound)
        relative = np.divide(error, size, out=np.where(error > 0, np.inf, 0.0), where=size > 0)
        worst = float(np.max(relative, initial=0.0))
        history.append(worst)
        if worst <= rtol:
            return X, SolveInfo("mixed", steps, worst, bound, rcond, residual_history=tuple(history))
        stalled = len(history) > 1 and not worst < 0.5 * history[-2]
        if steps >= max_steps or stalled or not np.isfinite(worst):
            return None, SolveInfo("float64", steps, np.nan, bound, rcond, residual_history=tuple(history),
                                   fallback=f"refinement did not converge (error bounds {history})")
        X += _solve32(lu, piv, residual)
        steps += 1
        del residual


def solve_by_destination(Z, x, y_by_region, *, overwrite_z: bool = False, check: bool = True,
                         precision: str = "auto", rtol: float = 1e-12, max_refinement: int = 4,
                         return_info: bool = False):
    """Gross output required by each destination's final demand, ``X = L Y_r`` (n x r).

    docs/method.md eq. (L4). Factor ``k`` of origin ``i`` embodied in destination ``d`` is
    then ``f[k, i] * X[i, d]`` (eq. (L5); Miller & Blair 2009, eq. 6.21 with a diagonalised
    intensity). ``L`` is never formed.

    Parameters
    ----------
    Z : ndarray or DataFrame, (n, n)
        Intermediate flows (thousand USD); destroyed when ``overwrite_z`` and the float64
        path runs on a Fortran-ordered float64 array.
    x : array_like, (n,)
        Total output (thousand USD), usually :func:`total_output` of the full final demand.
    y_by_region : array_like, (n, r) or (n,)
        Final demand with its categories summed by destination region (thousand USD), e.g.
        :func:`final_demand_by_region`.
    overwrite_z, check : bool
        As :func:`factorise_leontief` (float64 path).
    precision : {'auto', 'mixed', 'float64'}
        'float64': one float64 LU of ``I - A`` (getrf) and one getrs; ``Z`` is destroyed if
        ``overwrite_z`` (memory Z + n x r).
        'mixed': when a productivity certificate holds (rcond >= 1e-3 guaranteed), float32
        LU of ``I - A`` (sgetrf, ~half the float64 time) and float64 iterative refinement,
        each step one float64 residual ``Y - X + Z (X / x)`` (n x n x r) and one float32
        solve, until the certified relative forward error of every column is <= ``rtol``;
        Z is left intact (memory Z + n^2 / 2 + a few n x r). Falls back to 'float64' (reason
        in the info) without a certificate, when the certified rcond is small, or when
        refinement stalls or exceeds ``max_refinement`` corrections.
        'auto' (default): 'mixed' for n >= 512 and at most 0.045 n right-hand sides (where it
        is faster: each column costs two float32 solves and two float64 residuals), else
        'float64'.
    rtol : float
        Certified relative forward error every column must reach on the mixed path.
    max_refinement : int
        Most float64 residual corrections on the mixed path before falling back.
    return_info : bool
        Also return a :class:`SolveInfo` (method, steps, verified error bound).

    Returns
    -------
    X : ndarray, (n, r)
        Output of each row required by each destination's final demand (thousand USD).
    info : SolveInfo
        Only with ``return_info``.
    """
    if precision not in ("auto", "mixed", "float64"):
        raise ValueError(f"precision must be 'auto', 'mixed' or 'float64'; found {precision!r}")
    Z_arr = Z.to_numpy() if isinstance(Z, pd.DataFrame) else Z
    x = np.asarray(x, dtype=np.float64)
    n = Z_arr.shape[0]
    rhs = np.array(y_by_region, dtype=np.float64, order="F", copy=True)
    if rhs.ndim == 1:
        rhs = rhs[:, np.newaxis]
    use_mixed = precision == "mixed" or (precision == "auto" and n >= _MIXED_MIN_N
                                         and rhs.shape[1] <= _MIXED_MAX_RHS_FRACTION * n)
    info = None
    if use_mixed and n and Z_arr.shape == (n, n) and x.shape == (n,) and rhs.shape[0] == n:
        Z64 = np.asarray(Z_arr, dtype=np.float64)
        X, info = _solve_mixed(Z64, x, reciprocal_output(x), rhs, rtol=rtol, max_steps=max_refinement)
        if X is not None:
            log.debug("Leontief solve n=%d r=%d: %s", n, rhs.shape[1], info)
            return (X, info) if return_info else X
        del Z64
        log.info("Leontief solve n=%d: float64 LU (%s)", n, info.fallback)
    factor = factorise_leontief(Z, x, overwrite_z=overwrite_z, check=check)
    X = factor.solve(rhs, overwrite_rhs=True)
    info = SolveInfo("float64", info.refinement_steps if info else 0, np.nan, factor.spectral_radius,
                     factor.rcond, fallback=info.fallback if info else None,
                     residual_history=info.residual_history if info else ())
    return (X, info) if return_info else X


def sum_columns_by_group(values: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum the columns of ``values`` into ``n_groups`` columns by integer ``codes``.

    Parameters
    ----------
    values : ndarray, (n, m)
        Any flows (unit kept).
    codes : array_like of int, (m,)
        Group of each column, 0 to ``n_groups - 1``.
    n_groups : int
        Number of output columns.

    Returns
    -------
    ndarray, (n, n_groups)
        Fortran-ordered float64 sums, in the unit of ``values``.
    """
    out = np.zeros((values.shape[0], n_groups), order="F")
    for column, code in enumerate(codes):
        out[:, code] += values[:, column]
    return out


def final_demand_by_region(Y: pd.DataFrame) -> pd.DataFrame:
    """Final demand with its categories summed per destination region (``Y_r``, docs/method.md eq. (L4)).

    Parameters
    ----------
    Y : DataFrame, (n, m)
        Final demand (thousand USD), columns a (region, category) MultiIndex.

    Returns
    -------
    DataFrame, (n, r)
        Rows as ``Y``, one column per destination region (first column level, in order of
        first appearance; columns named ``destination_region``), thousand USD.
    """
    regions = Y.columns.get_level_values(0)
    codes, uniques = pd.factorize(regions)
    summed = sum_columns_by_group(Y.to_numpy(dtype=np.float64), codes, len(uniques))
    return pd.DataFrame(summed, index=Y.index, columns=pd.Index(uniques, name="destination_region"))


def embodied_by_destination(Z, y_by_region, F, *, x=None, origin_mask=None, product_mask=None,
                            overwrite_z: bool = False, check: bool = True,
                            precision: str = "auto") -> np.ndarray:
    """Factors embodied in each destination's final demand, ``E[k, i, d] = f[k, i] (L Y_r)[i, d]``.

    docs/method.md eqs. (L4)-(L5), with the scopes of eqs. (L8)-(L9). Array API for the
    per-year pipeline: memory is ``Z`` (destroyed if ``overwrite_z`` and Fortran-ordered
    float64) plus k x n x r.

    Parameters
    ----------
    Z : ndarray or DataFrame, (n, n)
        Intermediate flows (thousand USD).
    y_by_region : array_like, (n, r)
        Final demand summed by destination region (thousand USD).
    F : array_like, (k, n)
        Factor rows by producing column: value added in thousand USD, CO2 in t.
    x : array_like, (n,), optional
        Total output (thousand USD); defaults to ``Z 1 + Y_r 1`` (the row sums with the full
        ``Y``). Pass it when ``y_by_region`` is not the full final demand.
    origin_mask : array_like of bool, (n,), optional
        Intensities outside it are set to 0 (only factors generated in these rows count:
        scope 'producing_sector', eq. (L8)).
    product_mask : array_like of bool, (n,), optional
        Final demand outside it is set to 0 before solving (only final demand for these
        products is traced: scope 'final_product', eq. (L9)).
    overwrite_z, check : bool
        As :func:`solve_by_destination`.
    precision : {'auto', 'mixed', 'float64'}
        As :func:`solve_by_destination` (default: mixed with verified float64 accuracy for
        n >= 512).

    Returns
    -------
    ndarray, (k, n, r)
        Factor k generated in row i and embodied in destination d's final demand, in the
        unit of ``F``'s row k (thousand USD for value added, t for CO2).
    """
    Z_arr = Z.to_numpy() if isinstance(Z, pd.DataFrame) else Z
    y = np.asarray(y_by_region, dtype=np.float64)
    if x is None:
        x = total_output(Z_arr, y)
    f = coefficients(np.asarray(F, dtype=np.float64), x)
    if origin_mask is not None:
        f[:, ~np.asarray(origin_mask, dtype=bool)] = 0.0
    if product_mask is not None:
        y = np.where(np.asarray(product_mask, dtype=bool)[:, np.newaxis], y, 0.0)
    X = solve_by_destination(Z_arr, x, y, overwrite_z=overwrite_z, check=check, precision=precision)
    return f[:, :, np.newaxis] * X[np.newaxis, :, :]


def sum_by_origin_region(embodied: np.ndarray, row_codes: np.ndarray, n_regions: int) -> np.ndarray:
    """Sum the origin rows of each region: (k, n, r) -> (k, R, r).

    Parameters
    ----------
    embodied : ndarray, (k, n, r)
        E.g. :func:`embodied_by_destination` (thousand USD or t per factor).
    row_codes : array_like of int, (n,)
        Region of each origin row, 0 to ``n_regions - 1``.
    n_regions : int
        R, the number of origin regions.

    Returns
    -------
    ndarray, (k, R, r)
        Sums in the unit of ``embodied``.
    """
    row_codes = np.asarray(row_codes)
    if len(row_codes) and np.all(np.diff(row_codes) >= 0) and len(np.unique(row_codes)) == n_regions:
        starts = np.flatnonzero(np.r_[True, np.diff(row_codes) != 0])
        return np.add.reduceat(embodied, starts, axis=1)
    out = np.zeros((embodied.shape[0], n_regions, embodied.shape[2]))
    for row, code in enumerate(row_codes):
        out[:, code] += embodied[:, row]
    return out


def embodied_in_final_demand(Z: pd.DataFrame, Y: pd.DataFrame, F: pd.DataFrame, *,
                             check: bool = True) -> pd.DataFrame:
    """Tidy table of every factor generated in each origin region-sector and embodied in
    each destination region's final demand.

    ``value[k, (r, s), d] = f[k, (r, s)] * (L Y_d)[(r, s)]`` where ``Y_d`` sums the final
    demand categories of destination ``d`` (docs/method.md eqs. (L1)-(L5); Miller & Blair
    2009, sec. 6.3-6.4; pymrio's ``calc_accounts`` per destination region). Summed over
    destinations it returns ``F`` exactly, except in zero-output columns (eq. (L6)).

    Parameters
    ----------
    Z : DataFrame, (n, n)
        Intermediate flows (Eora26: thousand USD), rows and columns indexed by
        (region, sector).
    Y : DataFrame, (n, m)
        Final demand (thousand USD), rows as ``Z``, columns (region, category). Negative
        entries allowed.
    F : DataFrame, (k, n)
        Factor rows (value-added components in thousand USD, CO2 in t, ...), columns as ``Z``.
    check : bool
        As :func:`factorise_leontief`.

    Returns
    -------
    DataFrame, (k * n * r, 5)
        Columns ``factor, origin_region, origin_sector, destination_region, value``; ``value``
        in the unit of the factor's row of ``F`` (thousand USD for value added, t for CO2).

    Raises
    ------
    TableLayoutError
        The labels of ``Z``, ``Y`` and ``F`` do not line up.
    SingularSystemError, NonProductiveError
        As :func:`factorise_leontief`.
    """
    _check_alignment(Z, Y, F)
    x = total_output(Z, Y)
    y_r = final_demand_by_region(Y)
    X = solve_by_destination(Z, x, y_r.to_numpy(), check=check)
    f = coefficients(F.to_numpy(dtype=np.float64), x)
    values = f[:, :, np.newaxis] * X[np.newaxis, :, :]
    k, n, r = values.shape
    origin = Z.index
    return pd.DataFrame({
        "factor": np.repeat(F.index.to_numpy(), n * r),
        "origin_region": np.tile(np.repeat(origin.get_level_values(0).to_numpy(), r), k),
        "origin_sector": np.tile(np.repeat(origin.get_level_values(1).to_numpy(), r), k),
        "destination_region": np.tile(y_r.columns.to_numpy(), k * n),
        "value": values.ravel(),
    })


def _check_alignment(Z: pd.DataFrame, Y: pd.DataFrame, F: pd.DataFrame) -> None:
    if not Z.index.equals(Z.columns):
        raise TableLayoutError("Z: row labels differ from column labels")
    if not Y.index.equals(Z.index):
        raise TableLayoutError("Y: row labels differ from Z's rows")
    if not F.columns.equals(Z.columns):
        raise TableLayoutError("F: column labels differ from Z's columns")
    if Z.index.nlevels != 2 or Y.columns.nlevels != 2:
        raise TableLayoutError(
            "Z rows must be (region, sector) and Y columns (region, category) MultiIndexes; "
            f"found {Z.index.nlevels} and {Y.columns.nlevels} levels")
