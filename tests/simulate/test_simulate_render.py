"""Known answers for the renderers of dates, places, names and typing slips."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.domain.dates import parse_fuzzy_date
from unseen.names import decompose_syllable as decompose
from unseen.simulate import Simulation
from unseen.simulate._render_names import NameRenderer, hyphenate
from unseen.simulate._render_text import (
    _QWERTY,
    render_birth,
    render_date,
    render_place,
    to_date,
    typo,
)
from unseen.simulate._settings import DATE_STYLES
from unseen.simulate._tables import given_names, korean_surnames, place_index

T = 2010 + 75 / 365  # 2010-03-17


@pytest.mark.parametrize(
    ("style", "u", "text"),
    [
        ("day", 0.0, "2010-03-17"),
        ("month", 0.0, "2010-03"),
        ("season", 0.0, "2010-21"),
        ("year", 0.0, "2010"),
        ("approx", 0.0, "2010~"),
        ("interval", 0.1, "2009/2010"),
        ("interval", 0.5, "2009/2011"),
        ("interval", 0.9, "2010/2011"),
        ("before", 0.9, "..2010"),
        ("decade", 0.0, "201X"),
        ("dotted", 0.0, "2010.3"),
        ("ko_season", 0.0, "2010년 봄"),
        ("ko_month", 0.0, "2010년 3월"),
        ("ko_about", 0.0, "2010년경"),
        ("en_season", 0.0, "spring 2010"),
        ("en_about", 0.0, "about 2010"),
    ],
)
def test_render_date_known_answers(style: str, u: float, text: str) -> None:
    assert to_date(T) == dt.date(2010, 3, 17)
    assert render_date(T, style, u) == text


def test_january_belongs_to_the_previous_winter() -> None:
    assert render_date(2011 + 10 / 365, "season", 0) == "2010-24"
    assert render_date(2011 + 10 / 365, "ko_season", 0) == "2010년 겨울"


@settings(max_examples=200, deadline=None)
@given(
    t=st.floats(1930, 2025.999),
    style=st.sampled_from(DATE_STYLES),
    u=st.floats(0, 0.999),
)
def test_every_rendered_date_parses_and_holds_the_truth(t: float, style: str, u: float) -> None:
    value = parse_fuzzy_date(render_date(t, style, u)).value
    truth = to_date(t)
    assert value.latest is not None and truth <= value.latest
    assert value.earliest is None or value.earliest <= truth


def test_birth_offsets() -> None:
    assert render_birth(T, 0, "day") == "2010-03-17"
    assert render_birth(T, -2, "year") == "2008"
    assert render_birth(T, 1, "ko_about") == "2011년경"
    assert render_birth(2000 + 59 / 366, 1, "day") == "2001-02-28"  # no 29 February 2001


def test_render_place_known_answers() -> None:
    longjing, hoeryong = place_index("222405"), place_index("회령시")
    assert render_place(longjing, "hangul_n", "county") == "룡정시"
    assert render_place(longjing, "hangul_s", "county") == "룽징시"
    assert render_place(longjing, "sino_s", "county") == "용정시"
    assert render_place(longjing, "hanzi", "prefecture") == "延边朝鲜族自治州"
    assert render_place(longjing, "gazetteer_id", "province") == "CN-220000"
    assert render_place(hoeryong, "hanzi", "county") == "朝鲜咸镜北道会宁市"
    assert render_place(hoeryong, "english", "province") == "North Hamgyong Province"
    assert render_place(hoeryong, "gazetteer_id", "county") == "KP-09-hoeryeong-si"
    assert render_place(-1, "english", "county") == ""


def _name(surname: str, given: str) -> tuple[int, int]:
    return korean_surnames().hangul_n.index(surname), given_names().hangul_n.index(given)


def test_korean_names_in_each_system() -> None:
    nr = NameRenderer()
    s, g = _name("리", "순희")
    assert nr.korean(s, g, "hangul", 0.0) == ("리", "순희")
    assert nr.korean(s, g, "hangul", 0.0, south=True) == ("이", "순희")
    assert nr.korean(s, g, "mr", 0.0) == ("Ri", "Sun-hŭi")
    assert nr.korean(s, g, "dprk", 0.0) == ("Ri", "Sun Hui")
    assert nr.korean(s, g, "passport", 0.0) == ("Lee", "Soon-hee")
    assert nr.korean(s, g, "rr", 0.0) == ("Lee", "Sun-hui")
    assert nr.korean_hanzi(s, g, simplify=False) == "李順姬"
    assert nr.korean_hanzi(s, g, simplify=True) == "李顺姬"
    assert nr.korean_pinyin(s, g) == ("Li", "Shunji")
    p, g2 = _name("박", "은별")  # 별 is a native word: no hanja
    assert nr.korean_hanzi(p, g2, simplify=True) == ""
    assert nr.korean_pinyin(p, g2) == ("", "")


def test_chinese_identity_scripts() -> None:
    nr = NameRenderer()
    s, g = _name("리", "순희")
    wang = 0  # 王 is first in chinese_surnames.csv
    assert nr.chinese(wang, -1, -1, 1, (s, g), "hanzi") == ("王", "顺姬")
    assert nr.chinese(wang, -1, -1, 1, (s, g), "latin") == ("Wang", "Shunji")
    assert nr.chinese(wang, -1, -1, 1, (s, g), "hangul") == ("왕", "순희")
    assert nr.chinese(wang, 0, 1, 1, None, "hanzi") == ("王", "丽红")


def test_hyphen_drop() -> None:
    assert hyphenate("Sun-hui", 0.9, 0.5) == "Sun-hui"
    assert hyphenate("Sun-hui", 0.1, 0.5) == "Sunhui"
    assert hyphenate("Sun-hui", 0.4, 0.5) == "Sun hui"
    assert hyphenate("Sun Hui", 0.1, 0.5) == "Sun Hui"


# The two-set Korean keyboard's rows, written out here as the oracle.
_DUBEOLSIK = ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")


def _neighbours(a: str, b: str, rows: tuple[str, ...]) -> bool:
    for row in rows:
        if a in row and b in row:
            return abs(row.index(a) - row.index(b)) == 1
    return False


@settings(max_examples=200, deadline=None)
@given(
    text=st.sampled_from(["Kim Sun-hui", "Pak Chol Nam", "김순희", "리련화", "Ch'oe Ŭn-sun"]),
    u1=st.floats(0, 0.999),
    u2=st.floats(0, 0.999),
)
def test_a_typo_is_one_neighbouring_key(text: str, u1: float, u2: float) -> None:
    out = typo(text, u1, u2)
    diff = [(a, b) for a, b in zip(text, out, strict=True) if a != b]
    assert len(diff) == 1
    a, b = diff[0]
    if "가" <= a <= "힣":
        ja, jb = decompose(a), decompose(b)
        changed = [k for k in range(3) if ja[k] != jb[k]]
        assert len(changed) == 1 and changed[0] in (0, 1)
        ini = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
        vow = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
        table = ini if changed[0] == 0 else vow
        assert _neighbours(table[ja[changed[0]]], table[jb[changed[0]]], _DUBEOLSIK)
    else:
        assert _neighbours(a.lower(), b.lower(), _QWERTY)
        assert a.isupper() == b.isupper()


def test_rows_show_the_lists_habits(small: Simulation) -> None:
    rep = list(small.rows("repatriation"))
    assert any(r[6] and "\u4e00" <= r[6][0] <= "\u9fff" for r in rep)  # name_hanzi
    assert all(r[10].startswith("朝鲜") for r in rep if r[10])  # origin in Chinese
    interviews = list(small.rows("interviews"))
    hangul = [r for r in interviews if r[2] or r[4]]
    assert all("가" <= (r[2] or r[4])[0] <= "힣" for r in hangul)
    media = list(small.rows("media"))
    assert all((r[2] + r[4])[:1].isascii() for r in media)


def test_an_english_pseudonym_note_names_the_persons_sex(small: Simulation) -> None:
    media = list(small.rows("media"))
    # The note follows the person's sex even where the sex column is left blank.
    said = {(r[8], "her" if "protect her" in r[18] else "his") for r in media if "protect" in r[18]}
    assert {x for x in said if x[0]} == {("F", "her"), ("M", "his")}
