"""Builders of small hand-made tables for the MRIO tests."""

from __future__ import annotations

import numpy as np
import pandas as pd


def labelled(Z, Y, F, regions, sectors, categories, factors):
    rows = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    cols = pd.MultiIndex.from_product([regions, categories], names=["region", "category"])
    return (pd.DataFrame(Z, index=rows, columns=rows), pd.DataFrame(Y, index=rows, columns=cols),
            pd.DataFrame(F, index=pd.Index(factors, name="factor"), columns=rows))


def random_balanced(rng, regions, sectors, categories, negative_inventory=True):
    """A random productive table whose VA row closes every column (input = output)."""
    n = len(regions) * len(sectors)
    Z = rng.uniform(0, 10, (n, n)) * (rng.random((n, n)) < 0.7)
    Y = rng.uniform(5, 50, (n, len(regions) * len(categories)))
    if negative_inventory:
        Y[:, -1] = -rng.uniform(0, 2, n)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va = x - Z.sum(axis=0)
    assert (va > 0).all()
    co2 = rng.uniform(0, 3, n) * x
    F = np.vstack([0.6 * va, 0.4 * va, co2])
    return labelled(Z, Y, F, regions, sectors, categories, ["wages", "surplus", "CO2"])




def small_world_and_provinces(seed=11):
    """World: 4 regions (China third, to test the splice) x 3 sectors, categories hh and
    inv (inventories negative); provinces: 3, with categories hh and gov (gov is unknown to
    the world: its shares fall back to province totals)."""
    from greentrade.mrio import MRIO, ProvincialIO

    rng = np.random.default_rng(seed)
    regions, sectors = ["AAA", "BBB", "CHN", "ZZZ"], ["agri", "manu", "serv"]
    Z, Y, F = random_balanced(rng, regions, sectors, ["hh", "inv"])
    world = MRIO(Z=Z, Y=Y, F=F)
    provinces = ["P1", "P2", "P3"]
    rows = pd.MultiIndex.from_product([provinces, sectors], names=["region", "sector"])
    n = len(rows)
    Zp = pd.DataFrame(rng.uniform(0, 5, (n, n)) * (rng.random((n, n)) < 0.8), index=rows, columns=rows)
    Yp = pd.DataFrame(rng.uniform(1, 9, (n, 6)), index=rows,
                      columns=pd.MultiIndex.from_product([provinces, ["hh", "gov"]]))
    exports = pd.Series(rng.uniform(20, 60, n), index=rows)
    exports.iloc[0] = 0.5  # one province-sector exports little
    output = Zp.sum(axis=1) + Yp.sum(axis=1) + exports
    provincial = ProvincialIO(
        Z=Zp, Y=Yp, exports=exports,
        imports_intermediate=pd.Series(rng.uniform(0, 3, n), index=rows),
        imports_final=pd.Series(rng.uniform(0, 3, 6), index=pd.MultiIndex.from_product([provinces, ["hh", "gov"]])),
        VA=pd.DataFrame(rng.uniform(1, 5, (2, n)), index=["wages", "tax"], columns=rows),
        output=output,
        F=pd.DataFrame(rng.uniform(0, 10, (1, n)), index=["CO2"], columns=rows))
    return world, provincial
