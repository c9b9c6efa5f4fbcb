"""Constrained clustering: known answers and invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.errors import InputError
from unseen.linkage import cluster_pairs


def test_connected_components_at_the_threshold() -> None:
    pairs = [(0, 1, 0.99), (1, 2, 0.95), (3, 4, 0.5), (2, 5, 0.91)]
    c = cluster_pairs(6, pairs, 0.9)
    assert c.cluster == (0, 0, 0, 3, 4, 0)
    # strongest accepted link of each record; none for records alone
    assert c.joined_at == (0.99, 0.99, 0.95, None, None, 0.91)


def test_non_match_splits_where_the_weaker_link_would_join() -> None:
    # 0-1 strong, 1-2 weaker; a reviewer says 0 and 2 are different people.
    pairs = [(0, 1, 0.99), (1, 2, 0.95)]
    c = cluster_pairs(3, pairs, 0.9, cannot_link=[(0, 2)])
    assert c.cluster == (0, 0, 2)
    assert c.refused == 1


def test_match_joins_below_the_threshold() -> None:
    c = cluster_pairs(3, [(0, 1, 0.2)], 0.9, must_link=[(1, 0)])
    assert c.cluster == (0, 0, 2)
    assert c.joined_at == (1.0, 1.0, None)


def test_contradicting_decisions_are_refused() -> None:
    with pytest.raises(InputError, match="contradict"):
        cluster_pairs(3, [], 0.9, must_link=[(0, 1), (1, 2)], cannot_link=[(0, 2)])


def test_uid_out_of_range() -> None:
    with pytest.raises(InputError, match="outside 0..2"):
        cluster_pairs(3, [], 0.9, must_link=[(0, 3)])


_pair = st.tuples(st.integers(0, 11), st.integers(0, 11), st.floats(0, 1)).filter(
    lambda t: t[0] != t[1]
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_pair, max_size=40),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=4),
)
def test_cannot_links_hold_and_clusters_are_connected(
    pairs: list[tuple[int, int, float]], cannot: list[tuple[int, int]]
) -> None:
    cannot = [(a, b) for a, b in cannot if a != b]
    c = cluster_pairs(12, pairs, 0.6, cannot_link=cannot)
    for a, b in cannot:
        assert c.cluster[a] != c.cluster[b]
    # Without constraints, records of a cluster are joined by a chain of accepted pairs.
    free = cluster_pairs(12, pairs, 0.6)
    for a, b, p in pairs:
        if p >= 0.6:
            assert free.cluster[a] == free.cluster[b]
    # Constraints only ever split what the free clustering joins.
    for a in range(12):
        for b in range(12):
            if c.cluster[a] == c.cluster[b]:
                assert free.cluster[a] == free.cluster[b]
    # Order of the pairs does not matter.
    assert cluster_pairs(12, list(reversed(pairs)), 0.6, cannot_link=cannot) == c
