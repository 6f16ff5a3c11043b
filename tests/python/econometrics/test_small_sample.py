"""Small-sample factors of each convention against hand formulas on a 12-row panel."""

import numpy as np
import pandas as pd
import pytest

from greentrade.econometrics import fe_regression, iv_regression

N, G = 12, 4


@pytest.fixture(scope="module")
def tiny():
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"unit": np.repeat(np.arange(G), 3), "x": rng.normal(size=N),
                          "z": rng.normal(size=N)})
    frame["x"] += frame["z"]
    frame["y"] = 0.5 * frame["x"] + frame["unit"] + rng.normal(size=N)
    # within estimator by hand
    xt = frame["x"] - frame.groupby("unit")["x"].transform("mean")
    yt = frame["y"] - frame.groupby("unit")["y"].transform("mean")
    b = (xt @ yt) / (xt @ xt)
    e = yt - b * xt
    sxx = xt @ xt
    zt = frame["z"] - frame.groupby("unit")["z"].transform("mean")
    b_iv = (zt @ yt) / (zt @ xt)
    e_iv = yt - b_iv * xt
    hand = {
        "b_iv": b_iv,
        "ee_iv": e_iv @ e_iv,
        "sxhat": (zt @ xt) ** 2 / (zt @ zt),
        "cr0_iv": ((zt * e_iv).groupby(frame["unit"]).sum() ** 2).sum() / (zt @ xt) ** 2,
        "b": b,
        "ee": e @ e,
        "sxx": sxx,
        "cr0": ((xt * e).groupby(frame["unit"]).sum() ** 2).sum() / sxx ** 2,
        "hc0": ((xt * e) ** 2).sum() / sxx ** 2,
    }
    return frame, hand


def _var(res):
    return res.std_errors["x"] ** 2


def test_ols_conventions(tiny):
    frame, h = tiny
    kw = dict(absorb=["unit"], convention="reghdfe")
    # unadjusted: e'e / (N - 1 slope - 4 unit effects)
    assert _var(fe_regression(frame, "y", ["x"], **kw)) == pytest.approx(
        h["ee"] / 7 / h["sxx"])
    # robust (reghdfe): HC0 * N / (N - 1 - 4)
    assert _var(fe_regression(frame, "y", ["x"], cov_type="robust", **kw)) == pytest.approx(
        h["hc0"] * 12 / 7)
    # clustered, units nested in clusters: K = slope + _cons = 2 -> (11/10) * (4/3)
    for convention in ("reghdfe", "xtreg"):
        res = fe_regression(frame, "y", ["x"], absorb=["unit"], cov_type="clustered",
                            cluster="unit", convention=convention)
        assert res.params["x"] == pytest.approx(h["b"])
        assert _var(res) == pytest.approx(h["cr0"] * 11 / 10 * 4 / 3)
        assert res.df_resid == 3


@pytest.mark.parametrize("convention, small, factor", [
    ("ivreg2", False, 1.0),                   # no factor without small
    ("ivreg2", True, 11 / 7 * 4 / 3),         # K = x + 3 unit dummies + _cons = 5
    ("xtivreg2", True, 11 / 11 * 4 / 3),      # K = 1, sdofminus = 0
    ("ivreghdfe", True, 11 / 10 * 4 / 3),     # K = 1, sdofminus = df_a(0) + 1
])
def test_iv_cluster_factors(tiny, convention, small, factor):
    frame, h = tiny
    res = iv_regression(frame, "y", ["x"], ["z"], absorb=["unit"], cov_type="clustered",
                        cluster="unit", small=small, convention=convention)
    assert res.params["x"] == pytest.approx(h["b_iv"])
    assert _var(res) == pytest.approx(h["cr0_iv"] * factor)


def test_iv_unadjusted_large_sample(tiny):
    """ivreg2 without small: sigma2 = e'e/N; xtivreg2: e'e/(N - panels)."""
    frame, h = tiny
    kw = dict(absorb=["unit"])
    assert _var(iv_regression(frame, "y", ["x"], ["z"], convention="ivreg2", **kw)) == \
        pytest.approx(h["ee_iv"] / 12 / h["sxhat"])
    assert _var(iv_regression(frame, "y", ["x"], ["z"], convention="xtivreg2", **kw)) == \
        pytest.approx(h["ee_iv"] / 8 / h["sxhat"])
