"""One LCMCR chain for a block of Gibbs scans, compiled with numba (the steps: ``_lcmcr_gibbs``).

A scan costs a few hundred scalar draws (a multinomial per observed pattern as binomials, two
gammas per beta); as numpy calls each would cost microseconds of overhead, compiled they cost
nanoseconds, so a scan takes a few microseconds against 13-34 us in LCMCR's C++. The chain's
state lives in the arrays passed in, which the block updates in place, so the caller can
report progress between blocks. ``cache=True`` keeps the compiled code next to this file:
only the first run on a machine pays the compilation (seconds).

Draws come from the ``numpy.random.Generator`` passed in (numba implements its methods over
the same bit generator), so a seed fixes the chain.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["MAX_REDRAWS", "Q_FLOOR", "scan_block"]

MAX_REDRAWS = 200  # after this many redraws in a row the chain sits at the cap
Q_FLOOR = 1e-12  # P(seen) below this: the chain ran off towards an infinite population
_TINY = np.finfo(np.float64).tiny  # a gamma with a tiny shape (alpha) can underflow to 0

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@numba.njit(cache=True, nogil=True)
def scan_block(
    rng: Any,
    x: IntArray,
    freq: IntArray,
    cap: int,
    a_alpha: float,
    b_alpha: float,
    warmup: int,
    counted_from: int,
    first_kept: int,
    thinning: int,
    start: int,
    stop: int,
    log_lam: FloatArray,
    log_mis: FloatArray,
    log_nu: FloatArray,
    fstate: FloatArray,
    istate: IntArray,
    kept_n: IntArray,
    kept_alpha: FloatArray,
    kept_occ: IntArray,
) -> None:
    """Scans ``start`` to ``stop - 1`` of one chain. State: ``log_lam``/``log_mis`` (lists x
    classes: log lambda, log(1 - lambda)), ``log_nu`` (class log weights), ``fstate`` =
    [alpha, scans at the cap], ``istate`` = [unseen count, ran off (0/1)]."""
    m, j = x.shape
    k = log_nu.shape[0]
    n = 0
    for i in range(m):
        n += freq[i]
    z = np.zeros(k, np.int64)  # people per class, the unseen included
    hit = np.zeros((j, k), np.int64)  # ... and of them, captured on list jj
    w = np.empty(k)
    fail = np.empty(k)
    alpha, capped = fstate[0], fstate[1]
    n0, ran_off = istate[0], istate[1]
    for it in range(start, stop):
        if it == warmup:
            # as LCMCR after its warm-up: relabel the classes by decreasing weight (the
            # truncated stick-breaking prior is not exchangeable, so this matters)
            order = np.argsort(-log_nu, kind="mergesort")
            log_nu[:] = log_nu[order]
            log_lam[:, :] = log_lam[:, order]
            log_mis[:, :] = log_mis[:, order]
        # steps 1 and 5: the classes of the people of each pattern (the unseen last), a
        # multinomial drawn as binomials
        z[:] = 0
        hit[:, :] = 0
        for i in range(m + 1):
            count = freq[i] if i < m else n0
            if count == 0:
                continue
            top = -np.inf
            for kk in range(k):
                v = log_nu[kk]
                for jj in range(j):
                    v += log_lam[jj, kk] if i < m and x[i, jj] else log_mis[jj, kk]
                w[kk] = v
                top = max(top, v)
            total = 0.0
            for kk in range(k):
                w[kk] = np.exp(w[kk] - top)
                total += w[kk]
            left = count
            for kk in range(k):
                if left == 0:
                    break
                if kk == k - 1 or total <= w[kk]:
                    d = left
                else:
                    d = rng.binomial(left, w[kk] / total) if w[kk] > 0.0 else 0
                total -= w[kk]
                z[kk] += d
                if i < m:
                    for jj in range(j):
                        if x[i, jj]:
                            hit[jj, kk] += d
                left -= d
        # step 2: lambda_jk ~ Beta(1 + captured, 1 + not captured), as two gammas (in logs)
        for kk in range(k):
            f = 0.0
            for jj in range(j):
                ga = max(rng.standard_gamma(1.0 + hit[jj, kk]), _TINY)
                gb = max(rng.standard_gamma(1.0 + z[kk] - hit[jj, kk]), _TINY)
                s = np.log(ga + gb)
                log_lam[jj, kk] = np.log(ga) - s
                log_mis[jj, kk] = np.log(gb) - s
                f += log_mis[jj, kk]
            fail[kk] = f
        # step 3: V_k ~ Beta(1 + m_k, alpha + sum_{l>k} m_l), V_K = 1;
        # log nu_k = log V_k + sum_{l<k} log(1 - V_l)
        everyone = 0
        for kk in range(k):
            everyone += z[kk]
        so_far = 0
        acc = 0.0
        for kk in range(k - 1):
            so_far += z[kk]
            ga = max(rng.standard_gamma(1.0 + z[kk]), _TINY)
            gb = max(rng.standard_gamma(alpha + (everyone - so_far)), _TINY)
            s = np.log(ga + gb)
            log_nu[kk] = acc + np.log(ga) - s
            acc += np.log(gb) - s
        log_nu[k - 1] = acc
        # step 4: the unseen, NegBin(n, q) as Poisson(Gamma(n) * p0 / q), q = P(seen)
        p0 = 0.0
        for kk in range(k):
            p0 += np.exp(log_nu[kk] + fail[kk])
        if p0 < 0.5:
            q = 1.0 - p0
        else:  # without cancellation when p0 is near 1
            q = 0.0
            for kk in range(k):
                q += np.exp(log_nu[kk]) * -np.expm1(fail[kk])
        if q < Q_FLOOR:
            ran_off, q = 1, Q_FLOOR
        odds = (1.0 - q) / q
        n0 = rng.poisson(rng.standard_gamma(float(n)) * odds)
        if n0 > cap:
            # LCMCR redraws while the unseen exceed the cap (rejection)
            if it > counted_from:
                capped += 1.0
            tries = 0
            while n0 > cap and tries < MAX_REDRAWS:
                n0 = rng.poisson(rng.standard_gamma(float(n)) * odds)
                tries += 1
            if n0 > cap:
                ran_off, n0 = 1, cap
        # step 6: alpha, once the warm-up is over
        if it >= warmup:
            alpha = rng.standard_gamma(a_alpha + k - 1.0) / (b_alpha - log_nu[k - 1])
        if it >= first_kept and (it - first_kept) % thinning == 0:
            at = (it - first_kept) // thinning
            kept_n[at] = n + n0
            kept_alpha[at] = alpha
            occupied = 0
            for kk in range(k):
                if z[kk] > 0:
                    occupied += 1
            kept_occ[at] = occupied
    fstate[0], fstate[1] = alpha, capped
    istate[0], istate[1] = n0, ran_off
