"""Rcapture's closed-population models: M0, Mt, and heterogeneity models Mh and Mth.

With ``c`` the number of lists a pattern is on, the design (after the intercept) is:

=========  ===========================================================================
M0         ``c``
Mt         one column per list (the independence model)
Mh *h*     ``c`` plus the heterogeneity column(s) ``h(c)``
Mth *h*    one column per list plus ``h(c)``
=========  ===========================================================================

and ``h`` is Chao's lower bound (``t - 2`` columns ``max(c - k + 1, 0)`` for ``k = 3..t``,
whose coefficients, the eta parameters, must not be negative: a negative one is dropped and
the model refitted, as Rcapture does with ``neg=TRUE``), Poisson ``theta**c - 1``
(theta = 2), Darroch ``c**2 / 2`` or Gamma ``log(theta) - log(theta + c)`` (theta = 3.5).
These are the definitions of Rcapture's ``closedp.t`` / ``closedpCI.t``; the interval is the
same profile likelihood as for any log-linear model (:mod:`.profile`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from unseen.estimation._bilingual import both
from unseen.estimation.existence import mle_exists
from unseen.estimation.glm import PoissonFit, fit_poisson
from unseen.estimation.histories import CaptureHistories
from unseen.estimation.loglinear import Refit, estimate_design, no_mle_message
from unseen.estimation.models import all_cells
from unseen.estimation.result import Estimate

__all__ = ["HETEROGENEITY", "estimate_closed_model", "estimate_closedp"]

FloatArray = npt.NDArray[np.float64]
Heterogeneity = Literal["chao", "poisson", "darroch", "gamma"]
HETEROGENEITY: tuple[Heterogeneity, ...] = ("chao", "poisson", "darroch", "gamma")
DEFAULT_THETA = {"poisson": 2.0, "gamma": 3.5}


def _heterogeneity_columns(c: FloatArray, t: int, h: Heterogeneity, theta: float) -> FloatArray:
    if h == "chao":
        return np.column_stack([np.maximum(c - k + 1, 0.0) for k in range(3, t + 1)])
    if h == "poisson":
        return (theta**c - 1.0)[:, None]
    if h == "darroch":
        return (c**2 / 2.0)[:, None]
    if h == "gamma":
        out: FloatArray = (np.log(theta) - np.log(theta + c))[:, None]
        return out
    raise ValueError(f"unknown heterogeneity {h!r}; use one of {', '.join(HETEROGENEITY)}")


def closed_design(
    t: int, time: bool, h: Heterogeneity | None, theta: float | None = None
) -> tuple[FloatArray, int]:
    """Design over all ``2**t`` cells (dark cell first) and the number of leading columns,
    intercept included, that are not heterogeneity columns."""
    bits = all_cells(t).astype(np.float64)
    c = bits.sum(axis=1)
    base = bits if time else c[:, None]
    cols = [np.ones((2**t, 1)), base]
    nca = 1 + base.shape[1]
    if h is not None:
        th = DEFAULT_THETA.get(h, 0.0) if theta is None else theta
        cols.append(_heterogeneity_columns(c, t, h, th))
    return np.hstack(cols), nca


def _chao_fit(x: FloatArray, y: FloatArray, nca: int) -> tuple[PoissonFit, list[int]]:
    """Fit, then drop the first negative eta and refit until none is negative (Rcapture's
    ``Chao.neg``). Returns the fit and the columns kept."""
    cols = list(range(x.shape[1]))
    fit = fit_poisson(x, y, maxit=100, epsilon=1e-12)
    while True:
        eta = fit.coef[nca:]
        neg = [i for i, v in enumerate(eta) if np.isfinite(v) and v < 0]
        if not neg:
            return fit, cols
        del cols[nca + neg[0]]
        fit = fit_poisson(x[:, cols], y, maxit=100, epsilon=1e-12)


def _chao_refit(x_full: FloatArray, nca: int) -> Refit:
    def refit(y: FloatArray, start: FloatArray | None) -> PoissonFit:
        del start
        x = x_full if len(y) == x_full.shape[0] else x_full[1:]
        return _chao_fit(x, y, nca)[0]

    return refit


def estimate_closed_model(
    h: CaptureHistories,
    model: Literal["M0", "Mt", "Mh", "Mth"] = "Mt",
    heterogeneity: Heterogeneity | None = None,
    *,
    theta: float | None = None,
    level: float = 0.95,
) -> Estimate:
    """One of Rcapture's closed-population models with its profile-likelihood interval."""
    t = h.n_lists
    time = model in ("Mt", "Mth")
    hetero = model in ("Mh", "Mth")
    if hetero and heterogeneity is None:
        raise ValueError("Mh and Mth need a heterogeneity form: chao, poisson, darroch, gamma")
    if not hetero and heterogeneity is not None:
        raise ValueError(f"{model} has no heterogeneity term")
    label = model if heterogeneity is None else f"{model} {heterogeneity}"
    method = label.lower().replace(" ", "_")
    if hetero and t < 3:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                "Heterogeneity models need at least three lists.",
                "이질성 모형에는 명단이 세 개 이상 필요합니다.",
            ),
            level=level,
            stratum=h.stratum,
        )
    x_full, nca = closed_design(t, time, heterogeneity if hetero else None, theta)
    diag: dict[str, object] = {}
    if heterogeneity in ("poisson", "gamma"):
        diag["theta"] = theta if theta is not None else DEFAULT_THETA[heterogeneity]
    if heterogeneity != "chao":
        return estimate_design(
            h, x_full, method=method, label=f"model {label}", level=level, diagnostics=diag
        )
    # Chao: an eta whose column total is zero has MLE minus infinity, which neg=TRUE drops;
    # drop it first, then check that the model left (after dropping negative etas) has an MLE.
    y = h.full_counts().astype(np.float64)
    margins = x_full[1:].T @ y
    keep = [j for j in range(x_full.shape[1]) if j < nca or margins[j] > 0]
    x_full = x_full[:, keep]
    _, cols = _chao_fit(x_full[1:], y, nca)
    diag["eta_dropped"] = (t - 2) - (len(cols) - nca)
    if not mle_exists(x_full[1:, cols], y):
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            no_mle_message(h, f"model {label}"),
            level=level,
            diagnostics=diag,
            stratum=h.stratum,
        )
    return estimate_design(
        h,
        x_full,
        method=method,
        label=f"model {label}",
        level=level,
        refit=_chao_refit(x_full, nca),
        diagnostics=diag,
        check_existence=False,
    )


def estimate_closedp(h: CaptureHistories, *, level: float = 0.95) -> tuple[Estimate, ...]:
    """All the models of Rcapture's ``closedp.t`` except the behavioural Mb and Mbh:
    M0, Mt, then Mh and Mth with each heterogeneity form."""
    out = [estimate_closed_model(h, "M0", level=level), estimate_closed_model(h, "Mt", level=level)]
    for m in ("Mh", "Mth"):
        for het in HETEROGENEITY:
            out.append(estimate_closed_model(h, m, het, level=level))
    return tuple(out)
