"""One writer at a time: ingest and build take the warehouse lock; a second one refuses with
the holder named, or waits when asked; a killed holder never leaves a stale lock (issue 7.3).
The two-builds-at-once case with real dbt runs is in test_build_kills.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from greentrade.locking import WarehouseBusyError, lock_path, warehouse_lock

from .conftest import environment, run

HOLD = """
import sys, time
from pathlib import Path
from greentrade.locking import warehouse_lock
with warehouse_lock(Path(sys.argv[1]), "build"):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(warehouse, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_ingest_and_build_refuse_while_another_process_holds_the_warehouse(tmp_path):
    warehouse = tmp_path / "work.duckdb"
    holder = hold_lock(warehouse, 60)
    try:
        for command in (["ingest", "fx"], ["build"]):
            done = run(command, environment(warehouse), timeout=60)
            assert done.returncode == 1, done.stdout + done.stderr
            assert "is busy" in done.stderr and f"pid {holder.pid}" in done.stderr, done.stderr
        assert not warehouse.exists(), "the refused command must not have touched the warehouse"
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_holder_is_free_at_once(tmp_path):
    warehouse = tmp_path / "work.duckdb"
    holder = hold_lock(warehouse, 60)
    with pytest.raises(WarehouseBusyError):
        with warehouse_lock(warehouse, "test", wait=0):
            pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert lock_path(warehouse).exists()  # the file stays; the kernel released the flock
    with warehouse_lock(warehouse, "test", wait=0):
        assert f"pid {os.getpid()}" in lock_path(warehouse).read_text()


def test_second_command_waits_when_asked(tmp_path):
    warehouse = tmp_path / "work.duckdb"
    holder = hold_lock(warehouse, 1.5)
    start = time.monotonic()
    done = run(["ingest", "fx"], environment(warehouse, GREENTRADE_LOCK_WAIT=60), timeout=120)
    holder.wait()
    assert done.returncode == 0, done.stdout + done.stderr
    assert time.monotonic() - start > 1.0 and "fx: 1 files" in done.stdout
