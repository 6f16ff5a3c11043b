"""fe_regression against published numbers, explicit dummy regressions and pyfixest."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from greentrade.econometrics import fe_regression

TOL = 1e-8


def _wagepan():
    from linearmodels.datasets import wage_panel

    data = wage_panel.load()
    for yr in range(1981, 1988):
        data[f"d{yr}"] = (data["year"] == yr).astype(float)
    return data


def test_wooldridge_example_14_4_xtreg_fe():
    """Wooldridge, Introductory Econometrics, Example 14.4 (WAGEPAN): xtreg, fe with
    conventional SE: expersq -.0052 (.0007), married .047 (.018), union .080 (.019)."""
    data = _wagepan()
    x = ["expersq", "married", "union", *[f"d{y}" for y in range(1981, 1988)]]
    res = fe_regression(data, "lwage", x, absorb=["nr"], convention="xtreg")
    published = {"expersq": (-0.0052, 0.0007), "married": (0.047, 0.018),
                 "union": (0.080, 0.019)}
    for term, (coef, se) in published.items():
        digits = 4 if term == "expersq" else 3
        assert round(res.params[term], digits) == pytest.approx(coef)
        assert round(res.std_errors[term], digits) == pytest.approx(se)
    assert res.nobs == 4360 and res.df_resid == 4360 - 545 - 10
    # the year dummies may equally be given as a second absorbed set (xtreg's i.year)
    two_way = fe_regression(data, "lwage", ["expersq", "married", "union"],
                            absorb=["nr", "year"], convention="xtreg")
    assert np.allclose(two_way.params, res.params[two_way.params.index], atol=TOL)
    assert np.allclose(two_way.std_errors, res.std_errors[two_way.params.index], atol=TOL)


def test_constant_is_grand_mean_intercept(panel):
    """reghdfe / xtreg _cons = mean(y) - mean(x)'b over the estimation sample."""
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"])
    by_hand = panel["y"].mean() - panel[["x", "w"]].mean() @ res.params[["x", "w"]]
    assert res.params["_cons"] == pytest.approx(by_hand, abs=TOL)


def _dummy_ols(panel):
    design = pd.get_dummies(panel[["prov", "year"]].astype(str), drop_first=True,
                            dtype=float)
    design = sm.add_constant(pd.concat([panel[["x", "w"]], design], axis=1))
    return sm.OLS(panel["y"], design).fit(), design.shape[1]


@pytest.mark.parametrize("convention", ["reghdfe", "xtreg"])
def test_two_way_fe_matches_dummy_regression(panel, convention):
    """Coefficients equal to OLS on explicit dummies; clustered SE equal to the raw CR0
    sandwich from statsmodels times the convention's factor written out by hand:
    province FE nested in province clusters, so K = 2 slopes + 9 year effects + _cons."""
    ols, _ = _dummy_ols(panel)
    cr0 = ols.get_robustcov_results("cluster", groups=panel["prov"], use_correction=False)
    n, g = len(panel), 30
    factor = (n - 1) / (n - 12) * g / (g - 1)
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"],
                        cov_type="clustered", cluster="prov", convention=convention)
    assert np.allclose(res.params[["x", "w"]], ols.params[["x", "w"]], atol=TOL)
    assert np.allclose(res.std_errors[["x", "w"]], np.sqrt(factor) * cr0.bse[1:3], atol=TOL)
    assert res.df_resid == g - 1


def test_unadjusted_se_counts_absorbed_effects(panel):
    """Without clustering both conventions count every FE: same SE as OLS on dummies."""
    ols, _ = _dummy_ols(panel)
    for convention in ("reghdfe", "xtreg"):
        res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"],
                            convention=convention)
        assert np.allclose(res.std_errors[["x", "w"]], ols.bse[["x", "w"]], atol=TOL)
        assert res.df_resid == ols.df_resid


def test_robust_conventions_differ_as_documented(panel):
    """reghdfe robust = HC1 with N/(N - K - df_a); xtreg robust = cluster by panel."""
    ols, k = _dummy_ols(panel)
    hc0 = ols.get_robustcov_results("HC0")
    n = len(panel)
    reg = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"], cov_type="robust")
    assert np.allclose(reg.std_errors[["x", "w"]], np.sqrt(n / (n - k)) * hc0.bse[1:3],
                       atol=TOL)
    xt = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"], cov_type="robust",
                       convention="xtreg")
    cl = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"],
                       cov_type="clustered", cluster="prov", convention="xtreg")
    assert xt.cluster == "prov" and np.allclose(xt.std_errors, cl.std_errors, atol=TOL)


def test_xtreg_refuses_clusters_that_do_not_nest_panels(panel):
    with pytest.raises(ValueError, match="not nested"):
        fe_regression(panel, "y", ["x"], absorb=["prov"], cov_type="clustered",
                      cluster="year", convention="xtreg")


def test_reghdfe_absorbed_df(panel):
    """Unclustered: both sets count, the year set loses one redundant level (one
    mobility group). Clustered by year: the year FE is nested and counts 0."""
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"])
    assert (res.df_absorbed, res.df_absorbed_nested) == (30 + 10 - 1, 0)
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"],
                        cov_type="clustered", cluster="year")
    assert (res.df_absorbed, res.df_absorbed_nested) == (30, 10)


def test_pyfixest_agrees_with_reghdfe(panel):
    pf = pytest.importorskip("pyfixest", reason="pyfixest not installed (test-only dep)")
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"],
                        cov_type="clustered", cluster="prov")
    fit = pf.feols("y ~ x + w | prov + year", data=panel, vcov={"CRV1": "prov"})
    assert np.allclose(res.params[["x", "w"]], fit.coef()[["x", "w"]], atol=TOL)
    # pyfixest's default ssc (k_fixef='nonnested') is reghdfe's rule
    assert np.allclose(res.std_errors[["x", "w"]], fit.se()[["x", "w"]], atol=TOL)
    raw = pf.feols("y ~ x + w | prov + year", data=panel, vcov={"CRV1": "prov"},
                   ssc=pf.ssc(k_adj=False, G_adj=False))
    n = len(panel)
    assert np.allclose(res.std_errors[["x", "w"]],
                       np.sqrt((n - 1) / (n - 12) * 30 / 29) * raw.se()[["x", "w"]], atol=TOL)


def test_r_squared_variants_match_dummy_regression(panel):
    ols, k = _dummy_ols(panel)
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"])
    assert res.r2 == pytest.approx(ols.rsquared, abs=TOL)
    assert res.r2_adj == pytest.approx(ols.rsquared_adj, abs=TOL)
    n = len(panel)
    fe_only = np.column_stack([ols.model.exog[:, 0], ols.model.exog[:, 3:]])
    resid_y = sm.OLS(panel["y"], fe_only).fit().resid  # y net of all FE
    r2_within = 1 - ols.ssr / (resid_y @ resid_y)
    assert res.r2_within == pytest.approx(r2_within, abs=TOL)
    used = n - k
    assert res.r2_within_adj == pytest.approx(
        1 - (ols.ssr / used) / ((resid_y @ resid_y) / (used + 2)), abs=TOL)
