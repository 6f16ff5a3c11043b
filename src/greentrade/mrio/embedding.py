"""Embedding China's provinces into a world MRIO table.

Gao Jingfeng et al. (2020), restated in docs/method.md section 1: keep the world table's totals,
split every China block across provinces by the provincial IO table's structure, then
rebalance only the China-related cells with GRAS (Lenzen et al. 2007). Steps, with
``c`` = China, ``f`` = every foreign row/column, ``p, q`` = provinces, ``i, j`` = sectors:

1. Z^cc[i, j]  -> Z[(p,i),(q,j)]   by the provincial Z shares of (i, j) over (p, q)
2. Z^cf[i, f]  -> Z[(p,i), f]      by province p's share in China's exports of i
3. Z^fc[f, j]  -> Z[f, (q,j)]      by province q-sector j's share of intermediate imports
4. Y^cf[i, f]  -> Y[(p,i), f]      by export shares (as 2)
5. Y^cc[i, k]  -> Y[(p,i),(q,k)]   by the provincial final-use shares of category k
6. Y^fc[f, k]  -> Y[f, (q,k)]      by province q's share of imports for final use k
7. F^c[a, j]   -> F[a, (q,j)]      VA by provincial VA shares, CO2 by provincial CO2 shares
                                   (or, for the rows in ``factor_levels``, the provincial
                                   levels themselves: no split, no re-aggregation to China)

Shares are magnitudes (|.| / sum |.|), so every provincial piece keeps the sign of the
world cell it comes from; where the provincial data are all zero for a cell, the split
falls back to the provinces' output shares. Steps 1-7 re-aggregate exactly to China
(except the ``factor_levels`` rows).

8. GRAS on the cells of steps 1-5 and the VA rows of 7 (step 6 and non-VA factor rows are
   pure splits touched by no balance condition) with three sets of conditions:
   province-sector row sums (Z and Y) = x_c,i * s_p,i ; province-sector column sums
   (Z and VA) = (input total of c, j) * s_q,j, where s is the provincial output share;
   and every group of provincial pieces sums to its world cell. Non-China cells are not
   touched. China's imbalance is carried over: real Eora26 balances China's sectors only
   with its ROW entry, so once ROW is set aside output x_c,i and input total u_c,i differ
   (by up to a few percent); every province-sector then gets output s_p,i x_c,i and input
   s_p,i u_c,i, i.e. its share of China's sector imbalance, and the same relative imbalance
   (u/x) as China's sector. If the world table balances China's sectors (output = input),
   so do the provinces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from greentrade.mrio.errors import TableLayoutError
from greentrade.mrio.gras import Constraint, GridBlock, SplitBlock, balance_groups
from greentrade.mrio.leontief import sum_columns_by_group
from greentrade.mrio.table import MRIO, ProvincialIO


@dataclass(frozen=True)
class EmbeddingSettings:
    """Choices of the embedding (docs/method.md section 1).

    Attributes
    ----------
    va_rows : tuple of str or None
        World F rows that are value added (they close the column balance, eq. (E11)); None
        means every F row not in ``factor_sources``.
    factor_sources : mapping of str to str
        World F row -> provincial F (or VA) row whose provincial shares split it (eq. (E9);
        default CO2 by the provincial CO2 inventory). A VA row missing here is split by the
        provincial VA row of the same name if there is one, else by total provincial VA;
        any other row by output shares.
    factor_levels : tuple of str
        World F rows (among ``factor_sources``, not value added) whose provincial values are
        the provincial row's own levels, in the world row's unit (CO2: t), instead of a
        split of China's row: the provinces' CO2 from their own inventories, as the paper
        does (they then need not add up to China's row).
    output_targets : {'provincial_output', 'split'}
        Total output of each province-sector. 'provincial_output' (default; Gao et al.
        2020): x_c,i x the province's share of sector i's output in the provincial table
        (eqs. (E10)-(E11)); 'split': whatever the initial split gives it (row sums after
        steps 1-5): always feasible, but the provincial output shares are then only
        approximately those of the provincial table.
    gras_tol : float
        Max relative residual of every GRAS condition (dimensionless).
    gras_max_iter : int
        GRAS sweeps before GRASConvergenceError.
    """

    va_rows: tuple[str, ...] | None = None
    factor_sources: Mapping[str, str] = field(default_factory=lambda: {"CO2": "CO2"})
    factor_levels: tuple[str, ...] = ()
    output_targets: Literal["provincial_output", "split"] = "provincial_output"
    gras_tol: float = 1e-10
    gras_max_iter: int = 5000

    def __post_init__(self) -> None:
        if self.output_targets not in ("provincial_output", "split"):
            raise ValueError(f"output_targets must be 'provincial_output' or 'split'; found {self.output_targets!r}")


@dataclass(frozen=True)
class EmbeddingResult:
    """The embedded table and the GRAS diagnostics.

    Attributes
    ----------
    mrio : MRIO
        The world table with the provinces in China's place: Z (n, n), Y (n, m), F (k, n),
        n = (countries - 1 + P) x S; thousand USD, CO2 in t.
    gras_iterations : int
        GRAS sweeps done.
    gras_residual : float
        Largest relative residual of any GRAS condition reached (dimensionless).
    gras_sweep_seconds : tuple of float
        Wall time of each sweep (s).
    output_shares : ndarray, (P, S)
        s[p, i], each province's share of China's sector output (eq. (E2)).
    """

    mrio: MRIO
    gras_iterations: int
    gras_residual: float
    gras_sweep_seconds: tuple = ()
    output_shares: np.ndarray | None = None  # s[p, i]: each province's share of China's sector output

    def summary(self) -> str:
        """One line: the table's size and the GRAS sweeps and residual.

        Returns
        -------
        str
            E.g. ``Embedded MRIO: 5668 rows, ...; GRAS 15 sweeps, residual 5.2e-11``.
        """
        return (f"Embedded MRIO: {self.mrio.Z.shape[0]} rows, {self.mrio.Y.shape[1]} final-demand "
                f"columns; GRAS {self.gras_iterations} sweeps, residual {self.gras_residual:.3g}")


def _shares(source: np.ndarray, axis, fallback: np.ndarray) -> np.ndarray:
    """|source| normalised to sum 1 over ``axis``; ``fallback`` (already normalised,
    broadcastable) where the whole slice is zero."""
    magnitude = np.abs(source)
    total = magnitude.sum(axis=axis, keepdims=True)
    empty = total == 0
    shares = np.divide(magnitude, total, out=np.zeros_like(magnitude), where=~empty)
    return np.where(empty, fallback, shares)


def provincial_factor(china_row, source, output_shares, *, levels: bool = False) -> np.ndarray:
    """One factor row of the provinces that GRAS does not touch (step 7, e.g. CO2).

    docs/method.md eq. (E9). The embedding calls it for each such row; a later year sharing
    the embedding (same world and provincial table) calls it with that year's ``source``
    instead of embedding again.

    Parameters
    ----------
    china_row : array_like, (S,)
        China's row in the world table (CO2 in t).
    source : array_like, (P, S) or (P * S,)
        The provincial table's own row (CEADs CO2 in t).
    output_shares : array_like, (P, S)
        Each province's share of China's sector output
        (:attr:`EmbeddingResult.output_shares`), the split where ``source`` is zero for a
        whole sector.
    levels : bool
        True: the provinces keep ``source`` itself (they need not add up to China); False:
        China's row is split by the magnitude shares of ``source`` over provinces.

    Returns
    -------
    ndarray, (P, S)
        The provinces' row, in the unit of ``china_row`` (``source``'s with ``levels``).
    """
    shares = np.asarray(output_shares, dtype=np.float64)
    source = np.asarray(source, dtype=np.float64).reshape(shares.shape)
    if levels:
        return source.copy()
    return np.asarray(china_row, dtype=np.float64)[np.newaxis, :] * _shares(source, 0, shares)


def _vector(series: pd.Series, index: pd.Index, what: str) -> np.ndarray:
    values = series.reindex(index)
    if values.isna().any():
        raise TableLayoutError(f"ProvincialIO.{what}: no value for {list(values.index[values.isna()][:5])}")
    return values.to_numpy(dtype=np.float64)


def _category_source(frame_or_series, provinces, categories_world, per_province_total):
    """Provincial magnitudes per (q, world category k): the provincial category of the same
    name when it exists, else the province's total over its categories."""
    out = np.empty(per_province_total.shape + (len(categories_world),))
    own = set(frame_or_series.columns.get_level_values(1) if isinstance(frame_or_series, pd.DataFrame)
              else frame_or_series.index.get_level_values(1))
    for k, category in enumerate(categories_world):
        if category in own:
            if isinstance(frame_or_series, pd.DataFrame):
                cols = pd.MultiIndex.from_product([provinces, [category]])
                out[..., k] = np.abs(frame_or_series.reindex(columns=cols, fill_value=0.0).to_numpy()).reshape(
                    per_province_total.shape)
            else:
                idx = pd.MultiIndex.from_product([provinces, [category]])
                out[..., k] = np.abs(frame_or_series.reindex(idx, fill_value=0.0).to_numpy())
        else:
            out[..., k] = per_province_total
    return out


def embed_provinces(world: MRIO, provincial: ProvincialIO, china: str = "CHN",
                    settings: EmbeddingSettings = EmbeddingSettings()) -> EmbeddingResult:
    """Replace region ``china`` of ``world`` by the provinces of ``provincial``.

    docs/method.md section 1: split every China block by the provincial table's structure
    (eqs. (E2)-(E9)), then rebalance the provincial cells with GRAS (eqs. (E10)-(E13)), each
    province-sector carrying its share of China's imbalance (eq. (E14)). Cells outside China
    are copied unchanged.

    Parameters
    ----------
    world : MRIO
        The world table, ROW set aside (Eora26: thousand USD; CO2 in t). n rows, m
        final-demand columns, k factor rows; China has S sectors and K final-demand
        categories.
    provincial : ProvincialIO
        The provincial table on the world's sector labels (map with
        :func:`greentrade.mrio.sectors.aggregate_sectors` first), P provinces; only its
        proportions are used, except the rows of ``settings.factor_levels`` (t).
    china : str
        China's region label in ``world``.
    settings : EmbeddingSettings
        Value-added rows, factor sources and levels, output targets, GRAS tolerance.

    Returns
    -------
    EmbeddingResult
        ``mrio``: the provinces in China's place (region order otherwise unchanged),
        (n - S + P S) rows, final-demand columns (province, world category) in place of
        China's K, the world's k F rows; units as ``world``. Also the GRAS sweeps, residual
        and the output shares s[p, i] (P, S).

    Raises
    ------
    TableLayoutError
        ``china`` is not a region of ``world``, the settings name F rows the tables lack, or
        the provincial labels do not line up.
    GRASConvergenceError
        The balance cannot be reached within ``settings.gras_max_iter`` sweeps.
    """
    Zw, Yw, Fw = (frame.to_numpy(dtype=np.float64) for frame in (world.Z, world.Y, world.F))
    row_regions = world.Z.index.get_level_values(0)
    ycol_regions = world.Y.columns.get_level_values(0)
    is_c = np.asarray(row_regions == china)
    is_cy = np.asarray(ycol_regions == china)
    if not is_c.any():
        raise TableLayoutError(f"world table has no region {china!r}")
    c_idx, f_idx = np.flatnonzero(is_c), np.flatnonzero(~is_c)
    cy_idx, fy_idx = np.flatnonzero(is_cy), np.flatnonzero(~is_cy)
    sectors = world.Z.index[c_idx].get_level_values(1)
    categories = world.Y.columns[cy_idx].get_level_values(1)
    provinces = provincial.provinces
    P, S, K = len(provinces), len(sectors), len(categories)
    pidx = pd.MultiIndex.from_product([provinces, sectors])

    factor_rows = list(world.F.index)
    sources = dict(settings.factor_sources)
    va_rows = list(settings.va_rows) if settings.va_rows is not None else [r for r in factor_rows if r not in sources]
    missing = [r for r in va_rows if r not in factor_rows]
    if missing:
        raise TableLayoutError(f"EmbeddingSettings.va_rows {missing} not among world F rows {factor_rows}")
    levels = list(settings.factor_levels)
    wrong = [r for r in levels if r not in sources or r in va_rows or r not in factor_rows]
    if wrong:
        raise TableLayoutError(f"EmbeddingSettings.factor_levels {wrong}: each must be a world F row "
                               f"{factor_rows} with a factor_sources entry {list(sources)}, and not value added")

    # provincial structure, all as magnitudes on the (province, sector) grid
    output = np.abs(_vector(provincial.output, pidx, "output")).reshape(P, S)
    out_share = _shares(output, 0, np.full((P, S), 1.0 / P))                      # s[p, i]
    exp_share = _shares(_vector(provincial.exports, pidx, "exports").reshape(P, S), 0, out_share)
    imp_share = _shares(_vector(provincial.imports_intermediate, pidx, "imports_intermediate").reshape(P, S),
                        0, out_share)
    Zp = provincial.Z.reindex(index=pidx, columns=pidx, fill_value=0.0).to_numpy(dtype=np.float64)
    zp_share = _shares(Zp.reshape(P, S, P, S), (0, 2), out_share[:, :, None, None] * out_share[None, None, :, :])

    yp = provincial.Y.reindex(index=pidx, fill_value=0.0)
    q_codes = provinces.get_indexer(yp.columns.get_level_values(0))
    if (q_codes < 0).any():
        raise TableLayoutError("ProvincialIO.Y: final-use columns must belong to the provinces of Z")
    yp_total_q = sum_columns_by_group(np.abs(yp.to_numpy(dtype=np.float64)), q_codes, P).reshape(P, S, P)
    yp_src = _category_source(yp, provinces, categories, yp_total_q.reshape(P * S, P)).reshape(P, S, P, K)
    final_use_q = _shares(yp_total_q.sum(axis=(0, 1)), 0, np.full(P, 1.0 / P))
    y_share = _shares(yp_src, (0, 2), out_share[:, :, None, None] * final_use_q[None, None, :, None])

    imp_final = provincial.imports_final
    imf_total = np.abs(imp_final).groupby(level=0, sort=False).sum().reindex(provinces, fill_value=0.0).to_numpy()
    imf_src = _category_source(imp_final, provinces, categories, imf_total)           # (P, K)
    imf_share = _shares(imf_src, 0, final_use_q[:, None])

    va_total = np.abs(provincial.VA.reindex(columns=pidx, fill_value=0.0).to_numpy(dtype=np.float64)).sum(axis=0)

    def provincial_row(row: str) -> np.ndarray:
        name = sources[row]
        frame = provincial.F if name in provincial.F.index else provincial.VA
        if name not in frame.index:
            raise TableLayoutError(f"factor_sources[{row!r}] = {name!r} is in neither ProvincialIO.F "
                                   f"{list(provincial.F.index)} nor ProvincialIO.VA {list(provincial.VA.index)}")
        return frame.loc[name].reindex(pidx, fill_value=0.0).to_numpy(dtype=np.float64)

    def factor_share(row: str) -> np.ndarray:
        if row in sources:
            src = provincial_row(row)
        elif row in va_rows:
            src = (provincial.VA.loc[row].reindex(pidx, fill_value=0.0).to_numpy(dtype=np.float64)
                   if row in provincial.VA.index else va_total)
        else:
            src = output.ravel()
        return _shares(src.reshape(P, S), 0, out_share)

    # initial split (steps 1-7)
    Zcc, Zcf, Zfc = Zw[np.ix_(c_idx, c_idx)], Zw[np.ix_(c_idx, f_idx)], Zw[np.ix_(f_idx, c_idx)]
    Ycf, Ycc, Yfc = Yw[np.ix_(c_idx, fy_idx)], Yw[np.ix_(c_idx, cy_idx)], Yw[np.ix_(f_idx, cy_idx)]
    va_pos = [factor_rows.index(r) for r in va_rows]
    Fc = Fw[:, c_idx]
    b1 = zp_share * Zcc[None, :, None, :]                      # (P,S,P,S)
    # b2 = exp_share[:, :, None] * Zcf[None]  (P,S,nf), b3 = Zfc[:, None, :] * imp_share[None]
    # (nf,P,S) and b4 = exp_share[:, :, None] * Ycf[None]  (P,S,mf): SplitBlocks below
    b5 = y_share * Ycc[None, :, None, :]                        # (P,S,P,K)
    b6 = Yfc[:, None, :] * imf_share[None]                      # (nf,P,K)
    fsplit = np.empty((len(factor_rows), P, S))                 # (k,P,S)
    for k, row in enumerate(factor_rows):
        if row in sources and row not in va_rows:               # e.g. CO2: split, or the provinces' levels
            fsplit[k] = provincial_factor(Fc[k], provincial_row(row), out_share, levels=row in levels)
        else:
            fsplit[k] = Fc[k][None, :] * factor_share(row)
    b7 = fsplit[va_pos]                                         # (kva,P,S)

    # step 8: GRAS with row, column and aggregation conditions
    world_output = Zw[c_idx].sum(axis=1) + Yw[c_idx].sum(axis=1)
    world_input = Zw[:, c_idx].sum(axis=0) + Fw[np.ix_(va_pos, c_idx)].sum(axis=0)
    if settings.output_targets == "provincial_output":
        target_share = out_share
    else:  # the split's own output, as a share of China's
        split_output = (b1.sum(axis=(2, 3)) + exp_share * (Zcf.sum(axis=1) + Ycf.sum(axis=1))[None, :]
                        + b5.sum(axis=(2, 3)))
        target_share = _shares(split_output, 0, out_share)
    # b1, b5 and the VA rows of b7 are stored grids; b2, b3 and b4 (a world cell times a
    # share: P times the size of China's foreign blocks) are SplitBlocks, formed once balanced
    ps = np.arange(P * S).reshape(P, S)
    world_cells = [Zcc, Zcf, Zfc, Ycf, Ycc, Fw[np.ix_(va_pos, c_idx)]]
    offsets = np.cumsum([0] + [w.size for w in world_cells])
    cell_ids = [np.arange(w.size).reshape(w.shape) + offset for w, offset in zip(world_cells, offsets)]
    ROWS, COLS, CELLS = 0, 1, 2
    blocks = [
        GridBlock(b1, {ROWS: ((0, 1), ps), COLS: ((2, 3), ps), CELLS: ((1, 3), cell_ids[0])}),
        GridBlock(b5, {ROWS: ((0, 1), ps), CELLS: ((1, 3), cell_ids[4])}),
        GridBlock(b7, {COLS: ((1, 2), ps), CELLS: ((0, 2), cell_ids[5])}),
        SplitBlock(exp_share, Zcf, ROWS, ps, CELLS, cell_ids[1]),         # b2 (P, S, nf)
        SplitBlock(imp_share, Zfc.T, COLS, ps, CELLS, cell_ids[2].T),     # b3 as (P, S, nf)
        SplitBlock(exp_share, Ycf, ROWS, ps, CELLS, cell_ids[3]),         # b4 (P, S, mf)
    ]
    no_flat_entries = np.empty(0, dtype=np.int64)
    constraints = [
        Constraint(no_flat_entries, (world_output[None, :] * target_share).ravel(), "province-sector output (row sums)"),
        Constraint(no_flat_entries, (world_input[None, :] * target_share).ravel(), "province-sector input (column sums)"),
        Constraint(no_flat_entries, np.concatenate([w.ravel() for w in world_cells]),
                   "provinces sum to the world's China cells"),
    ]
    result = balance_groups(np.empty(0), constraints, tol=settings.gras_tol, max_iter=settings.gras_max_iter,
                            blocks=blocks)
    b1, b5, b7 = result.blocks
    b2 = blocks[3].balanced(result.multipliers)
    b3 = blocks[4].balanced(result.multipliers).transpose(2, 0, 1)
    b4 = blocks[5].balanced(result.multipliers)
    fsplit[va_pos] = b7

    return EmbeddingResult(
        mrio=_assemble(world, china, provinces, sectors, categories, c_idx, f_idx, cy_idx, fy_idx,
                       b1, b2, b3, b4, b5, b6, fsplit),
        gras_iterations=result.iterations, gras_residual=result.residual,
        gras_sweep_seconds=result.sweep_seconds, output_shares=out_share)


def _assemble(world, china, provinces, sectors, categories, c_idx, f_idx, cy_idx, fy_idx,
              b1, b2, b3, b4, b5, b6, fsplit) -> MRIO:
    """Place the provincial blocks where China was; copy every other cell unchanged."""
    P, S, K = len(provinces), len(sectors), len(categories)
    province_rows = pd.MultiIndex.from_product([provinces, sectors], names=world.Z.index.names)
    province_cols = pd.MultiIndex.from_product([provinces, categories], names=world.Y.columns.names)

    def splice(index: pd.Index, is_china: np.ndarray, replacement: pd.MultiIndex):
        first = int(np.flatnonzero(is_china)[0])
        kept = index[~is_china]
        n_before = int((~is_china[:first]).sum())
        new = kept[:n_before].append(replacement).append(kept[n_before:])
        positions_kept = np.r_[np.arange(n_before), np.arange(n_before + len(replacement), len(new))]
        return new, positions_kept, np.arange(n_before, n_before + len(replacement))

    is_c = np.zeros(len(world.Z.index), bool)
    is_c[c_idx] = True
    is_cy = np.zeros(len(world.Y.columns), bool)
    is_cy[cy_idx] = True
    rows, fpos, ppos = splice(world.Z.index, is_c, province_rows)
    ycols, fypos, pypos = splice(world.Y.columns, is_cy, province_cols)

    n = len(rows)
    Z = np.zeros((n, n), order="F")
    _copy_runs(Z, fpos, fpos, world.Z.to_numpy(dtype=np.float64), f_idx, f_idx)
    Z[ppos[0]:ppos[-1] + 1, ppos[0]:ppos[-1] + 1] = b1.reshape(P * S, P * S)
    _copy_runs(Z, ppos, fpos, b2.reshape(P * S, -1), np.arange(P * S), np.arange(len(fpos)))
    _copy_runs(Z, fpos, ppos, b3.reshape(-1, P * S), np.arange(len(fpos)), np.arange(P * S))
    Y = np.zeros((n, len(ycols)), order="F")
    _copy_runs(Y, fpos, fypos, world.Y.to_numpy(dtype=np.float64), f_idx, fy_idx)
    _copy_runs(Y, ppos, fypos, b4.reshape(P * S, -1), np.arange(P * S), np.arange(len(fypos)))
    _copy_runs(Y, ppos, pypos, b5.reshape(P * S, P * K), np.arange(P * S), np.arange(P * K))
    _copy_runs(Y, fpos, pypos, b6.reshape(-1, P * K), np.arange(len(fpos)), np.arange(P * K))
    Fw = world.F.to_numpy(dtype=np.float64)
    F = np.zeros((Fw.shape[0], n))
    F[:, fpos] = Fw[:, f_idx]
    F[:, ppos] = fsplit.reshape(Fw.shape[0], P * S)
    # the frames wrap the arrays (pandas 3 copies an ndarray unless told not to)
    return MRIO(Z=pd.DataFrame(Z, index=rows, columns=rows, copy=False),
                Y=pd.DataFrame(Y, index=rows, columns=ycols, copy=False),
                F=pd.DataFrame(F, index=world.F.index, columns=rows, copy=False))


def _runs(*positions: np.ndarray) -> list[tuple[int, int, list[int]]]:
    """Split aligned position vectors into runs where each one is consecutive:
    (start in the vectors, length, [first position of each vector])."""
    if not len(positions[0]):
        return []
    breaks = np.zeros(len(positions[0]) - 1, dtype=bool)
    for pos in positions:
        breaks |= np.diff(pos) != 1
    starts = np.r_[0, np.flatnonzero(breaks) + 1]
    lengths = np.diff(np.r_[starts, len(positions[0])])
    return [(int(a), int(m), [int(pos[a]) for pos in positions]) for a, m in zip(starts, lengths)]


def _copy_runs(dst: np.ndarray, dst_rows, dst_cols, src: np.ndarray, src_rows, src_cols) -> None:
    """``dst[ix_(dst_rows, dst_cols)] = src[ix_(src_rows, src_cols)]`` as slice copies of
    consecutive runs (no n x n temporary from fancy indexing)."""
    col_runs = _runs(np.asarray(dst_cols), np.asarray(src_cols))
    for _, m, (dr, sr) in _runs(np.asarray(dst_rows), np.asarray(src_rows)):
        for _, k, (dc, sc) in col_runs:
            dst[dr:dr + m, dc:dc + k] = src[sr:sr + m, sc:sc + k]
