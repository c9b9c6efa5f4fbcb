"""Rcapture's M0 / Mt / Mh / Mth models: closed forms, definitions, invariants."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msekit import MSE_DATA, reference, table

from unseen.estimation import (
    CaptureHistories,
    estimate_closed_model,
    estimate_closedp,
    estimate_loglinear,
    read_capture_histories,
)
from unseen.estimation.heterogeneity import closed_design


def mixture(t: int, classes: list[tuple[float, float]]) -> CaptureHistories:
    """Expected counts (rounded) of ``size`` people per class with capture probability ``p``
    on every list: heterogeneous catchability, the case Mh models are for."""
    pats = [p for p in itertools.product([0, 1], repeat=t) if any(p)]
    counts = [
        round(sum(size * np.prod([p if b else 1 - p for b in pat]) for size, p in classes))
        for pat in pats
    ]
    return CaptureHistories.from_counts("ABCDEFGH"[:t], pats, counts)


def test_mh_chao_is_chaos_moment_estimator() -> None:
    h = mixture(5, [(3000, 0.05), (1000, 0.5)])
    e = estimate_closed_model(h, "Mh", "chao")
    assert e.ok and e.diagnostics["eta_dropped"] == 0
    f = np.bincount(h.patterns.sum(axis=1), weights=h.counts)
    t = 5
    chao = h.observed + (t - 1) / t * f[1] ** 2 / (2 * f[2])  # Chao (1987), Rivest-Baillargeon
    assert e.diagnostics["poisson_estimate"] == pytest.approx(chao, rel=1e-9)


def test_mt_is_the_independence_model() -> None:
    h = table("kosovo1999")
    assert estimate_closed_model(h, "Mt").estimate == pytest.approx(
        estimate_loglinear(h).estimate, rel=1e-9
    )
    ref = reference("kosovo1999", "rcapture_mt")
    assert estimate_closed_model(h, "Mt").estimate == pytest.approx(ref.estimate, rel=0.005)


def test_design_columns_follow_rcapture() -> None:
    x, nca = closed_design(4, time=False, h="chao")
    c = np.array([bin(i).count("1") for i in range(16)], dtype=float)
    assert nca == 2
    np.testing.assert_array_equal(x[:, 1], c)
    np.testing.assert_array_equal(x[:, 2], np.maximum(c - 2, 0))  # k = 3
    np.testing.assert_array_equal(x[:, 3], np.maximum(c - 3, 0))  # k = 4
    x, _ = closed_design(4, time=True, h="poisson")
    np.testing.assert_array_equal(x[:, -1], 2.0**c - 1)
    x, _ = closed_design(4, time=False, h="darroch")
    np.testing.assert_array_equal(x[:, -1], c**2 / 2)
    x, _ = closed_design(4, time=False, h="gamma")
    np.testing.assert_allclose(x[:, -1], np.log(3.5) - np.log(3.5 + c))
    assert np.all(x[0, 1:] == 0)  # the dark cell carries the intercept only


def test_heterogeneity_raises_the_estimate_under_heterogeneity() -> None:
    truth = 4000
    h = mixture(5, [(3000, 0.05), (1000, 0.5)])
    mt = estimate_closed_model(h, "Mt").estimate
    assert mt is not None and mt < 0.6 * truth  # independence badly under-counts
    for het in ("poisson", "darroch", "gamma"):
        e = estimate_closed_model(h, "Mh", het)  # type: ignore[arg-type]
        assert e.ok and e.estimate is not None and e.estimate > mt


def test_closedp_runs_every_model_on_every_table() -> None:
    for name in ("uk2013_5list", "kosovo1999", "new_orleans", "artificial3", "western_us"):
        results = estimate_closedp(table(name))
        assert [r.method for r in results] == [
            "m0",
            "mt",
            "mh_chao",
            "mh_poisson",
            "mh_darroch",
            "mh_gamma",
            "mth_chao",
            "mth_poisson",
            "mth_darroch",
            "mth_gamma",
        ]
        for r in results:
            if r.ok:
                assert r.lower is not None and r.upper is not None and r.estimate is not None
                assert r.observed <= r.lower <= r.estimate <= r.upper <= 100 * r.observed
            else:
                assert r.message and r.estimate is None


def test_heterogeneity_needs_three_lists() -> None:
    h = CaptureHistories.from_counts("AB", [[1, 0], [0, 1], [1, 1]], [10, 10, 5])
    e = estimate_closed_model(h, "Mh", "darroch")
    assert e.status == "not_estimable"
    assert e.message == (
        "Heterogeneity models need at least three lists. / 이질성 모형에는 명단이 세 개 이상 "
        "필요합니다."
    )
    with pytest.raises(ValueError, match="need a heterogeneity form"):
        estimate_closed_model(h, "Mh")


def test_artificial3_mh_poisson_has_no_mle() -> None:
    # nobody is on all three lists, so the heterogeneity term runs to minus infinity
    e = estimate_closed_model(table("artificial3"), "Mh", "poisson")
    assert e.status == "not_estimable"
    assert "does not exist" in e.message


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)))
def test_mh_and_mth_ignore_list_order(order: list[int]) -> None:
    h = table("hiv_rome")
    for model, het in (("Mh", "darroch"), ("Mth", "poisson"), ("Mth", "chao")):
        a = estimate_closed_model(h, model, het)  # type: ignore[arg-type]
        b = estimate_closed_model(h.permuted(order), model, het)  # type: ignore[arg-type]
        assert a.status == b.status
        if a.ok:
            # the profile is flat at its top: its argmax is only defined to ~1e-5 in floats
            assert b.estimate == pytest.approx(a.estimate, rel=1e-5)
            assert b.upper == pytest.approx(a.upper, rel=1e-6)


def test_every_stratum_of_scotland_gives_bounded_answers_or_says_why() -> None:
    # GGC / Male / Young under Mh Darroch has an upper bound of 68,416 for 620 observed:
    # beyond 100 x observed, so it must come back as not estimable
    strata = read_capture_histories(MSE_DATA / "scotland_pwid2006_stratified.csv")
    seen_refusal = False
    for h in strata:
        for r in estimate_closedp(h):
            if r.ok:
                assert r.upper is not None and r.upper <= 100 * r.observed
            else:
                seen_refusal |= "cannot bound the total" in r.message
    assert seen_refusal
