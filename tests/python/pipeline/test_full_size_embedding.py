"""The embedding on full-size Eora26 years (issue 11 item 3): 4915 rows = 189 countries x 26
sectors + ROW, whose sectors balance only with the ROW entry (inputs off output by up to 3 %
once ROW is set aside), in both satellite layouts (2619 and 2720 rows in labels_Q).

Labels: the real ones of ../shared/data/real/eora26_labels_other_release (T, FD, VA and the
2619-row Q) where present, else Eora's country list in the published layout, else synthetic
names; the 2720-row Q is the demo's (greentrade.demo.eora_releases). Numbers: a random
productive world balanced by construction, turned into Eora's layout by the demo writer's
:func:`greentrade.demo.writers.eora_matrices` (ROW entry, imbalance, satellites). The cells go
through DuckDB relations and ``eora26_readback.world_from_cells``, as in the dbt models.

What is checked is what the embedding guarantees (docs/mrio.md, "China's imbalance"): the
provinces re-aggregate to China, each province-sector carries China's sector ratio of inputs
to output, and nothing outside China moves. Time and peak memory are printed (run with -s);
they are measurements, not assertions.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pytest
import scipy.linalg as sla

from greentrade import dbt_models, reference
from greentrade.demo import eora_releases, writers
from greentrade.ingest.eora26 import readback as eora26_readback
from greentrade.ingest.eora26_labels import label_rows, read_labels
from greentrade.mrio import ProvincialIO, embed_provinces

pytestmark = pytest.mark.slow

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real"
OTHER_RELEASE = REAL / "eora26_labels_other_release"
YEAR = 2015
N_COUNTRIES = 189
SATELLITE = {"2619": "iea_fuel_combustion", "2720": "edgar_ipcc"}


class PeakRSS:
    """Peak resident memory above the level at entry, sampled every 5 ms (LAPACK work arrays
    are invisible to tracemalloc)."""

    def __enter__(self):
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @property
    def mb(self) -> float:
        return (self.peak - self.start) / 2**20


def _t_fd_va_labels(folder: Path) -> str:
    """labels_T, labels_FD, labels_VA into ``folder``; returns where they came from."""
    if OTHER_RELEASE.is_dir():
        for kind in ("T", "FD", "VA"):
            (folder / f"labels_{kind}.txt").write_bytes((OTHER_RELEASE / f"labels_{kind}.txt").read_bytes())
        return "real labels of the 2619-row release"
    countries_file = REAL / "eora26_labels" / "Eora26_countries.csv"
    if countries_file.is_file():
        countries = pd.read_csv(countries_file, header=None, dtype=str, keep_default_na=False,
                                encoding="utf-8-sig").itertuples(index=False, name=None)
        origin = "Eora's country list in the published layout"
    else:
        countries = [(f"Country {i:03d}", f"K{i:03d}") for i in range(N_COUNTRIES - 1)] + [("China", "CHN")]
        origin = "synthetic country names in the published layout"
    sectors = reference.eora26_sectors()["eora_sector_name"].tolist()
    categories = ["Household final consumption P.3h", "Non-profit institutions serving households P.3n",
                  "Government final consumption P.3g", "Gross fixed capital formation P.51",
                  "Changes in inventories P.52", "Acquisitions less disposals of valuables P.53"]
    items = ["Compensation of employees D.1", "Taxes on production D.29", "Subsidies on production D.39",
             "Net operating surplus B.2n", "Net mixed income B.3n", "Consumption of fixed capital K.1"]
    countries = list(countries)
    lines = {"T": [f"{a}\t{c}\tIndustries\t{s}\t" for a, c in countries for s in sectors] + ["ROW\tROW\tTOTAL\tTOTAL"],
             "FD": [f"{a}\t{c}\tFinal Demand\t{k}\t" for a, c in countries + [("ROW", "ROW")] for k in categories],
             "VA": [f"Primary Inputs\t{k}\t" for k in items]}
    for kind, body in lines.items():
        (folder / f"labels_{kind}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    return origin


def _q_labels(folder: Path, release: str) -> str:
    if release == "2619" and OTHER_RELEASE.is_dir():
        (folder / "labels_Q.txt").write_bytes((OTHER_RELEASE / "labels_Q.txt").read_bytes())
        return "real"
    rows = eora_releases.q_labels(release)
    (folder / "labels_Q.txt").write_text("".join(f"{a}\t{b}\t\n" for a, b in rows), encoding="utf-8")
    return "the demo's"


def _balanced_world(labels_t: pd.DataFrame, seed: int = 11):
    """T, FD, VA, CO2 and households' CO2 of a random productive world, balanced exactly:
    x = (I - A)^-1 y, Z = A diag(x), va = x - Z' 1. World output ~1.1e11 thousand USD, as
    Eora's. China's Private Households, Others and Re-export sectors are zero (as in Eora)."""
    rng = np.random.default_rng(seed)
    countries = labels_t["country_code"].iloc[:-1].to_numpy()
    sectors_code = dict(zip(reference.eora26_sectors()["eora_sector_name"], reference.eora26_sectors()["eora_sector_code"]))
    sectors = [sectors_code[s] for s in labels_t["item"].iloc[:-1]]
    n = len(sectors)
    size = np.repeat(rng.lognormal(0.0, 1.5, N_COUNTRIES), 26)
    active = ~((countries == "CHN") & np.isin(sectors, ["PHH", "OTH", "REI"]))
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.5)
    home = np.repeat(np.arange(N_COUNTRIES), 26)
    A[home[:, None] == home[None, :]] *= 60.0                    # most inputs are domestic
    A *= rng.uniform(0.3, 0.65, n) / A.sum(axis=0)
    A[~active] = 0.0
    A[:, ~active] = 0.0
    y = size * rng.uniform(0.5, 1.5, n) * active
    x = sla.lu_solve(sla.lu_factor(np.eye(n) - A, overwrite_a=True, check_finite=False), y)
    x *= 1.1e11 / x.sum() * 0.6
    Z = A * x[None, :]
    del A
    y = x - Z.sum(axis=1)
    va = x - Z.sum(axis=0)
    FD = np.zeros((n, N_COUNTRIES * 6))
    buyers = rng.integers(0, N_COUNTRIES, (n, 3))
    buyers[:, 0] = home                                          # and most final demand
    for k, weight in enumerate((0.8, 0.12, 0.08)):
        np.add.at(FD, (np.arange(n), buyers[:, k] * 6 + rng.integers(0, 4, n)), y * weight)
    intensity = np.where(np.isin(sectors, ["EGW"]), 3.0, 0.25) * rng.lognormal(0.0, 0.3, n)  # Gg per million USD
    co2 = intensity * x / 1e3 * active
    households = rng.uniform(0.02, 0.08, N_COUNTRIES) * np.bincount(home, weights=co2, minlength=N_COUNTRIES)
    return Z, FD, va, co2, households, sectors


def _provincial(sectors: list[str], seed: int = 5) -> ProvincialIO:
    """A random provincial table over the 30 panel provinces and the 26 Eora26 sectors, zero
    for the three sectors CEADs lacks (as mrio.provincial.provincial_from_cells gives it)."""
    rng = np.random.default_rng(seed)
    provinces = reference.provinces().query("in_panel")["province_code"].tolist()
    codes = list(dict.fromkeys(sectors))
    index = pd.MultiIndex.from_product([provinces, codes], names=["province", "sector"])
    keep = np.tile(~np.isin(codes, ["PHH", "OTH", "REI"]), len(provinces)).astype(float)
    m = len(index)
    scale = np.repeat(rng.lognormal(0.0, 0.8, len(provinces)), len(codes)) * keep
    Z = rng.uniform(0.0, 1.0, (m, m)) * (rng.random((m, m)) < 0.6) * np.outer(scale, scale)
    categories = ["Household final consumption P.3h", "Government final consumption P.3g",
                  "Gross fixed capital formation P.51"]
    y_cols = pd.MultiIndex.from_product([provinces, categories])
    Y = rng.uniform(0.5, 2.0, (m, len(y_cols))) * scale[:, None]
    exports = rng.uniform(1.0, 40.0, m) * scale
    output = Z.sum(axis=1) + Y.sum(axis=1) + exports
    imports = rng.uniform(1.0, 5.0, m) * scale
    va = output - Z.sum(axis=0) - imports
    return ProvincialIO(
        Z=pd.DataFrame(Z, index=index, columns=index), Y=pd.DataFrame(Y, index=index, columns=y_cols),
        exports=pd.Series(exports, index=index), imports_intermediate=pd.Series(imports, index=index),
        imports_final=pd.Series(rng.uniform(1.0, 3.0, len(y_cols)), index=y_cols),
        VA=pd.DataFrame([0.6 * va, 0.4 * va], index=["wages", "surplus"], columns=index),
        output=pd.Series(output, index=index),
        F=pd.DataFrame([rng.uniform(0.1, 3.0, m) * scale * 1e6], index=["CO2"], columns=index))


def _cells(con, matrices: dict[str, np.ndarray]):
    """The non-zero cells of every matrix as one DuckDB relation (matrix, row_idx, col_idx, value)."""
    parts = []
    for matrix, array in matrices.items():
        rows, cols = np.nonzero(array)
        con.register(f"cells_{matrix}", pa.table({"row_idx": rows.astype(np.int32), "col_idx": cols.astype(np.int32),
                                                  "value": array[rows, cols]}))
        parts.append(f"select '{matrix}' as matrix, row_idx, col_idx, value from cells_{matrix}")
    con.execute("create or replace view cells as " + " union all ".join(parts))
    return con.sql("select * from cells")


@pytest.fixture(scope="module")
def labels_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labels")
    origin = _t_fd_va_labels(folder)
    return folder, origin


@pytest.fixture(scope="module")
def world_parts(labels_folder):
    folder, _ = labels_folder
    _q_labels(folder, "2720")
    labels_t = read_labels(folder)["T"]
    assert len(labels_t) == 4915
    return _balanced_world(labels_t)


@pytest.mark.parametrize("release", ["2619", "2720"])
def test_full_size_year_embeds_and_carries_china_imbalance(release, labels_folder, world_parts, capsys):
    folder, origin = labels_folder
    q_origin = _q_labels(folder, release)
    labels = read_labels(folder)
    assert len(labels["T"]) == 4915 and len(labels["Q"]) == int(release)
    Z, FD, va, co2, households, sectors = world_parts
    matrices = writers.eora_matrices(Z, FD, va, co2, households, sectors, release, YEAR)
    label_frame = label_rows(YEAR, labels, tuple(matrices))
    provincial = _provincial(sectors)
    satellite = SATELLITE[release]

    with duckdb.connect() as con, PeakRSS() as memory:
        cells = _cells(con, {m: matrices[m] for m in ("T", "FD", "VA", "Q")})
        start = time.perf_counter()
        world = eora26_readback.world_from_cells(cells, label_frame, YEAR, satellite, china="CHN")
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        va_rows = [f for f in world.mrio.F.index if f != "CO2"]
        result = embed_provinces(world.mrio, provincial, china="CHN",
                                 settings=dbt_models.embedding_settings(va_rows, "ceads_levels"))
        embed_s = time.perf_counter() - start

    # China does not balance without ROW: up to 3 % per sector
    is_c = np.asarray(world.mrio.Z.index.get_level_values(0) == "CHN")
    Zw = world.mrio.Z.to_numpy()
    x_c = Zw[is_c].sum(axis=1) + world.mrio.Y.to_numpy()[is_c].sum(axis=1)
    u_c = Zw[:, is_c].sum(axis=0) + world.mrio.F.loc[va_rows].to_numpy()[:, is_c].sum(axis=0)
    live = x_c > 0
    gap = np.abs(x_c - u_c)[live] / x_c[live]
    assert 0.01 < gap.max() <= 0.03 + 1e-9

    emb = result.mrio
    assert result.gras_residual <= 1e-10 and emb.Z.shape == (4914 - 26 + 30 * 26,) * 2
    is_p = np.asarray(emb.Z.index.get_level_values(0).isin(provincial.provinces))
    output = emb.Z.to_numpy()[is_p].sum(axis=1) + emb.Y.to_numpy()[is_p].sum(axis=1)
    inputs = emb.Z.to_numpy()[:, is_p].sum(axis=0) + emb.F.loc[va_rows].to_numpy()[:, is_p].sum(axis=0)
    p_sector = emb.Z.index.get_level_values(1)[is_p]
    codes = list(world.mrio.Z.index.get_level_values(1)[is_c])
    # 1. the provinces re-aggregate to China's output and inputs, sector by sector
    by_sector = lambda v: pd.Series(v).groupby(np.asarray(p_sector)).sum().reindex(codes).to_numpy()  # noqa: E731
    np.testing.assert_allclose(by_sector(output), x_c, rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(by_sector(inputs), u_c, rtol=1e-9, atol=1e-3)
    # 2. every province-sector carries China's sector ratio of inputs to output
    ratio = dict(zip(codes, np.divide(u_c, x_c, out=np.zeros_like(x_c), where=live)))
    expected = output * np.array([ratio[s] for s in p_sector])
    np.testing.assert_allclose(inputs, expected, rtol=1e-8, atol=1e-3)
    # 3. nothing outside China moves; the provinces' CO2 is their own (ceads_levels)
    foreign = ~is_p
    kept = world.mrio.Z.index.get_level_values(0) != "CHN"
    np.testing.assert_array_equal(emb.F.to_numpy()[:, foreign], world.mrio.F.to_numpy()[:, kept])
    np.testing.assert_array_equal(emb.F.loc["CO2"].to_numpy()[is_p],
                                  provincial.F.loc["CO2"].reindex(emb.Z.index[is_p]).to_numpy())
    assert world.q_rows == int(release) and world.co2_satellite == satellite

    with capsys.disabled():
        print(f"\n[full size, {release}-row Q ({q_origin}), T/FD/VA: {origin}] co2_satellite {satellite} = "
              f"{world.co2_rows}; read {read_s:.1f} s, embed {embed_s:.1f} s (GRAS {result.gras_iterations} sweeps, "
              f"residual {result.gras_residual:.2g}); peak memory +{memory.mb:.0f} MB; China output - inputs "
              f"{100 * (x_c.sum() - u_c.sum()) / x_c.sum():+.2f} % of output, largest sector gap "
              f"{100 * gap.max():.2f} %")
