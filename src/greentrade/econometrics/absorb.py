"""Exact absorption of one or two sets of fixed effects, and the degrees of freedom
they use up, counted the way reghdfe counts them.

The within transformation is exact (no iteration): the first set is removed by group
demeaning; a second set is then partialled out as dummies from the demeaned data
(Frisch-Waugh-Lovell), which is exact for unbalanced panels and cheap for the few levels
(10 years, 30 provinces) this project absorbs. Put the set with more levels first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components


def factorize(values: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes 0..G-1 (sorted levels, as Stata's ``i.var`` orders them) and G."""
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), len(uniques)


def level_names(values: pd.Series) -> list:
    return list(pd.factorize(values, sort=True)[1])


def _indicator(codes: np.ndarray, n_levels: int) -> sparse.csr_matrix:
    n = len(codes)
    return sparse.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, n_levels))


def demean(matrix: np.ndarray, codes: np.ndarray, n_levels: int) -> np.ndarray:
    """Subtract group means: M - D (D'D)^-1 D'M."""
    d = _indicator(codes, n_levels)
    counts = np.asarray(d.sum(axis=0)).ravel()
    means = (d.T @ matrix) / counts[:, None]
    return matrix - d @ means


def within(matrix: np.ndarray, fixed_effects: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Residuals of each column of ``matrix`` on the dummies of every fixed-effect set."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim == 1:
        return within(matrix[:, None], fixed_effects)[:, 0]
    if not fixed_effects:
        return matrix.copy()
    if len(fixed_effects) > 2:
        raise ValueError(f"absorb takes at most two fixed-effect sets, got {len(fixed_effects)}")
    first = demean(matrix, *fixed_effects[0])
    if len(fixed_effects) == 1:
        return first
    codes2, n2 = fixed_effects[1]
    d2 = demean(_indicator(codes2, n2).toarray(), *fixed_effects[0])
    coef, *_ = np.linalg.lstsq(d2, first, rcond=None)
    return first - d2 @ coef


def is_nested(fe_codes: np.ndarray, cluster_codes: np.ndarray) -> bool:
    """True when every level of the fixed effect lies inside a single cluster."""
    pairs = pd.DataFrame({"fe": fe_codes, "cl": cluster_codes}).drop_duplicates()
    return not pairs["fe"].duplicated().any()


def mobility_groups(codes1: np.ndarray, n1: int, codes2: np.ndarray, n2: int) -> int:
    """Connected components of the bipartite graph linking levels of two FE sets: the
    number of redundant coefficients of the second set given the first (Abowd, Creecy &
    Kramarz 2002; reghdfe's ``init_zigzag``)."""
    n = n1 + n2
    graph = sparse.coo_matrix((np.ones(len(codes1)), (codes1, codes2 + n1)), shape=(n, n))
    return int(connected_components(graph, directed=False)[0])


def reghdfe_absorbed_df(fixed_effects: list[tuple[np.ndarray, int]],
                        cluster_codes: np.ndarray | None) -> tuple[int, int]:
    """``(df_a, df_a_nested)`` as reghdfe computes them (``reghdfe_class.mata``,
    ``estimate_dof``): with clustering, an FE set equal to or nested within the cluster
    variable counts 0 and its levels go to ``df_a_nested``; of the remaining sets the
    first counts all its levels and the second loses its mobility groups with the first.
    """
    remaining, nested = [], 0
    for codes, n_levels in fixed_effects:
        if cluster_codes is not None and is_nested(codes, cluster_codes):
            nested += n_levels
        else:
            remaining.append((codes, n_levels))
    df_a = sum(n for _, n in remaining)
    if len(remaining) == 2:
        df_a -= mobility_groups(*remaining[0], *remaining[1])
    return df_a, nested


def singleton_mask(frame: pd.DataFrame, absorb: list[str]) -> np.ndarray:
    """Rows kept after iteratively dropping singleton groups of any absorbed FE
    (reghdfe's default; Correia 2015): a singleton is fitted perfectly and only
    inflates the degrees of freedom."""
    keep = np.ones(len(frame), dtype=bool)
    while True:
        dropped = False
        for col in absorb:
            counts = frame.loc[keep, col].map(frame.loc[keep, col].value_counts())
            singles = counts.to_numpy() == 1
            if singles.any():
                idx = np.flatnonzero(keep)[singles]
                keep[idx] = False
                dropped = True
        if not dropped:
            return keep
