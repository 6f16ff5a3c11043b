"""IFR World Robotics robots by industry: the wide CSV extractions.

IFR publishes two series in the same country x customer industry x year tables: annual
*installations* and the *operational stock* (robots in service, IFR's 12-year service-life
convention). Each comes as its own file, ``IFR_installations_by_industry.csv`` and
``IFR_operational_stock_by_industry.csv``, with the same layout: columns ``country,
industry_code, industry`` then one column per year, robots in units. Blank cells (years a
country did not report) are left out; industry codes must be those of
``seeds/ifr_industries.csv``.

Both files load into ``raw.ifr_installations`` (column ``installations`` holds the file's
robot count); the measure is the file's key in ``raw.load_log`` (:func:`measure_of`), so a
root holding only the installations file still reads as before.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from greentrade.reference import seed

from . import _csv
from .errors import SourceFormatError

ID_COLUMNS = ("country", "industry_code", "industry")
# measure -> the file IFR's extraction ships it in; the measure is also the load's file key
MEASURES = {
    "installations": "IFR_installations_by_industry.csv",
    "operational_stock": "IFR_operational_stock_by_industry.csv",
}


def measure_of(path: Path, measure: str | None = None) -> str:
    """The measure a file holds: ``measure`` if given (a source option), else read from the
    file name (``operational_stock`` when it says so, else ``installations``, the one series
    older roots carry)."""
    if measure is None:
        return "operational_stock" if "operational_stock" in Path(path).name.lower() else "installations"
    if measure not in MEASURES:
        raise SourceFormatError(path, "option 'measure'", f"expected one of {', '.join(MEASURES)}, found {measure!r}")
    return measure


def read(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    """Reader of source ``ifr``: one IFR robots-by-industry CSV (installations or operational stock).

    Parameters
    ----------
    path : pathlib.Path
        ``IFR_installations_by_industry.csv`` or ``IFR_operational_stock_by_industry.csv``.
    encoding : str, optional
        The file's encoding; detected by default.

    Returns
    -------
    dict
        ``ifr_installations``: pandas frame of country, IFR industry code and name, year and
        ``installations`` (robots, units: the file's count, installations or stock).

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        Unknown columns, a year column that is no year, an industry code not in seeds/ifr_industries.csv,
        or a count that is no non-negative integer; the message names the file and the place (sheet, row,
        column).
    """
    path = Path(path)
    data = _csv.frame(path, encoding, "ifr")
    if tuple(data.columns[:3]) != ID_COLUMNS:
        raise SourceFormatError(path, "line 1",
                                f"expected the columns to start with {','.join(ID_COLUMNS)}, found {','.join(data.columns[:3])}")
    years = list(data.columns[3:])
    if not years:
        raise SourceFormatError(path, "line 1", "no year columns after 'industry'")
    for year in years:
        if not re.fullmatch(r"(19|20)\d{2}", year):
            raise SourceFormatError(path, f"line 1, column {year!r}", "expected a year (e.g. 2015) as column name")
    known = set(seed("ifr_industries")["ifr_industry_code"])
    for i, (country, code) in enumerate(zip(data["country"], data["industry_code"]), start=2):
        if country == "":
            raise SourceFormatError(path, f"line {i}, column 'country'", "empty country")
        if code not in known:
            raise SourceFormatError(path, f"line {i}, column 'industry_code'",
                                    f"unknown IFR industry code {code!r}; known codes are in seeds/ifr_industries.csv")
    duplicated = data.duplicated(["country", "industry_code"])
    if duplicated.any():
        i = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise SourceFormatError(path, f"line {i + 2}", f"duplicated row for country {data['country'].iloc[i]!r}, "
                                                       f"industry {data['industry_code'].iloc[i]!r}")
    frames = []
    for year in years:
        values = _csv.numbers(path, data, year, allow_missing=True, minimum=0.0)
        fractional = np.flatnonzero(~np.isnan(values) & (values != np.round(values)))
        if fractional.size:
            i = int(fractional[0])
            raise SourceFormatError(path, f"line {i + 2}, column {year!r}", f"expected a whole number of robots, found {values[i]:g}")
        keep = ~np.isnan(values)
        frames.append(pd.DataFrame({
            "country": data["country"][keep].to_numpy(),
            "ifr_industry_code": data["industry_code"][keep].to_numpy(),
            "ifr_industry_name": data["industry"][keep].to_numpy(),
            "year": int(year),
            "installations": values[keep].astype("int64"),
        }))
    return {"ifr_installations": pd.concat(frames, ignore_index=True)}
