"""Concordances: a hand-aggregated table and a weighted split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greentrade.mrio import TableLayoutError, aggregate_sectors

CONC = pd.DataFrame([[1, 0], [1, 0], [0, 1]], index=["coal", "oil", "textiles"], columns=["mining", "manu"])


def test_many_to_one_on_region_sector_frame():
    rows = pd.MultiIndex.from_product([["R1", "R2"], ["coal", "oil", "textiles"]], names=["region", "sector"])
    Z = pd.DataFrame(np.arange(36.0).reshape(6, 6), index=rows, columns=rows)
    out = aggregate_sectors(Z, CONC)
    assert list(out.index) == [("R1", "mining"), ("R1", "manu"), ("R2", "mining"), ("R2", "manu")]
    # by hand: R1 mining -> R2 manu = rows coal, oil of R1 x column textiles of R2 = 5 + 11
    assert out.loc[("R1", "mining"), ("R2", "manu")] == 5.0 + 11.0
    assert out.to_numpy().sum() == Z.to_numpy().sum()
    array = aggregate_sectors(Z.to_numpy(), CONC)
    np.testing.assert_array_equal(array, out.to_numpy())


def test_weighted_split_preserves_totals_on_plain_index():
    conc = pd.DataFrame([[3, 1], [0, 2]], index=["a", "b"], columns=["x", "y"])
    frame = pd.DataFrame({"v": [8.0, 5.0]}, index=["a", "b"])
    out = aggregate_sectors(frame, conc, axis="rows")
    assert out.loc["x", "v"] == pytest.approx(6.0) and out.loc["y", "v"] == pytest.approx(7.0)


def test_unmapped_sector_raises():
    with pytest.raises(TableLayoutError, match="no target"):
        aggregate_sectors(np.eye(2), pd.DataFrame([[1, 0], [0, 0]], index=["a", "b"], columns=["x", "y"]))
