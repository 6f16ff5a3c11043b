"""Storing Eora26 cells in the warehouse: the block layout (the loader's only layout).

DuckDB spends most of an insert appending and compressing columns, about the same time per
column whatever it holds, so the three constant columns (year, matrix, _load_id) of a
12-million-row T cost more than its positions. So each (year, matrix) of a load is its own
table ``raw.eora26_cells__{year}_{matrix}__{load_id}`` of row_idx, col_idx, value, listed in
``raw.eora26_blocks``, and ``raw.eora26_cells`` is a UNION ALL view adding the constants:
same columns for every query, 60% less insert time; DuckDB prunes the branches a year /
matrix filter excludes (docs/eora26_storage.md).

``warehouse._load_file`` stores ``eora26_cells`` through :func:`store_cells` /
:func:`drop_cells`, inside its transaction (DuckDB's CREATE / DROP TABLE and CREATE VIEW
roll back like rows). A warehouse written before the block layout, whose
``raw.eora26_cells`` is a table, has its rows moved into blocks by the first load that
writes (:func:`_ensure_blocks`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import polars as pl
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from .parse import BLOCKS_METADATA, CELL_COLUMNS, MATRICES

# columns of the view raw.eora26_cells (besides _load_id), as the reader returns them
CELL_TYPES = {"year": "INTEGER NOT NULL", "matrix": "VARCHAR NOT NULL", "row_idx": "INTEGER NOT NULL",
              "col_idx": "INTEGER NOT NULL", "value": "DOUBLE NOT NULL"}
BLOCKS_TABLE = "eora26_blocks"


def _block_table(year: int, matrix: str, load_id: int) -> str:
    return f"eora26_cells__{int(year)}_{matrix}__{int(load_id)}"


def _cells_kind(con) -> str | None:
    """'BASE TABLE' (a warehouse written before the block layout), 'VIEW' or None (absent)."""
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_schema = 'raw' "
                       "AND table_name = 'eora26_cells'").fetchall()
    return kind[0][0] if kind else None


def ensure_cells_view(con) -> None:
    """Create ``raw.eora26_blocks`` and, unless ``raw.eora26_cells`` exists, its (empty) view.

    Called by ``warehouse.ensure_schema``. An older warehouse's table ``raw.eora26_cells`` is
    left as it is here and moved into blocks by the first :func:`store_cells` /
    :func:`drop_cells` (inside the loader's transaction).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable connection to the warehouse.
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS raw").fetchall()
    con.execute(f"CREATE TABLE IF NOT EXISTS raw.{BLOCKS_TABLE} (year INTEGER NOT NULL, matrix VARCHAR NOT NULL, "
                "table_name VARCHAR NOT NULL, n_cells BIGINT NOT NULL, _load_id BIGINT NOT NULL)").fetchall()
    if _cells_kind(con) is None:
        refresh_cells_view(con)


def _ensure_blocks(con) -> None:
    ensure_cells_view(con)
    if _cells_kind(con) == "BASE TABLE":  # rows stored before the block layout: move them into blocks
        groups = con.execute("SELECT year, matrix, _load_id, count(*) FROM raw.eora26_cells GROUP BY ALL "
                             "ORDER BY ALL").fetchall()
        for year, matrix, load_id, count in groups:
            name = _block_table(year, matrix, load_id)
            con.execute(f"CREATE TABLE raw.{name} AS SELECT row_idx, col_idx, value FROM raw.eora26_cells "
                        "WHERE year = ? AND matrix = ? AND _load_id = ? ORDER BY row_idx, col_idx",
                        [year, matrix, load_id]).fetchall()
            con.execute(f"INSERT INTO raw.{BLOCKS_TABLE} VALUES (?, ?, ?, ?, ?)",
                        [year, matrix, name, count, load_id]).fetchall()
        con.execute("DROP TABLE raw.eora26_cells").fetchall()
        refresh_cells_view(con)


def refresh_cells_view(con) -> None:
    """(Re)create the view ``raw.eora26_cells`` over the blocks listed in ``raw.eora26_blocks``."""
    blocks = con.execute(f"SELECT year, matrix, table_name, _load_id FROM raw.{BLOCKS_TABLE} "
                         "ORDER BY year, matrix, _load_id").fetchall()
    parts = [f"SELECT {int(y)}::INTEGER AS year, '{m}'::VARCHAR AS matrix, row_idx, col_idx, value, "
             f"{int(load_id)}::BIGINT AS _load_id FROM raw.{t}" for y, m, t, load_id in blocks]
    if not parts:
        parts = ["SELECT NULL::INTEGER AS year, NULL::VARCHAR AS matrix, NULL::INTEGER AS row_idx, "
                 "NULL::INTEGER AS col_idx, NULL::DOUBLE AS value, NULL::BIGINT AS _load_id WHERE false"]
    con.execute("CREATE OR REPLACE VIEW raw.eora26_cells AS " + "\nUNION ALL ".join(parts)).fetchall()


def _cell_blocks(cells: pa.Table) -> Iterable[tuple[int, str, pa.Table]]:
    """(year, matrix, row_idx / col_idx / value) of each block of a cells table: by the block
    sizes :func:`.parse.read` puts in the metadata (no scan), else by grouping on year and matrix."""
    for column in ("year", "matrix", "row_idx", "col_idx", "value"):
        if cells.column(column).null_count:
            raise ValueError(f"eora26 cells: null {column}")
    blocks = json.loads((cells.schema.metadata or {}).get(BLOCKS_METADATA, b"null"))
    if blocks is not None and all("year" in block for block in blocks):  # read's blocks name their year
        years = sorted({block["year"] for block in blocks})
    else:
        years = pa.compute.unique(cells.column("year")).to_pylist() if cells.num_rows else []
    if blocks is not None and len(years) <= 1:
        start = 0
        for block in blocks:
            yield years[0] if years else None, block["matrix"], cells.slice(start, block["rows"]).select(
                ["row_idx", "col_idx", "value"])
            start += block["rows"]
        if start != cells.num_rows:
            raise ValueError(f"eora26 cells: the block sizes in the metadata add up to {start}, not {cells.num_rows}")
        return
    frame = pl.from_arrow(cells.select(CELL_COLUMNS)).with_columns(pl.col("matrix").cast(pl.String))
    for (year, matrix), part in frame.group_by(["year", "matrix"], maintain_order=True):
        yield int(year), str(matrix), part.select("row_idx", "col_idx", "value").to_arrow()


def store_cells(con, cells: pa.Table, load_id: int) -> int:
    """Store a cells table in the block layout, one table per year and matrix.

    The loader calls it instead of inserting ``eora26_cells`` rows (and :func:`drop_cells`
    instead of deleting them), inside its transaction.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable connection to the warehouse (the caller owns the transaction).
    cells : pyarrow.Table
        Columns :data:`CELL_COLUMNS` (year, matrix, row_idx, col_idx, value), values in
        thousand USD (Q / QY in the satellite's unit), as :func:`.parse.read` returns them;
        a table without ``read``'s block sizes in its schema metadata is split by year and
        matrix.
    load_id : int
        The ``raw.load_log`` id the cells belong to.

    Returns
    -------
    int
        Cells written.

    Raises
    ------
    ValueError
        A null key or value, an unknown matrix, or block sizes that do not add up.
    """
    _ensure_blocks(con)
    written = 0
    for year, matrix, part in _cell_blocks(cells):
        if part.num_rows:
            _store_block(con, part, year, matrix, load_id)
        written += part.num_rows
    refresh_cells_view(con)
    return written


def _store_block(con, part: pa.Table, year: int, matrix: str, load_id: int) -> None:
    if matrix not in MATRICES:
        raise ValueError(f"eora26 cells: unknown matrix {matrix!r} (expected one of {', '.join(MATRICES)})")
    name = _block_table(year, matrix, load_id)
    # through a relation, not con.register: a registered view, even unregistered, keeps its
    # Arrow table alive until the transaction commits (DuckDB's catalog is versioned), so a
    # source of seven full-size years would hold all their cells in memory at once
    con.from_arrow(part).select("row_idx::INTEGER AS row_idx, col_idx::INTEGER AS col_idx, "
                                "value::DOUBLE AS value").create(f"raw.{name}")
    con.execute(f"INSERT INTO raw.{BLOCKS_TABLE} VALUES (?, ?, ?, ?, ?)",
                [int(year), matrix, name, part.num_rows, int(load_id)]).fetchall()


def drop_cells(con, load_id: int) -> int:
    """Remove the blocks of one load (the block layout's DELETE).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable connection to the warehouse.
    load_id : int
        The ``raw.load_log`` id whose cells go.

    Returns
    -------
    int
        Cells removed (0 when the load stored none).
    """
    _ensure_blocks(con)
    blocks = con.execute(f"SELECT table_name, n_cells FROM raw.{BLOCKS_TABLE} WHERE _load_id = ?",
                         [int(load_id)]).fetchall()
    if not blocks:
        return 0
    con.execute(f"DELETE FROM raw.{BLOCKS_TABLE} WHERE _load_id = ?", [int(load_id)]).fetchall()
    refresh_cells_view(con)  # first: the view must not name a dropped table
    for name, _ in blocks:
        con.execute(f"DROP TABLE raw.{name}").fetchall()
    return sum(n for _, n in blocks)
