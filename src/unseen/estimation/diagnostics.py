"""What people look at beside an estimate, as plain frozen data for the reports to draw.

* :func:`capture_history_table`: every observed pattern with its lists, count and share, and
  how many people are on exactly 1, 2, ... lists;
* :func:`list_overlap`: people on both of each pair of lists (diagonal: on the list), and
  the pairs that share nobody;
* :func:`n_curve`: the data of a plot of N for the method that made an estimate: the
  profile likelihood curve (log-linear and heterogeneity models, relative to its maximum,
  with the interval's cut-off), the bootstrap distribution (stepwise; a stratified total
  combined from draws) or the posterior of N (dga, LCMCR), as densities per unit N;
* :func:`diagnose` bundles the three.

Nothing here draws, and everything is tuples of plain numbers and strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import chi2

from unseen.estimation.histories import CaptureHistories
from unseen.estimation.result import Estimate

__all__ = [
    "CaptureHistoryTable",
    "Diagnostics",
    "ListOverlap",
    "NCurve",
    "capture_history_table",
    "diagnose",
    "list_overlap",
    "n_curve",
]

HIST_BINS = 40
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PatternRow:
    pattern: tuple[int, ...]  # 0/1 per list
    on: tuple[str, ...]  # the lists it is on
    count: int
    share: float  # of everyone observed


@dataclass(frozen=True)
class CaptureHistoryTable:
    lists: tuple[str, ...]
    rows: tuple[PatternRow, ...]  # most common pattern first (ties: pattern order)
    observed: int
    on_k_lists: tuple[int, ...]  # entry k - 1: people on exactly k lists
    stratum: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "lists": list(self.lists),
            "observed": self.observed,
            "on_k_lists": list(self.on_k_lists),
            "stratum": dict(self.stratum),
            "rows": [
                {"pattern": list(r.pattern), "on": list(r.on), "count": r.count,
                 "share": r.share}
                for r in self.rows
            ],
        }  # fmt: skip


def capture_history_table(h: CaptureHistories) -> CaptureHistoryTable:
    order = sorted(range(len(h.counts)), key=lambda i: (-int(h.counts[i]), int(h.index[i])))
    n = h.observed
    rows = tuple(
        PatternRow(
            tuple(int(b) for b in h.patterns[i]),
            tuple(h.lists[j] for j in range(h.n_lists) if h.patterns[i, j]),
            int(h.counts[i]),
            int(h.counts[i]) / n if n else 0.0,
        )
        for i in order
    )
    k = h.patterns.sum(axis=1).astype(np.int64)
    on_k = np.bincount(k, weights=h.counts, minlength=h.n_lists + 1)[1:]
    return CaptureHistoryTable(h.lists, rows, n, tuple(int(v) for v in on_k), h.stratum)


@dataclass(frozen=True)
class ListOverlap:
    lists: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # [i][j]: on both lists i and j; [i][i]: on list i
    never_overlap: tuple[tuple[str, str], ...]  # pairs of lists that share nobody
    stratum: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "lists": list(self.lists),
            "counts": [list(r) for r in self.counts],
            "never_overlap": [list(p) for p in self.never_overlap],
            "stratum": dict(self.stratum),
        }


def list_overlap(h: CaptureHistories) -> ListOverlap:
    ov = h.overlap_matrix()
    t = h.n_lists
    never = tuple(
        (h.lists[i], h.lists[j]) for i in range(t) for j in range(i + 1, t) if ov[i, j] == 0
    )
    return ListOverlap(h.lists, tuple(tuple(int(v) for v in r) for r in ov), never, h.stratum)


@dataclass(frozen=True)
class NCurve:
    """A curve over N. ``kind`` says what ``y`` is:

    * ``"profile_likelihood"``: the likelihood relative to its maximum (1 at the estimate);
      the interval is where it stays above ``cutoff``;
    * ``"bootstrap"``, ``"posterior"`` or ``"draws"`` (a stratified total combined from its
      strata's draws): a density per unit N; for a histogram ``edges`` are the bin edges
      and ``x`` their midpoints.
    """

    kind: str
    method: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    estimate: float | None
    lower: float | None
    upper: float | None
    level: float
    cutoff: float | None = None
    edges: tuple[float, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "method": self.method,
            "x": list(self.x),
            "y": list(self.y),
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "level": self.level,
            "cutoff": self.cutoff,
            "edges": list(self.edges),
        }


def _histogram(draws: FloatArray) -> tuple[FloatArray, FloatArray]:
    a, b = np.quantile(draws, [0.005, 0.995])
    edges = np.linspace(a, max(float(b), float(a) + 1.0), HIST_BINS + 1)
    hist, _ = np.histogram(draws, bins=edges)
    return edges, hist / (draws.size * np.diff(edges))


def _curve(e: Estimate, kind: str, x: Iterable[Any], y: Iterable[Any], **kw: Any) -> NCurve:
    return NCurve(
        kind,
        e.method,
        tuple(float(v) for v in x),
        tuple(float(v) for v in y),
        e.estimate,
        e.lower,
        e.upper,
        e.level,
        **kw,
    )


def n_curve(e: Estimate) -> NCurve | None:
    """The plot data of N that ``e``'s method leaves in its diagnostics, or ``None`` when it
    leaves none (two-list estimators; a log-linear model that failed before its profile)."""
    d = e.diagnostics
    profile = d.get("profile")
    if profile:
        pts = np.asarray(profile, dtype=np.float64)
        rel = np.exp(pts[:, 1] - pts[:, 1].max())
        cut = float(np.exp(-chi2.ppf(e.level, 1) / 2.0))
        return _curve(e, "profile_likelihood", pts[:, 0], rel, cutoff=cut)
    boot = d.get("bootstrap")
    draws = boot.get("draws") if isinstance(boot, Mapping) else d.get("draws")
    if draws:
        edges, dens = _histogram(np.asarray(draws, dtype=np.float64))
        mids = (edges[:-1] + edges[1:]) / 2
        return _curve(e, "bootstrap" if boot else "draws", mids, dens, edges=tuple(edges))
    post = d.get("posterior_n")
    if isinstance(post, Mapping) and post.get("density"):
        if "n" in post:
            return _curve(e, "posterior", post["n"], post["density"])
        if "edges" in post:
            edges = np.asarray(post["edges"], dtype=np.float64)
            mids = (edges[:-1] + edges[1:]) / 2
            return _curve(
                e, "posterior", mids, post["density"], edges=tuple(float(v) for v in edges)
            )
    return None


@dataclass(frozen=True)
class Diagnostics:
    table: CaptureHistoryTable
    overlap: ListOverlap
    curve: NCurve | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "capture_histories": self.table.as_dict(),
            "list_overlap": self.overlap.as_dict(),
            "n_curve": None if self.curve is None else self.curve.as_dict(),
        }


def diagnose(h: CaptureHistories, e: Estimate | None = None) -> Diagnostics:
    """The table, the overlaps and (given an estimate of ``h``) the curve of N."""
    return Diagnostics(capture_history_table(h), list_overlap(h), None if e is None else n_curve(e))
