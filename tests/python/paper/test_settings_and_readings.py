"""The vce and robit_shares settings, Table 4 (3), the lags read from the panel, and the
critical values of the report's coefficient plot."""

import numpy as np
import pytest
from scipy import stats

from greentrade.dbt_models import paper_settings
from greentrade.econometrics import panel_lags
from greentrade.paper import paper_specs, paper_tables
from greentrade.report.figures import critical_values

from .conftest import paper_panel


@pytest.fixture(scope="module")
def panel():
    frame = paper_panel(7)
    rng = np.random.default_rng(7)
    frame["robit_current"] = frame["robit"]
    frame["robit_base_year"] = frame["robit"] * np.exp(rng.normal(0, 0.3, len(frame)))
    return frame


def test_vce_setting_maps_to_cov_type(panel):
    assert paper_settings({"vce": "cluster"})["cov_type"] == "clustered"
    assert paper_settings({"vce": "robust"})["cov_type"] == "robust"
    assert paper_settings({})["cov_type"] == "clustered"  # the default reading
    with pytest.raises(ValueError, match="vce must be one of"):
        paper_settings({"vce": "hc3"})
    assert paper_settings({}, panel.assign(robit_shares="base_year"))["robit_shares"] == "base_year"


@pytest.mark.parametrize("vce, se_type", [("cluster", "clustered"), ("robust", "robust"),
                                          ("unadjusted", "unadjusted")])
def test_vce_reaches_every_model_and_its_note(panel, vce, se_type):
    frame = paper_tables(panel, paper_settings({"vce": vce, "bootstrap_reps": 0}), with_specs=True)
    assert set(frame["se_type"]) == {se_type}
    notes = " ".join(frame.attrs["notes"])
    assert ("assumed" in notes) == (vce == "cluster") and "does not say" in notes
    # the readings are there whatever the VCE
    t3 = frame[(frame["table"] == "T3") & (frame["column"] == "1")].set_index("statistic")["value"]
    for key in ("anderson_lm", "cd_f", "kp_lm_robust", "kp_f_robust", "kp_lm_cluster", "kp_f_cluster",
                "df_r_clustered", "df_r_unclustered", "levels_province_code", "levels_year"):
        assert np.isfinite(t3[key]), key
    assert t3["df_r_clustered"] == 29 and t3["levels_year"] == 9  # 2011-2019 with the lag


def test_table4_column3_uses_the_other_share_variant(panel):
    specs = {(s.table, s.column): s for s in paper_specs(panel, {"robit_shares": "current"})}
    t43 = specs[("T4", "3")]
    assert np.allclose(t43.data["logrobit"], np.log(panel["robit_base_year"]))
    other = {(s.table, s.column): s for s in paper_specs(panel, {"robit_shares": "base_year"})}
    assert np.allclose(other[("T4", "3")].data["logrobit"], np.log(panel["robit_current"]))
    frame = paper_tables(panel, {"bootstrap_reps": 0})
    assert "(3) beyond the paper" in " ".join(frame.attrs["table_notes"]["T4"])
    # without the variants there is no column 3
    plain = panel.drop(columns=["robit_current", "robit_base_year"])
    assert ("T4", "3") not in {(s.table, s.column) for s in paper_specs(plain)}


def test_lags_come_from_the_panel_not_from_the_regressions(panel):
    """The regressions use the panel's lag columns as they are: blanking a lag there drops
    the row from Table 3 (2), and a panel without them is refused."""
    first = paper_tables(panel, {"bootstrap_reps": 0})
    n = first[(first["table"] == "T3") & (first["column"] == "2") & (first["statistic"] == "N")]["value"].item()
    blanked = panel.copy()
    blanked.loc[blanked["year"] == 2015, "robit_lag1"] = np.nan
    second = paper_tables(blanked, {"bootstrap_reps": 0})
    n2 = second[(second["table"] == "T3") & (second["column"] == "2") & (second["statistic"] == "N")]["value"].item()
    assert (n, n2) == (270, 240)
    with pytest.raises(KeyError, match="fct_province_year_panel"):
        paper_tables(panel.drop(columns=["robit_lag1"]))
    again = panel_lags(panel.drop(columns=["robit_lag1", "robit_lag2"]), ["robit"], lags=(1, 2))
    assert again["robit_lag1"].equals(panel["robit_lag1"])


def test_coefficient_plot_uses_the_tables_distribution(panel):
    """t(7) for the central region's 8 province clusters, t(29) for 30, z for ivreg2 columns."""
    frame = paper_tables(panel, {"bootstrap_reps": 0}, with_specs=True).rename(
        columns={"table": "paper_table", "column": "table_column"})
    crit = critical_values(frame)
    assert crit[("T5", "central")] == pytest.approx(stats.t.ppf(0.975, 7))
    assert crit[("T2", "1")] == pytest.approx(stats.t.ppf(0.975, 29))
    assert crit[("T3", "1")] == pytest.approx(stats.norm.ppf(0.975))
    assert crit[("T5", "central")] > 2.36 > 1.96
    t5 = frame[(frame["paper_table"] == "T5") & (frame["table_column"] == "central")]
    assert t5.loc[t5["statistic"] == "df_r", "value"].item() == 7
