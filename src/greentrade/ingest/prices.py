"""EUA futures prices (ETS-Watch ``market_prices.csv``) and ECB reference rates
(``eurofxref-hist.csv``), as published."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import _csv
from .errors import SourceFormatError

EUA_COLUMNS = (
    "datetime", "open", "high", "low", "settle", "change", "wave", "volume",
    "prev_day_open_interest", "efp_volume", "efs_volume", "block_volume", "close",
)
# units per EUR that any date since 1999 respects; an inverted file (EUR per CNY) does not
FX_BOUNDS = {"CNY": (4.0, 15.0), "USD": (0.5, 2.5)}


def read_eua(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    path = Path(path)
    data = _csv.frame(path, encoding, "eua")
    if tuple(data.columns) != EUA_COLUMNS:
        raise SourceFormatError(path, "line 1", f"expected the columns {','.join(EUA_COLUMNS)}, found {','.join(data.columns)}")
    out = pd.DataFrame({"trade_date": _csv.dates(path, data, "datetime")})
    out["settle_eur_per_t"] = _csv.numbers(path, data, "settle", allow_missing=False, minimum=0.0)
    for column in EUA_COLUMNS[1:]:
        if column != "settle":
            out[column] = _csv.numbers(path, data, column, allow_missing=True)
    return {"eua_prices": out}


def read_fx(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    path = Path(path)
    data = _csv.frame(path, encoding, "fx")
    if data.columns[0] != "Date":
        raise SourceFormatError(path, "line 1, column 1", f"expected 'Date', found {data.columns[0]!r}")
    currencies = list(data.columns[1:])
    for required in FX_BOUNDS:
        if required not in currencies:
            raise SourceFormatError(path, "line 1", f"missing currency column {required!r}")
    rate_date = _csv.dates(path, data, "Date")
    frames = []
    for currency in currencies:
        if len(currency) != 3 or not currency.isalpha():
            raise SourceFormatError(path, f"line 1, column {currency!r}", "expected a three-letter currency code")
        values = _csv.numbers(path, data, currency, allow_missing=True)
        low, high = FX_BOUNDS.get(currency, (0.0, np.inf))
        bad = np.flatnonzero((values <= low) | (values > high))
        if bad.size:
            i = int(bad[0])
            raise SourceFormatError(path, f"line {i + 2}, column {currency!r}", f"{values[i]:g} {currency} per EUR is outside {low:g}-{high:g}: a rate in EUR per {currency}?")
        keep = ~np.isnan(values)
        frames.append(pd.DataFrame({"rate_date": rate_date[keep].to_numpy(), "currency": currency, "units_per_eur": values[keep]}))
    return {"fx_rates": pd.concat(frames, ignore_index=True)}
