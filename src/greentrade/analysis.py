"""The paper's tables from the warehouse's panel mart (called by the dbt Python models).

The panel mart uses lower-case SQL column names; the econometrics module uses the paper's
variable names (Gdp, Hum, Town, Gov). This module is the one place that maps between them.
"""

from __future__ import annotations

import pandas as pd

from greentrade.econometrics.results import LONG_COLUMNS, SPEC_COLUMNS
from greentrade.paper import COMPARISON_COLUMNS, paper_tables, published_comparison, table1_descriptives

PAPER_NAMES = {"gdp": "Gdp", "hum": "Hum", "town": "Town", "gov": "Gov"}
# the vce setting (greentrade.toml, dbt var) -> the estimators' cov_type
VCE_SETTINGS = {"cluster": "clustered", "robust": "robust", "unadjusted": "unadjusted"}
# 'table' and 'column' are SQL keywords: the marts name them so users need no quoting
MART_NAMES = {"table": "paper_table", "column": "table_column"}
REGRESSION_COLUMNS = [MART_NAMES.get(c, c) for c in LONG_COLUMNS + SPEC_COLUMNS] + ["notes"]


def paper_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel mart with the paper's variable names, sorted by province and year."""
    return panel.rename(columns=PAPER_NAMES).sort_values(["province_code", "year"]).reset_index(drop=True)


def paper_settings(settings: dict | None, panel: pd.DataFrame | None = None) -> dict:
    """The estimation settings from the dbt vars: ``vce`` (cluster | robust | unadjusted) as
    ``cov_type``, the bootstrap, and ``robit_shares`` as the panel mart records it."""
    settings = dict(settings or {})
    vce = settings.pop("vce", "cluster")
    if vce not in VCE_SETTINGS:
        raise ValueError(f"vce must be one of {sorted(VCE_SETTINGS)}, got {vce!r} (greentrade.toml [settings])")
    settings["cov_type"] = VCE_SETTINGS[vce]
    if panel is not None and "robit_shares" in panel and len(panel):
        settings["robit_shares"] = str(panel["robit_shares"].iloc[0])
    return settings


def regression_results(panel: pd.DataFrame, settings: dict | None = None) -> pd.DataFrame:
    """Tables 2-5 in long form (paper_table, table_column, term, estimate, se, t, p, stars,
    n, statistic, value), each row with its model's specification (depvar, estimator,
    convention, se_type, cluster_var, fixed_effects, instruments, inference) and the
    readings of the paper's ambiguities for its table (``notes``). ``settings``: the dbt
    vars ``vce``, ``bootstrap_reps``, ``bootstrap_seed``."""
    if panel.empty:  # dbt build --empty
        return pd.DataFrame(columns=REGRESSION_COLUMNS)
    results = paper_tables(paper_panel(panel), paper_settings(settings, panel), with_specs=True)
    notes = {table: " | ".join(lines) for table, lines in results.attrs["table_notes"].items()}
    return (results.rename(columns=MART_NAMES)
            .assign(notes=lambda f: f["paper_table"].map(notes))[REGRESSION_COLUMNS])


def descriptives(panel: pd.DataFrame) -> pd.DataFrame:
    """Table 1: N, mean, sd (N - 1), min, max of the paper's variables, as Stata's summarize."""
    table = table1_descriptives(paper_panel(panel))
    return table.reset_index().rename(columns={"N": "n_obs"})


def published_comparison_table(regressions: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The published estimates beside the reproduced ones (see
    :func:`greentrade.paper.published_comparison`)."""
    if regressions.empty or published.empty:  # dbt build --empty
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    return published_comparison(regressions, published)
