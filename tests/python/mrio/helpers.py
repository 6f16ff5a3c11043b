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


