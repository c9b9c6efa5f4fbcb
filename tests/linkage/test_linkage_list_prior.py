"""Priors per pair of lists (unseen.linkage.list_prior): known answers and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.linkage.list_prior import PSEUDO_MATCHES, list_pair, list_shifts


def _odds(p: float) -> float:
    return math.log2(p / (1.0 - p))


def test_known_answer_two_lists() -> None:
    # 100 + 200 records: 4,950 + 19,900 within-list pairs, 20,000 across. 30 expected matches
    # across (either order), 2 within a, none within b.
    counts = {"a": 100, "b": 200}
    shifts = list_shifts(counts, [("a", "b", 20.0), ("b", "a", 10.0), ("a", "a", 2.0)])
    overall = 32.0 / (4950 + 19900 + 20000)
    base = _odds(overall)
    across = (30.0 + PSEUDO_MATCHES) / (20000 + PSEUDO_MATCHES / overall)
    within_a = (2.0 + PSEUDO_MATCHES) / (4950 + PSEUDO_MATCHES / overall)
    within_b = PSEUDO_MATCHES / (19900 + PSEUDO_MATCHES / overall)
    assert shifts[("a", "b")] == pytest.approx(_odds(across) - base)
    assert shifts[("a", "a")] == pytest.approx(_odds(within_a) - base)
    assert shifts[("b", "b")] == pytest.approx(_odds(within_b) - base)
    # Lists that share most of the matches rise, a list without duplicates falls.
    assert shifts[("a", "b")] > 0 > shifts[("b", "b")]


def test_one_list_or_no_matches_keeps_the_one_prior() -> None:
    assert list_shifts({"a": 50}, [("a", "a", 7.0)]) == {("a", "a"): 0.0}
    assert set(list_shifts({"a": 5, "b": 5}, []).values()) == {0.0}


def test_every_pair_of_lists_gets_a_shift_and_unknown_lists_are_refused() -> None:
    shifts = list_shifts({"x": 3, "y": 4, "z": 5}, [("x", "y", 1.0)])
    assert set(shifts) == {("x", "x"), ("x", "y"), ("x", "z"), ("y", "y"), ("y", "z"), ("z", "z")}
    with pytest.raises(ValueError, match="'w' has no record count"):
        list_shifts({"x": 3}, [("x", "w", 1.0)])
    with pytest.raises(ValueError, match="pseudo must be positive"):
        list_shifts({"x": 3}, [], pseudo=0.0)


def test_list_pair_is_unordered() -> None:
    assert list_pair("un", "church") == list_pair("church", "un") == ("church", "un")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(2, 400), min_size=2, max_size=5),
    st.data(),
)
def test_even_matches_give_no_shift_and_more_than_a_share_rises(
    sizes: list[int], data: st.DataObject
) -> None:
    """Expected matches in proportion to each pair of lists' record pairs move no prior; a
    pair of lists with more than its share of the expected matches rises, one with less
    falls."""
    counts = {f"l{i}": n for i, n in enumerate(sizes)}
    labels = sorted(counts)
    pairs = [(a, b) for i, a in enumerate(labels) for b in labels[i:]]
    record_pairs = {
        (a, b): counts[a] * (counts[a] - 1) / 2 if a == b else counts[a] * counts[b]
        for a, b in pairs
    }
    rate = data.draw(st.floats(1e-4, 0.2))
    even = list_shifts(counts, [(a, b, rate * record_pairs[(a, b)]) for a, b in pairs])
    assert all(abs(v) < 1e-9 for v in even.values())
    spread = [data.draw(st.floats(0.0, 50.0)) for _ in pairs]
    if sum(spread) == 0:
        return
    shifts = list_shifts(counts, [(a, b, e) for (a, b), e in zip(pairs, spread, strict=True)])
    total = sum(spread)
    overall = total / sum(record_pairs.values())
    for (a, b), e in zip(pairs, spread, strict=True):
        # A pair of lists with more expected matches than its share gets a higher prior.
        share = overall * record_pairs[(a, b)]
        if e > share + 1e-9:
            assert shifts[(a, b)] > -1e-9
        elif e < share - 1e-9:
            assert shifts[(a, b)] < 1e-9


# --- in the engine (real Splink on DuckDB) -------------------------------------------------


def test_scored_pairs_move_by_their_lists_shift(korean) -> None:  # type: ignore[no-untyped-def]
    """The same model scores with and without list priors; every pair of lists has a
    recorded shift, and every pair kept both times differs by exactly its lists' shift in
    log2-odds."""
    from dataclasses import replace

    from unseen.linkage import EngineOptions, default_spec, link

    table, _truth, result = korean
    recorded = {tuple(x["lists"]): x["log2_odds"] for x in result.model["list_prior"]}
    lists = sorted(table["list"].unique())
    assert set(recorded) == {(a, b) for i, a in enumerate(lists) for b in lists[i:]}
    assert len(set(recorded.values())) > 1
    off = link(
        table,
        replace(default_spec(), list_prior=False),
        model=result.model,
        options=EngineOptions(threads=1),
    )
    assert "list_prior" not in off.model
    on_p = result.pairs.set_index(["record_id_l", "list_l", "record_id_r", "list_r"])
    off_p = off.pairs.set_index(["record_id_l", "list_l", "record_id_r", "list_r"])
    both = on_p.index.intersection(off_p.index)
    assert len(both) > 100
    for key in both:
        p_on = on_p.loc[key, "match_probability"]
        p_off = off_p.loc[key, "match_probability"]
        if not 1e-9 < p_off < 1 - 1e-9 or not 1e-9 < p_on < 1 - 1e-9:
            continue  # rounded to 0 or 1: the shift is not recoverable
        shift = recorded[list_pair(key[1], key[3])]
        assert _odds(p_on) - _odds(p_off) == pytest.approx(shift, abs=2e-3)


def test_a_review_band_from_zero_keeps_every_scored_pair(korean) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from unseen.linkage import EngineOptions, default_spec, link

    table, _truth, result = korean
    spec = replace(default_spec(), review_band=(0.0, 0.9))
    wide = link(table, spec, model=result.model, options=EngineOptions(threads=1))
    assert len(wide.pairs) == wide.stats["scored_pairs_kept"] > len(result.pairs)
    assert wide.pairs["match_probability"].min() < 0.001
