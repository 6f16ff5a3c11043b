"""bench/ingest_bench.py measures the loader's own path and layout (a smoke run on a small T;
the figures themselves come from `make bench`, never from a test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parents[3] / "bench" / "ingest_bench.py"


def test_ingest_bench_stores_the_loader_block_layout_and_reads_it_back(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH), "--rounds", "1", "--countries", "3", "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    figures = dict(line.split(": ") for line in done.stdout.splitlines() if line.count(": ") == 1)
    assert {"ingest_over_pandas_parse", "readback_speedup_vs_pandas_parse", "eora26_text_mb",
            "warehouse_mb_per_eora26_year"} <= set(figures)
    text = tmp_path / "Eora26_2015_bp" / "Eora26_2015_bp_T.txt"
    expected = pd.read_csv(text, sep="\t", header=None).to_numpy()
    with duckdb.connect(str(tmp_path / "bench.duckdb"), read_only=True) as con:
        kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_schema = 'raw' "
                           "AND table_name = 'eora26_cells'").fetchall()
        blocks = con.execute("SELECT year, matrix, n_cells FROM raw.eora26_blocks").fetchall()
        labels = con.execute("SELECT count(*) FROM raw.eora26_labels WHERE matrix = 'T'").fetchall()[0][0]
    assert kind == [("VIEW",)]  # the block layout, as warehouse.load stores Eora26
    assert blocks == [(2015, "T", int(np.count_nonzero(expected)))]
    assert labels == 2 * expected.shape[0]
