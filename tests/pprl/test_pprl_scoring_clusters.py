"""Joint comparison levels, the key-free frequency adjustment, and the expected-F1 threshold.

PPRL clusters by :func:`unseen.linkage.cluster_average`, tested in tests/linkage.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.linkage import FLOOR_SHARE, cluster_average
from unseen.pprl.comparisons import frequency_weights, group_fields
from unseen.pprl.matching import clusters_at, f1_threshold
from unseen.pprl.schema import FieldSpec

FIELDS = (
    FieldSpec("name", "name", "qgrams", "key", levels=(0.9, 0.5), candidate=0.7),
    FieldSpec("name.all", "name", "tokens", "all", levels=(0.8,)),
    FieldSpec("sex", "sex", "token", "value", bits=64, levels=(0.8,)),
)


def test_fields_of_one_source_are_one_comparison_with_joint_levels() -> None:
    comps = group_fields(FIELDS)
    assert comps.names == ("name", "sex")
    assert comps.members == ((0, 1), (2,))
    # name: 4 levels (missing, two bins, below) x name.all: 3 levels; sex: 3 levels.
    assert comps.n_levels == (11, 2)
    assert comps.top == (4 * 0 + 3 * 1 + 1, 1)
    field_levels = np.array([[1, 1, 1], [0, 0, 2], [3, 2, 0], [1, 2, 1]], dtype=np.int8)
    got = comps.combine(field_levels)
    assert got.tolist() == [[4, 1], [0, 2], [11, 0], [5, 1]]


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=50))
def test_joint_levels_are_one_to_one(rows: list[tuple[int, int]]) -> None:
    comps = group_fields(FIELDS[:2])
    levels = np.array(rows, dtype=np.int8)
    codes = comps.combine(levels)[:, 0]
    assert len(set(codes.tolist())) == len(set(rows))
    assert ((codes == 0) == ((levels[:, 0] == 0) & (levels[:, 1] == 0))).all()
    assert codes.max() <= comps.n_levels[0]


def test_frequency_weight_is_log_ratio_of_chance_agreement_to_name_frequency() -> None:
    # 10 records; 0, 1 and 2 share a name (each has 2 neighbours at the top level); 3-4 a
    # rarer one (1 neighbour each).
    i = np.array([0, 0, 1, 3, 5], dtype=np.int64)
    j = np.array([1, 2, 2, 4, 6], dtype=np.int64)
    top = np.array([True, True, True, True, False])
    got = frequency_weights(10, i, j, top, u_top=0.1)
    assert np.allclose(got[:3], math.log2(0.1 / 0.3))
    assert np.isclose(got[3], math.log2(0.1 / 0.2))
    assert got[4] == 0.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=1, max_size=40))
def test_f1_threshold_maximises_expected_f1_and_is_half_of_it(probs: list[float]) -> None:
    p = np.array(probs, dtype=np.float64)
    t = f1_threshold(p, 0.5)
    total = float(p.sum())
    if total <= 0.0:
        assert t == 0.5
        return

    def expected_f1(cut: float) -> float:
        taken = p[p >= cut]
        return 2.0 * float(taken.sum()) / (taken.size + total)

    # Brute force over every cut the scores allow: none does better in expectation.
    best = max(expected_f1(float(c)) for c in p)
    assert math.isclose(expected_f1(t), best, rel_tol=1e-9, abs_tol=1e-12)
    # The optimum takes exactly the pairs above half the best F1, and so every pair above 0.5.
    assert math.isclose(t, best / 2, rel_tol=1e-9)
    assert t <= 0.5


def test_f1_threshold_takes_the_likely_pairs_and_a_reasonable_share_of_the_doubtful() -> None:
    # 10 pairs at 0.99, 10 at 0.45, 100 at 0.05 (19.4 matches expected): expected F1 with the
    # sure ones 19.8 / 29.4 = 0.67; the 0.45 pairs lift it (0.45 > 0.67 / 2) to 28.8 / 39.4 =
    # 0.73; the 0.05 pairs do not (0.05 < 0.73 / 2).
    p = np.array([0.99] * 10 + [0.45] * 10 + [0.05] * 100)
    assert math.isclose(f1_threshold(p, 0.5), 28.8 / 39.4 / 2, rel_tol=1e-9)
    assert f1_threshold(np.zeros(0), 0.7) == 0.7


def test_pprl_clusters_refuse_a_weak_chain() -> None:
    # 0-1 and 2-3 are strong pairs; one pair 1-2 at 0.6 links them. Components would make
    # one cluster of four; the mean over the 4 cross pairs is 0.15, below 0.5.
    i = np.array([0, 2, 1], dtype=np.int64)
    j = np.array([1, 3, 2], dtype=np.int64)
    cluster, joined = clusters_at(5, i, j, np.array([0.99, 0.98, 0.6]), 0.5)
    assert cluster == [0, 0, 2, 2, 4]
    assert joined == [0.99, 0.99, 0.98, 0.98, None]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.floats(0, 1)), max_size=40),
    st.floats(0.05, 0.95),
)
def test_pprl_clusters_are_average_linkage_over_every_scored_pair(
    edges: list[tuple[int, int, float]], threshold: float
) -> None:
    # clusters_at drops the pairs under the floor before clustering; that must change nothing.
    edges = [(a, b, q) for a, b, q in edges if a != b]
    i = np.array([e[0] for e in edges], dtype=np.int64)
    j = np.array([e[1] for e in edges], dtype=np.int64)
    p = np.array([e[2] for e in edges], dtype=np.float64)
    cluster, joined = clusters_at(10, i, j, p, threshold)
    full = cluster_average(10, edges, threshold, floor=threshold * FLOOR_SHARE)
    assert tuple(cluster) == full.cluster
    assert tuple(joined) == full.joined_at
