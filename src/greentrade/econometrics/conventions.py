"""Stata conventions for degrees of freedom and small-sample factors, one named rule each.

Every rule returns a :class:`VceRule`: the variance is

* ``cov_type='unadjusted'``: ``V = factor * (e'e / N) * bread``
* ``'robust'`` / ``'clustered'``: ``V = factor * bread @ meat @ bread`` with the plain sums
  ``meat = sum_i x_i x_i' e_i^2`` or ``sum_g (X_g'e_g)(X_g'e_g)'``,

and inference uses Student t with ``df_resid`` (or the normal when ``df_resid`` is None).
The plain sandwich is linearmodels' ``IV2SLS`` covariance fitted with ``debiased=False``
(:func:`_core.fit`); these rules are the thin Stata layer on top of it.
Sources are cited per rule; docs/econometrics.md restates them with worked numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

COV_TYPES = ("unadjusted", "robust", "clustered")
OLS_CONVENTIONS = ("reghdfe", "xtreg")
IV_CONVENTIONS = ("ivreg2", "xtivreg2", "ivreghdfe")


@dataclass(frozen=True)
class VceRule:
    factor: float
    df_resid: float | None  # None: normal reference distribution (z statistics)


def reghdfe_rule(cov_type: str, n: int, rank: int, df_a: int, n_clusters: int | None) -> VceRule:
    """reghdfe (``reghdfe_common.mata``: ``reghdfe_solve_ols``/``reghdfe_robust``/
    ``reghdfe_cluster``). ``rank`` counts the non-absorbed regressors without the constant;
    ``KK = rank + df_a`` with ``df_a`` from :func:`absorb.reghdfe_absorbed_df` (FE nested in
    a cluster variable count 0). When every FE is nested (``df_a = 0``) reghdfe adds 1
    ("nested_adj") so the constant is still counted and xtreg is matched.

    * unadjusted: ``sigma2 = e'e / (N - KK)``
    * robust: ``N / (N - KK)``
    * clustered: ``(N-1)/(N - KK - nested_adj) * G/(G-1)``, ``df_r = min(N - KK, G - 1)``

    Parameters
    ----------
    cov_type : {'unadjusted', 'robust', 'clustered'}
        Covariance estimator.
    n : int
        Observations after singletons are dropped.
    rank : int
        Non-absorbed regressors, without the constant.
    df_a : int
        Absorbed degrees of freedom (:func:`absorb.reghdfe_absorbed_df`).
    n_clusters : int or None
        G, the number of clusters (``cov_type='clustered'``).

    Returns
    -------
    VceRule
        ``factor`` (dimensionless) multiplying the plain sandwich, and ``df_resid`` (the
        t distribution's degrees of freedom; None: normal).
    """
    kk = rank + df_a
    if cov_type == "clustered":
        k_total = kk + (df_a == 0)
        return VceRule((n - 1) / (n - k_total) * n_clusters / (n_clusters - 1),
                       min(n - kk, n_clusters - 1))
    return VceRule(n / (n - kk), n - kk)


def xtreg_rule(cov_type: str, n: int, k: int, n_panels: int, n_clusters: int | None) -> VceRule:
    """xtreg, fe ([XT] xtreg, Methods and formulas). ``k`` counts every estimated
    coefficient except the panel effects, including ``_cons`` and any ``i.year`` dummies.

    * unadjusted: ``sigma2 = e'e / (N - n_panels - (k - 1))``: the absorbed panel effects
      use degrees of freedom (``e(df_a) = n_panels - 1``).
    * clustered (and ``robust``, which xtreg turns into clustering on the panel
      variable): ``(N-1)/(N-k) * G/(G-1)`` with the panel effects *not* counted, because
      panels must nest within clusters; ``df_r = G - 1``.

    With no panel effects (``n_panels = 0``) this is ``regress``: unadjusted
    ``e'e/(N-k)``, robust ``N/(N-k)``, clustered as above.

    Parameters
    ----------
    cov_type : {'unadjusted', 'robust', 'clustered'}
        Covariance estimator (xtreg's ``robust`` arrives here as ``clustered``).
    n : int
        Observations.
    k : int
        Estimated coefficients except the panel effects (with ``_cons`` and dummies).
    n_panels : int
        Panels absorbed (0: plain ``regress``).
    n_clusters : int or None
        G, the number of clusters.

    Returns
    -------
    VceRule
        ``factor`` (dimensionless) multiplying the plain sandwich, and ``df_resid`` (the
        t distribution's degrees of freedom; None: normal).
    """
    if cov_type == "clustered":
        return VceRule((n - 1) / (n - k) * n_clusters / (n_clusters - 1), n_clusters - 1)
    df_r = n - k - max(n_panels - 1, 0)
    return VceRule(n / df_r, df_r)


def ivreg2_rule(cov_type: str, n: int, k: int, dofminus: int, sdofminus: int,
                n_clusters: int | None, small: bool) -> VceRule:
    """ivreg2 4.x (``ivreg2.ado`` small-sample block; ``m_omega`` in livreg2).
    ``dofminus`` is the large-sample adjustment (xtivreg2 sets it to the number of
    panels), ``sdofminus`` the small-sample one (ivreghdfe sets it to reghdfe's df_a).

    Without ``small`` (z statistics): unadjusted ``sigma2 = e'e/(N - dofminus)``;
    robust meat scaled by ``N/(N - dofminus)``; clustered: *no* factor at all (neither
    ``G/(G-1)`` nor ``(N-1)/(N-K)``; Wooldridge 2002 p.193 as cited in ivreg2).
    With ``small`` (t statistics): unadjusted and robust ``N/(N - K - dofminus - sdofminus)``,
    clustered ``(N-1)/(N - K - sdofminus) * G/(G-1)`` with ``df_r = G - 1``.

    Parameters
    ----------
    cov_type : {'unadjusted', 'robust', 'clustered'}
        Covariance estimator.
    n : int
        Observations.
    k : int
        Regressors, with ``_cons`` when reported.
    dofminus, sdofminus : int
        ivreg2's large- and small-sample df adjustments.
    n_clusters : int or None
        G, the number of clusters.
    small : bool
        ivreg2's ``small`` option.

    Returns
    -------
    VceRule
        ``factor`` (dimensionless) multiplying the plain sandwich, and ``df_resid`` (the
        t distribution's degrees of freedom; None: normal).
    """
    if not small:
        if cov_type == "clustered":
            return VceRule(1.0, None)
        return VceRule(n / (n - dofminus), None)
    if cov_type == "clustered":
        return VceRule((n - 1) / (n - k - sdofminus) * n_clusters / (n_clusters - 1),
                       n_clusters - 1)
    df_r = n - k - dofminus - sdofminus
    return VceRule(n / df_r, df_r)


def check(name: str, allowed: tuple[str, ...], value: str) -> None:
    """Raises
    ------
    ValueError
        ``value`` is not in ``allowed``; the message names the option ``name``.
    """
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
