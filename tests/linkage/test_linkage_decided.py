"""What decisions settle, checked against what clustering does with the same decisions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.errors import InputError
from unseen.linkage import DecisionGraph, cluster_pairs

N = 7
decision_lists = st.lists(
    st.tuples(
        st.integers(0, N - 1),
        st.integers(0, N - 1),
        st.sampled_from(["match", "non-match", "unsure"]),
    ).filter(lambda t: t[0] != t[1]),
    max_size=12,
)


def _clusters(decisions: list[tuple[int, int, str]], scored=()) -> tuple[int, ...]:
    must = [(a, b) for a, b, d in decisions if d == "match"]
    cannot = [(a, b) for a, b, d in decisions if d == "non-match"]
    return cluster_pairs(N, scored, 0.5, must_link=must, cannot_link=cannot).cluster


def _consistent(decisions: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The decisions a reviewer could make one by one: each that contradicts none before."""
    graph, kept = DecisionGraph(), []
    for a, b, d in decisions:
        if not graph.against(a, b, d):
            graph.add(a, b, d)
            kept.append((a, b, d))
    return kept


@settings(max_examples=300, deadline=None)
@given(decision_lists, st.integers(0, N - 1), st.integers(0, N - 1))
def test_says_what_clustering_does_with_the_decisions(decisions, a, b) -> None:
    decisions = _consistent(decisions)
    says = DecisionGraph(decisions).says(a, b)
    alone = _clusters(decisions)
    # Scored as certain: clustering joins them unless the decisions keep them apart.
    scored = _clusters(decisions, [(a, b, 1.0)])
    if says == "match":
        assert alone[a] == alone[b]
    elif says == "non-match":
        assert alone[a] != alone[b] and scored[a] != scored[b]
    else:
        assert alone[a] != alone[b] or a == b
        assert scored[a] == scored[b]


@settings(max_examples=300, deadline=None)
@given(decision_lists, st.integers(0, N - 1), st.integers(0, N - 1), st.booleans())
def test_against_is_what_clustering_refuses(decisions, a, b, match) -> None:
    decisions = _consistent(decisions)
    decision = "match" if match else "non-match"
    graph = DecisionGraph(decisions)
    chain = graph.against(a, b, decision)
    if a == b:
        return
    refused = False
    try:
        _clusters([*decisions, (a, b, decision)])
    except InputError:
        refused = True
    assert bool(chain) == refused
    if chain:
        # The chain runs from a to b through the decisions it names, in order, and only
        # the one non-match a match would join is not a match.
        at, kinds = a, []
        for k in chain:
            x, y, d = graph.decision(k)
            assert at in (x, y)
            at = y if at == x else x
            kinds.append(d)
        assert at == b
        assert kinds.count("non-match") == (1 if match else 0)


def test_a_chain_names_the_decisions_in_order() -> None:
    graph = DecisionGraph([("A", "B", "match"), ("C", "D", "match"), ("B", "C", "non-match")])
    assert graph.says("A", "D") == "non-match" and graph.says("A", "E") is None
    assert graph.against("A", "D", "match") == (0, 2, 1)  # A = B, B != C, C = D
    assert graph.against("A", "D", "non-match") == ()
    assert graph.against("B", "A", "non-match") == (0,)
    assert graph.against("A", "D", "unsure") == ()
    assert len(graph) == 3


def test_a_stored_contradiction_reads_as_the_groups_stand() -> None:
    # Decisions stored before they were checked may contradict; the groups still answer.
    graph = DecisionGraph([("A", "B", "non-match"), ("A", "B", "match")])
    assert graph.says("A", "B") == "match"
    with pytest.raises(InputError):
        _clusters([(0, 1, "non-match"), (0, 1, "match")])
