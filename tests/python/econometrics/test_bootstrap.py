import numpy as np
import pytest

from greentrade.econometrics import fe_regression, wild_cluster_bootstrap

from .conftest import simulated_panel

KW = dict(x=["x", "w"], absorb=["prov", "year"], cluster="prov", term="w")


def test_reproducible_by_seed(panel):
    first = wild_cluster_bootstrap(panel, "y", reps=499, seed=3, **KW)
    again = wild_cluster_bootstrap(panel, "y", reps=499, seed=3, **KW)
    assert first.pvalue == again.pvalue
    webb = wild_cluster_bootstrap(panel, "y", reps=499, seed=3, weights="webb", **KW)
    assert webb == wild_cluster_bootstrap(panel, "y", reps=499, seed=3, weights="webb", **KW)


def test_t_statistic_is_cr0_t(panel):
    res = fe_regression(panel, "y", ["x", "w"], absorb=["prov", "year"],
                        cov_type="clustered", cluster="prov")
    boot = wild_cluster_bootstrap(panel, "y", reps=9, seed=0, **KW)
    assert boot.tstat == pytest.approx(res.tstats["w"] * np.sqrt(res.vce_factor))


@pytest.mark.parametrize("weights", ["rademacher", "webb"])
def test_p_values_sane_under_the_null(weights):
    """w has no effect on y2: p-values roughly uniform, few rejections at 5 %."""
    pvalues = []
    for seed in range(20):
        data = simulated_panel(seed=100 + seed)
        data["y2"] = data["y"] - 0.2 * data["w"]
        pvalues.append(wild_cluster_bootstrap(data, "y2", reps=199, seed=seed,
                                              weights=weights, **KW).pvalue)
    pvalues = np.array(pvalues)
    assert 0.3 < pvalues.mean() < 0.7
    assert (pvalues < 0.05).sum() <= 3


def test_p_value_small_under_a_strong_effect(panel):
    assert wild_cluster_bootstrap(panel, "y", reps=199, seed=1, x=["x", "w"],
                                  absorb=["prov", "year"], cluster="prov",
                                  term="x").pvalue < 0.01
