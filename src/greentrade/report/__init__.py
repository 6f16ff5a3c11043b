"""Presentation, read from the published warehouse: the one table builder (:mod:`.tables`), the
tables under ``outputs/tables`` (:mod:`.outputs`, ``greentrade outputs``), the HTML report
(``greentrade report`` writes ``outputs/report.html``, one self-contained file, and
``outputs/figures/*.png``: :mod:`.html`, :mod:`.figures`, read by :mod:`.data`) and the
source-update reports (:mod:`.updates`).

    from greentrade.report import write_report
    write_report(Path("warehouse/greentrade.duckdb"), Path("outputs"))
"""

from __future__ import annotations

from pathlib import Path

REPORT_NAME = "report.html"
FIGURES_DIR = "figures"


def write_report(warehouse: Path, outputs: Path, configured_settings: dict | None = None) -> Path:
    """Read the published warehouse, write ``outputs/report.html`` and ``outputs/figures/``."""
    from greentrade.report import data, html

    report_data = data.load(Path(warehouse), configured=configured_settings)
    return html.render(report_data, Path(outputs) / REPORT_NAME, Path(outputs) / FIGURES_DIR)
