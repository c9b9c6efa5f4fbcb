"""Keys across romanisation systems: regressions found by enumerating every surname of the table
with every pair of given-name syllables (and samples of all 11,172 syllables), a property over
arbitrary syllables, and the classes where one Latin spelling stands for two Hangul names, which
no key can tell apart (docs/names-and-places.md, "Keys and blind-index tokens")."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from unseen.names import SYSTEMS, mandarin_reading, name_key, romanize
from unseen.names._hangul import FINALS, I_IEUNG, SYLLABLE_FIRST, SYLLABLE_LAST, VOWELS, decompose
from unseen.names._parse import _looks_like_pinyin, latin_surnames
from unseen.names._split import split_hangul
from unseen.names._tables import surnames

# Made-up names built from common syllables; each stands for a class that failed before.
REGRESSIONS = [
    # A given syllable starting with ㅇ after a vowel: the systems run the vowels together
    # differently (RR Hye-eun, MR Hye-ŭn, DPRK Hye Un; RR Haeeun, MR Haeŭn).
    "김혜은",
    "김해은",
    "김세은",
    "김희은",  # passport Hee-eun against RR Huieun
    "김수일",  # passport Soo-il against RR Suil
    "김우인",  # passport Woo-in
    "김혜우",  # passport Hye-woo against RR Hyeu
    "김효우",  # passport Hyo-woo against RR Hyou
    # A Latin surname that sounds exactly like one of the surnames it can spell means that one:
    # RR Gi is 기 (not the passport variant Gi of 지), MR Che is 제 (not the variant Che of 최).
    "기순희",
    "제순희",
    "제혜은",
    # A two-syllable surname first is never a given name, even before a surname-like given name.
    "독고진",
    "서문국",
    "동방성",
    # A final t before ㅈ/ㅊ: MR's tch (ㅉ) swallows it (RR Matja, MR Mat-cha).
    "김맏자",
]
# Vowels meeting across syllables that already kept their key and must go on doing so.
GUARDS = ["김하은", "김희옥", "김지은", "김주은", "김미애", "김서아", "김소이", "김유이", "박순이"]


@pytest.mark.parametrize("name", REGRESSIONS + GUARDS)
@pytest.mark.parametrize("system", SYSTEMS)
@pytest.mark.parametrize("hyphen", [True, False])
def test_regressions_keep_the_key(name: str, system: str, hyphen: bool) -> None:
    assert name_key(romanize(name, system, hyphen=hyphen)) == name_key(name)


def test_the_reported_counterexamples() -> None:
    assert romanize("김혜은", "mr") == "Kim Hye-ŭn"
    assert romanize("김해은", "mr", hyphen=False) == "Kim Haeŭn"
    for text in (
        "Kim Hye-ŭn",
        "Kim Hyeŭn",
        "Kim Hye-eun",
        "Kim Hyeeun",
        "Kim Hye Un",
        "HYE-UN KIM",
    ):
        assert name_key(text) == name_key("김혜은") == "kim_hYn"
    for text in ("Kim Hae-ŭn", "Kim Haeŭn", "Kim Haeeun", "Kim Hae Un", "Kim Haeun"):
        assert name_key(text) == name_key("김해은") == "kim_haon"


def test_hand_written_vowel_clusters() -> None:
    assert name_key("Kim Sooil") == name_key("김수일")
    assert name_key("Kim Heeeun") == name_key("김희은")
    assert name_key("Kim Miae") == name_key("김미애")
    assert name_key("Kim Heeok") == name_key("김희옥") != name_key("김허옥")


def test_family_keys_do_not_merge_choi_and_ji() -> None:
    # The junction rules (o before i is absorbed: passport Hoo-i is RR Hui) are for given
    # names; a surname has no such junction, so Choi keeps a key of its own.
    assert name_key("Choi Sun-hui") == name_key("최순희") != name_key("지순희")
    assert name_key("Ji Sun-hui") == name_key("지순희")


# One Latin string for two Hangul names: (name, system, other name, other system, whether the
# other is written family first). The property below excludes exactly these classes (and the
# two below); these tests show that each collision is real.
@pytest.mark.parametrize(
    ("a", "sys_a", "b", "sys_b", "b_family_first"),
    [
        # MR drops a final ㅎ and reads 밟 as 밥.
        ("김갛", "mr", "김가", "mr", True),
        ("김밟", "mr", "김밥", "mr", True),
        # Family first, or Western order: both ends are surnames, or a spaced name ends in one
        # of the three most common.
        ("채강", "dprk", "강채", "dprk", False),
        ("송순리", "dprk", "리송순", "dprk", False),
    ],
)
def test_ambiguous_classes_share_a_spelling(
    a: str, sys_a: str, b: str, sys_b: str, b_family_first: bool
) -> None:
    latin = romanize(a, sys_a, hyphen=False)
    assert latin == romanize(b, sys_b, hyphen=False, family_first=b_family_first)
    assert name_key(a) != name_key(b)


def test_he_before_eo_or_eu_is_two_names_at_once() -> None:
    # RR writes 헤은 Heeun, which is passport's 희언 (hee for 희, u for ㅓ); MR without marks
    # writes it Heun, which is RR's 흔. One key for 헤은 would make 희언 and 흔 one name, so
    # 헤은 keeps the key of 희언 and its MR, DPRK and passport spellings get that of 흔.
    assert romanize("김헤은", "rr", hyphen=False) == romanize("김희언", "passport", hyphen=False)
    assert romanize("김헤은", "mr_plain", hyphen=False) == romanize("김흔", "rr") == "Kim Heun"
    assert romanize("김헤어", "rr", hyphen=False) == romanize("김희오", "passport", hyphen=False)
    assert name_key("김헤은") == name_key("김희언") != name_key("김흔")


def test_pinyin_look_alike_is_read_as_mandarin() -> None:
    # DPRK Kong Jing (공징) is also how a PRC record writes 孔京 or 孔精.
    assert romanize("공징", "dprk") == "Kong Jing" == mandarin_reading("孔京")
    assert name_key("Kong Jing") != name_key("공징")


_FINAL_H = FINALS.index("ㅎ")
_EO_EU = (VOWELS.index("ㅓ"), VOWELS.index("ㅡ"))


def ambiguity(name: str, system: str, latin: str) -> str | None:
    """The truly ambiguous class that ``latin``, ``name`` in ``system``, is in, if any."""
    _family, giv = split_hangul(name)
    if system in ("mr", "mr_plain") and any(decompose(s)[2] == _FINAL_H or s == "밟" for s in giv):
        return "mr final"
    for a, b in zip(giv, giv[1:], strict=False):
        if a == "헤" and decompose(b)[0] == I_IEUNG and decompose(b)[1] in _EO_EU:
            return "hee"
    words = latin.split()
    if len(words) == 2 and latin_surnames(words[0]) and latin_surnames(words[-1]):
        return "order"  # Chae Kang: 채강, or 강채 written Western style
    if len(words) > 2 and any(e.rank <= 3 for e in latin_surnames(words[-1])):
        return "order"  # Song Sun Ri: 송순리, or 리송순 written like "Sun Hui Kim"
    if _looks_like_pinyin(latin):
        return "pinyin"
    return None


ALL_SYLLABLES = [chr(c) for c in range(SYLLABLE_FIRST, SYLLABLE_LAST + 1)]
ALL_FAMILIES = sorted({f for s in surnames() for f in (s.hangul, *s.hangul_north)})


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(ALL_FAMILIES),
    st.lists(st.sampled_from(ALL_SYLLABLES), min_size=1, max_size=2),
    st.sampled_from(SYSTEMS),
    st.booleans(),
)
def test_any_syllables_keep_the_key_outside_the_ambiguous_classes(
    family: str, syllables: list[str], system: str, hyphen: bool
) -> None:
    name = family + "".join(syllables)
    latin = romanize(name, system, hyphen=hyphen)
    assume(ambiguity(name, system, latin) is None)
    assert name_key(latin) == name_key(name)
