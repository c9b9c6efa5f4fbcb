"""Known answers for the fuzzy-date reader: text -> (earliest, latest, precision, EDTF)."""

from __future__ import annotations

from datetime import date

import pytest

from unseen.domain import dates
from unseen.domain.dates import (
    FuzzyDate,
    Precision,
    parse_fuzzy_date,
    parse_optional_fuzzy_date,
)
from unseen.errors import InputError, ValueNotUnderstood

D = date
Y, M, DAY, S = Precision.YEAR, Precision.MONTH, Precision.DAY, Precision.SEASON
DEC, CEN, INT = Precision.DECADE, Precision.CENTURY, Precision.INTERVAL
BEF, AFT, UNK = Precision.BEFORE, Precision.AFTER, Precision.UNKNOWN

KNOWN: list[tuple[str, date | None, date | None, Precision, str]] = [
    # EDTF level 0
    ("2010", D(2010, 1, 1), D(2010, 12, 31), Y, "2010"),
    ("2010-03", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("2010-03-15", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("2012-02", D(2012, 2, 1), D(2012, 2, 29), M, "2012-02"),
    ("2008/2011", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
    ("2008-05/2009", D(2008, 5, 1), D(2009, 12, 31), INT, "2008-05/2009-12"),
    ("2008-05-03/2008-06-10", D(2008, 5, 3), D(2008, 6, 10), INT, "2008-05-03/2008-06-10"),
    # EDTF level 1
    ("2010-21", D(2010, 3, 1), D(2010, 5, 31), S, "2010-21"),
    ("2010-22", D(2010, 6, 1), D(2010, 8, 31), S, "2010-22"),
    ("2010-23", D(2010, 9, 1), D(2010, 11, 30), S, "2010-23"),
    ("2010-24", D(2010, 12, 1), D(2011, 2, 28), S, "2010-24"),
    ("2011-24", D(2011, 12, 1), D(2012, 2, 29), S, "2011-24"),
    ("201X", D(2010, 1, 1), D(2019, 12, 31), DEC, "201X"),
    ("201x", D(2010, 1, 1), D(2019, 12, 31), DEC, "201X"),
    ("19XX", D(1900, 1, 1), D(1999, 12, 31), CEN, "19XX"),
    ("2010-XX", D(2010, 1, 1), D(2010, 12, 31), Y, "2010"),
    ("2010-03-XX", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("2010~", D(2009, 1, 1), D(2011, 12, 31), Y, "2010~"),
    ("2010?", D(2009, 1, 1), D(2011, 12, 31), Y, "2010~"),
    ("2010%", D(2009, 1, 1), D(2011, 12, 31), Y, "2010~"),
    ("2010-03~", D(2010, 2, 1), D(2010, 4, 30), M, "2010-03~"),
    ("2010-03-15~", D(2010, 3, 14), D(2010, 3, 16), DAY, "2010-03-15~"),
    ("2010-21~", D(2009, 12, 1), D(2010, 8, 31), S, "2010-21~"),
    ("199X~", D(1980, 1, 1), D(2009, 12, 31), DEC, "199X~"),
    ("..2010", None, D(2010, 12, 31), BEF, "..2010"),
    ("../2010-03", None, D(2010, 3, 31), BEF, "..2010-03"),
    ("2010..", D(2010, 1, 1), None, AFT, "2010.."),
    ("2010/..", D(2010, 1, 1), None, AFT, "2010.."),
    ("2008~/2011", D(2007, 1, 1), D(2011, 12, 31), INT, "2007/2011"),
    ("XXXX", None, None, UNK, "XXXX"),
    # free text, English
    ("spring 2010", D(2010, 3, 1), D(2010, 5, 31), S, "2010-21"),
    ("Summer of 2010", D(2010, 6, 1), D(2010, 8, 31), S, "2010-22"),
    ("fall 2010", D(2010, 9, 1), D(2010, 11, 30), S, "2010-23"),
    ("WINTER 2010", D(2010, 12, 1), D(2011, 2, 28), S, "2010-24"),
    ("March 2010", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("Mar 2010", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("Sept. 2010", D(2010, 9, 1), D(2010, 9, 30), M, "2010-09"),
    ("15 March 2010", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("15th of March, 2010", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("March 15, 2010", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("early 2010", D(2010, 1, 1), D(2010, 4, 30), INT, "2010-01/2010-04"),
    ("mid 2010", D(2010, 5, 1), D(2010, 8, 31), INT, "2010-05/2010-08"),
    ("mid-2010", D(2010, 5, 1), D(2010, 8, 31), INT, "2010-05/2010-08"),
    ("late 2010", D(2010, 9, 1), D(2010, 12, 31), INT, "2010-09/2010-12"),
    ("the end of 2010", D(2010, 9, 1), D(2010, 12, 31), INT, "2010-09/2010-12"),
    ("first half of 2010", D(2010, 1, 1), D(2010, 6, 30), INT, "2010-01/2010-06"),
    ("late March 2010", D(2010, 3, 21), D(2010, 3, 31), INT, "2010-03-21/2010-03-31"),
    ("late 2000s", D(2007, 1, 1), D(2009, 12, 31), INT, "2007/2009"),
    ("early 1990s", D(1990, 1, 1), D(1993, 12, 31), INT, "1990/1993"),
    ("the 1990s", D(1990, 1, 1), D(1999, 12, 31), DEC, "199X"),
    ("1990's", D(1990, 1, 1), D(1999, 12, 31), DEC, "199X"),
    ("the '90s", D(1990, 1, 1), D(1999, 12, 31), DEC, "199X"),
    ("about 1985", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("around 1985", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("c. 1985", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("circa 1985", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("about March 2010", D(2010, 2, 1), D(2010, 4, 30), M, "2010-03~"),
    ("before 2010", None, D(2010, 12, 31), BEF, "..2010"),
    ("after 2010", D(2010, 1, 1), None, AFT, "2010.."),
    ("since spring 2010", D(2010, 3, 1), None, AFT, "2010-03.."),
    ("between 2008 and 2011", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
    ("from May 2008 to 2009", D(2008, 5, 1), D(2009, 12, 31), INT, "2008-05/2009-12"),
    ("2008 - 2011", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
    ("2008–2011", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
    ("in 2010", D(2010, 1, 1), D(2010, 12, 31), Y, "2010"),
    ("'98", D(1998, 1, 1), D(1998, 12, 31), Y, "1998"),
    ("unknown", None, None, UNK, "XXXX"),
    # free text, numbers
    ("2010.3", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("2010.03.15", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("2010. 3. 15.", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("2010/3/15", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("2010/03", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("3/2010", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("20100315", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("2008~2011", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
    ("２０１０", D(2010, 1, 1), D(2010, 12, 31), Y, "2010"),  # full-width digits
    # free text, Korean
    ("2010년", D(2010, 1, 1), D(2010, 12, 31), Y, "2010"),
    ("2010년도", D(2010, 1, 1), D(2010, 12, 31), Y, "2010"),
    ("2010년 봄", D(2010, 3, 1), D(2010, 5, 31), S, "2010-21"),
    ("2010년 겨울", D(2010, 12, 1), D(2011, 2, 28), S, "2010-24"),
    ("2010년 3월", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("2010년3월", D(2010, 3, 1), D(2010, 3, 31), M, "2010-03"),
    ("2010년 3월 15일", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("2010년 초", D(2010, 1, 1), D(2010, 4, 30), INT, "2010-01/2010-04"),
    ("2010년 중반", D(2010, 5, 1), D(2010, 8, 31), INT, "2010-05/2010-08"),
    ("2010년 말", D(2010, 9, 1), D(2010, 12, 31), INT, "2010-09/2010-12"),
    ("2010년 말경", D(2010, 9, 1), D(2010, 12, 31), INT, "2010-09/2010-12"),
    ("2010년 하반기", D(2010, 7, 1), D(2010, 12, 31), INT, "2010-07/2010-12"),
    ("2010년 3월 중순", D(2010, 3, 11), D(2010, 3, 20), INT, "2010-03-11/2010-03-20"),
    ("2000년대 후반", D(2007, 1, 1), D(2009, 12, 31), INT, "2007/2009"),
    ("1990년대", D(1990, 1, 1), D(1999, 12, 31), DEC, "199X"),
    ("90년대 초반", D(1990, 1, 1), D(1993, 12, 31), INT, "1990/1993"),
    ("1985년경", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("1985년쯤", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("약 1985년", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("85년경", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("2010년 3월경", D(2010, 2, 1), D(2010, 4, 30), M, "2010-03~"),
    ("2010년 이전", None, D(2010, 12, 31), BEF, "..2010"),
    ("2010년 이후", D(2010, 1, 1), None, AFT, "2010.."),
    ("2010년 이후에", D(2010, 1, 1), None, AFT, "2010.."),
    ("2010년까지", None, D(2010, 12, 31), BEF, "..2010"),
    ("2008년부터 2011년까지", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
    ("2008년~2011년", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
    ("2008년 5월부터 2009년 봄까지", D(2008, 5, 1), D(2009, 5, 31), INT, "2008-05/2009-05"),
    ("2010년~", D(2010, 1, 1), None, AFT, "2010.."),  # Korean "from 2010"; EDTF 2010~ is "about"
    ("~2010년", None, D(2010, 12, 31), BEF, "..2010"),
    ("모름", None, None, UNK, "XXXX"),
    # free text, Chinese (PRC records)
    ("2010年3月15日", D(2010, 3, 15), D(2010, 3, 15), DAY, "2010-03-15"),
    ("2010年春", D(2010, 3, 1), D(2010, 5, 31), S, "2010-21"),
    ("1985年左右", D(1984, 1, 1), D(1986, 12, 31), Y, "1985~"),
    ("90年代", D(1990, 1, 1), D(1999, 12, 31), DEC, "199X"),
    ("2008年至2011年", D(2008, 1, 1), D(2011, 12, 31), INT, "2008/2011"),
]


def test_table_is_large_enough() -> None:
    assert len(KNOWN) >= 60
    assert len({row[0] for row in KNOWN}) == len(KNOWN)


@pytest.mark.parametrize(("text", "earliest", "latest", "precision", "edtf"), KNOWN)
def test_known_answer(
    text: str, earliest: date | None, latest: date | None, precision: Precision, edtf: str
) -> None:
    parsed = parse_fuzzy_date(text)
    value = parsed.value
    assert (value.earliest, value.latest, value.precision) == (earliest, latest, precision)
    assert value.to_edtf() == edtf
    assert parse_fuzzy_date(edtf).value == value


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("2010-21", "edtf"),
        ("..2010", "edtf"),
        ("2010.03.15", "numeric"),
        ("3/2010", "numeric"),
        ("spring 2010", "english"),
        ("about 1985", "english"),
        ("2010년 봄", "korean"),
        ("1985년경", "korean"),
        ("2010年3月", "chinese"),
    ],
)
def test_form_reported(text: str, form: str) -> None:
    assert parse_fuzzy_date(text).form == form


@pytest.mark.parametrize(
    ("text", "en", "ko"),
    [
        ("spring 2010", "spring 2010 (March to May)", "2010년 봄(3–5월)"),
        (
            "2010-24",
            "winter 2010 (December 2010 to February 2011)",
            "2010년 겨울(2010년 12월–2011년 2월)",
        ),
        ("about 1985", "about 1985 (1984 to 1986)", "1985년경(1984년–1986년)"),
        (
            "2010년 봄쯤",
            "about spring 2010 (December 2009 to August 2010)",
            "2010년 봄경(2009년 12월–2010년 8월)",
        ),
        ("late 2000s", "late 2000s (2007 to 2009)", "2000년대 후반(2007–2009년)"),
        ("early 2010", "early 2010 (January to April)", "2010년 초(1–4월)"),
        ("2010년 3월 15일", "15 March 2010", "2010년 3월 15일"),
        ("2008/2011", "between 2008 and 2011", "2008년부터 2011년까지"),
        ("before 2010", "2010 or earlier", "2010년 또는 그 이전"),
        ("2010년 이후", "2010 or later", "2010년 또는 그 이후"),
        ("1990년대", "the 1990s", "1990년대"),
        ("모름", "date unknown", "날짜 미상"),
    ],
)
def test_understood_as(text: str, en: str, ko: str) -> None:
    parsed = parse_fuzzy_date(text)
    assert (parsed.understood_as, parsed.understood_as_ko) == (en, ko)


def test_approximate_year_keeps_year_precision() -> None:
    value = parse_fuzzy_date("about 1985").value
    assert value == FuzzyDate.from_year(1985, approximate=True)
    assert (value.precision, value.approximate, value.anchor) == (Y, True, D(1985, 1, 1))
    assert value.year_range() == (1984, 1986)


INVALID = [
    "2010-02-30",
    "2010-13",
    "2010-00",
    "2010-03-32",
    "2011-02-29",
    "0000",
    "2011/2008",
    "between 2011 and 2008",
    "2010.13",
    "2010년 13월",
    "2010년 2월 30일",
    "February 30, 2010",
    "'05",  # 1905 or 2005: refused
    "05년",
    "03/04/2010",  # day and month cannot be told apart
    "about late 2010",
    "spring",
    "sometime",
    "김순희",
    "2010-2011-2012",
    "x" * 200,
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_raises_value_not_understood(text: str) -> None:
    with pytest.raises(ValueNotUnderstood) as info:
        parse_fuzzy_date(text)
    message = str(info.value)
    assert "Accepted forms" in message and "사용할 수 있는 형식" in message
    assert isinstance(info.value, InputError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2010-02-30", "no such calendar date"),
        ("2011/2008", "ends before it starts"),
        ("'05", "two-digit year"),
        ("", "empty"),
    ],
)
def test_invalid_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueNotUnderstood, match=reason):
        parse_fuzzy_date(text)


@pytest.mark.parametrize("canary", ["김순희 1987", "Kim Sun-hui 2010-02-30", "2010-02-30 박영옥"])
def test_message_never_echoes_input(canary: str) -> None:
    with pytest.raises(ValueNotUnderstood) as info:
        parse_fuzzy_date(canary)
    message = str(info.value)
    for fragment in canary.split():
        if len(fragment) > 4:
            assert fragment not in message
    assert info.value.__cause__ is None


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u3000"])
def test_empty_is_missing(blank: str) -> None:
    assert parse_optional_fuzzy_date(blank) is None
    with pytest.raises(ValueNotUnderstood):
        parse_fuzzy_date(blank)


def test_optional_parses_non_empty() -> None:
    parsed = parse_optional_fuzzy_date(" 2010년 봄 ")
    assert parsed is not None and parsed.value.to_edtf() == "2010-21"
    assert parse_optional_fuzzy_date(None) is None


def test_overlaps_and_distance_known() -> None:
    spring = parse_fuzzy_date("2010-21").value
    march = parse_fuzzy_date("2010-03").value
    summer = parse_fuzzy_date("2010-22").value
    later = parse_fuzzy_date("2011-06-15").value
    assert spring.overlaps(march) and spring.distance_days(march) == 0
    assert not spring.overlaps(summer) and spring.distance_days(summer) == 1  # May 31 -> Jun 1
    assert summer.distance_days(later) == (D(2011, 6, 15) - D(2010, 8, 31)).days
    assert (
        parse_fuzzy_date("..2009").value.distance_days(march)
        == (D(2010, 3, 1) - D(2009, 12, 31)).days
    )
    assert FuzzyDate.unknown().overlaps(later)
    assert parse_fuzzy_date("2012..").value.overlaps(parse_fuzzy_date("2050").value)


def test_year_range_open_ends() -> None:
    assert parse_fuzzy_date("..2010").value.year_range() == (None, 2010)
    assert parse_fuzzy_date("2010-24").value.year_range() == (2010, 2011)
    assert FuzzyDate.unknown().year_range() == (None, None)


def test_precision_has_contract_spellings() -> None:
    contract_spelling: dict[str, Precision] = {"year": Precision.year, "day": Precision.day}
    assert contract_spelling == {"year": Precision.YEAR, "day": Precision.DAY}
    assert contract_spelling["year"] is Precision.YEAR and Precision("season") is Precision.SEASON
    assert [p.value for p in Precision] == [
        "day", "month", "season", "year", "decade", "century", "interval", "before", "after",
        "unknown",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "build",
    [
        lambda: FuzzyDate(D(2010, 3, 2), D(2010, 12, 31), Y),  # not a whole year
        lambda: FuzzyDate(D(2011, 1, 1), D(2010, 1, 1), INT),  # ends before it starts
        lambda: FuzzyDate(D(2010, 1, 1), None, INT),  # an interval needs both ends
        lambda: FuzzyDate(D(2010, 1, 1), D(2010, 12, 31), BEF),
        lambda: FuzzyDate(None, D(2010, 12, 31), BEF, approximate=True),
        lambda: FuzzyDate(D(2010, 1, 1), D(2010, 12, 31), "fortnight"),  # type: ignore[arg-type]
        lambda: FuzzyDate.from_month(2010, 13),
        lambda: FuzzyDate.from_season(2010, 25),
        lambda: FuzzyDate.from_decade(2011),
        lambda: FuzzyDate.from_year(9999, approximate=True),
    ],
)
def test_invalid_parts_rejected(build: object) -> None:
    with pytest.raises(ValueNotUnderstood):
        build()  # type: ignore[operator]


def test_precision_given_as_text_is_coerced() -> None:
    value = FuzzyDate(D(2010, 1, 1), D(2010, 12, 31), "year")  # type: ignore[arg-type]
    assert value.precision is Precision.YEAR and value == FuzzyDate.from_year(2010)


def test_dates_exports() -> None:
    public = {n for n in vars(dates) if not n.startswith("_")} - {"annotations"}
    assert public == set(dates.__all__)
