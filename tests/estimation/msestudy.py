"""The simulation study's designs and bookkeeping, shared by bench/mse_simulation.py and the
fast version in tests/estimation/test_simulation_study.py.

Every replicate draws a population of known size ``N`` from a capture model, keeps the
people seen at least once, runs each method on that table and records whether its 95%
interval holds ``N``. A "not estimable" answer counts as a miss: it did not cover the truth.

Designs:

* ``csv``: Chan, Silverman & Vincent (JASA 2021, s3.4). The stepwise model fitted to
  ``uk2013_5list`` (six pairs) with its fitted parameters is the truth; ``N`` is its fitted
  total rounded (11,313) and each table is a multinomial draw of the ``N`` people over all
  ``2**5`` cells with the model's cell probabilities, the unseen cell dropped.
* ``lc2``: heterogeneous capture, two latent classes and five lists (Manrique-Vallier 2016,
  s5, as we read it): 90% of people are hard to record (capture probabilities 0.033, 0.033,
  0.099, 0.132, 0.033) and 10% easy (0.660, 0.825, 0.759, 0.990, 0.693); lists independent
  given the class.
* ``sparse``: independent lists with capture probabilities evenly spaced from 0.02 to 0.2,
  ``N`` from 200 to 1,000 and 5 to 8 lists, so that many pairs of lists share nobody.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from msekit import table

from unseen.estimation import CaptureHistories, Estimate
from unseen.estimation.glm import fit_poisson
from unseen.estimation.models import all_cells, design, main_effects
from unseen.estimation.stepwise import Table, stepwise_fit

FloatArray = npt.NDArray[np.float64]
Sampler = Callable[[np.random.Generator], CaptureHistories]
Method = Callable[[CaptureHistories, int], Estimate | None]  # None: does not apply

LC2_WEIGHTS = (0.9, 0.1)
LC2_LAMBDA = (
    (0.033, 0.033, 0.099, 0.132, 0.033),
    (0.660, 0.825, 0.759, 0.990, 0.693),
)


def _names(t: int) -> tuple[str, ...]:
    return tuple("ABCDEFGH"[:t])


def from_cells(lists: Sequence[str], cells: npt.NDArray[np.int64]) -> CaptureHistories:
    """A table from counts of all ``2**t`` cells (cell 0, the unseen, is dropped)."""
    t = len(lists)
    bits = all_cells(t)
    return CaptureHistories.from_counts(lists, bits[1:], cells[1:])


@cache
def csv_truth() -> tuple[tuple[str, ...], FloatArray, int]:
    """Lists, cell probabilities over all ``2**5`` cells and N of the CSV 2021 design."""
    h = table("uk2013_5list")
    tab = Table.for_lists(h.n_lists)
    y = h.full_counts().astype(np.float64)
    fit = stepwise_fit(tab, y)
    assert not fit.empty_pairs  # every pair of the UK model shares someone: a plain GLM
    model = (*main_effects(h.n_lists), *(tab.pairs[p] for p in fit.pairs))
    coef = fit_poisson(design(h.n_lists, model), y, maxit=100).coef
    mu = np.exp(design(h.n_lists, model, np.arange(2**h.n_lists)) @ coef)
    return h.lists, mu / mu.sum(), int(round(float(mu.sum())))


def csv_sampler(rng: np.random.Generator) -> CaptureHistories:
    lists, probs, n = csv_truth()
    return from_cells(lists, rng.multinomial(n, probs).astype(np.int64))


def latent_class_sampler(
    n: int, weights: Sequence[float], lam: Sequence[Sequence[float]]
) -> Sampler:
    w = np.asarray(weights, dtype=np.float64)
    p = np.asarray(lam, dtype=np.float64)  # classes x lists
    t = p.shape[1]

    def sample(rng: np.random.Generator) -> CaptureHistories:
        sizes = rng.multinomial(n, w)
        cells = np.zeros(2**t, dtype=np.int64)
        for k, size in enumerate(sizes):
            seen = rng.random((int(size), t)) < p[k]
            cells += np.bincount(seen @ (1 << np.arange(t)), minlength=2**t)
        return from_cells(_names(t), cells)

    return sample


def sparse_probabilities(t: int) -> tuple[float, ...]:
    return tuple(float(v) for v in np.linspace(0.02, 0.2, t))


@dataclass(frozen=True)
class Scenario:
    key: str
    design: str  # csv, lc2 or sparse
    n: int  # the truth
    lists: int
    description: str
    sampler: Sampler


def scenarios() -> tuple[Scenario, ...]:
    lists, _, n_csv = csv_truth()
    out = [
        Scenario(
            "csv", "csv", n_csv, len(lists), "CSV 2021 s3.4: uk2013_5list stepwise fit", csv_sampler
        ),
    ]
    for n in (2000, 10_000):
        out.append(
            Scenario(
                f"lc2_{n}",
                "lc2",
                n,
                5,
                f"two latent classes (MV 2016), N={n:,}",
                latent_class_sampler(n, LC2_WEIGHTS, LC2_LAMBDA),
            )
        )
    for n, t in ((200, 5), (500, 6), (1000, 8)):
        p = sparse_probabilities(t)
        out.append(
            Scenario(
                f"sparse_{n}_{t}",
                "sparse",
                n,
                t,
                f"sparse: N={n:,}, {t} lists, capture 0.02-0.2",
                latent_class_sampler(n, (1.0,), (p,)),
            )
        )
    return tuple(out)


def scenario(key: str) -> Scenario:
    return next(s for s in scenarios() if s.key == key)


@dataclass(frozen=True)
class Outcome:
    scenario: str
    replicate: int
    method: str
    truth: int
    observed: int
    status: str
    estimate: float | None
    lower: float | None
    upper: float | None
    seconds: float
    chose: str = ""  # for auto: the method it chose

    @property
    def covered(self) -> bool:
        return (
            self.status == "ok"
            and self.lower is not None
            and self.upper is not None
            and self.lower <= self.truth <= self.upper
        )


def replicate_seed(key: str, rep: int) -> int:
    """A seed per (scenario, replicate), the same in every run and in every worker."""
    return int(np.random.SeedSequence([rep, *key.encode()]).generate_state(1)[0])


def run_replicate(sc: Scenario, rep: int, methods: dict[str, Method]) -> list[Outcome]:
    seed = replicate_seed(sc.key, rep)
    h = sc.sampler(np.random.default_rng(seed))
    out = []
    for name, method in methods.items():
        t0 = time.perf_counter()
        e = method(h, seed)
        secs = time.perf_counter() - t0
        if e is None:
            continue
        chose = str(e.diagnostics.get("auto", {}).get("chose", "")) if name == "auto" else ""
        out.append(
            Outcome(
                sc.key,
                rep,
                name,
                sc.n,
                h.observed,
                e.status,
                e.estimate,
                e.lower,
                e.upper,
                secs,
                chose,
            )  # fmt: skip
        )
    return out


@dataclass(frozen=True)
class Summary:
    scenario: str
    method: str
    replicates: int
    coverage: float  # share of replicates whose interval holds N (not estimable: a miss)
    not_estimable: float
    median_relative_error: float  # median of |estimate - N| / N over estimable replicates
    median_relative_bias: float  # median of (estimate - N) / N
    median_width: float  # median of (upper - lower) / N
    seconds: float  # mean per table
    chose: dict[str, int]


def summarise(outcomes: Sequence[Outcome]) -> list[Summary]:
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault((o.scenario, o.method), []).append(o)
    rows = []
    for (sc, m), os_ in groups.items():
        ok = [o for o in os_ if o.status == "ok" and o.estimate is not None]
        rel = np.array([(o.estimate - o.truth) / o.truth for o in ok if o.estimate is not None])
        widths = np.array(
            [
                (o.upper - o.lower) / o.truth
                for o in ok
                if o.upper is not None and o.lower is not None
            ]
        )
        chose: dict[str, int] = {}
        for o in os_:
            if o.chose:
                chose[o.chose] = chose.get(o.chose, 0) + 1
        rows.append(
            Summary(
                sc,
                m,
                len(os_),
                float(np.mean([o.covered for o in os_])),
                1.0 - len(ok) / len(os_),
                float(np.median(np.abs(rel))) if rel.size else float("nan"),
                float(np.median(rel)) if rel.size else float("nan"),
                float(np.median(widths)) if widths.size else float("nan"),
                float(np.mean([o.seconds for o in os_])),
                chose,
            )
        )
    return rows


def as_dict(s: Summary) -> dict[str, Any]:
    return {k: getattr(s, k) for k in s.__dataclass_fields__}
