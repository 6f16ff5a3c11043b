"""The read-only warehouse snapshot for SQL users: :func:`publish` copies the working warehouse
to it atomically after a successful ``dbt build``.

Ingest and ``dbt build`` write ``warehouse/work.duckdb`` (one writer at a time, as DuckDB
requires, and :mod:`greentrade.locking` makes them take turns). Users query
``warehouse/greentrade.duckdb``, which no greentrade process ever opens for writing: it only
changes by an atomic ``rename`` of a complete copy, after ``dbt build`` succeeded:

1. the working warehouse is checkpointed (every committed change in the main file, no WAL);
2. it is copied to a temporary file in the *same* folder (so the rename cannot cross file
   systems), the copy is fsynced and opened read-only to check that it holds the same tables
   with the same row counts as the working warehouse;
3. the copy is renamed over ``greentrade.duckdb`` and the folder is fsynced.

Before the rename the copy also receives the marts of the build it replaces, from the
published file about to be replaced, in the schema ``marts_previous`` (every row carries its
``build_id``; ``marts.dim_build_lineage.replaces_build_id`` names it): the update reports
compare the two (:mod:`greentrade.report.updates`). A rebuild with the same ``build_id`` keeps
the ``marts_previous`` it had. Only the one previous build is kept.

A reader that has the old file open keeps reading the old snapshot (its inode lives on until
it closes), a new reader gets the new one, and nobody sees a half-written file. A crash at any
point leaves either the old or the new snapshot; a temporary file left by a killed publisher is
removed by the next publish.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")
PREVIOUS = "marts_previous"


class PublishError(RuntimeError):
    """The copy of the working warehouse is not a faithful, readable snapshot."""


def _table_counts(con) -> dict[tuple[str, str], int]:
    tables = con.execute("""
        select schema_name, table_name from duckdb_tables()
        where database_name = current_database() and not temporary
        order by schema_name, table_name""").fetchall()
    return {(s, t): con.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0] for s, t in tables}


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(published_path: Path) -> list[Path]:
    """Delete the temporary copies that publishers which have since died left beside
    ``published_path`` (``.<name>.<pid>.tmp``); return what was removed."""
    published_path = Path(published_path)
    removed = []
    if not published_path.parent.is_dir():
        return removed
    for path in published_path.parent.iterdir():
        match = _TEMP.match(path.name)
        if match and match["name"] == published_path.name and not _pid_alive(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _build_ids(con, database: str, schema: str) -> set[str]:
    present = con.execute("select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
                          "and table_name = 'dim_build_lineage'", [database, schema]).fetchall()[0][0]
    if not present:
        return set()
    return {r[0] for r in con.execute(f'select distinct build_id from "{database}"."{schema}".dim_build_lineage').fetchall()}


def keep_previous_marts(copy: Path, published_path: Path) -> dict[tuple[str, str], int]:
    """Put into ``copy`` (the new snapshot, not yet published) the marts of the build that
    ``published_path`` holds, as schema ``marts_previous``: its ``marts`` when that build
    differs from the copy's, else its own ``marts_previous``. Returns the tables written and
    their row counts (nothing when there is no published warehouse)."""
    if not Path(published_path).exists():
        return {}
    written = {}
    with duckdb.connect(str(copy)) as con:
        con.execute(f"attach '{Path(published_path).as_posix()}' as old (read_only)").fetchall()
        try:
            same = bool(_build_ids(con, "old", "marts")) and _build_ids(con, "old", "marts") == _build_ids(
                con, current_database(con), "marts")
            schema = PREVIOUS if same else "marts"
            tables = [r[0] for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'old' and schema_name = ? order by 1",
                [schema]).fetchall()]
            con.execute(f"drop schema if exists {PREVIOUS} cascade").fetchall()
            if tables:
                con.execute(f"create schema {PREVIOUS}").fetchall()
            for table in tables:
                con.execute(f'create table {PREVIOUS}."{table}" as select * from old."{schema}"."{table}"').fetchall()
                written[(PREVIOUS, table)] = con.execute(f'select count(*) from {PREVIOUS}."{table}"').fetchall()[0][0]
        finally:
            con.execute("detach old").fetchall()
        con.execute("checkpoint").fetchall()
    return written


def current_database(con) -> str:
    return con.execute("select current_database()").fetchall()[0][0]


def publish(work_path: Path, published_path: Path) -> Path:
    """Copy the working warehouse to ``published_path`` atomically (checkpoint, copy to a
    temporary file beside the target, fsync, verify, rename, fsync the folder).

    The caller must hold the warehouse lock (nothing may write ``work_path`` meanwhile).
    Raises :class:`PublishError` (and leaves the published file untouched) when the copy
    does not read back with the working warehouse's tables and row counts.
    """
    work_path = Path(work_path)
    published_path = Path(published_path)
    if not work_path.exists():
        raise FileNotFoundError(f"{work_path}: no working warehouse to publish; run ingest and build first")
    with duckdb.connect(str(work_path)) as con:
        con.execute("checkpoint").fetchall()  # every committed change into the main file
        expected = _table_counts(con)
    wal = work_path.with_name(work_path.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise PublishError(f"{wal}: the working warehouse still has a write-ahead log after a checkpoint; "
                           "is another process writing it?")

    published_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(published_path)
    tmp = published_path.with_name(f".{published_path.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(work_path, tmp)
        expected.update(keep_previous_marts(tmp, published_path))
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        with duckdb.connect(str(tmp), read_only=True) as con:
            found = _table_counts(con)
        if found != expected:
            differ = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
            raise PublishError(f"{tmp}: the copy of {work_path} differs in {differ[:5]}; "
                               f"{published_path} is unchanged")
        os.replace(tmp, published_path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_directory(published_path.parent)
    return published_path
