"""Publishing the working warehouse as a read-only snapshot for SQL users.

Ingest and ``dbt build`` write ``warehouse/work.duckdb`` (one writer at a time, as DuckDB
requires). Users query ``warehouse/greentrade.duckdb``, which only ever changes by an atomic
rename of a complete, checkpointed copy: a reader that has the old file open keeps reading
the old snapshot, a new reader gets the new one, and nobody sees a half-written file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def publish(work_path: Path, published_path: Path) -> Path:
    """Copy the working warehouse to ``published_path`` atomically (copy, fsync, rename)."""
    work_path = Path(work_path)
    published_path = Path(published_path)
    if not work_path.exists():
        raise FileNotFoundError(f"{work_path}: no working warehouse to publish; run ingest and build first")
    # Checkpoint so the file holds every committed change (no pending WAL).
    with duckdb.connect(str(work_path)) as con:
        con.sql("checkpoint")
    published_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = published_path.with_name(f".{published_path.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(work_path, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, published_path)
    finally:
        if tmp.exists():
            tmp.unlink()
    directory = os.open(published_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return published_path
