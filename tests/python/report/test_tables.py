"""The esttab formatter on hand-made long-form frames (no estimation involved)."""

import csv
import io

import numpy as np
import pandas as pd
import pytest

from greentrade.econometrics.results import stars
from greentrade.report.tables import (
    frame_grid,
    regression_grid,
    render_csv,
    render_latex,
    render_markdown,
    tex_escape,
    to_csv,
    to_markdown,
)

SPEC = dict(depvar="green", estimator="OLS", convention="reghdfe", se_type="clustered",
            cluster_var="province_code", fixed_effects="province_code,year", instruments=None,
            inference="t")


def coef(column, term, estimate, t, p, **spec):
    return dict(SPEC, paper_table="T2", table_column=column, term=term, estimate=estimate,
                se=abs(estimate / t), t=t, p=p, n=300, **spec)


def stat(column, name, value, **spec):
    return dict(SPEC, paper_table="T2", table_column=column, statistic=name, value=value, n=300,
                **spec)


@pytest.fixture
def two_columns() -> pd.DataFrame:
    """Mart-shaped rows for a two-column FE table; no stars column, so stars come from p."""
    rows = [coef("1", "logrobit", 0.4055, 2.06, 0.048), coef("1", "_cons", -3.3432, -2.10, 0.0449),
            stat("1", "N", 300), stat("1", "n_clusters", 30), stat("1", "r2_within", 0.0979),
            coef("2", "logrobit", 0.5393, 2.64, 0.0099), coef("2", "log_Hum", -0.6527, -1.65, 0.1097),
            coef("2", "_cons", -11.0621, -1.81, 0.0806),
            stat("2", "N", 260), stat("2", "n_clusters", 26), stat("2", "r2_within", 0.1547),
            stat("2", "wcb_p_rademacher", 0.0123), stat("2", "wcb_p_webb", 0.0151),
            stat("2", "wcb_reps", 999), stat("2", "wcb_seed", 7)]
    frame = pd.DataFrame(rows)
    frame["notes"] = "The paper's 'logRD' is logHum (100% sure) & more"
    return frame


@pytest.mark.parametrize("p, expected", [(0.0099, "***"), (0.01, "**"), (0.0499, "**"),
                                         (0.05, "*"), (0.0999, "*"), (0.1, ""), (0.5, ""),
                                         (np.nan, ""), (None, "")])
def test_star_thresholds(p, expected):
    assert stars(p) == expected


def test_markdown_layout(two_columns):
    md = render_markdown(regression_grid(two_columns, title="Table 2", digits=4, banner="SYNTHETIC demo",
                                         fe_labels={"province_code": "Province FE", "year": "Year FE"},
                                         bootstrap_term="logrobit"))
    lines = md.splitlines()
    assert lines[0] == "> SYNTHETIC demo"
    assert "| | (1) | (2) |".replace("| |", "|  |") in md
    # coefficients with stars, t statistics in parentheses on the next row; _cons last
    assert "| logrobit | 0.4055\\*\\* | 0.5393\\*\\*\\* |" in md
    assert "|  | (2.06) | (2.64) |" in md
    assert "| log_Hum |  | -0.6527 |" in md and "|  |  | (-1.65) |" in md
    assert md.index("log_Hum") < md.index("_cons")
    assert "| _cons | -3.3432\\*\\* | -11.0621\\* |" in md
    assert "| Province FE | Yes | Yes |" in md and "| Year FE | Yes | Yes |" in md
    assert "| N | 300 | 260 |" in md and "| Clusters | 30 | 26 |" in md
    assert "| Within R-squared | 0.0979 | 0.1547 |" in md
    assert "| Wild bootstrap p (Rademacher) |  | 0.0123 |" in md
    assert "| Wild bootstrap p (Webb) |  | 0.0151 |" in md
    assert "wcb_reps" not in md and "| R-squared |" not in md
    assert "t statistics in parentheses" in md
    assert "All columns: reghdfe conventions; SE clustered by province_code; t statistics." in md
    assert "H0: coefficient on logrobit = 0" in md and "999 replications, seed 7" in md
    assert "The paper's 'logRD' is logHum" in md


def test_mart_stars_column_wins(two_columns):
    frame = two_columns.assign(stars=np.where(two_columns["term"] == "logrobit", "+", ""))
    frame.loc[frame["term"].isna(), "stars"] = None
    assert "| logrobit | 0.406+ | 0.539+ |" in to_markdown(frame)


def test_fe_rows_say_no_where_absent(two_columns):
    frame = two_columns.copy()
    frame.loc[frame["table_column"] == "2", "fixed_effects"] = "province_code"
    md = to_markdown(frame)
    assert "| province_code FE | Yes | Yes |" in md and "| year FE | Yes | No |" in md


def test_differing_conventions_get_column_notes(two_columns):
    frame = two_columns.copy()
    frame.loc[frame["table_column"] == "2", ["convention", "inference"]] = ["ivreg2", "z"]
    md = to_markdown(frame)
    assert "(1) reghdfe conventions; SE clustered by province_code; t statistics." in md
    assert "(2) ivreg2 conventions; SE clustered by province_code; z statistics." in md


def test_iv_diagnostics_named_by_se_type():
    rows = [coef("1", "logrobit", 0.3, 2.7, 0.007, estimator="2SLS", instruments="logai_lag1"),
            *(stat("1", k, v, instruments="logai_lag1") for k, v in
              [("N", 270), ("underid_lm", 237.917), ("underid_p", 0.0), ("weakid_f", 1152.9),
               ("stock_yogo_10", 16.38), ("hansen_j", 1.5), ("hansen_j_p", 0.22)])]
    md = to_markdown(pd.DataFrame(rows))
    assert "| Kleibergen-Paap rk LM | 237.917 |" in md and "|   p-value | 0.000 |" in md
    assert "| Weak-id. F (KP Wald) | 1152.900 |" in md
    assert "| Stock-Yogo 10% max. size c.v. | 16.38 |" in md
    assert "| Hansen J | 1.500 |" in md and "Excluded instruments: (1) logai_lag1." in md
    iid = to_markdown(pd.DataFrame(rows).assign(se_type="unadjusted"))
    assert "Anderson canon. corr. LM" in iid and "Weak-id. F (Cragg-Donald)" in iid and "Sargan" in iid


def test_no_iv_rows_without_iv(two_columns):
    md = to_markdown(two_columns)
    assert "LM" not in md and "Stock-Yogo" not in md and "Hansen" not in md


def test_latex_escaping_and_math(two_columns):
    tex = render_latex(regression_grid(two_columns, title="Table 2: 5% & more", banner="SYNTHETIC_demo"))
    assert tex.startswith("% SYNTHETIC_demo\n")
    assert r"\caption{Table 2: 5\% \& more}" in tex
    assert r"\begin{tabular}{lcc}" in tex and r" & (1) & (2) \\" in tex
    assert r"logrobit & $0.406^{**}$ & $0.539^{***}$ \\" in tex
    assert r" & $(2.06)$ & $(2.64)$ \\" in tex
    assert r"log\_Hum &  & $-0.653$ \\" in tex and r"\_cons" in tex
    assert r"province\_code FE & Yes & Yes \\" in tex
    assert r"(100\% sure) \& more" in tex and r"p\textless{}0.10" in tex
    assert r"\textbf{SYNTHETIC\_demo}" in tex
    assert tex.rstrip().endswith(r"\end{table}")
    assert tex_escape("a_b#c$d{e}~^\\") == r"a\_b\#c\$d\{e\}\textasciitilde{}\textasciicircum{}\textbackslash{}"


def test_csv_cells_and_banner(two_columns):
    text = render_csv(regression_grid(two_columns, banner="SYNTHETIC"))
    assert text.startswith("# SYNTHETIC\n")
    rows = list(csv.reader(io.StringIO(text.split("\n", 1)[1])))
    assert rows[0] == ["", "1", "2"]
    assert rows[1] == ["logrobit", "0.406**", "0.539***"] and rows[2] == ["", "(2.06)", "(2.64)"]
    assert ["N", "300", "260"] in rows
    assert rows[-1][0].startswith("The paper's") and len(rows[-1]) == 1
    assert to_csv(two_columns).startswith(",1,2\n")


def test_terms_select_and_order(two_columns):
    md = to_markdown(two_columns, terms=["_cons", "logrobit"])
    assert md.index("_cons") < md.index("logrobit") and "log_Hum" not in md


def test_one_table_at_a_time(two_columns):
    mixed = pd.concat([two_columns, two_columns.assign(paper_table="T5")])
    with pytest.raises(ValueError, match="one table"):
        regression_grid(mixed)


def test_frame_grid_formats_integers_and_text():
    frame = pd.DataFrame({"variable": ["green", "ro|bit"], "n_obs": [300, 299],
                          "mean": [0.12345, np.nan]})
    grid = frame_grid(frame, "Table 1", digits=2, notes=["sd: N - 1"], banner="SYNTHETIC")
    md = render_markdown(grid)
    assert "| variable | n_obs | mean |" in md and "|---|---:|---:|" in md
    assert "| green | 300 | 0.12 |" in md and "| ro\\|bit | 299 |  |" in md
    tex = render_latex(grid)
    assert r"\begin{tabular}{lcc}" in tex and r"ro|bit & $299$ &  \\" in tex
    assert render_csv(grid).splitlines()[:3] == ["# SYNTHETIC", "variable,n_obs,mean", "green,300,0.12"]
