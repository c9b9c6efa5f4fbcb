"""Lincoln-Petersen and Chapman: textbook values, intervals, invariants, not-estimable."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from msekit import table

from unseen.estimation import (
    CaptureHistories,
    estimate_chapman,
    estimate_lincoln_petersen,
    estimate_loglinear,
)
from unseen.estimation.twolist import chapman_point, lincoln_petersen_point


def two(n10: int, n01: int, n11: int) -> CaptureHistories:
    return CaptureHistories.from_counts("AB", [[1, 0], [0, 1], [1, 1]], [n10, n01, n11])


def test_lincoln_petersen_textbook() -> None:
    assert lincoln_petersen_point(n1=60, n2=40, m=20) == pytest.approx(120.0)  # 60*40/20
    e = estimate_lincoln_petersen(two(40, 20, 20))  # n1 = 60, n2 = 40, m = 20
    assert e.estimate == pytest.approx(120.0)
    assert e.observed == 80


def test_chapman_textbook() -> None:
    # (61 * 41) / 21 - 1 = 118.095...
    assert chapman_point(60, 40, 20) == pytest.approx(61 * 41 / 21 - 1)
    e = estimate_chapman(two(40, 20, 20))
    assert e.estimate == pytest.approx(118.0952381)
    # Seber's variance and the log-normal interval on f0 = N - n, by hand
    var = 61 * 41 * 40 * 20 / (21**2 * 22)
    f0 = 61 * 41 / 21 - 1 - 80
    c = math.exp(1.959963985 * math.sqrt(math.log(1 + var / f0**2)))
    assert e.lower == pytest.approx(80 + f0 / c, rel=1e-9)
    assert e.upper == pytest.approx(80 + f0 * c, rel=1e-9)


def test_lincoln_petersen_is_the_independence_model_on_two_lists() -> None:
    h = two(40, 20, 20)
    assert estimate_loglinear(h).diagnostics["poisson_estimate"] == pytest.approx(120.0, rel=1e-9)


def test_pair_of_a_larger_table() -> None:
    h = table("uk2013")
    e = estimate_chapman(h, pair=(1, 2))
    n1, n2, m = e.diagnostics["n1"], e.diagnostics["n2"], e.diagnostics["m"]
    assert e.lists == ("NG", "PF")
    assert e.estimate == pytest.approx(chapman_point(n1, n2, m))
    with pytest.raises(ValueError, match="name the two to use"):
        estimate_chapman(h)


def test_no_overlap_is_not_estimable() -> None:
    for f in (estimate_lincoln_petersen, estimate_chapman):
        e = f(two(40, 20, 0))
        assert e.status == "not_estimable"
        assert e.estimate is None and e.lower is None and e.upper is None
        assert e.message.startswith("Lists A and B share nobody")


def test_tiny_overlap_above_100_times_observed_is_not_estimable() -> None:
    e = estimate_lincoln_petersen(two(3000, 3000, 1))
    assert e.status == "not_estimable"
    assert "more than 100 times" in e.message


@given(st.integers(0, 500), st.integers(0, 500), st.integers(1, 500))
def test_interval_brackets_estimate_and_observed(n10: int, n01: int, n11: int) -> None:
    for f in (estimate_lincoln_petersen, estimate_chapman):
        e = f(two(n10, n01, n11))
        if e.ok:
            assert e.lower is not None and e.upper is not None and e.estimate is not None
            assert e.observed <= e.lower <= e.estimate <= e.upper
            assert e.estimate <= 100 * e.observed
        else:
            assert e.message


@given(st.integers(0, 300), st.integers(0, 300), st.integers(1, 300))
def test_swapping_the_lists_changes_nothing(n10: int, n01: int, n11: int) -> None:
    a, b = estimate_chapman(two(n10, n01, n11)), estimate_chapman(two(n01, n10, n11))
    assert (a.estimate, a.lower, a.upper) == (b.estimate, b.lower, b.upper)
