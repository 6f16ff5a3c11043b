"""Sector concordances: map one classification to another (e.g. CEADs 42 -> Eora26).

A concordance is a source x target matrix of weights. Each source row is normalised to sum
to 1, so a flow of a source sector is split over its target sectors in those proportions
and totals are preserved (a 0/1 concordance is a plain many-to-one aggregation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greentrade.mrio.errors import TableLayoutError


def normalise_concordance(concordance: pd.DataFrame) -> pd.DataFrame:
    """Scale each source sector's weights to sum 1 (docs/method.md eq. (E1)).

    Parameters
    ----------
    concordance : DataFrame, (sources, targets)
        Nonnegative weights (any scale; 0/1 for a plain aggregation).

    Returns
    -------
    DataFrame, (sources, targets)
        Weights (float64) whose rows sum to 1 (dimensionless).

    Raises
    ------
    TableLayoutError
        A weight is negative, or a source sector maps to no target.
    """
    weights = concordance.astype(np.float64)
    if (weights.to_numpy() < 0).any():
        raise TableLayoutError("concordance: negative weights")
    totals = weights.sum(axis=1)
    if (totals == 0).any():
        raise TableLayoutError(f"concordance: source sectors mapped to no target: {list(totals.index[totals == 0])}")
    return weights.div(totals, axis=0)


def _mapping_matrix(labels: pd.Index, weights: pd.DataFrame, level) -> tuple[np.ndarray, pd.Index]:
    """labels x new-labels weights; the sector (level ``level``) replaced by the targets,
    any other levels (region) kept in their order of appearance."""
    if not isinstance(labels, pd.MultiIndex):
        unknown = labels.difference(weights.index)
        if len(unknown):
            raise TableLayoutError(f"concordance has no row for sectors {list(unknown[:10])}")
        return weights.loc[labels].to_numpy(), pd.Index(weights.columns, name=labels.name)
    number = labels._get_level_number(level)
    sectors = labels.get_level_values(number)
    unknown = pd.Index(sectors).difference(weights.index)
    if len(unknown):
        raise TableLayoutError(f"concordance has no row for sectors {list(unknown[:10])}")
    outer_codes, outer = pd.factorize(labels.droplevel(number))
    targets = weights.columns
    matrix = np.zeros((len(labels), len(outer) * len(targets)))
    rows = weights.loc[sectors].to_numpy()
    for position, code in enumerate(outer_codes):
        matrix[position, code * len(targets):(code + 1) * len(targets)] = rows[position]
    tuples = []
    for key in outer:
        key = key if isinstance(key, tuple) else (key,)
        tuples += [key[:number] + (target,) + key[number:] for target in targets]
    return matrix, pd.MultiIndex.from_tuples(tuples, names=labels.names)


def _map_axis(frame: pd.DataFrame, weights: pd.DataFrame, axis: int, level) -> pd.DataFrame:
    """Aggregate one axis of ``frame`` whose labels (or level ``level``) are source sectors."""
    labels = frame.index if axis == 0 else frame.columns
    matrix, new_labels = _mapping_matrix(labels, weights, level)
    if axis == 0:
        return pd.DataFrame(matrix.T @ frame.to_numpy(dtype=np.float64), index=new_labels, columns=frame.columns)
    return pd.DataFrame(frame.to_numpy(dtype=np.float64) @ matrix, index=frame.index, columns=new_labels)


def aggregate_sectors(data, concordance: pd.DataFrame, *, axis: str = "both", level="sector"):
    """Map sectors to another classification: ``C^T X`` (rows), ``X C`` (columns) or both.

    docs/method.md eq. (E1), e.g. CEADs 42 sectors to Eora26's 26. Each source sector's flow
    is split over its targets in the concordance's proportions, so totals are preserved.

    Parameters
    ----------
    data : DataFrame or ndarray
        A DataFrame whose sector labels are the index / columns or one level of a
        (region, sector) MultiIndex (level ``level``; other levels kept in order), or a 2-d
        ndarray whose axes are region-major blocks of the concordance's source sectors
        (length regions x sources). Any unit (kept).
    concordance : DataFrame, (sources, targets)
        Weights, normalised per source row here (:func:`normalise_concordance`).
    axis : {'rows', 'columns', 'both'}
        Which axes carry sectors to map.
    level : int or str
        The MultiIndex level holding the sectors.

    Returns
    -------
    DataFrame or ndarray
        ``data`` with the mapped axes relabelled by the target sectors (regions x targets
        along a mapped array axis), in the unit of ``data``.

    Raises
    ------
    TableLayoutError
        A sector has no concordance row, or an array axis is not a multiple of the sources.
    """
    weights = normalise_concordance(concordance)
    if axis not in ("rows", "columns", "both"):
        raise ValueError(f"axis must be 'rows', 'columns' or 'both'; found {axis!r}")
    if isinstance(data, pd.DataFrame):
        out = data
        if axis in ("rows", "both"):
            out = _map_axis(out, weights, 0, level)
        if axis in ("columns", "both"):
            out = _map_axis(out, weights, 1, level)
        return out
    array = np.asarray(data, dtype=np.float64)
    C = weights.to_numpy()

    def block_matrix(length: int) -> np.ndarray:
        if length % C.shape[0]:
            raise TableLayoutError(f"axis of length {length} is not a multiple of {C.shape[0]} source sectors")
        return np.kron(np.eye(length // C.shape[0]), C)

    if axis in ("rows", "both"):
        array = block_matrix(array.shape[0]).T @ array
    if axis in ("columns", "both") and array.ndim == 2:
        array = array @ block_matrix(array.shape[1])
    return array
