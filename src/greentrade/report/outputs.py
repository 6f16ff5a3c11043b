"""Publication outputs written from the published warehouse (read-only): Tables 1-5 and A1
as Markdown, LaTeX and CSV under ``outputs/tables``.

Every number comes from a mart (read by :mod:`greentrade.report.data`); every table is built by
the one table builder :mod:`greentrade.report.tables`, which also serves the HTML report.
Outputs built from the synthetic demo say so in their first line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from greentrade.demo.disclosure import built_in_effects
from greentrade.lineage import SYNTHETIC_MARKER, is_synthetic_file  # noqa: F401 - re-exported
from greentrade.report.data import green_by_province, provenance
from greentrade.report.tables import (
    Grid,
    comparison_grid,
    descriptives_grid,
    green_grid,
    paper_table_grid,
    render_csv,
    render_latex,
    render_markdown,
)

SYNTHETIC_BANNER = ("SYNTHETIC DEMO DATA: these results come from greentrade's generated demo sources, "
                    "not from real Eora26 / CEADs / IFR / NBS data. They illustrate the pipeline only.")
# every output built from the demo also carries this note (the effect the generator builds in)
SYNTHETIC_NOTE = "Synthetic demo: " + built_in_effects()

RENDERERS = {"md": render_markdown, "tex": render_latex, "csv": render_csv}


def write_outputs(warehouse: Path, outputs: Path) -> list[Path]:
    """Write the tables under ``outputs/tables`` from the published warehouse: Tables 1-5 and A1 as
    Markdown, LaTeX and CSV, the published-vs-reproduced comparison, the long-form results, the
    provenance of the sources and, per panel year, China's CO2 in Eora26 beside CEADs'
    provinces with China's imbalance once ROW is set aside (``marts.dim_build_lineage_by_year``)."""
    tables = Path(outputs) / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sources = provenance(con)
        synthetic = bool(sources["synthetic"].any())
        banner = SYNTHETIC_BANNER if synthetic else None

        def save_csv(frame: pd.DataFrame, name: str) -> None:
            path = tables / name
            with open(path, "w", encoding="utf-8", newline="") as handle:
                if banner:
                    handle.write(f"# {banner}\n# {SYNTHETIC_NOTE}\n")
                frame.to_csv(handle, index=False)
            written.append(path)

        def save(grid: Grid, stem: str, formats: tuple[str, ...] = ("md", "tex", "csv")) -> None:
            if banner:
                grid.notes.append(SYNTHETIC_NOTE)
            for suffix in formats:
                path = tables / f"{stem}.{suffix}"
                path.write_text(RENDERERS[suffix](grid), encoding="utf-8")
                written.append(path)

        save_csv(sources, "provenance.csv")
        save(descriptives_grid(con.sql("select * from marts.fct_paper_descriptives").df(), banner),
             "table1_descriptives")
        save(green_grid(green_by_province(con), banner), "table_a1_green_trade_benefit")
        results = con.sql("select * from marts.fct_paper_regressions").df()
        save_csv(results.sort_values(["paper_table", "table_column"], kind="stable"), "paper_regressions_long.csv")
        for table in sorted(results["paper_table"].unique()):
            save(paper_table_grid(results, table, banner), f"table{table[1:]}")
        comparison = con.sql("select * from marts.fct_published_comparison").df()
        save(comparison_grid(comparison, banner), "published_vs_reproduced", ("md", "csv"))
        by_year = con.sql("select count(*) from information_schema.tables where table_schema = 'marts' "
                          "and table_name = 'dim_build_lineage_by_year'").fetchall()[0][0]
        if by_year:  # China's CO2 in Eora26 beside CEADs' provinces, China's imbalance without ROW
            save_csv(con.sql("select * exclude (build_id) from marts.dim_build_lineage_by_year order by year").df(),
                     "eora26_and_ceads_by_year.csv")
    return written
