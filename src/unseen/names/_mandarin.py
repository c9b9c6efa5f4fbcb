"""Mandarin readings of Korean names, and the bridge back from Mandarin to Korean.

Chinese authorities write a Korean name in characters and read it in Mandarin: 李順子 is
李顺子, Li Shunzi. Surnames take their reading from the surname table (pypinyin reads 朴 as
"pu"; Chinese usage for the Korean surname is Piao); given-name characters use pypinyin.

The bridge goes the other way, from Mandarin syllables to the Korean readings of the
characters that have them, only for the characters in our tables (surnames, the given-name
syllable table and the curated given-name list). It is a many-to-many map: "zi" is 子 자 but
also 姿 자 and 慈 자; "shun" is 順 순 or 舜 순; "jin" is 金 김, 晋 진 or 珍 진.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Mapping

from pypinyin import Style, lazy_pinyin

from unseen.names._fold import plain_latin
from unseen.names._hangul import to_south
from unseen.names._tables import given_hanja, surnames_by_hanja

_TWO_CHAR_MAX = 2


def is_han(ch: str) -> bool:
    return len(ch) == 1 and (
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
    )


def split_han(text: str) -> tuple[str, str]:
    """(family, given) of a name in characters; two-character surnames (南宮, 諸葛) first."""
    chars = "".join(ch for ch in unicodedata.normalize("NFC", text) if is_han(ch))
    if " " in text.strip():
        head, _, tail = text.strip().partition(" ")
        fam = "".join(ch for ch in head if is_han(ch))
        giv = "".join(ch for ch in tail if is_han(ch))
        if fam and giv:
            return fam, giv
    index = surnames_by_hanja()
    if len(chars) >= 3 and chars[:_TWO_CHAR_MAX] in index:
        return chars[:_TWO_CHAR_MAX], chars[_TWO_CHAR_MAX:]
    return chars[:1], chars[1:]


@functools.lru_cache(maxsize=1 << 16)  # pure; name parts repeat across people
def _pinyin(chars: str) -> str:
    return "".join(lazy_pinyin(chars, style=Style.NORMAL, v_to_u=True, errors="ignore"))


def mandarin_reading(hanja: str) -> str:
    """Mandarin pinyin of a name in characters, as a PRC document writes it: ``Li Shunzi``.

    The surname follows the surname table (朴 Piao, 金 Jin, 崔 Cui); a character that is not
    a Korean surname is read by pypinyin.
    """
    family, given = split_han(hanja)
    if not family:
        return ""
    entry = surnames_by_hanja().get(family)
    fam = entry[2] if entry and entry[2] else _pinyin(family)
    giv = _pinyin(given)
    words = [w[:1].upper() + w[1:] for w in (fam, giv) if w]
    return " ".join(words)


def korean_reading(hanja: str) -> tuple[str, str, str] | None:
    """(family, given, South Hangul full name) read in Korean, or None if a character is unknown.

    The family name comes from the surname table, the given name from the given-name
    characters; the first given syllable gets the South initial-sound rule (蓮花 연화).
    """
    family, given = split_han(hanja)
    entry = surnames_by_hanja().get(family)
    if entry is None or not given:
        return None
    readings = given_hanja()
    syl = []
    for ch in given:
        r = readings.get(ch)
        if r is None:
            return None
        syl.append(r.reading)
    syl[0] = to_south(syl[0])
    fam = entry[0].hangul
    return fam, "".join(syl), fam + "".join(syl)


@functools.cache
def _pinyin_to_korean() -> Mapping[str, tuple[str, ...]]:
    """Toneless pinyin syllable -> Korean readings (South initial form and internal form)."""
    index: dict[str, list[str]] = {}
    for r in given_hanja().values():
        for py in r.pinyin.split("/"):
            index.setdefault(plain_latin(py), []).extend((r.reading, r.reading_south))
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


@functools.cache
def _pinyin_to_surname() -> Mapping[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for _form, (entry, _north, py) in surnames_by_hanja().items():
        if py:
            key = plain_latin(py)
            index.setdefault(key, []).append(entry.hangul)
    return {k: tuple(dict.fromkeys(v)) for k, v in index.items()}


def _segment(word: str, syllables: Mapping[str, tuple[str, ...]]) -> list[list[str]]:
    """Every way to cut ``word`` into syllables of the mapping (at most a few dozen)."""
    out: list[list[str]] = []

    def walk(pos: int, acc: list[str]) -> None:
        if len(out) >= 32:
            return
        if pos == len(word):
            out.append(list(acc))
            return
        for end in range(min(len(word), pos + 6), pos, -1):
            if word[pos:end] in syllables:
                walk(end, [*acc, word[pos:end]])

    walk(0, [])
    return out


def bridge_surnames(pinyin_family: str) -> tuple[str, ...]:
    """Korean surnames (South Hangul) whose characters read ``pinyin_family`` in Mandarin."""
    key = re.sub("[^a-z]", "", plain_latin(pinyin_family))
    return _pinyin_to_surname().get(key, ())


@functools.lru_cache(maxsize=1 << 16)  # pure; name parts repeat across people
def bridge_given(pinyin_given: str, *, limit: int = 16) -> tuple[str, ...]:
    """Korean given names (Hangul) whose characters read ``pinyin_given`` in Mandarin.

    "Shunzi" gives 순자; syllables with no known character give nothing.
    """
    word = re.sub("[^a-z]", "", plain_latin(pinyin_given))
    if not word:
        return ()
    table = _pinyin_to_korean()
    out: list[str] = []
    for cut in _segment(word, table):
        options = [table[s] for s in cut]
        for combo in itertools.islice(itertools.product(*options), limit):
            first = to_south(combo[0])
            out.append(first + "".join(combo[1:]))
    return tuple(dict.fromkeys(out))[:limit]
