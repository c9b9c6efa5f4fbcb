"""Known answers for each romanisation system, a full check of MR syllables against ko-pron,
and properties over arbitrary Hangul."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ko_pron import romanise

from unseen.errors import ValueNotUnderstood
from unseen.names import SYSTEMS, romanization_variants, romanize
from unseen.names._romanize import mr_syllable

# Made-up names built from common syllables.
KNOWN = [
    ("김순희", "rr", "Kim Sun-hui"),
    ("김순희", "mr", "Kim Sun-hŭi"),
    ("김선희", "mr", "Kim Sŏn-hŭi"),
    ("김선희", "mr_plain", "Kim Son-hui"),
    ("김선희", "dprk", "Kim Son Hui"),
    ("김순희", "passport", "Kim Soon-hee"),
    ("리순자", "dprk", "Ri Sun Ja"),
    ("이순자", "dprk", "Ri Sun Ja"),
    ("이순자", "passport", "Lee Soon-ja"),
    ("리순자", "passport", "Lee Soon-ja"),
    ("이순자", "mr", "Yi Sun-ja"),
    ("리순자", "rr", "Ri Sun-ja"),
    ("이순자", "rr", "Lee Sun-ja"),
    ("박숙자", "mr", "Pak Suk-cha"),
    ("박숙자", "passport", "Park Sook-ja"),
    ("박영철", "rr", "Park Yeong-cheol"),
    ("박영철", "mr", "Pak Yŏng-ch'ŏl"),
    ("박영철", "mr_plain", "Pak Yong-chol"),
    ("박영철", "dprk", "Pak Yong Chol"),
    ("박영철", "passport", "Park Young-chul"),
    ("최정숙", "mr", "Ch'oe Chŏng-suk"),
    ("최정숙", "dprk", "Choe Jong Suk"),
    ("최정숙", "passport", "Choi Jung-sook"),
    ("정은경", "dprk", "Jong Un Kyong"),
    ("정은경", "mr", "Chŏng Ŭn-gyŏng"),
    ("정은경", "passport", "Jung Eun-kyung"),
    ("남궁민수", "rr", "Namgung Min-su"),
    ("남궁민수", "mr", "Namgung Min-su"),
    ("황보혜련", "dprk", "Hwangbo Hye Ryon"),
    ("림향미", "passport", "Lim Hyang-mi"),
    ("로광일", "passport", "Noh Kwang-il"),
    ("량숙자", "passport", "Yang Sook-ja"),
    ("류련화", "passport", "Ryu Yeon-hwa"),
    ("조명철", "mr", "Cho Myŏng-ch'ŏl"),
    ("선우진", "passport", "Sunwoo Jin"),
    ("김 순희", "rr", "Kim Sun-hui"),
]


@pytest.mark.parametrize(("hangul", "system", "expected"), KNOWN)
def test_known_answers(hangul: str, system: str, expected: str) -> None:
    assert romanize(hangul, system) == expected


def test_options() -> None:
    assert romanize("김순희", "rr", hyphen=False) == "Kim Sunhui"
    assert romanize("김순희", "rr", family_first=False) == "Sun-hui Kim"
    assert romanize("김순희", "rr", family_style="strict") == "Gim Sun-hui"
    assert romanize("이순자", "rr", family_style="strict") == "I Sun-ja"
    assert romanize("박영철", "passport", hyphen=False) == "Park Youngchul"


def test_passport_variants_cover_common_spellings() -> None:
    variants = set(romanization_variants("이순자", "passport"))
    assert {"Lee Soon-ja", "Yi Sun-ja", "Rhee Soonja", "Lee Sunja"} <= variants
    assert romanization_variants("박영철", "passport")[0] == "Park Young-chul"
    assert "Pak Yeong-cheol" in romanization_variants("박영철", "passport")


def test_every_syllable_agrees_with_ko_pron_mr() -> None:
    bad = [
        chr(cp) for cp in range(0xAC00, 0xD7A4) if mr_syllable(chr(cp)) != romanise(chr(cp), "mr")
    ]
    assert bad == []


def test_unknown_system() -> None:
    with pytest.raises(ValueNotUnderstood, match="rr, mr"):
        romanize("김순희", "wade-giles")


hangul_text = st.text(
    alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=0, max_size=6
)


@settings(max_examples=200, deadline=None)
@given(hangul_text, st.sampled_from(SYSTEMS), st.booleans(), st.booleans())
def test_never_raises_and_is_ascii_or_mr(text: str, system: str, hyphen: bool, ff: bool) -> None:
    out = romanize(text, system, hyphen=hyphen, family_first=ff)
    assert isinstance(out, str)
    if text:
        assert out.strip()
    if system != "mr":
        assert out.isascii()
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in out)
