"""IFR World Robotics installations by industry: the wide CSV extraction.

Columns ``country, industry_code, industry`` then one column per year; installations in
units (robots). Blank cells (years a country did not report) are left out; industry codes
must be those of ``seeds/ifr_industries.csv``.
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


def read(path: Path, *, encoding: str | None = None, **_options) -> dict[str, pd.DataFrame]:
    path = Path(path)
    data = _csv.frame(path, encoding, "ifr")
    if tuple(data.columns[:3]) != ID_COLUMNS:
        raise SourceFormatError(path, "line 1", f"expected the columns to start with {','.join(ID_COLUMNS)}, found {','.join(data.columns[:3])}")
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
            raise SourceFormatError(path, f"line {i}, column 'industry_code'", f"unknown IFR industry code {code!r}; known codes are in seeds/ifr_industries.csv")
    duplicated = data.duplicated(["country", "industry_code"])
    if duplicated.any():
        i = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise SourceFormatError(path, f"line {i + 2}", f"duplicated row for country {data['country'].iloc[i]!r}, industry {data['industry_code'].iloc[i]!r}")
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
