"""The stepwise method of Chan, Silverman & Vincent (2021), as SparseMSE fits it.

Start from the main-effects (independence) model. At each step, for every two-list
interaction not yet in the model, compare the number of people on both lists with its
Poisson distribution under the current fit; add the interaction with the smallest two-sided
p-value ``min(P(X <= n*), P(X >= n*))``, provided it is below ``pthresh`` (0.02) and the
model with it passes both checks of :mod:`.existence`; stop when none qualifies.

Two lists that share nobody are the heart of the method: when their interaction enters the
model its maximum likelihood value is minus infinity, so (the extended MLE) every cell with
both lists is a structural zero and is dropped, together with the parameter. The estimate is
``n + exp(intercept)`` of the final fit; :func:`estimate_stepwise` adds a BCa bootstrap
interval that re-selects the model in every replicate (:mod:`.bootstrap`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import norm, poisson

from unseen.estimation._bilingual import both
from unseen.estimation.bootstrap import bca_interval, jackknife_acceleration, multinomial_replicates
from unseen.estimation.existence import Identification, mle_exists
from unseen.estimation.glm import fit_poisson
from unseen.estimation.histories import CaptureHistories
from unseen.estimation.loglinear import ESTIMATE_LIMIT, check_size
from unseen.estimation.models import all_cells
from unseen.estimation.result import Estimate

__all__ = [
    "PTHRESH",
    "StepwiseFit",
    "Table",
    "check_model",
    "informative",
    "estimate_stepwise",
    "stepwise_fit",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PTHRESH = 0.02


@dataclass(frozen=True, eq=False)
class Table:
    """What the stepwise search needs about a ``t``-list table, computed once and shared by
    every bootstrap replicate: the cells' bits, which pairs each cell holds, the pairs."""

    t: int
    bits: FloatArray  # (2**t - 1, t), cell index i at row i - 1
    pairs: tuple[tuple[int, int], ...]
    both: BoolArray  # (cells, pairs): cell holds both lists of the pair
    pair_cols: FloatArray  # same as both, as floats

    @classmethod
    def for_lists(cls, t: int) -> Table:
        bits = all_cells(t)[1:].astype(np.float64)
        pairs = tuple((i, j) for i in range(t) for j in range(i + 1, t))
        both = (
            np.column_stack([(bits[:, i] * bits[:, j]) > 0 for i, j in pairs])
            if pairs
            else np.zeros((bits.shape[0], 0), dtype=bool)
        )
        return cls(t, bits, pairs, both, both.astype(np.float64))


@dataclass(frozen=True, eq=False)
class StepwiseFit:
    """The model the search ended with, and its fit."""

    pairs: tuple[int, ...]  # indices into Table.pairs, in the order they were added
    empty_pairs: tuple[int, ...]  # those among them whose lists share nobody
    intercept: float
    intercept_var: float
    observed: int
    deviance: float
    steps: tuple[tuple[int, float], ...]  # (pair added, its p-value)
    converged: bool

    @property
    def estimate(self) -> float:
        return self.observed + float(np.exp(self.intercept))


def _design(
    tab: Table, pairs: list[int], y: FloatArray, nstar: FloatArray
) -> tuple[FloatArray, BoolArray]:
    """Design over the cells left once the cells of never-overlapping pairs are dropped."""
    keep = np.ones(tab.bits.shape[0], dtype=bool)
    cols = [np.ones(tab.bits.shape[0]), *tab.bits.T]
    for p in pairs:
        if nstar[p] == 0:
            keep &= ~tab.both[:, p]
        else:
            cols.append(tab.pair_cols[:, p])
    x = np.column_stack(cols)[keep]
    return x, keep


def check_model(tab: Table, pairs: list[int], y: FloatArray) -> Identification:
    """SparseMSE's ``checkident`` for main effects plus these pairs: does the extended MLE
    exist, and does the design (without the cells dropped for never-overlapping pairs) have
    full column rank?"""
    nstar = tab.pair_cols.T @ y
    x, keep = _design(tab, pairs, y, nstar)
    identifiable = x.shape[0] >= x.shape[1] and np.linalg.matrix_rank(x) == x.shape[1]
    return Identification(exists=mle_exists(x, y[keep]), identifiable=bool(identifiable))


def identifiable_with(tab: Table, pairs: list[int], y: FloatArray, nstar: FloatArray) -> bool:
    """Both checks pass (the rank is tested first: it is cheaper and makes the LP moot)."""
    x, keep = _design(tab, pairs, y, nstar)
    if x.shape[0] < x.shape[1] or np.linalg.matrix_rank(x) < x.shape[1]:
        return False
    return mle_exists(x, y[keep])


def stepwise_fit(tab: Table, y: FloatArray, pthresh: float = PTHRESH) -> StepwiseFit:
    """The stepwise search on the counts ``y`` of cells 1..2**t-1 (every list non-empty)."""
    n = int(round(float(y.sum())))
    nstar = tab.pair_cols.T @ y
    chosen: list[int] = []
    steps: list[tuple[int, float]] = []
    x, keep = _design(tab, chosen, y, nstar)
    fit = fit_poisson(x, y[keep], maxit=100)
    if pthresh > 0:
        npairs = len(tab.pairs)
        for _ in range(npairs):
            mu = np.zeros(tab.bits.shape[0])
            mu[keep] = fit.mu
            pstar = tab.pair_cols.T @ mu
            lo = poisson.cdf(nstar, pstar)
            hi = poisson.sf(nstar - 1, pstar)
            pval = np.minimum(lo, hi)
            pval[chosen] = np.inf
            order = np.lexsort((np.arange(npairs), pval))
            pick = -1
            for j in order:
                if not pval[j] < pthresh:
                    break
                if identifiable_with(tab, [*chosen, int(j)], y, nstar):
                    pick = int(j)
                    break
            if pick < 0:
                break
            chosen.append(pick)
            steps.append((pick, float(pval[pick])))
            x, keep = _design(tab, chosen, y, nstar)
            fit = fit_poisson(x, y[keep], maxit=100)
    return StepwiseFit(
        pairs=tuple(chosen),
        empty_pairs=tuple(p for p in chosen if nstar[p] == 0),
        intercept=float(fit.coef[0]),
        intercept_var=fit.intercept_var,
        observed=n,
        deviance=fit.deviance,
        steps=tuple(steps),
        converged=fit.converged,
    )


def informative(h: CaptureHistories) -> tuple[CaptureHistories, tuple[str, ...]]:
    """Drop lists nobody is on (their parameters are minus infinity; dropping them is the same
    fit). Returns the table and the names dropped."""
    totals = h.list_totals()
    empty = tuple(h.lists[j] for j in range(h.n_lists) if totals[j] == 0)
    if not empty:
        return h, ()
    keep = [j for j in range(h.n_lists) if totals[j] > 0]
    return CaptureHistories.from_counts(
        [h.lists[j] for j in keep], h.patterns[:, keep], h.counts, stratum=h.stratum
    ), empty


class _Estimator:
    """The stepwise point estimate for any counts of the same observed patterns, with the
    per-list-subset tables cached (bootstrap replicates can empty a small list)."""

    def __init__(self, h: CaptureHistories, pthresh: float) -> None:
        self.patterns = h.patterns.astype(np.int64)
        self.t = h.n_lists
        self.pthresh = pthresh
        self.tables: dict[tuple[int, ...], Table] = {}

    def table(self, lists: tuple[int, ...]) -> Table:
        tab = self.tables.get(lists)
        if tab is None:
            tab = self.tables[lists] = Table.for_lists(len(lists))
        return tab

    def __call__(self, counts: npt.NDArray[np.int64]) -> float:
        n = int(counts.sum())
        if n == 0:
            return float("nan")
        totals = counts @ self.patterns
        if np.any(totals == n):
            # One list holds everyone seen: the fit runs that list's effect to infinity and
            # the dark figure to zero, which is what R returns here (N = n).
            return float(n)
        lists = tuple(int(j) for j in np.flatnonzero(totals > 0))
        if len(lists) < 2:
            return float("nan")
        sub = self.patterns[:, lists]
        idx = sub @ (1 << np.arange(len(lists), dtype=np.int64))
        y = np.bincount(idx, weights=counts, minlength=2 ** len(lists))[1:].astype(np.float64)
        fit = stepwise_fit(self.table(lists), y, self.pthresh)
        return fit.estimate if fit.converged else float("nan")


def _pair_names(h: CaptureHistories, tab: Table, pairs: tuple[int, ...]) -> list[str]:
    return [f"{h.lists[tab.pairs[p][0]]}:{h.lists[tab.pairs[p][1]]}" for p in pairs]


def estimate_stepwise(
    h: CaptureHistories,
    *,
    nboot: int = 1000,
    pthresh: float = PTHRESH,
    seed: int | None = None,
    level: float = 0.95,
    progress: Callable[[int, int], None] | None = None,
) -> Estimate:
    """Chan-Silverman-Vincent stepwise estimate with a BCa bootstrap interval over ``nboot``
    replicates, each re-selecting the model (SparseMSE ``estimatepopulation``). ``nboot=0``
    gives the point estimate only. ``seed`` (recorded in the result) fixes the replicates.
    ``progress(done, nboot)`` is called as the replicates are done (for a progress bar)."""
    method = "stepwise"
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**31))  # type: ignore[operator]
    base = {"pthresh": pthresh, "nboot": nboot}
    too_big = check_size(h, method, level)
    if too_big is not None:
        return Estimate.not_estimable(
            method, h.observed, h.lists, too_big.message, level=level, seed=seed, stratum=h.stratum
        )
    used, dropped = informative(h)
    if used.n_lists < 2:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                "Fewer than two lists have anyone on them: there is no overlap to learn from.",
                "사람이 있는 명단이 두 개보다 적습니다: 배울 겹침이 없습니다.",
            ),
            level=level,
            seed=seed,
            stratum=h.stratum,
        )
    full = [used.lists[j] for j, v in enumerate(used.list_totals()) if v == h.observed]
    if full:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                f"Everyone observed is on list {full[0]}, so the lists carry no information "
                "about the people they all missed.",
                f"관측된 모든 사람이 명단 {full[0]}에 있으므로, 모든 명단이 놓친 사람에 대해 "
                "명단들이 주는 정보가 없습니다.",
            ),
            level=level,
            seed=seed,
            stratum=h.stratum,
        )
    tab = Table.for_lists(used.n_lists)
    y = used.full_counts().astype(np.float64)
    fit = stepwise_fit(tab, y, pthresh)
    nstar = tab.pair_cols.T @ y
    diag: dict[str, Any] = {
        **base,
        "model": _pair_names(used, tab, fit.pairs),
        "never_overlapping_in_model": _pair_names(used, tab, fit.empty_pairs),
        "steps": [{"pair": _pair_names(used, tab, (p,))[0], "p_value": pv} for p, pv in fit.steps],
        "deviance": fit.deviance,
        "lists_dropped_empty": list(dropped),
    }
    if not fit.converged or not identifiable_with(tab, list(fit.pairs), y, nstar):
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                "Even the model of independent lists has no finite estimate for this table: "
                "the lists overlap too little.",
                "명단이 서로 독립이라는 모형조차 이 표에서는 유한한 추정값이 없습니다: 명단끼리 "
                "겹치는 사람이 너무 적습니다.",
            ),
            level=level,
            diagnostics=diag,
            seed=seed,
            stratum=h.stratum,
        )
    est = fit.estimate
    sd = float(np.sqrt(fit.intercept_var))
    z = float(norm.ppf(0.5 + level / 2))
    diag["model_based_interval"] = [
        h.observed + float(np.exp(fit.intercept - z * sd)),
        h.observed + float(np.exp(fit.intercept + z * sd)),
    ]
    if est > ESTIMATE_LIMIT * h.observed:
        diag["estimate_too_large"] = est
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                f"The stepwise model puts the total at {est:,.0f}, more than "
                f"{ESTIMATE_LIMIT:.0f} times the {h.observed:,} observed: the lists overlap "
                "too little to say how many were missed.",
                f"단계적 모형은 전체를 {est:,.0f}명으로, 관측 인원 {h.observed:,}명의 "
                f"{ESTIMATE_LIMIT:.0f}배 넘게 추정합니다: 명단끼리 겹치는 사람이 너무 적어 "
                "놓친 인원을 말할 수 없습니다.",
            ),
            level=level,
            diagnostics=diag,
            seed=seed,
            stratum=h.stratum,
        )
    if nboot == 0:
        return Estimate(
            method=method,
            observed=h.observed,
            estimate=est,
            lower=None,
            upper=None,
            level=level,
            lists=h.lists,
            diagnostics=diag,
            seed=seed,
            stratum=h.stratum,
        )
    estimator = _Estimator(used, pthresh)
    rng = np.random.default_rng(seed)
    reps = multinomial_replicates(used.counts, nboot, rng)
    boot = np.empty(len(reps))
    for i, r in enumerate(reps):
        boot[i] = estimator(r)
        if progress is not None and ((i + 1) % 10 == 0 or i + 1 == len(reps)):
            progress(i + 1, len(reps))
    accel = jackknife_acceleration(used.counts.copy(), estimator)
    bca = bca_interval(boot, est, accel, level)
    finite = boot[np.isfinite(boot)]
    diag["bootstrap"] = {
        "interval": "BCa, model re-selected in every replicate",
        "replicates": bca.replicates,
        "failed": bca.failed,
        "z0": bca.z0,
        "acceleration": bca.acceleration,
        "quantile_levels": list(bca.probs),
        "median": float(np.median(finite)) if finite.size else None,
        # The replicates themselves: the data of a plot of the bootstrap distribution, and
        # what a stratified total combines (estimation.strata). Rounded to keep JSON small.
        "draws": [round(float(v), 1) for v in finite],
        "quantiles": {
            str(q): float(np.quantile(finite, q, method="median_unbiased"))
            for q in (0.025, 0.25, 0.5, 0.75, 0.975)
        }
        if finite.size
        else {},
    }
    if not (np.isfinite(bca.lower) and np.isfinite(bca.upper)) or bca.failed > nboot // 2:
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                "The bootstrap could not estimate most replicates, so no interval can be given.",
                "부트스트랩 반복 대부분을 추정할 수 없어 구간을 낼 수 없습니다.",
            ),
            level=level,
            diagnostics=diag,
            seed=seed,
            stratum=h.stratum,
        )
    if bca.upper > ESTIMATE_LIMIT * h.observed:
        diag["bca_upper"] = bca.upper
        return Estimate.not_estimable(
            method,
            h.observed,
            h.lists,
            both(
                f"The upper end of the bootstrap interval is more than {ESTIMATE_LIMIT:.0f} "
                "times the number observed: the data cannot bound the total.",
                f"부트스트랩 구간의 상한이 관측 인원의 {ESTIMATE_LIMIT:.0f}배를 넘습니다: "
                "자료만으로는 전체 규모의 상한을 정할 수 없습니다.",
            ),
            level=level,
            diagnostics=diag,
            seed=seed,
            stratum=h.stratum,
        )
    return Estimate(
        method=method,
        observed=h.observed,
        estimate=est,
        lower=bca.lower,
        upper=bca.upper,
        level=level,
        lists=h.lists,
        diagnostics=diag,
        seed=seed,
        stratum=h.stratum,
    )
