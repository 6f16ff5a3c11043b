"""The published warehouse keeps the previous build's marts (schema marts_previous), the
lineage names the build replaced, and the impact of a build on the results is computed
from the two: on small hand-made warehouses (the report tests' marts), in seconds.

The same path end to end, with a real dbt build after a planted source change, is
tests/python/reliability/test_update_impact.py."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from greentrade.ingest import changes
from greentrade.lineage import build_lineage, published_build
from greentrade.report.updates import complete_pending, impact, pending_updates
from greentrade.snapshot import PREVIOUS, publish
from report.conftest import write_warehouse


def contents(path, schema: str) -> dict[str, list[tuple]]:
    """Every table of ``schema`` with all its rows and columns, as stored."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = ? order by 1",
                                            [schema]).fetchall()]
        return {t: con.execute(f'select * from "{schema}"."{t}"').fetchall() for t in tables}


def set_build(path, build_id: str, replaces: str | None = None) -> None:
    """Stamp a hand-made warehouse as one build: every mart row and the lineage carry ``build_id``."""
    with duckdb.connect(str(path)) as con:
        for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall():
            columns = [r[0] for r in con.execute("select column_name from duckdb_columns() where schema_name = 'marts' "
                                                  "and table_name = ?", [table]).fetchall()]
            if "build_id" not in columns:
                con.execute(f"alter table marts.{table} add column build_id varchar")
            con.execute(f"update marts.{table} set build_id = ?", [build_id])
        con.execute("create or replace table marts.dim_build_lineage as select ?::varchar as build_id, "
                    "?::varchar as replaces_build_id, 'eua' as source", [build_id, replaces])


@pytest.fixture
def builds(tmp_path):
    """Two working warehouses: build B1, and B2 where Jiangsu 2011's green (and NV) moved and
    Table 2 column 1's logrobit coefficient changed."""
    first = write_warehouse(tmp_path / "b1", synthetic=True)
    work1 = first.with_name("work.duckdb")
    first.rename(work1)
    set_build(work1, "b1b1b1b1b1b1b1b1")
    work2 = tmp_path / "b2" / "work.duckdb"
    work2.parent.mkdir()
    shutil.copyfile(work1, work2)
    with duckdb.connect(str(work2)) as con:
        con.execute("update marts.fct_green_trade_benefit set green_bn_usd = green_bn_usd + 1.5, nv_bn_usd = nv_bn_usd + 1.5 "
                    "where province_code = 'JS' and year = 2011")
        con.execute("update marts.fct_paper_regressions set estimate = estimate + 0.1 "
                    "where paper_table = 'T2' and table_column = '1' and term = 'logrobit'")
    set_build(work2, "b2b2b2b2b2b2b2b2", "b1b1b1b1b1b1b1b1")
    return work1, work2, tmp_path / "published" / "greentrade.duckdb"


def test_publish_keeps_the_previous_build_marts(builds):
    work1, work2, published = builds
    publish(work1, published)
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute(f"select count(*) from duckdb_tables() where schema_name = '{PREVIOUS}'").fetchall() == [(0,)]
    assert published_build(published) == ("b1b1b1b1b1b1b1b1", None)

    publish(work2, published)
    assert contents(published, PREVIOUS) == contents(work1, "marts")  # B1's marts, every row
    assert contents(published, "marts") == contents(work2, "marts")
    assert published_build(published) == ("b2b2b2b2b2b2b2b2", "b1b1b1b1b1b1b1b1")

    publish(work2, published)  # the same build again: the previous one stays B1's
    assert contents(published, PREVIOUS) == contents(work1, "marts")


def test_lineage_names_the_build_replaced(builds):
    work1, work2, published = builds
    assert build_lineage(work2, {}, published=published).replaces is None  # nothing published yet
    publish(work1, published)
    lineage = build_lineage(work2, {}, published=published)
    assert lineage.replaces == "b1b1b1b1b1b1b1b1" and lineage.dbt_vars()["greentrade_replaces_build_id"] == lineage.replaces


def test_impact_lists_the_changes_largest_first(builds):
    work1, work2, published = builds
    publish(work1, published)
    assert not impact(published).compared  # the first build: nothing to compare with
    publish(work2, published)
    result = impact(published)
    assert (result.build_id, result.previous_build_id) == ("b2b2b2b2b2b2b2b2", "b1b1b1b1b1b1b1b1")
    changed = result.changed_green
    assert changed[["province_code", "year"]].values.tolist() == [["JS", 2011]]
    top = result.green.iloc[0]
    assert (top["province_code"], top["year"]) == ("JS", 2011)
    assert top["green_new"] - top["green_old"] == pytest.approx(1.5) and top["nv_new"] - top["nv_old"] == pytest.approx(1.5)
    assert top["nc_new"] == top["nc_old"]
    assert len(result.green) == 90 and "largest change in green: Jiangsu (JS) 2011" in result.largest()
    moved = result.coefficients[result.coefficients["estimate_old"] != result.coefficients["estimate_new"]]
    assert moved[["paper_table", "table_column", "term"]].values.tolist() == [["T2", "1", "logrobit"]]
    assert (moved["estimate_new"] - moved["estimate_old"]).iloc[0] == pytest.approx(0.1)
    assert set(result.coefficients["paper_table"]) == {"T2", "T3", "T4", "T5"}


def test_pending_update_reports_gain_the_impact_once(builds, tmp_path):
    work1, work2, published = builds
    publish(work1, published)
    with duckdb.connect(str(work2)) as con:
        change = changes.FileChange("eua", "market_prices", "/data/market_prices.csv", "replaced", "a" * 64, "b" * 64, 1, 2,
                                    tables=[changes.TableChange("eua_prices", 10, 10, 0, 0, 2)])
        changes.record(con, "20260101T000000_000000Z", "eua", [change], None, 0.01, "test")
        assert pending_updates(con) == ["20260101T000000_000000Z"]
    publish(work2, published)
    result, written = complete_pending(work2, published, tmp_path / "outputs")
    assert [p.name for p in written] == ["update_20260101T000000_000000Z.html"]
    html = written[0].read_text(encoding="utf-8")
    assert "Jiangsu (JS)" in html[html.index('id="impact-green"'):] and 'id="impact-coefficients"' in html
    markdown = written[0].with_suffix(".md").read_text(encoding="utf-8")
    assert "| Jiangsu (JS) | 2011 |" in markdown and "Build `b2b2b2b2b2b2b2b2` replaced build `b1b1b1b1b1b1b1b1`" in markdown
    with duckdb.connect(str(work2), read_only=True) as con:
        assert pending_updates(con) == []
        assert con.execute("select build_id, previous_build_id from updates.builds").fetchall() == [
            ("b2b2b2b2b2b2b2b2", "b1b1b1b1b1b1b1b1")]
    assert complete_pending(work2, published, tmp_path / "outputs")[1] == []  # once only
