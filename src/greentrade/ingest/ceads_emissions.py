"""CEADs provincial CO2 emission inventories (IPCC sectoral approach), one xlsx per year.

Layout (docs/sources.md): a ``NOTE`` sheet, then one sheet per province named
``{Province}{year}``. Row 1: column A blank (``Emission_Inventory`` from 2018), 17 fuels, then
vintage-dependent columns (``Scope 2 Heat`` ... ``Process``, ``Scope 1 Total``); row 2 units
(``Mt CO2``); row 3 blank; row 4 ``Total Consumption`` (``TotalEmissions`` from 2018); 45 sector
rows (trailing spaces until 2017); ``Urban``; ``Rural``. From 2018 headers use underscores
(``Raw_Coal``, ``CleanedCoal``): fuels are written to ``raw.ceads_emissions`` under the
canonical names of the 2010-2017 vintages.

Checks beyond the layout: the total row equals the sum of the sector and household rows,
and ``Scope 1 Total`` equals the 17 fuels plus ``Process`` (both hold to 1e-12 in the real
files), and the province's Scope 1 total lies within ``total_bounds_mt`` (a file in kt would
not).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from greentrade.reference import ceads_inventory_sectors, provinces

from . import _cells
from ._xlsx import open_workbook, sheet_rows
from .errors import SourceFormatError, column_letter

FUELS = (
    "Raw Coal", "Cleaned Coal", "Other Washed Coal", "Briquettes", "Coke", "Coke Oven Gas",
    "Other Gas", "Other Coking Products", "Crude Oil", "Gasoline", "Kerosene", "Diesel Oil",
    "Fuel Oil", "LPG", "Refinery Gas", "Other Petroleum Products", "Natural Gas",
)
EXTRA_COLUMNS = ("Scope 2 Heat", "Scope 2 Electricity", "Other Energy", "Process", "Scope 1 Total")
TOTAL_LABELS = {"totalconsumption", "totalemissions"}
HOUSEHOLDS = ("Urban", "Rural")
UNIT = "mtco2"
TOLERANCE_MT = 1e-6


def _key(label: str) -> str:
    return re.sub(r"[\s_]+", "", label).lower()


_CANONICAL = {_key(name): name for name in FUELS + EXTRA_COLUMNS}


def canonical_column(label: str) -> str:
    """``Raw_Coal`` / ``CleanedCoal`` / ``Raw Coal`` -> ``Raw Coal``; unknown columns tidied."""
    return _CANONICAL.get(_key(label), re.sub(r"[\s_]+", " ", label).strip())


def read(path: Path, *, total_bounds_mt=(0.5, 5000.0), **_options) -> dict[str, pd.DataFrame]:
    """Reader of source ``ceads_emissions``: one year's CEADs provincial CO2 inventories (xlsx).

    Parameters
    ----------
    path : pathlib.Path
        The workbook; its year is read from the file name.
    total_bounds_mt : tuple of float, default (0.5, 5000.0)
        Bounds of a province's Scope 1 total, Mt CO2 (a file in kt would fall outside).

    Returns
    -------
    dict
        ``ceads_emissions``: pandas frame of the ``raw.ceads_emissions`` columns, one row per
        province, inventory row (sector, household or total) and fuel, ``value_mt`` in Mt CO2.

    Raises
    ------
    greentrade.ingest.errors.SourceFormatError
        A sheet name, header or row the reader does not recognise, a missing panel province, or a
        failed total or bounds check; the message names the file and the place (sheet, row, column).
    """
    path = Path(path)
    year = _file_year(path)
    workbook = open_workbook(path)
    frames, seen = [], {}
    for name in workbook.sheet_names:
        if name.strip().upper() == "NOTE":
            continue
        match = re.fullmatch(r"([A-Za-z ]+?)\s*(\d{4})", name.strip())
        if not match:
            raise SourceFormatError(path, f"sheet {name!r}", "expected a sheet name {Province}{year}, e.g. 'Beijing2017'")
        code = _cells.province(match.group(1), path, f"sheet {name!r}")
        if int(match.group(2)) != year:
            raise SourceFormatError(path, f"sheet {name!r}", f"year {match.group(2)} in a file of {year}")
        if code in seen:
            raise SourceFormatError(path, f"sheet {name!r}", f"province {code} already given by sheet {seen[code]!r}")
        seen[code] = name
        frames.append(_read_sheet(path, sheet_rows(workbook, path, name), name, year, code, total_bounds_mt))
    expected = set(provinces(panel_only=True)["province_code"])
    missing = sorted(expected - set(seen))
    if missing:
        raise SourceFormatError(path, "sheets", f"missing province sheets: {', '.join(missing)}")
    return {"ceads_emissions": pd.concat(frames, ignore_index=True)}


def _file_year(path: Path) -> int:
    match = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path.name)
    if not match:
        raise SourceFormatError(path, "file name", "expected the year in the file name (…_2017.xlsx)")
    return int(match.group(1))


def _read_sheet(path, rows, sheet, year, code, bounds) -> pd.DataFrame:
    where = f"sheet {sheet!r}"
    sectors = ceads_inventory_sectors()
    n_sectors = len(sectors)
    if len(rows) < 4 + n_sectors + 2:
        raise SourceFormatError(path, where, f"expected {4 + n_sectors + 2} rows (headers, total, {n_sectors} sectors, "
                                             f"Urban, Rural), found {len(rows)}: truncated?")
    header = [_cells.text(v) for v in rows[0]]
    while header and header[-1] == "":
        header.pop()
    columns = [canonical_column(h) for h in header[1:]]
    for i, (label, fuel) in enumerate(zip(columns, FUELS), start=1):
        if label != fuel:
            raise SourceFormatError(path, f"{where}, row 1, column {column_letter(i)}", f"expected fuel {fuel!r}, found {header[i]!r}")
    if len(columns) < len(FUELS):
        raise SourceFormatError(path, f"{where}, row 1", f"expected the {len(FUELS)} fuel columns, found {len(columns)} columns")
    for i, label in enumerate(columns, start=1):
        if label == "":
            raise SourceFormatError(path, f"{where}, row 1, column {column_letter(i)}", "column without a header")
        if columns.index(label) != i - 1:
            raise SourceFormatError(path, f"{where}, row 1, column {column_letter(i)}", f"duplicated column {label!r}")
    for i, label in enumerate(columns, start=1):
        unit = _cells.text(rows[1][i])
        if _key(unit) != UNIT:
            raise SourceFormatError(path, f"{where}, row 2, column {label!r}", f"expected unit 'Mt CO2', found {unit!r}")

    body = [r for r in rows[3:]]
    while body and all(_cells.text(v) == "" for v in body[-1]):
        body.pop()
    labels = [_cells.text(r[0]) for r in body]
    expected_rows = 1 + n_sectors + len(HOUSEHOLDS)
    if len(body) != expected_rows:
        raise SourceFormatError(path, where, f"expected {expected_rows} rows from row 4 (total, {n_sectors} sectors, "
                                             f"Urban, Rural), found {len(body)}")
    if _key(labels[0]) not in TOTAL_LABELS:
        raise SourceFormatError(path, f"{where}, row 4, column A", f"expected 'Total Consumption', found {labels[0]!r}")
    kinds, ids = ["total"], [None]
    for i, (sid, name) in enumerate(zip(sectors["inventory_sector_id"], sectors["inventory_sector_name"])):
        label = labels[1 + i]
        if _key(label) != _key(name):
            raise SourceFormatError(path, f"{where}, row {5 + i}, column A", f"expected sector {name!r}, found {label!r}")
        kinds.append("sector")
        ids.append(int(sid))
    for j, household in enumerate(HOUSEHOLDS):
        r = 1 + n_sectors + j
        if _key(labels[r]) != _key(household):
            raise SourceFormatError(path, f"{where}, row {4 + r}, column A", f"expected {household!r}, found {labels[r]!r}")
        kinds.append("household")
        ids.append(None)

    values = np.empty((len(body), len(columns)))
    for r, row in enumerate(body):
        for c, label in enumerate(columns):
            values[r, c] = _cells.number(row[c + 1], path, f"{where}, row {4 + r}, column {label!r}")
    _check_totals(path, where, values, columns, labels, bounds)

    n_rows, n_cols = values.shape
    return pd.DataFrame({
        "year": year,
        "province_code": code,
        "sheet_name": sheet,
        "row_kind": np.repeat(kinds, n_cols),
        "inventory_sector_id": pd.array(np.repeat(np.array(ids, dtype=object), n_cols), dtype="Int64"),
        "row_label": np.repeat(labels, n_cols),
        "fuel": np.tile(columns, n_rows),
        "value_mt": values.ravel(),
    })


def _check_totals(path, where, values, columns, labels, bounds) -> None:
    parts = values[1:].sum(axis=0)
    gap = np.abs(values[0] - parts)
    tol = TOLERANCE_MT + 1e-6 * np.abs(values[0])
    bad = np.flatnonzero(gap > tol)
    if bad.size:
        c = bad[0]
        raise SourceFormatError(path, f"{where}, row 4, column {columns[c]!r}",
                                f"total {values[0, c]:.6g} differs from the sum of the sector, Urban and Rural rows "
                                f"{parts[c]:.6g}")
    if "Scope 1 Total" in columns and "Process" in columns:
        total = values[:, columns.index("Scope 1 Total")]
        parts = values[:, : len(FUELS)].sum(axis=1) + values[:, columns.index("Process")]
        bad = np.flatnonzero(np.abs(total - parts) > TOLERANCE_MT + 1e-6 * np.abs(total))
        if bad.size:
            r = bad[0]
            raise SourceFormatError(path, f"{where}, row {4 + r}, column 'Scope 1 Total'",
                                    f"{total[r]:.6g} differs from the 17 fuels plus Process {parts[r]:.6g}")
        low, high = bounds
        if not low <= total[0] <= high:
            raise SourceFormatError(path, f"{where}, row 4, column 'Scope 1 Total'",
                                    f"province total {total[0]:.6g} Mt CO2 outside the plausible {low:g}-{high:g} Mt: "
                                    "a file in kt or t CO2?")
