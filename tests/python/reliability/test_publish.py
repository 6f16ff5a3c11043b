"""The published snapshot: atomic replacement while readers hold it, verification of the copy,
stale temporary files, and no publish unless dbt succeeded (issue 7.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from greentrade import cli
from greentrade import snapshot as publishing
from greentrade.snapshot import PublishError, publish, remove_stale_temporaries

from .conftest import file_digest


def write_work(path, value: int, rows: int = 100_000) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute(f"create or replace table marts.t as select range as i, {value} as v from range({rows})")


def read_in_new_process(path) -> list:
    code = ("import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(json.dumps(con.execute('select min(v), max(v), count(*) from marts.t').fetchall()))")
    return json.loads(subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                                     check=True).stdout)


def test_reader_keeps_its_snapshot_and_a_new_reader_sees_the_new_one(tmp_path):
    work, published = tmp_path / "work.duckdb", tmp_path / "greentrade.duckdb"
    write_work(work, 1)
    publish(work, published)
    reader = duckdb.connect(str(published), read_only=True)
    try:
        assert reader.execute("select max(v) from marts.t").fetchall() == [(1,)]
        write_work(work, 2)                # the next build writes the working copy...
        assert read_in_new_process(published) == [[1, 1, 100_000]]  # ...readers are not refused
        publish(work, published)           # ...and publishes it under the open reader
        assert reader.execute("select min(v), max(v), count(*) from marts.t").fetchall() == [(1, 1, 100_000)]
        assert read_in_new_process(published) == [[2, 2, 100_000]]
    finally:
        reader.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_bad_copy_is_not_published(tmp_path, monkeypatch):
    work, published = tmp_path / "work.duckdb", tmp_path / "greentrade.duckdb"
    write_work(work, 1)
    publish(work, published)
    before = file_digest(published)
    write_work(work, 2, rows=200_000)

    def truncated_copy(source, target):  # a copy that lost its end (full disk, crash of cp)
        with open(source, "rb") as src, open(target, "wb") as dst:
            dst.write(src.read(os.path.getsize(source) // 3))

    monkeypatch.setattr(publishing.shutil, "copyfile", truncated_copy)
    with pytest.raises((PublishError, duckdb.Error)):
        publish(work, published)
    assert file_digest(published) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_stale_temporaries_of_dead_publishers_are_removed(tmp_path):
    published = tmp_path / "greentrade.duckdb"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".greentrade.duckdb.{int(dead.stdout)}.tmp"
    live = tmp_path / f".greentrade.duckdb.{os.getppid()}.tmp"
    other = tmp_path / f".other.duckdb.{int(dead.stdout)}.tmp"
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    assert remove_stale_temporaries(published) == [stale]
    assert live.exists() and other.exists() and not stale.exists()


def test_failed_dbt_publishes_nothing_and_releases_the_lock(tmp_path, monkeypatch):
    work, published = tmp_path / "work.duckdb", tmp_path / "greentrade.duckdb"
    write_work(work, 1)
    publish(work, published)
    before = file_digest(published)
    write_work(work, 2)
    monkeypatch.setenv("GREENTRADE_WAREHOUSE", str(work))

    def failing_dbt(arguments, **kwargs):
        raise cli.StepFailed("dbt build failed (exit code 1); the published warehouse is unchanged")

    monkeypatch.setattr(cli, "run_dbt", failing_dbt)
    assert cli.main(["build"]) == cli.EXIT_FAILED
    assert file_digest(published) == before
    from greentrade.locking import warehouse_lock
    with warehouse_lock(work, "test", wait=0):
        pass
