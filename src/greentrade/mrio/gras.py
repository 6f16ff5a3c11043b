"""Generalised RAS (GRAS): sign-preserving biproportional balancing.

Junius & Oosterhaven (2003), "The solution of updating or regionalizing a matrix with both
positive and negative entries", Economic Systems Research 15(1); corrected formulation in
Lenzen, Wood & Gallego (2007), "Some comments on the GRAS method", ESR 19(4); Temurshoev,
Miller & Bouwmeester (2013), ESR 25(3).

A matrix X0 = P - N (P, N >= 0 its positive and negative parts) is scaled to
X = diag(r) P diag(s) - diag(r)^-1 N diag(s)^-1 so that X's row and column sums hit their
targets. Each step solves, per row (or column) with positive mass p, negative mass n and
target t, the quadratic r p - n / r = t:  r = (t + sqrt(t^2 + 4 p n)) / (2 p), or
r = -n / t when p = 0 (Lenzen et al. 2007, eqs. 7-8). Entries never change sign; zeros
stay zero.

:func:`balance_groups` is the same update applied to any number of partitions of the
entries (rows, columns, and the aggregation cells used by the provincial embedding): the
'multiple constraint' generalisation of Lenzen, Gallego & Wood (2009, ESR 21(1)).

Every entry's balanced value is its start value times the cumulative multipliers of its
groups (divided by them where negative), so a sweep only needs each group's positive and
negative mass. Entries can be given three ways, mixed freely: a flat vector with a group id
per entry and constraint (:class:`Constraint`); a :class:`GridBlock`, an n-d array whose
groups are products of its axes (masses are axis sums, no per-entry gathers); and a
:class:`SplitBlock`, world cells times shares, never stored while balancing (masses are
products of two small sums). One sweep then costs about the size of the stored entries plus
the number of groups, not the number of entries.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from greentrade.mrio.errors import GRASConvergenceError


@dataclass(frozen=True)
class Constraint:
    """One partition of (some of) the entries and the sum each group must reach.

    Attributes
    ----------
    groups : ndarray of int, (e,)
        Group of each entry of the flat ``values`` given to :func:`balance_groups` (-1 for
        entries this constraint ignores; may be empty when only blocks are balanced).
    targets : ndarray, (g,)
        Required sum of each group over the flat entries and every block that names this
        constraint, in the unit of the entries.
    name : str
        Named in GRASConvergenceError.
    """

    groups: np.ndarray
    targets: np.ndarray
    name: str = "constraint"


@dataclass(frozen=True)
class GridBlock:
    """Stored entries on an n-d grid whose groups follow its axes.

    Attributes
    ----------
    values : ndarray, any shape
        The start values (any sign, any unit).
    groups : mapping of int to (tuple of int, ndarray of int)
        Constraint index -> (kept axes, ids): the entry at grid position ``(i_0, ..., i_d)``
        is in group ``ids[i_kept]`` of that constraint, ``i_kept`` the position on the kept
        axes (ascending); ``ids`` has the shape of those axes. E.g. the provincial Z block
        (P, S, P, S) is grouped by rows over axes (0, 1), by columns over (2, 3) and by
        world cell over (1, 3).
    """

    values: np.ndarray
    groups: Mapping[int, tuple[tuple[int, ...], np.ndarray]]

    def __post_init__(self) -> None:
        for k, (axes, ids) in self.groups.items():
            if tuple(sorted(axes)) != tuple(axes) or ids.shape != tuple(self.values.shape[a] for a in axes):
                raise ValueError(f"GridBlock: constraint {k}: axes {axes} must ascend and ids must have "
                                 f"the shape of those axes of values {self.values.shape}; found {ids.shape}")


@dataclass(frozen=True)
class SplitBlock:
    """Entries ``shares[a, i] * cells[i, b]`` that are never stored during balancing.

    Attributes
    ----------
    shares : ndarray, (A, I)
        Nonnegative shares (dimensionless), e.g. the provinces' export shares.
    cells : ndarray, (I, B)
        World cells, any sign (thousand USD in the embedding).
    share_constraint, cell_constraint : int
        Indices of the two constraints the entries belong to.
    share_groups : ndarray of int, (A, I)
        Group of entry (a, i, b) in ``share_constraint``.
    cell_groups : ndarray of int, (I, B)
        Group of entry (a, i, b) in ``cell_constraint``.

    Notes
    -----
    The block is the split of world cells ``cells[i, b]`` (any sign) over the members ``a``
    of a partition by nonnegative ``shares[a, i]`` (the embedding's province shares). Its
    entries belong to two constraints: ``share_constraint`` groups entry (a, i, b) by
    ``share_groups[a, i]`` and ``cell_constraint`` by ``cell_groups[i, b]``. Because every
    GRAS multiplier is a function of the entry's groups, the balanced entry is
    ``shares[a, i] * (c+ m_s m_c - c- / (m_s m_c))`` with ``c+ / c-`` the positive and
    negative parts of the cell and ``m_s, m_c`` the cumulative multipliers of its two groups.
    Every group sum is then a product of an (A, I) and an (I, B) sum, so one sweep costs
    O(A I + I B) for this block instead of O(A I B).
    """

    shares: np.ndarray
    cells: np.ndarray
    share_constraint: int
    share_groups: np.ndarray
    cell_constraint: int
    cell_groups: np.ndarray

    def __post_init__(self) -> None:
        if self.shares.ndim != 2 or self.cells.ndim != 2 or self.shares.shape[1] != self.cells.shape[0]:
            raise ValueError(f"SplitBlock: shares (A, I) and cells (I, B) must share I; found "
                             f"{self.shares.shape} and {self.cells.shape}")
        if (self.shares < 0).any():
            raise ValueError("SplitBlock: shares must be nonnegative")
        if self.share_groups.shape != self.shares.shape or self.cell_groups.shape != self.cells.shape:
            raise ValueError("SplitBlock: group arrays must have the shapes of shares and cells")

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.shares.shape[0], self.shares.shape[1], self.cells.shape[1])

    def balanced(self, multipliers: Sequence[np.ndarray], out: np.ndarray | None = None) -> np.ndarray:
        """The balanced entries for the cumulative multipliers of a balancing.

        Parameters
        ----------
        multipliers : sequence of ndarray
            :attr:`GRASResult.multipliers`, one array per constraint.
        out : ndarray, (A, I, B), optional
            Where to write the result (any (A, I, B) view).

        Returns
        -------
        ndarray, (A, I, B)
            ``shares[a, i] * (c+ m_s m_c - c- / (m_s m_c))``, in the unit of ``cells``.
        """
        m_s = multipliers[self.share_constraint][self.share_groups]      # (A, I)
        m_c = multipliers[self.cell_constraint][self.cell_groups]        # (I, B)
        pos = np.maximum(self.cells, 0.0) * m_c
        neg = _ratio(np.maximum(-self.cells, 0.0), m_c)
        has_neg = bool(neg.any())
        if out is None:
            out = np.empty(self.shape)
        for a in range(self.shape[0]):  # one (I, B) slab at a time: no (A, I, B) temporaries
            np.multiply(pos, (self.shares[a] * m_s[a])[:, np.newaxis], out=out[a])
            if has_neg:
                out[a] -= neg * _ratio(self.shares[a], m_s[a])[:, np.newaxis]
        return out


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the numerator is 0 (an entry with no mass of that
    sign contributes nothing, whatever its group's multiplier)."""
    numerator, denominator = np.broadcast_arrays(numerator, denominator)
    out = np.zeros(numerator.shape)
    with np.errstate(divide="ignore"):
        np.divide(numerator, denominator, out=out, where=numerator != 0)
    return out


def _group_sums(groups: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``weights`` per group id (float64, also when there is nothing to sum)."""
    return np.bincount(groups, weights=weights, minlength=n).astype(np.float64, copy=False)


class _Groups:
    """Group ids of a block's (n-d) sums, added into a constraint's group vector. Blocks
    usually own a consecutive range of groups (row-major, or column-major for a transposed
    block): then adding is a slice add, not a scatter."""

    def __init__(self, ids: np.ndarray):
        self.ids = np.asarray(ids)
        flat = self.ids.ravel()
        self.start, self.transposed = None, False
        if flat.size and self.ids.ndim <= 2:
            for transposed, order in ((False, flat), (True, self.ids.T.ravel())):
                if order[-1] - order[0] == order.size - 1 and (np.diff(order) == 1).all():
                    self.start, self.transposed = int(order[0]), transposed
                    break

    def add(self, out: np.ndarray, sums: np.ndarray) -> None:
        if self.start is None:
            out += _group_sums(self.ids.ravel(), sums.ravel(), len(out))
        else:
            out[self.start:self.start + sums.size] += (sums.T if self.transposed else sums).ravel()


@dataclass(frozen=True)
class GRASResult:
    """Balanced values, number of sweeps, and the final max relative residual.

    Attributes
    ----------
    values : ndarray
        The balanced flat entries (:func:`balance_groups`), or the balanced matrix
        (:func:`gras`), in the unit of the input.
    iterations : int
        Sweeps done.
    residual : float
        Largest relative residual ``|sum - target| / |target|`` over all groups.
    multipliers : tuple of ndarray
        ``multipliers[c]``: the cumulative multiplier of every group of constraint ``c``
        (what :meth:`SplitBlock.balanced` needs).
    blocks : tuple of ndarray
        The balanced values of each GridBlock, in the order given.
    sweep_seconds : tuple of float
        Wall time of each sweep (s).
    """

    values: np.ndarray
    iterations: int
    residual: float
    multipliers: tuple = ()
    blocks: tuple = ()
    sweep_seconds: tuple = ()

    def summary(self) -> str:
        """One line: sweeps and residual.

        Returns
        -------
        str
            ``GRAS converged in <sweeps> sweeps, max relative residual <residual>``.
        """
        return f"GRAS converged in {self.iterations} sweeps, max relative residual {self.residual:.3g}"


class _Flat:
    """The flat entries, split by sign (GRAS keeps every sign, so the split holds for all
    sweeps), with each constraint's member positions."""

    def __init__(self, values: np.ndarray, constraints: Sequence[Constraint]):
        self.values = values
        negative = values < 0
        self.has_negative = bool(negative.any())
        self.negative = negative
        self.parts = []
        for c in constraints:
            groups = np.asarray(c.groups)
            if groups.shape != values.shape:
                raise ValueError(f"constraint {c.name!r}: {groups.shape[0]} group ids for {values.shape[0]} entries")
            members = np.flatnonzero(groups >= 0)
            if len(members) == len(values):  # every entry a member: no gather / scatter
                self.parts.append((None, groups, None, None))
                continue
            g, neg = groups[members], negative[members]
            self.parts.append((members[~neg], g[~neg], members[neg], g[neg]))

    def masses(self, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        pos_m, pos_g, neg_m, neg_g = self.parts[k]
        v = self.values
        if pos_m is None:
            p = _group_sums(pos_g, np.maximum(v, 0.0) if self.has_negative else v, n)
            q = (_group_sums(pos_g, np.maximum(-v, 0.0), n) if self.has_negative else np.zeros(n))
            return p, q
        return _group_sums(pos_g, v[pos_m], n), _group_sums(neg_g, -v[neg_m], n)

    def apply(self, k: int, r: np.ndarray) -> None:
        pos_m, pos_g, neg_m, neg_g = self.parts[k]
        v = self.values
        if pos_m is None:
            factor = r[pos_g]
            if not self.has_negative:
                v *= factor
                return
            np.multiply(v, factor, out=v, where=~self.negative)
            with np.errstate(divide="ignore"):
                np.divide(v, factor, out=v, where=self.negative)
            return
        v[pos_m] *= r[pos_g]
        if len(neg_m):
            with np.errstate(divide="ignore"):
                v[neg_m] /= r[neg_g]


class _Grid:
    """A GridBlock's entries as positive and negative parts (both >= 0)."""

    def __init__(self, block: GridBlock):
        values = np.asarray(block.values, dtype=np.float64)
        self.pos = np.maximum(values, 0.0)
        self.neg = np.maximum(-values, 0.0)
        self.has_negative = bool(self.neg.any())
        self.groups = {k: (tuple(axes), np.asarray(ids)) for k, (axes, ids) in block.groups.items()}
        self.adders = {k: _Groups(ids) for k, (axes, ids) in block.groups.items()}
        self.ndim = values.ndim

    def _summed(self, axes):
        return tuple(a for a in range(self.ndim) if a not in axes)

    def add_masses(self, k: int, p: np.ndarray, q: np.ndarray) -> None:
        summed = self._summed(self.groups[k][0])
        self.adders[k].add(p, self.pos.sum(axis=summed))
        if self.has_negative:
            self.adders[k].add(q, self.neg.sum(axis=summed))

    def apply(self, k: int, r: np.ndarray) -> None:
        axes, ids = self.groups[k]
        factor = np.expand_dims(r[ids], self._summed(axes))
        self.pos *= factor
        if self.has_negative:
            with np.errstate(divide="ignore", invalid="ignore"):
                np.divide(self.neg, factor, out=self.neg, where=self.neg != 0)

    def values(self) -> np.ndarray:
        return self.pos - self.neg if self.has_negative else self.pos


class _Split:
    """A SplitBlock's masses from the cumulative multipliers (nothing stored per entry)."""

    def __init__(self, block: SplitBlock):
        self.block = block
        self.pos = np.maximum(block.cells, 0.0)
        self.neg = np.maximum(-block.cells, 0.0)
        self.has_negative = bool(self.neg.any())
        self.share_adder, self.cell_adder = _Groups(block.share_groups), _Groups(block.cell_groups)

    def add_masses(self, k: int, p: np.ndarray, q: np.ndarray, multipliers) -> None:
        b = self.block
        m_s = multipliers[b.share_constraint][b.share_groups]
        m_c = multipliers[b.cell_constraint][b.cell_groups]
        if k == b.share_constraint:
            pos = b.shares * m_s * (self.pos * m_c).sum(axis=1)[np.newaxis, :]
            neg = (_ratio(b.shares, m_s) * _ratio(self.neg, m_c).sum(axis=1)[np.newaxis, :]
                   if self.has_negative else None)
            adder = self.share_adder
        else:
            pos = self.pos * m_c * (b.shares * m_s).sum(axis=0)[:, np.newaxis]
            neg = (_ratio(self.neg, m_c) * _ratio(b.shares, m_s).sum(axis=0)[:, np.newaxis]
                   if self.has_negative else None)
            adder = self.cell_adder
        adder.add(p, pos)
        if neg is not None:
            adder.add(q, neg)


class _Target:
    """A constraint's targets, residual scale and GRAS step."""

    def __init__(self, constraint: Constraint):
        self.targets = np.asarray(constraint.targets, dtype=np.float64)
        self.n = len(self.targets)
        # zero targets are judged on an absolute scale tied to the largest target
        self.scale = np.abs(self.targets) + 1e-12 * max(float(np.abs(self.targets).max(initial=0.0)), 1e-300)
        self.name = constraint.name

    def residual(self, p: np.ndarray, q: np.ndarray) -> float:
        return float(np.max(np.abs(p - q - self.targets) / self.scale, initial=0.0))

    def multiplier(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """The GRAS step: r with r p - q / r = t per group (Lenzen et al. 2007, eqs. 7-8)."""
        t = self.targets
        r = np.ones(self.n)
        root = np.sqrt(t * t + 4.0 * p * q)
        root += t
        np.divide(root, 2.0 * p, out=r, where=p > 0)
        only_neg = (p <= 0) & (q > 0) & (t < 0)
        if only_neg.any():
            r[only_neg] = -q[only_neg] / t[only_neg]
        # a zero multiplier (target 0, no negative mass) zeroes the group, as RAS does
        return r


def balance_groups(values, constraints: Sequence[Constraint], *, tol: float = 1e-10,
                   max_iter: int = 1000, blocks: Sequence[GridBlock | SplitBlock] = ()) -> GRASResult:
    """Scale ``values`` (1-d) and the ``blocks`` sign-preservingly until every constraint holds.

    One sweep applies the GRAS update (docs/method.md eq. (E13)) for each constraint in
    turn; convergence is the max over all groups of ``|sum - target| / |target|`` below
    ``tol``, measured after a sweep (zero targets judged on an absolute scale of 1e-12 x the
    constraint's largest target). A group's sum runs over its flat entries in ``values`` and
    over the entries of every block that names the constraint (block constraint indices
    refer to ``constraints``).

    Parameters
    ----------
    values : array_like, (e,)
        Flat start values, any sign (may be empty when only blocks are balanced).
    constraints : sequence of Constraint
        The partitions and their targets, in the unit of the entries.
    tol : float
        Largest relative residual accepted.
    max_iter : int
        Sweeps before GRASConvergenceError.
    blocks : sequence of GridBlock or SplitBlock
        Further entries grouped by their axes; :class:`SplitBlock` entries are never
        formed: read them with ``SplitBlock.balanced(result.multipliers)``; GridBlock values
        come back in ``result.blocks``.

    Returns
    -------
    GRASResult
        Balanced flat values (e,), blocks, multipliers, sweeps, residual.

    Raises
    ------
    GRASConvergenceError
        After ``max_iter`` sweeps, with the residual reached and the worst constraint named.
    """
    flat = _Flat(np.array(values, dtype=np.float64, copy=True), constraints)
    targets = [_Target(c) for c in constraints]
    grids = [_Grid(b) for b in blocks if isinstance(b, GridBlock)]
    splits = [_Split(b) for b in blocks if isinstance(b, SplitBlock)]
    multipliers = [np.ones(t.n) for t in targets]
    grids_of = [[g for g in grids if k in g.groups] for k in range(len(targets))]
    splits_of = [[s for s in splits if k in (s.block.share_constraint, s.block.cell_constraint)]
                 for k in range(len(targets))]

    def masses(k: int) -> tuple[np.ndarray, np.ndarray]:
        n = targets[k].n
        p, q = flat.masses(k, n)
        for g in grids_of[k]:
            g.add_masses(k, p, q)
        for s in splits_of[k]:
            s.add_masses(k, p, q, multipliers)
        return p, q

    def residuals() -> list[float]:
        return [t.residual(*masses(k)) for k, t in enumerate(targets)]

    residual = max(residuals(), default=0.0)
    iterations = 0
    seconds = []
    while residual > tol:
        if iterations >= max_iter:
            worst = targets[int(np.argmax(residuals()))]
            raise GRASConvergenceError(
                f"GRAS did not converge in {max_iter} sweeps: max relative residual {residual:.3g} "
                f"> tol {tol:.3g} (worst constraint: {worst.name}). The targets may be "
                "inconsistent (row and column totals differ) or a group has no entries to scale.",
                residual=residual, iterations=iterations)
        start = time.perf_counter()
        for k, target in enumerate(targets):
            r = target.multiplier(*masses(k))
            flat.apply(k, r)
            for g in grids_of[k]:
                g.apply(k, r)
            multipliers[k] *= r
        iterations += 1
        residual = max(residuals(), default=0.0)
        seconds.append(time.perf_counter() - start)
    return GRASResult(values=flat.values, iterations=iterations, residual=residual,
                      multipliers=tuple(multipliers), blocks=tuple(g.values() for g in grids),
                      sweep_seconds=tuple(seconds))


def gras(matrix, row_targets, col_targets, *, tol: float = 1e-10, max_iter: int = 1000) -> GRASResult:
    """Balance a 2-d ``matrix`` to row sums ``row_targets`` and column sums ``col_targets``.

    Sign-preserving GRAS (Junius & Oosterhaven 2003; Lenzen et al. 2007; docs/method.md
    eq. (E13)): ``diag(r) P diag(s) - diag(r)^-1 N diag(s)^-1``.

    Parameters
    ----------
    matrix : array_like, (m, n)
        Start values, any sign (e.g. thousand USD).
    row_targets : array_like, (m,)
        Required row sums, in the unit of ``matrix``.
    col_targets : array_like, (n,)
        Required column sums, in the unit of ``matrix``.
    tol : float
        Largest relative residual accepted.
    max_iter : int
        Sweeps before GRASConvergenceError.

    Returns
    -------
    GRASResult
        ``values``: the balanced matrix (m, n); ``iterations``, ``residual``.

    Raises
    ------
    GRASConvergenceError
        The residual is still above ``tol`` after ``max_iter`` sweeps (e.g. when
        ``sum(row_targets) != sum(col_targets)``).
    """
    X = np.asarray(matrix, dtype=np.float64)
    n_rows, n_cols = X.shape
    rows = np.repeat(np.arange(n_rows), n_cols)
    cols = np.tile(np.arange(n_cols), n_rows)
    result = balance_groups(X.ravel(), [Constraint(rows, row_targets, "rows"), Constraint(cols, col_targets, "columns")],
                            tol=tol, max_iter=max_iter)
    return GRASResult(values=result.values.reshape(n_rows, n_cols), iterations=result.iterations,
                      residual=result.residual)
