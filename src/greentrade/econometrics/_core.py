"""Shared pieces of the estimators: the estimation sample, ``i.var`` dummies, the rank check,
the linearmodels fit with the plain sandwich, and the coefficient table.

Estimation is linearmodels' :class:`~linearmodels.iv.model.IV2SLS` (OLS when there are no
endogenous regressors), fitted with ``debiased=False``: its covariance is then the plain
sandwich (unadjusted ``(e'e/N) (X'P_Z X)^-1``; robust and clustered
``(X'P_Z X)^-1 M (X'P_Z X)^-1`` with the plain sums ``M``), and the Stata small-sample
factor of :mod:`.conventions` multiplies it. linearmodels' own ``debiased=True`` factor
``n/(n-k-extra_df)`` (clustered ``(n-1)/(n-k-extra_df) G/(G-1)``) expresses the ``small``
rules too, but not ivreg2's large-sample ``N/(N - dofminus)``, reghdfe's ``min(N-KK, G-1)``
df, nor xtreg's unclustered panels: one multiplicative factor per rule keeps every convention
in one place (``tests/python/econometrics/test_linearmodels_layer.py`` checks the two agree
where both apply).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from linearmodels.iv import IV2SLS
from scipy import stats

from .absorb import factorize, level_names
from .results import NotEstimableError


def sample(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Estimation sample: the listed columns, rows complete in all of them (Stata's
    casewise deletion)."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(f"columns {missing} not in data (have {list(data.columns)})")
    cols = list(dict.fromkeys(columns))
    return data.loc[:, cols].dropna().reset_index(drop=True)


def dummies(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, list[str]]:
    """Indicator columns for ``i.var`` with the lowest level as base (Stata's default),
    named ``<level>.<var>``."""
    blocks, names = [], []
    for col in columns:
        codes, n_levels = factorize(frame[col])
        levels = level_names(frame[col])
        block = np.zeros((len(frame), n_levels))
        block[np.arange(len(frame)), codes] = 1.0
        blocks.append(block[:, 1:])
        names += [f"{lvl}.{col}" for lvl in levels[1:]]
    if not blocks:
        return np.empty((len(frame), 0)), []
    return np.hstack(blocks), names


def check_full_rank(matrix: np.ndarray, names: list[str], what: str) -> None:
    rank = np.linalg.matrix_rank(matrix)
    if rank < matrix.shape[1]:
        raise NotEstimableError(f"{what} is rank deficient ({rank} < {matrix.shape[1]} columns: "
                         f"{names}); drop collinear terms")


@dataclass(frozen=True)
class LinearFit:
    """Coefficients (in the order endogenous, exogenous), residuals and linearmodels' plain
    sandwich covariance (``debiased=False``), before any small-sample factor."""

    params: np.ndarray
    resid: np.ndarray
    cov: np.ndarray


def fit(y: np.ndarray, exog: np.ndarray, endog: np.ndarray | None = None,
        instruments: np.ndarray | None = None, cov_type: str = "unadjusted",
        cluster_codes: np.ndarray | None = None) -> LinearFit:
    """OLS of ``y`` on ``exog`` (``endog is None``) or 2SLS of ``y`` on ``[endog, exog]``
    with instruments ``[instruments, exog]``, by linearmodels' ``IV2SLS``.

    Parameters
    ----------
    y : ndarray, shape (N,)
        Dependent variable (already within-transformed when fixed effects are absorbed).
    exog : ndarray, shape (N, K2)
        Included exogenous regressors, the constant among them if any.
    endog, instruments : ndarray, shape (N, K1) and (N, L1), optional
        Endogenous regressors and excluded instruments.
    cov_type : {'unadjusted', 'robust', 'clustered'}
        linearmodels' covariance estimator, fitted with ``debiased=False``.
    cluster_codes : ndarray of int, shape (N,), optional
        Cluster of each row (``cov_type='clustered'``).

    Returns
    -------
    LinearFit
        ``params`` ordered ``[endog, exog]`` (linearmodels orders ``[exog, endog]``),
        residuals and the plain covariance.
    """
    k2 = exog.shape[1]
    iv = endog is not None and endog.shape[1] > 0
    model = IV2SLS(y, exog if k2 else None, endog if iv else None, instruments if iv else None)
    options = {"clusters": cluster_codes} if cov_type == "clustered" else {}
    res = model.fit(cov_type=cov_type, debiased=False, **options)
    params, cov = np.asarray(res.params), np.asarray(res.cov)
    order = np.r_[np.arange(k2, len(params)), np.arange(k2)]  # [exog, endog] -> [endog, exog]
    return LinearFit(params[order], np.asarray(res.resids), cov[np.ix_(order, order)])


def coefficient_table(b: np.ndarray, cov: np.ndarray, names: list[str], report: list[str],
                      df_resid: float | None):
    idx = [names.index(t) for t in report]
    params = pd.Series(b[idx], index=report, name="coef")
    cov_df = pd.DataFrame(cov[np.ix_(idx, idx)], index=report, columns=report)
    se = pd.Series(np.sqrt(np.diag(cov_df)), index=report, name="se")
    t = params / se
    if df_resid is None:
        p = 2 * stats.norm.sf(np.abs(t))
    else:
        p = 2 * stats.t.sf(np.abs(t), df_resid)
    return params, se, t.rename("t"), pd.Series(p, index=report, name="p"), cov_df
