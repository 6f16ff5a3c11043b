"""The paper's quantities computed directly on the demo's true provincial world.

Used to calibrate :mod:`greentrade.demo.params` and in the demo tests; the pipeline itself
computes them from the published-layout files (embedding, then :mod:`greentrade.mrio`).

Conventions (docs/method.md section 2): VEX_m = sum_U V_m L^{mZ} Y^{ZU}; VIM_m = sum_U V_U L^{UZ}
Y^{Zm}; CEX / CIM the same with C; NV = VEX - VIM; NC = CEX - CIM. 'Manufacturing' restricts
the *producing* sector (V and C are zero outside manufacturing); every final product
counts. green = NV - PC * NC in billion USD, PC = annual mean EUA price in USD per tonne.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.linalg as sla

from greentrade.demo import params as P
from greentrade.demo.world import ASEAN, LAYOUT, MFG, WorldYear


def green_by_province(world: WorldYear, carbon_price_usd: float | None = None) -> pd.DataFrame:
    """VEX, VIM, CEX, CIM, NV, NC (thousand USD; Gg) and green (bn USD) per province."""
    if carbon_price_usd is None:
        carbon_price_usd = P.EUA_ANNUAL_MEAN[world.year] * P.USD_PER_EUR[world.year]
    regions = world.regions
    n = world.n_sectors
    R = len(regions)
    x = world.x
    safe = np.where(x > 0, x, 1.0)
    A = world.Z / safe[None, :]
    mfg = np.tile([c in MFG for c in LAYOUT.sectors], R)
    v = np.where(mfg & (x > 0), world.va / safe, 0.0)
    c = np.where(mfg & (x > 0), world.co2 / safe, 0.0)
    y_by_region = world.Y.reshape(-1, R, 6).sum(axis=2)     # n x R
    asean = [k for k, r in enumerate(regions) if r in ASEAN]
    provinces = [k for k, r in enumerate(regions) if r in P.PROVINCES]
    rhs = np.column_stack([y_by_region[:, asean].sum(axis=1)] + [y_by_region[:, k] for k in provinces])
    out = sla.solve(np.eye(len(x)) - A, rhs)                # L @ rhs
    is_asean = np.repeat(np.isin(np.arange(R), asean), n)
    rows = []
    for j, k in enumerate(provinces):
        block = slice(k * n, (k + 1) * n)
        to_asean = out[:, 0]
        from_asean = out[:, 1 + j]
        rows.append({
            "province_code": regions[k], "year": world.year,
            "vex": v[block] @ to_asean[block], "vim": v[is_asean] @ from_asean[is_asean],
            "cex": c[block] @ to_asean[block], "cim": c[is_asean] @ from_asean[is_asean],
        })
    frame = pd.DataFrame(rows)
    frame["nv"] = frame["vex"] - frame["vim"]
    frame["nc"] = frame["cex"] - frame["cim"]
    # thousand USD -> bn USD; Gg -> t
    frame["green"] = frame["nv"] / 1e6 - carbon_price_usd * frame["nc"] * 1e3 / 1e9
    return frame


def describe(values: pd.Series) -> dict[str, float]:
    """Table 1 statistics (sd with N - 1, as Stata's summarize)."""
    return {"n_obs": int(values.count()), "mean": float(values.mean()), "sd": float(values.std(ddof=1)),
            "min": float(values.min()), "max": float(values.max())}
