"""The Gibbs sampler of Manrique-Vallier (2016) as LCMCR runs it: the steps, the chains, progress.

Model (a truncated Dirichlet-process mixture of product-Bernoulli latent classes): K classes
with stick-breaking weights ``nu`` (``V_k ~ Beta(1, alpha)``, ``V_K = 1``), ``alpha ~
Gamma(a_alpha, b_alpha)``, capture probabilities ``lambda_jk ~ Beta(1, 1)``, and a prior on
the population proportional to ``1/N``. One scan, in LCMCR's order:

1. class counts of each observed pattern: ``Multinomial(count, p(class | pattern))``;
2. ``lambda_jk ~ Beta(1 + captured, 1 + not captured)`` over observed and imputed people;
3. stick-breaking ``V_k ~ Beta(1 + m_k, alpha + sum_{l>k} m_l)``;
4. the unseen count ``n0 ~ NegBin(n, 1 - p0)``, ``p0 = sum_k nu_k prod_j (1 - lambda_jk)``
   (the ``1/N`` prior makes this exact), redrawn while ``n0 > 20 n``: LCMCR 0.4.13+ truncates
   the unseen at 20 times the observed, i.e. a prior ``N <= 21 n``;
5. class counts of the unseen: ``Multinomial(n0, p(class | all-zero pattern))``;
6. ``alpha ~ Gamma(a_alpha + K - 1, b_alpha - log nu_K)``.

The scans run compiled (``_lcmcr_scan``, numba), one chain at a time, in blocks of
``BLOCK`` scans so that a progress callback can be called between blocks. Each chain draws
from its own stream, spawned from the generator passed in: a chain's draws depend on the
seed and its index only, not on how many chains run or on the blocks.

Like LCMCR, the first ``WARMUP`` scans keep ``alpha`` at its starting value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BLOCK", "CAP_MULTIPLE", "WARMUP", "ChainDraws", "run_chains"]

WARMUP = 500  # LCMCR's initial scans with alpha held fixed, before the burn-in
CAP_MULTIPLE = 20  # LCMCR redraws the unseen count while it exceeds 20 x observed
BLOCK = 2_000  # scans of one chain between progress reports


@dataclass(frozen=True)
class ChainDraws:
    """Kept draws, one row per chain: population N, alpha, and occupied classes."""

    n: npt.NDArray[np.int64]
    alpha: npt.NDArray[np.float64]
    occupied: npt.NDArray[np.int64]
    ran_off: bool  # some chain's probability of being seen fell below Q_FLOOR, or it stuck
    capped: npt.NDArray[np.float64]  # per chain: share of kept-phase scans whose first draw of
    # the unseen count exceeded the cap (how much the truncation shapes the posterior)


def _initial_weights(k: int) -> npt.NDArray[np.float64]:
    """LCMCR's starting class weights: 0.9 spread over the first four classes, 0.1 over the
    rest (all equal when K <= 4)."""
    if k <= 4:
        return np.full(k, 1.0 / k)
    return np.concatenate([np.full(4, 0.9 / 4), np.full(k - 4, 0.1 / (k - 4))])


def run_chains(
    patterns: npt.NDArray[np.int8],
    counts: npt.NDArray[np.int64],
    *,
    k: int,
    a_alpha: float,
    b_alpha: float,
    burnin: int,
    samples: int,
    thinning: int,
    chains: int,
    rng: np.random.Generator,
    progress: Callable[[int, int], None] | None = None,
) -> ChainDraws:
    """``WARMUP + burnin + samples * thinning`` scans of each chain, keeping every
    ``thinning``-th scan after the burn-in (LCMCR's ``lcmCR_PostSampl``). ``progress(done,
    total)`` counts scans over all chains."""
    from unseen.estimation._lcmcr_scan import scan_block  # numba: imported when first needed

    x = np.ascontiguousarray(patterns, dtype=np.int64)
    freq = np.ascontiguousarray(counts, dtype=np.int64)
    m, j = x.shape
    n = int(freq.sum())
    # LCMCR's start: every class at each list's share of the observed, weights 0.225 on the
    # first four classes and the rest spread evenly; the chains differ by their random draws
    share = np.clip((freq @ x) / max(n, 1), 0.01, 0.99)
    lam = np.repeat(share[:, None], k, axis=1)
    states = [
        (
            np.log(lam),  # log lambda, lists x classes
            np.log1p(-lam),  # log(1 - lambda)
            np.log(_initial_weights(k)),
            np.array([0.3 / k, 0.0]),  # alpha (LCMCR's start), scans at the cap
            np.zeros(2, dtype=np.int64),  # unseen count, ran off
        )
        for _ in range(chains)
    ]
    streams = rng.spawn(chains)
    total = WARMUP + burnin + samples * thinning
    kept_n = np.zeros((chains, samples), dtype=np.int64)
    kept_alpha = np.zeros((chains, samples))
    kept_occ = np.zeros((chains, samples), dtype=np.int64)
    first_kept = WARMUP + burnin + thinning - 1
    for start in range(0, total, BLOCK):
        stop = min(start + BLOCK, total)
        for c, (log_lam, log_mis, log_nu, fstate, istate) in enumerate(states):
            scan_block(
                streams[c],
                x,
                freq,
                CAP_MULTIPLE * n,
                float(a_alpha),
                float(b_alpha),
                WARMUP,
                WARMUP + burnin,
                first_kept,
                thinning,
                start,
                stop,
                log_lam,
                log_mis,
                log_nu,
                fstate,
                istate,
                kept_n[c],
                kept_alpha[c],
                kept_occ[c],
            )
        if progress is not None:
            progress(stop * chains, total * chains)
    capped = np.array([st[3][1] for st in states]) / max(samples * thinning - 1, 1)
    ran_off = any(bool(st[4][1]) for st in states)
    return ChainDraws(kept_n, kept_alpha, kept_occ, ran_off, capped)
