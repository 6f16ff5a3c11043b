"""The generic diff of raw tables (greentrade.ingest.changes): every raw table is declared
once (key, values, totals) and only with its own columns; a changed file's rows are compared
by key against the rows they replace; a removed file reports its rows; totals move only
beyond the threshold. Hand-computed cases on small EUA price files."""

from __future__ import annotations

import pytest

from greentrade.ingest import changes, eora26
from greentrade.ingest.warehouse import RAW_TABLES, load

from .builders import eua_text, write_text


def test_every_raw_table_is_declared_with_its_own_columns():
    tables = {t: list(c) for t, c in RAW_TABLES.items() if t != "load_log"} | {"eora26_cells": list(eora26.CELL_TYPES)}
    assert set(changes.TABLES) == set(tables)
    for table, columns in tables.items():
        spec = changes.TABLES[table]
        # every column is part of the key or a value: a reader that adds a column must say which
        assert sorted((*spec.keys, *spec.values)) == sorted(columns), table
        assert not set(spec.keys) & set(spec.values), table


def eua(settles: dict[str, float]) -> str:
    header = eua_text().splitlines()[0]
    return "\n".join([header] + [f"{d},{s},{s},{s},{s},0.1,,100.0,5.0,,,,{s}" for d, s in settles.items()]) + "\n"


@pytest.fixture
def prices(tmp_path):
    path = tmp_path / "market_prices.csv"
    write_text(path, eua({"2019-01-02": 24.0, "2019-01-03": 25.0, "2019-01-04": 26.0, "2020-01-02": 30.0}))
    return path


def test_a_changed_file_is_diffed_by_key(con, config, prices):
    first = load(con, "eua", path=prices, config=config)
    [loaded] = first.changes
    assert loaded.status == "loaded" and loaded.rows["rows_new"] == 4 and loaded.totals == []
    assert [(t.dimension, t.members, t.first, t.last) for t in loaded.loaded] == [("year", 2, "2019", "2020")]

    # 2019-01-02 removed, 2019-01-03 changed (25 -> 25.1), 2019-01-05 added, 2020 unchanged
    write_text(prices, eua({"2019-01-03": 25.1, "2019-01-04": 26.0, "2019-01-05": 27.0, "2020-01-02": 30.0}))
    second = load(con, "eua", path=prices, config=config)
    [change] = second.changes
    assert change.status == "replaced" and change.old_sha256 == loaded.new_sha256 != change.new_sha256
    [table] = change.tables
    assert (table.rows_old, table.rows_new, table.added, table.removed, table.changed) == (4, 4, 1, 1, 1)
    # mean settle of 2019: (24 + 25 + 26) / 3 = 25 -> (25.1 + 26 + 27) / 3 = 26.0333: +4.13 %; 2020 unchanged
    [moved] = change.totals
    assert (moved.dimension, moved.member) == ("year", "2019")
    assert moved.old == pytest.approx(25.0) and moved.new == pytest.approx(78.1 / 3)
    assert moved.relative == pytest.approx(78.1 / 75 - 1)
    assert second.change_summary() == "eua market_prices: 1 year changed by more than 1 % (1 rows changed, 1 added, 1 removed)"
    recorded = con.execute("select source, file_key, status, old_sha256, new_sha256 from updates.files "
                           "where update_id = ?", [second.update_id]).fetchall()
    assert recorded == [("eua", "market_prices", "replaced", loaded.new_sha256, change.new_sha256)]


def test_totals_below_the_threshold_are_not_listed(con, config, prices):
    load(con, "eua", path=prices, config=config)
    write_text(prices, eua({"2019-01-02": 24.0, "2019-01-03": 25.2, "2019-01-04": 26.0, "2020-01-02": 30.0}))
    report = load(con, "eua", path=prices, config=config)  # 2019: 25 -> 25.0667, +0.27 %
    [change] = report.changes
    assert change.tables[0].changed == 1 and change.totals == []
    assert "no total changed by more than 1 %" in report.change_summary()


def test_a_removed_file_reports_its_rows(con, config, prices):
    from greentrade.ingest.registry import get_source

    load(con, "eua", path=prices, config=config)
    (load_id, sha), = con.execute("select load_id, file_sha256 from raw.load_log where status = 'loaded'").fetchall()
    change = changes.compare(con, get_source("eua"), "market_prices", str(prices), [(load_id, sha)], None, None, 0.01)
    assert change.status == "removed" and change.old_sha256 == sha and change.new_sha256 is None
    assert [(t.rows_old, t.rows_new, t.removed, t.added, t.changed) for t in change.tables] == [(4, 0, 4, 0, 0)]
    assert change.totals == [] and change.loaded == []


def test_an_unchanged_file_records_nothing(con, config, prices):
    load(con, "eua", path=prices, config=config)
    again = load(con, "eua", path=prices, config=config)
    assert again.changes == [] and again.change_summary() == "eua: no new or changed file"
    assert con.execute("select count(distinct update_id) from updates.files").fetchall() == [(1,)]


def test_threshold_is_read_from_the_configuration(tmp_path):
    from greentrade.ingest.config import load_config

    path = tmp_path / "greentrade.toml"
    path.write_text("[updates]\nthreshold = 0.05\n")
    assert changes.threshold(load_config(path, env={})) == 0.05
    path.write_text("[sources]\n")
    assert changes.threshold(load_config(path, env={})) == changes.DEFAULT_THRESHOLD
    path.write_text("[updates]\nthreshold = -1\n")
    with pytest.raises(ValueError, match="threshold"):
        changes.threshold(load_config(path, env={}))
