"""Romanise a Hangul personal name the way different organisations write it.

Systems (``SYSTEMS``):

- ``rr``: Revised Romanization as people write names: no sound changes inside the given name,
  syllables hyphenated (``Kim Sun-hui``); surnames in their usual form (Kim, Lee, Park, Choi)
  unless ``family_style="strict"`` (Gim, I, Bak, Choe).
- ``mr``: McCune-Reischauer with breves and apostrophes, ALA-LC name practice: given-name
  syllables hyphenated, the second syllable's plain stop voiced after a vowel or a sonorant
  (``Kim Sŏn-hŭi``, ``Pak Suk-cha``, ``Yi Sun-ja``).
- ``mr_plain``: the same without diacritics or apostrophes (``Kim Son-hui``).
- ``dprk``: the DPRK's official practice: North spelling of the surname (리, 림, 류, 로),
  every given syllable a capitalised word (``Ri Sun Hui``, ``Pak``, ``Choe``, ``Jong``).
- ``passport``: South Korean passport habits: usual surname (Lee, Park, Choi, Jung), South
  spelling, given syllables with the common vowel spellings oo/u, eo→u, yeo→yu (``Lee Soon-ja``).

Per-syllable McCune-Reischauer agrees with ``ko_pron.romanise(s, "mr")`` for single
syllables (checked in the tests); the name-level rules are written here because ko-pron applies
sound changes across the whole word, which name practice does not.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import Literal

from unseen.errors import ValueNotUnderstood
from unseen.names._hangul import decompose, fold_initial_sound, is_syllable, to_south
from unseen.names._split import split_hangul
from unseen.names._tables import surnames_by_hangul

System = Literal["rr", "mr", "mr_plain", "dprk", "passport"]
SYSTEMS: tuple[System, ...] = ("rr", "mr", "mr_plain", "dprk", "passport")

# Index order follows _hangul.INITIALS / VOWELS / FINALS.
_RR_I = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_RR_V = (
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
)
_RR_F = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)
_MR_I = (
    "k",
    "kk",
    "n",
    "t",
    "tt",
    "r",
    "m",
    "p",
    "pp",
    "s",
    "ss",
    "",
    "ch",
    "tch",
    "ch'",
    "k'",
    "t'",
    "p'",
    "h",
)
_MR_VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}  # ㄱ ㄷ ㅂ ㅈ between voiced sounds
_MR_V = (
    "a",
    "ae",
    "ya",
    "yae",
    "ŏ",
    "e",
    "yŏ",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wŏ",
    "we",
    "wi",
    "yu",
    "ŭ",
    "ŭi",
    "i",
)
_DPRK_I = (
    "k",
    "kk",
    "n",
    "t",
    "tt",
    "r",
    "m",
    "p",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "kh",
    "th",
    "ph",
    "h",
)
_DPRK_V = (
    "a",
    "ae",
    "ya",
    "yae",
    "o",
    "e",
    "yo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "u",
    "ui",
    "i",
)
_SONORANT_FINALS = frozenset((4, 5, 6, 8, 16, 21))  # ㄴ ㄵ ㄶ ㄹ ㅁ ㅇ

# Surnames whose Revised Romanization nobody uses: RR writers still write Kim, Lee, Park, Choi.
_RR_USUAL_FAMILY = {
    "김": "Kim",
    "이": "Lee",
    "박": "Park",
    "최": "Choi",
    "오": "Oh",
    "우": "Woo",
    "노": "Noh",
}


def rr_syllable(s: str) -> str:
    if not is_syllable(s):
        return s
    i, v, f = decompose(s)
    return _RR_I[i] + _RR_V[v] + _RR_F[f]


def mr_syllable(s: str, *, voiced: bool = False, after_l: bool = False) -> str:
    """One syllable in MR; ``voiced`` when the previous syllable ends in a vowel or sonorant."""
    if not is_syllable(s):
        return s
    i, v, f = decompose(s)
    initial = _MR_I[i]
    if voiced and i in _MR_VOICED:
        initial = _MR_VOICED[i]
    if i == 5 and after_l:  # ㄹ after ㄹ is l (Sol-li is not name practice; keep it simple)
        initial = "l"
    if i in (9, 10) and v == 16:  # 쉬 shwi, 쒸 sshwi
        initial += "h"
    # A final ㅎ is silent at the end of a word (ko-pron agrees); names never end in one.
    final = "" if f == 27 else "p" if s == "밟" else _RR_F[f]  # 밟 is read [밥]
    return initial + _MR_V[v] + final


def dprk_syllable(s: str) -> str:
    if not is_syllable(s):
        return s
    i, v, f = decompose(s)
    return _DPRK_I[i] + _DPRK_V[v] + _RR_F[f]


def _passport_options(s: str) -> tuple[str, ...]:
    """Spellings of one given-name syllable on South Korean passports, most common first."""
    if not is_syllable(s):
        return (s,)
    i, v, f = decompose(s)
    fin = _RR_F[f]
    ini = {0: ("k", "g"), 7: ("b", "p"), 12: ("j", "ch"), 3: ("d",), 14: ("ch",), 5: ("r", "l")}
    initials = ini.get(i, (_RR_I[i],))
    if i == 9 and v in (20,) and f in (4, 16):  # 신 심: Shin, Shim
        initials = ("sh", "s")
    vowel: tuple[str, ...]
    if v == 4:  # ㅓ
        vowel = ("u", "eo", "o")
    elif v == 6:  # ㅕ
        if i == 11 and f == 21:  # 영: Young
            vowel, fin = ("young", "yeong", "yong"), ""
        elif i == 11:  # 연: Yeon, Yun
            vowel = ("yeo", "yu", "yo")
        else:  # 경 명 현: Kyung, Myung, Hyun
            vowel = ("yu", "yeo", "yo")
    elif v == 13:  # ㅜ
        if i == 11:
            vowel = ("woo", "u", "wu")
        elif i == 14:  # ㅊ: Chun, Chung
            vowel = ("u", "oo")
        else:
            vowel = ("oo", "u")
    elif v == 17:  # ㅠ
        vowel = ("oo", "u") if i == 11 else ("yu", "yoo")
        if i == 11:
            initials = ("y",)
    elif v == 19:  # ㅢ
        vowel = ("ee", "ui") if i == 18 else ("ui", "ee")
    elif v == 18:  # ㅡ
        vowel = ("eu", "u")
    elif v == 1:  # ㅐ
        vowel = ("ae", "e")
    elif v == 11:  # ㅚ
        vowel = ("oe", "oi")
    elif v == 14:  # ㅝ
        vowel = ("wo", "weo")
    elif v == 20 and i == 11:  # 이
        vowel = ("i", "yi")
    else:
        vowel = (_RR_V[v],)
    out = [a + b + fin for a in initials for b in vowel]
    return tuple(dict.fromkeys(out))


def _cap(word: str) -> str:
    for n, ch in enumerate(word):
        if ch.isalpha():
            return word[:n] + ch.upper() + word[n + 1 :]
    return word


def _check(system: str) -> System:
    for known in SYSTEMS:
        if system == known:
            return known
    raise ValueNotUnderstood(f"unknown romanisation system; use one of: {', '.join(SYSTEMS)}")


def _family_forms(family: str, system: System, family_style: str) -> tuple[str, ...]:
    """Spellings of a Hangul surname in ``system``, the default first."""
    if not family:
        return ("",)
    known = surnames_by_hangul().get(family, ())
    if system == "rr":
        strict = _cap("".join(rr_syllable(s) for s in family))
        if family_style == "strict":
            return (strict,)
        usual = _RR_USUAL_FAMILY.get(family)
        return tuple(dict.fromkeys(x for x in (usual, strict) if x))
    if system in ("mr", "mr_plain"):
        if family == "이":
            form = "Yi"  # ALA-LC convention; strict MR would be "I"
        else:
            form = _cap(_mr_word(family, hyphen=False))
        if system == "mr_plain":
            form = _plain(form)
        return (form,)
    if system == "dprk":
        north = known[0].hangul_north[0] if known and known[0].hangul_north else family
        if known and family in known[0].hangul_north:
            north = family
        if known and known[0].hangul == family and known[0].dprk:
            return (known[0].dprk,)
        return (_cap("".join(dprk_syllable(s) for s in north)),)
    # passport: the South spelling's usual Latin forms (류 stays 류: South Ryu clans keep it)
    south = family if any(e.hangul == family for e in known) else fold_initial_sound(family)
    entries = surnames_by_hangul().get(south, ())
    forms = [v for e in entries for v in e.variants if e.hangul == south]
    if not forms:
        forms = [_cap("".join(rr_syllable(s) for s in south))]
    return tuple(dict.fromkeys(forms))


def _plain(text: str) -> str:
    return (
        text.replace("ŏ", "o")
        .replace("ŭ", "u")
        .replace("Ŏ", "O")
        .replace("Ŭ", "U")
        .replace("'", "")
    )


def _given_forms(given: Sequence[str], system: System, hyphen: bool) -> list[str]:
    if not given:
        return [""]
    if system == "rr":
        parts = [rr_syllable(s) for s in given]
        return [_join(parts, hyphen)]
    if system in ("mr", "mr_plain"):
        text = _cap(_mr_word(given, hyphen=hyphen))
        return [_plain(text) if system == "mr_plain" else text]
    if system == "dprk":
        return [" ".join(_cap(dprk_syllable(s)) for s in given)]
    # passport
    south = list(given)
    south[0] = to_south(south[0])
    options = [_passport_options(s) for s in south]
    combos = itertools.islice(itertools.product(*options), 64)
    out = [_join(list(c), hyphen) for c in combos]
    if not hyphen:
        return out
    return out + [_join(list(c), False) for c in itertools.islice(itertools.product(*options), 64)]


def _mr_word(word: Sequence[str], *, hyphen: bool) -> str:
    """MR of a name word: later syllables' plain stops voiced after a vowel or sonorant."""
    parts = []
    prev_final = -1
    for n, syl in enumerate(word):
        voiced = n > 0 and (prev_final == 0 or prev_final in _SONORANT_FINALS)
        parts.append(mr_syllable(syl, voiced=voiced, after_l=n > 0 and prev_final == 8))
        prev_final = decompose(syl)[2] if is_syllable(syl) else -1
    return "-".join(parts) if hyphen else "".join(parts)


def _join(parts: list[str], hyphen: bool) -> str:
    return _cap("-".join(parts) if hyphen else "".join(parts))


def romanize(
    hangul: str,
    system: str = "rr",
    *,
    hyphen: bool = True,
    family_first: bool = True,
    family_style: Literal["usual", "strict"] = "usual",
) -> str:
    """Romanise a Hangul name (``김순희`` or ``김 순희``) in ``system``'s habits.

    The family name is found with the surname table (two-syllable surnames first); a space in
    ``hangul`` forces the split. ``hyphen`` joins given-name syllables with a hyphen (ignored by
    ``dprk``, which writes them as separate words); ``family_first=False`` gives Western order.
    Non-Hangul characters pass through unchanged; nothing here raises for Hangul input.
    """
    return romanization_variants(
        hangul, system, hyphen=hyphen, family_first=family_first, family_style=family_style
    )[0]


@functools.lru_cache(maxsize=1 << 16)  # pure, and the same Hangul names recur spelt many ways
def romanization_variants(
    hangul: str,
    system: str = "rr",
    *,
    hyphen: bool = True,
    family_first: bool = True,
    family_style: Literal["usual", "strict"] = "usual",
) -> tuple[str, ...]:
    """Plausible spellings of a Hangul name in ``system``'s habits, the usual one first.

    Only ``passport`` (and ``rr`` for a few surnames) has more than one; a simulator picks
    among them with its own random generator.
    """
    sysname = _check(system)
    family, given = split_hangul(hangul)
    fam_forms = _family_forms(family, sysname, family_style)
    giv_forms = _given_forms(given, sysname, hyphen)
    out: list[str] = []
    for g in giv_forms:
        for f in fam_forms:
            words = [w for w in ((f, g) if family_first else (g, f)) if w]
            out.append(" ".join(words))
    return tuple(dict.fromkeys(out)) or ("",)
