"""Typing slips on the two-set Korean keyboard: known answers and invariants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.names import JAMO_NEIGHBOURS, decompose_syllable, hangul_slips
from unseen.simulate._render_text import typo

# The keyboard's rows, written out here as the oracle.
_ROWS = ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")
_SYLLABLES = st.integers(0xAC00, 0xD7A3).map(chr)
_NAMES = st.text(_SYLLABLES, min_size=2, max_size=4)


def test_known_slips() -> None:
    slips = hangul_slips("김명형", start=1)
    assert "김명향" in slips  # ㅕ -> ㅑ, the key to its right
    assert "김명평" not in slips  # ㅎ and ㅍ are in different rows
    assert "김영형" not in slips  # ㅁ and ㅇ have ㄴ between them
    assert "김녕형" in slips
    assert all(s.startswith("김") for s in slips)  # the family name is not slipped
    assert "김명형" not in slips
    assert hangul_slips("Kim", 0) == ()


def test_a_consonant_slips_only_to_a_consonant() -> None:
    # ㅅ sits beside ㅛ, but that is the other hand: no consonant becomes a vowel.
    assert JAMO_NEIGHBOURS["ㅅ"] == "ㄱ"
    assert JAMO_NEIGHBOURS["ㅛ"] == "ㅕ"
    assert JAMO_NEIGHBOURS["ㅁ"] == "ㄴ"


def _adjacent(a: str, b: str) -> bool:
    return any(a in r and b in r and abs(r.index(a) - r.index(b)) == 1 for r in _ROWS)


@settings(max_examples=200, deadline=None)
@given(text=_NAMES, start=st.integers(0, 2))
def test_slips_are_one_neighbouring_key_and_symmetric(text: str, start: int) -> None:
    ini = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
    vow = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
    for slip in hangul_slips(text, start):
        diff = [i for i, (a, b) in enumerate(zip(text, slip, strict=True)) if a != b]
        assert len(diff) == 1 and diff[0] >= start
        ja, jb = decompose_syllable(text[diff[0]]), decompose_syllable(slip[diff[0]])
        changed = [k for k in range(3) if ja[k] != jb[k]]
        assert len(changed) == 1 and changed[0] in (0, 1)
        table = ini if changed[0] == 0 else vow
        assert _adjacent(table[ja[changed[0]]], table[jb[changed[0]]])
        assert text in hangul_slips(slip, start)


@settings(max_examples=200, deadline=None)
@given(text=_NAMES, u1=st.floats(0, 0.999), u2=st.floats(0, 0.999))
def test_every_typo_the_simulator_makes_is_a_slip(text: str, u1: float, u2: float) -> None:
    out = typo(text, u1, u2)
    assert out == text or out in hangul_slips(text)
