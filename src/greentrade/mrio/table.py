"""Containers for a multi-regional IO table and a provincial IO table.

Labels follow pymrio: rows and Z columns are a (region, sector) MultiIndex, final demand
columns (region, category), factor rows (F) a plain index of factor names. Units are the
source's (Eora26: thousand current USD for Z, Y and value added; CO2 in tonnes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from greentrade.mrio.errors import TableLayoutError
from greentrade.mrio.leontief import _check_alignment, final_demand_by_region, total_output


@dataclass(frozen=True)
class MRIO:
    """One year of a multi-regional IO table.

    Z : n x n intermediate flows, (region, sector) x (region, sector).
    Y : n x m final demand, (region, sector) x (region, category); negative entries
        (inventory changes) allowed.
    F : k x n factors by producing column (value-added components, CO2, ...).
    """

    Z: pd.DataFrame
    Y: pd.DataFrame
    F: pd.DataFrame

    def __post_init__(self) -> None:
        _check_alignment(self.Z, self.Y, self.F)

    @property
    def x(self) -> pd.Series:
        """Total output, row sums of Z and Y."""
        return pd.Series(total_output(self.Z, self.Y), index=self.Z.index, name="x")

    @property
    def regions(self) -> pd.Index:
        return self.Z.index.unique(level=0)

    @property
    def sectors(self) -> pd.Index:
        return self.Z.index.unique(level=1)

    def y_by_region(self) -> pd.DataFrame:
        """Final demand summed over categories per destination region (n x r)."""
        return final_demand_by_region(self.Y)


@dataclass(frozen=True)
class ProvincialIO:
    """A provincial (inter-regional) IO table already mapped to the world's sector list.

    Z : (province, sector) x (province, sector) domestic intermediate flows.
    Y : (province, sector) x (province, category) domestic final use.
    exports : Series over (province, sector) rows: exports of the product (intermediate and
        final together; the IRIOT does not separate them).
    imports_intermediate : Series over (province, sector) *using* columns: imports absorbed
        as intermediate input by that province-sector.
    imports_final : Series over (province, category): imports absorbed by that province's
        final-use category.
    VA : component x (province, sector) value added.
    output : Series over (province, sector) total output.
    F : factor x (province, sector), e.g. CO2 from the provincial inventories.

    Only proportions of these numbers are used by the embedding, so units need only be
    consistent within each item.
    """

    Z: pd.DataFrame
    Y: pd.DataFrame
    exports: pd.Series
    imports_intermediate: pd.Series
    imports_final: pd.Series
    VA: pd.DataFrame
    output: pd.Series
    F: pd.DataFrame

    def __post_init__(self) -> None:
        if not self.Z.index.equals(self.Z.columns):
            raise TableLayoutError("ProvincialIO.Z: row labels differ from column labels")
        for name, labels in [("Y rows", self.Y.index), ("exports", self.exports.index),
                             ("imports_intermediate", self.imports_intermediate.index),
                             ("VA columns", self.VA.columns), ("output", self.output.index),
                             ("F columns", self.F.columns)]:
            if not labels.sort_values().equals(self.Z.index.sort_values()):
                raise TableLayoutError(f"ProvincialIO.{name}: labels differ from Z's (province, sector) rows")

    @property
    def provinces(self) -> pd.Index:
        return self.Z.index.unique(level=0)


def drop_regions(mrio: MRIO, regions) -> tuple[MRIO, pd.Series]:
    """Remove regions (e.g. Eora's 'ROW' statistical discrepancy) from rows, Z columns, Y
    columns and F columns.

    Returns the reduced table and a report of what was dropped (thousand USD as the source):
    ``row_flows`` (output of the dropped rows), ``column_flows`` (intermediate inputs bought
    from and final demand of the dropped regions by the kept rows) and ``factor_<name>`` per
    factor row. The kept regions' total outputs shrink by the flows they sold to the dropped
    regions; that is the documented price of removing a discrepancy account.
    """
    drop = set(regions)
    keep_rows = ~mrio.Z.index.get_level_values(0).isin(drop)
    keep_y = ~mrio.Y.columns.get_level_values(0).isin(drop)
    Z, Y, F = mrio.Z.to_numpy(), mrio.Y.to_numpy(), mrio.F.to_numpy()
    report = {
        "row_flows": float(Z[~keep_rows].sum() + Y[~keep_rows].sum()),
        "column_flows": float(Z[np.ix_(keep_rows, ~keep_rows)].sum() + Y[np.ix_(keep_rows, ~keep_y)].sum()),
    }
    for name, values in zip(mrio.F.index, F[:, ~keep_rows].sum(axis=1)):
        report[f"factor_{name}"] = float(values)
    reduced = MRIO(Z=mrio.Z.loc[keep_rows, keep_rows], Y=mrio.Y.loc[keep_rows, keep_y],
                   F=mrio.F.loc[:, keep_rows])
    return reduced, pd.Series(report, name="dropped")


def as_frame(relation_or_frame) -> pd.DataFrame:
    """A pandas frame of a DuckDB relation (anything with ``to_arrow_table()``, as dbt hands
    refs to Python models) or the frame itself. Through Arrow, strings stay Arrow-backed
    (20x faster than ``.df()`` for a CEADs table's 600,000 labelled cells)."""
    if isinstance(relation_or_frame, pd.DataFrame):
        return relation_or_frame
    return relation_or_frame.to_arrow_table().to_pandas()
