"""Linear regression with absorbed fixed effects, reproducing reghdfe and xtreg, fe."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import _core
from .absorb import factorize, is_nested, reghdfe_absorbed_df, singleton_mask, within
from .conventions import COV_TYPES, OLS_CONVENTIONS, check, reghdfe_rule, xtreg_rule
from .results import RegressionResult


def fe_regression(data: pd.DataFrame, y: str, x: Sequence[str], absorb: Sequence[str] = (),
                  cov_type: str = "unadjusted", cluster: str | None = None,
                  convention: str = "reghdfe") -> RegressionResult:
    """OLS of ``y`` on ``x`` with zero, one or two absorbed fixed-effect sets, as reghdfe or
    xtreg, fe compute it.

    ``convention='reghdfe'`` emulates ``reghdfe y x, absorb(a b) vce(...)``: all sets
    absorbed, singleton groups dropped, the absorbed degrees of freedom counted by
    reghdfe's rule (FE nested in the cluster variable count 0), ``_cons`` reported.
    ``convention='xtreg'`` emulates ``xtreg y x i.b, fe vce(...)`` after ``xtset a``: the
    first set is the panel effect, a second set enters as dummies (lowest level as base;
    estimated but not listed), ``vce(robust)`` means clustering on the panel variable.

    Parameters
    ----------
    data : DataFrame
        One row per observation; rows missing any used column are dropped (Stata's casewise
        deletion).
    y : str
        Dependent variable, in its own units.
    x : sequence of str
        Regressors (not absorbed); each coefficient is in units of ``y`` per unit of that
        regressor (a log regressor: units of ``y`` per unit change of the log).
    absorb : sequence of str, default ()
        Zero, one or two fixed-effect columns (any labels); put the set with more levels
        first.
    cov_type : {'unadjusted', 'robust', 'clustered'}, default 'unadjusted'
        Covariance: iid, heteroskedasticity-robust or one-way cluster-robust.
    cluster : str, optional
        Cluster column (required with ``cov_type='clustered'``).
    convention : {'reghdfe', 'xtreg'}, default 'reghdfe'
        Whose small-sample factors and degrees of freedom (:func:`conventions.reghdfe_rule`,
        :func:`conventions.xtreg_rule`).

    Returns
    -------
    RegressionResult
        ``params``, ``std_errors`` (units of ``y`` per unit of the regressor), ``tstats``,
        ``pvalues`` (Student t with ``df_resid``), ``cov``, ``nobs``, ``df_absorbed``, the
        R-squared (dimensionless) and ``notes`` (singletons dropped, vce changes).

    Raises
    ------
    ValueError
        An unknown ``convention`` / ``cov_type``, clustering without ``cluster``, more than
        two absorbed sets, or xtreg panels that do not nest within the clusters.
    NotEstimableError
        The design is rank deficient once the fixed effects are absorbed.
    KeyError
        A named column is not in ``data``.

    Notes
    -----
    The fixed effects are absorbed exactly here (:func:`absorb.within`: group demeaning, then
    the second set partialled out by least squares), because linearmodels' ``PanelOLS`` (two-way
    on an unbalanced panel) and ``AbsorbingLS`` absorb iteratively with a 1e-8 tolerance and
    count the absorbed df their own way. linearmodels' ``IV2SLS`` then estimates the
    within-transformed regression and its plain sandwich (``debiased=False``), which the
    convention's factor multiplies. The constant: the regression is run on the
    within-transformed data with the estimation-sample grand means added back,
    ``y~ + ybar = c + (x~ + xbar) b``, so ``_cons = ybar - xbar'b`` and its standard error
    comes from the same sandwich ([XT] xtreg, Methods and formulas; reghdfe does the same).
    R-squared: reghdfe reports ``r2`` (overall, FE included), ``r2_adj``, ``r2_within``,
    ``r2_within_adj``; xtreg reports within (also as ``r2``), between and overall (squared
    correlations of ``xb`` with ``y``).
    """
    check("convention", OLS_CONVENTIONS, convention)
    check("cov_type", COV_TYPES, cov_type)
    x, absorb = list(x), list(absorb)
    if cov_type == "clustered" and cluster is None:
        raise ValueError("cov_type='clustered' needs a cluster column")
    notes: list[str] = []
    frame = _core.sample(data, [y, *x, *absorb, *([cluster] if cluster else [])])
    if convention == "reghdfe" and absorb:
        keep = singleton_mask(frame, absorb)
        if not keep.all():
            notes.append(f"{(~keep).sum()} singleton observations dropped (reghdfe default)")
            frame = frame.loc[keep].reset_index(drop=True)
    if convention == "xtreg" and absorb and cov_type == "robust":
        cov_type, cluster = "clustered", absorb[0]
        notes.append(f"xtreg, fe vce(robust) is vce(cluster {absorb[0]})")
    if cov_type != "clustered":
        cluster = None

    fes = [factorize(frame[a]) for a in absorb]
    absorbed = fes if convention == "reghdfe" else fes[:1]
    dummy_x, dummy_names = _core.dummies(frame, [] if convention == "reghdfe" else absorb[1:])
    xmat = np.hstack([frame[x].to_numpy(float), dummy_x])
    yvec = frame[y].to_numpy(float)
    if absorbed:
        xmat = within(xmat, absorbed) + xmat.mean(axis=0)
        yvec_t = within(yvec, absorbed) + yvec.mean()
    else:
        yvec_t = yvec
    xmat = np.hstack([xmat, np.ones((len(frame), 1))])
    names = [*x, *dummy_names, "_cons"]
    _core.check_full_rank(xmat, names, "design (after absorbing fixed effects)")
    cl_codes, n_clusters = (factorize(frame[cluster]) if cluster else (None, None))
    fitted = _core.fit(yvec_t, xmat, cov_type=cov_type, cluster_codes=cl_codes)
    b, resid = fitted.params, fitted.resid

    n = len(frame)
    if convention == "reghdfe":
        df_a, df_nested = (reghdfe_absorbed_df(fes, cl_codes) if absorb else (1, 0))
        rank = len(x)
        rule = reghdfe_rule(cov_type, n, rank, df_a, n_clusters)
    else:
        n_panels = fes[0][1] if absorb else 0
        if cluster and absorb and not is_nested(fes[0][0], cl_codes):
            raise ValueError(f"xtreg: panels ({absorb[0]}) are not nested within clusters "
                             f"({cluster}); Stata stops with r(498)")
        rule = xtreg_rule(cov_type, n, xmat.shape[1], n_panels, n_clusters)
        df_a, df_nested = max(n_panels - 1, 0), 0
    cov = rule.factor * fitted.cov
    params, se, t, p, cov_df = _core.coefficient_table(b, cov, names, [*x, "_cons"],
                                                       rule.df_resid)

    rss = float(resid @ resid)
    tss = float(((yvec - yvec.mean()) ** 2).sum())
    y_within = within(yvec, absorbed) if absorbed else yvec - yvec.mean()
    tss_within = float(y_within @ y_within)
    r2_within = 1 - rss / tss_within
    if convention == "reghdfe":
        used_df_r = n - rank - df_a - df_nested
        r2 = 1 - rss / tss
        r2s = dict(r2=r2, r2_within=r2_within,
                   r2_adj=1 - (rss / used_df_r) / (tss / (n - 1)),
                   r2_within_adj=1 - (rss / used_df_r) / (tss_within / (used_df_r + rank)))
    elif absorb:
        xb = np.hstack([frame[x].to_numpy(float), dummy_x]) @ b[:-1]
        means = pd.DataFrame({"g": fes[0][0], "xb": xb, "y": yvec}).groupby("g").mean()
        r2s = dict(r2=r2_within, r2_within=r2_within, r2_adj=None, r2_within_adj=None,
                   r2_overall=float(np.corrcoef(xb, yvec)[0, 1] ** 2),
                   r2_between=float(np.corrcoef(means["xb"], means["y"])[0, 1] ** 2))
    else:
        r2 = 1 - rss / tss
        r2s = dict(r2=r2, r2_within=None, r2_within_adj=None,
                   r2_adj=1 - (1 - r2) * (n - 1) / (n - xmat.shape[1]))
    return RegressionResult(
        params=params, std_errors=se, tstats=t, pvalues=p, cov=cov_df, nobs=n,
        df_resid=rule.df_resid, df_absorbed=df_a, df_absorbed_nested=df_nested, dist="t",
        depvar=y, absorb=tuple(absorb), cov_type=cov_type, cluster=cluster,
        n_clusters=n_clusters, convention=convention, small=True, rss=rss,
        vce_factor=rule.factor, notes=notes, **r2s)
