"""The generic dbt tests of tests/generic/ run on small DuckDB tables: each must return rows
(fail) on a table that breaks it and none on one that keeps it. The macros are rendered with
jinja2 as dbt would render them (the `{% test %}` wrapper removed)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import jinja2
import pytest

GENERIC = Path(__file__).resolve().parents[2] / "generic"


def render(name: str, **arguments) -> str:
    text = (GENERIC / f"{name}.sql").read_text(encoding="utf-8")
    body = re.search(r"{%\s*test\s+\w+\((.*?)\)\s*%}(.*?){%\s*endtest\s*%}", text, re.S)
    defaults = dict(re.findall(r"(\w+)=([^,)]+)", body.group(1)))
    values = {k: jinja2.Environment().from_string(v).render() for k, v in defaults.items()} | arguments
    return jinja2.Environment().from_string(body.group(2)).render(**values)


@pytest.fixture
def con():
    with duckdb.connect() as con:
        yield con


@pytest.mark.parametrize("cells, failing", [
    ([(2015, "T", 0, 0), (2015, "T", 0, 4914), (2015, "T", 1, 0), (2016, "T", 0, 0), (2015, "FD", 0, 0)], 0),
    ([(2015, "T", 0, 0), (2015, "T", 0, 0), (2015, "T", 1, 0)], 1),                     # one duplicated cell
    ([(2015, "T", 0, 7), (2015, "T", 0, 7), (2015, "T", 3, 2), (2015, "T", 3, 2)], 2),  # two rows, each twice
])
def test_unique_positions_finds_duplicated_cells(con, cells, failing):
    con.execute("create table cells (year integer, matrix varchar, row_idx integer, col_idx integer)")
    con.executemany("insert into cells values (?, ?, ?, ?)", cells)
    sql = render("unique_positions", model="cells", group_by=["year", "matrix", "row_idx"], position="col_idx")
    assert len(con.sql(sql).fetchall()) == failing


def test_unique_positions_refuses_a_position_outside_its_range(con):
    con.execute("create table cells as select 2015 as year, 'T' as matrix, 0 as row_idx, 12000 as col_idx")
    sql = render("unique_positions", model="cells", group_by=["year", "matrix", "row_idx"], position="col_idx")
    with pytest.raises(duckdb.Error, match="12000"):
        con.sql(sql).fetchall()


@pytest.mark.parametrize("rows, failing", [
    ([("a", 1, "x"), ("a", 2, "x"), ("b", 1, "x"), (None, 1, "x")], 0),
    ([("a", 1, "x"), ("a", 1, "x"), ("b", 1, "x")], 1),                  # one key twice
    ([("a", 1, None), ("a", 1, None), ("b", 2, "y"), ("b", 2, "y")], 2),  # nulls are equal, as group by has it
])
def test_unique_combination_of_columns_finds_repeated_keys(con, rows, failing):
    con.execute("create table t (k1 varchar, k2 integer, k3 varchar)")
    con.executemany("insert into t values (?, ?, ?)", rows)
    sql = render("unique_combination_of_columns", model="t", combination_of_columns=["k1", "k2", "k3"])
    assert len(con.sql(sql).fetchall()) == failing


PANEL_VARS = {"first_year": 2010, "last_year": 2013}


@pytest.mark.parametrize("years_present, where, years, expected", [
    ([2010, 2011, 2012, 2013], None, None, []),
    ([2010, 2012], None, None, [("no data in 2011, 2013 (greentrade ingest x)", "2011, 2013", 2)]),
    ([2010, 2011, 2012, 2013], "ok", None, [("no data in 2012 (greentrade ingest x)", "2012", 1)]),  # 2012 not ok
    ([2011], None, ["2010"], [("no data in 2010 (greentrade ingest x)", "2010", 1)]),
    ([2010], None, ["2010"], []),
])
def test_covers_years_names_the_missing_years(con, years_present, where, years, expected):
    con.execute("create table t (year integer, ok boolean)")
    con.executemany("insert into t values (?, ?)", [(y, y != 2012) for y in years_present])
    sql = render("covers_years", model="t", column_name="year", message="no data in {years} (greentrade ingest x)",
                 where=where, years=years, config=lambda **_: "", var=PANEL_VARS.__getitem__)
    assert con.sql(sql).fetchall() == expected


def test_covers_years_message_may_hold_quotes(con):
    con.execute("create table t as select 2010 as year")
    sql = render("covers_years", model="t", column_name="year", message="load those years' prices: {years}",
                 where=None, years=["2011"], config=lambda **_: "", var=PANEL_VARS.__getitem__)
    assert con.sql(sql).fetchall() == [("load those years' prices: 2011", "2011", 1)]
