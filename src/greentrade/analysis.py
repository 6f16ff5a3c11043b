"""The paper's tables from the warehouse's panel mart (called by the dbt Python models).

The panel mart uses lower-case SQL column names; the econometrics module uses the paper's
variable names (Gdp, Hum, Town, Gov). This module is the one place that maps between them.
"""

from __future__ import annotations

import pandas as pd

from greentrade.econometrics import paper_tables, table1_descriptives

PAPER_NAMES = {"gdp": "Gdp", "hum": "Hum", "town": "Town", "gov": "Gov"}


def paper_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel mart with the paper's variable names, sorted by province and year."""
    return panel.rename(columns=PAPER_NAMES).sort_values(["province_code", "year"]).reset_index(drop=True)


def regression_results(panel: pd.DataFrame, settings: dict | None = None) -> pd.DataFrame:
    """Tables 2-5 in long form (paper_table, table_column, term, estimate, se, t, p, stars, n, statistic,
    value), with the estimation conventions stated in a ``notes`` column."""
    if panel.empty:  # dbt build --empty
        return pd.DataFrame(columns=["paper_table", "table_column", "term", "estimate", "se", "t", "p", "stars",
                                     "n", "statistic", "value", "notes"])
    results = paper_tables(paper_panel(panel), settings)
    notes = " | ".join(results.attrs.get("notes", []))
    # 'table' and 'column' are SQL keywords: name them so users need no quoting
    return results.rename(columns={"table": "paper_table", "column": "table_column"}).assign(notes=notes)


def descriptives(panel: pd.DataFrame) -> pd.DataFrame:
    """Table 1: N, mean, sd (N - 1), min, max of the paper's variables, as Stata's summarize."""
    table = table1_descriptives(paper_panel(panel))
    return table.reset_index().rename(columns={"N": "n_obs"})
