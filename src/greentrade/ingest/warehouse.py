"""Loading source files into the ``raw`` schema of the DuckDB warehouse.

One transaction per call: for each file of the source, its sha256 is compared with the last
load of the same (source, file key); an identical file is skipped (nothing is written, not
even ``raw.load_log``); a new or changed file has its new rows plus a ``raw.load_log`` row
inserted, is compared with the rows it replaces (:mod:`.changes`: rows added, removed,
changed, totals moved), and only then are the old rows deleted. What changed is recorded in
the schema ``updates`` in the same transaction (the update reports read it). Any failure -- a SourceFormatError, a constraint, Ctrl-C --
rolls the whole call back, so the warehouse is exactly as before. Readers never see DuckDB.

With ``quality=True`` the source's Great Expectations checkpoint (:mod:`greentrade.quality`)
runs on the rows of the new or changed files after they are written and before COMMIT; a
failed expectation raises :class:`greentrade.quality.DataQualityError` and rolls back. A call
where every file is unchanged runs no checkpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from greentrade.lineage import code_version  # the one version string: raw.load_log as dim_build_lineage

from . import changes
from .config import Config, load_config
from .errors import SourceFormatError
from .registry import SourceFile, get_source

# Raw tables written by the generic insert / DELETE. raw.eora26_cells is not among them: it is
# stored in eora26's block layout (one table per year, matrix and load, listed in
# raw.eora26_blocks) and read through the view raw.eora26_cells(year, matrix, row_idx,
# col_idx, value, _load_id); see BLOCK_TABLES and docs/eora26_storage.md.
RAW_TABLES: dict[str, dict[str, str]] = {
    "load_log": {
        "load_id": "BIGINT PRIMARY KEY", "source": "VARCHAR NOT NULL", "file_key": "VARCHAR NOT NULL",
        "file_path": "VARCHAR NOT NULL", "file_sha256": "VARCHAR NOT NULL", "row_count": "BIGINT NOT NULL",
        "loaded_at": "TIMESTAMP WITH TIME ZONE NOT NULL", "code_version": "VARCHAR NOT NULL",
        "status": "VARCHAR NOT NULL", "message": "VARCHAR", "file_origin": "VARCHAR",
    },
    "eora26_labels": {
        "year": "INTEGER NOT NULL", "matrix": "VARCHAR NOT NULL", "axis": "VARCHAR NOT NULL", "idx": "INTEGER NOT NULL",
        "country_name": "VARCHAR", "country_code": "VARCHAR", "entity": "VARCHAR", "item": "VARCHAR",
    },
    "ceads_io_cells": {
        "year": "INTEGER NOT NULL", "n_sectors": "INTEGER NOT NULL", "row_kind": "VARCHAR NOT NULL", "row_province_code": "VARCHAR",
        "row_item": "VARCHAR NOT NULL", "col_kind": "VARCHAR NOT NULL", "col_province_code": "VARCHAR",
        "col_item": "VARCHAR NOT NULL", "value": "DOUBLE NOT NULL",
    },
    "ceads_emissions": {
        "year": "INTEGER NOT NULL", "province_code": "VARCHAR NOT NULL", "sheet_name": "VARCHAR NOT NULL",
        "row_kind": "VARCHAR NOT NULL", "inventory_sector_id": "INTEGER", "row_label": "VARCHAR NOT NULL",
        "fuel": "VARCHAR NOT NULL", "value_mt": "DOUBLE NOT NULL",
    },
    "ifr_installations": {
        "country": "VARCHAR NOT NULL", "ifr_industry_code": "VARCHAR NOT NULL", "ifr_industry_name": "VARCHAR",
        "year": "INTEGER NOT NULL", "installations": "BIGINT NOT NULL",
    },
    "yearbook_indicators": {
        "indicator": "VARCHAR NOT NULL", "indicator_label": "VARCHAR NOT NULL", "unit": "VARCHAR NOT NULL",
        "province_code": "VARCHAR NOT NULL", "province_label": "VARCHAR NOT NULL", "year": "INTEGER NOT NULL",
        "value": "DOUBLE NOT NULL",
    },
    "yearbook_employment": {
        "year": "INTEGER NOT NULL", "province_code": "VARCHAR NOT NULL", "province_label": "VARCHAR NOT NULL",
        "employment_industry_code": "VARCHAR NOT NULL", "industry_label": "VARCHAR NOT NULL",
        "employment_10k": "DOUBLE NOT NULL",
    },
    "eua_prices": {
        "trade_date": "DATE NOT NULL", "settle_eur_per_t": "DOUBLE NOT NULL", "open": "DOUBLE", "high": "DOUBLE",
        "low": "DOUBLE", "change": "DOUBLE", "wave": "DOUBLE", "volume": "DOUBLE", "prev_day_open_interest": "DOUBLE",
        "efp_volume": "DOUBLE", "efs_volume": "DOUBLE", "block_volume": "DOUBLE", "close": "DOUBLE",
    },
    "fx_rates": {"rate_date": "DATE NOT NULL", "currency": "VARCHAR NOT NULL", "units_per_eur": "DOUBLE NOT NULL"},
    "fred_fx_rates": {"rate_date": "DATE NOT NULL", "series_id": "VARCHAR NOT NULL", "value": "DOUBLE NOT NULL"},
    "china_ets_prices": {"trade_date": "DATE NOT NULL", "market": "VARCHAR NOT NULL", "price_cny_per_t": "DOUBLE NOT NULL"},
}


# Columns added after a table was first released: an older warehouse gets them (with the
# default that its existing rows imply) the next time the schema is ensured.
ADDED_COLUMNS: dict[tuple[str, str], str] = {
    ("load_log", "file_origin"): "VARCHAR",
    # every table loaded before the 30-sector layout was read had the 42 sectors
    ("ceads_io_cells", "n_sectors"): "INTEGER DEFAULT 42",
}


# raw tables a reader returns that are stored by their own module, not by the generic insert:
# table -> module with ``CELL_TYPES`` (columns), ``ensure_cells_view(con)``,
# ``store_cells(con, rows, load_id) -> rows`` and ``drop_cells(con, load_id) -> rows``.
BLOCK_TABLES: dict[str, str] = {"eora26_cells": "greentrade.ingest.eora26.store"}


def _block_store(table: str):
    import importlib

    return importlib.import_module(BLOCK_TABLES[table])


@dataclass(frozen=True)
class FileResult:
    file_key: str
    path: Path
    sha256: str
    # 'loaded' (new key), 'replaced' (changed file), 'skipped' (identical file), 'removed'
    # (a file no longer in the configured source: its rows were deleted; row_count = rows deleted)
    status: str
    row_count: int
    load_id: int | None
    origin: str | None = None  # SourceFile.origin: a file shipped in a package, not the user's
    change: Any = None  # greentrade.ingest.changes.FileChange for a loaded, replaced or removed file


@dataclass
class LoadReport:
    source: str
    files: list[FileResult] = field(default_factory=list)
    quality: Any = None  # greentrade.quality.QualityReport when a checkpoint ran
    absent: Path | None = None  # an optional source not found there: nothing loaded
    update_id: str | None = None  # where the changes are recorded (schema updates)
    threshold: float = changes.DEFAULT_THRESHOLD

    @property
    def changes(self) -> list:
        """What each new, changed or removed file changed (:class:`changes.FileChange`)."""
        return [f.change for f in self.files if f.change is not None]

    def change_summary(self) -> str:
        """One line: e.g. ``ceads_emissions 2019: 3 provinces changed by more than 1 % (...)``."""
        return changes.summary(self.source, self.changes, self.threshold)

    @property
    def rows(self) -> int:
        return sum(f.row_count for f in self.files if f.status in ("loaded", "replaced"))

    @property
    def removed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "removed"]

    def summary(self) -> str:
        if self.absent is not None:
            return f"{self.source}: optional source not found at {self.absent}; skipped (raw tables left as they are)"
        counts = {s: sum(f.status == s for f in self.files) for s in ("loaded", "replaced", "skipped")}
        present = len(self.files) - len(self.removed)
        gone = ""
        if self.removed:
            gone = (f"; {len(self.removed)} no longer in the source, their "
                    f"{sum(f.row_count for f in self.removed)} rows removed ("
                    + ", ".join(f.file_key for f in self.removed) + ")")
        packaged = "".join(f"; {f.path.name} from the {f.origin} package (no file in the source folder)"
                           for f in self.files if f.origin and f.status != "removed")
        return (f"{self.source}: {present} files ({counts['loaded']} loaded, {counts['replaced']} replaced, "
                f"{counts['skipped']} unchanged), {self.rows} rows written{gone}{packaged}"
                + ("; quality checkpoint passed" if self.quality is not None else ""))

    __str__ = summary


def _run(con, sql: str, params: list | None = None) -> list[tuple]:
    """Execute and drain (DuckDB 2 refuses new work while a result is unfinished)."""
    return con.execute(sql, params or []).fetchall()


def file_sha256(path: Path) -> str:
    """sha256 of a file, or of a folder's files (relative names and contents, sorted)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with open(file, "rb") as handle:
            try:  # hashed from the page cache in place (no copy of a 300 MB Eora26 T)
                with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                    digest.update(data)
            except ValueError:  # an empty file cannot be mapped: nothing to hash
                pass
    return digest.hexdigest()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema, its tables and the (empty) view ``raw.eora26_cells`` if absent
    (idempotent; an existing table-layout ``raw.eora26_cells`` is left to the next eora26 load)."""
    _run(con, "CREATE SCHEMA IF NOT EXISTS raw")
    for table, columns in RAW_TABLES.items():
        cols = [f'"{name}" {kind}' for name, kind in columns.items()]
        if table != "load_log":
            cols.append('"_load_id" BIGINT NOT NULL')
        _run(con, f"CREATE TABLE IF NOT EXISTS raw.{table} ({', '.join(cols)})")
    for (table, column), kind in ADDED_COLUMNS.items():
        _run(con, f'ALTER TABLE raw.{table} ADD COLUMN IF NOT EXISTS "{column}" {kind}')
    for table in BLOCK_TABLES:  # raw.eora26_blocks and the view raw.eora26_cells
        _block_store(table).ensure_cells_view(con)


def new_update_id() -> str:
    """An id for one ingest's changes (its update report): the UTC time to the microsecond."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S_%fZ")


DEFAULT_MEMORY_LIMIT = "1GB"


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse for loading, with DuckDB's buffer pool bounded
    (GREENTRADE_DUCKDB_MEMORY_LIMIT, else 1GB): a full-size Eora26 source is seven years of
    ~25 million cells in one transaction, which DuckDB would otherwise cache up to 80 % of RAM
    (5.6 GB measured); bounded, it writes them out as it goes."""
    con = duckdb.connect(str(path))
    con.execute(f"SET memory_limit = '{os.environ.get('GREENTRADE_DUCKDB_MEMORY_LIMIT', DEFAULT_MEMORY_LIMIT)}'")
    return con


def load(con_or_path: duckdb.DuckDBPyConnection | str | Path, source_key: str, path: str | Path | None = None,
         config: Config | None = None, quality: bool = False, update_id: str | None = None) -> LoadReport:
    """Load every file of ``source_key`` (or the one file/folder ``path``) into ``raw``, in one
    transaction.

    Values are stored as the source publishes them (the units of each raw table:
    docs/sources.md; e.g. Eora26 thousand USD, CEADs IO 10,000 CNY, CEADs inventories Mt
    CO2); unit conversion happens in the dbt models.

    Parameters
    ----------
    con_or_path : duckdb.DuckDBPyConnection, str or pathlib.Path
        The warehouse: an open writable connection, or the DuckDB file (created if absent,
        opened with :func:`connect`).
    source_key : str
        A key of :data:`greentrade.ingest.registry.SOURCES` (``eora26``, ``ceads_io``, ...).
    path : str or pathlib.Path, optional
        Defaults to the source's configured path, which the load mirrors: a file loaded
        before and no longer there has its rows deleted (status 'removed' in the report and
        in ``raw.load_log``). Another folder only adds new files and replaces changed ones;
        a file path loads that file alone.
    config : Config, optional
        The configuration; :func:`greentrade.ingest.config.load_config` by default.
    quality : bool, default False
        Validate the new rows with the source's Great Expectations checkpoint before COMMIT
        (the report's ``quality`` holds its result).
    update_id : str, optional
        The id the changes are recorded under (one per ``greentrade ingest``).

    Returns
    -------
    LoadReport
        Per file: loaded, replaced, skipped (same sha256) or removed, rows written, load id,
        and what changed against the rows replaced.

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        A file its reader rejects (named with the place).
    greentrade.quality.DataQualityError
        A failed expectation (with ``quality=True``).
    KeyError
        An unknown source, or no path configured or given.

    Any failure rolls the whole call back: the warehouse is exactly as before.
    """
    source = get_source(source_key)
    if config is None:
        config = load_config()
    settings = config.sources.get(source_key)
    options: dict[str, Any] = dict(settings.options) if settings else {}
    for name in source.settings:  # e.g. co2_satellite: the Eora26 reader checks Q has its rows
        if name in config.settings:
            options.setdefault(name, config.settings[name])
    root = Path(path) if path is not None else (settings.path if settings else None)
    if root is None:
        raise KeyError(f"no path for source {source_key!r}: configure it in greentrade.toml or pass path=")
    if path is not None and root.is_file():
        options.pop("years", None)  # one file is one year: the completeness check is for folders
    if path is not None:
        options.pop("fallback", None)  # a path given explicitly is that file, or an error
    # `optional = true` in [sources.<key>]: a missing configured path is not an error
    if options.pop("optional", False) and path is None and not root.exists():
        return LoadReport(source_key, absent=root)
    files = source.files(root, **options)
    # the configured source is mirrored: files loaded before that are no longer there lose
    # their rows. A path given instead (a file, or a folder of new releases) only adds and
    # replaces.
    configured = settings.path if settings else None
    prune = path is None or (configured is not None and root.resolve() == Path(configured).resolve())

    report = LoadReport(source_key, update_id=update_id or new_update_id(), threshold=changes.threshold(config))
    if isinstance(con_or_path, (str, Path)):
        Path(con_or_path).parent.mkdir(parents=True, exist_ok=True)
        with connect(con_or_path) as con:
            return _load(con, source, files, options, report, config if quality else None, prune)
    return _load(con_or_path, source, files, options, report, config if quality else None, prune)


def _load(con, source, files: list[SourceFile], options, report: LoadReport, quality_config: Config | None = None,
          prune: bool = False) -> LoadReport:
    ensure_schema(con)
    _run(con, "BEGIN TRANSACTION")
    try:
        for file in files:
            report.files.append(_load_file(con, source, file, options, report.threshold))
        if prune:
            report.files.extend(_remove_missing(con, source, {f.key for f in files}, report.threshold))
        if quality_config is not None:
            from greentrade.quality import check_load  # lazily: Great Expectations imports in seconds

            changed = [f.load_id for f in report.files if f.status in ("loaded", "replaced")]
            if report.removed:  # what remains of the source is checked as a whole
                changed = [row[0] for row in _run(con, "SELECT load_id FROM raw.load_log WHERE source = ? "
                                                       "AND status = 'loaded'", [source.key])]
            report.quality = check_load(con, source.key, changed, quality_config)
        changes.record(con, report.update_id, source.key, report.changes, report.quality, report.threshold,
                       code_version())
        _run(con, "COMMIT")
    except BaseException:
        _run(con, "ROLLBACK")
        raise
    return report


class _BackgroundSha256:
    """:func:`file_sha256` in a thread of low priority (hashlib releases the GIL): it uses
    the cycles the parse and the insert leave idle instead of competing with their threads."""

    def __init__(self, path: Path):
        import threading

        self._value: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="greentrade-sha256", daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        import threading

        try:  # Linux: a thread's nice value is its own
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        try:
            self._value = file_sha256(path)
        except BaseException as error:  # handed to the caller of result()
            self._error = error

    def join(self) -> None:
        self._thread.join()

    def result(self) -> str:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def _store_tables(con, source, file: SourceFile, tables: dict) -> tuple[int, int]:
    """Insert a reader's tables under a new load id: (rows written, load id)."""
    unknown = set(tables) - set(source.tables)
    if unknown:
        raise SourceFormatError(file.path, "",
                                f"reader returned tables {sorted(unknown)}; source {source.key!r} writes {list(source.tables)}")
    load_id = _run(con, "SELECT coalesce(max(load_id), 0) + 1 FROM raw.load_log")[0][0]
    row_count = 0
    for table, rows in tables.items():
        row_count += _insert(con, table, rows, load_id, file.path)
    return row_count, load_id


def _load_file(con, source, file: SourceFile, options, threshold: float) -> FileResult:
    current = _run(
        con,
        "SELECT load_id, file_sha256, file_path FROM raw.load_log WHERE source = ? AND file_key = ? AND status = 'loaded'",
        [source.key, file.key],
    )
    if current:  # a file loaded before: read it only if its bytes changed
        sha = file_sha256(file.path)
        if current[0][1] == sha:
            if current[0][2] != str(file.path):  # the same bytes under another name (NBS exports are renamed freely)
                _run(con, "UPDATE raw.load_log SET file_path = ? WHERE load_id = ?", [str(file.path), current[0][0]])
            return FileResult(file.key, file.path, sha, "skipped", 0, current[0][0], file.origin)
        tables = source.reader(file.path, **options)
        row_count, load_id = _store_tables(con, source, file, tables)
    else:  # a new file: hashed in the background while it is parsed and stored
        hashing = _BackgroundSha256(file.path)
        try:
            tables = source.reader(file.path, **options)
            row_count, load_id = _store_tables(con, source, file, tables)
        except BaseException:
            hashing.join()  # the reader's or the insert's error is the one to report
            raise
        sha = hashing.result()
    # the new rows sit beside the ones they replace: diff them, then delete the old ones
    old_ids = [row[0] for row in current]
    change = changes.compare(con, source, file.key, str(file.path), [row[:2] for row in current], load_id, sha,
                             threshold)
    for old_id in old_ids:
        _delete_load(con, source, old_id)
    for old_id in old_ids:
        _run(con, "UPDATE raw.load_log SET status = 'replaced' WHERE load_id = ?", [old_id])
    message = f"{row_count} rows into {', '.join('raw.' + t for t in tables)}"
    notes = [_reader_message(rows) for rows in tables.values()]
    message = "; ".join([message, *(n for n in notes if n)])
    if file.origin:
        message += f"; from the {file.origin} package, not a file of the source folder"
    _run(
        con,
        "INSERT INTO raw.load_log (load_id, source, file_key, file_path, file_sha256, row_count, loaded_at, "
        "code_version, status, message, file_origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'loaded', ?, ?)",
        [load_id, source.key, file.key, str(file.path), sha, row_count, dt.datetime.now(dt.UTC),
         code_version(), message, file.origin],
    )
    return FileResult(file.key, file.path, sha, "replaced" if old_ids else "loaded", row_count, load_id, file.origin,
                      change)


def _delete_load(con, source, load_id: int) -> None:
    for table in source.tables:
        if table in BLOCK_TABLES:
            _block_store(table).drop_cells(con, load_id)
        else:
            _run(con, f"DELETE FROM raw.{table} WHERE _load_id = ?", [load_id])


def _remove_missing(con, source, present: set[str], threshold: float) -> list[FileResult]:
    """Delete the rows of this source's loaded files whose key is not among ``present`` (the
    file was removed from the source, or a year left its ``years``); their load_log rows
    get status 'removed' and a message saying when."""
    gone = _run(con, "SELECT load_id, file_key, file_path, file_sha256, row_count FROM raw.load_log "
                     "WHERE source = ? AND status = 'loaded' ORDER BY file_key", [source.key])
    results = []
    for load_id, key, path, sha, rows in gone:
        if key in present:
            continue
        change = changes.compare(con, source, key, path, [(load_id, sha)], None, None, threshold)
        _delete_load(con, source, load_id)
        when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        _run(con, "UPDATE raw.load_log SET status = 'removed', message = coalesce(message, '') || ? "
                  "WHERE load_id = ?", [f"; removed {when}: no longer in the source", load_id])
        results.append(FileResult(key, Path(path), sha, "removed", int(rows), load_id, change=change))
    return results


def _reader_message(rows) -> str:
    """What a reader reports about its rows (e.g. the size of Eora26's ROW discrepancy entry),
    carried in an arrow table's schema metadata under ``greentrade.message``."""
    if isinstance(rows, pa.Table) and rows.schema.metadata:
        return rows.schema.metadata.get(b"greentrade.message", b"").decode("utf-8")
    return ""


def _insert(con, table: str, rows: pd.DataFrame | pa.Table, load_id: int, path: Path) -> int:
    store = _block_store(table) if table in BLOCK_TABLES else None
    expected = list(store.CELL_TYPES if store else RAW_TABLES[table])
    given = list(rows.column_names if isinstance(rows, pa.Table) else rows.columns)
    if sorted(given) != sorted(expected):
        raise SourceFormatError(path, f"table raw.{table}", f"reader returned columns {given}; raw.{table} has {expected}")
    if store is not None:
        if not isinstance(rows, pa.Table):
            rows = pa.Table.from_pandas(rows, preserve_index=False)
        try:
            return store.store_cells(con, rows, load_id)
        except ValueError as error:
            raise SourceFormatError(path, f"table raw.{table}", str(error)) from None
    name = f"_greentrade_rows_{table}"
    con.register(name, rows)
    try:
        columns = ", ".join(f'"{c}"' for c in expected)
        _run(con, f"INSERT INTO raw.{table} ({columns}, _load_id) SELECT {columns}, {int(load_id)} FROM {name}")
    finally:
        con.unregister(name)
    return len(rows)


def load_all(config: Config | None = None, con_or_path=None, sources: list[str] | None = None,
             quality: bool = False, update_id: str | None = None) -> list[LoadReport]:
    """Load every configured source (or ``sources``), each with :func:`load`.

    Parameters
    ----------
    config : Config, optional
        The configuration; :func:`greentrade.ingest.config.load_config` by default.
    con_or_path : duckdb.DuckDBPyConnection, str or pathlib.Path, optional
        The warehouse; ``config.warehouse`` by default.
    sources : list of str, optional
        Source keys; every configured source by default.
    quality : bool, default False
        Run each source's checkpoint before its COMMIT.
    update_id : str, optional
        One id for the changes of all the sources (a new one by default).

    Returns
    -------
    list of LoadReport
        One per source, in order. A failure rolls back the failing source only: the sources
        loaded before it stay committed.
    """
    config = config or load_config()
    target = con_or_path if con_or_path is not None else config.warehouse
    keys = sources or list(config.sources)
    update_id = update_id or new_update_id()
    if isinstance(target, (str, Path)):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        with connect(target) as con:
            return [load(con, key, config=config, quality=quality, update_id=update_id) for key in keys]
    return [load(target, key, config=config, quality=quality, update_id=update_id) for key in keys]
