"""Typing slips on the two-set (dubeolsik) Korean keyboard, the layout Korean is typed on.

A slip is one key next to the intended one: a syllable's initial consonant for a consonant
beside it, or its vowel for a vowel beside it. Two names one slip apart are far likelier one
name mistyped than two different names that happen to be one letter apart, since most pairs
of real given names one letter apart differ by keys that are not neighbours.
"""

from __future__ import annotations

from unseen.names._hangul import INITIALS, VOWELS, compose, decompose, is_syllable

__all__ = ["JAMO_NEIGHBOURS", "hangul_slips"]

# Key rows, left to right: consonants on the left hand, vowels on the right.
_ROWS = ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ")


def _neighbours() -> dict[str, str]:
    near: dict[str, str] = {}
    for row in _ROWS:
        for i, ch in enumerate(row):
            beside = row[max(0, i - 1) : i] + row[i + 1 : i + 2]
            # A consonant slips to a consonant and a vowel to a vowel (ㅅ|ㅛ is a hand change).
            near[ch] = "".join(c for c in beside if (c in INITIALS) == (ch in INITIALS))
    return near


#: Each jamo on the keyboard -> the jamo of the same kind on the keys beside it.
JAMO_NEIGHBOURS: dict[str, str] = _neighbours()


def hangul_slips(text: str, start: int = 0) -> tuple[str, ...]:
    """Every text one slip away from ``text``, slipping only at characters from ``start`` on
    (a given name after its family name). Neighbours are symmetric, so two texts are one slip
    apart exactly when each is among the other's slips."""
    out: list[str] = []
    for i in range(start, len(text)):
        ch = text[i]
        if not is_syllable(ch):
            continue
        ini, vow, fin = decompose(ch)
        for k in JAMO_NEIGHBOURS.get(INITIALS[ini], ""):
            out.append(text[:i] + compose(INITIALS.index(k), vow, fin) + text[i + 1 :])
        for k in JAMO_NEIGHBOURS.get(VOWELS[vow], ""):
            out.append(text[:i] + compose(ini, VOWELS.index(k), fin) + text[i + 1 :])
    return tuple(dict.fromkeys(out))
