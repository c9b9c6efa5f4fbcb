"""BCa bootstrap intervals for an estimator of the population size (DiCiccio & Efron 1996),
in the form Chan, Silverman & Vincent (2021, section 3.3) use for multiple systems estimation.

* Replicates: the ``n`` observed people are resampled with replacement, i.e. the observed
  pattern counts are drawn from a multinomial with the observed proportions, and the whole
  estimator (model selection included) is rerun on each.
* Bias correction ``z0 = Phi^-1(share of replicates below the estimate)``.
* Acceleration from the jackknife that removes one person at a time (one per distinct
  pattern, weighted by its count): ``a = sum c r^3 / (6 (sum c r^2)^1.5)``.
* Bounds: the replicates' quantiles (Hyndman-Fan type 8, R's choice in SparseMSE) at
  ``Phi(z0 + (z0 + z) / (1 - a (z0 + z)))``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

__all__ = ["BCa", "bca_interval", "jackknife_acceleration", "multinomial_replicates"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class BCa:
    lower: float
    upper: float
    z0: float
    acceleration: float
    replicates: int  # finite replicates used
    failed: int  # replicates the estimator could not estimate
    probs: tuple[float, float] = (float("nan"), float("nan"))  # quantile levels used


def multinomial_replicates(counts: IntArray, nboot: int, rng: np.random.Generator) -> IntArray:
    """``nboot`` resamples of the pattern counts (rows: replicates)."""
    n = int(counts.sum())
    return rng.multinomial(n, counts / n, size=nboot).astype(np.int64)


def jackknife_acceleration(counts: IntArray, estimator: Callable[[IntArray], float]) -> float:
    """The acceleration ``a`` from leaving out one person of each pattern in turn."""
    jack = np.zeros(len(counts))
    for j, c in enumerate(counts):
        if c > 0:
            reduced = counts.copy()
            reduced[j] -= 1
            jack[j] = estimator(reduced)
    w = counts.astype(np.float64)
    resid = float(w @ jack) / float(w.sum()) - jack
    denom = 6.0 * float(w @ resid**2) ** 1.5
    return float(w @ resid**3) / denom if denom > 0 else 0.0


def bca_interval(
    replicates: FloatArray, estimate: float, acceleration: float, level: float = 0.95
) -> BCa:
    """BCa bounds at ``level`` from the replicates (non-finite ones are left out)."""
    finite = replicates[np.isfinite(replicates)]
    failed = int(replicates.size - finite.size)
    if finite.size < 2:
        return BCa(float("nan"), float("nan"), float("nan"), acceleration, finite.size, failed)
    share = float(np.mean(finite < estimate))
    # All replicates on one side: z0 is infinite and BCa breaks down; clamp to one replicate.
    share = min(max(share, 0.5 / finite.size), 1 - 0.5 / finite.size)
    z0 = float(norm.ppf(share))
    alpha = np.array([(1 - level) / 2, (1 + level) / 2])
    za = norm.ppf(alpha) + z0
    probs = norm.cdf(z0 + za / (1 - acceleration * za))
    lo, hi = np.quantile(finite, probs, method="median_unbiased")
    return BCa(
        float(lo),
        float(hi),
        z0,
        acceleration,
        int(finite.size),
        failed,
        (float(probs[0]), float(probs[1])),
    )
