"""Benchmark of the full-size build (issue 13): the synthetic demo at Eora26's real size.

Data: ``greentrade demo --scale full`` (cached in data/demo_full): 189 countries + ROW x 26
sectors (T 4915 x 4915, FD 4915 x 1140), Eora26 years 2010-2016, the CEADs tables of 2010
(30 x 30), 2012, 2015, 2017 (31 x 42). The panel 2010-2019 is built with
``eora_last_year = 2016``, as a user of the free Eora26 release must: 2017-2019 are served by
Eora26 2016 and the 2017 CEADs table, so they share one embedding and one solve (7 distinct
embedded years for 10 panel years). The embedded table has n = 5668 rows (189 countries,
China's 26 sectors replaced by 30 provinces x 26).

Figures printed (each alone on a line, ``name: value``, then the target):
  fullsize_year_over_lu_floor
      (wall time of the MRIO part of the dbt build: the model int_embedded_mrio -- read-back,
      embedding with GRAS, solve, accounts -- and the SQL models that turn its rows into the
      marts: int_embodied_factors_by_destination, int_embedded_mrio_totals,
      int_source_totals_by_year, fct_bilateral_trade_accounts, fct_green_trade_benefit; from
      dbt's run_results.json) / (the number of distinct embedded years) / (the mean of one dense
      float64 LU of each distinct year's I - A, scipy.linalg.lu_factor on a prebuilt Fortran
      array, timed in this run after the build). Target <= 3.
  fullsize_build_peak_rss_over_n2_doubles
      peak resident memory of the whole ``greentrade build`` process tree (greentrade, dbt and
      the Python models it runs in-process, sampled every 20 ms by psutil) / (n * n * 8
      bytes). Target <= 8.
  fullsize_ingest_over_pandas_parse
      ingest of every file of one full-size Eora26 year (T, FD, VA, Q, QY and the labels:
      parse, checks, storage, one transaction, the loader's own path) / pandas' bare parse of
      the same files, the five matrices and the four labels (``pandas.read_csv(sep='\\t',
      header=None)``); fastest of
      ``--rounds`` interleaved rounds. Target <= 1.0.

A table gives, per group of panel years sharing an embedding, where the model's time goes
(read-back, embedding, solve, accounts; from the model's own log lines) beside that year's LU
floor; and the whole build's duration, every data test included.

Run: make bench-full   (or .venv/bin/python bench/fullsize_bench.py [--rounds 3] [--keep DIR])
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import psutil
import scipy.linalg as sla

from greentrade import dbt_models
from greentrade.ingest.config import load_config
from greentrade.ingest.warehouse import load
from greentrade.mrio import embed_provinces, reciprocal_output, total_output
from greentrade.mrio.provincial import with_co2

PROJECT = Path(__file__).resolve().parents[1]
GREENTRADE = str(Path(sys.executable).with_name("greentrade"))
ROOT = PROJECT / "data" / "demo_full"
YEAR = 2015
EORA_LAST_YEAR = 2016
MRIO_NODES = ("int_embedded_mrio", "int_embodied_factors_by_destination", "int_embedded_mrio_totals",
              "int_source_totals_by_year", "fct_bilateral_trade_accounts", "fct_green_trade_benefit")
TARGETS = {"fullsize_year_over_lu_floor": ("<=", 3.0), "fullsize_build_peak_rss_over_n2_doubles": ("<=", 8.0),
           "fullsize_ingest_over_pandas_parse": ("<=", 1.0)}
GROUP_LINE = re.compile(r"\[greentrade\] ([\d/]+) \(Eora26 (\d+), CEADs (\d+)\): (.*)")


class TreeRSS:
    """Peak resident memory of a process and all its descendants, sampled every 20 ms."""

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
                total = 0
                for process in processes:
                    try:
                        total += process.memory_info().rss
                    except psutil.NoSuchProcess:
                        pass
                self.peak = max(self.peak, total)
            except psutil.NoSuchProcess:
                return
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def bench_config(folder: Path, warehouse: Path) -> Path:
    """greentrade.toml with the full demo as the sources root, the bench warehouse and
    eora_last_year = 2016 (everything else as configured)."""
    text = (PROJECT / "greentrade.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^root = .*$', f'root = "{ROOT.as_posix()}"', text, count=1)
    text = re.sub(r'(?m)^path = "warehouse/work.duckdb"$', f'path = "{warehouse.as_posix()}"', text, count=1)
    text = re.sub(r'(?m)^eora_last_year = \d+', f"eora_last_year = {EORA_LAST_YEAR}", text)
    path = folder / "greentrade.toml"
    path.write_text(text, encoding="utf-8")
    return path


def pandas_parse(folder: Path) -> None:
    """pandas' bare parse of every file the loader reads: the five matrices and the four labels."""
    for path in [*sorted(folder.glob("Eora26_*_bp_*.txt")), *sorted(folder.glob("labels_*.txt"))]:
        pd.read_csv(path, sep="\t", header=None)


def ingest_year(folder: Path, db: Path, config) -> None:
    if db.exists():
        db.unlink()
    with duckdb.connect(str(db)) as con:
        load(con, "eora26", path=folder, config=config)


def ingest_ratio(rounds: int, work: Path, config) -> tuple[float, float, float]:
    folder = ROOT / "eora26" / f"Eora26_{YEAR}_bp"
    pandas_times, greentrade_times = [], []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        pandas_parse(folder)
        pandas_times.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        ingest_year(folder, work / "ingest.duckdb", config)
        greentrade_times.append(time.perf_counter() - start)
    return min(greentrade_times) / min(pandas_times), min(greentrade_times), min(pandas_times)


def run_build(config_path: Path, warehouse: Path, env: dict) -> dict:
    """Ingest the full demo (not timed as a figure) and run ``greentrade build`` with its
    process tree's memory sampled. Returns timings, peak RSS and the model's group lines."""
    env = {**env, "GREENTRADE_CONFIG": str(config_path), "GREENTRADE_WAREHOUSE": str(warehouse),
           "GREENTRADE_PROGRESS": "0"}
    start = time.perf_counter()
    subprocess.run([GREENTRADE, "ingest"], env=env, check=True, stdout=subprocess.DEVNULL)
    ingest_s = time.perf_counter() - start
    start = time.perf_counter()
    build = subprocess.Popen([GREENTRADE, "build"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, cwd=PROJECT)
    rss = TreeRSS(build.pid)
    output = build.stdout.read()
    code = build.wait()
    peak = rss.stop()
    build_s = time.perf_counter() - start
    if code != 0:
        sys.stdout.write(output[-5000:])
        raise SystemExit(f"greentrade build failed (exit {code})")
    # greentrade build keeps dbt's artifacts beside the warehouse (cli.run_dbt)
    results = json.loads((warehouse.parent / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))
    node_s = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results["results"]
              if r["unique_id"].startswith("model.")}
    groups = [m.groups() for m in map(GROUP_LINE.search, output.splitlines()) if m]
    return {"ingest_s": ingest_s, "build_s": build_s, "peak_rss": peak, "node_s": node_s, "groups": groups}


def lu_floors(warehouse: Path, groups: list[tuple], settings: dict) -> tuple[int, dict[int, float]]:
    """One float64 LU of each distinct embedded year's I - A (the year re-embedded from the
    built warehouse, outside the timer). Returns n and {eora_year: seconds}."""
    floors, n = {}, 0
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.sql("select * from intermediate.int_source_tables_by_year").df()
        sources = dbt_models.WarehouseSources(
            eora_cells=con.sql("select * from staging.stg_eora26__cells"),
            eora_labels=con.sql("select * from staging.stg_eora26__labels"),
            io_cells=con.sql("select * from intermediate.int_ceads_io_cells_mapped_to_eora26"),
            emissions=con.sql("select * from intermediate.int_emissions_by_province_sector"),
            eora26_sectors=con.sql("select * from reference.eora26_sectors"),
            provinces=con.sql("select * from reference.provinces"),
            final_use=con.sql("select * from reference.concordance_ceads_final_use_to_eora26"))
        sectors = pd.Series(con.sql("select eora_sector_code from reference.eora26_sectors").df()["eora_sector_code"])
        years = [int(y) for y in tables["year"]]
        for group in dbt_models.source_groups(tables, years):
            world = sources.world(group.eora_year, settings.get("co2_satellite"), "CHN")
            table = sources.provincial(group, sectors.tolist())
            provincial = with_co2(table, sources.co2(group.years[0], table.Z.index))
            va_rows = [f for f in world.mrio.F.index if f != "CO2"]
            embedded = embed_provinces(world.mrio, provincial, china="CHN",
                                       settings=dbt_models.embedding_settings(va_rows, settings.get("province_co2",
                                                                                               "ceads_levels"))).mrio
            Z = embedded.Z.to_numpy()
            n = Z.shape[0]
            inv_x = reciprocal_output(total_output(Z, embedded.Y.to_numpy()))
            M = np.array(Z, order="F", copy=True)
            del world, embedded, Z
            M *= -inv_x[np.newaxis, :]
            M[np.diag_indices(n)] += 1.0
            gc.collect()
            start = time.perf_counter()
            sla.lu_factor(M, overwrite_a=True, check_finite=False)
            floors[group.eora_year] = time.perf_counter() - start
            del M
            gc.collect()
    return n, floors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the ingest comparison")
    parser.add_argument("--keep", type=Path, help="keep the bench warehouse in this folder")
    args = parser.parse_args()

    print("[bench] full-size demo (cached):", flush=True)
    subprocess.run([GREENTRADE, "demo", "--scale", "full"], check=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="greentrade_fullsize_"))
    work.mkdir(parents=True, exist_ok=True)
    warehouse = work / "work.duckdb"
    for stale in (warehouse, work / "greentrade.duckdb"):
        if stale.exists():
            stale.unlink()
    config_path = bench_config(work, warehouse)
    config = load_config(path=config_path, env={})
    print(f"[bench] load average {os.getloadavg()[0]:.2f}; ingest comparison ({args.rounds} rounds, Eora26 {YEAR})",
          flush=True)
    ratio, greentrade_s, pandas_s = ingest_ratio(args.rounds, work, config)
    print("[bench] full ingest and build (every data test)", flush=True)
    build = run_build(config_path, warehouse, dict(os.environ))
    print("[bench] LU floors of each distinct embedded year", flush=True)
    n, floors = lu_floors(warehouse, build["groups"], config.settings)

    mrio_s = sum(build["node_s"].get(node, 0.0) for node in MRIO_NODES)
    distinct = len(build["groups"])
    mean_floor = float(np.mean(list(floors.values())))
    figures = {
        "fullsize_year_over_lu_floor": mrio_s / distinct / mean_floor,
        "fullsize_build_peak_rss_over_n2_doubles": build["peak_rss"] / (n * n * 8),
        "fullsize_ingest_over_pandas_parse": ratio,
    }
    print()
    print(f"n = {n} (embedded), {distinct} distinct embedded years for {sum(len(g[0].split('/')) for g in build['groups'])} "
          f"panel years; load average {os.getloadavg()[0]:.2f}")
    print(f"ingest of Eora26 {YEAR}: greentrade {greentrade_s:.2f} s, pandas parse {pandas_s:.2f} s")
    print(f"full ingest {build['ingest_s']:.1f} s; dbt build {build['build_s']:.1f} s (every model and data test); "
          f"peak RSS of the build's process tree {build['peak_rss'] / 2**30:.2f} GiB = "
          f"{build['peak_rss'] / (n * n * 8):.2f} n^2 doubles")
    print("MRIO part of the build (run_results.json): " + ", ".join(
        f"{node} {build['node_s'].get(node, 0.0):.1f} s" for node in MRIO_NODES) + f"; total {mrio_s:.1f} s")
    print()
    print("| panel years | Eora26 | CEADs | read-back | embedding | (GRAS sweeps x ms) | solve | accounts | model total "
          "| LU floor | model / floor |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for years, eora, ceads, steps in build["groups"]:
        parts = dict(re.findall(r"([a-z-]+) ([\d.]+)s\b", steps))
        sweeps = re.search(r"GRAS (\d+) sweeps of ([\d.]+) ms", steps)
        total = sum(float(v) for v in parts.values())
        floor = floors.get(int(eora), float("nan"))
        print(f"| {years} | {eora} | {ceads} | {parts.get('read-back', '')} | {parts.get('embedding', '')} | "
              f"{sweeps.group(1)} x {sweeps.group(2)} | {parts.get('solve', '')} | {parts.get('accounts', '')} | "
              f"{total:.2f} | {floor:.2f} | "
              f"{total / floor:.2f} |")
    print()
    for name, value in figures.items():
        op, target = TARGETS[name]
        met = value <= target
        print(f"{name}: {value:.3f}")
        print(f"  target {op} {target:g}: {'met' if met else 'NOT met'}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
