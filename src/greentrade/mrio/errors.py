"""Exceptions raised by the MRIO routines.

Each one carries the numbers a reader needs to see what went wrong, so a failing
pipeline run says what was expected, what was found and where.
"""

from __future__ import annotations


class MRIOError(ValueError):
    """Base class for every error raised by :mod:`greentrade.mrio`."""


class SingularSystemError(MRIOError):
    """``I - A`` is singular (or numerically so) and cannot be solved.

    Attributes
    ----------
    rcond : float or None
        Reciprocal condition number of ``I - A`` found (1-norm).
    """

    def __init__(self, message: str, rcond: float | None = None):
        super().__init__(message)
        self.rcond = rcond


class NonProductiveError(MRIOError):
    """``A`` is not productive: its spectral radius is >= 1, so ``L = (I - A)^-1``
    is not the convergent series ``I + A + A^2 + ...`` and the accounts are meaningless.

    Attributes
    ----------
    spectral_radius : float
        rho(A) found.
    """

    def __init__(self, message: str, spectral_radius: float):
        super().__init__(message)
        self.spectral_radius = spectral_radius


class GRASConvergenceError(MRIOError):
    """GRAS did not reach the requested tolerance within ``max_iter`` sweeps.

    Attributes
    ----------
    residual : float
        Largest relative residual over all conditions when it stopped.
    iterations : int
        Sweeps done.
    """

    def __init__(self, message: str, residual: float, iterations: int):
        super().__init__(message)
        self.residual = residual
        self.iterations = iterations


class TableLayoutError(MRIOError):
    """Labels or shapes of the input frames do not line up."""


class InputTableError(MRIOError):
    """A table handed to a builder (the warehouse's cells and labels, or a user's frames)
    does not hold what the computation needs: a missing year, province or label, or
    flows that cannot be right. The message names the table and the place."""
