"""Identification statistics of every convention and VCE branch against the formulas as
ivreg2.ado 4.1.11 writes them, computed here independently of the code under test: the
partialled data from statsmodels OLS on explicit dummies, closed-form K1 = 1 statistics, and
for K1 = 2 the Kleibergen-Paap (2006) rk statistic with symmetric matrix square roots
(ranktest uses Cholesky factors; the statistic is invariant to that choice)."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import linalg, stats

from greentrade.econometrics import iv_regression, kleibergen_paap_rk

G = 30


@pytest.fixture(scope="module")
def design(panel):
    """Partialled x, z1 z2 and y: FE of both sets, w and the constant span the same space in
    all three conventions (dummies; within + dummies; absorbed), so they share these data."""
    fe = pd.get_dummies(panel[["prov", "year"]].astype(str), drop_first=True, dtype=float)
    w = sm.add_constant(pd.concat([panel[["w"]], fe], axis=1))

    def part(cols):
        return np.column_stack([sm.OLS(panel[c], w).fit().resid for c in cols])

    return {"x": part(["x"])[:, 0], "x2": part(["x", "x2"]), "z": part(["z1", "z2"]),
            "y": part(["y"])[:, 0], "groups": panel["prov"].to_numpy(), "n": len(panel)}


# per convention: L (all instruments), dofminus, sdofminus (unclustered, clustered by prov)
CONVENTIONS = {
    "ivreg2": dict(L=2 + 1 + 29 + 9 + 1, dofminus=0, sdofminus=(0, 0)),   # FE as dummies, _cons
    "xtivreg2": dict(L=2 + 1 + 9, dofminus=30, sdofminus=(0, 0)),          # within prov, i.year, nocons
    "ivreghdfe": dict(L=2 + 1, dofminus=0, sdofminus=(30 + 10 - 1, 10)),   # df_a; prov nested in clusters
}


def _meat(z, resid, groups):
    scores = pd.DataFrame(z * resid[:, None]).groupby(groups).sum().to_numpy()
    return scores.T @ scores


def _expected(design, convention, cov_type):
    c = CONVENTIONS[convention]
    x, z, n = design["x"], design["z"], design["n"]
    big_l, dofm = c["L"], c["dofminus"]
    sdofm = c["sdofminus"][cov_type == "clustered"]
    qx, qz = np.linalg.qr(x[:, None])[0], np.linalg.qr(z)[0]
    cd = np.linalg.svd(qx.T @ qz, compute_uv=False).min() ** 2  # squared canonical correlation
    out = {"anderson_lm": (n - dofm) * cd, "cd_f": cd / (1 - cd) * (n - big_l - dofm - sdofm) / 2}
    if cov_type == "unadjusted":
        return out | {"underid_lm": out["anderson_lm"], "weakid_f": out["cd_f"]}
    groups = design["groups"] if cov_type == "clustered" else np.arange(n)
    zx = z.T @ x
    lm = zx @ np.linalg.solve(_meat(z, x, groups), zx)  # r(chi2), LM
    zz_inv = np.linalg.inv(z.T @ z)
    pi = zz_inv @ zx
    wald = pi @ np.linalg.solve(zz_inv @ _meat(z, x - z @ pi, groups) @ zz_inv, pi)  # r(chi2), Wald
    if cov_type == "robust":   # scalar idstat=r(chi2)/r(N)*(N-dofminus) ...
        kp_lm, kp_f = lm / n * (n - dofm), wald / n * (n - big_l - sdofm - dofm) / 2
    else:                      # "No dofminus adjustment needed for cluster-robust"
        kp_lm, kp_f = lm, wald / (n - 1) * (n - big_l - sdofm) * (G - 1) / G / 2
    return out | {"kp_lm": kp_lm, "kp_f": kp_f, "underid_lm": kp_lm, "weakid_f": kp_f}


@pytest.mark.parametrize("convention", list(CONVENTIONS))
@pytest.mark.parametrize("cov_type", ["unadjusted", "robust", "clustered"])
@pytest.mark.parametrize("small", [False, True])
def test_identification_statistics_follow_ivreg2(panel, design, convention, cov_type, small):
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type=cov_type, cluster="prov", small=small, convention=convention)
    expected = _expected(design, convention, cov_type)
    for key, value in expected.items():
        assert res.diagnostics[key] == pytest.approx(value, rel=1e-9), key
    df = 2 - 1 + 1
    assert res.diagnostics["underid_p"] == pytest.approx(stats.chi2.sf(expected["underid_lm"], df), rel=1e-9)
    if cov_type == "unadjusted":
        assert res.diagnostics["kp_lm"] is None and res.diagnostics["kp_f"] is None


@pytest.mark.parametrize("convention", list(CONVENTIONS))
def test_hansen_j_scales_with_dofminus(panel, design, convention):
    """Sargan: e'P_Z e / (e'e/(N-dofminus)); robust J: S divided by N - dofminus, so J is
    (N - dofminus)/N times the dofminus = 0 value; cluster J has no dofminus factor."""
    n, dofm = design["n"], CONVENTIONS[convention]["dofminus"]
    y, x, z = design["y"], design["x"], design["z"]
    xhat = z @ np.linalg.lstsq(z, x, rcond=None)[0]
    e = y - x * (xhat @ y) / (xhat @ x)
    pze = z @ np.linalg.lstsq(z, e, rcond=None)[0]
    res = {cov: iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                              cov_type=cov, cluster="prov", convention=convention)
           for cov in ("unadjusted", "robust")}
    assert res["unadjusted"].diagnostics["hansen_j"] == pytest.approx(e @ pze / (e @ e / (n - dofm)), rel=1e-9)
    base = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                         cov_type="robust", convention="ivreg2").diagnostics["hansen_j"]
    assert res["robust"].diagnostics["hansen_j"] == pytest.approx(base * (n - dofm) / n, rel=1e-9)


def _kp_rk_symmetric(x, z, cov_type, groups, wald):
    """Kleibergen & Paap (2006), eqs. (15)-(21), with G = (Z'Z)^(1/2), F = (X'X)^(-1/2)
    (symmetric roots), lambda = U_q' Theta V_q from the SVD, and ranktest's LM convention:
    the moment covariance of X itself (LM) or of the first-stage residuals (Wald)."""
    n, k = x.shape
    pi = np.linalg.inv(z.T @ z) @ z.T @ x
    g, f = linalg.sqrtm(z.T @ z).real, np.linalg.inv(linalg.sqrtm(x.T @ x).real)
    theta = g @ pi @ f.T
    u, _, vt = np.linalg.svd(theta)
    q = k - 1
    a, b = u[:, q:], vt[q:, :].T
    lam = (a.T @ theta @ b).reshape(-1, order="F")
    e = x - z @ pi if wald else x
    scores = np.einsum("ik,il->ikl", e, z).reshape(n, -1)
    if cov_type == "clustered":
        scores = pd.DataFrame(scores).groupby(groups).sum().to_numpy()
    omega = scores.T @ scores
    zz_inv = np.kron(np.eye(k), np.linalg.inv(z.T @ z))
    var_theta = np.kron(f, g) @ zz_inv @ omega @ zz_inv @ np.kron(f, g).T
    transform = np.kron(b.T, a.T)
    return float(lam @ np.linalg.solve(transform @ var_theta @ transform.T, lam))


@pytest.mark.parametrize("cov_type", ["robust", "clustered"])
@pytest.mark.parametrize("wald", [False, True])
def test_ranktest_two_endogenous(design, cov_type, wald):
    """K1 = 2: ranktest's Cholesky route equals the symmetric-root route of the paper."""
    x, z = design["x2"], design["z"]
    ours = kleibergen_paap_rk(x, z, cov_type, pd.factorize(design["groups"])[0], 0,
                              "wald" if wald else "lm")
    assert ours == pytest.approx(_kp_rk_symmetric(x, z, cov_type, design["groups"], wald), rel=1e-9)
