"""Two lists: the Lincoln-Petersen and Chapman estimators.

With ``n1`` people on the first list, ``n2`` on the second and ``m`` on both:

* Lincoln-Petersen ``N = n1 n2 / m`` (the MLE; biased upwards when ``m`` is small), variance
  ``n1**2 n2 (n2 - m) / m**3``;
* Chapman ``N = (n1 + 1)(n2 + 1) / (m + 1) - 1`` (nearly unbiased when
  ``n1 + n2 >= N``), Seber's (1970) variance
  ``(n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)**2 (m + 2))``.

Both intervals are log-normal on the unseen part ``f0 = N - n`` (Chao 1987, the form Rcapture
uses for its normal-mixture model): ``n + f0 / C`` to ``n + f0 C`` with
``C = exp(z sqrt(log(1 + var / f0**2)))``; the lower bound is never below the number observed,
which a symmetric Wald interval can be.

Both assume a closed population, lists independent of each other, and everyone on a list
equally likely to be on the other. They are not estimable when nobody is on both lists.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from unseen.estimation._bilingual import both
from unseen.estimation.histories import CaptureHistories
from unseen.estimation.loglinear import ESTIMATE_LIMIT
from unseen.estimation.result import Estimate

__all__ = [
    "chapman_point",
    "estimate_chapman",
    "estimate_lincoln_petersen",
    "lincoln_petersen_point",
]


def lincoln_petersen_point(n1: int, n2: int, m: int) -> float:
    """``n1 * n2 / m``; infinite when ``m == 0``."""
    return float("inf") if m == 0 else n1 * n2 / m


def chapman_point(n1: int, n2: int, m: int) -> float:
    return (n1 + 1) * (n2 + 1) / (m + 1) - 1


def _margins(
    h: CaptureHistories, pair: tuple[int, int] | None
) -> tuple[int, int, int, tuple[str, str]]:
    if pair is None:
        if h.n_lists != 2:
            raise ValueError(
                f"{h.n_lists} lists: name the two to use with pair=(i, j), or use a method for "
                "several lists"
            )
        pair = (0, 1)
    i, j = pair
    if i == j or not (0 <= i < h.n_lists and 0 <= j < h.n_lists):
        raise ValueError("pair must name two different lists")
    p = h.patterns.astype(np.int64)
    c = h.counts
    n1 = int(c @ p[:, i])
    n2 = int(c @ p[:, j])
    m = int(c @ (p[:, i] * p[:, j]))
    return n1, n2, m, (h.lists[i], h.lists[j])


def _lognormal(
    method: str, h: CaptureHistories, pair: tuple[int, int] | None, level: float, chap: bool
) -> Estimate:
    n1, n2, m, names = _margins(h, pair)
    n = n1 + n2 - m
    diag = {
        "n1": n1,
        "n2": n2,
        "m": m,
        "pair": list(names),
        "interval": "log-normal on the unseen part (Chao 1987)",
    }
    if m == 0:
        return Estimate.not_estimable(
            method,
            n,
            names,
            both(
                f"Lists {names[0]} and {names[1]} share nobody, so two-list estimation has "
                "nothing to go on: the estimate would be infinite.",
                f"명단 {names[0]}와(과) {names[1]}에 함께 있는 사람이 없어 두 명단 추정의 "
                "근거가 없습니다: 추정값이 무한대가 됩니다.",
            ),
            level=level,
            diagnostics=diag,
            stratum=h.stratum,
        )
    if chap:
        est = chapman_point(n1, n2, m)
        var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    else:
        est = lincoln_petersen_point(n1, n2, m)
        var = n1**2 * n2 * (n2 - m) / m**3
    diag["variance"] = var
    if est > ESTIMATE_LIMIT * n:
        return Estimate.not_estimable(
            method,
            n,
            names,
            both(
                f"The estimate ({est:,.0f}) is more than {ESTIMATE_LIMIT:.0f} times the {n:,} "
                f"observed: lists {names[0]} and {names[1]} overlap too little.",
                f"추정값({est:,.0f}명)이 관측 인원 {n:,}명의 {ESTIMATE_LIMIT:.0f}배를 넘습니다: "
                f"명단 {names[0]}와(과) {names[1]}의 겹침이 너무 적습니다.",
            ),
            level=level,
            diagnostics=diag,
            stratum=h.stratum,
        )
    f0 = est - n
    if f0 <= 0:
        lower = upper = float(n)
    else:
        z = float(norm.ppf(0.5 + level / 2))
        cfac = float(np.exp(z * np.sqrt(np.log1p(var / f0**2))))
        lower, upper = n + f0 / cfac, n + f0 * cfac
    return Estimate(
        method=method,
        observed=n,
        estimate=est,
        lower=lower,
        upper=upper,
        level=level,
        lists=names,
        diagnostics=diag,
        stratum=h.stratum,
    )


def estimate_lincoln_petersen(
    h: CaptureHistories, *, pair: tuple[int, int] | None = None, level: float = 0.95
) -> Estimate:
    """Lincoln-Petersen on two lists (``pair`` picks them from a larger table)."""
    return _lognormal("lincoln_petersen", h, pair, level, chap=False)


def estimate_chapman(
    h: CaptureHistories, *, pair: tuple[int, int] | None = None, level: float = 0.95
) -> Estimate:
    """Chapman's estimator with Seber's variance and a log-normal interval."""
    return _lognormal("chapman", h, pair, level, chap=True)
