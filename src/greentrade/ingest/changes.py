"""What a new or changed source file changed in ``raw``: rows added, removed and changed, and
the totals (by province or country, year, sector) that moved by more than a threshold.

Computed by the loader inside its transaction, while the rows being replaced are still in
``raw`` beside the new ones (the new file's rows are written first, the old ones deleted
after), so the diff is exact and costs one keyed join per table in DuckDB.

Generic over the raw tables: each table declares, in :data:`TABLES` and nowhere else, its
key (the columns that identify a row), its value columns, and how its totals are formed (a
measure summed or averaged by each dimension). A reader that changes a table's columns
changes its entry here; ``tests/python/ingest/test_changes.py`` checks every raw table has
an entry naming only columns the table has.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_THRESHOLD = 0.01  # relative change of a total that an update report lists (1 %)


@dataclass(frozen=True)
class Totals:
    """How a table's totals are formed: ``aggregate(measure)`` over the rows passing ``where``,
    grouped by each dimension in turn (name -> SQL expression giving the member).
    ``relation`` (optional) is SQL over ``{rows}`` that adds the columns the dimensions use
    (for Eora26 cells: the country and sector of the row label)."""

    measure: str
    dimensions: dict[str, str]
    unit: str
    where: str = "true"
    aggregate: str = "sum"
    relation: str | None = None


@dataclass(frozen=True)
class TableSpec:
    keys: tuple[str, ...]    # identify a row; unique within one file's rows
    values: tuple[str, ...]  # a row whose values differ (IS DISTINCT FROM) is 'changed'
    totals: Totals | None = None


# summed by row before the labels are joined: a full-size year is ~30 million cells but only
# ~10,000 T and FD rows
_EORA_ROW_LABELS = """
    select c.year, c.matrix, c._load_id, c.value, l.country_code as country, l.item as sector
    from (select year, matrix, row_idx, _load_id, sum(value) as value from {rows}
          where matrix in ('T', 'FD') group by all) c
    join raw.eora26_labels l
      on l._load_id = c._load_id and l.year = c.year and l.matrix = c.matrix and l.axis = 'row' and l.idx = c.row_idx
"""

TABLES: dict[str, TableSpec] = {
    "eora26_cells": TableSpec(
        ("year", "matrix", "row_idx", "col_idx"), ("value",),
        Totals("value", {"country": "country", "sector": "sector", "year": "year"},
               "total output (T + FD row sums), thousand USD", where="matrix in ('T', 'FD')",
               relation=_EORA_ROW_LABELS)),
    "eora26_labels": TableSpec(("year", "matrix", "axis", "idx"), ("country_name", "country_code", "entity", "item")),
    "ceads_io_cells": TableSpec(  # n_sectors: one file holds one table (42 or 30 sectors)
        ("year", "row_kind", "row_province_code", "row_item", "col_kind", "col_province_code", "col_item"),
        ("value", "n_sectors"),
        Totals("value", {"province": "row_province_code", "sector": "row_item", "year": "year"},
               "total output, 10,000 CNY", where="row_kind = 'intermediate' and col_kind = 'total_output'")),
    "ceads_emissions": TableSpec(
        ("year", "province_code", "sheet_name", "row_kind", "row_label", "fuel"), ("inventory_sector_id", "value_mt"),
        Totals("value_mt", {"province": "province_code", "sector": "row_label", "year": "year"},
               "Scope 1 CO2 of sectors and households, Mt", where="row_kind <> 'total' and fuel = 'Scope 1 Total'")),
    "ifr_installations": TableSpec(
        ("country", "ifr_industry_code", "year"), ("installations", "ifr_industry_name"),
        Totals("installations", {"sector": "ifr_industry_code", "year": "year"}, "robots, China",
               where="country = 'China'")),
    "yearbook_indicators": TableSpec(
        ("indicator", "province_code", "year"), ("value", "indicator_label", "unit", "province_label"),
        Totals("value", {"province": "province_code", "year": "year"}, "the indicator's unit")),
    "yearbook_employment": TableSpec(
        ("year", "province_code", "employment_industry_code"), ("employment_10k", "industry_label", "province_label"),
        Totals("employment_10k", {"province": "province_code", "sector": "employment_industry_code", "year": "year"},
               "10,000 persons")),
    "eua_prices": TableSpec(
        ("trade_date",), ("settle_eur_per_t", "open", "high", "low", "change", "wave", "volume",
                          "prev_day_open_interest", "efp_volume", "efs_volume", "block_volume", "close"),
        Totals("settle_eur_per_t", {"year": "year(trade_date)"}, "mean settle, EUR/t", aggregate="avg")),
    "fx_rates": TableSpec(
        ("rate_date", "currency"), ("units_per_eur",),
        Totals("units_per_eur", {"currency-year": "currency || ' ' || year(rate_date)"}, "mean units per EUR",
               aggregate="avg")),
    "fred_fx_rates": TableSpec(
        ("rate_date", "series_id"), ("value",),
        Totals("value", {"series-year": "series_id || ' ' || year(rate_date)"}, "mean rate", aggregate="avg")),
    "china_ets_prices": TableSpec(
        ("trade_date", "market"), ("price_cny_per_t",),
        Totals("price_cny_per_t", {"market-year": "market || ' ' || year(trade_date)"}, "mean price, CNY/t",
               aggregate="avg")),
}


@dataclass
class TableChange:
    """Rows of one raw table for one file: before, after, and the keyed diff."""

    table: str
    rows_old: int
    rows_new: int
    added: int
    removed: int
    changed: int

    @property
    def touched(self) -> int:
        return self.added + self.removed + self.changed


@dataclass
class TotalChange:
    table: str
    dimension: str
    member: str
    old: float | None
    new: float | None
    unit: str

    @property
    def relative(self) -> float:
        """(new - old) / |old|; +inf for a total that appears, -1 for one that disappears."""
        old, new = self.old or 0.0, self.new or 0.0
        if old == 0:
            return 0.0 if new == 0 else math.copysign(math.inf, new)
        return (new - old) / abs(old)


@dataclass
class LoadedTotal:
    """What a first load brought, per dimension: how many members and the grand total."""

    table: str
    dimension: str
    members: int
    first: str | None
    last: str | None


@dataclass
class FileChange:
    """One new, changed or removed file of a source and what it changed in raw."""

    source: str
    file_key: str
    file_path: str
    status: str  # 'loaded' (first load of this key), 'replaced', 'removed'
    old_sha256: str | None
    new_sha256: str | None
    old_load_id: int | None
    new_load_id: int | None
    tables: list[TableChange] = field(default_factory=list)
    totals: list[TotalChange] = field(default_factory=list)  # moved by more than the threshold
    loaded: list[LoadedTotal] = field(default_factory=list)  # first loads only

    @property
    def rows(self) -> dict[str, int]:
        return {k: sum(getattr(t, k) for t in self.tables) for k in ("rows_old", "rows_new", "added", "removed", "changed")}


def threshold(config) -> float:
    """``[updates] threshold`` of the configuration file (relative change; default 0.01 = 1 %)."""
    file = getattr(config, "file", None)
    if file is not None and file.exists():
        with open(file, "rb") as handle:
            value = tomllib.load(handle).get("updates", {}).get("threshold", DEFAULT_THRESHOLD)
        value = float(value)
        if not 0 <= value < 100:
            raise ValueError(f"{file}: [updates] threshold must be a relative change such as 0.01 (1 %), found {value}")
        return value
    return DEFAULT_THRESHOLD


def spec(table: str) -> TableSpec:
    try:
        return TABLES[table]
    except KeyError:
        raise KeyError(f"raw.{table} has no entry in greentrade.ingest.changes.TABLES (keys, values, totals)") from None


def _ids(load_ids: Iterable[int]) -> str:
    return ", ".join(str(int(i)) for i in load_ids) or "NULL"


def _rows(table: str, load_ids: Iterable[int]) -> str:
    return f"(select * from raw.{table} where _load_id in ({_ids(load_ids)}))"


def _fetch(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def diff_rows(con, table: str, old_ids: list[int], new_id: int | None) -> TableChange:
    """Keyed diff of the rows of loads ``old_ids`` against those of ``new_id`` in ``raw.table``
    (``new_id`` None: the file was removed)."""
    s = spec(table)
    if not old_ids or new_id is None:  # a first load or a removed file: every row is added or removed
        (count,), = _fetch(con, f"select count(*) from {_rows(table, old_ids if new_id is None else [new_id])}")
        return (TableChange(table, count, 0, 0, count, 0) if new_id is None
                else TableChange(table, 0, count, count, 0, 0))
    old, new = _rows(table, old_ids), _rows(table, [new_id])
    on = " and ".join(f'o."{k}" is not distinct from n."{k}"' for k in s.keys)
    differs = " or ".join(f'o."{v}" is distinct from n."{v}"' for v in s.values) or "false"
    (rows_old, rows_new, added, removed, changed), = _fetch(con, f"""
        with o as (select {', '.join(f'"{c}"' for c in (*s.keys, *s.values))}, true as _here from {old}),
             n as (select {', '.join(f'"{c}"' for c in (*s.keys, *s.values))}, true as _here from {new})
        select count(o._here), count(n._here),
               count(*) filter (where o._here is null),
               count(*) filter (where n._here is null),
               count(*) filter (where o._here and n._here and ({differs}))
        from o full outer join n on {on}""")
    return TableChange(table, rows_old, rows_new, added, removed, changed)


def _relation(totals: Totals, rows: str) -> str:
    return f"({totals.relation.format(rows=rows)})" if totals.relation else rows


def totals_by_dimension(con, table: str, load_ids: list[int]) -> dict[tuple[str, str], float]:
    """``aggregate(measure)`` of the rows of ``load_ids`` by each dimension, in one scan
    (GROUPING SETS): {(dimension, member): value}."""
    totals = spec(table).totals
    names = list(totals.dimensions)
    members = ", ".join(f"cast({e} as varchar) as _d{i}" for i, e in enumerate(totals.dimensions.values()))
    sets = ", ".join(f"(_d{i})" for i in range(len(names)))
    flags = ", ".join(f"grouping(_d{i})" for i in range(len(names)))
    rows = _fetch(con, f"""
        select [{flags}] as absent, [{', '.join(f'_d{i}' for i in range(len(names)))}] as members, {totals.aggregate}(_m) as v
        from (select {members}, {totals.measure} as _m from {_relation(totals, _rows(table, load_ids))} where {totals.where})
        group by grouping sets ({sets})""")
    out = {}
    for absent, member_list, value in rows:
        i = absent.index(0)  # the one dimension this row is grouped by
        out[(names[i], member_list[i])] = _float(value)
    return out


def diff_totals(con, table: str, old_ids: list[int], new_id: int, threshold: float) -> list[TotalChange]:
    """Totals of ``table`` by each dimension, old against new, that moved by more than
    ``threshold`` (relative to the old total), largest relative change first."""
    totals = spec(table).totals
    if totals is None:
        return []
    old, new = totals_by_dimension(con, table, old_ids), totals_by_dimension(con, table, [new_id])
    out = []
    for key in old.keys() | new.keys():
        if old.get(key) != new.get(key):
            change = TotalChange(table, key[0], str(key[1]), old.get(key), new.get(key), totals.unit)
            if abs(change.relative) > threshold:
                out.append(change)
    order = list(totals.dimensions)
    out.sort(key=lambda c: (order.index(c.dimension), -abs(c.relative), c.member))
    return out


def loaded_totals(con, table: str, new_id: int) -> list[LoadedTotal]:
    """For a first load: per dimension, how many members the file brought and the first and
    last (one scan of the new rows for all dimensions)."""
    totals = spec(table).totals
    if totals is None:
        return []
    members = ", ".join(f"cast({e} as varchar) as _d{i}" for i, e in enumerate(totals.dimensions.values()))
    stats = ", ".join(f"count(distinct _d{i}), min(_d{i}), max(_d{i})" for i in range(len(totals.dimensions)))
    (row,) = _fetch(con, f"""
        select {stats} from (
            select {members} from {_relation(totals, _rows(table, [new_id]))} where {totals.where})""")
    return [LoadedTotal(table, dimension, int(row[3 * i]), row[3 * i + 1], row[3 * i + 2])
            for i, dimension in enumerate(totals.dimensions)]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def compare(con, source, file_key: str, file_path: str, old: list[tuple[int, str]], new_id: int | None,
            new_sha256: str | None, threshold: float) -> FileChange:
    """The change one file made: ``old`` are the (load_id, sha256) being replaced or removed
    (their rows still in raw), ``new_id`` the new load (None for a removed file)."""
    old_ids = [load_id for load_id, _ in old]
    status = "removed" if new_id is None else ("replaced" if old_ids else "loaded")
    change = FileChange(source.key, file_key, file_path, status, old[0][1] if old else None, new_sha256,
                        old_ids[0] if old_ids else None, new_id)
    for table in source.tables:
        change.tables.append(diff_rows(con, table, old_ids, new_id))
        if status == "replaced":
            change.totals.extend(diff_totals(con, table, old_ids, new_id, threshold))
        elif status == "loaded":
            change.loaded.extend(loaded_totals(con, table, new_id))
    return change


# --- recording: the schema ``updates`` of the working warehouse -------------------------------

SCHEMA = {
    "runs": {"update_id": "VARCHAR NOT NULL", "source": "VARCHAR NOT NULL", "recorded_at": "TIMESTAMP WITH TIME ZONE NOT NULL",
             "threshold": "DOUBLE NOT NULL", "code_version": "VARCHAR"},
    "files": {"update_id": "VARCHAR NOT NULL", "source": "VARCHAR NOT NULL", "file_key": "VARCHAR NOT NULL",
              "file_path": "VARCHAR NOT NULL", "status": "VARCHAR NOT NULL", "old_sha256": "VARCHAR",
              "new_sha256": "VARCHAR", "old_load_id": "BIGINT", "new_load_id": "BIGINT"},
    "tables": {"update_id": "VARCHAR NOT NULL", "source": "VARCHAR NOT NULL", "file_key": "VARCHAR NOT NULL",
               "raw_table": "VARCHAR NOT NULL", "rows_old": "BIGINT", "rows_new": "BIGINT", "rows_added": "BIGINT",
               "rows_removed": "BIGINT", "rows_changed": "BIGINT"},
    "totals": {"update_id": "VARCHAR NOT NULL", "source": "VARCHAR NOT NULL", "file_key": "VARCHAR NOT NULL",
               "raw_table": "VARCHAR NOT NULL", "dimension": "VARCHAR NOT NULL", "member": "VARCHAR",
               "old_value": "DOUBLE", "new_value": "DOUBLE", "relative_change": "DOUBLE", "unit": "VARCHAR"},
    "loaded": {"update_id": "VARCHAR NOT NULL", "source": "VARCHAR NOT NULL", "file_key": "VARCHAR NOT NULL",
               "raw_table": "VARCHAR NOT NULL", "dimension": "VARCHAR NOT NULL", "members": "BIGINT",
               "first_member": "VARCHAR", "last_member": "VARCHAR"},
    "expectations": {"update_id": "VARCHAR NOT NULL", "source": "VARCHAR NOT NULL", "position": "INTEGER NOT NULL",
                     "expectation": "VARCHAR NOT NULL", "column_name": "VARCHAR", "condition": "VARCHAR",
                     "success": "BOOLEAN NOT NULL", "element_count": "BIGINT", "unexpected_count": "BIGINT",
                     "notes": "VARCHAR"},
    "builds": {"update_id": "VARCHAR NOT NULL", "build_id": "VARCHAR NOT NULL", "previous_build_id": "VARCHAR",
               "built_at": "TIMESTAMP WITH TIME ZONE NOT NULL"},
}


def ensure_schema(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS updates").fetchall()
    for table, columns in SCHEMA.items():
        cols = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
        con.execute(f"CREATE TABLE IF NOT EXISTS updates.{table} ({cols})").fetchall()


def _insert(con, table: str, rows: list[tuple]) -> None:
    if rows:
        marks = ", ".join("?" for _ in SCHEMA[table])
        con.executemany(f"INSERT INTO updates.{table} VALUES ({marks})", rows)


def record(con, update_id: str, source: str, changes: list[FileChange], quality, threshold: float,
           code_version: str) -> None:
    """Write ``changes`` (and the checkpoint's expectations) under ``update_id``; inside the
    loader's transaction, so they commit or roll back with the rows they describe."""
    if not changes:
        return
    ensure_schema(con)
    _insert(con, "runs", [(update_id, source, dt.datetime.now(dt.UTC), threshold, code_version)])
    _insert(con, "files", [(update_id, source, c.file_key, c.file_path, c.status, c.old_sha256, c.new_sha256,
                            c.old_load_id, c.new_load_id) for c in changes])
    _insert(con, "tables", [(update_id, source, c.file_key, t.table, t.rows_old, t.rows_new, t.added, t.removed,
                             t.changed) for c in changes for t in c.tables])
    _insert(con, "totals", [(update_id, source, c.file_key, t.table, t.dimension, t.member, t.old, t.new,
                             _finite(t.relative), t.unit) for c in changes for t in c.totals])
    _insert(con, "loaded", [(update_id, source, c.file_key, t.table, t.dimension, t.members, t.first, t.last)
                            for c in changes for t in c.loaded])
    if quality is not None:
        _insert(con, "expectations", [(update_id, source, i, e.expectation, e.column, e.condition, e.success,
                                       e.element_count, e.unexpected_count, e.notes)
                                      for i, e in enumerate(quality.expectations)])


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def summary(source: str, changes: list[FileChange], threshold: float) -> str:
    """One line for the terminal: what changed in ``source``, e.g. ``ceads_emissions 2019:
    3 provinces changed by more than 1 % (135 rows changed)``."""
    if not changes:
        return f"{source}: no new or changed file"
    keys = ", ".join(sorted(c.file_key for c in changes))
    parts = []
    loaded = [c for c in changes if c.status == "loaded"]
    removed = [c for c in changes if c.status == "removed"]
    replaced = [c for c in changes if c.status == "replaced"]
    if loaded:
        parts.append(f"first load of {len(loaded)} file(s), {sum(c.rows['rows_new'] for c in loaded):,} rows")
    if removed:
        parts.append(f"{len(removed)} file(s) removed, {sum(c.rows['removed'] for c in removed):,} rows deleted")
    if replaced:
        moved: dict[str, set[str]] = {}
        for c in replaced:
            for t in c.totals:
                moved.setdefault(t.dimension, set()).add(t.member)
        rows = {k: sum(c.rows[k] for c in replaced) for k in ("added", "removed", "changed")}
        what = ", ".join(f"{len(m)} {_plural(d, len(m))}" for d, m in moved.items())
        percent = f"{threshold * 100:g} %"
        head = f"{what} changed by more than {percent}" if moved else f"no total changed by more than {percent}"
        parts.append(f"{head} ({rows['changed']:,} rows changed, {rows['added']:,} added, {rows['removed']:,} removed)")
    return f"{source} {keys}: " + "; ".join(parts)


def _plural(word: str, n: int) -> str:
    if n == 1:
        return word
    return {"country": "countries", "currency-year": "currency-years", "series-year": "series-years",
            "market-year": "market-years"}.get(word, word + "s")
