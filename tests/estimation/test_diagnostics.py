"""Diagnostics as plain frozen data: capture-history table, list overlaps, the curve of N."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from msekit import MSE_DATA, table
from scipy.stats import chi2

from unseen.estimation import (
    CaptureHistories,
    estimate_chapman,
    estimate_dga,
    estimate_lcmcr,
    estimate_loglinear,
    estimate_stepwise,
    read_capture_histories,
)
from unseen.estimation.diagnostics import (
    capture_history_table,
    diagnose,
    list_overlap,
    n_curve,
)
from unseen.estimation.strata import collapse_strata, estimate_strata


def small() -> CaptureHistories:
    # A only 30, B only 20, AB 10, C only 5, AC 5, ABC 2
    return CaptureHistories.from_counts(
        "ABC",
        [[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1]],
        [30, 20, 10, 5, 5, 2],
    )


def test_capture_history_table_by_hand() -> None:
    t = capture_history_table(small())
    assert t.observed == 72
    assert [r.count for r in t.rows] == [30, 20, 10, 5, 5, 2]
    # ties (C only and AC, 5 each) in pattern order: C (index 4) before AC (index 5)
    assert [r.on for r in t.rows][3:5] == [("C",), ("A", "C")]
    assert t.on_k_lists == (55, 15, 2)
    assert sum(r.share for r in t.rows) == pytest.approx(1.0)
    assert t.rows[0].pattern == (1, 0, 0)


def test_list_overlap_and_never_overlapping_pairs() -> None:
    o = list_overlap(small())
    assert o.counts == ((47, 12, 7), (12, 32, 2), (7, 2, 12))
    assert o.never_overlap == ()
    a3 = list_overlap(table("artificial3"))
    assert a3.never_overlap == (("A", "C"), ("B", "C"))
    assert np.array_equal(np.array(a3.counts), table("artificial3").overlap_matrix())


def test_profile_curve_peaks_at_the_estimate_and_crosses_the_cutoff_at_the_bounds() -> None:
    e = estimate_loglinear(table("kosovo1999"))
    c = n_curve(e)
    assert c is not None and c.kind == "profile_likelihood" and c.method == e.method
    assert max(c.y) == pytest.approx(1.0)
    assert c.x[int(np.argmax(c.y))] == pytest.approx(e.estimate, rel=1e-6)
    assert c.cutoff == pytest.approx(np.exp(-chi2.ppf(0.95, 1) / 2))  # 0.1465
    x, y = np.array(c.x), np.array(c.y)
    for bound in (e.lower, e.upper):
        assert np.interp(bound, x, y) == pytest.approx(c.cutoff, abs=0.02)


def test_bootstrap_curve_is_a_density_of_the_replicates() -> None:
    e = estimate_stepwise(table("kosovo1999"), nboot=200, seed=4)
    c = n_curve(e)
    assert c is not None and c.kind == "bootstrap" and len(c.edges) == len(c.x) + 1
    mass = float(np.sum(np.array(c.y) * np.diff(c.edges)))
    assert mass == pytest.approx(0.99, abs=0.01)  # the central 99% of the replicates
    draws = np.array(e.diagnostics["bootstrap"]["draws"])
    assert c.edges[0] == pytest.approx(np.quantile(draws, 0.005))


def test_posterior_curves_of_the_bayesian_methods() -> None:
    h = table("kosovo1999")
    dga = n_curve(estimate_dga(h))
    assert dga is not None and dga.kind == "posterior" and not dga.edges
    x = np.array(dga.x)
    assert np.all(np.diff(x) > 0)
    assert float(np.sum(np.array(dga.y)[:-1] * np.diff(x))) == pytest.approx(1.0, abs=0.01)
    lc = estimate_lcmcr(h, burnin=200, samples=100, thinning=2, chains=2, seed=1)
    c = n_curve(lc)
    assert c is not None and c.kind == "posterior" and len(c.edges) == len(c.x) + 1
    assert float(np.sum(np.array(c.y) * np.diff(c.edges))) == pytest.approx(0.99, abs=0.02)


def test_a_stratified_total_curve_comes_from_its_draws() -> None:
    strata = collapse_strata(
        read_capture_histories(MSE_DATA / "scotland_pwid2006_stratified.csv"), ["age", "gender"]
    )
    res = estimate_strata(strata, lambda h, s: estimate_stepwise(h, nboot=50, seed=s), seed=1)
    c = n_curve(res.total)
    assert c is not None and c.kind == "draws"
    assert c.x[0] < (res.total.estimate or 0) < c.x[-1]


def test_two_lists_leave_no_curve_and_everything_is_plain_frozen_data() -> None:
    h = CaptureHistories.from_counts("AB", [[1, 0], [0, 1], [1, 1]], [40, 20, 20])
    d = diagnose(h, estimate_chapman(h))
    assert d.curve is None
    text = json.dumps(d.as_dict())  # plain numbers and strings only
    assert json.loads(text)["list_overlap"]["counts"] == [[60, 20], [20, 40]]
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.table.observed = 0  # type: ignore[misc]
    full = diagnose(table("kosovo1999"), estimate_loglinear(table("kosovo1999")))
    assert json.loads(json.dumps(full.as_dict()))["n_curve"]["kind"] == "profile_likelihood"
    assert isinstance(full.table.rows, tuple) and isinstance(full.curve.x, tuple)  # type: ignore[union-attr]
