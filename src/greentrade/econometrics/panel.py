"""Panel helpers."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def panel_lags(data: pd.DataFrame, columns: Sequence[str], unit: str = "province_code",
               time: str = "year", lags: Sequence[int] = (1,)) -> pd.DataFrame:
    """Copy of ``data`` with ``<col>_lag<k>`` = value of ``col`` in the same unit at
    ``time - k`` (Stata's ``L<k>.col`` after ``xtset unit time``): a true calendar lag,
    missing where that year is absent, never the previous row of a gapped panel."""
    if data.duplicated([unit, time]).any():
        raise ValueError(f"({unit}, {time}) does not identify rows: duplicates found")
    out = data.copy()
    for k in lags:
        shifted = data[[unit, time, *columns]].copy()
        shifted[time] = shifted[time] + k
        shifted = shifted.rename(columns={c: f"{c}_lag{k}" for c in columns})
        out = out.merge(shifted, on=[unit, time], how="left")
    out.index = data.index
    return out
