"""Stratified estimation: totals, their intervals (draws and MOVER), sparse strata, collapsing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msekit import MSE_DATA
from scipy.stats import norm

from unseen.errors import InputError
from unseen.estimation import (
    CaptureHistories,
    Estimate,
    collapse,
    estimate_loglinear,
    estimate_stepwise,
    read_capture_histories,
)
from unseen.estimation.strata import (
    collapse_strata,
    estimate_strata,
    merge_sparse_strata,
    sparsity,
    total_estimate,
)

SCOTLAND = MSE_DATA / "scotland_pwid2006_stratified.csv"
Z = float(norm.ppf(0.975))


def scotland() -> tuple[CaptureHistories, ...]:
    return read_capture_histories(SCOTLAND)


def mt(h: CaptureHistories, seed: int) -> Estimate:
    del seed
    return estimate_loglinear(h)


def fake(est: float, lo: float, hi: float, *, stratum: str, **diag: object) -> Estimate:
    return Estimate(
        method="fake",
        observed=100,
        estimate=est,
        lower=lo,
        upper=hi,
        level=0.95,
        lists=("A", "B", "C"),
        diagnostics=diag,
        stratum=(("s", stratum),),
    )


def three(counts: list[int], stratum: str = "x") -> CaptureHistories:
    pats = [[(i >> j) & 1 for j in range(3)] for i in range(1, 8)]
    return CaptureHistories.from_counts("ABC", pats, counts, stratum=(("s", stratum),))


def test_sparsity_reasons_by_hand() -> None:
    # 35 observed (< 50); on two or more lists: AB 3 + AC 1 + BC 0 + ABC 1 = 5 (< 10)
    s = sparsity(three([7, 3, 3, 20, 1, 0, 1]))
    assert (s.observed, s.recaptured) == (35, 5)
    assert s.sparse and len(s.reasons) == 2
    assert s.reasons[0].startswith("only 35 people observed (fewer than 50)")
    assert "only 5 people are on two or more lists" in s.reasons[1]
    # C shares nobody with A or B
    iso = three([40, 40, 30, 25, 0, 0, 0])
    assert sparsity(iso).isolated_lists == ("C",)
    assert "list(s) C share nobody with any other list" in sparsity(iso).reasons[0]
    assert not sparsity(three([40, 40, 30, 25, 10, 10, 5])).sparse


def test_collapse_over_one_column_keeps_the_others() -> None:
    strata = scotland()
    cols = [c for c, _ in strata[0].stratum]
    assert cols == ["region", "gender", "age"]
    by_two = collapse_strata(strata, ["age"])
    assert len(by_two) == len({h.stratum[:2] for h in strata})
    assert [c for c, _ in by_two[0].stratum] == ["region", "gender"]
    assert sum(h.observed for h in by_two) == sum(h.observed for h in strata)
    for g in by_two:
        pooled = collapse([h for h in strata if h.stratum[:2] == g.stratum])
        assert np.array_equal(g.counts, pooled.counts)
        assert np.array_equal(g.patterns, pooled.patterns)
    (everyone,) = collapse_strata(strata, cols)
    assert everyone.stratum == () and everyone == collapse(strata)


def test_collapse_names_an_unknown_column() -> None:
    with pytest.raises(InputError, match="cannot collapse over sex: the strata are by region"):
        collapse_strata(scotland(), ["sex"])


def test_merge_sparse_pools_them_under_one_key() -> None:
    big = three([40, 40, 30, 25, 10, 10, 5], "big")
    a = three([5, 5, 3, 2, 1, 1, 0], "a")
    b = three([4, 2, 1, 3, 0, 1, 1], "b")
    merged, keys = merge_sparse_strata([a, big, b])
    assert keys == ("a", "b")
    assert [m.stratum for m in merged] == [(("s", "a+b"),), (("s", "big"),)]
    assert merged[0].observed == a.observed + b.observed
    # one sparse stratum alone has nothing to merge with
    assert merge_sparse_strata([a, big]) == ((a, big), ())


def test_total_is_the_sum_and_mover_by_hand() -> None:
    strata = scotland()
    res = estimate_strata(collapse_strata(strata, ["age", "gender"]), mt, seed=1)
    ests = [e for e in res.strata]
    assert len(ests) == 2 and all(e.ok for e in ests)
    total = res.total
    assert total.estimate == pytest.approx(sum(e.estimate for e in ests), rel=1e-12)  # type: ignore[misc]
    lo = total.estimate - np.sqrt(sum((e.estimate - e.lower) ** 2 for e in ests))  # type: ignore[operator]
    hi = total.estimate + np.sqrt(sum((e.upper - e.estimate) ** 2 for e in ests))  # type: ignore[operator]
    assert total.lower == pytest.approx(lo, rel=1e-12)
    assert total.upper == pytest.approx(hi, rel=1e-12)
    assert total.observed == sum(h.observed for h in strata)
    assert total.diagnostics["combined_by"].startswith("MOVER")
    assert total.stratum == ()


def test_mover_is_exact_for_normal_intervals() -> None:
    # symmetric normal intervals: MOVER is e1 + e2 +- z sqrt(s1^2 + s2^2)
    a = fake(1000, 1000 - Z * 30, 1000 + Z * 30, stratum="a")
    b = fake(2000, 2000 - Z * 40, 2000 + Z * 40, stratum="b")
    t = total_estimate([a, b])
    assert t.estimate == 3000
    assert t.lower == pytest.approx(3000 - Z * 50, rel=1e-12)
    assert t.upper == pytest.approx(3000 + Z * 50, rel=1e-12)


def test_bootstrap_draws_are_summed_with_bca() -> None:
    rng = np.random.default_rng(5)
    a = fake(1000, 0, 0, stratum="a", bootstrap={"draws": rng.normal(1000, 30, 2000)})
    b = fake(2000, 0, 0, stratum="b", bootstrap={"draws": rng.normal(2000, 40, 2000)})
    t = total_estimate([a, b], seed=3)
    assert t.diagnostics["combined_by"].startswith("bootstrap replicates")
    # normal parts: the BCa interval of the sum is close to 3000 +- z 50 (Monte Carlo ~1%)
    assert t.lower == pytest.approx(3000 - Z * 50, abs=6)
    assert t.upper == pytest.approx(3000 + Z * 50, abs=6)
    assert len(t.diagnostics["draws"]) == 4000
    assert total_estimate([a, b], seed=3).upper == t.upper  # seeded


def test_posterior_grid_and_histogram_are_combined() -> None:
    grid = np.arange(800, 1201)
    dens = norm.pdf(grid, 1000, 40)
    a = fake(1000, 0, 0, stratum="a", posterior_n={"n": grid, "density": dens})
    edges = np.linspace(1800, 2200, 41)
    mids = (edges[:-1] + edges[1:]) / 2
    b = fake(
        2000, 0, 0, stratum="b", posterior_n={"edges": edges, "density": norm.pdf(mids, 2000, 30)}
    )
    t = total_estimate([a, b], seed=2)
    assert t.diagnostics["combined_by"].startswith("draws of every stratum")
    assert t.lower == pytest.approx(3000 - Z * 50, abs=6)
    assert t.upper == pytest.approx(3000 + Z * 50, abs=6)


def test_stepwise_strata_total_from_their_bootstraps() -> None:
    strata = collapse_strata(scotland(), ["age", "gender"])
    res = estimate_strata(strata, lambda h, s: estimate_stepwise(h, nboot=100, seed=s), seed=9)
    seeds = [e.seed for e in res.strata]
    assert len(set(seeds)) == 2  # independent strata get their own seeds
    t = res.total
    assert t.ok and t.lower is not None and t.upper is not None and t.estimate is not None
    assert t.lower < t.estimate < t.upper
    assert t.diagnostics["combined_by"].startswith("bootstrap replicates")
    again = estimate_strata(strata, lambda h, s: estimate_stepwise(h, nboot=100, seed=s), seed=9)
    assert (again.total.lower, again.total.upper) == (t.lower, t.upper)


def test_a_not_estimable_stratum_makes_the_total_not_estimable() -> None:
    good = three([40, 40, 30, 25, 10, 10, 5], "good")
    # nobody on two lists at all: not even independence can be fitted
    bad = three([30, 30, 0, 30, 0, 0, 0], "bad")
    res = estimate_strata([good, bad], mt, seed=1)
    assert res.strata[0].ok and not res.strata[1].ok
    assert res.total.status == "not_estimable"
    assert res.total.message.startswith("the total needs every stratum, and 1 of 2 could not")
    assert "bad: " in res.total.message
    assert res.total.diagnostics["not_estimable_strata"] == ("bad",)


def test_sparse_strata_are_estimated_with_a_warning() -> None:
    big = three([400, 400, 300, 250, 100, 100, 50], "big")
    small = three([10, 12, 4, 9, 2, 1, 1], "small")
    res = estimate_strata([big, small], mt, seed=1)
    assert res.sparse == ("small",)
    warned = res.strata[1]
    assert "too sparse to trust / 너무 희소해 믿기 어렵습니다: only 39 people observed" in (
        warned.message
    )
    assert warned.diagnostics["sparse"]["recaptured"] == 8  # AB 4 + AC 2 + BC 1 + ABC 1
    assert "sparse" not in res.strata[0].diagnostics
    assert res.total.message.startswith("1 of 2 strata are too sparse to trust (small)")
    merged = estimate_strata(
        [big, small, three([9, 8, 7, 6, 3, 2, 1], "s2")], mt, merge_sparse=True
    )
    assert merged.merged == ("small", "s2")
    assert [e.stratum for e in merged.strata] == [(("s", "big"),), (("s", "small+s2"),)]


def test_json_has_every_stratum_and_the_total() -> None:
    res = estimate_strata(collapse_strata(scotland(), ["age"]), mt, seed=1)
    d = res.to_json_dict()
    assert set(d["strata"]) == {
        f"region={r}, gender={g}" for r in ("GGC", "Rest") for g in ("Male", "Female")
    }
    assert d["total"]["estimate"] == pytest.approx(sum(s["estimate"] for s in d["strata"].values()))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(100, 1e5), st.floats(0.01, 0.5), st.floats(0.01, 2.0)),
        min_size=1,
        max_size=6,
    ),
    st.randoms(use_true_random=False),
)
def test_mover_total_invariants(parts: list[tuple[float, float, float]], rnd: object) -> None:
    es = [
        fake(e, e * (1 - lo), e * (1 + hi), stratum=str(i)) for i, (e, lo, hi) in enumerate(parts)
    ]
    t = total_estimate(es)
    assert t.estimate == pytest.approx(sum(p[0] for p in parts), rel=1e-9)
    assert t.lower is not None and t.upper is not None and t.estimate is not None
    assert t.observed == 100 * len(parts)
    assert t.observed <= t.lower <= t.estimate <= t.upper
    # the total's interval is never wider than the sum of the strata's widths
    assert t.upper - t.lower <= sum(e.upper - e.lower for e in es) + 1e-6  # type: ignore[operator]
    shuffled = list(es)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    u = total_estimate(shuffled)
    assert (u.lower, u.upper) == pytest.approx((t.lower, t.upper), rel=1e-9)
