"""Benchmark of the Eora26 ingest on a full-size synthetic T (4915 x 4915).

The file: 189 countries x 26 sectors + the ROW discrepancy row/column, about half the cells
zero, non-zero flows lognormal around a few thousand thousand-USD (world T ~ 5e10 thousand
USD, as Eora's), written with six significant digits and ``0`` for zeros (~115 MB), into a
temporary folder.

Timed, interleaved (pandas, greentrade, read-back; five rounds; the minimum of each, which
estimates the intrinsic cost when other jobs share the cores, as timeit does):

- pandas: ``pandas.read_csv(path, sep='\\t', header=None)`` -- what pymrio does -- parse only;
- greentrade ingest, what the loader does with a year folder holding T: a fresh DuckDB file
  (``warehouse.connect``, ``ensure_schema``), :func:`greentrade.ingest.eora26.read_year` of T
  (labels, parse, checks, the load message), its raw tables stored by the loader's own insert
  (``warehouse._insert``: the labels into ``raw.eora26_labels``, the cells in the block layout
  through :func:`greentrade.ingest.eora26.store_cells`), closed (checkpointed) -- parse + persist;
- read-back: :func:`greentrade.ingest.eora26.read_year_arrays` of that year's T into a dense
  numpy array (checked equal to the pandas parse).

Figures printed (each alone on a line):
  ingest_over_pandas_parse            greentrade parse + persist / pandas parse (target <= 1)
  readback_speedup_vs_pandas_parse    pandas parse / greentrade read-back (target >= 2)
  eora26_text_mb                      size of the T text file, MB (1e6 bytes)
  warehouse_mb_per_eora26_year        size of the DuckDB file holding that year's T and its
                                      labels, MB (target <= eora26_text_mb)

Run: .venv/bin/python bench/ingest_bench.py [--rounds 5] [--keep DIR] [--countries 189]
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

from greentrade.ingest import eora26, warehouse
from greentrade.ingest.eora26_labels import LABEL_FILES

N_COUNTRIES, N_SECTORS = 189, 26  # Eora26's; --countries makes a smaller T (a smoke run)
YEAR = 2015


def synthetic_t(countries: int = N_COUNTRIES, seed: int = 2015) -> np.ndarray:
    n = countries * N_SECTORS + 1  # 4915 with the ROW entry
    rng = np.random.default_rng(seed)
    t = rng.lognormal(5.2, 2.5, (n, n))
    t[rng.random((n, n)) < 0.5] = 0.0
    t[-1, :] = rng.normal(0.0, 50.0, n)  # the ROW discrepancy: small, either sign
    t[:, -1] = rng.normal(0.0, 50.0, n)
    return t


def write_t(path: Path, t: np.ndarray) -> None:
    with open(path, "w", newline="\n") as handle:
        np.savetxt(handle, t, fmt="%.6g", delimiter="\t")


def write_labels(folder: Path, countries: int = N_COUNTRIES) -> None:
    """The four label files of the year folder: T's 4915 lines as Eora's (189 countries x 26
    sectors and the ROW entry); FD, VA and Q, whose matrices the bench does not read, short."""
    rows = [f"Country {c:03d}\t{f'C{c:02d}' if c < 100 else f'D{c - 100:02d}'}\tIndustries\tSector {s:02d}"
            for c in range(countries) for s in range(N_SECTORS)]
    lines = {"T": rows + ["ROW\tROW\tTOTAL\tTOTAL"],
             "FD": [f"Country 000\tC00\tFinal Demand\tCategory {k}" for k in range(6)],
             "VA": [f"Primary Inputs\tItem {k}" for k in range(6)],
             "Q": ["Total CO2 emissions (Gg) from EDGAR\tTotal"]}
    for kind, name in LABEL_FILES.items():
        (folder / name).write_text("\n".join(lines[kind]) + "\n", encoding="utf-8")


def timed(function, *args) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds of this process (all threads) and the result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def pandas_parse(path: Path) -> None:
    pd.read_csv(path, sep="\t", header=None)


def ingest(folder: Path, db: Path) -> None:
    """What ``warehouse.load`` does with the year folder, less the load log and the change
    record: read (labels, parse, checks) and store both raw tables, in the loader's layout."""
    with warehouse.connect(db) as con:
        warehouse.ensure_schema(con)
        tables = eora26.read_year(folder, YEAR, matrices=("T",)).tables()
        for table, rows in tables.items():
            warehouse._insert(con, table, rows, 1, folder)  # the loader's own insert (blocks for the cells)


def read_back(con) -> np.ndarray:
    return eora26.read_year_arrays(con, YEAR, matrices=("T",))["T"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--countries", type=int, default=N_COUNTRIES,
                        help="countries of the synthetic T (default Eora26's 189: 4915 x 4915)")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="greentrade_ingest_bench_"))
    folder = root / f"Eora26_{YEAR}_bp"
    folder.mkdir(parents=True, exist_ok=True)
    text, db = eora26.matrix_file(folder, YEAR, "T"), root / "bench.duckdb"
    try:
        start = time.perf_counter()
        t = synthetic_t(args.countries)
        write_t(text, t)
        write_labels(folder, args.countries)
        print(f"wrote {text.name}: {t.shape[0]} x {t.shape[1]}, {np.count_nonzero(t) / t.size:.0%} non-zero, "
              f"{os.path.getsize(text) / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
        expected = pd.read_csv(text, sep="\t", header=None).to_numpy()  # also warms the page cache
        del t

        steps = ["pandas", "ingest", "readback"]
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
            record("ingest", ingest, folder, db)
            with duckdb.connect(str(db), read_only=True) as con:
                dense = record("readback", read_back, con)
            if not np.array_equal(dense, expected):
                raise SystemExit("read-back differs from the pandas parse of the same file")
            del dense
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
        with duckdb.connect(str(db), read_only=True) as con:
            cells = con.execute("SELECT count(*) FROM raw.eora26_cells").fetchone()[0]
            blocks = con.execute("SELECT count(*) FROM raw.eora26_blocks").fetchone()[0]
        print(f"{cells} non-zero cells stored in {blocks} block (the loader's layout)")
        print(f"ingest_over_pandas_parse: {best['ingest'] / best['pandas']:.3f}")
        print(f"readback_speedup_vs_pandas_parse: {best['pandas'] / best['readback']:.2f}")
        print(f"eora26_text_mb: {os.path.getsize(text) / 1e6:.1f}")
        print(f"warehouse_mb_per_eora26_year: {os.path.getsize(db) / 1e6:.1f}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
