"""Which Latin spellings can stand for which Hangul syllables.

The fold (``_fold``) says whether two spellings *sound* alike; this module says whether a
spelling is one a person could have written for a given Hangul syllable in some common system.
"Seon" can be 선 but never 순; "Sun" can be either. That is what keeps 김선희 and 김순희 apart
while "Sun-hee" still meets both.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence

from unseen.names._fold import plain_latin
from unseen.names._hangul import I_IEUNG, I_NIEUN, I_RIEUL, decompose, is_syllable, to_south
from unseen.names._romanize import dprk_syllable, mr_syllable, rr_syllable
from unseen.names._tables import given_hanja, given_syllables, surnames

# Spellings of each jamo across RR, MR (plain), DPRK and passport habits; index order as in
# _hangul.INITIALS / VOWELS / FINALS.
_INITIAL_OPTS: tuple[tuple[str, ...], ...] = (
    ("k", "g"),
    ("kk", "gg", "k", "g"),
    ("n",),
    ("d", "t"),
    ("tt", "dd", "t", "d"),
    ("r", "l"),
    ("m",),
    ("b", "p"),
    ("pp", "bb", "p", "b"),
    ("s", "sh"),
    ("ss", "s", "sh"),
    ("",),
    ("j", "ch", "z"),
    ("jj", "tch", "j", "ch"),
    ("ch", "c"),
    ("k", "kh"),
    ("t", "th"),
    ("p", "ph", "f"),
    ("h",),
)
_VOWEL_OPTS: tuple[tuple[str, ...], ...] = (
    ("a",),
    ("ae", "e", "ai"),
    ("ya",),
    ("yae", "ye"),
    ("eo", "o", "u", "uh"),
    ("e", "ae"),
    ("yeo", "yo", "yu", "you"),
    ("ye", "yae"),
    ("o", "oh"),
    ("wa",),
    ("wae", "we"),
    ("oe", "oi", "we", "oy"),
    ("yo",),
    ("u", "oo", "ou"),
    ("wo", "weo", "wu"),
    ("we",),
    ("wi", "wee"),
    ("yu", "yoo", "you"),
    ("eu", "u"),
    ("ui", "eui", "ee", "i", "ei"),
    ("i", "ee", "y"),
)
_FINAL_OPTS: tuple[tuple[str, ...], ...] = (
    ("",),
    ("k", "g", "ck"),
    ("k", "kk"),
    ("k",),
    ("n", "nn"),
    ("n",),
    ("n",),
    ("t", "d"),
    ("l", "ll", "r"),
    ("k", "l"),
    ("m",),
    ("l",),
    ("l",),
    ("l",),
    ("p",),
    ("l",),
    ("m", "mm"),
    ("p", "b"),
    ("p",),
    ("t", "s"),
    ("t", "ss"),
    ("ng",),
    ("t", "j"),
    ("t",),
    ("k",),
    ("t",),
    ("p",),
    ("t", ""),
)
_IOTIC = frozenset((2, 3, 6, 7, 12, 17, 20))  # ㅑㅒㅕㅖㅛㅠㅣ


@functools.cache
def syllable_spellings(syllable: str, first: bool = False) -> frozenset[str]:
    """Every plain spelling of one syllable; ``first`` adds the initial-sound rule's forms."""
    if not is_syllable(syllable):
        return frozenset((plain_latin(syllable),))
    i, v, f = decompose(syllable)
    initials = list(_INITIAL_OPTS[i])
    vowels = list(_VOWEL_OPTS[v])
    if i == I_IEUNG and v == 13:  # 우: Woo, Wu
        vowels += ["woo", "wu"]
    if i == I_IEUNG and v == 20:  # 이: Yi, and Lee/Ri for the North spelling 리 written South
        vowels += ["yi"]
    if first and i == I_RIEUL:
        initials += [""] if v in _IOTIC else ["n"]
    if first and i == I_NIEUN and v in _IOTIC:
        initials.append("")
    if first and i == I_IEUNG and v in _IOTIC:
        initials += ["r", "l", "rh"]  # 이 read as the North's 리: Ri, Lee, Rhee
    if first and i == I_IEUNG and v not in _IOTIC:
        pass
    if first and i == I_NIEUN and v not in _IOTIC:
        initials += ["r", "l"]  # 노 may be written Ro/Roh
    out = {a + b + c for a in initials for b in vowels for c in _FINAL_OPTS[f]}
    out |= {
        plain_latin(rr_syllable(syllable)),
        plain_latin(mr_syllable(syllable)),
        plain_latin(dprk_syllable(syllable)),
    }
    return frozenset(out)


def _parts(latin: str) -> list[str]:
    return [p for p in re.split(r"[^a-z]+", plain_latin(latin)) if p]


def spells(latin: str, hangul: Sequence[str], *, first: bool = True) -> bool:
    """Can ``latin`` (separators allowed between syllables) be a spelling of ``hangul``?"""
    parts = _parts(latin)
    if not parts or not hangul:
        return False

    @functools.cache
    def fits(part_i: int, pos: int, syl_i: int) -> bool:
        if part_i == len(parts):
            return syl_i == len(hangul)
        part = parts[part_i]
        if pos == len(part):
            return fits(part_i + 1, 0, syl_i)
        if syl_i == len(hangul):
            return False
        for sp in syllable_spellings(hangul[syl_i], first and syl_i == 0):
            if sp and part.startswith(sp, pos) and fits(part_i, pos + len(sp), syl_i + 1):
                return True
        return False

    return fits(0, 0, 0)


@functools.cache
def _inventory() -> Mapping[str, float]:
    """Hangul syllables used in given names, with a prior weight (higher is more common)."""
    weights: dict[str, float] = {}
    for g in given_syllables():
        if len(g.south) == 1:
            for form in {g.north, g.south}:
                weights[form] = max(weights.get(form, 0.0), float(g.weight))
    for r in given_hanja().values():
        for form in {r.reading, r.reading_south}:
            weights[form] = max(weights.get(form, 0.0), 1.0)
    for s in surnames():
        if len(s.hangul) == 1:
            weights.setdefault(s.hangul, 0.5)
    weights.setdefault("자", 4.0)
    weights["자"] = max(weights["자"], 4.0)  # 순자, 영자, 숙자: frequent in older cohorts
    return weights


@functools.cache
def _by_spelling() -> Mapping[str, tuple[tuple[str, bool], ...]]:
    """Spelling -> (syllable, is-first-only) over the inventory."""
    index: dict[str, list[tuple[str, bool]]] = {}
    for syl in _inventory():
        plain = syllable_spellings(syl, False)
        for sp in syllable_spellings(syl, True):
            index.setdefault(sp, []).append((syl, sp not in plain))
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _canonical_spellings(syl: str) -> frozenset[str]:
    south = to_south(syl)
    forms = {rr_syllable(syl), mr_syllable(syl), dprk_syllable(syl), rr_syllable(south)}
    return frozenset(plain_latin(x) for x in forms)


# Given names repeat across people ("Young-hee"); parsing a million names meets each often.
@functools.lru_cache(maxsize=1 << 16)
def hangul_candidates(latin: str, *, limit: int = 12) -> tuple[str, ...]:
    """Likely Hangul given names (South spelling) for a Latin given name, best first.

    Only syllables common in given names are considered (see ``data/README.md``); a spelling
    outside them yields no candidate. Ties are broken by the syllables' prior weights and by
    how exactly the spelling matches a system's canonical form.
    """
    parts = _parts(latin)
    if not parts:
        return ()
    index = _by_spelling()
    weights = _inventory()
    results: dict[str, float] = {}

    def walk(part_i: int, pos: int, acc: tuple[str, ...], score: float) -> None:
        if len(results) > 400:
            return
        if part_i == len(parts):
            name = "".join(acc)
            prior = {1: 0.6, 2: 1.0, 3: 0.5}.get(len(acc), 0.2)
            # Separators mark syllables: "Jung-sook" is 정숙, not 정소옥.
            prior *= 0.05 ** max(0, len(acc) - len(parts)) if len(parts) > 1 else 1.0
            results[name] = max(results.get(name, 0.0), score * prior)
            return
        part = parts[part_i]
        if pos == len(part):
            walk(part_i + 1, 0, acc, score)
            return
        if len(acc) >= 4:
            return
        for end in range(min(len(part), pos + 7), pos, -1):
            sp = part[pos:end]
            for syl, first_only in index.get(sp, ()):
                if first_only and acc:
                    continue
                exact = 1.5 if sp in _canonical_spellings(syl) else 1.0
                s = to_south(syl) if not acc else syl
                walk(part_i, end, (*acc, s), score * weights.get(syl, 0.5) * exact)

    walk(0, 0, (), 1.0)
    ranked = sorted(results.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(name for name, _ in itertools.islice(ranked, limit))
