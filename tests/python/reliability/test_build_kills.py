"""Real `greentrade build` processes on the demo (reduced: one year, the models up to the
panel): determinism and lineage of the marts (7.5), a second build or ingest refused while a
build runs and readers served throughout (7.1, 7.3), kill -9 at several points of a build
(7.2): the published marts stay readable and unchanged, a rerun recovers the working
warehouse and gives the marts of an uninterrupted build, hash for hash."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from .conftest import (
    REDUCED_SELECT,
    build,
    build_env,
    copy_warehouse,
    file_digest,
    kill_on_marker,
    present_sources,
    run,
    source_root,
    start,
    table_hashes,
    wait_for_lock_free,
)

pytestmark = pytest.mark.slow
SELECT = REDUCED_SELECT


def test_two_builds_give_identical_marts_and_lineage(tmp_path, ingested, reduced_config, artifacts, baseline):
    _, published, expected, _ = baseline
    assert {"dim_build_lineage", "dim_provinces", "fct_bilateral_trade_accounts", "fct_green_trade_benefit",
            "fct_province_year_panel"} <= set(expected)
    work = copy_warehouse(ingested, tmp_path)
    build(work, reduced_config, artifacts)
    assert table_hashes(work.with_name("greentrade.duckdb"), "marts") == expected  # rows, order, every bit

    with duckdb.connect(str(published), read_only=True) as con:
        lineage = con.execute("select distinct build_id, code_version, dbt_invocation_id from marts.dim_build_lineage").fetchall()
        inputs = con.execute("select source, file_key, file_sha256 from marts.dim_build_lineage order by all").fetchall()
        loaded = con.execute("select source, file_key, file_sha256 from raw.load_log where status = 'loaded' order by all").fetchall()
        mart_ids = con.execute("""select distinct build_id from marts.fct_green_trade_benefit union
                                  select distinct build_id from marts.fct_bilateral_trade_accounts union
                                  select distinct build_id from marts.fct_province_year_panel union
                                  select distinct build_id from marts.dim_provinces""").fetchall()
    assert len(lineage) == 1 and lineage[0][1].startswith("0.") and len(lineage[0][2]) == 36
    assert mart_ids == [(lineage[0][0],)] and inputs == loaded
    assert {source for source, _, _ in inputs} == present_sources(source_root())


@pytest.mark.parametrize("marker, delay, group", [
    ("START python table model intermediate.int_embedded_mrio", 1.0, False),  # mid-computation
    ("OK created sql table model marts.fct_bilateral_trade_accounts", 0.0, False),          # marts half rebuilt
    ("dbt build succeeded; publishing", 0.2, True),                                         # mid-publish, whole group
])
def test_kill_during_build_then_rerun(tmp_path, baseline, reduced_config, artifacts, marker, delay, group):
    base_work, base_published, expected, _ = baseline
    work = copy_warehouse(base_work, tmp_path)
    published = shutil.copyfile(base_published, tmp_path / "greentrade.duckdb")
    before = file_digest(published)
    env = build_env(work, reduced_config, artifacts)

    reader = duckdb.connect(str(published), read_only=True)  # a SQL user holding the snapshot
    old_invocation = reader.execute("select any_value(dbt_invocation_id) from marts.dim_build_lineage").fetchall()
    process = start(["build", "--select", SELECT], env)
    output = kill_on_marker(process, marker, delay=delay, group=group)
    assert reader.execute("select count(*) from marts.fct_green_trade_benefit").fetchall() == [(30,)]
    assert table_hashes(published, "marts") == expected, "the published marts changed"
    published_changed = file_digest(published) != before
    if published_changed:  # killed after the rename: the new snapshot is complete
        assert "dbt build succeeded" in output

    wait_for_lock_free(work)
    build(work, reduced_config, artifacts)
    assert table_hashes(published, "marts") == expected
    assert reader.execute("select any_value(dbt_invocation_id) from marts.dim_build_lineage").fetchall() == old_invocation
    reader.close()
    assert not list(tmp_path.glob(".greentrade.duckdb.*.tmp"))


def test_second_build_and_ingest_refused_while_a_build_runs(tmp_path, baseline, reduced_config, artifacts):
    base_work, base_published, expected, _ = baseline
    work = copy_warehouse(base_work, tmp_path)
    shutil.copyfile(base_published, tmp_path / "greentrade.duckdb")
    env = build_env(work, reduced_config, artifacts)
    first = start(["build", "--select", SELECT], env)
    lines = []
    for line in first.stdout:
        lines.append(line)
        if "START python table model" in line:
            break
    for command in (["build", "--select", SELECT], ["ingest", "fx"]):
        second = run(command, env, timeout=120)
        assert second.returncode == 1 and "is busy" in second.stderr and f"pid {first.pid}" in second.stderr, second.stderr
        with duckdb.connect(str(tmp_path / "greentrade.duckdb"), read_only=True) as con:  # readers are not refused
            assert con.execute("select count(*) from marts.fct_province_year_panel").fetchall() == [(30,)]
    lines += first.stdout.readlines()
    assert first.wait() == 0, "".join(lines)[-5000:]
    assert table_hashes(tmp_path / "greentrade.duckdb", "marts") == expected
