"""iv_regression against Stata's own ivreg2 4.1.11 output (fixtures/README.md says where the
numbers come from): every VCE branch (iid, robust, cluster, each with and without small), with
and without dofminus/sdofminus, on a clustered case with one endogenous regressor and two
excluded instruments (50 clusters), and the help file's mroz examples."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greentrade.econometrics import iv_regression

FIXTURES = Path(__file__).parent / "fixtures"
FLOATS = ["x1", "z1", "z2", "v", "u", "endo1", "y"]
COV_TYPES = {"iid": "unadjusted", "hc1": "robust", "cl": "clustered"}


@pytest.fixture(scope="module")
def sim_cluster() -> pd.DataFrame:
    data = pd.read_csv(FIXTURES / "ivreg2_sim_cluster.csv", dtype={c: np.float32 for c in FLOATS})
    return data.astype({c: np.float64 for c in FLOATS})  # Stata floats, used in double


def test_fixture_is_the_data_stata_used():
    """Every row satisfies Stata's generating equations in float32 arithmetic (computed in
    double, stored as float), so no value was altered when the file was written."""
    raw = pd.read_csv(FIXTURES / "ivreg2_sim_cluster.csv", dtype={c: np.float32 for c in FLOATS})
    f = {c: raw[c].to_numpy(np.float64) for c in FLOATS}
    endo1 = (0.5 * f["z1"] + 0.3 * f["z2"] + 0.2 * f["x1"] + 0.6 * f["v"] + 0.3 * f["u"]).astype(np.float32)
    y = (1.0 + 0.8 * f["x1"] + 1.5 * f["endo1"] + f["u"]).astype(np.float32)
    assert (endo1 == raw["endo1"].to_numpy()).all() and (y == raw["y"].to_numpy()).all()
    assert len(raw) == 1000 and (raw.groupby("cluster_id").size() == 20).all()


COEF = {"endo1": 1.723484266871061, "x1": 0.9149490987304749, "_cons": 0.9534483100302316}
# Stata e() results, ivreg2 y x1 (endo1 = z1 z2) [, robust | cluster(cluster_id)] [small]
# [dofminus(1) sdofminus(1)]: std errors (endo1, x1, _cons), e(idstat), e(cdf), e(widstat),
# e(j) (Sargan under iid), e(r2_a), e(rmse)
SIM_CLUSTER = {
    ("iid", False, 0): dict(se=(.0565189030447441, .0362348987942231, .0336981501600346),
                            idstat=433.8592087140763, cdf=381.6398487182848, widstat=381.6398487182848,
                            j=1.780994787868388, r2_a=.8246786568485043, rmse=1.064504205538907),
    ("iid", True, 0): dict(se=(.0566038726287425, .0362893737417345, .0337488114016079),
                           idstat=433.8592087140763, cdf=381.6398487182848, widstat=381.6398487182848,
                           j=1.780994787868388, r2_a=.8246786568485043, rmse=1.066104563554304),
    ("hc1", False, 0): dict(se=(.0589554271734033, .0365820901743153, .0335341139970909),
                            idstat=243.8105069029328, cdf=381.6398487182848, widstat=372.301858955308,
                            j=1.654607246563862, r2_a=.8246786568485043, rmse=1.064504205538907),
    ("hc1", True, 0): dict(se=(.0590440597874759, .0366370870836049, .0335845286294101),
                           idstat=243.8105069029328, cdf=381.6398487182848, widstat=372.301858955308,
                           j=1.654607246563862, r2_a=.8246786568485043, rmse=1.066104563554304),
    ("cl", False, 0): dict(se=(.0755400621513893, .0415267781216928, .0676760928768982),
                           idstat=43.13415429258164, cdf=381.6398487182848, widstat=430.4330995878938,
                           j=1.964417695331189, r2_a=.8246786568485043, rmse=1.064504205538907),
    ("cl", True, 0): dict(se=(.0763834842486458, .0419904341116165, .0684317119558707),
                          idstat=43.13415429258164, cdf=381.6398487182848, widstat=430.4330995878938,
                          j=1.964417695331189, r2_a=.8246786568485043, rmse=1.066104563554304),
    ("iid", False, 1): dict(se=(.0565471837085328, .0362530298430406, .0337150118824608),
                            idstat=433.4253495053622, cdf=380.8735036405373, widstat=380.8735036405373,
                            j=1.77921379308052, r2_a=.8243262521386521, rmse=1.065036857163703),
    ("iid", True, 1): dict(se=(.0566607323845444, .0363258271650311, .0337827127777114),
                           idstat=433.4253495053622, cdf=380.8735036405373, widstat=380.8735036405373,
                           j=1.77921379308052, r2_a=.8243262521386521, rmse=1.067175487544621),
    ("hc1", False, 1): dict(se=(.0589849270137149, .0366003949491281, .0335508936398708),
                            idstat=243.5666963960299, cdf=380.8735036405373, widstat=371.5542648610203,
                            j=1.652952639317299, r2_a=.8243262521386521, rmse=1.065036857163703),
    ("hc1", True, 1): dict(se=(.0591033707615339, .0366738897921144, .0336182649800855),
                           idstat=243.5666963960299, cdf=380.8735036405373, widstat=371.5542648610203,
                           j=1.652952639317299, r2_a=.8243262521386521, rmse=1.067175487544621),
    ("cl", False, 1): dict(se=(.0755400621513893, .0415267781216928, .0676760928768982),
                           idstat=43.13415429258164, cdf=380.8735036405373, widstat=430.0009378413196,
                           j=1.964417695331189, r2_a=.8243262521386521, rmse=1.065036857163703),
    ("cl", True, 1): dict(se=(.0764218197513094, .0420115083584196, .0684660566064423),
                          idstat=43.13415429258164, cdf=380.8735036405373, widstat=430.0009378413196,
                          j=1.964417695331189, r2_a=.8243262521386521, rmse=1.067175487544621),
}


@pytest.mark.parametrize("vce, small, dofminus", list(SIM_CLUSTER))
def test_sim_cluster_matches_stata(sim_cluster, vce, small, dofminus):
    stata = SIM_CLUSTER[(vce, small, dofminus)]
    res = iv_regression(sim_cluster, "y", ["endo1"], ["z1", "z2"], exog=["x1"],
                        cov_type=COV_TYPES[vce], cluster="cluster_id", small=small,
                        dofminus=dofminus, sdofminus=dofminus)
    d = res.diagnostics
    assert res.params.to_dict() == pytest.approx(COEF, rel=1e-10)
    assert res.std_errors[["endo1", "x1", "_cons"]].to_numpy() == pytest.approx(stata["se"], rel=1e-9)
    assert d["underid_lm"] == pytest.approx(stata["idstat"], rel=1e-10)
    assert d["cd_f"] == pytest.approx(stata["cdf"], rel=1e-10)
    assert d["weakid_f"] == pytest.approx(stata["widstat"], rel=1e-10)
    assert d["hansen_j"] == pytest.approx(stata["j"], rel=1e-9)
    assert res.r2_adj == pytest.approx(stata["r2_a"], rel=1e-12)
    assert res.rmse == pytest.approx(stata["rmse"], rel=1e-12)
    assert res.df_resid == (49 if (vce, small) == ("cl", True) else res.df_resid)


def test_cluster_kp_wald_f_uses_ivreg2s_cluster_factors(sim_cluster):
    """The reference case of issue 12: ivreg2 prints KP rk Wald F = 430.433 under
    cluster(cluster_id); the large-sample factor r(chi2)(N-L)/(N L1) gives 438.78 (+1.9 %).
    ivreg2: r(chi2)/(N-1) (N-L-sdofminus) (G-1)/G / L1, with and without small."""
    for small in (False, True):
        res = iv_regression(sim_cluster, "y", ["endo1"], ["z1", "z2"], exog=["x1"],
                            cov_type="clustered", cluster="cluster_id", small=small)
        kp_f = res.diagnostics["kp_f"]
        assert kp_f == pytest.approx(430.4330995878938, rel=1e-10)
        wald = kp_f * 999 / 996 * 50 / 49 * 2  # back to ranktest's r(chi2)
        assert wald * 996 / (1000 * 2) == pytest.approx(438.778, rel=1e-5)  # the old factor
        # every statistic of the other readings is stored beside it
        assert res.diagnostics["kp_lm"] == pytest.approx(43.13415429258164, rel=1e-10)
        assert res.diagnostics["anderson_lm"] == pytest.approx(433.8592087140763, rel=1e-10)
        assert res.diagnostics["kp_lm"] <= 50  # a cluster-robust LM cannot exceed G


@pytest.fixture(scope="module")
def mroz() -> pd.DataFrame:
    from linearmodels.datasets import mroz
    data = mroz.load()
    # Wooldridge's mroz.dta stores lwage as a float: linearmodels' copy prints it to 7 digits,
    # which round back to exactly that float
    return data.assign(lwage=data["lwage"].astype(np.float32).astype(np.float64))


# ivreg2 lwage exper expersq (educ = age kidslt6 kidsge6): help file H31 (iid), H41 (robust);
# the same with dofminus(1) sdofminus(1)
MROZ = {
    ("iid", 0): dict(idstat=12.81582310684222, cdf=4.342070862428497, widstat=4.342070862428497,
                     j=.7015124317084478, r2_a=.149623860675336, rmse=.6637792834497275),
    ("hc1", 0): dict(idstat=11.23055884485077, cdf=4.342070862428497, widstat=5.021219248782474,
                     j=.5138487725388226, r2_a=.149623860675336, rmse=.6637792834497275),
    ("iid", 1): dict(idstat=12.78587959491035, cdf=4.321492327535472, widstat=4.321492327535472,
                     j=.6998733839708102, r2_a=.1455936420055508, rmse=.6645560880261882),
    ("hc1", 1): dict(idstat=11.20431922138149, cdf=4.321492327535472, widstat=4.997422001157912,
                     j=.5126481912945736, r2_a=.1455936420055508, rmse=.6645560880261882),
}


@pytest.mark.parametrize("vce, dofminus", list(MROZ))
def test_mroz_help_file_examples(mroz, vce, dofminus):
    stata = MROZ[(vce, dofminus)]
    res = iv_regression(mroz, "lwage", ["educ"], ["age", "kidslt6", "kidsge6"], exog=["exper", "expersq"],
                        cov_type=COV_TYPES[vce], dofminus=dofminus, sdofminus=dofminus)
    assert res.nobs == 428
    d = res.diagnostics
    assert d["underid_lm"] == pytest.approx(stata["idstat"], rel=1e-10)
    assert d["cd_f"] == pytest.approx(stata["cdf"], rel=1e-10)
    assert d["weakid_f"] == pytest.approx(stata["widstat"], rel=1e-10)
    assert d["hansen_j"] == pytest.approx(stata["j"], rel=1e-9)
    assert res.r2_adj == pytest.approx(stata["r2_a"], rel=1e-10)
    assert res.rmse == pytest.approx(stata["rmse"], rel=1e-10)
