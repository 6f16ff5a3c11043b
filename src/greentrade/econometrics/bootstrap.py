"""Wild cluster restricted (WCR) bootstrap for one coefficient of a fixed-effects OLS."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg

from . import _core
from .absorb import factorize, singleton_mask, within

# A draw of all +1 (or all -1) weights rebuilds the sample itself, so its |t*| equals |t| in
# exact arithmetic and, computed through different roundings, differs from it by ~1e-14: such
# draws count as ties (|t*| >= |t|) whatever the rounding. Distinct draws differ by far more.
TIE_TOLERANCE = 1e-9
_WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])


@dataclass(frozen=True)
class WildBootstrapResult:
    pvalue: float
    tstat: float
    term: str
    null: float
    reps: int
    weights: str
    n_clusters: int
    seed: int | None

    def summary(self) -> str:
        """One line: weights, replications, clusters, H0, t and the symmetric p-value.
        """
        return (f"WCR wild cluster bootstrap ({self.weights}, {self.reps} reps, "
                f"{self.n_clusters} clusters): H0 {self.term} = {self.null:g}, "
                f"t = {self.tstat:.3f}, symmetric p = {self.pvalue:.4f}")


def wild_cluster_bootstrap(data: pd.DataFrame, y: str, x: Sequence[str], absorb: Sequence[str],
                           cluster: str, term: str, weights: str = "rademacher",
                           reps: int = 9999, seed: int | None = None, null: float = 0.0,
                           chunk: int = 1000) -> WildBootstrapResult:
    """Wild cluster bootstrap-t with the null imposed (WCR; Cameron, Gelbach & Miller 2008;
    Roodman et al. 2019, boottest's default) for one coefficient of a fixed-effects OLS.

    Parameters
    ----------
    data : DataFrame
        One row per observation; rows missing any used column are dropped.
    y : str
        Dependent variable.
    x : sequence of str
        Regressors (not absorbed); ``term`` must be one of them.
    absorb : sequence of str
        Fixed-effect columns (absorbed; singletons dropped as reghdfe does).
    cluster : str
        Cluster column: one weight is drawn per cluster.
    term : str
        The coefficient tested.
    weights : {'rademacher', 'webb'}, default 'rademacher'
        Rademacher +-1, or Webb's six-point distribution (prefer it below about 12 clusters:
        Rademacher has only 2^G distinct draws).
    reps : int, default 9999
        Bootstrap replications.
    seed : int, optional
        Seed of ``numpy.random.default_rng``: a seed reproduces the p-value exactly.
    null : float, default 0.0
        H0 value of the coefficient, in units of ``y`` per unit of ``term``.
    chunk : int, default 1000
        Replications drawn at a time (memory: N x chunk doubles).

    Returns
    -------
    WildBootstrapResult
        ``pvalue`` (symmetric, ``mean(|t*| >= |t|)``, boottest's ``ptype(symmetric)``),
        ``tstat`` (cluster-robust t without small-sample factor), ``reps``, ``n_clusters``.

    Raises
    ------
    ValueError
        ``term`` not among ``x``, or unknown ``weights``.

    Notes
    -----
    The fixed effects are absorbed first (FWL), the restricted model ``y - null*x_term``
    on the other regressors gives fitted values and residuals ``u_r``; each replication
    draws one weight per cluster and refits ``y* = fitted_r + null*x_term + v_g u_r``. The
    statistic is the cluster-robust t; any constant small-sample factor cancels. The refits
    use ``(X'X)^-1 X' = R^-1 Q'`` from one QR factorisation of X. A draw that rebuilds the
    sample (all weights +1 or all -1) has ``|t*| = |t|`` in exact arithmetic: it counts as a
    tie whatever the rounding (relative tolerance :data:`TIE_TOLERANCE`).
    """
    x, absorb = list(x), list(absorb)
    if term not in x:
        raise ValueError(f"term {term!r} is not among the regressors {x}")
    if weights not in ("rademacher", "webb"):
        raise ValueError(f"weights must be 'rademacher' or 'webb', got {weights!r}")
    frame = _core.sample(data, [y, *x, *absorb, cluster])
    if absorb:
        frame = frame.loc[singleton_mask(frame, absorb)].reset_index(drop=True)
    fes = [factorize(frame[a]) for a in absorb] or [(np.zeros(len(frame), np.int64), 1)]
    xmat = within(frame[x].to_numpy(float), fes)
    yvec = within(frame[y].to_numpy(float), fes)
    codes, n_clusters = factorize(frame[cluster])
    j = x.index(term)

    # (X'X)^-1 X' = R^-1 Q' from the QR factorisation X = QR: one triangular solve, and the
    # cross-product X'X (whose condition number is that of X squared) is never formed
    q, r = linalg.qr(xmat, mode="economic")
    solver = linalg.solve_triangular(r, q.T)                 # K x N
    others = np.delete(xmat, j, axis=1)
    y_null = yvec - null * xmat[:, j]
    fitted_r = (others @ np.linalg.lstsq(others, y_null, rcond=None)[0]
                if others.shape[1] else np.zeros_like(yvec))
    resid_r = y_null - fitted_r
    base = fitted_r + null * xmat[:, j]

    def tstats(ystar: np.ndarray) -> np.ndarray:
        coefs = solver @ ystar
        resid = ystar - xmat @ coefs
        sums = np.zeros((n_clusters, ystar.shape[1]))
        np.add.at(sums, codes, solver[j][:, None] * resid)
        return (coefs[j] - null) / np.sqrt((sums ** 2).sum(axis=0))

    t_obs = float(tstats(yvec[:, None])[0])
    rng = np.random.default_rng(seed)
    exceed, done = 0, 0
    while done < reps:
        size = min(chunk, reps - done)
        if weights == "rademacher":
            draws = rng.choice(np.array([-1.0, 1.0]), size=(n_clusters, size))
        else:
            draws = rng.choice(_WEBB, size=(n_clusters, size))
        ystar = base[:, None] + resid_r[:, None] * draws[codes]
        exceed += int((np.abs(tstats(ystar)) >= abs(t_obs) * (1 - TIE_TOLERANCE)).sum())
        done += size
    return WildBootstrapResult(pvalue=exceed / reps, tstat=t_obs, term=term, null=null,
                               reps=reps, weights=weights, n_clusters=n_clusters, seed=seed)
