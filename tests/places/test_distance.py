"""Hierarchy distance between gazetteer places."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.errors import ValueNotUnderstood
from unseen.places import SCORES, gazetteer, place_distance

YANJI, HUNCHUN, YANBIAN = "CN-222401", "CN-222404", "CN-222400"
JILIN, CHANGCHUN = "CN-220000", "CN-220100"
DANDONG, HYESAN, RYANGGANG, MUSAN = "CN-210600", "KP-10-hyesan-si", "KP-10", "KP-09-musan-gun"


@pytest.mark.parametrize(
    ("a", "b", "relation", "common"),
    [
        (YANJI, YANJI, "same_place", YANJI),
        (YANJI, HUNCHUN, "same_prefecture", YANBIAN),
        (YANJI, YANBIAN, "same_prefecture", YANBIAN),
        (YANJI, CHANGCHUN, "same_province", JILIN),
        (YANJI, JILIN, "same_province", JILIN),
        (YANJI, DANDONG, "same_country", None),
        (HYESAN, RYANGGANG, "same_province", RYANGGANG),
        (HYESAN, MUSAN, "same_country", None),
        (YANJI, HYESAN, "different_country", None),
        ("CN-110105", "CN-110000", "same_province", "CN-110000"),  # Beijing districts
    ],
)
def test_known_relations(a: str, b: str, relation: str, common: str | None) -> None:
    d = place_distance(a, b)
    assert (d.relation, d.common_id, d.score) == (relation, common, SCORES[relation])


def test_scores_are_ordered() -> None:
    order = [
        "same_place",
        "same_county",
        "same_prefecture",
        "same_province",
        "same_country",
        "different_country",
    ]
    values = [SCORES[k] for k in order]
    assert values == sorted(values, reverse=True) and values[0] == 1.0 and values[-1] == 0.0


def test_unknown_id() -> None:
    with pytest.raises(ValueNotUnderstood, match="CN-222401"):
        place_distance("CN-999999", YANJI)


ids = st.sampled_from(sorted(gazetteer()))


@settings(max_examples=200, deadline=None)
@given(ids, ids)
def test_symmetric_and_bounded(a: str, b: str) -> None:
    d, e = place_distance(a, b), place_distance(b, a)
    assert d == e
    assert 0.0 <= d.score <= 1.0
    assert (d.relation == "same_place") == (a == b)
