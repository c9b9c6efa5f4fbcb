"""dga: Bayesian model averaging over decomposable graphs, against the R package's runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msekit import reference, table
from scipy.special import gammaln

from unseen.estimation import CaptureHistories
from unseen.estimation._graphs import decomposable_graphs
from unseen.estimation.dga import dga_posterior, estimate_dga

DGA_ROWS = [
    "uk2013_5list",
    "kosovo1999",
    "new_orleans_5list",
    "artificial3",
    "scotland_pwid2006_stratified",  # the reference run is on the table summed over strata
]


def grid_of(call: str) -> tuple[int, int]:
    """The ``Nmissing=lo:hi`` of a reference call."""
    found = re.search(r"Nmissing=(\d+):(\d+)", call)
    assert found, call
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("t,count", [(1, 1), (2, 2), (3, 8), (4, 61), (5, 822)])
def test_number_of_decomposable_graphs(t: int, count: int) -> None:
    # OEIS A058862: labelled chordal graphs on t nodes
    assert len(decomposable_graphs(t)) == count


@pytest.mark.parametrize("name", DGA_ROWS)
def test_reference_runs_on_their_grid(name: str) -> None:
    """Same prior, same grid as the R call: posterior median and 2.5/97.5% quantiles agree
    to 0.5% (they agree exactly; the method is deterministic)."""
    ref = reference(name, "dga")
    lo, hi = grid_of(ref.call)
    h = table(name)
    assert f"delta=2^-{h.n_lists}" in ref.call
    e = estimate_dga(h, min_missing=lo, max_missing=hi)
    d = e.diagnostics
    got = (d["posterior_median"], d["posterior_lower"], d["posterior_upper"])
    assert got == pytest.approx((ref.estimate, ref.lower, ref.upper), rel=0.005)
    if name == "artificial3":
        assert not e.ok and e.estimate is None
    else:
        assert e.ok and (e.estimate, e.lower, e.upper) == got


@pytest.mark.parametrize("name", [n for n in DGA_ROWS if n != "artificial3"])
def test_default_grid_agrees_with_reference(name: str) -> None:
    ref = reference(name, "dga")
    e = estimate_dga(table(name))
    assert e.ok
    assert (e.estimate, e.lower, e.upper) == pytest.approx(
        (ref.estimate, ref.lower, ref.upper), rel=0.005
    )


def brute_force_post(full: np.ndarray, t: int, grid: np.ndarray, model: str) -> np.ndarray:
    """p(m | y) for one model, written out directly: saturated = one Dirichlet-multinomial
    over the 2**t cells; independence = a product of t beta-binomials."""
    delta = 2.0**-t
    n = full.sum()
    big_n = n + grid
    logp = gammaln(big_n + 1) - gammaln(grid + 1) - np.log(big_n)
    if model == "saturated":
        logp += gammaln(1.0) - gammaln(big_n + 1.0)
        logp += (
            gammaln(grid + delta) - gammaln(delta) + np.sum(gammaln(full + delta) - gammaln(delta))
        )
    else:
        a = delta * 2 ** (t - 1)
        idx = np.arange(1, 2**t)
        for j in range(t):
            on = full[(idx >> j) & 1 == 1].sum()
            logp += gammaln(2 * a) - gammaln(big_n + 2 * a)
            logp += gammaln(on + a) + gammaln(big_n - on + a) - 2 * gammaln(a)
    p = np.exp(logp - logp.max())
    return p / p.sum()


@pytest.mark.parametrize("model", ["saturated", "independence"])
def test_single_model_matches_direct_formula(model: str) -> None:
    h = table("kosovo1999")
    graphs = decomposable_graphs(4)
    n_edges = 6 if model == "saturated" else 0
    keep = [i for i, g in enumerate(graphs) if len(g.edges) == n_edges]
    assert len(keep) == 1
    log_prior = np.full(len(graphs), -1e6)
    log_prior[keep[0]] = 0.0
    post = dga_posterior(h.full_counts(), max_missing=30000, log_model_prior=log_prior)
    want = brute_force_post(h.full_counts().astype(float), 4, post.grid, model)
    assert post.model_prob[keep[0]] == pytest.approx(1.0)
    np.testing.assert_allclose(post.post_m, want, rtol=1e-8, atol=1e-14)


def test_artificial3_is_not_estimable_in_words() -> None:
    e = estimate_dga(table("artificial3"))
    assert e.status == "not_estimable" and e.estimate is None and e.upper is None
    assert "overlap too little" in e.message and "50 times the 96 observed" in e.message
    assert e.diagnostics["mass_above_50x_observed"] > 0.01


def test_too_many_lists_is_not_estimable() -> None:
    e = estimate_dga(table("new_orleans"))
    assert e.status == "not_estimable" and "3 to 5 lists" in e.message and "8" in e.message


@pytest.mark.parametrize("name", ["western_us", "netherlands_5list", "korea_palembang", "hiv_rome"])
def test_sparse_and_other_tables_are_sane(name: str) -> None:
    e = estimate_dga(table(name))
    n = e.observed
    if e.ok:
        assert e.lower is not None and e.upper is not None and e.estimate is not None
        assert n <= e.lower <= e.estimate <= e.upper <= 100 * n
    else:
        assert e.message


def test_explicit_grid_that_cuts_the_posterior_is_flagged() -> None:
    e = estimate_dga(table("uk2013_5list"), max_missing=20000)
    assert e.status == "not_estimable" and "raise max_missing" in e.message


def test_diagnostics_are_plot_ready_and_json() -> None:
    e = estimate_dga(table("kosovo1999"))
    d = e.diagnostics
    models = d["models"]
    assert models[0]["graph"] == "[EXH,ABA,OSCE][EXH,OSCE,HRW]"  # 0.986 of the posterior
    assert models[0]["probability"] > 0.98
    probs = [m["probability"] for m in models]
    assert probs == sorted(probs, reverse=True) and sum(probs) <= 1 + 1e-12
    assert d["edge_probabilities"]["EXH-OSCE"] == pytest.approx(1.0, abs=1e-6)
    xs, dens = np.array(d["posterior_n"]["n"]), np.array(d["posterior_n"]["density"])
    assert xs[0] >= e.observed and np.all(np.diff(xs) > 0)
    assert np.trapezoid(dens, xs) == pytest.approx(0.999, abs=0.005)
    json.dumps(e.to_json_dict(), allow_nan=False)


def test_bad_arguments() -> None:
    h = table("kosovo1999")
    with pytest.raises(ValueError, match="delta"):
        estimate_dga(h, delta=0.0)
    with pytest.raises(ValueError, match="min_missing"):
        estimate_dga(h, min_missing=10, max_missing=5)
    with pytest.raises(ValueError, match="level"):
        estimate_dga(h, level=1.0)


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 4), st.data())
def test_invariants(t: int, data: st.DataObject) -> None:
    counts = data.draw(st.lists(st.integers(0, 60), min_size=2**t - 1, max_size=2**t - 1))
    if sum(counts) == 0:
        counts[0] = 1
    pats = [[(i >> j) & 1 for j in range(t)] for i in range(1, 2**t)]
    h = CaptureHistories.from_counts("ABCD"[:t], pats, counts)
    e = estimate_dga(h)
    order = data.draw(st.permutations(range(t)))
    p = estimate_dga(h.permuted(order))
    # relabelling the lists relabels the graphs: the posterior of N is unchanged
    assert p.status == e.status
    d, dp = e.diagnostics, p.diagnostics
    assert dp["posterior_mean"] == pytest.approx(d["posterior_mean"], rel=1e-9)
    for key in ("posterior_median", "posterior_lower", "posterior_upper"):
        assert abs(dp[key] - d[key]) <= 1
    assert h.observed <= d["posterior_lower"] <= d["posterior_median"] <= d["posterior_upper"]
    if e.ok:
        assert e.upper is not None and e.upper <= 100 * h.observed
    else:
        assert e.message


DOC = Path(__file__).resolve().parents[2] / "docs" / "estimation-bayesian.md"


@pytest.mark.parametrize("name", DGA_ROWS)
def test_doc_quotes_the_dga_reference(name: str) -> None:
    ref = reference(name, "dga")
    assert ref.estimate is not None and ref.lower is not None and ref.upper is not None
    quoted = f"{ref.estimate:.0f} [{ref.lower:.0f}, {ref.upper:.0f}]"
    assert quoted in DOC.read_text(encoding="utf-8")


def test_doc_names_the_api_and_the_bench() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in ("estimate_dga", "estimate_lcmcr", "bench/mse_bayes.py", "--spread 8"):
        assert name in text
