"""Each pair's reasons: Splink's own level and bits per comparison, adding up to its weight."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import korean_table
from unseen.errors import InputError
from unseen.linkage import (
    Decision,
    EngineOptions,
    LinkageSpec,
    Reason,
    default_spec,
    format_reasons,
    link,
    parse_reasons,
    probability_of,
)
from unseen.linkage.explanation import (
    FREQUENCY,
    START,
    START_LEVEL,
    comparison_words,
    join_parts,
    level_in_korean,
    part_text,
)
from unseen.linkage.model import splink_settings

_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1)


@given(
    st.lists(
        st.builds(
            Reason,
            _TEXT.filter(lambda t: t.replace(":", " ").replace(";", ",").strip() != ""),
            _TEXT,
            st.floats(-80, 80),
        ),
        max_size=12,
    )
)
def test_reasons_read_back_as_written(reasons: list[Reason]) -> None:
    back = parse_reasons(format_reasons(reasons))
    assert len(back) == len(reasons)
    for got, want in zip(back, reasons, strict=True):
        # The separators a label could hold are written as others; bits to 0.1.
        assert got.comparison == want.comparison.replace(";", ",").replace(":", " ").strip()
        assert got.level == want.level.replace(";", ",").strip() or got.level == "?"
        assert got.bits == pytest.approx(want.bits, abs=0.05 + 1e-9)


def test_a_reasons_text_that_is_not_one_says_which_part() -> None:
    assert parse_reasons("") == ()
    with pytest.raises(InputError, match=r"pairs.csv, row 7: part 2 is not 'comparison: level"):
        parse_reasons("start: any two records -12.0; name same name", where="pairs.csv, row 7")


def test_the_parts_add_up_to_the_probability() -> None:
    parts = [Reason(START, "any two records", -10.0), Reason("name", "same name", 10.0)]
    assert probability_of(parts) == 0.5
    assert probability_of([*parts, Reason("sex", "same", 1.0)]) == pytest.approx(2 / 3)


def test_every_pair_shown_has_reasons_that_add_up_to_its_probability(korean) -> None:  # type: ignore[no-untyped-def]
    table, _truth, result = korean
    pairs = result.pairs
    assert len(pairs) > 50 and (pairs["reasons"] != "").all()
    # The comparisons the run used (a table without a column drops its comparison).
    comparisons = [c["name"] for c in result.model["comparisons"]]
    assert set(comparisons) < {c.name for c in default_spec().comparisons}
    labels = {c["name"]: {lv["label"] for lv in c["levels"]} for c in result.model["comparisons"]}
    for text, p in zip(pairs["reasons"], pairs["match_probability"], strict=True):
        parts = parse_reasons(text)
        assert parts[0].comparison == START
        # One part per comparison, in the model's order, each a level of its model (or
        # the null level, which has no m and u); a frequency adjustment follows its level.
        levels = [r for r in parts[1:] if r.level != FREQUENCY]
        assert [r.comparison for r in levels] == comparisons
        for r in levels:
            assert r.level in labels[r.comparison] or r.bits == 0.0
        # Bits are written to 0.1, so the sum is off by at most 0.05 a part.
        weight = math.log2(p) - math.log2(1 - p) if p < 1 else math.inf
        if math.isfinite(weight):
            assert sum(r.bits for r in parts) == pytest.approx(weight, abs=0.05 * len(parts))
    # The reasons name levels only: no name or place a record holds.
    values = {
        str(v)
        for col in ("full_name", "family_name", "given_name", "name_hangul")
        if col in table
        for v in table[col]
        if len(str(v)) > 2
    }
    text = " ".join(pairs["reasons"])
    assert not [v for v in values if v in text]


def test_a_decided_pair_below_the_pairs_shown_has_its_reasons() -> None:
    table, _truth = korean_table(seed=3, n_people=150)
    first = link(table, options=EngineOptions(threads=1))
    # Show only pairs from 0.95 up: a pair the model put at 0.4-0.9 is then shown (with its
    # reasons) only once someone decides it.
    spec = replace(default_spec(), review_band=(0.95, 0.99), threshold=0.95)
    pick = first.pairs[first.pairs["match_probability"].between(0.4, 0.9)].iloc[0]
    decision = Decision(
        pick["record_id_l"], pick["list_l"], pick["record_id_r"], pick["list_r"], "non-match"
    )
    again = link(table, spec, options=EngineOptions(threads=1), model=first.model)
    assert (again.pairs["match_probability"] >= 0.95).all()
    decided = link(
        table, spec, options=EngineOptions(threads=1), decisions=[decision], model=first.model
    )
    row = decided.pairs[decided.pairs["decision"] == "review:non-match"]
    assert row[["uid_l", "uid_r"]].values.tolist() == [[pick["uid_l"], pick["uid_r"]]]
    p = float(row["match_probability"].iloc[0])
    assert p == pytest.approx(float(pick["match_probability"]), abs=1e-9)
    (text,) = row["reasons"].tolist()
    assert text == pick["reasons"]
    parts = parse_reasons(text)
    weight = math.log2(p) - math.log2(1 - p)
    assert sum(r.bits for r in parts) == pytest.approx(weight, abs=0.05 * len(parts))


def test_every_level_a_reviewer_reads_has_its_korean() -> None:
    """The default model's comparisons and levels, and those the config types make (FEBRL's
    Jaro-Winkler and Levenshtein levels), read in Korean in `unseen review` and the web."""
    febrl = LinkageSpec.from_config(Path(__file__).with_name("febrl.yaml"))
    for spec in (default_spec(), febrl):
        settings = splink_settings(spec).get_settings("duckdb")
        for comparison in settings.comparisons:
            for level in comparison.comparison_levels:
                label = str(level.label_for_charts)
                assert level_in_korean(label), label
    for c in default_spec().comparisons:
        english, korean = comparison_words(c.name)
        assert korean != english and all("가" <= ch <= "힣" or ch == " " for ch in korean)
    assert level_in_korean(START_LEVEL) and level_in_korean(FREQUENCY)
    assert comparison_words("height") == ("height", "height")  # a config's own
    assert level_in_korean("my own level") is None
    assert level_in_korean("within 1830 days") == "1830일 이내"


@given(st.lists(st.builds(Reason, _TEXT, _TEXT, st.floats(-80, 80)), max_size=8))
def test_parts_joined_are_the_reasons_text(reasons: list[Reason]) -> None:
    # The engine writes each distinct part once and joins them; the same text either way.
    parts = [part_text(r.comparison, r.level, r.bits) for r in reasons]
    assert join_parts([*parts, ""]) == format_reasons(reasons)
