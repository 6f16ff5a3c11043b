"""Two-stage least squares with absorbed fixed effects, reproducing ivreg2, xtivreg2, fe
and ivreghdfe, with ivreg2's identification and over-identification statistics."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import linalg, stats

from . import _core
from .absorb import factorize, reghdfe_absorbed_df, singleton_mask, within
from .conventions import COV_TYPES, IV_CONVENTIONS, check, ivreg2_rule
from .results import RegressionResult
from .stock_yogo import stock_yogo_size


def iv_regression(data: pd.DataFrame, y: str, endog: Sequence[str], instruments: Sequence[str],
                  exog: Sequence[str] = (), absorb: Sequence[str] = (),
                  cov_type: str = "unadjusted", cluster: str | None = None, small: bool = False,
                  convention: str = "ivreg2") -> RegressionResult:
    """2SLS of ``y`` on ``endog`` (instrumented by ``instruments``) and ``exog``.

    Conventions (how ``absorb`` enters, whether ``_cons`` is reported, which df):

    * ``'ivreg2'``: ``ivreg2 y exog i.a i.b (endog = instruments)``: every FE set as
      dummies (lowest level base), ``_cons`` reported (the base-cell intercept);
      ``dofminus = sdofminus = 0``.
    * ``'xtivreg2'``: ``xtivreg2 y exog i.b (endog = instruments), fe`` after ``xtset a``:
      within transformation by the first set, further sets as dummies, no ``_cons``;
      ``dofminus = number of panels`` (large-sample df adjustment), ``sdofminus = 0``.
    * ``'ivreghdfe'``: ``ivreghdfe y exog (endog = instruments), absorb(a b)``: all sets
      absorbed (singletons dropped), no ``_cons``; ``sdofminus`` = reghdfe's df_a (FE
      nested in the cluster variable count 0; at least 1 for the absorbed constant).

    Standard errors follow :func:`conventions.ivreg2_rule`: without ``small`` z statistics
    and no cluster factor; with ``small`` t statistics on G-1 df (clustered).
    ``diagnostics`` holds ivreg2's statistics, all computed after partialling the included
    exogenous regressors (and FE) out of the endogenous regressors and the excluded
    instruments: ``underid_lm``/``underid_p`` (Anderson canonical-correlation LM
    ``N * cd`` under 'unadjusted', Kleibergen-Paap rk LM otherwise; chi2(L1-K1+1)),
    ``cd_f`` (Cragg-Donald Wald F), ``kp_f`` (Kleibergen-Paap rk Wald F), ``weakid_f``
    (CD under 'unadjusted', KP otherwise), ``hansen_j``/``hansen_j_p`` (Sargan under
    'unadjusted'; only when over-identified) and ``stock_yogo`` (2SLS maximal-size
    critical values for K1, L1, or None).
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
    if convention == "ivreghdfe" and absorb:
        keep = singleton_mask(frame, absorb)
        if not keep.all():
            notes.append(f"{(~keep).sum()} singleton observations dropped (reghdfe default)")
            frame = frame.loc[keep].reset_index(drop=True)
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
    b, resid, xhat, bread = _core.fit(yvec, xmat, zmat)

    cl_codes, n_clusters = (factorize(frame[cluster]) if cluster else (None, None))
    df_a, df_nested = 0, 0
    dofminus, sdofminus = 0, 0
    if convention == "xtivreg2":
        dofminus = df_a = fes[0][1]
    elif convention == "ivreghdfe" and absorb:
        df_a, df_nested = reghdfe_absorbed_df(fes, cl_codes)
        sdofminus = df_a + (df_a == 0)
    k = xmat.shape[1]
    rule = ivreg2_rule(cov_type, n, k, dofminus, sdofminus, n_clusters, small)
    cov = _core.covariance(rule, bread, _core.meat(xhat, resid, cov_type, cl_codes), resid)
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

    diagnostics = identification_statistics(
        _partial(yvec, w), _partial(x1, w), _partial(z1, w), cov_type, cl_codes,
        n_instruments=zmat.shape[1], dofminus=dofminus, sdofminus=sdofminus)
    return RegressionResult(
        params=params, std_errors=se, tstats=t, pvalues=p, cov=cov_df, nobs=n,
        df_resid=rule.df_resid if rule.df_resid is not None else n - k - dofminus - sdofminus,
        df_absorbed=df_a, df_absorbed_nested=df_nested,
        dist="normal" if rule.df_resid is None else "t", depvar=y, absorb=tuple(absorb),
        cov_type=cov_type, cluster=cluster, n_clusters=n_clusters, convention=convention,
        small=small, r2=r2, r2_within=r2_within, r2_adj=r2_adj, r2_within_adj=None,
        rss=rss, vce_factor=rule.factor, diagnostics=diagnostics, notes=notes)


def _partial(matrix: np.ndarray, w: np.ndarray) -> np.ndarray:
    if w.shape[1] == 0:
        return matrix
    return matrix - w @ np.linalg.lstsq(w, matrix, rcond=None)[0]


def _moment_covariance(resid: np.ndarray, z: np.ndarray, cov_type: str,
                       cl_codes: np.ndarray | None, dofminus: int) -> np.ndarray:
    """ivreg2's ``m_omega`` (times N): covariance of sum_i (e_i kron z_i), with e an
    N x K matrix. unadjusted: ``(e'e/(N-dofminus)) kron Z'Z``; robust: sum of outer
    products times ``N/(N-dofminus)``; clustered: sum over clusters, no factor."""
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


def kleibergen_paap_rk(x1: np.ndarray, z1: np.ndarray, cov_type: str,
                       cl_codes: np.ndarray | None, dofminus: int = 0,
                       version: str = "lm") -> float:
    """Kleibergen & Paap (2006) rk statistic for H0: rank(Pi) = K1 - 1, where Pi is the
    L1 x K1 first-stage coefficient matrix of the (partialled) endogenous regressors on
    the (partialled) excluded instruments, as Stata's ``ranktest`` computes it for ivreg2.

    Theta = G Pi F' with G = (Z'Z/N)^(1/2), F = (X'X/N)^(-1/2); with the SVD Theta = U S V',
    lambda = U_q' Theta V_q (U_q, V_q: singular vectors beyond the first K1-1), and
    rk = vec(lambda)' [Var vec(lambda)]^(-1) vec(lambda), Var from the sandwich of
    vec(Pi_hat) with moment covariance :func:`_moment_covariance`. ``version='wald'``
    uses the unrestricted first-stage residuals, ``'lm'`` the residuals of the rank-(K1-1)
    fit (for K1 = 1: X itself). For K1 = 1 this is the robust Wald/score test of Pi = 0.
    """
    n, k1 = x1.shape
    zz = z1.T @ z1
    pi = np.linalg.solve(zz, z1.T @ x1)
    g = linalg.sqrtm(zz / n).real
    f = np.linalg.inv(linalg.sqrtm(x1.T @ x1 / n).real)
    theta = g @ pi @ f.T
    u, s, vt = np.linalg.svd(theta, full_matrices=True)
    q = k1 - 1
    a, bmat = u[:, q:], vt[q:, :]
    transform = np.kron(bmat, a.T) @ np.kron(f, g)
    if version == "wald":
        resid = x1 - z1 @ pi
    else:
        pi_q = np.linalg.solve(g, u[:, :q] * s[:q]) @ vt[:q, :] @ np.linalg.inv(f.T)
        resid = x1 - z1 @ pi_q
    zz_inv = np.kron(np.eye(k1), np.linalg.inv(zz))
    var_pi = zz_inv @ _moment_covariance(resid, z1, cov_type, cl_codes, dofminus) @ zz_inv
    lam = transform @ pi.reshape(-1, order="F")
    return float(lam @ np.linalg.solve(transform @ var_pi @ transform.T, lam))


def cragg_donald_eigenvalue(x1: np.ndarray, z1: np.ndarray) -> float:
    """Smallest squared canonical correlation between the partialled endogenous
    regressors and excluded instruments: min eig of (X'X)^-1 X'P_Z X."""
    pzx = z1 @ np.linalg.lstsq(z1, x1, rcond=None)[0]
    return float(np.min(np.linalg.eigvals(np.linalg.solve(x1.T @ x1, x1.T @ pzx)).real))


def identification_statistics(y: np.ndarray, x1: np.ndarray, z1: np.ndarray, cov_type: str,
                              cl_codes: np.ndarray | None, n_instruments: int,
                              dofminus: int = 0, sdofminus: int = 0) -> dict:
    """ivreg2's under-, weak- and over-identification statistics on partialled data.

    ``cd_f = [cd/(1-cd)] (N - L - dofminus - sdofminus) / L1`` (equals the first-stage F
    with one endogenous regressor and iid errors), ``kp_f = rk_wald (N - L - dofminus -
    sdofminus) / (N L1)``; ``L`` counts all instruments (excluded + included exogenous,
    with ``_cons``). Over-identification: Sargan ``e'P_Z e / (e'e/(N - dofminus))`` under
    'unadjusted'; otherwise Hansen's J at the two-step efficient GMM estimator (as ivreg2
    reports for 2SLS with robust/cluster), ``J = (Z'e)' S^-1 (Z'e)``.
    """
    n, k1 = x1.shape
    l1 = z1.shape[1]
    df_f = n - n_instruments - dofminus - sdofminus
    cd = cragg_donald_eigenvalue(x1, z1)
    cd_f = cd / (1 - cd) * df_f / l1
    underid_df = l1 - k1 + 1
    if cov_type == "unadjusted":
        underid = n * cd
        kp_f = None
    else:
        underid = kleibergen_paap_rk(x1, z1, cov_type, cl_codes, dofminus, "lm")
        kp_f = kleibergen_paap_rk(x1, z1, cov_type, cl_codes, dofminus, "wald") * df_f / (n * l1)
    out = {
        "underid_lm": underid, "underid_df": underid_df,
        "underid_p": float(stats.chi2.sf(underid, underid_df)),
        "cd_f": cd_f, "kp_f": kp_f,
        "weakid_f": cd_f if cov_type == "unadjusted" else kp_f,
        "hansen_j": None, "hansen_j_p": None, "hansen_j_df": None,
        "stock_yogo": stock_yogo_size(k1, l1),
    }
    if l1 > k1:
        b2sls, e2sls, *_ = _core.fit(y, x1, z1)
        if cov_type == "unadjusted":
            pze = z1 @ np.linalg.lstsq(z1, e2sls, rcond=None)[0]
            j = float(e2sls @ pze / (e2sls @ e2sls / (n - dofminus)))
        else:
            s = _moment_covariance(e2sls, z1, cov_type, cl_codes, dofminus)
            s_inv = np.linalg.inv(s)
            xz, zy = x1.T @ z1, z1.T @ y
            b_gmm = np.linalg.solve(xz @ s_inv @ xz.T, xz @ s_inv @ zy)
            ze = z1.T @ (y - x1 @ b_gmm)
            j = float(ze @ s_inv @ ze)
        out.update(hansen_j=j, hansen_j_df=l1 - k1, hansen_j_p=float(stats.chi2.sf(j, l1 - k1)))
    return out
