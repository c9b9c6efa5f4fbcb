"""Log-linear models against Rcapture's outputs (reference_results.csv), and invariants."""

from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msekit import reference, references, table

from unseen.estimation import (
    CaptureHistories,
    estimate_loglinear,
    hierarchical_models,
    model_from_name,
    model_name,
    select_loglinear,
)
from unseen.estimation.glm import fit_poisson
from unseen.estimation.models import design, main_effects

REL = 0.005  # the tolerance for deterministic methods: 0.5%

MT = [r.dataset for r in references() if r.method == "rcapture_mt"]
MS = {  # dataset: max order of the closedpMS.t call (from the reference's call column)
    "uk2013_5list": 2,
    "kosovo1999": 3,
    "new_orleans_5list": 2,
    "scotland_pwid2006_stratified": 3,
}


def close(got: float | None, want: float | None) -> bool:
    assert got is not None and want is not None
    return abs(got - want) <= REL * abs(want)


@pytest.mark.parametrize("name", MT)
def test_independence_matches_rcapture_mt(name: str) -> None:
    ref = reference(name, "rcapture_mt")
    e = estimate_loglinear(table(name))
    assert e.ok, e.message
    assert close(e.estimate, ref.estimate)
    assert close(e.lower, ref.lower)
    assert close(e.upper, ref.upper)


@pytest.mark.parametrize("name", sorted(MS))
def test_bic_selection_matches_rcapture_closedpms(name: str) -> None:
    ref = reference(name, "rcapture_ms_bic")
    e = select_loglinear(table(name), max_order=MS[name], criterion="bic")
    assert e.ok, e.message
    picked = ref.call.split("best BIC model ")[1].split(" ")[0]
    assert e.diagnostics["model"] == f"model {picked}"
    assert close(e.estimate, ref.estimate)
    assert close(e.lower, ref.lower)
    assert close(e.upper, ref.upper)


def test_artificial3_never_picks_a_model_without_mle() -> None:
    # Rcapture picks [12,3] and reports 1.2e13 (reference row); that model has no finite MLE.
    ref = reference("artificial3", "rcapture_ms_bic")
    assert ref.estimate is not None and ref.estimate > 1e12
    e = select_loglinear(table("artificial3"), max_order=2)
    assert e.ok
    assert e.diagnostics["model"] == "model [1,2,3]"
    assert e.diagnostics["models_without_mle"] == 7
    assert e.estimate is not None and e.estimate < 100 * e.observed
    direct = estimate_loglinear(table("artificial3"), "[12,3]")
    assert direct.status == "not_estimable"
    assert direct.message.startswith("The maximum likelihood estimate does not exist")


def test_a_model_with_a_never_overlapping_pair_says_which() -> None:
    e = estimate_loglinear(table("artificial3"), "[13,2]")
    assert e.status == "not_estimable"
    assert "lists A and C never share a person, yet the model has a term for them" in e.message


@pytest.mark.parametrize(("t", "order", "count"), [(3, 2, 8), (4, 3, 113), (5, 2, 1024)])
def test_number_of_hierarchical_models(t: int, order: int, count: int) -> None:
    # 113 for four lists is the count Silverman, Chan & Vincent (2024) give for Kosovo
    models = list(hierarchical_models(t, order))
    assert len(models) == count
    assert len({model_name(m) for m in models}) == count


def test_model_names_round_trip() -> None:
    for m in hierarchical_models(4, 3):
        assert model_from_name(model_name(m), 4) == m


def test_glm_matches_closed_form_for_two_lists() -> None:
    # independence on two lists: the dark figure is n10 * n01 / n11
    y = np.array([30.0, 12.0, 6.0])
    fit = fit_poisson(design(2, main_effects(2)), y)
    assert fit.converged
    assert np.exp(fit.coef[0]) == pytest.approx(30 * 12 / 6, rel=1e-10)
    assert fit.deviance == pytest.approx(0.0, abs=1e-9)  # saturated


def test_single_fit_of_eight_lists_is_fast() -> None:
    h = table("new_orleans")
    x = design(8, main_effects(8))
    y = h.full_counts().astype(np.float64)
    fit_poisson(x, y)
    t0 = time.perf_counter()
    for _ in range(20):
        fit_poisson(x, y)
    per_fit = (time.perf_counter() - t0) / 20
    assert per_fit < 0.020  # the budget for one log-linear fit, 8 lists


def test_profile_curve_is_returned_for_plots() -> None:
    e = estimate_loglinear(table("kosovo1999"))
    curve = e.diagnostics["profile"]
    ns = [p[0] for p in curve]
    assert ns == sorted(ns) and len(ns) > 10
    best = max(curve, key=lambda p: p[1])
    assert best[0] == pytest.approx(e.estimate, rel=1e-6)


counts = st.lists(st.integers(0, 60), min_size=7, max_size=7).filter(lambda c: sum(c) > 0)


@settings(max_examples=40, deadline=None)
@given(counts, st.permutations(range(3)))
def test_independence_is_invariant_to_list_order(c: list[int], order: list[int]) -> None:
    pats = [[(i >> j) & 1 for j in range(3)] for i in range(1, 8)]
    h = CaptureHistories.from_counts("ABC", pats, c)
    a, b = estimate_loglinear(h), estimate_loglinear(h.permuted(order))
    assert a.status == b.status
    if a.ok:
        assert b.estimate == pytest.approx(a.estimate, rel=1e-6)
        assert b.lower == pytest.approx(a.lower, rel=1e-6)
        assert b.upper == pytest.approx(a.upper, rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(counts)
def test_estimates_are_at_least_observed_and_bounded(c: list[int]) -> None:
    pats = [[(i >> j) & 1 for j in range(3)] for i in range(1, 8)]
    h = CaptureHistories.from_counts("ABC", pats, c)
    for e in (estimate_loglinear(h), estimate_loglinear(h, "[12,3]"), select_loglinear(h)):
        if e.ok:
            assert e.estimate is not None and e.lower is not None and e.upper is not None
            assert h.observed <= e.lower <= e.estimate <= e.upper
            assert e.upper <= 100 * h.observed
            assert all(np.isfinite([e.estimate, e.lower, e.upper]))
        else:
            assert e.estimate is None and e.message


def test_too_many_models_is_refused_in_words() -> None:
    e = select_loglinear(table("new_orleans"), max_order=2)  # 2**28 models
    assert e.status == "not_estimable"
    assert e.message.startswith("268,435,456 models for 8 lists up to order 2")
