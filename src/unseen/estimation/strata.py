"""Estimates by stratum, the total across strata, and warnings for strata too sparse to trust.

Strata are estimated independently, with independent seeds spawned from one seed. The total
is the sum of the strata's estimates. Its interval:

* **from draws**, when every stratum's estimate carries them (the stepwise bootstrap
  replicates, ``diagnostics["bootstrap"]["draws"]``; the posterior of N that dga and LCMCR
  give for plots, ``diagnostics["posterior_n"]``): each stratum is resampled ``TOTAL_DRAWS``
  times independently and the draws are summed. When every stratum is a bootstrap the
  interval is BCa on the summed replicates, with the bias correction of the sums and the
  acceleration ``sum a_s sd_s^3 / (sum sd_s^2)^1.5`` (third cumulants of independent parts
  add); otherwise it is the central quantiles of the summed draws. The posterior plot data
  cover the central 99.9% (dga) or 99% (LCMCR) of each stratum, so the far tails are lost:
  a 95% interval of the total is barely affected.
* **otherwise by MOVER** (Zou & Donner 2008, "method of variance estimates recovery"): the
  distances from each estimate to its bounds are added on the variance scale, each side on
  its own, ``lower = T - sqrt(sum (e_s - l_s)^2)``, ``upper = T + sqrt(sum (u_s - e_s)^2)``;
  exact for normal estimates, and it keeps the skew of each stratum's interval. The lower
  bound is never below the number observed.

A stratum is **too sparse** (a warning in its diagnostics and message, and in the total's)
when fewer than ``min_observed`` (50) people are in it, fewer than ``min_recaptured`` (10)
are on two or more lists (those people are all an estimate learns from), or a list shares
nobody with any other list (nothing says how many that list's people the others missed).
``merge_sparse=True`` pools the sparse strata into one before estimating, and ``collapse``
sums over stratum columns (``collapse=["age"]``: by region and sex only).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from unseen.errors import InputError
from unseen.estimation._bilingual import both
from unseen.estimation.bootstrap import bca_interval
from unseen.estimation.histories import CaptureHistories, collapse
from unseen.estimation.result import Estimate, estimates_json_dict, stratum_key

__all__ = [
    "MIN_OBSERVED",
    "MIN_RECAPTURED",
    "Sparsity",
    "StratifiedEstimate",
    "collapse_strata",
    "estimate_strata",
    "merge_sparse_strata",
    "sparsity",
    "total_estimate",
]

FloatArray = npt.NDArray[np.float64]
Estimator = Callable[[CaptureHistories, int], Estimate]

MIN_OBSERVED = 50
MIN_RECAPTURED = 10
TOTAL_DRAWS = 4000


@dataclass(frozen=True)
class Sparsity:
    """Why a stratum is too sparse to trust (``reasons`` empty: it is not)."""

    observed: int
    recaptured: int  # people on two or more lists
    isolated_lists: tuple[str, ...]  # lists that share nobody with any other list
    reasons: tuple[str, ...]

    @property
    def sparse(self) -> bool:
        return bool(self.reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "observed": self.observed,
            "recaptured": self.recaptured,
            "isolated_lists": list(self.isolated_lists),
            "reasons": list(self.reasons),
        }


def sparsity(
    h: CaptureHistories,
    *,
    min_observed: int = MIN_OBSERVED,
    min_recaptured: int = MIN_RECAPTURED,
) -> Sparsity:
    """The three sparseness checks of this module's docstring."""
    recaptured = int(h.counts[h.patterns.sum(axis=1) >= 2].sum())
    ov = h.overlap_matrix()
    totals = np.diag(ov)
    off = ov - np.diag(totals)
    isolated = tuple(h.lists[j] for j in range(h.n_lists) if totals[j] > 0 and not off[j].any())
    reasons: list[str] = []
    if h.observed < min_observed:
        reasons.append(
            both(
                f"only {h.observed:,} people observed (fewer than {min_observed})",
                f"관측 인원이 {h.observed:,}명뿐입니다({min_observed}명 미만)",
            )
        )
    if recaptured < min_recaptured:
        reasons.append(
            both(
                f"only {recaptured:,} people are on two or more lists (fewer than "
                f"{min_recaptured}); the overlaps are all an estimate learns from",
                f"두 개 이상의 명단에 있는 사람이 {recaptured:,}명뿐입니다({min_recaptured}명 "
                "미만). 추정은 명단 사이의 겹침에서만 배웁니다",
            )
        )
    if isolated:
        names = ", ".join(isolated)
        reasons.append(
            both(
                f"list(s) {names} share nobody with any other list, so nothing says how many "
                "of their people the other lists missed",
                f"명단 {names}은(는) 다른 어떤 명단과도 겹치는 사람이 없어, 다른 명단이 놓친 "
                "인원을 알 수 없습니다",
            )
        )
    return Sparsity(h.observed, recaptured, isolated, tuple(reasons))


def _check_same_lists(strata: Sequence[CaptureHistories]) -> None:
    if not strata:
        raise InputError(both("no strata to estimate", "추정할 층이 없습니다"))
    lists = strata[0].lists
    for h in strata[1:]:
        if h.lists != lists:
            raise InputError(
                both(
                    f"stratum {stratum_key(h.stratum)!r} has lists {', '.join(h.lists)}, "
                    f"the first has {', '.join(lists)}: every stratum needs the same lists",
                    "층마다 명단이 다릅니다. 모든 층의 명단이 같아야 합니다",
                )
            )


def collapse_strata(
    strata: Sequence[CaptureHistories], over: Sequence[str]
) -> tuple[CaptureHistories, ...]:
    """Sum over the stratum columns ``over``: the strata of the columns left, in order of
    first appearance. Collapsing over every column gives one table with no stratum."""
    _check_same_lists(strata)
    columns = [c for c, _ in strata[0].stratum]
    unknown = [c for c in over if c not in columns]
    if unknown:
        raise InputError(
            both(
                f"cannot collapse over {', '.join(unknown)}: the strata are by "
                f"{', '.join(columns) or 'nothing'}",
                f"{', '.join(unknown)} 열로 합칠 수 없습니다. "
                f"층 열: {', '.join(columns) or '없음'}",
            )
        )
    groups: dict[tuple[tuple[str, str], ...], list[CaptureHistories]] = {}
    for h in strata:
        key = tuple((c, v) for c, v in h.stratum if c not in over)
        groups.setdefault(key, []).append(h)
    return tuple(
        dataclasses.replace(collapse(members), stratum=key) for key, members in groups.items()
    )


def _merged_key(members: Sequence[CaptureHistories]) -> tuple[tuple[str, str], ...]:
    columns = [c for c, _ in members[0].stratum]
    out = []
    for j, c in enumerate(columns):
        values = list(dict.fromkeys(h.stratum[j][1] for h in members))
        out.append((c, "+".join(values)))
    return tuple(out)


def merge_sparse_strata(
    strata: Sequence[CaptureHistories],
    *,
    min_observed: int = MIN_OBSERVED,
    min_recaptured: int = MIN_RECAPTURED,
) -> tuple[tuple[CaptureHistories, ...], tuple[str, ...]]:
    """Pool every sparse stratum into one (its value in each column: the pooled values joined
    by ``+``), placed where the first of them was. Returns the strata and the keys merged.
    Pooling assumes the merged strata share their capture probabilities."""
    _check_same_lists(strata)
    sparse = [
        sparsity(h, min_observed=min_observed, min_recaptured=min_recaptured).sparse for h in strata
    ]
    if sum(sparse) < 2:
        return tuple(strata), ()
    members = [h for h, s in zip(strata, sparse, strict=True) if s]
    merged = dataclasses.replace(collapse(members), stratum=_merged_key(members))
    out: list[CaptureHistories] = []
    placed = False
    for h, s in zip(strata, sparse, strict=True):
        if not s:
            out.append(h)
        elif not placed:
            out.append(merged)
            placed = True
    return tuple(out), tuple(stratum_key(h.stratum) for h in members)


# --- the total ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Draws:
    """A stratum's distribution of N: equally likely draws (a bootstrap), a density at grid
    points (dga's posterior) or a histogram (LCMCR's posterior)."""

    kind: str  # "bootstrap" or "posterior"
    points: FloatArray  # draws, grid points, or the bins' left edges
    weights: FloatArray | None = None  # None: draws equally likely
    widths: FloatArray | None = None  # histogram: uniform within [point, point + width)

    def sample(self, size: int, rng: np.random.Generator) -> FloatArray:
        if self.weights is None:
            return np.asarray(rng.choice(self.points, size=size), dtype=np.float64)
        i = rng.choice(len(self.points), size=size, p=self.weights / self.weights.sum())
        x = self.points[i]
        if self.widths is not None:
            x = x + rng.random(size) * self.widths[i]
        return np.asarray(x, dtype=np.float64)


def _draws(e: Estimate) -> _Draws | None:
    d = e.diagnostics
    boot = d.get("bootstrap")
    if isinstance(boot, Mapping) and boot.get("draws"):
        return _Draws("bootstrap", np.asarray(boot["draws"], dtype=np.float64))
    post = d.get("posterior_n")
    if not isinstance(post, Mapping) or not post.get("density"):
        return None
    dens = np.asarray(post["density"], dtype=np.float64)
    if "n" in post:
        return _Draws("posterior", np.asarray(post["n"], dtype=np.float64), dens)
    if "edges" in post:
        edges = np.asarray(post["edges"], dtype=np.float64)
        widths = np.diff(edges)
        return _Draws("posterior", edges[:-1], dens * widths, widths)
    return None


def _method_name(estimates: Sequence[Estimate]) -> str:
    names = list(dict.fromkeys(e.method for e in estimates))
    return names[0] if len(names) == 1 else "+".join(names)


def total_estimate(
    estimates: Sequence[Estimate],
    *,
    level: float = 0.95,
    seed: int | None = None,
    sparse: Sequence[str] = (),
) -> Estimate:
    """The sum of the strata's estimates with an interval (module docstring: from draws, else
    MOVER). Not estimable, saying which strata and why, when any stratum is."""
    if not estimates:
        raise InputError(both("no strata to add up", "합칠 층이 없습니다"))
    method = _method_name(estimates)
    observed = sum(e.observed for e in estimates)
    lists = tuple(dict.fromkeys(x for e in estimates for x in e.lists))
    keys = [stratum_key(e.stratum) for e in estimates]
    diag: dict[str, Any] = {"strata": len(estimates), "sparse_strata": list(sparse)}
    bad = [(k, e) for k, e in zip(keys, estimates, strict=True) if not e.ok]
    if bad:
        named = "; ".join(f"{k}: {e.message}" for k, e in bad[:5])
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        diag["not_estimable_strata"] = [k for k, _ in bad]
        diag["sum_of_estimable_strata"] = sum(
            e.estimate for e in estimates if e.ok and e.estimate is not None
        )
        return Estimate.not_estimable(
            method,
            observed,
            lists,
            both(
                f"the total needs every stratum, and {len(bad)} of {len(estimates)} could not be "
                f"estimated ({named}{more}); merge sparse strata or collapse a stratum column",
                f"전체 합계에는 모든 층이 필요한데 {len(estimates)}개 층 중 {len(bad)}개를 "
                "추정할 수 없습니다. 희소한 층을 합치거나 층 열 하나를 합쳐 보세요",
            ),
            level=level,
            diagnostics=diag,
            seed=seed,
        )
    ests = np.array([float(e.estimate) for e in estimates if e.estimate is not None])
    total = float(ests.sum())
    draws = [_draws(e) for e in estimates]
    unbounded = [k for k, e in zip(keys, estimates, strict=True) if e.upper is None]
    lower: float
    upper: float | None
    known = [d for d in draws if d is not None]
    if len(known) == len(draws):
        rng = np.random.default_rng(seed)
        summed = np.zeros(TOTAL_DRAWS)
        kinds = set()
        accel_num, var_sum = 0.0, 0.0
        for e, d in zip(estimates, known, strict=True):
            part = d.sample(TOTAL_DRAWS, rng)
            summed += part
            kinds.add(d.kind)
            sd = float(np.std(part))
            boot = e.diagnostics.get("bootstrap")
            a = float(boot.get("acceleration", 0.0)) if isinstance(boot, Mapping) else 0.0
            accel_num += a * sd**3
            var_sum += sd**2
        if kinds == {"bootstrap"}:
            accel = accel_num / var_sum**1.5 if var_sum > 0 else 0.0
            bca = bca_interval(summed, total, accel, level)
            lower, upper = bca.lower, bca.upper
            diag["combined_by"] = (
                "bootstrap replicates of every stratum, resampled and summed; BCa on the sums "
                "(acceleration from the strata's)"
            )
            diag["z0"], diag["acceleration"] = bca.z0, accel
        else:
            lo_q, hi_q = np.quantile(summed, [(1 - level) / 2, (1 + level) / 2])
            lower, upper = float(lo_q), float(hi_q)
            diag["combined_by"] = (
                "draws of every stratum (posterior or bootstrap), resampled and summed; "
                "central quantiles of the sums"
            )
        diag["draws"] = [round(float(v), 1) for v in summed]
    else:
        z_lo = [
            (float(e.estimate) - float(e.lower)) ** 2
            for e in estimates
            if e.estimate is not None and e.lower is not None
        ]
        lower = total - float(np.sqrt(sum(z_lo)))
        if unbounded:
            upper = None
        else:
            z_hi = [
                (float(e.upper) - float(e.estimate)) ** 2
                for e in estimates
                if e.estimate is not None and e.upper is not None
            ]
            upper = total + float(np.sqrt(sum(z_hi)))
        diag["combined_by"] = (
            "MOVER (Zou & Donner 2008): each side's distances from estimate to bound added on "
            "the variance scale; an approximation, exact for normal estimates"
        )
    lower = max(lower, float(observed))
    if upper is not None:
        upper = max(upper, total)
    diag["per_stratum"] = [
        {"stratum": k, "method": e.method, "estimate": e.estimate, "lower": e.lower,
         "upper": e.upper}
        for k, e in zip(keys, estimates, strict=True)
    ]  # fmt: skip
    if unbounded:
        diag["upper_unbounded"] = True
        diag["unbounded_strata"] = unbounded
    message = ""
    if sparse:
        message = both(
            f"{len(sparse)} of {len(estimates)} strata are too sparse to trust "
            f"({', '.join(sparse[:5])}{' ...' if len(sparse) > 5 else ''}); the total leans on "
            "them: merge sparse strata or collapse a stratum column",
            f"{len(estimates)}개 층 중 {len(sparse)}개는 너무 희소해 믿기 어렵습니다. 전체 합계가 "
            "이들에 기대고 있으니 희소한 층을 합치거나 층 열 하나를 합쳐 보세요",
        )
    return Estimate(
        method=method,
        observed=observed,
        estimate=total,
        lower=lower,
        upper=upper,
        level=level,
        lists=lists,
        message=message,
        diagnostics=diag,
        seed=seed,
    )


@dataclass(frozen=True)
class StratifiedEstimate:
    """One estimate per stratum (in order), their total, and what was sparse or merged."""

    strata: tuple[Estimate, ...]
    total: Estimate
    sparse: tuple[str, ...] = ()  # keys of strata that are too sparse (after any merge)
    merged: tuple[str, ...] = ()  # keys of the strata that merge_sparse pooled
    collapsed_over: tuple[str, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """``estimates.json`` (FORMATS.md s6)."""
        return estimates_json_dict(self.strata, self.total)


def _warn(e: Estimate, s: Sparsity) -> Estimate:
    diag = {**e.diagnostics, "sparse": s.as_dict()}
    head = both("too sparse to trust", "너무 희소해 믿기 어렵습니다")
    note = f"{head}: " + "; ".join(s.reasons)
    message = f"{e.message}; {note}" if e.message else note
    return dataclasses.replace(e, diagnostics=diag, message=message)


def estimate_strata(
    strata: Sequence[CaptureHistories],
    estimator: Estimator,
    *,
    level: float = 0.95,
    seed: int | None = None,
    collapse: Sequence[str] = (),
    merge_sparse: bool = False,
    min_observed: int = MIN_OBSERVED,
    min_recaptured: int = MIN_RECAPTURED,
    progress: Callable[[int, int], None] | None = None,
) -> StratifiedEstimate:
    """Estimate each stratum with ``estimator(h, seed)`` (seeds spawned from ``seed``, one per
    stratum, so strata are independent and the run repeatable), then the total.

    ``collapse`` sums over those stratum columns first; ``merge_sparse`` then pools the sparse
    strata. Sparse strata are still estimated, with a warning in their diagnostics and
    message, and named in the total's."""
    _check_same_lists(strata)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0] % (2**31))
    tables = tuple(strata)
    if collapse:
        tables = collapse_strata(tables, collapse)
    merged: tuple[str, ...] = ()
    if merge_sparse:
        tables, merged = merge_sparse_strata(
            tables, min_observed=min_observed, min_recaptured=min_recaptured
        )
    children = np.random.SeedSequence(seed).spawn(len(tables))
    out: list[Estimate] = []
    sparse_keys: list[str] = []
    for i, (h, child) in enumerate(zip(tables, children, strict=True)):
        e = estimator(h, int(child.generate_state(1)[0] % (2**31)))
        if e.stratum != h.stratum:
            e = dataclasses.replace(e, stratum=h.stratum)
        s = sparsity(h, min_observed=min_observed, min_recaptured=min_recaptured)
        if s.sparse:
            e = _warn(e, s)
            sparse_keys.append(stratum_key(h.stratum))
        out.append(e)
        if progress is not None:
            progress(i + 1, len(tables))
    if len(out) == 1 and not out[0].stratum:
        total = out[0]
    else:
        total = total_estimate(out, level=level, seed=seed, sparse=sparse_keys)
    return StratifiedEstimate(tuple(out), total, tuple(sparse_keys), merged, tuple(collapse))
