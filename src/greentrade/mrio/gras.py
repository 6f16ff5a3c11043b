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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from greentrade.mrio.errors import GRASConvergenceError


@dataclass(frozen=True)
class Constraint:
    """One partition of (some of) the entries: ``groups[e]`` is the group of entry ``e``
    (-1 for entries this constraint ignores); ``targets[g]`` the required sum of group g."""

    groups: np.ndarray
    targets: np.ndarray
    name: str = "constraint"


@dataclass(frozen=True)
class GRASResult:
    """Balanced values, number of sweeps, and the final max relative residual."""

    values: np.ndarray
    iterations: int
    residual: float

    def summary(self) -> str:
        return f"GRAS converged in {self.iterations} sweeps, max relative residual {self.residual:.3g}"


class _Prepared:
    """A constraint restricted to its member entries, split by sign (GRAS keeps every sign, so
    the split holds for all sweeps), with a residual scale."""

    def __init__(self, constraint: Constraint, negative: np.ndarray):
        groups = np.asarray(constraint.groups)
        self.members = np.flatnonzero(groups >= 0)
        self.groups = groups[self.members]
        neg = negative[self.members]
        self.pos_members, self.pos_groups = self.members[~neg], self.groups[~neg]
        self.neg_members, self.neg_groups = self.members[neg], self.groups[neg]
        # every entry a member: work on the whole vector in place (no gather / scatter)
        self.whole = len(self.members) == len(negative)
        self.negative = negative if self.whole and len(self.neg_members) else None
        self.targets = np.asarray(constraint.targets, dtype=np.float64)
        self.n = len(self.targets)
        # zero targets are judged on an absolute scale tied to the largest target
        self.scale = np.abs(self.targets) + 1e-12 * max(float(np.abs(self.targets).max(initial=0.0)), 1e-300)
        self.name = constraint.name

    def residual(self, values: np.ndarray) -> float:
        sums = np.bincount(self.groups, weights=values if self.whole else values[self.members], minlength=self.n)
        return float(np.max(np.abs(sums - self.targets) / self.scale, initial=0.0))

    def update(self, values: np.ndarray) -> None:
        if self.whole:  # the negative entries add exact zeros to p (signs never change)
            p = np.bincount(self.groups, weights=values if self.negative is None else np.maximum(values, 0.0),
                            minlength=self.n)
        else:
            p = np.bincount(self.pos_groups, weights=values[self.pos_members], minlength=self.n)
        q = np.bincount(self.neg_groups, weights=-values[self.neg_members], minlength=self.n)
        t = self.targets
        r = np.ones(self.n)
        pos = p > 0
        r[pos] = (t[pos] + np.sqrt(t[pos] ** 2 + 4.0 * p[pos] * q[pos])) / (2.0 * p[pos])
        only_neg = ~pos & (q > 0) & (t < 0)
        r[only_neg] = -q[only_neg] / t[only_neg]
        # a zero multiplier (target 0, no negative mass) zeroes the group, as RAS does
        if self.whole:
            factor = r[self.groups]
            if self.negative is None:
                values *= factor
                return
            np.multiply(values, factor, out=values, where=~self.negative)
            with np.errstate(divide="ignore"):
                np.divide(values, factor, out=values, where=self.negative)
            return
        values[self.pos_members] *= r[self.pos_groups]
        if len(self.neg_members):
            with np.errstate(divide="ignore"):
                values[self.neg_members] /= r[self.neg_groups]


def balance_groups(values, constraints: Sequence[Constraint], *, tol: float = 1e-10,
                   max_iter: int = 1000) -> GRASResult:
    """Scale ``values`` (1-d) sign-preservingly until every constraint holds.

    One sweep applies the GRAS update for each constraint in turn; convergence is the max
    over all groups of ``|sum - target| / |target|`` below ``tol``, measured after a sweep.

    Raises GRASConvergenceError (with the residual reached) after ``max_iter`` sweeps.
    """
    values = np.array(values, dtype=np.float64, copy=True)
    negative = values < 0
    prepared = [_Prepared(c, negative) for c in constraints]
    residual = max(c.residual(values) for c in prepared)
    iterations = 0
    while residual > tol:
        if iterations >= max_iter:
            worst = max(prepared, key=lambda c: c.residual(values))
            raise GRASConvergenceError(
                f"GRAS did not converge in {max_iter} sweeps: max relative residual {residual:.3g} "
                f"> tol {tol:.3g} (worst constraint: {worst.name}). The targets may be "
                "inconsistent (row and column totals differ) or a group has no entries to scale.",
                residual=residual, iterations=iterations)
        for constraint in prepared:
            constraint.update(values)
        iterations += 1
        residual = max(c.residual(values) for c in prepared)
    return GRASResult(values=values, iterations=iterations, residual=residual)


def gras(matrix, row_targets, col_targets, *, tol: float = 1e-10, max_iter: int = 1000) -> GRASResult:
    """Balance a 2-d ``matrix`` to row sums ``row_targets`` and column sums ``col_targets``.

    Returns a :class:`GRASResult` whose ``values`` is the balanced matrix (same shape).
    Raises GRASConvergenceError when the residual is still above ``tol`` after ``max_iter``
    sweeps (e.g. when ``sum(row_targets) != sum(col_targets)``).
    """
    X = np.asarray(matrix, dtype=np.float64)
    n_rows, n_cols = X.shape
    rows = np.repeat(np.arange(n_rows), n_cols)
    cols = np.tile(np.arange(n_cols), n_rows)
    result = balance_groups(X.ravel(), [Constraint(rows, row_targets, "rows"), Constraint(cols, col_targets, "columns")],
                            tol=tol, max_iter=max_iter)
    return GRASResult(values=result.values.reshape(n_rows, n_cols), iterations=result.iterations,
                      residual=result.residual)
