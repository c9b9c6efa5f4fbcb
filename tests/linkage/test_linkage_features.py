"""Feature derivation: names in every script, aliases, fuzzy dates, gazetteer hierarchy."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.domain.dates import parse_fuzzy_date
from unseen.errors import InputError
from unseen.linkage import EngineOptions, Rule, build_features, default_spec, link
from unseen.linkage.features import date_bounds, place_chain
from unseen.places import gazetteer, place_distance


def _features(rows: list[dict[str, str]]) -> pd.DataFrame:
    return build_features(pd.DataFrame(rows), default_spec()).frame


def test_spellings_of_one_name_share_hangul_and_keys() -> None:
    f = _features(
        [
            {"record_id": "1", "list": "A", "full_name": "리순자"},
            {"record_id": "2", "list": "A", "family_name": "Lee", "given_name": "Soon-ja"},
            {"record_id": "3", "list": "B", "full_name": "Ri Sun Ja"},
        ]
    )
    hangul = [set(x) for x in f["name__hangul"]]
    assert hangul[0] & hangul[1] & hangul[2]
    assert len(set(f["name__key"])) == 1
    assert list(f["uid"]) == [0, 1, 2]


def test_aliases_reach_only_the_all_part() -> None:
    f = _features([{"record_id": "1", "list": "A", "full_name": "김지현", "aliases": "박미옥; "}])
    alias_key = build_features(
        pd.DataFrame([{"record_id": "9", "list": "A", "full_name": "박미옥"}]), default_spec()
    ).frame["name__key"][0]
    assert alias_key in f["name__all"][0]
    assert alias_key not in f["name__keys"][0]
    assert f["name__key"][0] != alias_key


def test_unreadable_and_missing_values() -> None:
    out = build_features(
        pd.DataFrame(
            [
                {"record_id": "1", "list": "A", "full_name": "---", "birth_date": "soon"},
                {"record_id": "2", "list": "A", "full_name": "", "birth_date": ""},
            ]
        ),
        default_spec(),
    )
    assert out.unreadable["name"] == 1 and out.unreadable["birth"] == 1
    assert out.frame["name__all"].isna().all() and out.frame["birth__lo"].isna().all()
    assert out.present == ()
    assert "soon" not in repr(out)


def test_duplicate_ids_in_a_list_are_refused() -> None:
    rows = [{"record_id": "7", "list": "A", "full_name": "김지현"}] * 2
    with pytest.raises(InputError, match="appears twice in list 'A'"):
        _features(rows)


def test_date_bounds_known_answers() -> None:
    spring = date_bounds(parse_fuzzy_date("2010년 봄").value)
    assert spring["lo"] == dt.date(2010, 3, 1).toordinal()
    assert spring["hi"] == dt.date(2010, 5, 31).toordinal()
    assert spring["year"] == 2010 and spring["years"] == [2010]
    assert spring["day"] is None  # a season names no one day
    one_day = date_bounds(parse_fuzzy_date("1985-03-05").value)
    assert one_day["day"] == one_day["lo"] == one_day["hi"] == dt.date(1985, 3, 5).toordinal()
    about = date_bounds(parse_fuzzy_date("about 1985").value)
    assert about["year"] is None and about["years"] == [1984, 1985, 1986]
    decade = date_bounds(parse_fuzzy_date("1980s").value)
    assert decade["years"] is None
    before = date_bounds(parse_fuzzy_date("before 2010").value)
    assert before["lo"] == dt.date.min.toordinal() and before["years"] is None
    assert date_bounds(None) == dict.fromkeys(("lo", "hi", "day", "year", "years"))


_IDS = sorted(gazetteer())


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_IDS), st.sampled_from(_IDS))
def test_place_chain_levels_agree_with_place_distance(a: str, b: str) -> None:
    ca, cb = place_chain(a), place_chain(b)
    relation = place_distance(a, b).relation
    if a == b:
        expected = "same_place"
    else:
        common = [lv for lv in ("county", "prefecture", "province") if ca[lv] and ca[lv] == cb[lv]]
        expected = f"same_{common[0]}" if common else None
    if expected is None:
        assert relation in ("same_country", "different_country")
        assert (relation == "same_country") == (ca["country"] == cb["country"])
    else:
        assert relation == expected


def test_default_blocking_pairs_a_name_with_an_alias_both_ways() -> None:
    # The married or Chinese name a second list holds may be only an alias in the first.
    assert Rule(on=("name.all",)) in default_spec().blocking
    f = _features(
        [
            {"record_id": "1", "list": "A", "full_name": "김지현", "aliases": "王美兰"},
            {"record_id": "2", "list": "B", "full_name": "王美兰"},
            {"record_id": "3", "list": "C", "full_name": "박미옥", "aliases": "Kim Ji-hyeon"},
        ]
    )
    assert set(f["name__all"][0]) & set(f["name__all"][1])
    assert set(f["name__all"][0]) & set(f["name__all"][2])


def test_a_child_carries_its_mothers_names_from_the_same_list() -> None:
    frame = build_features(
        pd.DataFrame(
            [
                {"record_id": "m1", "list": "A", "full_name": "김순희", "mother_record_id": ""},
                {
                    "record_id": "c1",
                    "list": "A",
                    "full_name": "Wang Feng",
                    "mother_record_id": "m1",
                },
                {"record_id": "c2", "list": "A", "full_name": "Li Mei", "mother_record_id": "zz"},
                {
                    "record_id": "m1",
                    "list": "B",
                    "full_name": "Kim Sun-hui",
                    "mother_record_id": "",
                },
                {
                    "record_id": "c1",
                    "list": "B",
                    "full_name": "Wang Feng",
                    "mother_record_id": "m1",
                },
            ]
        ),
        default_spec(),
    )
    f = frame.frame
    assert f["mother__hangul"][1] == f["name__hangul"][0]
    assert set(f["mother__keys"][1]) & set(f["mother__keys"][4])  # both mothers are 김순희
    assert f["mother__keys"][0] is None and f["mother__keys"][2] is None
    assert frame.unreadable["mother"] == 1  # c2 names no record of list A


def test_names_parsed_in_worker_processes_give_the_same_features(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linkagekit import person_lists

    import unseen.linkage.features as features

    table, _truth = person_lists(3, 120)
    serial = build_features(table, default_spec()).frame
    monkeypatch.setattr(features, "_PARALLEL_NAMES", 10)  # spawn workers even for few names
    parallel = build_features(table, default_spec(), workers=2).frame
    pd.testing.assert_frame_equal(serial, parallel)


def test_a_country_word_before_a_place_is_read_past() -> None:
    # Chinese police records write the DPRK first: 朝鲜 + province + county.
    places = ["朝鲜咸镜北道", "함경북도", "朝鲜两江道惠山市", "朝鲜"]
    f = _features(
        [
            {"record_id": str(i), "list": "A", "full_name": "김순희", "origin_place": p}
            for i, p in enumerate(places)
        ]
    )
    assert f["origin__id"][0] == f["origin__id"][1] == "KP-09"
    assert f["origin__province"][2] == "KP-10" and f["origin__id"][2] != "KP-10"
    assert f["origin__id"][3].startswith("?")


def test_a_given_name_written_first_with_a_space_is_read_in_order() -> None:
    f = _features(
        [
            {"record_id": "1", "list": "A", "full_name": "Seon hwa Sin"},
            {"record_id": "2", "list": "B", "family_name": "Sin", "given_name": "Seon-hwa"},
            {"record_id": "3", "list": "B", "full_name": "Sin Seon Hwa"},
        ]
    )
    assert f["name__key"][0] == f["name__key"][1] == f["name__key"][2]
    assert set(f["name__hangul"][0]) & set(f["name__hangul"][1])


def test_the_act_a_record_documents_is_compared() -> None:
    f = _features(
        [
            {
                "record_id": "1",
                "list": "A",
                "full_name": "김순희",
                "event_date": "2010-03",
                "event_place": "延吉市",
            }
        ]
    )
    assert f["event__lo"][0] == dt.date(2010, 3, 1).toordinal()
    assert f["event_place__prefecture"][0] is not None


@pytest.mark.parametrize(
    "notes",
    [
        "Name changed to protect her identity.",
        "Name changed to protect his identity.",
        "가명 사용.",
        "化名。",
        "A PSEUDONYM",
    ],
)
def test_a_name_the_notes_call_made_up_is_unknown(notes: str) -> None:
    f = _features(
        [
            {"record_id": "1", "list": "A", "full_name": "김지현", "notes": notes},
            {"record_id": "2", "list": "A", "full_name": "김지현", "notes": "Dates from memory."},
            {
                "record_id": "3",
                "list": "A",
                "full_name": "김지현",
                "aliases": "박미옥",
                "notes": notes,
            },
        ]
    )
    assert f["name__all"][0] is None and f["name__key"][0] is None
    assert f["name__key"][1] is not None
    # an alias stays (it may be the person's own name), and the made-up name is gone
    assert (
        f["name__key"][2]
        == build_features(
            pd.DataFrame([{"record_id": "9", "list": "A", "full_name": "박미옥"}]), default_spec()
        ).frame["name__key"][0]
    )


def test_a_pseudonym_pairs_by_sex_and_birth_year() -> None:
    """A media pseudonym shares nothing with the person's name; with the same birth year and
    sex the two records are still a candidate pair, and strangers of another year are not."""
    rows = [
        {
            "record_id": "1",
            "list": "media",
            "full_name": "Chu Kum-sun",
            "sex": "F",
            "birth_date": "1977",
            "origin_place": "North Hamgyong Province",
            "notes": "Name changed to protect her identity.",
        },
        {
            "record_id": "2",
            "list": "ngo",
            "full_name": "림협옥",
            "sex": "F",
            "birth_date": "1977-03-02",
            "origin_place": "함경북도",
        },
        {
            "record_id": "3",
            "list": "ngo",
            "full_name": "박영희",
            "sex": "F",
            "birth_date": "1990-01-01",
        },
        {
            "record_id": "4",
            "list": "ngo",
            "full_name": "박순자",
            "sex": "M",
            "birth_date": "1977-05-05",
        },
    ]
    result = link(pd.DataFrame(rows), options=EngineOptions(threads=1, keep_candidates=True))
    cands = result.stats["candidates"]
    pairs = set(zip(cands["uid_l"], cands["uid_r"], strict=True))
    assert (0, 1) in pairs
    assert (0, 2) not in pairs and (0, 3) not in pairs
