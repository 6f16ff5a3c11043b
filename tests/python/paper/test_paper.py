import csv
import io

import numpy as np
import pandas as pd
import pytest

from greentrade.econometrics import panel_lags
from greentrade.paper import paper_results, paper_tables, table1_descriptives
from greentrade.report.tables import to_csv, to_latex, to_markdown

from .conftest import paper_panel


@pytest.fixture(scope="module")
def province_panel():
    return paper_panel(11)


def test_panel_lags_are_calendar_lags():
    frame = pd.DataFrame({"province_code": ["a", "a", "a", "b", "b"],
                          "year": [2010, 2011, 2013, 2010, 2011],
                          "v": [1.0, 2.0, 3.0, 4.0, 5.0]})
    out = panel_lags(frame, ["v"], lags=(1, 2))
    assert out["v_lag1"].isna().tolist() == [True, False, True, True, False]
    assert out.loc[1, "v_lag1"] == 1.0 and out.loc[4, "v_lag1"] == 4.0
    assert out["v_lag2"].isna().tolist() == [True, True, False, True, True]
    assert out.loc[2, "v_lag2"] == 2.0  # 2013 lag 2 is 2011, not the previous row


def test_paper_tables_long_form(province_panel):
    frame = paper_tables(province_panel)
    assert list(frame.columns) == ["table", "column", "term", "estimate", "se", "t", "p",
                                   "stars", "n", "statistic", "value"]
    coefs = frame[frame["term"].notna()]
    assert coefs["statistic"].isna().all() and frame.loc[frame["term"].isna(), "statistic"].notna().all()
    n_by_column = coefs.groupby(["table", "column"])["n"].first().to_dict()
    assert n_by_column == {("T2", "1"): 300, ("T2", "2"): 300, ("T3", "1"): 270,
                           ("T3", "2"): 270, ("T3", "3"): 240, ("T4", "1"): 300,
                           ("T4", "2"): 260, ("T5", "east"): 110, ("T5", "central"): 80,
                           ("T5", "west"): 110}
    t3 = frame[(frame["table"] == "T3") & frame["statistic"].notna()]
    assert {"underid_lm", "underid_p", "weakid_f", "cd_f", "kp_f",
            "stock_yogo_10"} <= set(t3["statistic"])
    assert set(coefs.loc[coefs["table"] == "T2", "term"]) == {
        "logrobit", "logHum", "logGdp", "logTown", "logGov", "_cons"}
    stars = coefs.apply(lambda r: "***" if r.p < .01 else "**" if r.p < .05
                        else "*" if r.p < .1 else "", axis=1)
    assert (stars == coefs["stars"]).all()
    assert len(frame.attrs["notes"]) >= 4


def test_settings_switch_conventions(province_panel):
    frame = paper_tables(province_panel, {"fe_convention": "xtreg",
                                          "iv_convention": "xtivreg2", "iv_small": True})
    assert frame.attrs["settings"]["iv_convention"] == "xtivreg2"
    t3_terms = set(frame.loc[(frame["table"] == "T3") & frame["term"].notna(), "term"])
    assert "_cons" not in t3_terms  # xtivreg2, fe reports no constant


def test_table1_matches_stata_summarize(province_panel):
    out = table1_descriptives(province_panel)
    g = province_panel["green"].to_numpy()
    sd = np.sqrt(((g - g.mean()) ** 2).sum() / (len(g) - 1))
    assert out.loc["green", "N"] == 300
    assert out.loc["green", "sd"] == pytest.approx(sd)
    assert out.loc["robit", "max"] == province_panel["robit"].max()


def test_publication_tables(province_panel):
    results = paper_results(province_panel)
    md = to_markdown(results["T3"], terms=["logrobit", "_cons"], title="Table 3")
    assert "| logrobit |" in md and "province_code FE | Yes" in md
    assert "Stock-Yogo 10% max. size c.v. | 16.38" in md
    assert "Kleibergen-Paap rk LM" in md and "clustered by province_code" in md
    assert "ivreg2 conventions" in md and "z statistics" in md
    tex = to_latex(results["T2"], title="Table 2")
    assert r"\begin{tabular}{lcc}" in tex and "Within R-squared" in tex
    rows = list(csv.reader(io.StringIO(to_csv(results["T5"]))))
    assert rows[0] == ["", "east", "central", "west"]
    coef = results["T5"]["east"].params["logrobit"]
    assert rows[1][1].startswith(f"{coef:.3f}")
    assert rows[2][1] == f"({results['T5']['east'].tstats['logrobit']:.2f})"



def test_a_column_the_sample_cannot_identify_has_no_estimate_and_a_note():
    """One year with year effects leaves nothing to identify logrobit (the design is rank
    deficient once both fixed effects are absorbed); the lagged instruments have no
    observation at all. Each column gets one 'not_estimated' row and a table note."""
    from greentrade.econometrics import panel_lags

    one_year = paper_panel(3)
    one_year = panel_lags(one_year[one_year["year"] == 2015].drop(
        columns=[c for c in one_year if c.endswith(("_lag1", "_lag2"))]), ["robit", "ai_patents"], lags=(1, 2))
    long = paper_tables(one_year, {"bootstrap_reps": 0}, with_specs=True)
    assert long["term"].isna().all()
    flagged = long[long["statistic"] == "not_estimated"]
    full = paper_tables(paper_panel(3), {"bootstrap_reps": 0})
    assert len(flagged) == len(long) == len(full[["table", "column"]].drop_duplicates())  # every column
    assert (flagged.loc[flagged["table"] == "T2", "n"] == 30).all()
    assert (flagged.loc[flagged["table"] == "T3", "n"] == 0).all()
    notes = long.attrs["table_notes"]
    assert any("(1) not estimated:" in line and "rank deficient" in line for line in notes["T2"])
    assert any("(2) not estimated: no observation has" in line and "logrobit_lag1" in line for line in notes["T3"])
    # a panel that identifies everything is unaffected
    assert "not_estimated" not in set(full["statistic"].dropna())
