"""`auto`: which rule picks which method, the reasons in words, and the fallbacks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from msekit import table

from unseen.estimation import CaptureHistories, estimate_chapman, estimate_stepwise
from unseen.estimation.auto import (
    AUTO_PTHRESH,
    choose_method,
    estimate_auto,
    heterogeneity_evidence,
)

FAST_LCMCR = {"burnin": 300, "samples": 200, "thinning": 2, "chains": 2}


def two_classes(n: int) -> CaptureHistories:
    """Expected counts (rounded) of the simulation study's two-class design (MV 2016)."""
    weights = (0.9, 0.1)
    lam = ((0.033, 0.033, 0.099, 0.132, 0.033), (0.660, 0.825, 0.759, 0.990, 0.693))
    pats = [p for p in itertools.product([0, 1], repeat=5) if any(p)]
    counts = [
        round(n * sum(w * np.prod([q if b else 1 - q for b, q in zip(p, lk, strict=True)])
                      for w, lk in zip(weights, lam, strict=True)))
        for p in pats
    ]  # fmt: skip
    return CaptureHistories.from_counts("ABCDE", pats, counts)


def test_two_lists_choose_chapman() -> None:
    h = CaptureHistories.from_counts("AB", [[1, 0], [0, 1], [1, 1]], [40, 20, 20])
    c = choose_method(h)
    assert (c.method, c.rule) == ("chapman", 2)
    e = estimate_auto(h, seed=1)
    assert e.method == "chapman" and e.estimate == estimate_chapman(h).estimate
    assert e.diagnostics["auto"]["chose"] == "chapman"
    assert e.diagnostics["auto"]["why"].startswith("two lists: Chapman's estimator")


def test_an_empty_third_list_still_means_two_lists() -> None:
    h = CaptureHistories.from_counts("ABC", [[1, 0, 0], [0, 1, 0], [1, 1, 0]], [40, 20, 20])
    assert choose_method(h).method == "chapman"
    assert estimate_auto(h, seed=1).estimate == pytest.approx(61 * 41 / 21 - 1)


def test_one_list_is_not_estimable_in_words() -> None:
    h = CaptureHistories.from_counts("AB", [[1, 0]], [40])
    e = estimate_auto(h, seed=1)
    assert e.status == "not_estimable" and e.method == "auto"
    assert e.message.startswith("fewer than two lists have anyone on them")
    assert " / " in e.message  # English / Korean


def test_heterogeneous_capture_chooses_the_latent_class_model() -> None:
    h = two_classes(10_000)
    ev = heterogeneity_evidence(h)
    assert ev["darroch_p"] < 1e-10 and ev["darroch_eta"] > 0
    assert ev["pairs_sharing_more"] == 9 and ev["pairs_sharing_fewer"] == 0
    c = choose_method(h)
    assert (c.method, c.rule) == ("lcmcr", 4)
    assert "9 of 10 pairs of lists share more people than independence predicts" in c.why
    e = estimate_auto(h, seed=3, lcmcr=FAST_LCMCR)
    assert e.method == "lcmcr" and e.ok
    assert e.diagnostics["auto"]["rule"] == 4


@pytest.mark.parametrize("name", ["uk2013_5list", "uk2013", "artificial3", "new_orleans"])
def test_pairwise_dependence_and_sparse_tables_choose_stepwise(name: str) -> None:
    # uk2013: referrals make some lists overlap more, others less, than independence predicts;
    # no positive dependence across the board
    c = choose_method(table(name))
    assert (c.method, c.rule) == ("stepwise", 6), c.why


def test_auto_stepwise_is_the_stepwise_estimate() -> None:
    h = table("kosovo1999")
    if choose_method(h).method != "stepwise":
        pytest.fail(choose_method(h).why)
    a = estimate_auto(h, nboot=50, seed=11)
    b = estimate_stepwise(h, nboot=50, seed=11, pthresh=AUTO_PTHRESH)
    assert (a.estimate, a.lower, a.upper, a.method) == (b.estimate, b.lower, b.upper, b.method)


def test_many_lists_choose_the_latent_class_model() -> None:
    t = 13
    rng = np.random.default_rng(0)
    pats = (rng.random((400, t)) < 0.2).astype(int)
    pats = pats[pats.any(axis=1)]
    h = CaptureHistories.from_counts([f"L{i}" for i in range(t)], pats, np.ones(len(pats)))
    assert (choose_method(h).method, choose_method(h).rule) == ("lcmcr", 3)


def test_no_overlap_at_all_falls_back_and_says_why() -> None:
    # everyone is on exactly one list: independence has no finite MLE (rule 5), LCMCR cannot
    # bound the total either, and the stepwise fallback says why
    h = CaptureHistories.from_counts("ABC", [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [30, 20, 25])
    c = choose_method(h)
    assert (c.method, c.rule) == ("lcmcr", 5)
    e = estimate_auto(h, seed=2, lcmcr=FAST_LCMCR)
    assert e.status == "not_estimable"
    assert e.diagnostics["auto"]["first_choice"]["method"] == "lcmcr"
    assert e.estimate is None and e.message
