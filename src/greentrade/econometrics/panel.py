"""Panel helpers."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def panel_lags(data: pd.DataFrame, columns: Sequence[str], unit: str = "province_code",
               time: str = "year", lags: Sequence[int] = (1,)) -> pd.DataFrame:
    """Calendar lags within a panel, as Stata's ``L<k>.col`` after ``xtset unit time``.

    Parameters
    ----------
    data : DataFrame
        One row per (unit, time).
    columns : sequence of str
        Columns to lag (units unchanged).
    unit, time : str
        Panel and time columns (``time`` in integer periods, e.g. years).
    lags : sequence of int, default (1,)
        Lags in periods of ``time``.

    Returns
    -------
    DataFrame
        A copy of ``data`` with ``<col>_lag<k>`` = the value of ``col`` in the same unit at
        ``time - k``: a true calendar lag, missing where that period is absent, never the
        previous row of a gapped panel.

    Raises
    ------
    ValueError
        ``(unit, time)`` does not identify rows.
    """
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
