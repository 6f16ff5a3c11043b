"""Publication outputs written from the published warehouse (read-only).

Every number comes from a mart; this module only formats. Outputs built from the synthetic
demo say so in their first line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

SYNTHETIC_MARKER = "SYNTHETIC_DATA_README.md"
SYNTHETIC_BANNER = ("SYNTHETIC DEMO DATA: these results come from greentrade's generated demo sources, "
                    "not from real Eora26 / CEADs / IFR / NBS data. They illustrate the pipeline only.")


def is_synthetic_file(path: str | Path) -> bool:
    """A source file belongs to the demo when a folder above it holds the demo's marker file."""
    return any((parent / SYNTHETIC_MARKER).exists() for parent in Path(path).resolve().parents)


def provenance(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The files the warehouse was built from, with their hashes and whether they are synthetic."""
    loads = con.sql("""
        select source, file_path, file_sha256, row_count, loaded_at
        from raw.load_log where status = 'loaded'
        order by source, file_path
    """).df()
    loads["synthetic"] = [is_synthetic_file(p) for p in loads["file_path"]]
    return loads


def _stars(p) -> str:
    return "" if pd.isna(p) else "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def regression_table_markdown(results: pd.DataFrame, table: str, banner: str | None) -> str:
    """An esttab-style Markdown table from the long-form results of one paper table:
    coefficients with stars, t statistics in parentheses, N and the named statistics."""
    part = results[results["paper_table"] == table]
    columns = list(dict.fromkeys(part["table_column"]))
    coefs = part[part["term"].notna()]
    terms = list(dict.fromkeys(coefs["term"]))
    terms = [t for t in terms if t != "_cons"] + (["_cons"] if "_cons" in terms else [])
    lines = [f"> {banner}", ""] if banner else []
    lines += [f"**Table {table[1:]}**", "", "| | " + " | ".join(f"({c})" for c in columns) + " |",
              "|---|" + "---:|" * len(columns)]
    for term in terms:
        est, tst = [], []
        for column in columns:
            row = coefs[(coefs["table_column"] == column) & (coefs["term"] == term)]
            if row.empty:
                est.append(""), tst.append("")
            else:
                r = row.iloc[0]
                est.append(f"{r['estimate']:.4f}{_stars(r['p'])}".replace("*", r"\*"))
                tst.append(f"({r['t']:.2f})")
        lines += [f"| {term} | " + " | ".join(est) + " |", "| | " + " | ".join(tst) + " |"]
    stats = part[part["statistic"].notna()]
    for statistic in dict.fromkeys(stats["statistic"]):
        values = []
        for column in columns:
            row = stats[(stats["table_column"] == column) & (stats["statistic"] == statistic)]
            values.append("" if row.empty else (f"{row.iloc[0]['value']:.0f}" if statistic in ("N", "n_clusters")
                                                else f"{row.iloc[0]['value']:.4f}"))
        lines.append(f"| {statistic} | " + " | ".join(values) + " |")
    notes = part["notes"].dropna().iloc[0] if "notes" in part and part["notes"].notna().any() else ""
    lines += ["", "t statistics in parentheses; * p < 0.1, ** p < 0.05, *** p < 0.01.",
              "Province and year fixed effects; standard errors clustered by province."]
    if notes:
        lines += ["Notes: " + notes]
    return "\n".join(lines) + "\n"


def write_outputs(warehouse: Path, outputs: Path) -> list[Path]:
    """Write the tables under ``outputs/tables`` from the published warehouse."""
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
                    handle.write(f"# {banner}\n")
                frame.to_csv(handle, index=False)
            written.append(path)

        save_csv(sources, "provenance.csv")
        save_csv(con.sql("select * from marts.fct_paper_descriptives").df(), "table1_descriptives.csv")
        green = con.sql("""
            select p.name_en as province, g.year, g.green_bn_usd
            from marts.fct_green_trade_benefit g join marts.dim_provinces p using (province_code)
            order by p.sort_order, g.year
        """).df()
        save_csv(green.pivot(index="province", columns="year", values="green_bn_usd")
                 .reindex(list(dict.fromkeys(green["province"]))).reset_index(), "table_a1_green_trade_benefit.csv")
        results = con.sql("select * from marts.fct_paper_regressions order by paper_table, table_column").df()
        save_csv(results, "paper_regressions_long.csv")
        for table in dict.fromkeys(results["paper_table"]):
            path = tables / f"table{table[1:]}.md"
            path.write_text(regression_table_markdown(results, table, banner), encoding="utf-8")
            written.append(path)
    return written
