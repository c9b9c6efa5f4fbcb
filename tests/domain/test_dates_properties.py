"""Invariants of fuzzy dates, checked on generated values."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.domain.dates import FuzzyDate, Season, parse_fuzzy_date
from unseen.errors import ValueNotUnderstood

YEARS = st.integers(min_value=1100, max_value=8800)
DAYS = st.dates(min_value=date(1100, 1, 1), max_value=date(8800, 12, 31))
APPROX = st.booleans()


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    kind = draw(st.sampled_from(
        ["day", "month", "season", "year", "decade", "century", "interval", "before", "after",
         "unknown"]
    ))  # fmt: skip
    if kind == "day":
        d = draw(DAYS)
        return FuzzyDate.from_day(d.year, d.month, d.day, approximate=draw(APPROX))
    if kind == "month":
        return FuzzyDate.from_month(draw(YEARS), draw(st.integers(1, 12)), approximate=draw(APPROX))
    if kind == "season":
        return FuzzyDate.from_season(
            draw(YEARS), draw(st.sampled_from(list(Season))), approximate=draw(APPROX)
        )
    if kind == "year":
        return FuzzyDate.from_year(draw(YEARS), approximate=draw(APPROX))
    if kind == "decade":
        return FuzzyDate.from_decade(draw(YEARS) // 10 * 10, approximate=draw(APPROX))
    if kind == "century":
        return FuzzyDate.from_century(draw(YEARS) // 100 * 100, approximate=draw(APPROX))
    if kind == "interval":
        a = draw(DAYS)
        return FuzzyDate.between(a, a + timedelta(days=draw(st.integers(0, 5000))))
    if kind == "before":
        return FuzzyDate.on_or_before(draw(DAYS))
    if kind == "after":
        return FuzzyDate.on_or_after(draw(DAYS))
    return FuzzyDate.unknown()


@settings(max_examples=200)
@given(fuzzy_dates())
def test_edtf_round_trip(value: FuzzyDate) -> None:
    parsed = parse_fuzzy_date(value.to_edtf())
    assert parsed.value == value
    assert parsed.form == "edtf"


@settings(max_examples=200)
@given(fuzzy_dates(), fuzzy_dates())
def test_overlaps_symmetric_and_distance_zero_iff_overlap(a: FuzzyDate, b: FuzzyDate) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    assert a.distance_days(b) == b.distance_days(a)
    assert (a.distance_days(b) == 0) == a.overlaps(b)
    assert a.distance_days(b) >= 0


@settings(max_examples=100)
@given(fuzzy_dates())
def test_overlaps_itself_and_contains_its_ends(value: FuzzyDate) -> None:
    assert value.overlaps(value)
    for end in (value.earliest, value.latest):
        if end is not None:
            assert value.contains(end)


@settings(max_examples=100)
@given(fuzzy_dates())
def test_approximate_contains_the_plain_unit(value: FuzzyDate) -> None:
    if value.approximate and value.anchor is not None:
        plain = FuzzyDate.from_unit(value.precision, value.anchor)
        assert value.earliest is not None and plain.earliest is not None
        assert value.latest is not None and plain.latest is not None
        assert value.earliest < plain.earliest and plain.latest < value.latest


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_arbitrary_text_only_raises_value_not_understood(text: str) -> None:
    try:
        parsed = parse_fuzzy_date(text)
    except ValueNotUnderstood:
        return
    assert parse_fuzzy_date(parsed.value.to_edtf()).value == parsed.value


DATE_ALPHABET = st.sampled_from(list("0123456789 -/.~?%X'년월일봄초말경쯤대이후전부터까지 "))


@settings(max_examples=300)
@given(st.lists(DATE_ALPHABET, max_size=20).map("".join))
def test_date_like_text_only_raises_value_not_understood(text: str) -> None:
    try:
        parsed = parse_fuzzy_date(text)
    except ValueNotUnderstood:
        return
    assert parse_fuzzy_date(parsed.value.to_edtf()).value == parsed.value
