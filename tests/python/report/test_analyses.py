"""The starting queries in analyses/ run as written on a published warehouse (plain SQL, so a
user runs them with the duckdb CLI, no dbt needed)."""

from __future__ import annotations

import duckdb
import pytest

from greentrade.reference import PROJECT_ROOT

ANALYSES = sorted((PROJECT_ROOT / "analyses").glob("*.sql"))


def test_the_starting_queries_exist():
    names = {p.stem for p in ANALYSES}
    assert {"paper_tables", "table1_descriptives", "top_provinces_by_green", "partner_breakdown_by_sector"} <= names


@pytest.mark.parametrize("path", ANALYSES, ids=lambda p: p.name)
def test_analysis_runs_and_returns_rows(path, synthetic_warehouse):
    with duckdb.connect(str(synthetic_warehouse), read_only=True) as con:
        result = con.execute(path.read_text(encoding="utf-8")).df()
    assert len(result) > 0, f"{path.name} returned no rows"


def test_paper_tables_has_one_row_per_column(synthetic_warehouse):
    with duckdb.connect(str(synthetic_warehouse), read_only=True) as con:
        result = con.execute((PROJECT_ROOT / "analyses" / "paper_tables.sql").read_text()).df()
    assert len(result) == 10 and set(result["paper_table"]) == {"T2", "T3", "T4", "T5"}
