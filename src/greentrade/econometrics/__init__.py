"""Panel econometrics reproducing Stata conventions (reghdfe, xtreg, ivreg2, xtivreg2,
ivreghdfe) on linearmodels: estimators and their results only. Formulas and sources:
docs/econometrics.md. The paper's specifications are in :mod:`greentrade.paper`, the tables
in :mod:`greentrade.report.tables`."""

from .bootstrap import WildBootstrapResult, wild_cluster_bootstrap
from .fe import fe_regression
from .iv import identification_statistics, iv_regression, kleibergen_paap_rk
from .panel import panel_lags
from .results import DiagnosticStatistic, NotEstimableError, RegressionResult, Summary, long_form
from .stock_yogo import stock_yogo_size

__all__ = [
    "DiagnosticStatistic", "NotEstimableError", "RegressionResult", "Summary",
    "WildBootstrapResult", "fe_regression", "identification_statistics", "iv_regression",
    "kleibergen_paap_rk", "long_form", "panel_lags", "stock_yogo_size", "wild_cluster_bootstrap",
]
