"""Convergence diagnostics for MCMC draws: split R-hat and effective sample size.

Both follow Vehtari, Gelman, Simpson, Carpenter & Buerkner (2021), "Rank-normalization,
folding, and localization: an improved R-hat for assessing convergence of MCMC", Bayesian
Analysis 16(2), the definitions Stan and ArviZ use:

* every chain is split in two halves, so a chain that drifts shows up as two disagreeing
  halves even when there is only one chain;
* draws are rank-normalised (ranks over all chains mapped through the normal quantile
  function) before computing R-hat and ESS, which makes both well defined for heavy-tailed
  posteriors such as that of a population size;
* "bulk" quantities use the rank-normalised draws, "tail" ones the rank-normalised
  distance from the median (R-hat) or the 5% and 95% quantile indicators (ESS);
* ESS sums the chains' combined autocorrelations with Geyer's initial monotone sequence.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri
from scipy.stats import rankdata

__all__ = ["ess_bulk", "ess_tail", "rhat", "split_chains", "summary"]

Draws = npt.NDArray[np.float64]


def split_chains(draws: npt.ArrayLike) -> Draws:
    """(chains, draws) -> (2 x chains, draws // 2): each chain cut into two halves (the
    middle draw of an odd-length chain is dropped)."""
    x = np.asarray(draws, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] < 4:
        raise ValueError("need an array (chains, draws) with at least 4 draws per chain")
    half = x.shape[1] // 2
    return np.concatenate([x[:, :half], x[:, x.shape[1] - half :]], axis=0)


def _rank_normalise(x: Draws) -> Draws:
    r = rankdata(x, method="average").reshape(x.shape)
    z: Draws = ndtri((r - 0.375) / (x.size + 0.25))  # Blom's offsets
    return z


def _rhat_plain(x: Draws) -> float:
    """Gelman-Rubin potential scale reduction of already split chains."""
    n = x.shape[1]
    within = float(np.mean(np.var(x, axis=1, ddof=1)))
    between = float(n * np.var(np.mean(x, axis=1), ddof=1))
    if within == 0.0:
        return 1.0 if between == 0.0 else float("inf")
    var_plus = (n - 1) / n * within + between / n
    return float(np.sqrt(var_plus / within))


def rhat(draws: npt.ArrayLike) -> float:
    """Rank-normalised split R-hat: the larger of the bulk and the folded (tail) value.
    Values near 1 mean the chains agree; above 1.05 (say) they have not mixed."""
    s = split_chains(draws)
    bulk = _rhat_plain(_rank_normalise(s))
    folded = _rhat_plain(_rank_normalise(np.abs(s - np.median(s))))
    return max(bulk, folded)


def _autocov(x: Draws) -> Draws:
    """Autocovariance of each row at every lag (biased estimator, via FFT)."""
    n = x.shape[1]
    c = x - x.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    f = np.fft.rfft(c, n=size, axis=1)
    ac: Draws = np.fft.irfft(f * np.conjugate(f), n=size, axis=1)[:, :n].real / n
    return ac


def _ess(x: Draws) -> float:
    """ESS of split chains ``x`` (chains, n): Geyer's initial monotone positive sequence."""
    m, n = x.shape
    ac = _autocov(x)
    chain_var = ac[:, 0] * n / (n - 1)
    within = float(np.mean(chain_var))
    var_plus = within * (n - 1) / n
    if m > 1:
        var_plus += float(np.var(np.mean(x, axis=1), ddof=1))
    if var_plus <= 0.0:
        return float(m * n)  # constant draws: every draw is as good as independent
    rho = 1.0 - (within - np.mean(ac, axis=0)) / var_plus
    rho[0] = 1.0
    # sums of adjacent pairs, kept while positive, then made non-increasing
    pairs = rho[: 2 * (n // 2)].reshape(-1, 2).sum(axis=1)
    stop = int(np.argmax(pairs <= 0.0)) if np.any(pairs <= 0.0) else len(pairs)
    pairs = np.minimum.accumulate(pairs[:stop]) if stop else pairs[:1]
    tau = -1.0 + 2.0 * float(np.sum(pairs))
    tau = max(tau, 1.0 / np.log10(m * n))  # Stan's floor for antithetic chains
    return float(m * n / tau)


def ess_bulk(draws: npt.ArrayLike) -> float:
    """Bulk effective sample size: of the rank-normalised split chains."""
    return _ess(_rank_normalise(split_chains(draws)))


def ess_tail(draws: npt.ArrayLike) -> float:
    """Tail effective sample size: the smaller ESS of the indicators below the 5% and
    above the 95% quantile (how well the interval's ends are estimated)."""
    s = split_chains(draws)
    out = []
    for q in (0.05, 0.95):
        ind = (s <= np.quantile(s, q)).astype(np.float64)
        out.append(_ess(ind))
    return min(out)


def summary(draws: npt.ArrayLike) -> dict[str, float]:
    """R-hat, bulk and tail ESS of draws (chains, draws), rounded for reporting."""
    return {
        "rhat": round(rhat(draws), 4),
        "ess_bulk": round(ess_bulk(draws), 1),
        "ess_tail": round(ess_tail(draws), 1),
    }
