"""The paper's glue: its Tables 1-5 specified and estimated on a province-year panel
(:mod:`.estimation`) and compared with the published numbers (:mod:`.comparison`). The
estimators are :mod:`greentrade.econometrics`; the tables are printed by
:mod:`greentrade.report.tables`."""

from .comparison import COMPARISON_COLUMNS, published_comparison
from .estimation import PaperSettings, paper_notes, paper_results, paper_specs, paper_tables, table1_descriptives

__all__ = [
    "COMPARISON_COLUMNS", "PaperSettings", "paper_notes", "paper_results", "paper_specs",
    "paper_tables", "published_comparison", "table1_descriptives",
]
