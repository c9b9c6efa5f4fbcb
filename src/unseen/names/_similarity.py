"""How alike two names are, knowing how Korean names get spelled.

Spelling-system variants of one Hangul name score at least ``SAME_NAME_THRESHOLD``; different
Hangul names score below it even when some romanisation writes them alike, as long as one side
says which Hangul it is. Aliases are not considered here (the linkage layer compares every alias).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from unseen.names._fold import fold_family, fold_word
from unseen.names._hangul import decompose, is_syllable, to_south
from unseen.names._mandarin import bridge_given, bridge_surnames
from unseen.names._parse import ParsedName, latin_surnames, parse_name
from unseen.names._romanize import _mr_word
from unseen.names._spelling import hangul_candidates, spells
from unseen.names._tables import surnames_by_hangul

SAME_NAME_THRESHOLD = 0.9


@dataclass(frozen=True)
class NameSimilarity:
    """``score`` in [0, 1]; ``reason`` is a short English phrase that never quotes the names."""

    score: float
    reason: str

    @property
    def same(self) -> bool:
        return self.score >= SAME_NAME_THRESHOLD


@dataclass(frozen=True)
class _Part:
    score: float
    why: str


def _levenshtein(a: Sequence[object], b: Sequence[object]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _ratio(a: Sequence[object], b: Sequence[object]) -> float:
    if not a and not b:
        return 1.0
    return 1.0 - _levenshtein(a, b) / max(len(a), len(b))


def _jamo(word: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for ch in word:
        if is_syllable(ch):
            i, v, f = decompose(ch)
            out += [("i", i), ("v", v)] + ([("f", f)] if f else [])
        else:
            out.append(("x", ord(ch)))
    return out


def _south(word: str) -> str:
    return to_south(word[0]) + word[1:] if word else word


def _exact_hangul(p: ParsedName) -> bool:
    """The name's Hangul is known, not guessed (Hangul input, or Hanja read in Korean)."""
    return p.script != "latin" and p.hangul is not None


def _latin_of(p: ParsedName) -> ParsedName:
    """Hanja with no Korean reading is compared through its Mandarin reading."""
    if p.script == "han" and p.hangul is None and p.mandarin:
        return parse_name(p.mandarin)
    return p


def _family(p: ParsedName, q: ParsedName) -> _Part:
    if _exact_hangul(p) and _exact_hangul(q):
        a, b = p.family_hangul or "", q.family_hangul or ""
        if a == b:
            return _Part(1.0, "same")
        if _south(a) == _south(b) or _same_surname(a, b):
            return _Part(1.0, "north-south")
        return _Part(0.5 * _ratio(_jamo(a), _jamo(b)), "different")
    if _exact_hangul(q) and not _exact_hangul(p):
        p, q = q, p
    if _exact_hangul(p):
        h, latin = p.family_hangul or "", q.family
        wanted = {e.hangul for e in surnames_by_hangul().get(h, ())} | {_south(h)}
        if any(e.hangul in wanted for e in latin_surnames(latin)) or spells(latin, h):
            return _Part(1.0, "spelling")
        if _mandarin_surnames(q) & wanted:
            return _Part(0.95, "mandarin")
        if fold_family(latin) in {k for k in p.family_keys}:
            return _Part(0.9, "sound")
        return _Part(0.5 * _ratio(fold_family(latin), p.family_key), "different")
    a, b = p.family, q.family
    sa = {e.hangul for e in latin_surnames(a)} | _mandarin_surnames(p)
    sb = {e.hangul for e in latin_surnames(b)} | _mandarin_surnames(q)
    if sa & sb:
        return _Part(1.0, "spelling")
    if set(p.family_keys) & set(q.family_keys):
        return _Part(0.95, "sound")
    return _Part(0.5 * _ratio(fold_family(a), fold_family(b)), "different")


def _mandarin_surnames(p: ParsedName) -> set[str]:
    """Korean surnames a Latin family name reads as in Mandarin (Piao 박, Jin 김), but only when
    the given name reads as Mandarin too: "Yu" alone is a Korean spelling, not 魚's pinyin."""
    if not p.given or not bridge_given(p.given):
        return set()
    return set(bridge_surnames(p.family))


def _same_surname(a: str, b: str) -> bool:
    ea = {e.hangul for e in surnames_by_hangul().get(a, ())}
    eb = {e.hangul for e in surnames_by_hangul().get(b, ())}
    return bool(ea & eb)


# McCune-Reischauer's breves and aspiration apostrophes say exactly which vowel and consonant
# were meant (Sŏng is 성, not 송; Ch'un is 춘, not 준). A spelling that carries them is held to
# the MR of the Hangul instead of to every system's spelling.
_MR_MARKS = re.compile(r"[ŏŭ]|(?:ch|k|t|p)['\u2019\u02bc]", re.IGNORECASE)


def _squash(text: str) -> str:
    return re.sub(
        r"[\s\-]+",
        "",
        unicodedata.normalize("NFC", text).casefold().replace("\u2019", "'").replace("\u02bc", "'"),
    )


def _mr_forms(hangul: str) -> set[str]:
    return {_squash(_mr_word(h, hyphen=False)) for h in {hangul, _south(hangul)} if h}


def _given(p: ParsedName, q: ParsedName) -> _Part:
    if _exact_hangul(p) and _exact_hangul(q):
        a, b = _south(p.given_hangul or ""), _south(q.given_hangul or "")
        if (p.given_hangul or "") == (q.given_hangul or ""):
            return _Part(1.0, "same")
        if a == b:
            return _Part(1.0, "north-south")
        return _Part(0.8 * _ratio(_jamo(a), _jamo(b)), "different")
    if _exact_hangul(q) and not _exact_hangul(p):
        p, q = q, p
    if _exact_hangul(p):
        h = p.given_hangul or ""
        if _spelled(q.given, h):
            return _Part(1.0, "spelling")
        if {h, _south(h)} & set(bridge_given(q.given)):
            return _Part(0.95, "mandarin")
        if fold_word(q.given) == p.given_key:
            return _Part(0.85, "sound")
        return _Part(0.75 * _ratio(fold_word(q.given), p.given_key), "different")
    ka, kb = fold_word(p.given), fold_word(q.given)
    ca, cb = _latin_candidates(p.given), _latin_candidates(q.given)
    if ka == kb:
        if ca and cb and not ca & cb:
            return _Part(0.85, "sound")
        if bool(ca) != bool(cb) and fold_word(p.given, junctions=False) != fold_word(
            q.given, junctions=False
        ):
            # The key reads vowels that meet across syllables loosely (Se-eun and Sun share it).
            # When only one side has Hangul readings and the letters agree only that loosely,
            # the other side must spell one of those readings.
            known, other = (ca, q.given) if ca else (cb, p.given)
            if not any(_spelled(other, h) for h in known):
                return _Part(0.85, "sound")
        return _Part(1.0, "spelling")
    if ca & cb:
        return _Part(0.95, "spelling")
    ba, bb = set(bridge_given(p.given)), set(bridge_given(q.given))
    if (ba & (cb | bb)) or (bb & ca):
        return _Part(0.93, "mandarin")
    return _Part(0.75 * _ratio(ka, kb), "different")


def _spelled(latin: str, hangul: str) -> bool:
    """Is ``latin`` a spelling of ``hangul`` (exact MR when it carries MR's marks)?"""
    if _MR_MARKS.search(latin):
        return _squash(latin) in _mr_forms(hangul)
    return spells(latin, hangul)


def _latin_candidates(given: str) -> set[str]:
    found = set(hangul_candidates(given, limit=24))
    if _MR_MARKS.search(given):
        found = {h for h in found if _squash(given) in _mr_forms(h)}
    return found


_WHY = {
    "same": "same Hangul",
    "north-south": "same name in North and South Korean spelling (initial-sound rule)",
    "spelling": "spellings of the same Korean name in different romanisation systems",
    "mandarin": "Mandarin reading of the same Korean name",
    "sound": "sounds alike, but spelled unlike any common system",
}


def _combine(fam: _Part, giv: _Part | None) -> NameSimilarity:
    if giv is None:
        score = 0.5 * fam.score
        why = "family name only on one side" if fam.score >= 0.9 else "different family names"
        return NameSimilarity(round(score, 3), why)
    if fam.score >= 0.9 and giv.score >= 0.9:
        score = min(fam.score, giv.score)
        kinds = [k.why for k in (fam, giv) if k.why != "same"]
        why = _WHY[kinds[-1]] if kinds else _WHY["same"]
        if fam.why == "north-south" or giv.why == "north-south":
            why = _WHY["north-south"]
        if fam.why == "mandarin" or giv.why == "mandarin":
            why = _WHY["mandarin"]
        return NameSimilarity(round(score, 3), why)
    score = min(0.85, 0.35 * fam.score + 0.65 * giv.score)
    if fam.score >= 0.9:
        why = "same family name, different given name"
        if giv.why == "sound":
            why = "same family name; given names sound alike but are spelled as different Hangul"
    elif giv.score >= 0.9:
        why = "different family names, same given name"
    else:
        why = "different names"
    return NameSimilarity(round(score, 3), why)


def _compare(p: ParsedName, q: ParsedName) -> NameSimilarity:
    p, q = _latin_of(p), _latin_of(q)
    fam = _family(p, q)
    has_p, has_q = bool(p.given), bool(q.given)
    giv = _given(p, q) if has_p and has_q else None
    if not has_p and not has_q:
        return NameSimilarity(round(0.5 * fam.score, 3), "family names only")
    return _combine(fam, giv)


def _swapped(p: ParsedName, text: str) -> ParsedName | None:
    """The other reading of a Latin name's order ("Sun Hui Kim" read family-first and last)."""
    if p.script != "latin" or " " not in text.strip() or "," in text:
        return None
    words = text.split()
    other = (
        f"{words[0]}, {' '.join(words[1:])}"
        if p.family_last
        else (f"{words[-1]}, {' '.join(words[:-1])}")
    )
    return parse_name(other)


def similarity(a: str, b: str) -> NameSimilarity:
    """Score two names in [0, 1] and say why; symmetric.

    Scores of ``SAME_NAME_THRESHOLD`` (0.9) and more mean "the same name written differently"
    (romanisation systems, North/South spelling, Hanja or their Mandarin reading, order).
    One name without a given name scores at most 0.5.
    """
    pa, pb = parse_name(a), parse_name(b)
    best = _compare(pa, pb)
    for alt_a, alt_b in ((_swapped(pa, a), pb), (pa, _swapped(pb, b))):
        if alt_a is None or alt_b is None:
            continue
        cand = _compare(alt_a, alt_b)
        if cand.score - 0.02 > best.score:
            why = cand.reason + "; family and given name in the other order"
            best = NameSimilarity(round(cand.score - 0.02, 3), why)
    # Symmetry: the comparison above is order-free except for float rounding of ties.
    return best
