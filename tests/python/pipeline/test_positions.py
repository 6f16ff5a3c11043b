"""mrio.provincial._positions: label pairs to row / column positions (vectorised lookup)."""

import numpy as np
import pandas as pd
import pytest

from greentrade.mrio.errors import InputTableError
from greentrade.mrio.provincial import _positions


def test_positions_follow_the_index_order_not_the_level_order():
    index = pd.MultiIndex.from_product([["SH", "BJ", "GD"], ["S02", "S01"]], names=["province", "sector"])
    first = np.array(["GD", "SH", "BJ", "GD", "SH"], dtype=object)
    second = np.array(["S01", "S02", "S01", "S02", "S01"], dtype=object)
    expected = [index.get_loc((a, b)) for a, b in zip(first, second)]
    assert _positions(index, first, second, "IO rows").tolist() == expected == [5, 0, 3, 4, 1]
    # an index that is not a full product: only the pairs it holds are found
    partial = index[[0, 3, 5]]
    assert _positions(partial, np.array(["BJ", "GD"], dtype=object), np.array(["S01", "S01"], dtype=object),
                      "x").tolist() == [1, 2]
    with pytest.raises(InputTableError, match=r"x: unexpected label \('SH', 'S01'\)"):
        _positions(partial, np.array(["BJ", "SH"], dtype=object), np.array(["S01", "S01"], dtype=object), "x")


def test_unknown_labels_name_the_first_one():
    index = pd.MultiIndex.from_product([["BJ"], ["S01", "S02"]])
    with pytest.raises(InputTableError, match=r"IO columns: unexpected label \('TJ', 'S01'\)"):
        _positions(index, np.array(["BJ", "TJ"], dtype=object), np.array(["S02", "S01"], dtype=object), "IO columns")
    with pytest.raises(InputTableError, match=r"unexpected label \('BJ', 'S99'\)"):
        _positions(index, np.array(["BJ"], dtype=object), np.array(["S99"], dtype=object), "IO rows")
    assert _positions(index, np.array([], dtype=object), np.array([], dtype=object), "IO rows").tolist() == []
