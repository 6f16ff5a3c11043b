"""Benchmark of the Eora26 ingest on a full-size synthetic T (4915 x 4915).

The file: 189 countries x 26 sectors + the ROW discrepancy row/column, about half the cells
zero, non-zero flows lognormal around a few thousand thousand-USD (world T ~ 5e10 thousand
USD, as Eora's), written with six significant digits and ``0`` for zeros (~115 MB), into a
temporary folder.

Timed, interleaved (pandas, greentrade, read-back; five rounds; the minimum of each, which
estimates the intrinsic cost when other jobs share the cores, as timeit does):

- pandas: ``pandas.read_csv(path, sep='\\t', header=None)`` -- what pymrio does -- parse only;
- greentrade ingest, table layout: a fresh DuckDB file, ``ensure_schema``, the T labels and
  :func:`greentrade.ingest.eora26.load_matrix` (parse, checks, non-zero cells into the table
  ``raw.eora26_cells``), closed (checkpointed) -- parse + persist;
- the same in the block layout, the loader's (:func:`greentrade.ingest.eora26.load_matrix_blocks`,
  see docs/eora26_storage.md);
- read-back: :func:`greentrade.ingest.eora26.read_year_arrays` of that year's T into a dense
  numpy array (checked equal to the pandas parse, both layouts).

Figures printed (each alone on a line):
  ingest_over_pandas_parse            greentrade parse + persist / pandas parse (target <= 1), in
                                      the layout the loader uses (blocks since eora26_cells left
                                      warehouse.RAW_TABLES, else table); both are printed as well
  readback_speedup_vs_pandas_parse    pandas parse / greentrade read-back (target >= 2)
  eora26_text_mb                      size of the T text file, MB (1e6 bytes)
  warehouse_mb_per_eora26_year        size of the DuckDB file holding that year's T and its
                                      labels, MB (target <= eora26_text_mb)

Run: .venv/bin/python bench/ingest_bench.py [--rounds 5] [--keep DIR] [--matrix-enum]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from greentrade.ingest import eora26
from greentrade.ingest.warehouse import RAW_TABLES, ensure_schema

N_COUNTRIES, N_SECTORS = 189, 26
N = N_COUNTRIES * N_SECTORS + 1  # 4915 with the ROW entry
YEAR = 2015


def synthetic_t(seed: int = 2015) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = rng.lognormal(5.2, 2.5, (N, N))
    t[rng.random((N, N)) < 0.5] = 0.0
    t[-1, :] = rng.normal(0.0, 50.0, N)  # the ROW discrepancy: small, either sign
    t[:, -1] = rng.normal(0.0, 50.0, N)
    return t


def write_t(path: Path, t: np.ndarray) -> None:
    with open(path, "w", newline="\n") as handle:
        np.savetxt(handle, t, fmt="%.6g", delimiter="\t")


def t_labels() -> pd.DataFrame:
    rows = [(f"Country {c:03d}", f"C{c:02d}" if c < 100 else f"D{c - 100:02d}", "Industries", f"Sector {s:02d}")
            for c in range(N_COUNTRIES) for s in range(N_SECTORS)]
    rows.append(("ROW", "ROW", "TOTAL", "TOTAL"))
    frame = pd.DataFrame(rows, columns=eora26.LABEL_COLUMNS)
    return eora26.label_rows(YEAR, {"T": frame}, matrices=("T",))


def timed(function, *args) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds of this process (all threads) and the result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def pandas_parse(path: Path) -> None:
    pd.read_csv(path, sep="\t", header=None)


MATRIX_ENUM = "ENUM('T', 'FD', 'VA', 'Q', 'QY')"


def ingest(path: Path, db: Path, labels: pd.DataFrame, matrix_enum: bool = False, blocks: bool = False) -> None:
    with duckdb.connect(str(db)) as con:
        if matrix_enum:  # the table layout with matrix as an ENUM (docs/eora26_storage.md)
            eora26.ensure_cells_table(con, matrix_type=MATRIX_ENUM)
        ensure_schema(con)
        eora26.persist_arrow(con, "eora26_labels", pa.Table.from_pandas(labels, preserve_index=False), 1)
        if blocks:
            eora26.load_matrix_blocks(con, path, YEAR, "T", (N, N), load_id=1)
        else:
            eora26.load_matrix(con, path, YEAR, "T", (N, N), load_id=1)


def read_back(con) -> np.ndarray:
    return eora26.read_year_arrays(con, YEAR, matrices=("T",))["T"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--matrix-enum", action="store_true",
                        help="table layout: store raw.eora26_cells.matrix as an ENUM instead of a VARCHAR")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="greentrade_ingest_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    text, db = folder / f"Eora26_{YEAR}_bp_T.txt", folder / "bench.duckdb"
    try:
        start = time.perf_counter()
        t = synthetic_t()
        write_t(text, t)
        print(f"wrote {text.name}: {N} x {N}, {np.count_nonzero(t) / t.size:.0%} non-zero, "
              f"{os.path.getsize(text) / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
        expected = pd.read_csv(text, sep="\t", header=None).to_numpy()  # also warms the page cache
        del t
        labels = t_labels()

        steps = ["pandas", "ingest", "blocks", "readback"]
        times: dict[str, list[float]] = {k: [] for k in steps}
        cpu: dict[str, list[float]] = {k: [] for k in steps}

        def record(key, function, *call_args):
            gc.collect()
            wall, seconds, result = timed(function, *call_args)
            times[key].append(wall)
            cpu[key].append(seconds)
            return result

        for _ in range(args.rounds):
            record("pandas", pandas_parse, text)
            for file in (db, Path(f"{db}.wal")):
                file.unlink(missing_ok=True)
            record("ingest", ingest, text, db, labels, args.matrix_enum)
            with duckdb.connect(str(db), read_only=True) as con:
                dense = record("readback", read_back, con)
            if not np.array_equal(dense, expected):
                raise SystemExit("read-back differs from the pandas parse of the same file")
            del dense
            blocks_db = db.with_name("bench_blocks.duckdb")
            blocks_db.unlink(missing_ok=True)
            record("blocks", ingest, text, blocks_db, labels, False, True)
            with duckdb.connect(str(blocks_db), read_only=True) as con:
                if not np.array_equal(read_back(con), expected):
                    raise SystemExit("block-layout read-back differs from the pandas parse of the same file")
        best = {k: min(v) for k, v in times.items()}
        print(f"{'wall s':10s} " + " ".join(f"{'round ' + str(i + 1):>9s}" for i in range(args.rounds)) + "      best")
        for key, values in times.items():
            print(f"{key:10s} " + " ".join(f"{v:9.3f}" for v in values) + f" {best[key]:9.3f}")
        print("cpu s (all threads; more than wall where work runs on both cores)")
        for key, values in cpu.items():
            print(f"{key:10s} " + " ".join(f"{v:9.3f}" for v in values) + f" {min(values):9.3f}")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"load average {load:.2f} on {os.cpu_count()} cores (other jobs sharing the cores slow the "
              f"two-core greentrade steps more than single-core pandas)")
        in_use = "ingest" if "eora26_cells" in RAW_TABLES else "blocks"  # the loader's layout
        text_mb = os.path.getsize(text) / 1e6
        db_mb = os.path.getsize(db if in_use == "ingest" else db.with_name("bench_blocks.duckdb")) / 1e6
        with duckdb.connect(str(db), read_only=True) as con:
            cells = con.execute("SELECT count(*) FROM raw.eora26_cells").fetchone()[0]
        print(f"{cells} non-zero cells stored")
        print(f"ingest_over_pandas_parse_table_layout: {best['ingest'] / best['pandas']:.3f}")
        print(f"ingest_over_pandas_parse_block_layout: {best['blocks'] / best['pandas']:.3f}")
        print(f"layout used by the loader: {'table' if in_use == 'ingest' else 'blocks'}")
        print(f"ingest_over_pandas_parse: {best[in_use] / best['pandas']:.3f}")
        print(f"readback_speedup_vs_pandas_parse: {best['pandas'] / best['readback']:.2f}")
        print(f"eora26_text_mb: {text_mb:.1f}")
        print(f"warehouse_mb_per_eora26_year: {db_mb:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
