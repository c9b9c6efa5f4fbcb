"""Parsing names in every script and order; keys and blind-index tokens."""

from __future__ import annotations

import pytest

import unseen.names as names
from unseen.errors import ValueNotUnderstood
from unseen.names import mandarin_reading, name_key, name_tokens, parse_name

ONE_PERSON = [
    "리순자",
    "Ri Sun Ja",
    "Lee Soon-ja",
    "Yi Sunja",
    "이순자",
    "李順子",
    "李顺子",
    "Li Shunzi",
    "SOONJA LEE",
    "Rhee, Soon Ja",
    "Ri Sun-ja",
]


def test_exports_match_all() -> None:
    public = {n for n in vars(names) if not n.startswith("_")} - {"annotations"}
    assert public == set(names.__all__)


@pytest.mark.parametrize("text", ONE_PERSON)
def test_one_key_for_every_spelling(text: str) -> None:
    assert name_key(text) == name_key("리순자") == "i_sonca"


@pytest.mark.parametrize("text", ONE_PERSON)
def test_tokens_share_the_full_key(text: str) -> None:
    assert "n:i_sonca" in name_tokens(text)


def test_tokens_are_prefixed_sorted_and_unique() -> None:
    tokens = name_tokens("Choi Jung-sook")
    assert list(tokens) == sorted(set(tokens))
    assert {"f:cW", "g:conksok", "n:cW_conksok"} <= set(tokens)
    assert "f:ce" in tokens  # Choi is also a spelling of 채
    assert name_tokens("") == ()


@pytest.mark.parametrize(
    ("text", "family", "given", "hangul"),
    [
        ("김순희", "김", "순희", "김순희"),
        ("김 순희", "김", "순희", "김순희"),
        ("남궁민수", "남궁", "민수", "남궁민수"),
        ("황보혜련", "황보", "혜련", "황보혜련"),
        ("제갈영호", "제갈", "영호", "제갈영호"),
        ("선우진주", "선우", "진주", "선우진주"),
        ("독고설화", "독고", "설화", "독고설화"),
        ("선 우진", "선", "우진", "선우진"),
        ("순희 김", "김", "순희", "김순희"),
    ],
)
def test_hangul_split(text: str, family: str, given: str, hangul: str) -> None:
    p = parse_name(text)
    assert (p.script, p.family, p.given, p.hangul) == ("hangul", family, given, hangul)


@pytest.mark.parametrize(
    ("text", "family", "given"),
    [
        ("Kim Sun-hui", "Kim", "Sun-hui"),
        ("SUN-HUI KIM", "Kim", "Sun-hui"),
        ("Kim, Sun Hui", "Kim", "Sun Hui"),
        ("Sun Hui Kim", "Kim", "Sun Hui"),
        ("Seon hwa Sin", "Sin", "Seon Hwa"),  # the lower-case syllable binds to the word before
        ("Sin Seon hwa", "Sin", "Seon Hwa"),
        ("Kyong Hui Choe", "Choe", "Kyong Hui"),  # a rare first surname yields to a common last
        ("Jong Un Kyong", "Jong", "Un Kyong"),
        ("Ri Sun Hui", "Ri", "Sun Hui"),
        ("Sun-hui KIM", "Kim", "Sun-hui"),
        ("Kimsunhui", "Kim", "Sunhui"),
        ("Namkoong Min-soo", "Namkoong", "Min-soo"),
        ("Min-soo Namkoong", "Namkoong", "Min-soo"),
        ("Sunwoo Jin-joo", "Sunwoo", "Jin-joo"),
        ("Kim", "Kim", ""),
    ],
)
def test_latin_split_in_either_order(text: str, family: str, given: str) -> None:
    p = parse_name(text)
    assert (p.script, p.family, p.given) == ("latin", family, given)


@pytest.mark.parametrize(
    ("text", "hangul", "romanized"),
    [
        ("Lee Soon-ja", "이순자", "Lee Sun-ja"),
        ("Pak Yong Chol", "박영철", "Park Yeong-cheol"),
        ("Choi Jung-sook", "최정숙", "Choi Jeong-suk"),
        ("Jong Un Kyong", "정은경", "Jeong Eun-gyeong"),
        ("Kim Soon-hee", "김순희", "Kim Sun-hui"),
        ("Namkoong Min-soo", "남궁민수", "Namgung Min-su"),
        ("Li Shunzi", "이순자", "Lee Sun-ja"),
        ("Piao Yingyu", "박영옥", "Park Yeong-ok"),
    ],
)
def test_latin_best_hangul(text: str, hangul: str, romanized: str) -> None:
    p = parse_name(text)
    assert p.hangul == hangul
    assert p.romanized == romanized


def test_latin_keeps_alternatives() -> None:
    p = parse_name("Kim Sun-hui")
    assert p.hangul == "김순희"
    assert "김선희" in p.hangul_alternatives  # Sun is also the passport spelling of 선


def test_initial_sound_variants() -> None:
    assert "이순자" in parse_name("리순자").variants
    assert "리순자" in parse_name("이순자").variants
    assert "유연화" in parse_name("류련화").variants
    assert "노광혁" in parse_name("로광혁").variants
    assert "임향미" in parse_name("림향미").variants
    assert "양숙자" in parse_name("량숙자").variants
    assert "나영희" in parse_name("라영희").variants
    assert parse_name("김순희").variants == ()


def test_medial_north_south_syllables_of_the_syllable_table() -> None:
    # 련/연, 룡/용, 란/난 are spelled apart inside a given name too (korean_given_name_syllables)
    assert "김명연" in parse_name("김명련").variants
    assert "리진련" in parse_name("이진연").variants
    assert "박창용" in parse_name("박창룡").variants
    assert "리미난" in parse_name("리미란").variants
    assert "최주연" not in parse_name("최주원").variants  # 원 is no such syllable


def test_hanja_reading_and_mandarin() -> None:
    p = parse_name("李順子")
    assert (p.script, p.hangul, p.mandarin, p.family, p.given) == (
        "han",
        "이순자",
        "Li Shunzi",
        "李",
        "順子",
    )
    assert parse_name("柳蓮花").hangul == "유연화"
    assert "류련화" in parse_name("柳蓮花").variants


@pytest.mark.parametrize(
    ("hanja", "pinyin"),
    [
        ("朴英玉", "Piao Yingyu"),
        ("崔明花", "Cui Minghua"),
        ("金順姬", "Jin Shunji"),
        ("李顺子", "Li Shunzi"),
        ("南宮民秀", "Nangong Minxiu"),
        ("鄭順玉", "Zheng Shunyu"),
        ("郑顺玉", "Zheng Shunyu"),
        ("裵明花", "Pei Minghua"),
        ("曺光日", "Cao Guangri"),
    ],
)
def test_mandarin_reading_uses_the_surname_table(hanja: str, pinyin: str) -> None:
    assert mandarin_reading(hanja) == pinyin


def test_unknown_characters_still_get_a_mandarin_key() -> None:
    p = parse_name("王建国")  # a made-up Chinese name; 建 and 国-as-given are not in our tables
    assert p.hangul is None
    assert p.mandarin == "Wang Jianguo"
    assert p.key == name_key("Wang Jianguo")


def test_repr_hides_identity() -> None:
    text = repr(parse_name("김순희"))
    assert "김" not in text and "Kim" not in text and "sonhi" not in text


@pytest.mark.parametrize("text", ["", "   ", "123", "--"])
def test_no_letters(text: str) -> None:
    with pytest.raises(ValueNotUnderstood, match="Hangul"):
        parse_name(text)
    assert name_key(text) == ""
