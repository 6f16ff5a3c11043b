"""The thin Stata layer on linearmodels (issue 14, item 4): estimates come from linearmodels'
IV2SLS, the Stata small-sample factors multiply its plain sandwich, the diagnostics are
test-statistic objects, ``summary()`` is a Summary object, and the QR / least-squares paths
(bootstrap solver, ranktest, Hansen J) hold."""

import math
import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from linearmodels import IV2SLS, PanelOLS
from linearmodels.shared.hypotheses import WaldTestStatistic

from greentrade.econometrics import fe_regression, iv_regression, wild_cluster_bootstrap
from greentrade.econometrics.absorb import factorize, within
from greentrade.econometrics.bootstrap import TIE_TOLERANCE
from greentrade.econometrics.results import DiagnosticStatistic, Summary

from .conftest import simulated_panel

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "greentrade"


# ---------------------------------------------------------------- test-statistic objects

def test_diagnostic_statistic_is_a_number_and_a_test():
    lm = DiagnosticStatistic(7.5, "rank = 0", 2, name="Kleibergen-Paap rk LM")
    assert float(lm) == 7.5 and lm.statistic == 7.5 and lm.stat == 7.5
    assert lm.df == 2 and lm.df_denom is None and lm.dist_name == "chi2(2)"
    assert lm.pvalue == pytest.approx(math.exp(-7.5 / 2))  # chi2(2) survival function
    assert lm.pval == lm.pvalue
    assert lm.name == "Kleibergen-Paap rk LM" and lm.null == "rank = 0"
    assert isinstance(lm, WaldTestStatistic)
    assert lm * 2 == 15.0 and lm <= 8 and lm == pytest.approx(7.5)
    assert f"{lm:.2f}" == "7.50" and f"{lm}" == "7.5"
    assert "Kleibergen-Paap rk LM" in str(lm) and "P-value" in str(lm)
    again = pickle.loads(pickle.dumps(lm))
    assert again.pvalue == lm.pvalue and again.name == lm.name and float(again) == 7.5
    f = DiagnosticStatistic(12.0, "weak", 2, 100, name="Cragg-Donald Wald F", has_pvalue=False)
    assert f.dist_name == "F(2,100)" and (f.df, f.df_denom) == (2, 100)
    assert math.isnan(f.pvalue)


@pytest.mark.parametrize("cov_type", ["unadjusted", "robust", "clustered"])
def test_iv_diagnostics_are_test_statistics(panel, cov_type):
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type=cov_type, cluster="prov", convention="ivreghdfe")
    d = res.diagnostics
    for key in ("underid_lm", "anderson_lm", "weakid_f", "cd_f", "hansen_j"):
        assert isinstance(d[key], DiagnosticStatistic), key
    assert d["underid_lm"].df == d["underid_df"] == 2
    assert d["underid_lm"].pvalue == pytest.approx(d["underid_p"], rel=1e-14)
    assert d["anderson_lm"].pvalue == pytest.approx(d["anderson_p"], rel=1e-14)
    assert (d["weakid_f"].df, d["weakid_f"].df_denom) == (2, d["weakid_df"])
    assert math.isnan(d["weakid_f"].pvalue)  # ivreg2 prints none: Stock-Yogo is the test
    assert d["hansen_j"].df == d["hansen_j_df"] == 1
    assert d["hansen_j"].pvalue == pytest.approx(d["hansen_j_p"], rel=1e-14)
    if cov_type == "unadjusted":
        assert d["underid_lm"] is d["anderson_lm"] and d["hansen_j"].name == "Sargan"
        assert d["kp_lm"] is None
    else:
        assert d["underid_lm"] is d["kp_lm"] and d["hansen_j"].name == "Hansen J"
        assert d["kp_lm"].name.endswith("Kleibergen-Paap rk LM")
        assert d["kp_lm"].pvalue == pytest.approx(d["kp_lm_p"], rel=1e-14)


def test_summary_is_an_object_that_prints_the_table(panel):
    res = iv_regression(panel, "y", ["x"], ["z1", "z2"], exog=["w"], absorb=["prov", "year"],
                        cov_type="clustered", cluster="prov")
    summary = res.summary()
    assert isinstance(summary, Summary)
    text = str(summary)
    assert text == summary.as_text() == repr(summary)
    assert re.search(r"^x\s+0\.\d+", text, re.M) and "underid_lm = " in text
    assert "Kleibergen-Paap rk LM, chi2(2), p = " in text
    table = summary.tables[0]
    assert list(table.index) == list(res.params.index)
    assert table["coef"].tolist() == res.params.tolist() and table["z"].tolist() == res.tstats.tolist()
    assert "<table" in summary.as_html()


# ---------------------------------------------------------------- the layer on linearmodels

def _within_design(panel, x, absorb, cluster):
    fes = [factorize(panel[a]) for a in absorb]
    xs = within(panel[x].to_numpy(float), fes) + panel[x].to_numpy(float).mean(axis=0)
    ys = within(panel["y"].to_numpy(float), fes) + panel["y"].mean()
    exog = pd.DataFrame(np.column_stack([xs, np.ones(len(panel))]), columns=[*x, "_cons"])
    return ys, exog, factorize(panel[cluster])[0]


@pytest.mark.parametrize("cov_type", ["unadjusted", "robust", "clustered"])
def test_reghdfe_factor_is_linearmodels_debiased_with_absorbed_df(panel, cov_type):
    """reghdfe's small-sample factor is linearmodels' own debiased factor n/(n-k-extra_df)
    (clustered (n-1)/(n-k-extra_df) G/(G-1)) with extra_df = the absorbed df beyond _cons."""
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"], cov_type=cov_type,
                        cluster="prov")
    ys, exog, clusters = _within_design(panel, ["x", "w"], ["prov", "year"], "prov")
    if cov_type == "clustered":  # prov nested in the clusters counts 0; year's levels count
        extra_df = res.df_absorbed + (res.df_absorbed == 0) - 1
    else:
        extra_df = res.df_absorbed - 1
    options = {"clusters": clusters} if cov_type == "clustered" else {}
    lm = IV2SLS(ys, exog, None, None).fit(cov_type=cov_type, debiased=True, extra_df=extra_df,
                                          **options)
    assert res.std_errors.to_numpy() == pytest.approx(lm.std_errors.to_numpy(), rel=1e-10)
    assert res.params.to_numpy() == pytest.approx(lm.params.to_numpy(), rel=1e-10)


@pytest.mark.parametrize("cov_type", ["unadjusted", "robust", "clustered"])
def test_ivreg2_small_is_linearmodels_debiased_with_sdofminus(cov_type):
    """ivreg2, small: N/(N-K-sdofminus) (clustered (N-1)/(N-K-sdofminus) G/(G-1)) is
    linearmodels' debiased IV2SLS with extra_df = sdofminus; without small the factor is
    1 (clustered) or N/(N - dofminus), which linearmodels' debiased option cannot express."""
    data = simulated_panel(seed=4)
    res = iv_regression(data, "y", ["x"], ["z1", "z2"], exog=["w"], cov_type=cov_type,
                        cluster="prov", small=True, sdofminus=3)
    options = {"clusters": data["prov"]} if cov_type == "clustered" else {}
    lm = IV2SLS(data["y"], data[["w"]].assign(const=1.0), data[["x"]], data[["z1", "z2"]]).fit(
        cov_type=cov_type, debiased=True, extra_df=3, **options)
    assert res.std_errors[["x", "w", "_cons"]].to_numpy() == pytest.approx(
        lm.std_errors[["x", "w", "const"]].to_numpy(), rel=1e-10)
    large = iv_regression(data, "y", ["x"], ["z1", "z2"], exog=["w"], cov_type=cov_type,
                          cluster="prov", dofminus=5)
    plain = IV2SLS(data["y"], data[["w"]].assign(const=1.0), data[["x"]], data[["z1", "z2"]]).fit(
        cov_type=cov_type, debiased=False, **options)
    factor = 1.0 if cov_type == "clustered" else len(data) / (len(data) - 5)
    assert large.std_errors[["x", "w", "_cons"]].to_numpy() == pytest.approx(
        np.sqrt(factor) * plain.std_errors[["x", "w", "const"]].to_numpy(), rel=1e-10)


def test_two_way_fe_matches_panelols_on_a_balanced_panel():
    """On a balanced panel linearmodels' PanelOLS demeans both ways exactly: the same
    coefficients and, with reghdfe's unadjusted df (N - K - absorbed), the same errors."""
    data = simulated_panel(seed=7, drop=0)
    res = fe_regression(data, "y", ["x", "w"], absorb=["prov", "year"])
    indexed = data.set_index(["prov", "year"])
    lm = PanelOLS(indexed["y"], indexed[["x", "w"]], entity_effects=True,
                  time_effects=True).fit(cov_type="unadjusted")
    assert res.params[["x", "w"]].to_numpy() == pytest.approx(lm.params.to_numpy(), rel=1e-10)
    assert res.std_errors[["x", "w"]].to_numpy() == pytest.approx(lm.std_errors.to_numpy(),
                                                                   rel=1e-10)


# ---------------------------------------------------------------- QR / least-squares paths

def test_bootstrap_qr_solver_gives_the_cr0_t_and_counts_exact_ties():
    """The bootstrap's QR solver reproduces the cluster-robust t without small-sample
    factor; with 4 clusters every Rademacher draw is one of 16, and the two that rebuild the
    sample (all +1, all -1) are ties |t*| = |t| that count, whatever the rounding: the
    p-value is the share of draws whose exact |t*| >= |t|."""
    data = simulated_panel(seed=5, provinces=4, years=25, drop=0)
    kw = dict(x=["x", "w"], absorb=["prov", "year"], cluster="prov", term="w")
    res = fe_regression(data, "y", ["x", "w"], absorb=["prov", "year"], cov_type="clustered",
                        cluster="prov")
    reps, seed = 400, 11
    boot = wild_cluster_bootstrap(data, "y", reps=reps, seed=seed, **kw)
    assert boot.tstat == pytest.approx(res.tstats["w"] * np.sqrt(res.vce_factor), rel=1e-10)
    draws = np.random.default_rng(seed).choice(np.array([-1.0, 1.0]), size=(4, reps))
    # |t*| of each of the 16 draws, by an independent dummy-variable regression
    fes = [factorize(data[a]) for a in ("prov", "year")]
    xm = within(data[["x", "w"]].to_numpy(float), fes)
    ym = within(data["y"].to_numpy(float), fes)
    codes = factorize(data["prov"])[0]
    fitted_r = xm[:, :1] @ np.linalg.lstsq(xm[:, :1], ym, rcond=None)[0]
    resid_r = ym - fitted_r
    exceed = 0
    for draw in draws.T:
        if abs(draw.sum()) == 4:   # the sample itself (or its mirror): a tie, counted
            exceed += 1
            continue
        ystar = fitted_r + resid_r * draw[codes]
        b, *_ = np.linalg.lstsq(xm, ystar, rcond=None)
        e = ystar - xm @ b
        bread = np.linalg.lstsq(xm.T @ xm, np.eye(2), rcond=None)[0]
        scores = np.zeros((4, 2))
        np.add.at(scores, codes, xm * e[:, None])
        t = b[1] / np.sqrt((bread @ scores.T @ scores @ bread)[1, 1])
        exceed += abs(t) >= abs(boot.tstat)
    assert boot.pvalue == exceed / reps
    assert 0 < TIE_TOLERANCE < 1e-6


def test_no_explicit_inverse_in_the_package():
    """Cross-products are factored (QR, Cholesky, least squares), never inverted."""
    found = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\b(p?inv)\(", line.split("#")[0])]
    assert found == []
