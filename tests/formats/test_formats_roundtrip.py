"""write_person_list_csv -> read_person_list gives back exactly the rows written."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unseen.domain.dates import FuzzyDate, parse_fuzzy_date
from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.errors import InputError
from unseen.formats import (
    PERSON_LIST_COLUMNS,
    ColumnMapping,
    PersonRow,
    read_person_list,
    write_person_list_csv,
)

_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff"
) | st.sampled_from("김리박순영철희金李朴 -,\"'")


def _clean(text: str) -> bool:
    return bool(text) and text == text.strip()


TEXT = st.text(_CHARS, min_size=1, max_size=12).filter(_clean)
NOTES = st.text(_CHARS | st.sampled_from("\n\t"), min_size=1, max_size=40).filter(_clean)
ALIAS = st.text(_CHARS.filter(lambda c: c != ";"), min_size=1, max_size=8).filter(_clean)
DATE_TEXTS = (
    "1985",
    "1985-03",
    "1985-03-15",
    "2010-21",
    "201X",
    "19XX",
    "2010~",
    "1985-03~",
    "2008/2011",
    "..2010",
    "2010..",
    "XXXX",
    "2008-05/2009-11",
    "2010년 봄",
)
DATES = st.sampled_from(DATE_TEXTS).map(lambda t: parse_fuzzy_date(t).value) | st.dates().map(
    lambda d: FuzzyDate.from_day(d.year, d.month, d.day)
)
EXTRA_KEYS = ("면담자", "source page")


@st.composite
def person_rows(draw: st.DrawFn) -> list[PersonRow]:
    ids = draw(st.lists(TEXT, min_size=1, max_size=6, unique=True))
    rows = []
    for index, record_id in enumerate(ids):
        names = {
            c: draw(st.none() | TEXT)
            for c in ("family_name", "given_name", "full_name", "name_hangul", "name_hanzi")
        }
        if not any(names.values()):
            names["full_name"] = draw(TEXT)
        others = [i for i in ids if i != record_id]
        extra = draw(st.dictionaries(st.sampled_from(EXTRA_KEYS), TEXT, max_size=2))
        rows.append(
            PersonRow(
                record_id=record_id,
                list=draw(TEXT),
                **names,
                aliases=tuple(draw(st.lists(ALIAS, max_size=3))),
                sex=draw(st.sampled_from(["F", "M", "X", None])),
                birth_date=draw(st.none() | DATES),
                origin_place=draw(st.none() | TEXT),
                china_place=draw(st.none() | TEXT),
                first_exit_date=draw(st.none() | DATES),
                event_date=draw(st.none() | DATES),
                event_place=draw(st.none() | TEXT),
                violation=draw(st.none() | st.sampled_from(sorted(violation_types()))),
                perpetrator_type=draw(st.none() | st.sampled_from(sorted(perpetrator_types()))),
                mother_record_id=draw(st.none() | st.sampled_from(others)) if others else None,
                notes=draw(st.none() | NOTES),
                extra=MappingProxyType(extra),
                row=index + 2,
            )
        )
    return rows


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=person_rows(), bom=st.booleans())
def test_write_then_read_is_exact(tmp_path: Path, rows: list[PersonRow], bom: bool) -> None:
    path = tmp_path / "round.csv"
    write_person_list_csv(rows, path, bom=bom)
    back = read_person_list(path, mapping=ColumnMapping(keep=EXTRA_KEYS))
    assert list(back.rows) == rows
    # and once more: the canonical file is a fixed point
    again = tmp_path / "again.csv"
    write_person_list_csv(back.rows, again, bom=bom)
    assert again.read_bytes() == path.read_bytes()


def test_written_header_is_the_formats_order(tmp_path: Path) -> None:
    row = PersonRow(
        record_id="1",
        list="A",
        full_name="김순희",
        aliases=("순이", "Suni"),
        birth_date=FuzzyDate.from_season(2010, 21),
        extra={"면담자": "가"},
    )
    path = tmp_path / "w.csv"
    write_person_list_csv([row], path)
    header, line = path.read_text(encoding="utf-8").splitlines()
    assert header.split(",") == [*PERSON_LIST_COLUMNS, "면담자"]
    assert line == "1,A,,,김순희,,,순이;Suni,,2010-21,,,,,,,,,,가"
    assert PERSON_LIST_COLUMNS[:3] == ("record_id", "list", "family_name")


def test_bom_option(tmp_path: Path) -> None:
    row = PersonRow(record_id="1", list="A", full_name="김순희")
    write_person_list_csv([row], tmp_path / "b.csv", bom=True)
    assert (tmp_path / "b.csv").read_bytes().startswith(b"\xef\xbb\xbfrecord_id,")


def test_extra_named_like_our_column_refused(tmp_path: Path) -> None:
    row = PersonRow(record_id="1", list="A", full_name="김순희", extra={"Notes": "x"})
    with pytest.raises(InputError, match="named like the person-list column notes"):
        write_person_list_csv([row], tmp_path / "x.csv")


def test_reprs_hide_identity() -> None:
    row = PersonRow(
        record_id="1",
        list="A",
        family_name="김",
        given_name="순희",
        full_name="김순희",
        name_hangul="김순희",
        name_hanzi="金順姬",
        aliases=("순이",),
        birth_date=FuzzyDate.from_year(1985),
        origin_place="무산",
        china_place="연길",
        event_place="도문",
        notes="메모",
        extra={"면담자": "가나"},
    )
    text = repr(row)
    for secret in ("김", "순희", "金", "순이", "1985", "무산", "연길", "도문", "메모", "가나"):
        assert secret not in text
    assert text.startswith("PersonRow(record_id='1', list='A', sex=None")
