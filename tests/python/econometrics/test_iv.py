"""iv_regression against linearmodels/statsmodels on explicit dummies, pyfixest, and
hand-computed identification statistics."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels.iv import IV2SLS, IVGMM

from greentrade.econometrics import iv_regression, kleibergen_paap_rk
from greentrade.econometrics.iv import cragg_donald_eigenvalue

TOL = 1e-8
G = 30


@pytest.fixture(scope="module")
def dummies(panel):
    fe = pd.get_dummies(panel[["prov", "year"]].astype(str), drop_first=True, dtype=float)
    return sm.add_constant(pd.concat([panel[["w"]], fe], axis=1))


def _linearmodels(panel, dummies, cov_type, debiased):
    kw = {"clusters": panel["prov"]} if cov_type == "clustered" else {}
    return IV2SLS(panel["y"], dummies, panel[["x"]], panel[["z1", "z2"]]).fit(
        cov_type=cov_type, debiased=debiased, **kw)


def _factor(convention, cov_type, small, n):
    """Variance ratio of each convention to linearmodels on the full dummy design
    (K = 41: x, w, 29 province and 9 year dummies, _cons), written out by hand."""
    if convention == "ivreg2":
        return 1.0
    if convention == "xtivreg2":  # K = 11 (x, w, 9 year dummies), dofminus = 30 panels
        if not small:
            return {"unadjusted": n / (n - 30), "robust": n / (n - 30), "clustered": 1.0}[cov_type]
        return {"unadjusted": 1.0, "robust": 1.0,
                "clustered": (n - 41) / (n - 11)}[cov_type]
    # ivreghdfe: K = 2, sdofminus = df_a = 39, or 10 when provinces nest in the clusters
    if not small:
        return 1.0
    return {"unadjusted": 1.0, "robust": 1.0, "clustered": (n - 41) / (n - 12)}[cov_type]


@pytest.mark.parametrize("convention", ["ivreg2", "xtivreg2", "ivreghdfe"])
@pytest.mark.parametrize("cov_type", ["unadjusted", "robust", "clustered"])
@pytest.mark.parametrize("small", [False, True])
def test_fe_iv_matches_dummy_2sls(panel, dummies, convention, cov_type, small):
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type=cov_type, cluster="prov", small=small, convention=convention)
    small = small or convention == "ivreghdfe"  # ivreghdfe: absorb() implies small
    assert res.small == small
    ref = _linearmodels(panel, dummies, cov_type, debiased=small)
    n = len(panel)
    assert np.allclose(res.params[["x", "w"]], ref.params[["x", "w"]], atol=TOL)
    assert np.allclose(res.std_errors[["x", "w"]],
                       np.sqrt(_factor(convention, cov_type, small, n)) * ref.std_errors[["x", "w"]],
                       atol=TOL)
    assert ("_cons" in res.params) == (convention == "ivreg2")
    if convention == "ivreg2":
        assert res.params["_cons"] == pytest.approx(ref.params["const"], abs=TOL)
    assert res.dist == ("t" if small else "normal")
    if small and cov_type == "clustered":
        assert res.df_resid == G - 1


@pytest.mark.parametrize("convention", ["ivreg2", "xtivreg2"])
def test_pyfixest_iv_agrees(panel, convention):
    pf = pytest.importorskip("pyfixest", reason="pyfixest not installed (test-only dep)")
    fit = pf.feols("y ~ w | prov + year | x ~ z1 + z2", data=panel, vcov={"CRV1": "prov"},
                   ssc=pf.ssc(k_adj=False, G_adj=False))
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type="clustered", cluster="prov", convention=convention)
    assert np.allclose(res.params[["x", "w"]], fit.coef()[["x", "w"]], atol=TOL)
    # ivreg2 without small applies no factor to the cluster sandwich: raw CR0
    assert np.allclose(res.std_errors[["x", "w"]], fit.se()[["x", "w"]], atol=TOL)


@pytest.mark.parametrize("convention", ["ivreg2", "xtivreg2", "ivreghdfe"])
def test_cragg_donald_f_is_first_stage_f(panel, dummies, convention):
    """One endogenous regressor, iid errors: CD Wald F = first-stage F on the excluded
    instruments (statsmodels OLS with explicit dummies)."""
    first = sm.OLS(panel["x"], pd.concat([dummies, panel[["z1", "z2"]]], axis=1)).fit()
    f_stat = float(first.f_test("z1 = 0, z2 = 0").fvalue)
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        convention=convention)
    assert res.diagnostics["cd_f"] == pytest.approx(f_stat, rel=1e-9)
    assert res.diagnostics["weakid_f"] == res.diagnostics["cd_f"]
    assert res.diagnostics["stock_yogo"][10] == 19.93  # Stock-Yogo Table 5.2, K1=1, L1=2


def _partialled(panel, dummies, cols):
    return np.column_stack([sm.OLS(panel[c], dummies).fit().resid for c in cols])


@pytest.mark.parametrize("cov_type", ["robust", "clustered"])
def test_kleibergen_paap_by_hand(panel, dummies, cov_type):
    """K1 = 1: rk LM = (Z'x)' [sum_g (Z_g'x_g)(Z_g'x_g)']^-1 (Z'x) (score test of Pi = 0,
    restricted residual = x), rk Wald uses first-stage residuals; KP F as ivreg2.ado writes
    it: W/N (N-L)/L1 (robust), W/(N-1) (N-L) (G-1)/G / L1 (cluster)."""
    x = _partialled(panel, dummies, ["x"])[:, 0]
    z = _partialled(panel, dummies, ["z1", "z2"])
    groups = panel["prov"].to_numpy() if cov_type == "clustered" else np.arange(len(panel))

    def meat(resid):
        scores = pd.DataFrame(z * resid[:, None]).groupby(groups).sum().to_numpy()
        return scores.T @ scores

    zx = z.T @ x
    lm = zx @ np.linalg.solve(meat(x), zx)
    pi = np.linalg.solve(z.T @ z, zx)
    zz_inv = np.linalg.inv(z.T @ z)
    wald = pi @ np.linalg.solve(zz_inv @ meat(x - z @ pi) @ zz_inv, pi)
    n, big_l = len(panel), 41 + 1  # all instruments: z1 z2 w, 38 dummies, _cons
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type=cov_type, cluster="prov")
    assert res.diagnostics["underid_lm"] == pytest.approx(lm, rel=1e-9)
    factor = ((n - big_l) / n if cov_type == "robust"
              else (n - big_l) / (n - 1) * (G - 1) / G)
    assert res.diagnostics["kp_f"] == pytest.approx(wald * factor / 2, rel=1e-9)
    assert res.diagnostics["weakid_f"] == res.diagnostics["kp_f"]


def test_kp_rank_statistic_reduces_to_canonical_correlations(panel):
    """Two endogenous regressors, homoskedastic moment covariance: rk LM = Anderson's
    N * (smallest squared canonical correlation), rk Wald = Cragg-Donald N cd/(1-cd);
    canonical correlations from an SVD of orthonormal bases (independent route)."""
    x = panel[["x", "x2"]].to_numpy()
    z = panel[["z1", "z2", "w"]].to_numpy()
    x, z = x - x.mean(axis=0), z - z.mean(axis=0)
    qx, qz = np.linalg.qr(x)[0], np.linalg.qr(z)[0]
    cd = np.linalg.svd(qx.T @ qz, compute_uv=False).min() ** 2
    n = len(x)
    assert kleibergen_paap_rk(x, z, "unadjusted", None, 0, "lm") == pytest.approx(n * cd, rel=1e-9)
    assert kleibergen_paap_rk(x, z, "unadjusted", None, 0, "wald") == pytest.approx(
        n * cd / (1 - cd), rel=1e-9)
    assert cragg_donald_eigenvalue(x, z) == pytest.approx(cd, rel=1e-9)


def test_sargan_is_n_r2_of_residuals_on_instruments(panel, dummies):
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"])
    ref = _linearmodels(panel, dummies, "unadjusted", debiased=False)
    aux = sm.OLS(ref.resids, pd.concat([dummies, panel[["z1", "z2"]]], axis=1)).fit()
    assert res.diagnostics["hansen_j"] == pytest.approx(len(panel) * aux.rsquared, rel=1e-9)
    assert res.diagnostics["hansen_j_df"] == 1


def test_hansen_j_matches_two_step_gmm(panel, dummies):
    """Robust: linearmodels two-step GMM on the full dummy design."""
    gmm = IVGMM(panel["y"], dummies, panel[["x"]], panel[["z1", "z2"]],
                weight_type="robust").fit(cov_type="robust")
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type="robust")
    assert res.diagnostics["hansen_j"] == pytest.approx(gmm.j_stat.stat, rel=1e-6)


def test_clustered_hansen_j_on_partialled_moments(panel, dummies):
    """Clustered: ivreghdfe partials the FE out, so J is computed on the excluded
    instruments after partialling out w and the FE; checked against linearmodels GMM on
    those data. ivreg2 with the FE as dummies has 42 moments and 30 clusters: its cluster
    covariance is singular and ivreg2 reports e(j) missing, as we do (with a note)."""
    y, x, z = (_partialled(panel, dummies, cols) for cols in (["y"], ["x"], ["z1", "z2"]))
    gmm = IVGMM(y[:, 0], None, x, z, weight_type="clustered",
                clusters=panel["prov"]).fit(cov_type="clustered", clusters=panel["prov"])
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type="clustered", cluster="prov", convention="ivreghdfe")
    assert res.diagnostics["hansen_j"] == pytest.approx(gmm.j_stat.stat, rel=1e-6)
    dummy = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                          cov_type="clustered", cluster="prov", convention="ivreg2")
    assert dummy.diagnostics["hansen_j"] is None
    assert any("no Hansen J" in note for note in dummy.notes)


def test_exactly_identified_has_no_overid_statistic(panel):
    res = iv_regression(panel, "y", ["x"], ["z1"], exog=["w"], absorb=["prov", "year"])
    assert res.diagnostics["hansen_j"] is None
    assert res.diagnostics["stock_yogo"] == {10: 16.38, 15: 8.96, 20: 6.66, 25: 5.53}
