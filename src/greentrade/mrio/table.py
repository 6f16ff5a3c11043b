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
    """One year of a multi-regional IO table (pymrio's labels; docs/method.md section 2.1).

    Attributes
    ----------
    Z : DataFrame, (n, n)
        Intermediate flows, (region, sector) x (region, sector); Eora26: thousand current
        USD at basic prices.
    Y : DataFrame, (n, m)
        Final demand, (region, sector) x (region, category), same unit as ``Z``; negative
        entries (inventory changes) allowed.
    F : DataFrame, (k, n)
        Factors by producing column, rows named: value-added components (thousand USD),
        ``CO2`` (t), ...

    Raises
    ------
    TableLayoutError
        The labels of ``Z``, ``Y`` and ``F`` do not line up.
    """

    Z: pd.DataFrame
    Y: pd.DataFrame
    F: pd.DataFrame

    def __post_init__(self) -> None:
        _check_alignment(self.Z, self.Y, self.F)

    @property
    def x(self) -> pd.Series:
        """Total output, row sums of Z and Y (docs/method.md eq. (L1)): Series over Z's rows, thousand USD."""
        return pd.Series(total_output(self.Z, self.Y), index=self.Z.index, name="x")

    @property
    def regions(self) -> pd.Index:
        """The regions, in the order of Z's rows."""
        return self.Z.index.unique(level=0)

    @property
    def sectors(self) -> pd.Index:
        """The sectors, in the order of Z's rows."""
        return self.Z.index.unique(level=1)

    def y_by_region(self) -> pd.DataFrame:
        """Final demand summed over categories per destination region.

        Returns
        -------
        DataFrame, (n, r)
            One column per destination region, thousand USD (see
            :func:`greentrade.mrio.final_demand_by_region`).
        """
        return final_demand_by_region(self.Y)


@dataclass(frozen=True)
class ProvincialIO:
    """A provincial (inter-regional) IO table already mapped to the world's sector list.

    The input of :func:`greentrade.mrio.embed_provinces` (docs/method.md section 1.1). With
    P provinces and S sectors, n = P x S:

    Attributes
    ----------
    Z : DataFrame, (n, n)
        Domestic intermediate flows, (province, sector) x (province, sector).
    Y : DataFrame, (n, P x K)
        Domestic final use, (province, sector) x (province, category).
    exports : Series, (n,)
        Over (province, sector) rows: exports of the product (intermediate and final
        together; the IRIOT does not separate them).
    imports_intermediate : Series, (n,)
        Over (province, sector) *using* columns: imports absorbed as intermediate input by
        that province-sector.
    imports_final : Series, (P x K,)
        Over (province, category): imports absorbed by that province's final-use category.
    VA : DataFrame, (components, n)
        Value added by component and (province, sector).
    output : Series, (n,)
        Total output of each (province, sector).
    F : DataFrame, (factors, n)
        Factor rows by (province, sector), e.g. ``CO2`` from the provincial inventories (t).

    Raises
    ------
    TableLayoutError
        The labels of the items differ from Z's (province, sector) rows.

    Notes
    -----
    Only proportions of the money items are used by the embedding, so their unit (CEADs:
    10,000 CNY) need only be consistent within the table. F rows listed in
    ``EmbeddingSettings.factor_levels`` are used as levels and must be in the world row's
    unit (CO2: t).
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
        """The provinces, in the order of Z's rows."""
        return self.Z.index.unique(level=0)


def drop_regions(mrio: MRIO, regions) -> tuple[MRIO, pd.Series]:
    """Remove regions (e.g. Eora's 'ROW' statistical discrepancy) from rows, Z columns, Y
    columns and F columns (docs/method.md section 1.1).

    The kept regions' total outputs shrink by the flows they sold to the dropped regions;
    that is the documented price of removing a discrepancy account.

    Parameters
    ----------
    mrio : MRIO
        The table (Eora26: thousand USD, CO2 in t).
    regions : iterable of str
        Region labels (first level of Z's rows and Y's columns) to remove.

    Returns
    -------
    reduced : MRIO
        The table without those regions.
    dropped : Series
        What was removed, in the table's units: ``row_flows`` (output of the dropped rows,
        thousand USD), ``column_flows`` (intermediate inputs bought from and final demand of
        the dropped regions by the kept rows, thousand USD) and ``factor_<name>`` per factor
        row (the row's unit: thousand USD for value added, t for CO2).
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
    """A pandas frame of a DuckDB relation, or the frame itself.

    Parameters
    ----------
    relation_or_frame : DataFrame or DuckDB relation
        Anything with ``to_arrow_table()`` (dbt hands refs to Python models as relations).

    Returns
    -------
    DataFrame
        Through Arrow: strings stay Arrow-backed (20x faster than ``.df()`` for a CEADs
        table's 600,000 labelled cells).
    """
    if isinstance(relation_or_frame, pd.DataFrame):
        return relation_or_frame
    return relation_or_frame.to_arrow_table().to_pandas()
