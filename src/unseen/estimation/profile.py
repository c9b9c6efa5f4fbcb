"""Multinomial profile-likelihood interval for the population size N (Cormack 1992).

For a candidate N the dark cell is given the count ``N - n`` and the log-linear model is fitted
to all ``2**t`` cells; the multinomial profile log-likelihood is then
``-deviance / 2 + log[(N - n)^(N - n) N! / (N^N (N - n)!)]``. The point estimate is the N that
maximises it and the interval is where it stays within ``chi2_1(level) / 2`` of the maximum.
This is Rcapture's ``closedpCI.t`` (same objective, same search ranges: the maximum in
``(n, 3 N_pois)``, the bounds in ``(n, N_max)`` and ``(N_max, 3 N_pois)``); when the upper bound
is not reached there, the search continues up to ``100 n`` before it gives up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2

from unseen.estimation.glm import PoissonFit, fit_poisson

__all__ = ["ProfileInterval", "profile_interval"]

FloatArray = npt.NDArray[np.float64]
Refit = Callable[[FloatArray, FloatArray | None], PoissonFit]

XTOL = 1e-4  # Rcapture's tolerance for optimize() and uniroot()
UPPER_FACTOR = 3.0  # Rcapture's fmaxSupCL
LIMIT_FACTOR = 100.0  # beyond 100 x observed we call the upper bound unbounded


@dataclass(frozen=True)
class ProfileInterval:
    n_max: float
    lower: float
    upper: float | None  # None: not reached below LIMIT_FACTOR * n
    lower_at_observed: bool
    grid: tuple[tuple[float, float], ...]  # (N, profile log-likelihood), sorted by N


def _correction(n_total: float, n0: float) -> float:
    """log[(n0^n0 N!) / (N^N n0!)], with 0^0 = 1."""
    a = n0 * np.log(n0) if n0 > 0 else 0.0
    return float(a - n_total * np.log(n_total) + gammaln(n_total + 1) - gammaln(n0 + 1))


def profile_interval(
    x_full: FloatArray,
    y_observed: FloatArray,
    n_pois: float,
    *,
    level: float = 0.95,
    refit: Refit | None = None,
) -> ProfileInterval:
    """``x_full`` is the design over all ``2**t`` cells with the dark cell (index 0) first;
    ``y_observed`` the counts of cells 1..2**t-1. ``refit(y, start)`` may replace the plain
    Poisson fit (Chao's models drop negative eta parameters in every fit)."""
    n = float(y_observed.sum())
    # A tight tolerance: the profile is flat near its top, and fit noise would move the top.
    fitter: Refit = refit or (
        lambda y, start: fit_poisson(x_full, y, start=start, maxit=100, epsilon=1e-12)
    )
    seen: dict[float, float] = {}

    def loglik(total: float) -> float:
        if total in seen:
            return seen[total]
        n0 = max(total - n, 0.0)
        y = np.concatenate([[n0], y_observed])
        # A cold start each time, as Rcapture: warm starts save little and can overshoot.
        fit = fitter(y, None)
        value = -fit.deviance / 2.0 + _correction(total, n0)
        seen[total] = value
        return value

    hi_search = max(UPPER_FACTOR * n_pois, n + 1.0)
    opt = minimize_scalar(
        lambda v: -loglik(float(v)),
        bounds=(n, hi_search),
        method="bounded",
        options={"xatol": XTOL},
    )
    n_max = float(opt.x)
    target = loglik(n_max) - chi2.ppf(level, 1) / 2.0

    def gap(v: float) -> float:
        return float(loglik(v) - target)

    if gap(n) < 0:
        lower = float(brentq(gap, n, n_max, xtol=XTOL))
        lower_at_observed = False
    else:
        lower, lower_at_observed = n, True
    upper: float | None = None
    a, b = n_max, hi_search
    limit = max(LIMIT_FACTOR * n, hi_search)
    while True:
        if gap(b) < 0:
            upper = float(brentq(gap, a, b, xtol=XTOL))
            break
        if b >= limit:
            break
        a, b = b, min(b * 3.0, limit)
    grid = tuple(sorted(seen.items()))
    return ProfileInterval(n_max, lower, upper, lower_at_observed, grid)
