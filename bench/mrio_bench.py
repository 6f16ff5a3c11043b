"""Benchmark of the MRIO solve on a full-size synthetic embedded table.

System: Eora26's 189 countries with China replaced by 30 provinces = 218 regions x 26
sectors = 5668 rows, 6 final-demand categories per region (1308 columns), 6 value-added
rows (one of them negative, as Eora's subsidies) and one CO2 row. Ten years are generated
and processed one at a time, so memory does not grow with the number of years.

Per year, greentrade computes every bilateral account: VA and CO2 of each origin
region-sector embodied in each destination region's final demand (n x 218 per factor) and
their origin-region x destination-region totals (218 x 218), from which VEX / VIM / CEX /
CIM of any region against any partner group are sums. The solve is greentrade's default
(precision='auto': float32 LU + float64 iterative refinement, each solve verified by a
float64 residual to a certified relative forward error <= 1e-12 per column, float64 LU as
fallback); the table shows the method, the refinement steps and the worst certified bound.

Figures printed (each alone on a line):
  mrio_time_over_lu_floor           fastest greentrade year / fastest LU floor, where the floor
                                    is one float64 dense LU of that year's I - A
                                    (scipy.linalg.lu_factor = dgetrf on a prebuilt Fortran
                                    array, overwrite_a=True, check_finite=False) timed just
                                    before greentrade's run. Minima estimate the intrinsic cost
                                    when other jobs share the cores (as timeit does); the table
                                    also shows the median of the yearly ratios
  mrio_speedup_vs_pymrio            pymrio 0.7.0 IOSystem.calc_all on year 1 as a user calls it
                                    (same Z, Y and an extension holding the six VA rows and the
                                    CO2 row; IOSystem built outside the timer, as greentrade's
                                    inputs are; fastest of --pymrio-repeats runs), in units of
                                    the fastest float64 LU floor timed just before each run,
                                    divided by greentrade's time in LU floors (as above): a
                                    ratio of times that stays meaningful when other jobs share
                                    the two cores. pymrio's raw seconds are printed too, and
                                    its D_cba_reg is compared with greentrade's sums
  mrio_peak_memory_over_n2_doubles  (peak RSS while streaming the ten years - RSS before the
                                    first year's data exist) / (n * n * 8 bytes). RSS is
                                    sampled every millisecond by a psutil thread; the figure
                                    includes the year's own input data (Z is 1 n^2 by itself),
                                    its generation and the solve.

The table also times greentrade's float64 path (precision='float64', dgetrf + dgetrs) on
year 1 as a reference, interleaved with the floor and the default path (before the
streaming phase, so its memory is not counted), and prints the load average and the
OpenBLAS thread counts.

Run: .venv/bin/python bench/mrio_bench.py [--years 10] [--skip-pymrio] [--pymrio-repeats 2]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import glob
import os
import statistics
import threading
import time

import numpy as np
import pandas as pd
import psutil
import scipy.linalg as sla

from greentrade.mrio import (
    coefficients,
    reciprocal_output,
    solve_by_destination,
    sum_by_origin_region,
    sum_columns_by_group,
    total_output,
)

N_REGIONS = 189 - 1 + 30
N_SECTORS = 26
N_CATEGORIES = 6
INVENTORY_CATEGORY = 4  # Eora's "changes in inventories"
VA_ROWS = ["compensation", "taxes_on_production", "subsidies", "net_operating_surplus",
           "net_mixed_income", "consumption_of_fixed_capital"]
VA_SHARES = np.array([0.45, 0.08, -0.02, 0.30, 0.07, 0.12])


class PeakRSS:
    """Samples the process RSS every ``interval`` seconds in a thread; ``peak`` is the max
    over the samples taken while ``active`` (paused while the LU floor's copy exists)."""

    def __init__(self, interval: float = 0.001):
        self.process = psutil.Process()
        self.interval = interval
        self.peak = self.process.memory_info().rss
        self.active = True
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.active:
                self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def synthetic_year(year: int, base_seed: int = 2010) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A balanced, productive table with Eora-like scales (thousand USD; CO2 in tonnes).

    Region sizes are lognormal (a few giants, many small economies); domestic blocks are
    dense, foreign blocks sparse (~40 % zeros) and weighted by a gravity term. Z is built
    in place in one Fortran-ordered n x n array; rows and columns are scaled alternately to
    intermediate-sales shares alpha in [0.3, 0.7] and input shares beta in [0.35, 0.65],
    with the rows exact at the end, so x = Z 1 + Y 1 and VA = x - 1'Z > 0.
    """
    rng = np.random.default_rng(base_seed + year)
    R, S, K = N_REGIONS, N_SECTORS, N_CATEGORIES
    n = R * S
    region = np.repeat(np.arange(R), S)
    size = rng.lognormal(0.0, 1.6, R)
    size *= 1.5e11 / (size.sum() * S)  # world output ~ 150 trillion USD in thousand USD
    x = np.repeat(size, S) * rng.lognormal(0.0, 0.9, n)
    gravity = np.sqrt(size / size.mean())

    Z = rng.random((n, n)).T  # Fortran-ordered view of a fresh C array
    for q in range(R):
        block = Z[:, q * S:(q + 1) * S]
        np.power(block, 3, out=block)
        weight = 0.04 * gravity * gravity[q]
        weight[q] = 1.0
        block[(block < 0.064) & (region != q)[:, np.newaxis]] = 0.0
        block *= (weight[region] * x)[:, np.newaxis]
    alpha = rng.uniform(0.3, 0.7, n)
    beta = rng.uniform(0.35, 0.65, n)
    beta *= (alpha * x).sum() / (beta * x).sum()
    for _ in range(6):
        Z *= (beta * x / Z.sum(axis=0))[np.newaxis, :]
        Z *= (alpha * x / Z.sum(axis=1))[:, np.newaxis]

    m = R * K
    destination = np.repeat(np.arange(R), K)
    Y = rng.random((m, n)).T  # Fortran-ordered
    Y *= gravity[destination][np.newaxis, :]
    for r in range(R):  # final demand is mostly domestic
        Y[r * S:(r + 1) * S, r * K:(r + 1) * K] *= 40.0
    inventory = np.arange(m) % K == INVENTORY_CATEGORY
    Y[:, inventory] *= np.where(rng.random((n, inventory.sum())) < 0.3, -0.2, 0.2)
    Y *= ((1.0 - alpha) * x / Y.sum(axis=1))[:, np.newaxis]

    va = x - Z.sum(axis=0)
    F = np.vstack([np.outer(VA_SHARES, va), va * rng.lognormal(-1.0, 1.0, n)[np.newaxis, :]])
    return Z, Y, F


def greentrade_year(Z: np.ndarray, Y: np.ndarray, F: np.ndarray, precision: str = "auto") -> dict:
    """Every bilateral VA and CO2 account of one year (Z may be destroyed).

    The same steps as ``embodied_by_destination`` (x, Y by destination, one solve for the
    218 destination columns, intensities times X), with the solve's diagnostics kept."""
    n = Z.shape[0]
    region = np.repeat(np.arange(N_REGIONS), N_SECTORS)
    destination = np.repeat(np.arange(N_REGIONS), N_CATEGORIES)
    x = total_output(Z, Y)
    y_r = sum_columns_by_group(Y, destination, N_REGIONS)
    factors = np.vstack([F[:len(VA_ROWS)].sum(axis=0), F[len(VA_ROWS):].sum(axis=0)])
    f = coefficients(factors, x)
    X, info = solve_by_destination(Z, x, y_r, overwrite_z=True, precision=precision, return_info=True)
    embodied = f[:, :, np.newaxis] * X[np.newaxis, :, :]  # 2 x n x 218
    by_region = sum_by_origin_region(embodied, region, N_REGIONS)  # 2 x 218 x 218
    assert embodied.shape == (2, n, N_REGIONS)
    return {"va_by_sector": embodied[0], "co2_by_sector": embodied[1],
            "va": by_region[0], "co2": by_region[1], "x": x, "info": info}


def blas_threads() -> str:
    """OpenBLAS thread counts of numpy's and scipy's BLAS libraries (both must use every core)."""
    found = []
    site = os.path.dirname(os.path.dirname(np.__file__))
    for path in sorted(glob.glob(os.path.join(site, "numpy.libs", "*openblas*"))
                       + glob.glob(os.path.join(site, "scipy.libs", "*openblas*"))):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads"):
            if hasattr(lib, name):
                found.append(f"{os.path.basename(path).split('-')[0]}={getattr(lib, name)()}")
    return ", ".join(found) or "unknown"


def lu_floor(Z: np.ndarray, Y: np.ndarray, cpu: list | None = None) -> float:
    """Time of scipy.linalg.lu_factor on a prebuilt Fortran I - A of this year (the floor);
    its process CPU time (all threads) is appended to ``cpu`` if given."""
    inv_x = reciprocal_output(total_output(Z, Y))
    M = np.array(Z, order="F", copy=True)
    M *= -inv_x[np.newaxis, :]
    M[np.diag_indices(M.shape[0])] += 1.0
    start, start_cpu = time.perf_counter(), time.process_time()
    sla.lu_factor(M, overwrite_a=True, check_finite=False)
    elapsed = time.perf_counter() - start
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    del M
    gc.collect()
    return elapsed


def pymrio_year(Z: np.ndarray, Y: np.ndarray, F: np.ndarray) -> tuple[float, float, pd.DataFrame, float]:
    """Time, peak extra RSS, VA/CO2 by destination (D_cba_reg) and CPU time of pymrio's
    calc_all."""
    import pymrio

    regions = [f"R{r:03d}" for r in range(N_REGIONS)]
    rows = pd.MultiIndex.from_product([regions, [f"S{s:02d}" for s in range(N_SECTORS)]],
                                      names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, [f"C{k}" for k in range(N_CATEGORIES)]],
                                      names=["region", "category"])
    factors = pd.Index(VA_ROWS + ["CO2"], name="stressor")
    io = pymrio.IOSystem(Z=pd.DataFrame(Z, index=rows, columns=rows), Y=pd.DataFrame(Y, index=rows, columns=cols),
                         factors={"name": "factors", "F": pd.DataFrame(F, index=factors, columns=rows)})
    gc.collect()
    base = psutil.Process().memory_info().rss
    with PeakRSS() as peak:
        start, start_cpu = time.perf_counter(), time.process_time()
        io.calc_all()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - start_cpu
    by_destination = io.factors.D_cba_reg.copy()
    del io
    gc.collect()
    return elapsed, peak.peak - base, by_destination, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--skip-pymrio", action="store_true")
    parser.add_argument("--pymrio-repeats", type=int, default=2)
    parser.add_argument("--float64-repeats", type=int, default=2,
                        help="interleaved floor / default / float64-path runs on year 1 (reference)")
    args = parser.parse_args()
    n = N_REGIONS * N_SECTORS
    n2_bytes = n * n * 8.0
    load_start = os.getloadavg()

    pymrio_time = pymrio_mem = pymrio_floor = agreement = float("nan")
    pymrio_times: list[float] = []
    pymrio_cpu_ratio = float("nan")
    f64_ratio = f64_time = float("nan")
    if not args.skip_pymrio:
        Z, Y, F = synthetic_year(0)
        runs = []
        floor_cpu: list[float] = []
        for _ in range(args.pymrio_repeats):
            floor_before = lu_floor(Z, Y, floor_cpu)  # adjacent to pymrio: same machine load
            elapsed, extra_memory, reference, cpu = pymrio_year(Z, Y, F)
            runs.append((floor_before, elapsed, extra_memory, cpu))
        pymrio_cpu_ratio = min(run[3] for run in runs) / min(floor_cpu)
        pymrio_floor = min(run[0] for run in runs)
        pymrio_times = [run[1] for run in runs]
        pymrio_time = min(pymrio_times)
        pymrio_mem = max(run[2] for run in runs)
        check = greentrade_year(np.array(Z, order="F", copy=True), Y, F)
        mine = np.vstack([check["va"].sum(axis=0), check["co2"].sum(axis=0)])
        theirs = np.vstack([reference.iloc[:len(VA_ROWS)].to_numpy().sum(axis=0), reference.iloc[-1].to_numpy()])
        agreement = float(np.max(np.abs(mine - theirs) / np.abs(theirs)))
        del check, reference
    else:
        Z, Y, F = synthetic_year(0)
    # reference: greentrade's float64 path (dgetrf + dgetrs) against the default, interleaved
    pair_floor, pair_default, pair_f64 = [], [], []
    for _ in range(args.float64_repeats):
        pair_floor.append(lu_floor(Z, Y))
        for precision, out in (("auto", pair_default), ("float64", pair_f64)):
            Zc = np.array(Z, order="F", copy=True)
            start = time.perf_counter()
            greentrade_year(Zc, Y, F, precision=precision)
            out.append(time.perf_counter() - start)
            del Zc
    if pair_floor:
        f64_time = min(pair_f64)
        f64_ratio = f64_time / min(pair_floor)
    del Z, Y, F
    gc.collect()
    try:  # return freed heap memory to the OS so that the baseline RSS is not inflated
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass

    # The machine may be shared: each year's floor is measured on that year's matrix just
    # before greentrade's run, and the ratio is taken year by year.
    process = psutil.Process()
    baseline = process.memory_info().rss
    times, floors, closure, infos, cpu_times, cpu_floors = [], [], [], [], [], []
    with PeakRSS() as peak:
        for year in range(args.years):
            Z, Y, F = synthetic_year(year)
            peak.active = False
            floors.append(lu_floor(Z, Y, cpu_floors))
            peak.active = True
            va_total = F[:len(VA_ROWS)].sum()
            start, start_cpu = time.perf_counter(), time.process_time()
            accounts = greentrade_year(Z, Y, F)
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - start_cpu)
            closure.append(abs(accounts["va"].sum() - va_total) / abs(va_total))
            infos.append(accounts["info"])
            del Z, Y, F, accounts
    load_end = os.getloadavg()
    per_year = statistics.median(times)
    floor = statistics.median(floors)
    ratio_median = statistics.median(t / f for t, f in zip(times, floors))
    # Under load, the least-disturbed run estimates the intrinsic cost (as timeit does):
    ratio = min(times) / min(floors)
    speedup = (pymrio_time / pymrio_floor) / ratio
    peak_ratio = (peak.peak - baseline) / n2_bytes
    cpu_ratio = min(cpu_times) / min(cpu_floors)
    methods = sorted({info.method for info in infos})
    steps = sorted({info.refinement_steps for info in infos})
    bound = max(info.error_bound for info in infos)
    fallbacks = [info.fallback for info in infos if info.fallback]

    print(f"MRIO bench: n = {n} ({N_REGIONS} regions x {N_SECTORS} sectors), "
          f"{N_REGIONS * N_CATEGORIES} final-demand columns, {args.years} years streamed")
    print(f"machine: {os.cpu_count()} cores, OpenBLAS threads {blas_threads()}; load average "
          f"(1/5/15 min) {load_start[0]:.1f}/{load_start[1]:.1f}/{load_start[2]:.1f} at start, "
          f"{load_end[0]:.1f}/{load_end[1]:.1f}/{load_end[2]:.1f} at end")
    print(f"{'step':<50}{'seconds':>10}{'x LU floor':>12}")
    print(f"{'float64 dense LU of I - A (scipy lu_factor): floor':<50}{floor:>10.2f}{1.0:>12.2f}"
          f"   (min {min(floors):.2f}, max {max(floors):.2f})")
    print(f"{'greentrade per year, median of yearly ratios':<50}{per_year:>10.2f}{ratio_median:>12.2f}"
          f"   (min {min(times):.2f}, max {max(times):.2f})")
    print(f"{'greentrade per year, fastest / fastest floor':<50}{min(times):>10.2f}{ratio:>12.2f}")
    print(f"{'greentrade float64 path, year 1 (reference)':<50}{f64_time:>10.2f}{f64_ratio:>12.2f}"
          f"   (fastest of {len(pair_f64)}, interleaved with the floor and the default: "
          f"default {min(pair_default, default=float('nan')) / min(pair_floor, default=float('nan')):.2f})")
    print(f"{'pymrio 0.7.0 calc_all, year 1 (fastest run)':<50}{pymrio_time:>10.2f}{pymrio_time / pymrio_floor:>12.2f}"
          f"   (runs {', '.join(f'{t:.2f}' for t in pymrio_times)}; floor {pymrio_floor:.2f})")
    print(f"process CPU time (all threads) in LU-floor CPU units, fastest / fastest: greentrade "
          f"{cpu_ratio:.2f}, pymrio {pymrio_cpu_ratio:.2f} (CPU speedup {pymrio_cpu_ratio / cpu_ratio:.2f}); "
          "less sensitive to other jobs than wall time, but counts BLAS threads' spin-waits")
    print(f"greentrade solve: method {'/'.join(methods)}, refinement steps {steps}, certified relative "
          f"forward error <= {bound:.1e} (worst year){'; fallbacks: ' + '; '.join(fallbacks) if fallbacks else ''}")
    print(f"peak extra RSS streaming: {(peak.peak - baseline) / 2**20:.0f} MiB = {peak_ratio:.2f} n^2 doubles "
          f"(n^2 doubles = {n2_bytes / 2**20:.0f} MiB); pymrio calc_all: {pymrio_mem / n2_bytes:.2f} n^2 doubles")
    print(f"VA closure (sum over destinations vs total VA), max relative error: {max(closure):.2e}; "
          f"agreement with pymrio D_cba_reg, max relative difference: {agreement:.2e}")
    print(f"mrio_time_over_lu_floor: {ratio:.3f}")
    print(f"mrio_speedup_vs_pymrio: {speedup:.2f}")
    print(f"mrio_peak_memory_over_n2_doubles: {peak_ratio:.3f}")


if __name__ == "__main__":
    main()
