"""Panel econometrics reproducing Stata conventions (reghdfe, xtreg, ivreg2, xtivreg2,
ivreghdfe), with the paper's Tables 1-5. Formulas and sources: docs/econometrics.md."""

from .bootstrap import wild_cluster_bootstrap
from .fe import fe_regression
from .iv import identification_statistics, iv_regression, kleibergen_paap_rk
from .panel import panel_lags
from .paper import PaperSettings, paper_tables, table1_descriptives
from .results import NotEstimableError, RegressionResult
from .stock_yogo import stock_yogo_size
from .tables import to_csv, to_latex, to_markdown

__all__ = [
    "PaperSettings", "RegressionResult", "fe_regression", "identification_statistics",
    "iv_regression", "kleibergen_paap_rk", "panel_lags", "paper_tables", "stock_yogo_size",
    "table1_descriptives", "to_csv", "to_latex", "to_markdown", "wild_cluster_bootstrap",
]
