"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

The method of the R package dga (``bma.cr``): every decomposable log-linear model on the
3 to 5 lists gets a conjugate hyper-Dirichlet prior (``delta`` prior observations per cell of
the full ``2**t`` table, default ``2**-t`` as in dga's examples, so one prior observation in
all), the number of people on no list ``m`` gets a prior proportional to ``1/N`` (``N = n +
m``), and the joint posterior over (model, m) is computed exactly on a grid of ``m``:

    log p(g, m | y) = log ML_g(y, m) + log N! - log m! - sum log y_c! + log prior(m) + const

where ``ML_g`` is the Dirichlet-multinomial marginal likelihood of the completed table, a
product over the model's cliques divided by one over its separators. Nothing is random: the
result is a deterministic function of the table and the grid.

Note on dga's prior: its help page says the default ``logprior`` is ``-log(Nmissing)``, but
its code uses ``-log(sum(Y) + Nmissing)``, i.e. ``1/N``; only the latter reproduces the
reference runs (see docs/estimation-bayesian.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from unseen.estimation._bilingual import both
from unseen.estimation._graphs import DecomposableGraph, decomposable_graphs, term_matrix
from unseen.estimation.histories import CaptureHistories
from unseen.estimation.result import Estimate

__all__ = ["DgaPosterior", "dga_posterior", "estimate_dga"]

METHOD = "dga"
MIN_LISTS, MAX_LISTS = 3, 5
UNIT_STEPS = 2000  # default grid: every m up to here, then geometric steps
GEOMETRIC_RATIO = 1.001  # 0.1% spacing: quantiles to about 0.05%
DEFAULT_TOP = 1000  # default grid reaches 1000 x observed
UNBOUNDED_MULTIPLE = 50  # posterior mass above 50 x n ...
UNBOUNDED_MASS = 0.01  # ... above 1% means the data do not bound N
GRID_TOP_FRACTION = 0.05  # mass in the top 5% of an explicit grid ...
GRID_TOP_MASS = 0.01  # ... above 1% means the grid cuts the posterior off
CHUNK = 8192  # grid columns per block (memory: graphs x CHUNK doubles)
PLOT_POINTS = 400
N_TOP_MODELS = 10

Prior = Literal["1/N", "uniform"]


@dataclass(frozen=True)
class DgaPosterior:
    """Joint posterior over models and ``m`` (people on no list), summarised.

    ``grid`` are the values of ``m``; ``weight[i]`` how many integers grid point ``i`` stands
    for (1 on a unit grid); ``post_m[i]`` the posterior probability of each of those
    integers, so ``sum(post_m * weight) == 1``. ``model_prob`` sums to one over ``graphs``.
    """

    observed: int
    graphs: tuple[DecomposableGraph, ...]
    grid: npt.NDArray[np.float64]
    weight: npt.NDArray[np.float64]
    post_m: npt.NDArray[np.float64]
    model_prob: npt.NDArray[np.float64]
    top_models: tuple[int, ...]
    top_model_post_m: npt.NDArray[np.float64]  # (len(top_models), len(grid)), each sums to 1

    def cdf(self) -> npt.NDArray[np.float64]:
        c: npt.NDArray[np.float64] = np.cumsum(self.post_m * self.weight)
        return c

    def quantile(self, q: float, post_m: npt.NDArray[np.float64] | None = None) -> float:
        """Smallest population N whose posterior cdf reaches ``q``: dga's convention on a unit
        grid, linear inside the wider cells of the default grid."""
        p = self.post_m if post_m is None else post_m
        mass = p * self.weight
        c = np.cumsum(mass)
        target = q * c[-1]
        j = min(int(np.searchsorted(c, target)), len(c) - 1)
        # cell j holds the integers in (edge[j-1], edge[j]], edge[-1] = grid[0] - 1/2
        edge_below = self.grid[0] - 0.5 + (float(np.sum(self.weight[:j])) if j else 0.0)
        below = float(c[j - 1]) if j else 0.0
        frac = (target - below) / mass[j] if mass[j] > 0 else 1.0
        m = np.ceil(edge_below + min(max(frac, 0.0), 1.0) * self.weight[j] - 0.5)
        return float(self.observed + m)

    def mean(self) -> float:
        return float(self.observed + np.sum(self.grid * self.post_m * self.weight))

    def mass_above(self, n_total: float) -> float:
        return float(np.sum((self.post_m * self.weight)[self.observed + self.grid > n_total]))


def _grid(
    n: int, min_missing: int, max_missing: int | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], bool]:
    """Grid of ``m`` with the number of integers each point stands for; ``True`` if explicit."""
    if max_missing is not None:
        m = np.arange(min_missing, max_missing + 1, dtype=np.float64)
        return m, np.ones_like(m), True
    top = max(DEFAULT_TOP * max(n, 1), UNIT_STEPS)
    unit = np.arange(min_missing, UNIT_STEPS + 1, dtype=np.float64)
    steps = int(np.ceil(np.log(top / UNIT_STEPS) / np.log(GEOMETRIC_RATIO)))
    geo = np.unique(np.round(UNIT_STEPS * GEOMETRIC_RATIO ** np.arange(1, steps + 1)))
    g = np.concatenate([unit, geo[geo > UNIT_STEPS]])
    # trapezoid over the integers: a point stands for half of each neighbouring gap
    gaps = np.diff(g)
    w = np.empty_like(g)
    w[0] = 0.5 + gaps[0] / 2 if len(g) > 1 else 1.0
    w[-1] = 0.5 + gaps[-1] / 2
    w[1:-1] = (gaps[:-1] + gaps[1:]) / 2
    return g, w, False


def _set_terms(
    full: npt.NDArray[np.float64], t: int, delta: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """For every list subset A: constant part of its log ML, the count in its empty-marginal
    cell (people on no list of A, the unseen ones excluded) and its per-cell prior."""
    cells = np.arange(1 << t)
    y = np.concatenate([[0.0], full])
    size = np.array([bin(a).count("1") for a in range(1 << t)])
    a_cell = delta * 2.0 ** (t - size)
    const = np.zeros(1 << t)
    zero_cell = np.zeros(1 << t)
    for a in range(1, 1 << t):
        marg = np.bincount(cells & a, weights=y, minlength=1 << t)
        sub = cells[(cells & a) == cells]  # the 2**|A| cells of the A-marginal
        const[a] = gammaln(delta * (1 << t)) + np.sum(gammaln(marg[sub[1:]] + a_cell[a]))
        const[a] -= len(sub) * gammaln(a_cell[a])
        zero_cell[a] = marg[0]
    return const, zero_cell, a_cell


def _block_terms(
    m: npt.NDArray[np.float64],
    n: int,
    zero_cell: npt.NDArray[np.float64],
    a_cell: npt.NDArray[np.float64],
    a_sum: float,
    log_fact_y: float,
    prior: Prior,
) -> npt.NDArray[np.float64]:
    """Rows matching ``gext``'s columns, for the grid values ``m``: the m-dependent lgamma of
    each subset's empty cell, lgamma(N + a_sum), ones, and the multinomial and prior terms."""
    big_n = n + m
    common = gammaln(big_n + 1) - gammaln(m + 1) - log_fact_y
    if prior == "1/N":
        common -= np.log(np.maximum(big_n, 1.0))
    out = np.empty((len(zero_cell) + 2, len(m)))
    out[: len(zero_cell) - 1] = gammaln(zero_cell[1:, None] + a_cell[1:, None] + m[None, :])
    out[-3] = gammaln(big_n + a_sum)
    out[-2] = 1.0
    out[-1] = common
    return out


def dga_posterior(
    full_counts: npt.ArrayLike,
    *,
    delta: float | None = None,
    min_missing: int = 0,
    max_missing: int | None = None,
    prior: Prior = "1/N",
    log_model_prior: npt.ArrayLike | None = None,
) -> DgaPosterior:
    """The dga posterior for a table of ``2**t - 1`` counts (entry ``i - 1`` is pattern ``i``,
    list ``j`` = bit ``j``), ``t`` from 3 to 5.

    ``max_missing`` gives dga's grid ``min_missing..max_missing`` in unit steps (as
    ``bma.cr(Nmissing=1:max)`` with ``min_missing=1``); by default every ``m`` up to 2,000 then
    0.1% steps up to 1000 x observed.
    """
    full = np.asarray(full_counts, dtype=np.float64)
    t = int(round(np.log2(full.size + 1)))
    if full.ndim != 1 or (1 << t) - 1 != full.size:
        raise ValueError("full_counts needs 2**t - 1 entries")
    if not MIN_LISTS <= t <= MAX_LISTS:
        raise ValueError(f"dga handles {MIN_LISTS} to {MAX_LISTS} lists, not {t}")
    d = 2.0**-t if delta is None else float(delta)
    if not d > 0 or not np.isfinite(d):
        raise ValueError("delta must be a positive number")
    if min_missing < 0 or (max_missing is not None and max_missing < min_missing):
        raise ValueError("need 0 <= min_missing <= max_missing")
    n = int(full.sum())
    graphs = decomposable_graphs(t)
    gmat = term_matrix(graphs)[:, 1:]
    n_comp = np.array([g.n_components for g in graphs], dtype=np.float64)
    const, zero_cell, a_cell = _set_terms(full, t, d)
    graph_const = gmat @ const[1:]
    if log_model_prior is not None:
        lp = np.asarray(log_model_prior, dtype=np.float64)
        if lp.shape != (len(graphs),):
            raise ValueError(f"log_model_prior needs one value per graph ({len(graphs)})")
        graph_const = graph_const + lp
    a_sum = d * (1 << t)
    grid, weight, _ = _grid(n, min_missing, max_missing)

    # one matrix product per block gives log p(g, m) up to a constant: the columns of
    # ``gext`` weight the per-set terms, the shared lgamma(N + a_sum), the graph constant
    # and the terms common to all graphs
    gext = np.hstack([gmat, -n_comp[:, None], graph_const[:, None], np.ones((len(graphs), 1))])
    log_fact_y = float(np.sum(gammaln(full + 1)))
    if prior not in ("1/N", "uniform"):
        raise ValueError("prior must be '1/N' or 'uniform'")
    ref = -np.inf
    model_acc = np.zeros(len(graphs))
    col_log = np.empty(len(grid))
    tiny = np.finfo(np.float64).tiny
    for start in range(0, len(grid), CHUNK):
        m = grid[start : start + CHUNK]
        w = gext @ _block_terms(m, n, zero_cell, a_cell, a_sum, log_fact_y, prior)
        block_max = float(w.max())
        np.subtract(w, block_max, out=w)
        np.exp(w, out=w)
        # a column far below the block's maximum has negligible mass: floor it, don't log 0
        col_log[start : start + len(m)] = block_max + np.log(np.maximum(w.sum(axis=0), tiny))
        if block_max > ref:
            model_acc *= np.exp(ref - block_max)
            ref = block_max
        model_acc += (w @ weight[start : start + len(m)]) * np.exp(block_max - ref)

    total = col_log + np.log(weight)
    top = float(total.max())
    post_m = np.exp(col_log - top)
    post_m /= np.sum(post_m * weight)
    model_prob = model_acc / model_acc.sum()
    order = np.argsort(-model_prob, kind="stable")[:N_TOP_MODELS]
    rows = gext[order] @ _block_terms(grid, n, zero_cell, a_cell, a_sum, log_fact_y, prior)
    rows = np.exp(rows - rows.max(axis=1, keepdims=True))
    rows /= (rows * weight).sum(axis=1, keepdims=True)
    return DgaPosterior(
        observed=n,
        graphs=graphs,
        grid=grid,
        weight=weight,
        post_m=post_m,
        model_prob=model_prob,
        top_models=tuple(int(i) for i in order),
        top_model_post_m=rows,
    )


def _plot_data(post: DgaPosterior) -> dict[str, Any]:
    """Posterior density of N per unit N on an even grid over its central 99.9%."""
    lo, hi = post.quantile(0.0005), post.quantile(0.9995)
    xs = np.unique(np.round(np.linspace(lo, hi, PLOT_POINTS)))
    dens = np.interp(xs, post.observed + post.grid, post.post_m)
    return {"n": xs.astype(np.int64).tolist(), "density": [float(f"{v:.6g}") for v in dens]}


def _edge_probabilities(post: DgaPosterior, lists: tuple[str, ...]) -> dict[str, float]:
    out: dict[str, float] = {}
    t = len(lists)
    for a in range(t):
        for b in range(a + 1, t):
            p = sum(
                float(pr)
                for g, pr in zip(post.graphs, post.model_prob, strict=True)
                if (a, b) in g.edges
            )
            out[f"{lists[a]}-{lists[b]}"] = round(p, 6)
    return out


def estimate_dga(
    histories: CaptureHistories,
    *,
    delta: float | None = None,
    min_missing: int = 0,
    max_missing: int | None = None,
    prior: Prior = "1/N",
    level: float = 0.95,
) -> Estimate:
    """Model-averaged posterior median of the population and its central ``level`` interval.

    ``status`` is ``"not_estimable"`` (with the posterior summary still in ``diagnostics``)
    for fewer than 3 or more than 5 lists, an empty table, when more than 1% of the posterior
    lies above 50 x observed (the lists overlap too little for the data to bound N: the
    prior's tail sets the interval), or when an explicit grid cuts off more than 1% of it.
    """
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    n, t, lists = histories.observed, histories.n_lists, histories.lists
    common: dict[str, Any] = {"lists": lists, "level": level, "stratum": histories.stratum}
    if not MIN_LISTS <= t <= MAX_LISTS:
        return Estimate.not_estimable(
            METHOD,
            n,
            message=both(
                f"dga averages over decomposable models of {MIN_LISTS} to {MAX_LISTS} lists; "
                f"this table has {t}: merge small lists or use another method",
                f"dga는 명단 {MIN_LISTS}~{MAX_LISTS}개의 분해 가능 모형만 평균합니다. "
                f"이 표의 명단은 {t}개입니다: 작은 명단을 합치거나 다른 방법을 쓰세요",
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
    post = dga_posterior(
        histories.full_counts(),
        delta=delta,
        min_missing=min_missing,
        max_missing=max_missing,
        prior=prior,
    )
    median = post.quantile(0.5)
    lower, upper = post.quantile((1 - level) / 2), post.quantile((1 + level) / 2)
    above = post.mass_above(UNBOUNDED_MULTIPLE * n)
    grid_top = float(post.grid[-1])
    top_mass = post.mass_above(
        n + post.grid[0] + (1 - GRID_TOP_FRACTION) * (grid_top - post.grid[0])
    )
    diagnostics: dict[str, Any] = {
        "posterior_median": median,
        "posterior_lower": lower,
        "posterior_upper": upper,
        "posterior_mean": post.mean(),
        "delta": 2.0**-t if delta is None else float(delta),
        "prior_n": prior,
        "grid_missing": {
            "min": float(post.grid[0]),
            "max": grid_top,
            "points": len(post.grid),
            "unit_steps": bool(np.all(post.weight == 1.0)),
        },
        "n_models": len(post.graphs),
        "mass_above_50x_observed": above,
        "mass_in_grid_top_5pct": top_mass,
        "models": [
            {
                "graph": post.graphs[i].describe(lists),
                "probability": float(post.model_prob[i]),
                "median": post.quantile(0.5, post.top_model_post_m[k]),
            }
            for k, i in enumerate(post.top_models)
        ],
        "edge_probabilities": _edge_probabilities(post, lists),
        "posterior_n": _plot_data(post),
    }
    message = ""
    if above > UNBOUNDED_MASS:
        message = both(
            f"the lists overlap too little for the data to bound the total: "
            f"{above:.1%} of the posterior lies above {UNBOUNDED_MULTIPLE} times the "
            f"{n:,} observed, so any upper limit would be set by the prior, not the data",
            f"명단끼리 겹치는 사람이 너무 적어 자료만으로는 전체 규모의 상한을 정할 수 없습니다: "
            f"사후분포의 {above:.1%}가 관측 인원 {n:,}명의 {UNBOUNDED_MULTIPLE}배를 넘으므로, "
            "상한은 자료가 아니라 사전분포가 정합니다",
        )
    elif top_mass > GRID_TOP_MASS:
        message = both(
            f"the grid of unseen counts stops at {grid_top:,.0f} while {top_mass:.1%} of the "
            f"posterior lies in its top 5%: raise max_missing (or leave it unset)",
            f"미관측 인원 격자가 {grid_top:,.0f}에서 끝나는데 사후분포의 {top_mass:.1%}가 "
            "격자의 위쪽 5%에 있습니다: max_missing을 늘리거나 지정하지 마세요",
        )
    if message:
        return Estimate.not_estimable(METHOD, n, message=message, diagnostics=diagnostics, **common)
    return Estimate(
        method=METHOD,
        observed=n,
        estimate=median,
        lower=lower,
        upper=upper,
        diagnostics=diagnostics,
        **common,
    )
