"""Constrained clustering: known answers and invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.errors import InputError
from unseen.linkage import cluster_average, cluster_pairs


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


# --- average linkage ---------------------------------------------------------------------


def test_average_linkage_does_not_chain_two_people_through_one_link() -> None:
    # Two people of two records each, one strong link between them (1-2).
    pairs = [(0, 1, 0.99), (2, 3, 0.99), (1, 2, 0.9)]
    assert cluster_pairs(4, pairs, 0.5).cluster == (0, 0, 0, 0)
    c = cluster_average(4, pairs, 0.3)
    assert c.cluster == (0, 0, 2, 2)  # mean between them: 0.9 / 4 = 0.225
    assert c.joined_at == (0.99, 0.99, 0.99, 0.99)


def test_average_linkage_joins_a_record_moderately_like_the_whole_cluster() -> None:
    pairs = [(0, 1, 0.99), (0, 2, 0.4), (1, 2, 0.4), (3, 4, 0.2)]
    assert cluster_pairs(5, pairs, 0.5).cluster == (0, 0, 2, 3, 4)
    c = cluster_average(5, pairs, 0.3)
    assert c.cluster == (0, 0, 0, 3, 4)
    assert c.joined_at == (0.99, 0.99, 0.4, None, None)
    # Pairs under the floor count as 0: record 2 then shares a mean of 0.2 with 0 and 1.
    assert (
        cluster_average(5, [(0, 1, 0.99), (0, 2, 0.4), (1, 2, 0.05)], 0.3, floor=0.1).cluster[2]
        == 2
    )


def test_average_linkage_keeps_decisions() -> None:
    pairs = [(0, 1, 0.99), (1, 2, 0.95), (0, 2, 0.9)]
    c = cluster_average(3, pairs, 0.3, cannot_link=[(0, 2)])
    assert c.cluster[0] != c.cluster[2] and c.refused == 1
    c = cluster_average(4, [(2, 3, 0.01)], 0.3, must_link=[(3, 0)])
    assert c.cluster == (0, 1, 2, 0) and c.joined_at == (1.0, None, None, 1.0)
    with pytest.raises(InputError, match="contradict"):
        cluster_average(3, [], 0.3, must_link=[(0, 1), (1, 2)], cannot_link=[(0, 2)])
    with pytest.raises(InputError, match="outside 0..2"):
        cluster_average(3, [(0, 5, 0.9)], 0.3)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_pair, max_size=40),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=4),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=3),
)
def test_average_linkage_stops_only_when_no_two_clusters_may_merge(
    pairs: list[tuple[int, int, float]],
    cannot: list[tuple[int, int]],
    must: list[tuple[int, int]],
) -> None:
    cannot = [(a, b) for a, b in cannot if a != b]
    must = [(a, b) for a, b in must if a != b]
    try:
        c = cluster_average(12, pairs, 0.4, floor=0.1, must_link=must, cannot_link=cannot)
    except InputError:
        # only contradicting decisions are refused
        with pytest.raises(InputError, match="contradict"):
            cluster_pairs(12, [], 0.4, must_link=must, cannot_link=cannot)
        return
    for a, b in cannot:
        assert c.cluster[a] != c.cluster[b]
    for a, b in must:
        assert c.cluster[a] == c.cluster[b]
    best: dict[tuple[int, int], float] = {}
    for a, b, p in pairs:
        key = (min(a, b), max(a, b))
        if p >= 0.1 and key not in {(min(x, y), max(x, y)) for x, y in cannot}:
            best[key] = max(p, best.get(key, 0.0))
    members: dict[int, list[int]] = {}
    for uid, label in enumerate(c.cluster):
        members.setdefault(label, []).append(uid)
    labels = sorted(members)
    for i, x in enumerate(labels):
        for y in labels[i + 1 :]:
            kept_apart = any(
                (a in members[x] and b in members[y]) or (a in members[y] and b in members[x])
                for a, b in cannot
            )
            total = sum(
                best.get((min(a, b), max(a, b)), 0.0) for a in members[x] for b in members[y]
            )
            mean = total / (len(members[x]) * len(members[y]))
            assert kept_apart or mean < 0.4 + 1e-9
    # The same pairs in another order give the same clusters.
    again = cluster_average(
        12, list(reversed(pairs)), 0.4, floor=0.1, must_link=must, cannot_link=cannot
    )
    assert again == c
