"""Shared linear algebra: least squares / 2SLS, sandwich pieces, result assembly."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .absorb import factorize, level_names
from .conventions import VceRule
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


def fit(y: np.ndarray, x: np.ndarray, z: np.ndarray | None = None):
    """OLS (``z is None``) or 2SLS. Returns coefficients, residuals, the regressors the
    sandwich uses (``x`` or ``P_z x``) and the bread ``(xhat'xhat)^-1``."""
    xhat = x if z is None else z @ np.linalg.lstsq(z, x, rcond=None)[0]
    bread = np.linalg.inv(xhat.T @ xhat)
    b = bread @ (xhat.T @ y)
    return b, y - x @ b, xhat, bread


def meat(xhat: np.ndarray, resid: np.ndarray, cov_type: str,
         cluster_codes: np.ndarray | None) -> np.ndarray | None:
    """Un-normalised middle of the sandwich (None for ``unadjusted``)."""
    if cov_type == "unadjusted":
        return None
    scores = xhat * resid[:, None]
    if cov_type == "robust":
        return scores.T @ scores
    n_groups = cluster_codes.max() + 1
    sums = np.zeros((n_groups, scores.shape[1]))
    np.add.at(sums, cluster_codes, scores)
    return sums.T @ sums


def covariance(rule: VceRule, bread: np.ndarray, middle: np.ndarray | None,
               resid: np.ndarray) -> np.ndarray:
    if middle is None:
        return rule.factor * (resid @ resid / len(resid)) * bread
    return rule.factor * bread @ middle @ bread


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
