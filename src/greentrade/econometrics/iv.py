"""Two-stage least squares with absorbed fixed effects, reproducing ivreg2, xtivreg2, fe
and ivreghdfe, with ivreg2's identification and over-identification statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, stats

from . import _core
from .absorb import factorize, reghdfe_absorbed_df, singleton_mask, within
from .conventions import COV_TYPES, IV_CONVENTIONS, check, ivreg2_rule
from .results import DiagnosticStatistic, RegressionResult
from .stock_yogo import stock_yogo_size


def iv_regression(data: pd.DataFrame, y: str, endog: Sequence[str], instruments: Sequence[str],
                  exog: Sequence[str] = (), absorb: Sequence[str] = (),
                  cov_type: str = "unadjusted", cluster: str | None = None, small: bool = False,
                  convention: str = "ivreg2", dofminus: int = 0,
                  sdofminus: int = 0) -> RegressionResult:
    """2SLS of ``y`` on ``endog`` (instrumented by ``instruments``) and ``exog``, as ivreg2,
    xtivreg2, fe or ivreghdfe compute it.

    Conventions (how ``absorb`` enters, whether ``_cons`` is reported, which df; read from
    ``ivreg2.ado`` 4.1.11, ``xtivreg2.ado`` 1.0.17 and ``ivreghdfe.ado`` 1.2.0):

    * ``'ivreg2'``: ``ivreg2 y exog i.a i.b (endog = instruments)``: every FE set as
      dummies (lowest level base), ``_cons`` reported (the base-cell intercept);
      ``dofminus = sdofminus = 0``.
    * ``'xtivreg2'``: ``xtivreg2 y exog i.b (endog = instruments), fe`` after ``xtset a``:
      singleton panels dropped, within transformation by the first set, further sets as
      dummies, ``nocons``; ``dofminus = number of panels`` (the large-sample adjustment
      xtivreg2 passes to ivreg2), ``sdofminus = 0``.
    * ``'ivreghdfe'``: ``ivreghdfe y exog (endog = instruments), absorb(a b)``: all sets
      absorbed (singletons dropped), no ``_cons``; ``sdofminus`` = reghdfe's ``df_a``
      (``absorb_ct``: FE nested in the cluster variable count 0, and 0 becomes 1), and
      ``absorb()`` implies ``small``, so ``small`` is always on with absorbed FE.

    Parameters
    ----------
    data : DataFrame
        One row per observation; rows missing any used column are dropped.
    y : str
        Dependent variable, in its own units.
    endog : sequence of str
        Endogenous regressors (coefficients in units of ``y`` per unit of the regressor).
    instruments : sequence of str
        Excluded instruments, at least as many as ``endog``.
    exog : sequence of str, default ()
        Included exogenous regressors.
    absorb : sequence of str, default ()
        Fixed-effect columns; how they enter depends on ``convention``.
    cov_type : {'unadjusted', 'robust', 'clustered'}, default 'unadjusted'
        Covariance: iid, heteroskedasticity-robust or one-way cluster-robust.
    cluster : str, optional
        Cluster column (required with ``cov_type='clustered'``).
    small : bool, default False
        ivreg2's ``small``: t statistics and small-sample factors (:func:`conventions.ivreg2_rule`).
    convention : {'ivreg2', 'xtivreg2', 'ivreghdfe'}, default 'ivreg2'
        Whose treatment of the fixed effects and degrees of freedom.
    dofminus, sdofminus : int, default 0
        ivreg2's options of those names (counts of degrees of freedom), added to what the
        convention sets (xtivreg2's panels, ivreghdfe's absorbed df).

    Returns
    -------
    RegressionResult
        ``params`` and ``std_errors`` in units of ``y`` per unit of the regressor, ``tstats``
        (z without ``small``), ``pvalues``, ``rmse`` (units of ``y``), the R-squared and
        ``diagnostics``: ivreg2's identification statistics (:func:`identification_statistics`:
        ``underid_lm``/``underid_p``, ``weakid_f``, ``anderson_lm``, ``cd_f``, ``kp_lm``,
        ``kp_f``, ``hansen_j``, ``stock_yogo``), each statistic a :class:`DiagnosticStatistic`
        (``float(d)`` the statistic; ``d.df``, ``d.pvalue``, ``d.name``).

    Raises
    ------
    ValueError
        Unknown ``convention`` / ``cov_type``, clustering without ``cluster``, fewer
        instruments than endogenous regressors, or xtivreg2 without a panel variable.
    NotEstimableError
        The regressors or instruments are rank deficient.
    KeyError
        A named column is not in ``data``.

    Notes
    -----
    linearmodels' ``IV2SLS`` estimates the coefficients and the plain sandwich
    (``debiased=False``); the factor of :func:`conventions.ivreg2_rule` multiplies it (without
    ``small`` z statistics and no cluster factor; with ``small`` t statistics on G-1 df when
    clustered). The diagnostics are computed after partialling the included exogenous
    regressors (and FE) out of the endogenous regressors and the excluded instruments, as
    ivreg2's calls to ranktest do; linearmodels has no Kleibergen-Paap rk statistic, so
    :func:`ranktest` computes it.
    """
    check("convention", IV_CONVENTIONS, convention)
    check("cov_type", COV_TYPES, cov_type)
    endog, instruments, exog, absorb = map(list, (endog, instruments, exog, absorb))
    if cov_type == "clustered" and cluster is None:
        raise ValueError("cov_type='clustered' needs a cluster column")
    if convention == "xtivreg2" and not absorb:
        raise ValueError("xtivreg2, fe needs the panel variable as absorb[0]")
    if len(instruments) < len(endog):
        raise ValueError(f"{len(instruments)} instruments for {len(endog)} endogenous "
                         "regressors: equation not identified")
    notes: list[str] = []
    frame = _core.sample(data, [y, *endog, *instruments, *exog, *absorb,
                                *([cluster] if cluster else [])])
    singletons = {"ivreghdfe": absorb, "xtivreg2": absorb[:1]}.get(convention, [])
    if singletons:
        keep = singleton_mask(frame, singletons)
        if not keep.all():
            notes.append(f"{(~keep).sum()} singleton observations dropped ({convention} default)")
            frame = frame.loc[keep].reset_index(drop=True)
    if convention == "ivreghdfe" and absorb and not small:
        small = True
        notes.append("ivreghdfe: absorb() implies small (t statistics, small-sample factors)")
    if cov_type != "clustered":
        cluster = None
    n = len(frame)
    fes = [factorize(frame[a]) for a in absorb]
    absorbed = {"ivreg2": [], "xtivreg2": fes[:1], "ivreghdfe": fes}[convention]
    dummy_cols = {"ivreg2": absorb, "xtivreg2": absorb[1:], "ivreghdfe": []}[convention]
    constant = not absorbed
    dummy_x, dummy_names = _core.dummies(frame, dummy_cols)

    def prepared(cols: list[str]) -> np.ndarray:
        block = frame[cols].to_numpy(float) if cols else np.empty((n, 0))
        return within(block, absorbed) if absorbed else block

    yvec = prepared([y])[:, 0]
    x1, z1 = prepared(endog), prepared(instruments)
    w = np.hstack([prepared(exog), within(dummy_x, absorbed) if absorbed else dummy_x,
                   np.ones((n, int(constant)))])
    xmat, zmat = np.hstack([x1, w]), np.hstack([z1, w])
    names = [*endog, *exog, *dummy_names, *(["_cons"] if constant else [])]
    _core.check_full_rank(xmat, names, "regressors")
    _core.check_full_rank(zmat, [*instruments, *names[len(endog):]], "instruments")
    cl_codes, n_clusters = (factorize(frame[cluster]) if cluster else (None, None))
    fitted = _core.fit(yvec, w, x1, z1, cov_type=cov_type, cluster_codes=cl_codes)
    b, resid = fitted.params, fitted.resid
    df_a, df_nested = 0, 0
    if convention == "xtivreg2":
        df_a = fes[0][1]
        dofminus += df_a
    elif convention == "ivreghdfe" and absorb:
        df_a, df_nested = reghdfe_absorbed_df(fes, cl_codes)
        sdofminus += df_a + (df_a == 0)
    k = xmat.shape[1]
    rule = ivreg2_rule(cov_type, n, k, dofminus, sdofminus, n_clusters, small)
    cov = rule.factor * fitted.cov
    params, se, t, p, cov_df = _core.coefficient_table(
        b, cov, names, [*endog, *exog, *(["_cons"] if constant else [])], rule.df_resid)

    rss = float(resid @ resid)
    denom = n - k - dofminus - sdofminus
    if constant:
        r2 = 1 - rss / float(((yvec - yvec.mean()) ** 2).sum())
        r2_adj = 1 - (1 - r2) * (n - 1) / denom
    else:
        r2 = 1 - rss / float(yvec @ yvec)
        r2_adj = 1 - (1 - r2) * n / denom
    r2_within = None
    if absorb:
        y_within = within(frame[y].to_numpy(float), fes)
        r2_within = 1 - rss / float(y_within @ y_within)

    overid = _moments_full_rank(zmat, resid, cov_type, cl_codes)
    if not overid and len(instruments) > len(endog):
        notes.append(f"no Hansen J: the {cov_type} covariance of the {zmat.shape[1]} moment conditions "
                     f"is rank deficient (ivreg2 reports e(j) missing; partialling the FE out, as "
                     f"ivreghdfe does, gives J)")
    diagnostics = identification_statistics(
        _partial(yvec, w), _partial(x1, w), _partial(z1, w), cov_type, cl_codes,
        n_instruments=zmat.shape[1], dofminus=dofminus, sdofminus=sdofminus,
        overid_available=overid)
    return RegressionResult(
        params=params, std_errors=se, tstats=t, pvalues=p, cov=cov_df, nobs=n,
        df_resid=rule.df_resid if rule.df_resid is not None else n - k - dofminus - sdofminus,
        df_absorbed=df_a, df_absorbed_nested=df_nested,
        dist="normal" if rule.df_resid is None else "t", depvar=y, absorb=tuple(absorb),
        cov_type=cov_type, cluster=cluster, n_clusters=n_clusters, convention=convention,
        small=small, r2=r2, r2_within=r2_within, r2_adj=r2_adj, r2_within_adj=None,
        rss=rss, vce_factor=rule.factor, diagnostics=diagnostics, notes=notes,
        rmse=float(np.sqrt(rss / (denom if small else n - dofminus))))


def _moments_full_rank(z: np.ndarray, resid: np.ndarray, cov_type: str,
                       cl_codes: np.ndarray | None) -> bool:
    """Whether the robust covariance of the L moments sum_i z_i e_i has rank L (ivreg2's
    ``rankS`` check; with clustering its rank is at most the number of clusters)."""
    if cov_type == "unadjusted":
        return True
    scores = z * resid[:, None]
    if cov_type == "clustered":
        sums = np.zeros((cl_codes.max() + 1, z.shape[1]))
        np.add.at(sums, cl_codes, scores)
        scores = sums
    return bool(np.linalg.matrix_rank(scores) == z.shape[1])


def _partial(matrix: np.ndarray, w: np.ndarray) -> np.ndarray:
    if w.shape[1] == 0:
        return matrix
    return matrix - w @ np.linalg.lstsq(w, matrix, rcond=None)[0]


def _moment_covariance(resid: np.ndarray, z: np.ndarray, cov_type: str,
                       cl_codes: np.ndarray | None, dofminus: int = 0) -> np.ndarray:
    """``N * shat`` of livreg2's ``m_omega``: the covariance of sum_i (e_i kron z_i), with e an
    N x K matrix. unadjusted: ``(e'e/(N-dofminus)) kron Z'Z``; robust: the sum of the outer
    products times ``N/(N-dofminus)``; clustered: the sum over clusters of the outer products
    of the cluster sums, no factor ("no dof correction required for cluster-robust")."""
    n = len(z)
    resid = resid.reshape(n, -1)
    if cov_type == "unadjusted":
        return np.kron(resid.T @ resid / (n - dofminus), z.T @ z)
    scores = np.einsum("ik,il->ikl", resid, z).reshape(n, -1)
    if cov_type == "robust":
        return scores.T @ scores * n / (n - dofminus)
    sums = np.zeros((cl_codes.max() + 1, scores.shape[1]))
    np.add.at(sums, cl_codes, scores)
    return sums.T @ sums


def _symmetric_sqrt(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


@dataclass(frozen=True)
class RankTest:
    """One ``ranktest ..., full`` result: ``chi2`` (``r(chi2)``, the rk statistic of
    H0: rank = K1 - 1), ``df`` = (L1 - K1 + 1), ``eigenvalues`` (squared canonical
    correlations, descending, ``r(eval)``)."""

    chi2: float
    df: int
    eigenvalues: np.ndarray


def ranktest(x1: np.ndarray, z1: np.ndarray, cov_type: str, cl_codes: np.ndarray | None,
             wald: bool = False, dofminus: int = 0) -> RankTest:
    """Kleibergen-Paap (2006) rk test of H0: rank(Pi) = K1 - 1 exactly as Stata's
    ``ranktest (x1) (z1), full [wald] [robust|cluster()]`` computes it (ranktest 1.4.01,
    Mata ``s_rkstat``), on data already partialled (as ivreg2 passes them, ``partial()``).

    Parameters
    ----------
    x1 : ndarray, shape (N, K1)
        Endogenous regressors, partialled.
    z1 : ndarray, shape (N, L1)
        Excluded instruments, partialled (L1 >= K1).
    cov_type : {'unadjusted', 'robust', 'clustered'}
        Covariance of the moments.
    cl_codes : ndarray of int, shape (N,), optional
        Cluster codes 0..G-1 (``cov_type='clustered'``).
    wald : bool, default False
        The Wald version (first-stage residuals in the moment covariance) instead of the LM.
    dofminus : int, default 0
        ranktest's own option (a count); ivreg2 never passes it (it rescales after).

    Returns
    -------
    RankTest
        ``chi2`` (``r(chi2)``, dimensionless), ``df`` = L1 - K1 + 1 and ``eigenvalues``
        (squared canonical correlations, descending, ``r(eval)``).

    Notes
    -----
    ``that = R_z' Pi R_y'^-1`` with ``Z'Z = R_z R_z'`` and ``X'X = R_y R_y'`` (Cholesky);
    its SVD ``U S V'``; with q = K1 - 1, ``a_q = U[:, q:] U22^-1 (U22 U22')^(1/2)``,
    ``b_q = (V22 V22')^(1/2) V22'^-1 V[:, q:]'``, ``lambda = (b_q kron a_q') vec(that)``
    and ``rk = lambda' [(b_q kron a_q') Vhat (b_q kron a_q')']^-1 lambda``, where
    ``Vhat = (R_y'^-1 kron R_z^-1) N shat (.)'`` and ``N shat`` is :func:`_moment_covariance`
    of the partialled X (LM) or of the first-stage residuals (``wald``). The inverse Cholesky
    factors are applied by triangular solves and Pi is a least-squares fit: no inverse is
    formed. Under iid (``cov_type='unadjusted'``) the statistic is the canonical-correlation
    one: ``N * ev_min`` (LM, Anderson) or ``N * ev_min/(1 - ev_min)`` (Wald, Cragg-Donald).
    linearmodels has no rk statistic, hence this implementation.
    """
    n, k1 = x1.shape
    l1 = z1.shape[1]
    # ranktest's statistic is defined through the Cholesky factors of X'X and Z'Z; their
    # inverses are only ever applied, by triangular solves, and Pi is a least-squares fit
    pi = np.linalg.lstsq(z1, x1, rcond=None)[0]
    r_y = linalg.cholesky(x1.T @ x1, lower=True)
    r_z = linalg.cholesky(z1.T @ z1, lower=True)
    that = linalg.solve_triangular(r_y, (r_z.T @ pi).T, lower=True).T   # R_z' Pi R_y'^-1
    u, s, vt = np.linalg.svd(that, full_matrices=True)
    eigenvalues = s ** 2
    ev = eigenvalues[k1 - 1]
    if cov_type == "unadjusted":
        return RankTest(float(n * (ev / (1 - ev) if wald else ev)), l1 - k1 + 1, eigenvalues)
    resid = x1 - z1 @ pi if wald else x1
    # (R_y^-1 kron R_z^-1) S (.)' by two triangular solves: R_y kron R_z is lower triangular
    factor = np.kron(r_y, r_z)
    half = linalg.solve_triangular(factor, _moment_covariance(resid, z1, cov_type, cl_codes, dofminus),
                                   lower=True)
    vhat = linalg.solve_triangular(factor, half.T, lower=True).T
    q = k1 - 1
    v = vt.T
    u22, v22 = u[q:, q:], v[q:, q:]
    a_q = u[:, q:] @ np.linalg.solve(u22, _symmetric_sqrt(u22 @ u22.T))
    b_q = _symmetric_sqrt(v22 @ v22.T) @ np.linalg.solve(v22.T, v[:, q:].T)
    transform = np.kron(b_q, a_q.T)
    lam = transform @ that.reshape(-1, order="F")
    v_lam = transform @ vhat @ transform.T
    return RankTest(float(lam @ np.linalg.solve((v_lam + v_lam.T) / 2, lam)), l1 - k1 + 1,
                    eigenvalues)


def kleibergen_paap_rk(x1: np.ndarray, z1: np.ndarray, cov_type: str,
                       cl_codes: np.ndarray | None, dofminus: int = 0,
                       version: str = "lm") -> float:
    """``r(chi2)`` of ``ranktest (x1) (z1), full [wald]`` (see :func:`ranktest`), before
    ivreg2's N and cluster-count factors.

    Parameters
    ----------
    x1, z1 : ndarray
        Partialled endogenous regressors (N x K1) and excluded instruments (N x L1).
    cov_type : {'unadjusted', 'robust', 'clustered'}
        Covariance of the moments.
    cl_codes : ndarray of int, optional
        Cluster codes (``cov_type='clustered'``).
    dofminus : int, default 0
        ranktest's ``dofminus`` (a count).
    version : {'lm', 'wald'}, default 'lm'
        LM or Wald form.

    Returns
    -------
    float
        The rk statistic (dimensionless), chi2(L1 - K1 + 1) under the null.
    """
    return ranktest(x1, z1, cov_type, cl_codes, wald=version == "wald", dofminus=dofminus).chi2


def cragg_donald_eigenvalue(x1: np.ndarray, z1: np.ndarray) -> float:
    """Smallest squared canonical correlation between the partialled endogenous regressors and
    excluded instruments (``ranktest``'s last ``r(eval)``).

    Parameters
    ----------
    x1, z1 : ndarray
        Partialled endogenous regressors (N x K1) and excluded instruments (N x L1).

    Returns
    -------
    float
        The eigenvalue, between 0 and 1.
    """
    return float(ranktest(x1, z1, "unadjusted", None).eigenvalues[x1.shape[1] - 1])


def identification_statistics(y: np.ndarray, x1: np.ndarray, z1: np.ndarray, cov_type: str,
                              cl_codes: np.ndarray | None, n_instruments: int,
                              dofminus: int = 0, sdofminus: int = 0,
                              overid_available: bool = True) -> dict:
    """ivreg2's under-, weak- and over-identification statistics on partialled data, with the
    factors ``ivreg2.ado`` (4.1.11, "Rank identification" block) applies to ranktest's
    ``r(chi2)``.

    Parameters
    ----------
    y : ndarray, shape (N,)
        Dependent variable, partialled.
    x1 : ndarray, shape (N, K1)
        Endogenous regressors, partialled.
    z1 : ndarray, shape (N, L1)
        Excluded instruments, partialled.
    cov_type : {'unadjusted', 'robust', 'clustered'}
        Covariance of the estimates.
    cl_codes : ndarray of int, optional
        Cluster codes 0..G-1 (``cov_type='clustered'``).
    n_instruments : int
        L, all instruments (``iv1_ct``: excluded + included exogenous, with ``_cons``).
    dofminus, sdofminus : int, default 0
        ivreg2's large- and small-sample df adjustments (counts).
    overid_available : bool, default True
        False when the robust covariance of all L moments is rank deficient (ivreg2 then sets
        ``e(j)`` missing, e.g. fewer clusters than instruments).

    Returns
    -------
    dict
        Statistics as :class:`DiagnosticStatistic` (a float with ``df``, ``pvalue``,
        ``name``): ``underid_lm``, ``anderson_lm``, ``kp_lm`` (chi2(L1 - K1 + 1)),
        ``weakid_f``, ``cd_f``, ``kp_f`` (F(L1, ``weakid_df``), no p-value: compare with
        ``stock_yogo``), ``hansen_j`` (chi2(L1 - K1)); and as plain numbers their p-values
        (``underid_p``, ``anderson_p``, ``kp_lm_p``, ``hansen_j_p``), degrees of freedom
        (``underid_df``, ``weakid_df``, ``hansen_j_df``) and ``stock_yogo`` ({10: c, 15: c,
        20: c, 25: c} or None). ``kp_*`` are None under 'unadjusted'; ``hansen_j*`` None when
        exactly identified or ``overid_available`` is False. All statistics are dimensionless.

    Notes
    -----
    N observations, G clusters, L1 excluded instruments, K1 endogenous regressors, ev the
    smallest squared canonical correlation.

    * ``anderson_lm`` = ``(N - dofminus) ev`` (Anderson canonical-correlation LM),
      ``cd_f`` = ``ev/(1-ev) (N - L - dofminus - sdofminus)/L1`` (Cragg-Donald Wald F);
      computed under every ``cov_type``.
    * ``kp_lm`` (robust: ``r(chi2)/N (N - dofminus)``; clustered: ``r(chi2)``, "no dofminus
      adjustment needed for cluster-robust") and ``kp_f`` (robust:
      ``r(chi2)/N (N - L - sdofminus - dofminus)/L1``; clustered:
      ``r(chi2)/(N-1) (N - L - sdofminus) (G-1)/G / L1``, no dofminus).
    * ``underid_lm`` and ``weakid_f``: what ivreg2 prints (``e(idstat)``, ``e(widstat)``):
      Anderson / CD under 'unadjusted', KP otherwise.
    * ``hansen_j`` (L1 > K1): Sargan ``e'P_Z e / (e'e/(N - dofminus))`` under 'unadjusted';
      otherwise Hansen's J at the two-step efficient GMM estimator, ``J = (Z'e)' S^-1 (Z'e)``
      with ``S`` = :func:`_moment_covariance` of the 2SLS residuals (:func:`_hansen_j`, by
      least squares).
    """
    n, k1 = x1.shape
    l1 = z1.shape[1]
    df_f = n - n_instruments - dofminus - sdofminus
    underid_df = l1 - k1 + 1
    eigen = ranktest(x1, z1, "unadjusted", None).eigenvalues
    ev = float(eigen[k1 - 1])
    anderson = (n - dofminus) * ev
    cd_f = ev / (1 - ev) * df_f / l1
    kp_lm = kp_f = None
    if cov_type == "robust":
        kp_lm = ranktest(x1, z1, cov_type, cl_codes).chi2 / n * (n - dofminus)
        kp_f = ranktest(x1, z1, cov_type, cl_codes, wald=True).chi2 / n * df_f / l1
    elif cov_type == "clustered":
        g = int(cl_codes.max() + 1)
        kp_lm = ranktest(x1, z1, cov_type, cl_codes).chi2
        kp_f = (ranktest(x1, z1, cov_type, cl_codes, wald=True).chi2 / (n - 1)
                * (n - n_instruments - sdofminus) * (g - 1) / g / l1)
    robust = "cluster-robust " if cov_type == "clustered" else "heteroskedasticity-robust "
    underid_null = f"rank of the first-stage coefficients = {k1 - 1} (underidentified)"
    weak_null = ("instruments weak (compare with the Stock-Yogo critical values; ivreg2 "
                 "prints no p-value)")
    anderson = DiagnosticStatistic(anderson, underid_null, underid_df,
                                   name="Anderson canonical correlation LM")
    cd_f = DiagnosticStatistic(cd_f, weak_null, l1, df_f, name="Cragg-Donald Wald F",
                               has_pvalue=False)
    if kp_lm is not None:
        kp_lm = DiagnosticStatistic(kp_lm, underid_null, underid_df,
                                    name=robust + "Kleibergen-Paap rk LM")
        kp_f = DiagnosticStatistic(kp_f, weak_null, l1, df_f,
                                   name=robust + "Kleibergen-Paap rk Wald F", has_pvalue=False)
    underid = anderson if kp_lm is None else kp_lm
    out = {
        "underid_lm": underid, "underid_df": underid_df,
        "underid_p": float(stats.chi2.sf(underid, underid_df)),
        "weakid_f": cd_f if kp_f is None else kp_f,
        "anderson_lm": anderson, "anderson_p": float(stats.chi2.sf(anderson, underid_df)),
        "cd_f": cd_f, "kp_lm": kp_lm,
        "kp_lm_p": None if kp_lm is None else float(stats.chi2.sf(kp_lm, underid_df)),
        "kp_f": kp_f, "weakid_df": df_f,
        "hansen_j": None, "hansen_j_p": None, "hansen_j_df": None,
        "stock_yogo": stock_yogo_size(k1, l1),
    }
    if l1 > k1 and overid_available:
        j = DiagnosticStatistic(_hansen_j(y, x1, z1, cov_type, cl_codes, dofminus),
                                "all instruments valid (overidentifying restrictions hold)",
                                l1 - k1, name="Sargan" if cov_type == "unadjusted" else "Hansen J")
        out.update(hansen_j=j, hansen_j_df=l1 - k1, hansen_j_p=float(stats.chi2.sf(j, l1 - k1)))
    return out


def _hansen_j(y: np.ndarray, x1: np.ndarray, z1: np.ndarray, cov_type: str,
              cl_codes: np.ndarray | None, dofminus: int) -> float:
    """Sargan (unadjusted) or Hansen's J at the two-step efficient GMM estimator, by least
    squares (linearmodels' ``IVGMM`` re-estimates the weight matrix at the GMM residuals
    and scales it by N, while ivreg2's J uses the covariance of the moments at the 2SLS
    residuals with its own ``dofminus`` factor; so the two steps are solved here).

    2SLS is the least-squares fit of ``y`` on ``P_Z X``; Sargan is ``||P_Z e||^2`` over
    ``e'e/(N - dofminus)``. With ``S = L L'`` (Cholesky) of :func:`_moment_covariance`,
    the efficient GMM estimator is the least-squares fit of ``L^-1 Z'y`` on ``L^-1 Z'X``
    and ``J = ||L^-1 Z'(y - X b_gmm)||^2``.
    """
    n = len(y)
    xhat = z1 @ np.linalg.lstsq(z1, x1, rcond=None)[0]
    e2sls = y - x1 @ np.linalg.lstsq(xhat, y, rcond=None)[0]
    if cov_type == "unadjusted":
        pze = z1 @ np.linalg.lstsq(z1, e2sls, rcond=None)[0]
        return float(pze @ pze / (e2sls @ e2sls / (n - dofminus)))
    chol = linalg.cholesky(_moment_covariance(e2sls, z1, cov_type, cl_codes, dofminus), lower=True)
    zx, zy = linalg.solve_triangular(chol, z1.T @ x1, lower=True), linalg.solve_triangular(
        chol, z1.T @ y, lower=True)
    b_gmm = np.linalg.lstsq(zx, zy, rcond=None)[0]
    g = zy - zx @ b_gmm
    return float(g @ g)
