"""Split a Hangul name into family and given name with the surname table."""

from __future__ import annotations

import unicodedata

from unseen.names._hangul import is_syllable
from unseen.names._tables import surnames_by_hangul

# Two-syllable surnames. Unspaced, they win whenever a given name of one syllable or more is left
# (남궁민 is 남궁 + 민); a space ("선 우진") overrides that.
TWO_SYLLABLE = frozenset(("남궁", "황보", "제갈", "선우", "독고", "서문", "동방", "사공"))


def split_hangul(text: str) -> tuple[str, tuple[str, ...]]:
    """(family, given syllables) of a Hangul name; a space or a comma forces the split.

    Without a separator the first two syllables are the family name when they form a known
    two-syllable surname and at least one syllable remains; otherwise the first syllable is.
    """
    text = unicodedata.normalize("NFC", text).strip()
    for sep in (",", " ", "\u00b7", "·"):
        if sep in text:
            head, _, tail = text.partition(sep)
            fam = "".join(ch for ch in head if is_syllable(ch))
            giv = tuple(ch for ch in tail if is_syllable(ch))
            if fam and giv:
                return fam, giv
    syl = [ch for ch in text if is_syllable(ch)]
    if not syl:
        return "", ()
    if len(syl) >= 3 and "".join(syl[:2]) in TWO_SYLLABLE:
        return "".join(syl[:2]), tuple(syl[2:])
    return syl[0], tuple(syl[1:])


def is_known_surname(hangul: str) -> bool:
    return hangul in surnames_by_hangul()
