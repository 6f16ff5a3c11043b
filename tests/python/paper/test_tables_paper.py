"""The paper's long form with model specifications, the bootstrap setting, and the
comparison with the published estimates."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from greentrade.econometrics.results import LONG_COLUMNS, SPEC_COLUMNS
from greentrade.paper import PaperSettings, paper_tables, published_comparison

from .conftest import paper_panel


@pytest.fixture(scope="module")
def panel():
    return paper_panel(5)


@pytest.fixture(scope="module")
def tables(panel):
    return paper_tables(panel, {"bootstrap_reps": 199, "bootstrap_seed": 3}, with_specs=True)


def test_long_form_carries_the_model_specification(tables):
    assert list(tables.columns) == LONG_COLUMNS + SPEC_COLUMNS
    models = tables.drop_duplicates(["table", "column"]).set_index(["table", "column"])
    assert (models["se_type"] == "clustered").all() and (models["cluster_var"] == "province_code").all()
    assert (models["fixed_effects"] == "province_code,year").all()
    assert models.loc[("T2", "1"), "convention"] == "reghdfe" and models.loc[("T2", "1"), "inference"] == "t"
    assert models.loc[("T3", "2"), ["estimator", "convention", "inference", "instruments"]].tolist() == [
        "2SLS", "ivreg2", "z", "logrobit_lag1"]
    assert models.loc[("T3", "1"), "instruments"] == "logai_lag1"
    assert models.loc[("T4", "1"), "depvar"] == "loggreenpat" and models["instruments"].isna().sum() == 7
    # one spec per model: every row of a model repeats it
    assert tables.groupby(["table", "column"])[SPEC_COLUMNS[:6]].nunique().max().max() == 1
    assert set(tables.attrs["table_notes"]) == {"T2", "T3", "T4", "T5"}


def test_bootstrap_rows_for_tables_2_and_5_only(tables):
    wcb = tables[tables["statistic"].fillna("").str.startswith("wcb_p_")]
    assert set(zip(wcb["table"], wcb["column"])) == {("T2", "1"), ("T2", "2"), ("T5", "east"),
                                                     ("T5", "central"), ("T5", "west")}
    assert set(wcb["statistic"]) == {"wcb_p_rademacher", "wcb_p_webb"}
    assert wcb["value"].between(0, 1).all()
    reps = tables.loc[tables["statistic"] == "wcb_reps", "value"]
    assert (reps == 199).all() and (tables.loc[tables["statistic"] == "wcb_seed", "value"] == 3).all()


def test_bootstrap_reproducible_by_seed(panel, tables):
    def pvalues(frame):
        return frame.loc[frame["statistic"].fillna("").str.startswith("wcb_p_"), "value"].to_numpy()

    again = paper_tables(panel, PaperSettings(bootstrap_reps=199, bootstrap_seed=3))
    assert np.array_equal(pvalues(again), pvalues(tables))
    other = paper_tables(panel, {"bootstrap_reps": 199, "bootstrap_seed": 4})
    assert not np.array_equal(pvalues(other), pvalues(tables))
    # the estimates do not depend on the bootstrap
    coefs = tables["term"].notna()
    assert np.allclose(other.loc[coefs.to_numpy(), "estimate"], tables.loc[coefs, "estimate"])


def test_bootstrap_off(panel):
    frame = paper_tables(panel, {"bootstrap_reps": 0})
    assert not frame["statistic"].fillna("").str.startswith("wcb").any()
    assert PaperSettings().bootstrap_reps > 0 and PaperSettings().bootstrap_seed is not None


# -------------------------------------------------------------- published comparison

def reproduced(rows):
    """Mart-shaped long form: (table, column, term, estimate, t, stars) and statistics."""
    out = []
    for table, column, inference, n, clusters, coefs, statistics in rows:
        spec = dict(paper_table=table, table_column=column, n=n, inference=inference,
                    instruments="logai_lag1" if table == "T3" else None)
        out += [dict(spec, term=term, estimate=e, t=t, stars=s) for term, e, t, s in coefs]
        out += [dict(spec, statistic=k, value=v) for k, v in
                {"N": n, "n_clusters": clusters, **statistics}.items()]
    return pd.DataFrame(out)


CONTROLS = [(f"log{v}", 0.1, 1.0, "") for v in ("Hum", "Gdp", "Town", "Gov")]


def iv_stats(years, **values):
    return {"levels_province_code": 30, "levels_year": years, "underid_df": 1, "weakid_df": 226,
            "anderson_lm": 50.0, "cd_f": 60.0, "kp_lm_cluster": 9.0, "kp_f_cluster": 20.0,
            "kp_lm_robust": 40.0, "kp_f_robust": 45.0, "r2": 0.97, "r2_within": 0.2,
            "df_r_clustered": 29, "df_r_unclustered": 226, **values}


@pytest.fixture
def comparison():
    published = pd.DataFrame([
        # paper_table, table_column, variable, estimate, t_stat, stars, n_obs, lm, lm_p, f, r2
        ("T2", "2", "logrobit", 0.5393, 2.64, "**", 300, None, None, None, None),
        ("T2", "2", "logRD", -0.6527, -1.65, None, 300, None, None, None, None),
        ("T2", "2", "const", -11.0621, -1.81, "*", 300, None, None, None, None),
        ("T3", "1", "logrobit", 0.3172, 2.72, "***", 270, 237.917, 0.0, 1152.903, 0.2158),
        ("T3", "1", "const", -7.0786, -1.65, "*", 270, None, None, None, None),
        ("T3", "2", "logrobit", 0.2989, 2.72, "***", 270, 264.671, 0.0, 13000.0, 0.3143),
        ("T3", "2", "const", -6.7719, -1.65, "*", 270, None, None, None, None),
        ("T3", "3", "logrobit", 0.3119, 2.57, "**", 240, 229.032, 0.0, 4886.337, 0.2244),
        ("T4", "2", "const", -15.0220, -2.744, "***", 240, None, None, None, None),
        ("T5", "central", "logrobit", 0.4829, 3.29, "***", 80, None, None, None, None),
    ], columns=["paper_table", "table_column", "variable", "estimate", "t_stat", "stars", "n_obs",
                "underid_lm", "underid_p", "weakid_f", "r2"])
    iv_terms = [("logrobit", 0.02, 0.02, ""), *CONTROLS, ("_cons", 3.8, 0.65, "")]
    long = reproduced([
        ("T2", "2", "t", 300, 30, [("logrobit", 0.3, 2.0, "*"), ("logHum", 0.04, 0.10, ""),
                                   ("_cons", -4.36, -1.15, "")],
         {"df_r_clustered": 29, "df_r_unclustered": 256}),
        ("T3", "1", "z", 270, 30, iv_terms, iv_stats(9)),
        ("T3", "2", "z", 270, 30, iv_terms, iv_stats(9, cd_f=2744.6)),
        ("T3", "3", "z", 240, 30, iv_terms, iv_stats(8, weakid_df=198)),
        ("T4", "2", "t", 260, 26, [("_cons", -4.48, -1.2, "")],
         {"df_r_clustered": 25, "df_r_unclustered": 221}),
        ("T5", "central", "t", 80, 8, [("logrobit", -0.016, -0.10, "")],
         {"df_r_clustered": 7, "df_r_unclustered": 58}),
    ])
    return published_comparison(long, published).set_index(
        ["paper_table", "table_column", "kind", "paper_variable"])


def test_comparison_joins_paper_names_to_ours(comparison):
    row = comparison.loc[("T2", "2", "coefficient", "logRD")]
    assert row["term"] == "logHum" and row["reproduced_value"] == 0.04
    assert row["diff"] == pytest.approx(0.04 + 0.6527) and row["t_diff"] == pytest.approx(0.10 + 1.65)
    assert "logRD" in row["flag"] and "Hum" in row["flag"]
    cons = comparison.loc[("T2", "2", "coefficient", "const")]
    assert cons["term"] == "_cons" and cons["reproduced_value"] == -4.36 and pd.isna(cons["flag"])
    assert cons["published_stars"] == "*" and cons["reproduced_stars"] == ""


def test_lm_above_the_cluster_count_is_not_a_cluster_robust_kp_lm(comparison):
    """Table 3 (1): LM 237.9 > 30 clusters, and with F 1152.9 it implies N - L = 155.5,
    which no reading gives: the heteroskedasticity-robust KP LM is what it can be."""
    lm = comparison.loc[("T3", "1", "statistic", "underid_lm")]
    assert lm["term"] == "kp_lm_robust" and lm["reproduced_value"] == 40.0
    assert "cannot exceed the number of clusters (30)" in lm["flag"]
    assert "not the Anderson LM and Cragg-Donald F of one regression" in lm["flag"]
    assert "N - L = 155.5" in lm["flag"]
    f = comparison.loc[("T3", "1", "statistic", "weakid_f")]
    assert f["term"] == "kp_f_robust" and f["reproduced_value"] == 45.0
    assert pd.isna(lm["published_t"])


def test_column_3_is_the_iid_anderson_lm_and_cragg_donald_f(comparison):
    """LM 229.032 and F 4886.337 with N = 240: ev = LM/N, CD F = ev/(1-ev) x 234: N - L = 234,
    L = 6 (logrobit's instrument, four controls, _cons): the FE are not counted."""
    lm = comparison.loc[("T3", "3", "statistic", "underid_lm")]
    assert lm["term"] == "anderson_lm" and lm["reproduced_value"] == 50.0
    assert "N - L = 234 (FE not counted" in lm["reading"]
    assert "cannot exceed the number of clusters" in lm["flag"]
    f = comparison.loc[("T3", "3", "statistic", "weakid_f")]
    assert f["term"] == "cd_f" and f["reproduced_value"] == pytest.approx(60.0 * 234 / 198)
    p = comparison.loc[("T3", "3", "statistic", "underid_p")]
    assert p["term"] == "anderson_lm_p" and p["reproduced_value"] == pytest.approx(stats.chi2.sf(50.0, 1))


def test_column_2_f_printed_to_two_digits(comparison):
    f = comparison.loc[("T3", "2", "statistic", "weakid_f")]
    assert f["term"] == "cd_f" and f["published_value"] == 13000
    assert f["reproduced_value"] == pytest.approx(2744.6 * 264 / 226)
    assert "1.3e+04" in f["flag"]
    assert "N - L = 264" in comparison.loc[("T3", "2", "statistic", "underid_lm"), "reading"]
    r2 = comparison.loc[("T3", "1", "statistic", "r2")]
    assert r2["term"] == "r2_within" and r2["reproduced_value"] == 0.2
    assert "centred R-squared" in r2["flag"] and "0.970" in r2["flag"]


def test_star_patterns_and_the_inference_reading(comparison):
    """Table 2 (2) logrobit t = 2.64 '**' fits clustered t(29) (p = 0.013) and not
    unclustered t(256) (p = 0.009, '***'); Table 4 (2) const t = -2.744 '***' and Table 5
    central logrobit t = 3.29 '***' fit unclustered errors, not clustered t(25) / t(7)."""
    t2 = comparison.loc[("T2", "2", "coefficient", "logrobit"), "stars_fit"]
    assert t2.startswith("fits: clustered t(29)") and "does not fit: unclustered t(256)" in t2
    t4 = comparison.loc[("T4", "2", "coefficient", "const"), "stars_fit"]
    assert t4.startswith("fits: unclustered t(221)") and "does not fit: clustered t(25)" in t4
    t5 = comparison.loc[("T5", "central", "coefficient", "logrobit"), "stars_fit"]
    assert "unclustered t(58)" in t5.split(";")[0] and "clustered t(7)" in t5.split(";")[1]


def test_comparison_flags_the_papers_inconsistencies(comparison):
    t4 = comparison.loc[("T4", "2", "coefficient", "const")]
    assert "26 x 10 = 260" in t4["flag"] and "N: paper 240, reproduced 260" in t4["flag"]
    # t = -2.744 on t(25) gives p = 0.011: two stars, not three
    assert "printed stars '***'" in t4["flag"] and "t(25)" in t4["flag"]
    assert "t(7)" in comparison.loc[("T5", "central", "coefficient", "logrobit"), "flag"]
    lag = comparison.loc[("T3", "1", "coefficient", "logrobit"), "flag"]
    assert "one-year lag" in lag and "t = 2.72 for logrobit in columns 1, 2" in lag
    assert "t = -1.65 for const in columns 1, 2" in comparison.loc[("T3", "2", "coefficient", "const"), "flag"]
    # z statistics: t = 1.65 gives p = 0.099, so one star is consistent; no stars flag
    assert "printed stars" not in comparison.loc[("T3", "1", "coefficient", "const"), "flag"]
    assert pd.isna(comparison.loc[("T2", "2", "coefficient", "const"), "flag"])


def test_published_seed_matches_the_papers_file():
    from pathlib import Path
    root = Path(__file__).resolve().parents[3]
    seed = pd.read_csv(root / "seeds" / "published_estimates.csv", dtype={"table_column": str})
    source = root.parent / "shared" / "paper" / "published_estimates.csv"
    if not source.exists():
        pytest.skip("shared/paper not present")
    paper = pd.read_csv(source, dtype={"column": str})
    assert seed[["paper_table", "table_column", "variable"]].values.tolist() == \
        paper[["table", "column", "variable"]].values.tolist()
    assert np.allclose(seed["estimate"], paper["estimate"]) and np.allclose(seed["t_stat"], paper["t_stat"])
    assert (seed["n_obs"] == paper["n_obs"]).all()
    assert seed["extra"].fillna("").tolist() == paper["extra"].fillna("").tolist()
