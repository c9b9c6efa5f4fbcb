"""The Gibbs sampler of Manrique-Vallier (2016), all chains at once, in whole-array steps.

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

Why it is fast without compiled code: numpy's random functions cost ~25 us when a parameter
is an array but ~0.5 us with scalars, and every small array operation costs ~1 us, so a scan
is arranged as few calls as possible:

* steps 5 of one scan and 1 of the next use the same parameters and are conditionally
  independent, so one multinomial call draws both (the all-zero pattern is the last row);
* all betas are ratios of gammas drawn in one call, their shapes one matrix product of the
  class counts;
* the fixed-shape gammas (alpha's, and the Gamma(n) that mixes a Poisson into the negative
  binomial) are drawn for the whole run up front, so step 4 is a scalar Poisson draw;
* the chains run side by side as one more array axis, so a scan of four chains costs about
  twice a scan of one (the per-call overhead is shared).

Like LCMCR, the first ``WARMUP`` scans keep ``alpha`` at its starting value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["WARMUP", "ChainDraws", "run_chains"]

WARMUP = 500  # LCMCR's initial scans with alpha held fixed, before the burn-in
CAP_MULTIPLE = 20  # LCMCR redraws the unseen count while it exceeds 20 x observed
MAX_REDRAWS = 200  # after this many redraws in a row the chain sits at the cap
Q_FLOOR = 1e-12  # P(seen) below this: the chain ran off towards an infinite population


@dataclass(frozen=True)
class ChainDraws:
    """Kept draws, one row per chain: population N, alpha, and occupied classes."""

    n: npt.NDArray[np.int64]
    alpha: npt.NDArray[np.float64]
    occupied: npt.NDArray[np.int64]
    ran_off: bool  # some chain's probability of being seen fell below Q_FLOOR, or it stuck
    capped: npt.NDArray[np.float64]  # per chain: share of kept-phase scans whose first draw of
    # the unseen count exceeded the cap (how much the truncation shapes the posterior)


def _tally(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Rows: captured on list j (j rows), everyone (1 row), not captured on list j (j rows);
    columns: the observed patterns, then the all-zero one. ``tally @ z`` gives every count
    the beta and stick-breaking shapes need from the class counts ``z`` (pattern x class)."""
    m, j = x.shape
    out = np.zeros((2 * j + 1, m + 1))
    out[:j, :m] = x.T
    out[j] = 1.0
    out[j + 1 :, :m] = 1.0 - x.T
    out[j + 1 :, m] = 1.0
    return out


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
) -> ChainDraws:
    """``WARMUP + burnin + samples * thinning`` scans of each chain, keeping every
    ``thinning``-th scan after the burn-in (LCMCR's ``lcmCR_PostSampl``)."""
    x = patterns.astype(np.float64)
    freq = counts.astype(np.int64)
    m, j = x.shape
    n = int(freq.sum())
    c = chains
    # class log-probabilities = design @ w: observed patterns, then the all-zero one; the
    # ones column carries log nu_k + sum_j log(1 - lambda_jk)
    design = np.zeros((m + 1, j + 1))
    design[:m, :j] = x
    design[:, j] = 1.0
    tally = _tally(x)
    later = np.tril(np.ones((k, k)), -1)  # later[l, i] = 1 if l > i
    # [log V, log(1 - V)] @ stick = log nu: V_k on the diagonal (but V_K = 1, so not the
    # last), log(1 - V_l) for every l < k
    stick = np.vstack([np.diag(np.r_[np.ones(k - 1), 0.0]), np.triu(np.ones((k, k)), 1)])
    ones_k = np.ones(k)

    cell_counts = np.zeros((c, m + 1), dtype=np.int64)
    cell_counts[:, :m] = freq
    # LCMCR's start: every class at each list's share of the observed, weights 0.225 on the
    # first four classes and the rest spread evenly; the chains differ by their random draws
    share = np.clip((freq @ x) / max(n, 1), 0.01, 0.99)
    lam = np.broadcast_to(share[None, :, None], (c, j, k))
    nu = np.broadcast_to(_initial_weights(k)[None, :], (c, k))
    w = np.empty((c, j + 1, k))  # logit lambda (j rows), then log nu + sum_j log(1 - lambda)
    w[:, :j] = np.log(lam) - np.log1p(-lam)
    w[:, j] = np.log(nu) + np.log1p(-lam).sum(axis=1)
    log_nu = np.log(nu)
    alpha = np.full(c, 0.3 / k)  # LCMCR's starting value
    shapes = np.empty((c, 2, j + 1, k))  # [:, 0]: first gamma of each beta pair, [:, 1]: second
    flat = shapes.reshape(c, 2 * (j + 1), k)
    offset = np.ones_like(flat)  # + 1 on every count; row 2j+1 is alpha (set each scan)
    probs = np.empty((c, m + 1, k))
    tiny = np.finfo(np.float64).tiny

    total = WARMUP + burnin + samples * thinning
    alpha_gamma = rng.standard_gamma(a_alpha + k - 1.0, size=(total, c))
    n_gamma = rng.standard_gamma(float(n), size=(total, c))
    kept_n = np.empty((c, samples), dtype=np.int64)
    kept_alpha = np.empty((c, samples))
    kept_occ = np.empty((c, samples), dtype=np.int64)
    first_kept = WARMUP + burnin + thinning - 1
    ran_off = False
    cap = CAP_MULTIPLE * n
    capped = np.zeros(c)
    kept = 0
    for it in range(total):
        if it == WARMUP:
            # as LCMCR after its warm-up: relabel the classes by decreasing weight, which
            # matters because the truncated stick-breaking prior is not exchangeable
            order = np.argsort(-log_nu, axis=1, kind="stable")
            w[:] = np.take_along_axis(w, order[:, None, :], axis=2)
        # steps 1 and 5: class counts of every pattern, the unseen included
        np.matmul(design, w, out=probs)
        np.exp(probs, out=probs)
        probs /= (probs @ ones_k)[:, :, None]
        z = rng.multinomial(cell_counts, probs)
        # steps 2 and 3: beta shapes (V_K's pair is drawn but unused): counts + 1, and the
        # second shape of V_k is alpha + sum_{l>k} m_l
        np.matmul(tally, z, out=flat[:, : 2 * j + 1])
        np.matmul(flat[:, j], later, out=flat[:, 2 * j + 1])
        offset[:, 2 * j + 1] = alpha[:, None]
        flat += offset
        g = rng.standard_gamma(shapes)
        np.maximum(g, tiny, out=g)  # a gamma with a tiny shape (alpha) can underflow to 0
        logs = np.log(g)
        # log of each beta draw and of its complement: log g_a - log(g_a + g_b), ...
        logb = logs - np.logaddexp(logs[:, 0], logs[:, 1])[:, None]
        np.subtract(logb[:, 0, :j], logb[:, 1, :j], out=w[:, :j])  # logit lambda
        log_fail = logb[:, 1, :j].sum(axis=1)  # log prod_j (1 - lambda_jk)
        # log nu_k = log V_k + sum_{l<k} log(1 - V_l), with log V_K = 0
        log_nu = logb[:, :, j].reshape(c, 2 * k) @ stick
        np.add(log_nu, log_fail, out=w[:, j])
        # step 4: the unseen, NegBin(n, q) as Poisson(Gamma(n) * p0 / q), q = P(seen); per
        # chain in Python floats (numpy calls on arrays this small cost more than the maths)
        p0s = (np.exp(w[:, j]) @ ones_k).tolist()
        gam = n_gamma[it].tolist()
        for ci in range(c):
            p0 = p0s[ci]
            # q without cancellation when p0 is near 1
            q = 1.0 - p0 if p0 < 0.5 else float(np.exp(log_nu[ci]) @ -np.expm1(log_fail[ci]))
            if q < Q_FLOOR:
                ran_off, q = True, Q_FLOOR
            odds = (1.0 - q) / q
            n0 = int(rng.poisson(gam[ci] * odds))
            if n0 > cap:
                n0 = _redraw(rng, float(n), odds, cap)
                if it > WARMUP + burnin:
                    capped[ci] += 1.0
                if n0 < 0:
                    ran_off, n0 = True, cap
            cell_counts[ci, m] = n0
        # step 6: alpha, once the warm-up is over
        if it >= WARMUP:
            alpha = alpha_gamma[it] / (b_alpha - log_nu[:, k - 1])
        if it >= first_kept and (it - first_kept) % thinning == 0:
            kept_n[:, kept] = n + cell_counts[:, m]
            kept_alpha[:, kept] = alpha
            kept_occ[:, kept] = np.count_nonzero(z.sum(axis=1), axis=1)
            kept += 1
    capped /= max(samples * thinning - 1, 1)
    return ChainDraws(kept_n, kept_alpha, kept_occ, ran_off, capped)


def _redraw(rng: np.random.Generator, n: float, odds: float, cap: int) -> int:
    """A negative binomial draw conditioned on at most ``cap`` (rejection, as LCMCR does);
    -1 when ``MAX_REDRAWS`` draws in a row all exceed it."""
    for _ in range(MAX_REDRAWS):
        n0 = int(rng.poisson(rng.standard_gamma(n) * odds))
        if n0 <= cap:
            return n0
    return -1
