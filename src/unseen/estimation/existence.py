"""Does a log-linear model have a finite, unique maximum likelihood estimate on these counts?

Two checks, as in SparseMSE's ``checkident`` (Chan, Silverman & Vincent 2021), after
Fienberg & Rinaldo (2012):

* **existence**: the MLE is finite exactly when some strictly positive table has the same
  sufficient statistics (margins) ``X.T @ y`` as the data. We solve that as a linear program:
  maximise ``s`` subject to ``X.T @ x = X.T @ y`` and ``x >= s`` for every cell; the MLE exists
  iff the optimum is positive. When the design restricted to the non-zero cells already has
  full column rank no direction of unbounded likelihood exists, and the LP is skipped (this
  fast path is what keeps the bootstrap quick), and a term whose margin is zero (two lists
  that share nobody, for instance) fails at once.
* **identifiability**: the design over all the cells used has full column rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

__all__ = ["Identification", "check_identification", "mle_exists"]

FloatArray = npt.NDArray[np.float64]

_TOL = 1e-9


def _full_column_rank(x: FloatArray) -> bool:
    if x.shape[0] < x.shape[1]:
        return False
    return bool(np.linalg.matrix_rank(x) == x.shape[1])


def mle_exists(x: FloatArray, y: FloatArray) -> bool:
    """Whether the Poisson log-linear MLE for design ``x`` (cells x parameters) and counts
    ``y`` is finite. Depends only on which cells are zero."""
    positive = y > 0
    if positive.all() or _full_column_rank(x[positive]):
        return True
    # A column of one sign whose margin is zero (say, two lists nobody is on together) can
    # never be matched by a positive table.
    margins = x.T @ y
    one_signed = np.all(x >= 0, axis=0) | np.all(x <= 0, axis=0)
    if np.any((margins == 0) & np.any(x != 0, axis=0) & one_signed):
        return False
    ncell, npar = x.shape
    total = float(y.sum())
    if total <= 0:
        return False
    # Scale so that the counts sum to one: s is then at most 1 / ncell.
    b = x.T @ (y / total)
    c = np.zeros(ncell + 1)
    c[-1] = -1.0  # maximise s
    a_eq = np.hstack([x.T, np.zeros((npar, 1))])
    a_ub = np.hstack([-np.eye(ncell), np.ones((ncell, 1))])  # s - x_i <= 0
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=np.zeros(ncell),
        A_eq=a_eq,
        b_eq=b,
        bounds=[(0, None)] * ncell + [(0, 1.0)],
        method="highs",
    )
    if res.status != 0:  # infeasible cannot happen (x = y is feasible); be safe
        return False
    return bool(-res.fun > _TOL / ncell)


@dataclass(frozen=True)
class Identification:
    exists: bool
    identifiable: bool

    @property
    def ok(self) -> bool:
        return self.exists and self.identifiable


def check_identification(x: FloatArray, y: FloatArray) -> Identification:
    """Both checks of SparseMSE's ``checkident``."""
    identifiable = _full_column_rank(x)
    return Identification(exists=mle_exists(x, y), identifiable=identifiable)
