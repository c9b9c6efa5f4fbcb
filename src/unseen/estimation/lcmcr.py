"""Bayesian non-parametric latent class model (Manrique-Vallier 2016), the R package LCMCR.

People differ in how likely each list is to record them; the model lets the population be a
mixture of up to ``K`` latent classes, each with its own capture probabilities, with a
Dirichlet-process (stick-breaking) prior that uses only as many classes as the data need.
The population size comes out of the same Gibbs sampler by data augmentation (see
``_lcmcr_gibbs``). Defaults are those of the reference runs: ``lcmCR(K=10, a_alpha=0.25,
b_alpha=0.25)`` then ``lcmCR_PostSampl(burnin=10000, samples=1000, thinning=100)``, here for
each of ``chains`` chains, so that convergence can be judged across chains.

The estimate is the posterior median of N over all chains' kept draws, the interval its
central quantiles (R's default, type 7). ``diagnostics`` hold split R-hat and bulk/tail
effective sample sizes of N; when R-hat > 1.05 or an ESS < 200 the status stays ``"ok"`` but
``message`` says the chains have not converged and to run longer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from unseen.estimation import _mcmc_diagnostics as mcmc
from unseen.estimation._bilingual import both
from unseen.estimation._lcmcr_gibbs import CAP_MULTIPLE, WARMUP, ChainDraws, run_chains
from unseen.estimation.histories import CaptureHistories
from unseen.estimation.result import Estimate

__all__ = ["estimate_lcmcr"]

METHOD = "lcmcr"
RHAT_MAX = 1.05
ESS_MIN = 200.0
CAPPED_MAX = 0.05  # truncation of the unseen at 20 x observed active in over 5% of scans
NEAR_CAP = 0.75  # ... or over 2.5% of the draws above 3/4 of that cap: the cap sets the end
NEAR_CAP_MAX = 0.025
HIST_BINS = 60


def _plot_data(draws: np.ndarray[Any, Any], lo: float, hi: float) -> dict[str, Any]:
    """Histogram of the pooled draws over their central 99% (density per unit N)."""
    pooled = draws.ravel()
    a, b = np.quantile(pooled, [0.005, 0.995])
    edges = np.linspace(a, max(b, a + 1.0), HIST_BINS + 1)
    hist, _ = np.histogram(pooled, bins=edges)
    dens = hist / (pooled.size * np.diff(edges))
    return {
        "edges": [round(float(e), 1) for e in edges],
        "density": [float(f"{d:.6g}") for d in dens],
        "interval": [lo, hi],
    }


def _check(name: str, value: float, low: float, *, integer: bool = True) -> None:
    if not np.isfinite(value) or value < low or (integer and value != int(value)):
        kind = "an integer" if integer else "a number"
        raise ValueError(f"{name} must be {kind} >= {low:g}")


def estimate_lcmcr(
    histories: CaptureHistories,
    *,
    k: int = 10,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    burnin: int = 10_000,
    samples: int = 1_000,
    thinning: int = 100,
    chains: int = 4,
    seed: int | None = None,
    level: float = 0.95,
    progress: Callable[[int, int], None] | None = None,
) -> Estimate:
    """Posterior median population and central ``level`` interval from ``chains`` chains.

    ``seed`` seeds one ``numpy.random.Generator`` that drives all chains (they run side by
    side), so the same seed and settings give the same draws; without a seed one is drawn
    and reported in the result. ``status`` is ``"not_estimable"`` with fewer than two lists, an
    empty table, or when the data do not bound the posterior: LCMCR caps the unseen at 20 x
    observed, and when over 2.5% of the draws lie above 3/4 of that cap, or the cap is hit in
    over 5% of the scans, or a chain runs off towards an infinite population, the interval
    is the cap's, not the data's. ``progress(done, total)`` is called as the scans are done
    (all chains' together; for a progress bar).
    """
    _check("k", k, 1)
    _check("burnin", burnin, 0)
    _check("samples", samples, 4)
    _check("thinning", thinning, 1)
    _check("chains", chains, 1)
    _check("a_alpha", a_alpha, 0, integer=False)
    _check("b_alpha", b_alpha, 0, integer=False)
    if not (a_alpha > 0 and b_alpha > 0):
        raise ValueError("a_alpha and b_alpha must be positive")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    n, t = histories.observed, histories.n_lists
    common: dict[str, Any] = {
        "lists": histories.lists,
        "level": level,
        "seed": seed,
        "stratum": histories.stratum,
    }
    if t < 2:
        return Estimate.not_estimable(
            METHOD,
            n,
            message=both(
                "a latent class model needs at least two lists",
                "잠재계층 모형에는 명단이 두 개 이상 필요합니다",
            ),
            **common,
        )
    if n == 0:
        return Estimate.not_estimable(
            METHOD,
            n,
            message=both("nobody was observed on any list", "어느 명단에도 관측된 사람이 없습니다"),
            **common,
        )
    draws = run_chains(
        histories.patterns,
        histories.counts,
        k=k,
        a_alpha=a_alpha,
        b_alpha=b_alpha,
        burnin=burnin,
        samples=samples,
        thinning=thinning,
        chains=chains,
        rng=np.random.default_rng(seed),
        progress=progress,
    )
    return _summarise(draws, n, level, k, burnin, samples, thinning, chains, common)


def _summarise(
    draws: ChainDraws,
    n: int,
    level: float,
    k: int,
    burnin: int,
    samples: int,
    thinning: int,
    chains: int,
    common: dict[str, Any],
) -> Estimate:
    n_draws = draws.n
    pooled = n_draws.ravel().astype(np.float64)
    median = float(np.quantile(pooled, 0.5))
    lower, upper = (float(v) for v in np.quantile(pooled, [(1 - level) / 2, (1 + level) / 2]))
    conv = mcmc.summary(n_draws.astype(np.float64))
    per_chain = [float(np.median(row)) for row in n_draws]
    converged = conv["rhat"] <= RHAT_MAX and min(conv["ess_bulk"], conv["ess_tail"]) >= ESS_MIN
    diagnostics: dict[str, Any] = {
        "posterior_median": median,
        "posterior_lower": lower,
        "posterior_upper": upper,
        "posterior_mean": float(pooled.mean()),
        "k": k,
        "chains": chains,
        "warmup": WARMUP,
        "burnin": burnin,
        "samples_per_chain": samples,
        "thinning": thinning,
        "iterations_per_chain": WARMUP + burnin + samples * thinning,
        **conv,
        "converged": bool(converged),
        "chain_medians": per_chain,
        "alpha_median": float(np.median(draws.alpha)),
        "occupied_classes_median": float(np.median(draws.occupied)),
        "posterior_n": _plot_data(n_draws, lower, upper),
    }
    capped = float(draws.capped.mean())
    near_cap = float(np.mean(n_draws - n > NEAR_CAP * CAP_MULTIPLE * n))
    diagnostics["share_of_scans_at_cap"] = round(capped, 4)
    diagnostics["share_of_draws_near_cap"] = round(near_cap, 4)
    if draws.ran_off or capped > CAPPED_MAX or near_cap > NEAR_CAP_MAX:
        if draws.ran_off:
            why = "a chain ran off towards an infinite population"
            why_ko = "한 사슬이 무한히 큰 인구 쪽으로 발산했습니다"
        else:
            why = (
                f"the posterior presses against LCMCR's cap of {CAP_MULTIPLE} times the "
                f"{n:,} observed unseen ({near_cap:.1%} of the draws lie above 3/4 of it, "
                f"{capped:.1%} of the scans hit it), so the cap, not the data, sets the upper end"
            )
            why_ko = (
                f"사후분포가 LCMCR의 제한(미관측 인원은 관측 인원 {n:,}명의 {CAP_MULTIPLE}배 "
                f"이하)에 닿습니다(표본의 {near_cap:.1%}가 제한의 3/4을 넘고, 단계의 "
                f"{capped:.1%}가 제한에 걸림). 상한은 자료가 아니라 이 제한이 정합니다"
            )
        return Estimate.not_estimable(
            METHOD,
            n,
            message=both(
                f"the data do not bound the total: {why}; the lists overlap too little "
                "for a latent class model",
                f"자료만으로는 전체 규모의 상한을 정할 수 없습니다: {why_ko}. 명단끼리 겹치는 "
                "사람이 잠재계층 모형에 쓰기에는 너무 적습니다",
            ),
            diagnostics=diagnostics,
            **common,
        )
    notes = []
    if not converged:
        notes.append(
            both(
                f"not converged: R-hat {conv['rhat']:.3f} (want <= {RHAT_MAX}), effective "
                f"sample size bulk {conv['ess_bulk']:.0f} / tail {conv['ess_tail']:.0f} (want "
                f">= {ESS_MIN:.0f}); run longer (more burnin, samples or thinning) before "
                "relying on it",
                f"수렴하지 않았습니다: R-hat {conv['rhat']:.3f}({RHAT_MAX} 이하여야 함), 유효 "
                f"표본 크기 bulk {conv['ess_bulk']:.0f} / tail {conv['ess_tail']:.0f}"
                f"({ESS_MIN:.0f} 이상이어야 함). 결과를 쓰기 전에 burnin, samples, thinning을 "
                "늘려 더 오래 실행하세요",
            )
        )
    if k > 1 and float(np.median(draws.occupied)) <= 1.0:
        notes.append(
            both(
                "the sampler kept everyone in one latent class, so this is the independence "
                "model's answer; it underestimates when people differ in how often lists "
                "record them (see docs/estimation-bayesian.md)",
                "표본추출기가 모든 사람을 하나의 잠재계층에 두었으므로 이는 독립 모형의 "
                "답입니다. 사람마다 명단에 기록될 확률이 다르면 과소추정합니다",
            )
        )
    message = "; ".join(notes)
    return Estimate(
        method=METHOD,
        observed=n,
        estimate=median,
        lower=lower,
        upper=upper,
        message=message,
        diagnostics=diagnostics,
        **common,
    )
