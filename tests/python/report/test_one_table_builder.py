"""One table builder, one place for titles, one green-by-province query (issue 14, item 5):
the HTML report and the Markdown / LaTeX / CSV outputs print the same grids."""

from __future__ import annotations

import html
import re

import duckdb

from greentrade.report import tables
from greentrade.report.data import green_by_province
from greentrade.report.outputs import write_outputs


def _html_rows(report_text: str, table: str) -> list[list[str]]:
    body = re.search(rf'<table id="regression-table-{table}".*?</table>', report_text, re.S).group(0)
    return [[html.unescape(c) for c in re.findall(r"<t[dh]>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_report_and_outputs_print_the_same_regression_grids(real_warehouse, real_report,
                                                             tmp_path):
    text = real_report.read_text(encoding="utf-8")
    written = write_outputs(real_warehouse, tmp_path)
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        results = con.sql("select * from marts.fct_paper_regressions").df()
    for table in ("T2", "T3", "T4", "T5"):
        grid = tables.paper_table_grid(results, table)
        header = ["", *(tables._column_label(c) for c in grid.header[1:])]
        assert _html_rows(text, table) == [header, *grid.rows]
        title = tables.TABLE_TITLES[table]
        assert f"<h3>{html.escape(title)}</h3>" in text
        markdown = next(p for p in written if p.name == f"table{table[1:]}.md").read_text(encoding="utf-8")
        assert f"**{title}**" in markdown
        for row in grid.rows:  # the same cells in the Markdown file
            assert "| " + " | ".join(tables._md(c) for c in row) + " |" in markdown


def test_table_1_and_a1_titles_come_from_the_one_place(real_warehouse, real_report, tmp_path):
    written = {p.name: p.read_text(encoding="utf-8") for p in write_outputs(real_warehouse, tmp_path)}
    assert f"**{tables.TABLE_TITLES['T1']}**" in written["table1_descriptives.md"]
    assert f"**{tables.TABLE_TITLES['A1']}**" in written["table_a1_green_trade_benefit.md"]
    report = real_report.read_text(encoding="utf-8")
    # Table 1 in the report has the Markdown table's header
    assert "<th>Variable</th><th>N</th><th>Mean</th><th>SD</th>" in report


def test_green_by_province_is_in_the_papers_order(real_warehouse, tmp_path):
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        green = green_by_province(con)
        order = con.sql("select name_en from marts.dim_provinces order by sort_order").df()["name_en"]
    assert list(dict.fromkeys(green["name_en"])) == [n for n in order if n in set(green["name_en"])]
    assert (green.groupby("name_en", sort=False)["year"].apply(lambda y: y.is_monotonic_increasing)).all()
    grid = tables.green_grid(green)
    assert grid.header[0] == "province" and [r[0] for r in grid.rows] == list(dict.fromkeys(green["name_en"]))
