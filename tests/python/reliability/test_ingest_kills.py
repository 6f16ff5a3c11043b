"""kill -9 during ingest (issue 7.2): the published warehouse stays readable and unchanged,
the killed transaction leaves nothing behind, and a rerun gives the raw tables an
uninterrupted ingest gives. Uses one small source (CEADs emissions: 10 workbooks) so each
kill point costs seconds."""

from __future__ import annotations

import duckdb
import pytest

from greentrade.snapshot import publish

from .conftest import environment, file_digest, kill_on_marker, run, start, table_hashes, wait_for_lock_free

SOURCE = "ceads_emissions"


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("ingest_reference") / "work.duckdb"
    done = run(["ingest", SOURCE], environment(warehouse))
    assert done.returncode == 0, done.stdout + done.stderr
    return table_hashes(warehouse, "raw", order=True)


def published_snapshot(folder):
    seed = folder / "previous_build.duckdb"
    with duckdb.connect(str(seed)) as con:
        con.execute("create schema marts; create table marts.t as select range as i from range(1000)")
    return publish(seed, folder / "greentrade.duckdb")


@pytest.mark.parametrize("delay", [0.2, 2.0])
def test_kill_during_ingest_then_rerun(tmp_path, uninterrupted, delay):
    warehouse = tmp_path / "work.duckdb"
    published = published_snapshot(tmp_path)
    before = file_digest(published)
    env = environment(warehouse, PYTHONUNBUFFERED=1)

    reader = duckdb.connect(str(published), read_only=True)  # a SQL user, during the ingest
    process = start(["ingest", SOURCE], env)
    output = kill_on_marker(process, f"loading {SOURCE}", delay=delay)
    assert reader.execute("select count(*) from marts.t").fetchall() == [(1000,)]
    reader.close()
    assert file_digest(published) == before, "ingest must never touch the published warehouse"

    wait_for_lock_free(warehouse)
    if warehouse.exists():  # the killed transaction committed nothing partial
        with duckdb.connect(str(warehouse), read_only=True) as con:
            loaded = con.execute("select count(*) from raw.load_log").fetchall()[0][0]
            rows = con.execute("select count(distinct _load_id) from raw.ceads_emissions").fetchall()[0][0]
        assert loaded in (0, 10) and rows == loaded, output

    done = run(["ingest", SOURCE], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert table_hashes(warehouse, "raw", order=True) == uninterrupted
