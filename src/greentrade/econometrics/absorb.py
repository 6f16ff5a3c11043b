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
    """Integer codes 0..G-1 (sorted levels, as Stata's ``i.var`` orders them) and G.

    Parameters
    ----------
    values : Series
        Labels of one fixed-effect or cluster variable.

    Returns
    -------
    codes : ndarray of int64, shape (N,)
        Level of each row, 0..G-1 in sorted order of the labels.
    n_levels : int
        G, the number of distinct labels.
    """
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), len(uniques)


def level_names(values: pd.Series) -> list:
    """The distinct labels of ``values`` in sorted order (the order of :func:`factorize`'s codes).

    Parameters
    ----------
    values : Series
        Labels of one variable.

    Returns
    -------
    list
        The labels, sorted.
    """
    return list(pd.factorize(values, sort=True)[1])


def _indicator(codes: np.ndarray, n_levels: int) -> sparse.csr_matrix:
    n = len(codes)
    return sparse.csr_matrix((np.ones(n), (np.arange(n), codes)), shape=(n, n_levels))


def demean(matrix: np.ndarray, codes: np.ndarray, n_levels: int) -> np.ndarray:
    """Subtract group means: M - D (D'D)^-1 D'M.

    Parameters
    ----------
    matrix : ndarray, shape (N, K)
        Columns to demean (units unchanged).
    codes : ndarray of int, shape (N,)
        Group of each row, 0..G-1.
    n_levels : int
        G.

    Returns
    -------
    ndarray, shape (N, K)
        ``matrix`` less its group means.
    """
    d = _indicator(codes, n_levels)
    counts = np.asarray(d.sum(axis=0)).ravel()
    means = (d.T @ matrix) / counts[:, None]
    return matrix - d @ means


def within(matrix: np.ndarray, fixed_effects: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Residuals of each column of ``matrix`` on the dummies of every fixed-effect set.

    The first set is removed by group demeaning; a second set is then partialled out as
    demeaned dummies by least squares (Frisch-Waugh-Lovell), which is exact on unbalanced
    panels (linearmodels' two-way absorption is iterative, to a 1e-8 tolerance).

    Parameters
    ----------
    matrix : ndarray, shape (N,) or (N, K)
        Columns to transform (units unchanged).
    fixed_effects : list of (codes, n_levels)
        Zero, one or two sets, as :func:`factorize` returns them.

    Returns
    -------
    ndarray
        Same shape as ``matrix``: the residuals on all the fixed effects.

    Raises
    ------
    ValueError
        More than two fixed-effect sets.
    """
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
    """True when every level of the fixed effect lies inside a single cluster.

    Parameters
    ----------
    fe_codes, cluster_codes : ndarray of int, shape (N,)
        Level of each row in the fixed effect and in the cluster variable.

    Returns
    -------
    bool
    """
    pairs = pd.DataFrame({"fe": fe_codes, "cl": cluster_codes}).drop_duplicates()
    return not pairs["fe"].duplicated().any()


def mobility_groups(codes1: np.ndarray, n1: int, codes2: np.ndarray, n2: int) -> int:
    """Connected components of the bipartite graph linking levels of two FE sets: the
    number of redundant coefficients of the second set given the first (Abowd, Creecy &
    Kramarz 2002; reghdfe's ``init_zigzag``).

    Parameters
    ----------
    codes1, codes2 : ndarray of int, shape (N,)
        Levels of the two fixed-effect sets.
    n1, n2 : int
        Their numbers of levels.

    Returns
    -------
    int
        Number of connected components (a count of coefficients).
    """
    n = n1 + n2
    graph = sparse.coo_matrix((np.ones(len(codes1)), (codes1, codes2 + n1)), shape=(n, n))
    return int(connected_components(graph, directed=False)[0])


def reghdfe_absorbed_df(fixed_effects: list[tuple[np.ndarray, int]],
                        cluster_codes: np.ndarray | None) -> tuple[int, int]:
    """``(df_a, df_a_nested)`` as reghdfe computes them (``reghdfe_class.mata``,
    ``estimate_dof``): with clustering, an FE set equal to or nested within the cluster
    variable counts 0 and its levels go to ``df_a_nested``; of the remaining sets the
    first counts all its levels and the second loses its mobility groups with the first.

    Parameters
    ----------
    fixed_effects : list of (codes, n_levels)
        The absorbed sets, in order.
    cluster_codes : ndarray of int, optional
        Cluster of each row; None without clustering.

    Returns
    -------
    df_a : int
        Degrees of freedom the fixed effects use (a count).
    df_a_nested : int
        Levels of the sets nested within the clusters.
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
    inflates the degrees of freedom.

    Parameters
    ----------
    frame : DataFrame
        The estimation sample.
    absorb : list of str
        Fixed-effect columns.

    Returns
    -------
    ndarray of bool, shape (N,)
        True for the rows kept.
    """
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
