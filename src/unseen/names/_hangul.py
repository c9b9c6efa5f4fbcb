"""Hangul syllable arithmetic (Unicode 3.12 composition) and the North/South initial-sound rule.

Plain arithmetic on code points is exact for the 11,172 precomposed syllables, so no jamo
library is needed here.
"""

from __future__ import annotations

import unicodedata

SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
_N_VOWELS = 21
_N_FINALS = 28
_PER_INITIAL = _N_VOWELS * _N_FINALS  # 588

# Jamo indices used below, named for readability.
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"

I_NIEUN = INITIALS.index("ㄴ")
I_RIEUL = INITIALS.index("ㄹ")
I_IEUNG = INITIALS.index("ㅇ")

# Vowels before which the initial-sound rule drops ㄹ/ㄴ entirely (ㅣ and the y-vowels).
_IOTIC = frozenset(VOWELS.index(v) for v in "ㅑㅒㅕㅖㅛㅠㅣ")


def is_syllable(ch: str) -> bool:
    return len(ch) == 1 and SYLLABLE_FIRST <= ord(ch) <= SYLLABLE_LAST


def is_hangul_text(text: str) -> bool:
    """True when ``text`` has at least one Hangul syllable and no Latin or Han letters."""
    has = False
    for ch in text:
        if is_syllable(ch):
            has = True
        elif ch.isalpha():
            return False
    return has


def decompose(ch: str) -> tuple[int, int, int]:
    """(initial, vowel, final) indices of one precomposed syllable."""
    idx = ord(ch) - SYLLABLE_FIRST
    return idx // _PER_INITIAL, (idx % _PER_INITIAL) // _N_FINALS, idx % _N_FINALS


def compose(initial: int, vowel: int, final: int = 0) -> str:
    return chr(SYLLABLE_FIRST + initial * _PER_INITIAL + vowel * _N_FINALS + final)


def syllables(text: str) -> tuple[str, ...]:
    """The precomposed syllables of ``text`` (after NFC), other characters dropped."""
    return tuple(ch for ch in unicodedata.normalize("NFC", text) if is_syllable(ch))


def to_south(syllable: str) -> str:
    """Apply the South Korean initial-sound rule (두음법칙) to a word-initial syllable.

    리→이, 류→유, 림→임, 량→양, 녀→여 (ㄹ/ㄴ before ㅣ or a y-vowel is dropped);
    로→노, 라→나, 룡→용 follows from the first rule (ㄹ before other vowels becomes ㄴ).
    """
    if not is_syllable(syllable):
        return syllable
    i, v, f = decompose(syllable)
    if i == I_RIEUL:
        return compose(I_IEUNG if v in _IOTIC else I_NIEUN, v, f)
    if i == I_NIEUN and v in _IOTIC:
        return compose(I_IEUNG, v, f)
    return syllable


def north_candidates(syllable: str) -> tuple[str, ...]:
    """Word-initial syllables the North may write for a South Korean spelling.

    The rule is not reversible from sound alone (이 may be 李 리 or 伊 이), so this
    lists every form whose South spelling is ``syllable``, the given one first.
    """
    if not is_syllable(syllable):
        return (syllable,)
    i, v, f = decompose(syllable)
    out = [syllable]
    if i == I_IEUNG and v in _IOTIC:
        out += [compose(I_RIEUL, v, f), compose(I_NIEUN, v, f)]
    elif i == I_NIEUN and v not in _IOTIC:
        out.append(compose(I_RIEUL, v, f))
    return tuple(out)


def fold_initial_sound(word: str) -> str:
    """South spelling of a word: the rule applied to its first syllable only."""
    if not word:
        return word
    return to_south(word[0]) + word[1:]
