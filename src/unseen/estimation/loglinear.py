"""Log-linear models for the ``2**t - 1`` observable cells, as Rcapture fits them.

* :func:`estimate_loglinear` fits one model (independence by default: Rcapture's Mt) and gives the
  profile-likelihood interval of ``closedpCI.t``; the estimate is the profile maximum, which is
  what ``closedpCI.t`` reports (the Poisson estimate ``n + exp(intercept)`` is in diagnostics).
* :func:`select_loglinear` fits every hierarchical model up to ``max_order`` with all main
  effects (``closedpMS.t``), keeps those whose MLE exists, picks the smallest BIC (or AIC) and
  returns the interval conditional on that choice. Unlike Rcapture, a model without a finite
  MLE is never chosen: Rcapture picks it anyway and reports numbers like 1.2e13.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from unseen.estimation.existence import check_identification, mle_exists
from unseen.estimation.glm import PoissonFit, fit_poisson
from unseen.estimation.histories import CaptureHistories
from unseen.estimation.models import (
    Model,
    Term,
    design,
    hierarchical_models,
    main_effects,
    model_from_name,
    model_name,
)
from unseen.estimation.profile import ProfileInterval, profile_interval
from unseen.estimation.result import Estimate

__all__ = [
    "MAX_MODELS",
    "MAX_TABLE_LISTS",
    "Refit",
    "ESTIMATE_LIMIT",
    "estimate_design",
    "estimate_loglinear",
    "check_size",
    "never_overlap",
    "no_mle_message",
    "select_loglinear",
]

FloatArray = npt.NDArray[np.float64]
Refit = Callable[[FloatArray, FloatArray | None], PoissonFit]

ESTIMATE_LIMIT = 100.0  # an estimate above 100 x observed is reported as not estimable
MAX_TABLE_LISTS = 12  # methods that use all 2**t cells refuse more lists than this
MAX_MODELS = 40_000  # more than this and model selection is refused (use stepwise)


def never_overlap(h: CaptureHistories) -> list[str]:
    """Pairs of lists that share nobody, as words ("A and C")."""
    ov = h.overlap_matrix()
    t = h.n_lists
    return [
        f"{h.lists[i]} and {h.lists[j]}" for i in range(t) for j in range(i + 1, t) if ov[i, j] == 0
    ]


def _words(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def no_mle_message(h: CaptureHistories, label: str, model: Sequence[Term] = ()) -> str:
    """Why a model has no finite MLE, in words."""
    ov = h.overlap_matrix()
    pairs = [
        f"{h.lists[a]} and {h.lists[b]}"
        for a, b in (tm for tm in model if len(tm) == 2)
        if ov[a, b] == 0
    ]
    why = (
        f" (lists {_words(pairs)} never share a person, yet the model has a term for them)"
        if pairs
        else ""
    )
    return (
        f"The maximum likelihood estimate does not exist for {label}: the zero cells of this "
        f"table let the likelihood grow without bound{why}. Use a simpler model or the "
        "stepwise method, which handles lists that never overlap."
    )


def check_size(h: CaptureHistories, method: str, level: float) -> Estimate | None:
    if h.observed == 0:
        return Estimate.not_estimable(
            method, 0, h.lists, "Nobody was observed on any list.", level=level, stratum=h.stratum
        )
    if h.n_lists < 2:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            "At least two lists are needed.",
            level=level,
            stratum=h.stratum,
        )
    if h.n_lists > MAX_TABLE_LISTS:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            f"{h.n_lists} lists make {2**h.n_lists:,} possible patterns, too many for this "
            f"method (at most {MAX_TABLE_LISTS} lists): merge small lists first.",
            level=level,
            stratum=h.stratum,
        )
    return None


def estimate_design(
    h: CaptureHistories,
    x_full: FloatArray,
    *,
    method: str,
    label: str,
    level: float = 0.95,
    refit: Refit | None = None,
    diagnostics: Mapping[str, Any] | None = None,
    check_existence: bool = True,
    model_terms: Sequence[Term] = (),
) -> Estimate:
    """Fit the design ``x_full`` (rows: all ``2**t`` cells, dark cell first; intercept in
    column 0) and return the profile-likelihood estimate, or "not estimable" with the reason.
    ``refit(y, start)`` replaces the plain Poisson fit; it is called with the observed cells'
    counts and, in the profile, with all ``2**t`` counts, and picks its rows by ``len(y)``."""
    bad = check_size(h, method, level)
    if bad is not None:
        return bad
    n = h.observed
    y = h.full_counts().astype(np.float64)
    x_obs = x_full[1:]
    fitter: Refit = refit or (lambda yy, start: fit_poisson(x_obs, yy, start=start, maxit=100))
    diag: dict[str, Any] = {"model": label, **(diagnostics or {})}
    if check_existence:
        ident = check_identification(x_obs, y)
        if not ident.identifiable:
            return Estimate.not_estimable(
                method,
                n,
                h.lists,
                f"{label} has more parameters than this table can identify "
                f"({x_obs.shape[1]} parameters, {x_obs.shape[0]} cells, or columns that "
                "duplicate each other). Use a simpler model.",
                level=level,
                diagnostics=diag,
                stratum=h.stratum,
            )
        if not ident.exists:
            return Estimate.not_estimable(
                method,
                n,
                h.lists,
                no_mle_message(h, label, model_terms),
                level=level,
                diagnostics=diag,
                stratum=h.stratum,
            )
    fit = fitter(y, None)
    b0 = float(fit.coef[0])
    if not np.isfinite(b0) or not fit.converged:
        return Estimate.not_estimable(
            method,
            n,
            h.lists,
            f"The fit of {label} did not converge.",
            level=level,
            diagnostics=diag,
            stratum=h.stratum,
        )
    dark = float(np.exp(b0))
    n_pois = n + dark
    se = float(np.sqrt(dark + dark**2 * fit.intercept_var))
    diag.update(
        poisson_estimate=n_pois,
        stderr=se,
        deviance=fit.deviance,
        df=int(x_obs.shape[0] - fit.rank),
        aic=fit.aic,
        bic=fit.bic(n),
        parameters=int(fit.rank),
    )
    if n_pois > ESTIMATE_LIMIT * n:
        return Estimate.not_estimable(
            method,
            n,
            h.lists,
            f"{label} puts the total above {ESTIMATE_LIMIT:.0f} times the number observed "
            f"({n_pois:,.0f} from {n:,}): the lists overlap too little for this model to say "
            "how many were missed.",
            level=level,
            diagnostics=diag,
            stratum=h.stratum,
        )
    prof: ProfileInterval = profile_interval(x_full, y, n_pois, level=level, refit=refit)
    diag.update(
        profile=[list(p) for p in prof.grid],
        lower_at_observed=prof.lower_at_observed,
        interval="profile likelihood (Cormack 1992; Rcapture closedpCI.t)",
    )
    if prof.upper is None or prof.upper > ESTIMATE_LIMIT * n:
        diag["estimate_unbounded_interval"] = prof.n_max
        diag["upper_beyond_limit"] = prof.upper
        return Estimate.not_estimable(
            method,
            n,
            h.lists,
            f"The {level:.0%} interval of {label} has no upper bound below "
            f"{ESTIMATE_LIMIT:.0f} times the number observed: the data cannot bound the total.",
            level=level,
            diagnostics=diag,
            stratum=h.stratum,
        )
    return Estimate(
        method=method,
        observed=n,
        estimate=prof.n_max,
        lower=prof.lower,
        upper=prof.upper,
        level=level,
        lists=h.lists,
        diagnostics=diag,
        stratum=h.stratum,
    )


def _as_model(h: CaptureHistories, model: Model | str | Sequence[Term]) -> Model:
    if isinstance(model, str):
        if model in ("independence", "Mt", "mt", "main"):
            return main_effects(h.n_lists)
        return model_from_name(model, h.n_lists)
    return tuple(tuple(sorted(term)) for term in model)


def estimate_loglinear(
    h: CaptureHistories,
    model: Model | str | Sequence[Term] = "independence",
    *,
    level: float = 0.95,
    method: str = "loglinear",
) -> Estimate:
    """One hierarchical log-linear model (``"independence"``, a name like ``"[12,3]"`` with
    lists numbered from 1, or a tuple of terms) with its profile-likelihood interval."""
    m = _as_model(h, model)
    t = h.n_lists
    x_full = design(t, m, np.arange(2**t))
    return estimate_design(
        h,
        x_full,
        method=method,
        label=f"model {model_name(m)}",
        level=level,
        diagnostics={"terms": [list(x) for x in m]},
        model_terms=m,
    )


def select_loglinear(
    h: CaptureHistories,
    *,
    max_order: int = 2,
    criterion: str = "bic",
    level: float = 0.95,
) -> Estimate:
    """Every hierarchical model up to ``max_order``, the best by ``criterion`` ("bic" or
    "aic") among those with a finite MLE, then its profile interval (conditional on the
    choice, so too narrow: it ignores the model uncertainty)."""
    method = f"loglinear_{criterion}"
    bad = check_size(h, method, level)
    if bad is not None:
        return bad
    if criterion not in ("bic", "aic"):
        raise ValueError("criterion must be 'bic' or 'aic'")
    t = h.n_lists
    if t < 2:
        raise ValueError("need two lists")
    max_order = min(max_order, t - 1)
    count = _count_models(t, max_order)
    if count > MAX_MODELS:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            f"{count:,} models for {t} lists up to order {max_order}: too many to fit them "
            "all. Use the stepwise method or a lower order.",
            level=level,
            stratum=h.stratum,
        )
    y = h.full_counts().astype(np.float64)
    n = h.observed
    ranked: list[tuple[float, Model, float]] = []
    no_mle = 0
    for m in hierarchical_models(t, max_order):
        x = design(t, m)
        if not mle_exists(x, y):
            no_mle += 1
            continue
        fit = fit_poisson(x, y, maxit=100)
        score = fit.bic(n) if criterion == "bic" else fit.aic
        ranked.append((score, m, n + float(np.exp(fit.coef[0]))))
    if not ranked:
        return Estimate.not_estimable(
            method,
            n,
            h.lists,
            no_mle_message(h, f"any hierarchical model up to order {max_order}"),
            level=level,
            diagnostics={"models": count, "models_without_mle": no_mle},
            stratum=h.stratum,
        )
    ranked.sort(key=lambda r: r[0])
    best = ranked[0][1]
    top = [{"model": model_name(m), criterion: s, "poisson_estimate": e} for s, m, e in ranked[:10]]
    x_full = design(t, best, np.arange(2**t))
    return estimate_design(
        h,
        x_full,
        method=method,
        label=f"model {model_name(best)}",
        level=level,
        diagnostics={
            "terms": [list(x) for x in best],
            "criterion": criterion,
            "max_order": max_order,
            "models": count,
            "models_without_mle": no_mle,
            "ranking": top,
        },
        check_existence=False,
    )


def _count_models(t: int, max_order: int) -> int:
    if max_order == 1:
        return 1
    if max_order == 2:
        return int(2 ** (t * (t - 1) // 2))
    return sum(1 for _ in hierarchical_models(t, max_order)) if t <= 5 else MAX_MODELS + 1
