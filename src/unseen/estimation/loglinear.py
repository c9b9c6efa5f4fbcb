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

from unseen.estimation._bilingual import both
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


def _words(items: Sequence[str], conj: str = " and ") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + conj + items[-1]


def no_mle_message(
    h: CaptureHistories, label: str, model: Sequence[Term] = (), *, label_ko: str | None = None
) -> str:
    """Why a model has no finite MLE, in words. ``label`` names the model ("model [12,3]"),
    ``label_ko`` in Korean (default: ``label`` with "model" in Korean)."""
    ov = h.overlap_matrix()
    apart = [
        (h.lists[a], h.lists[b]) for a, b in (tm for tm in model if len(tm) == 2) if ov[a, b] == 0
    ]
    why = why_ko = ""
    if apart:
        why = (
            f" (lists {_words([f'{a} and {b}' for a, b in apart])} never share a person, yet "
            "the model has a term for them)"
        )
        why_ko = (
            f"(명단 {_words([f'{a}와(과) {b}' for a, b in apart], ', ')}은(는) 겹치는 사람이 "
            "없는데도 모형에 그 쌍의 항이 있습니다)"
        )
    ko = label_ko if label_ko is not None else _ko(label)
    return both(
        f"The maximum likelihood estimate does not exist for {label}: the zero cells of this "
        f"table let the likelihood grow without bound{why}. Use a simpler model or the "
        "stepwise method, which handles lists that never overlap.",
        f"{ko}의 최대가능도 추정값이 존재하지 않습니다: 이 표의 0인 칸 때문에 가능도가 끝없이 "
        f"커집니다{why_ko}. 더 단순한 모형이나, 서로 겹치지 않는 명단도 다루는 단계적(stepwise) "
        "방법을 쓰세요.",
    )


def _ko(label: str) -> str:
    return "모형 " + label.removeprefix("model ") if label.startswith("model ") else label


def check_size(h: CaptureHistories, method: str, level: float) -> Estimate | None:
    if h.observed == 0:
        return Estimate.not_estimable(
            method,
            0,
            h.lists,
            both("Nobody was observed on any list.", "어느 명단에도 관측된 사람이 없습니다."),
            level=level,
            stratum=h.stratum,
        )
    if h.n_lists < 2:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both("At least two lists are needed.", "명단이 두 개 이상 필요합니다."),
            level=level,
            stratum=h.stratum,
        )
    if h.n_lists > MAX_TABLE_LISTS:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                f"{h.n_lists} lists make {2**h.n_lists:,} possible patterns, too many for this "
                f"method (at most {MAX_TABLE_LISTS} lists): merge small lists first.",
                f"명단 {h.n_lists}개는 가능한 패턴이 {2**h.n_lists:,}개로, 이 방법에는 너무 "
                f"많습니다(명단은 최대 {MAX_TABLE_LISTS}개): 작은 명단을 먼저 합치세요.",
            ),
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
                both(
                    f"{label} has more parameters than this table can identify "
                    f"({x_obs.shape[1]} parameters, {x_obs.shape[0]} cells, or columns that "
                    "duplicate each other). Use a simpler model.",
                    f"{_ko(label)}은(는) 이 표로 식별할 수 있는 것보다 모수가 많습니다(모수 "
                    f"{x_obs.shape[1]}개, 칸 {x_obs.shape[0]}개, 또는 서로 겹치는 열). 더 단순한 "
                    "모형을 쓰세요.",
                ),
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
            both(
                f"The fit of {label} did not converge.",
                f"{_ko(label)}의 적합이 수렴하지 않았습니다.",
            ),
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
            both(
                f"{label} puts the total above {ESTIMATE_LIMIT:.0f} times the number observed "
                f"({n_pois:,.0f} from {n:,}): the lists overlap too little for this model to "
                "say how many were missed.",
                f"{_ko(label)}은(는) 전체를 관측 인원의 {ESTIMATE_LIMIT:.0f}배 넘게 추정합니다"
                f"(관측 {n:,}명에서 {n_pois:,.0f}명): 명단끼리 겹치는 사람이 너무 적어 이 "
                "모형으로는 놓친 인원을 말할 수 없습니다.",
            ),
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
            both(
                f"The {level:.0%} interval of {label} has no upper bound below "
                f"{ESTIMATE_LIMIT:.0f} times the number observed: the data cannot bound the "
                "total.",
                f"{_ko(label)}의 {level:.0%} 구간은 관측 인원의 {ESTIMATE_LIMIT:.0f}배 아래에서 "
                "상한이 없습니다: 자료만으로는 전체 규모의 상한을 정할 수 없습니다.",
            ),
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
            both(
                f"{count:,} models for {t} lists up to order {max_order}: too many to fit them "
                "all. Use the stepwise method or a lower order.",
                f"명단 {t}개, 차수 {max_order}까지의 모형이 {count:,}개로 모두 적합하기에는 너무 "
                "많습니다. 단계적(stepwise) 방법이나 더 낮은 차수를 쓰세요.",
            ),
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
            no_mle_message(
                h,
                f"any hierarchical model up to order {max_order}",
                label_ko=f"차수 {max_order}까지의 어떤 계층 모형",
            ),
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
