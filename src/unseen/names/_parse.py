"""Parse a personal name in Hangul, Hanja/Hanzi or Latin letters into family and given name,
canonical forms and romanisation-insensitive keys."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from unseen.errors import ValueNotUnderstood
from unseen.names._fold import fold_family, fold_word, plain_latin
from unseen.names._hangul import is_syllable, north_candidates, to_south
from unseen.names._mandarin import (
    bridge_given,
    bridge_surnames,
    is_han,
    korean_reading,
    mandarin_reading,
    split_han,
)
from unseen.names._romanize import SYSTEMS, romanize, rr_syllable
from unseen.names._spelling import hangul_candidates
from unseen.names._split import split_hangul
from unseen.names._tables import Surname, given_syllables, surnames, surnames_by_hangul

Script = Literal["hangul", "han", "latin", "mixed"]


@dataclass(frozen=True)
class ParsedName:
    """One name, understood. Every field but ``script`` is identity data and kept out of repr.

    - ``family`` / ``given``: as written, in the input's script (given-name syllables keep
      their separators: "Sun-hui", "Sun Hui").
    - ``hangul``: canonical Hangul (family + given, no space) where derivable: as written for
      Hangul; the Korean reading for Hanja; the best candidate for Latin (alternatives in
      ``hangul_alternatives``, best first); None when nothing fits.
    - ``romanized``: canonical romanisation, Revised Romanization of ``hangul`` family first
      (``Kim Sun-hui``); for Latin without a Hangul reading, the input tidied.
    - ``key``: romanisation-insensitive key ``family_given`` (see ``_fold``).
    - ``variants``: the other spellings of ``hangul`` under the North/South initial-sound
      rule (리순자 <-> 이순자, 련화 <-> 연화).
    - ``mandarin``: Mandarin reading of the characters (``Li Shunzi``); Hanja input only, since
      Hangul does not say which characters a name uses.
    """

    script: Script
    family: str = field(repr=False)
    given: str = field(repr=False)
    hangul: str | None = field(repr=False)
    romanized: str = field(repr=False)
    key: str = field(repr=False)
    variants: tuple[str, ...] = field(repr=False)
    mandarin: str | None = field(repr=False)
    family_hangul: str | None = field(default=None, repr=False)
    given_hangul: str | None = field(default=None, repr=False)
    hangul_alternatives: tuple[str, ...] = field(default=(), repr=False)
    family_keys: tuple[str, ...] = field(default=(), repr=False)
    extra_keys: tuple[str, ...] = field(default=(), repr=False)
    family_last: bool = field(default=False, repr=False)

    @property
    def family_key(self) -> str:
        return self.key.partition("_")[0]

    @property
    def given_key(self) -> str:
        return self.key.partition("_")[2]


@functools.lru_cache(maxsize=1 << 16)  # pure, and the same Hangul names recur spelt many ways
def _hangul_key(family: str, given: str) -> str:
    fam = fold_family("".join(rr_syllable(s) for s in family)) if family else ""
    giv = fold_word("".join(rr_syllable(s) for s in given)) if given else ""
    return f"{fam}_{giv}"


@functools.lru_cache(maxsize=1 << 16)  # pure, and the same Hangul names recur spelt many ways
def _initial_variants(family: str, given: str) -> tuple[str, ...]:
    """Other North/South spellings of a Hangul name (first syllable of each part)."""
    fam_forms: list[str] = [family]
    if family:
        south = to_south(family[0]) + family[1:]
        fam_forms.append(south)
        for entry in surnames_by_hangul().get(south, ()):
            fam_forms += [entry.hangul, *entry.hangul_north]
    giv_forms: list[str] = [given]
    if given:
        giv_forms += [c + given[1:] for c in north_candidates(to_south(given[0]))]
        giv_forms += [f[0] + m for f in list(giv_forms) for m in _medial_forms(f[1:])]
    fams = [f for f in dict.fromkeys(fam_forms) if f and to_south(f[0]) == to_south(family[0])]
    givs = list(dict.fromkeys(giv_forms))
    out = [f + g for f, g in itertools.product(fams or [family], givs)]
    return tuple(x for x in dict.fromkeys(out) if x != family + given)


@functools.cache
def _medial_pairs() -> Mapping[str, str]:
    """Single syllables that the two Koreas spell apart inside a given name too (련/연,
    룡/용, 란/난: the syllable table), each mapped to its other spelling."""
    out: dict[str, str] = {}
    for row in given_syllables():
        if len(row.north) == 1 and row.north != row.south:
            out[row.north], out[row.south] = row.south, row.north
    return out


def _medial_forms(rest: str) -> list[str]:
    """The other North/South spellings of the syllables after the first of a given name."""
    pairs = _medial_pairs()
    forms = [""]
    for syl in rest:
        forms = [f + x for f in forms for x in dict.fromkeys((syl, pairs.get(syl, syl)))]
    return forms[1:] if len(forms) > 1 else []


@functools.cache
def _surname_by_spelling() -> Mapping[str, tuple[Surname, ...]]:
    """Plain Latin spelling (Lee, Rhee, Park, Choi, Namkoong...) -> surnames, most common first."""
    index: dict[str, list[Surname]] = {}
    for s in sorted(surnames(), key=lambda e: e.rank):
        # Every system's spelling of every Hangul form: RR of the North form (Ryeo 려) too.
        forms = {s.rr, s.mr, s.dprk, *s.variants}
        for hangul in {s.hangul, *s.hangul_north}:
            forms |= {romanize(hangul, system) for system in SYSTEMS}
        for form in forms:
            key = re.sub("[^a-z]", "", plain_latin(form))
            if key and s not in index.setdefault(key, []):
                index[key].append(s)
    return {k: tuple(v) for k, v in index.items()}


def latin_surnames(word: str) -> tuple[Surname, ...]:
    """Surnames this Latin word can spell, by exact spelling, most common first."""
    return _surname_by_spelling().get(re.sub("[^a-z]", "", plain_latin(word)), ())


def _rank(word: str) -> int | None:
    found = latin_surnames(word)
    return found[0].rank if found else None


def _two_syllable(word: str) -> bool:
    return any(len(e.hangul) == 2 for e in latin_surnames(word))


def _is_caps(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


_RARE_RANK = 50  # surnames ranked below this are each borne by well under 1% of Koreans


def _given_pair_first(words: list[str]) -> bool:
    """Three words whose second alone starts in lower case: the first two are one given name."""
    return (
        len(words) == 3
        and words[0][:1].isupper()
        and words[1][:1].islower()
        and words[2][:1].isupper()
    )


def _split_latin(text: str) -> tuple[str, str, bool]:
    """(family, given, family_last) of a Latin name in either order."""
    if "," in text:
        head, _, tail = text.partition(",")
        return head.strip(), " ".join(tail.split()), False
    words = text.split()
    if len(words) == 1:
        return _split_single(words[0])
    first, last = words[0], words[-1]
    fr, lr = _rank(first), _rank(last)
    family_last = False
    # An all-capitals word among mixed-case ones is the family name (Sun-hui KIM).
    if _is_caps(last) and any(ch.islower() for ch in first):
        family_last = True
    elif _is_caps(first) and any(ch.islower() for ch in last):
        family_last = False
    elif "-" in first and "-" not in last:
        family_last = True
    elif "-" in last and "-" not in first:
        family_last = False
    elif lr is not None and fr is None:
        family_last = True
    elif lr is not None and _given_pair_first(words):
        family_last = True  # "Seon hwa Sin": the lower-case syllable belongs to the word before it
    elif lr is not None and fr is not None and not _two_syllable(first):
        # Both ends can be surnames (a two-syllable surname first is never a given name: Dokko
        # Kuk, Seomun Kam). Korean order wins unless the last word is one of the very
        # common surnames and the first a rare one ("Sun Hui Kim"); with two words ("Jin Kim")
        # the more common surname is the family name.
        # With three words a rare first surname also yields to a far more common last one
        # ("Kyong Hui Choe": Choe ranks 5th, Kyong 86th).
        family_last = (
            lr * 3 < fr
            if len(words) == 2
            else (lr <= 3 and fr >= 25) or (fr >= _RARE_RANK and lr * 5 <= fr)
        )
    if family_last:
        return last, " ".join(words[:-1]), True
    return first, " ".join(words[1:]), False


def _split_single(word: str) -> tuple[str, str, bool]:
    """One word: a surname alone, a surname glued to a given name (Kimsunhui), or a given name."""
    if latin_surnames(word):
        return word, "", False
    letters = re.sub("[^a-z]", "", plain_latin(word))
    for n in range(min(len(letters) - 2, 9), 0, -1):
        head = letters[:n]
        if latin_surnames(head) and hangul_candidates(letters[n:], limit=1):
            return word[:n], word[n:], False
    return "", word, False


def _tidy_latin(word: str) -> str:
    parts = re.split(r"(\s+|-)", word.strip())
    out = []
    for n, p in enumerate(parts):
        if p.isspace() or p == "-":
            out.append(" " if p.isspace() else "-")
        elif n == 0 or (out and out[-1] == " "):
            out.append(p[:1].upper() + p[1:].lower())
        else:
            out.append(p.lower())
    return "".join(out)


def _script(text: str) -> Script:
    kinds = set()
    for ch in text:
        if is_syllable(ch):
            kinds.add("hangul")
        elif is_han(ch):
            kinds.add("han")
        elif ch.isalpha() and ch.isascii() or unicodedata.category(ch) == "Ll":
            kinds.add("latin")
        elif ch.isalpha():
            kinds.add("latin")
    if not kinds:
        raise ValueNotUnderstood(
            "a name needs letters: Hangul (김순희), Hanja/Hanzi (金順姬) or Latin (Kim Sun-hui)"
        )
    if len(kinds) > 1:
        return "mixed"
    (only,) = kinds
    return only  # type: ignore[return-value]


def parse_name(text: str) -> ParsedName:
    """Understand one name in Hangul, Hanja/Hanzi or Latin letters, in either order.

    Raises ``ValueNotUnderstood`` when ``text`` has no letters at all.
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    script = _script(text)
    if script == "mixed":
        # Prefer the script that carries the most information: Hangul, then Han, then Latin.
        if any(is_syllable(ch) for ch in text):
            kept = "".join(ch if is_syllable(ch) else " " for ch in text)
            inner = _parse_hangul(kept)
        elif any(is_han(ch) for ch in text):
            inner = _parse_han("".join(ch for ch in text if is_han(ch) or ch == " "))
        else:
            inner = _parse_latin(text)
        return _with_script(inner, "mixed")
    if script == "hangul":
        return _parse_hangul(text)
    if script == "han":
        return _parse_han(text)
    return _parse_latin(text)


def _with_script(p: ParsedName, script: Script) -> ParsedName:
    from dataclasses import replace

    return replace(p, script=script)


def _parse_hangul(text: str) -> ParsedName:
    text = " ".join(text.split())
    family, given_t = split_hangul(text)
    given = "".join(given_t)
    # "순희 김": a spaced name whose last word is a surname and first is not.
    if " " in text:
        head, _, tail = text.rpartition(" ")
        head_syl = "".join(ch for ch in head if is_syllable(ch))
        if tail in surnames_by_hangul() and head_syl not in surnames_by_hangul():
            family, given = tail, head_syl
    hangul = family + given
    variants = _initial_variants(family, given)
    return ParsedName(
        script="hangul",
        family=family,
        given=given,
        hangul=hangul,
        romanized=romanize(f"{family} {given}" if given else family, "rr"),
        key=_hangul_key(family, given),
        variants=variants,
        mandarin=None,
        family_hangul=family,
        given_hangul=given,
        family_keys=(_hangul_key(family, "").rstrip("_"),),
        extra_keys=tuple(_hangul_key(v[: len(family)], v[len(family) :]) for v in variants),
    )


def _parse_han(text: str) -> ParsedName:
    family, given = split_han(text)
    mandarin = mandarin_reading(text)
    pin_fam, _, pin_giv = mandarin.partition(" ")
    pinyin_key = f"{fold_family(pin_fam)}_{fold_word(pin_giv)}"
    reading = korean_reading(text)
    if reading is None:
        return ParsedName(
            script="han",
            family=family,
            given=given,
            hangul=None,
            romanized=mandarin,
            key=pinyin_key,
            variants=(),
            mandarin=mandarin,
            family_keys=(fold_family(pin_fam),),
        )
    fam_h, giv_h, full = reading
    variants = _initial_variants(fam_h, giv_h)
    return ParsedName(
        script="han",
        family=family,
        given=given,
        hangul=full,
        romanized=romanize(f"{fam_h} {giv_h}", "rr"),
        key=_hangul_key(fam_h, giv_h),
        variants=variants,
        mandarin=mandarin,
        family_hangul=fam_h,
        given_hangul=giv_h,
        family_keys=(_hangul_key(fam_h, "").rstrip("_"),),
        extra_keys=(pinyin_key,),
    )


def _parse_latin(text: str) -> ParsedName:
    text = re.sub(r"[^\w\s,'\-\u2019\u02bc]", " ", text)
    text = " ".join(text.split())
    family, given, family_last = _split_latin(text)
    fam_entries = latin_surnames(family) if family else ()
    # The key's family part is the table surname the spelling stands for. A spelling that
    # sounds exactly like one of its surnames means that one (Gi is 기, though the passport
    # variant Gi of 지 is more common; MR Che is 제, not the variant Che of 최); otherwise the
    # most common (Choi is 최).
    own = fold_family(family) if family else ""
    fam_keys = [fold_family(e.rr) for e in fam_entries[:4]]
    if own in fam_keys:
        fam_keys.remove(own)
        fam_keys.insert(0, own)
    elif own:
        fam_keys.append(own)
    fam_keys = list(dict.fromkeys(fam_keys))
    giv_key = fold_word(given) if given else ""
    key = f"{fam_keys[0] if fam_keys else ''}_{giv_key}"
    extra: list[str] = [f"{fk}_{giv_key}" for fk in fam_keys[1:]]

    # Korean Hangul candidates for a Korean romanisation, then the Mandarin bridge.
    fam_h = [e.hangul for e in fam_entries[:3]]
    giv_h = list(hangul_candidates(given)) if given else []
    bridged_f = bridge_surnames(family) if family else ()
    bridged_g = bridge_given(given) if given else ()
    pairs: list[tuple[str, str]] = []
    if fam_h and giv_h:
        pairs += [(f, g) for g in giv_h[:4] for f in fam_h]
    elif fam_h and not given:
        pairs += [(f, "") for f in fam_h]
    bridged = [(f, g) for f in bridged_f for g in bridged_g]
    extra += [_hangul_key(f, g) for f, g in bridged]
    if bridged and _looks_like_pinyin(f"{family} {given}"):
        # A PRC record of a Korean name: the bridge's reading is the best guess, and its key
        # is the one that meets the Korean spellings.
        key, extra = _hangul_key(*bridged[0]), [key, *extra]
        pairs = list(dict.fromkeys(bridged + pairs))
    else:
        pairs = list(dict.fromkeys(pairs + bridged))
    alternatives = [f + g for f, g in pairs]
    best = alternatives[0] if alternatives else None
    best_fam, best_giv = pairs[0] if pairs else (None, None)
    romanized = (
        romanize(f"{best_fam} {best_giv}" if best_giv else (best_fam or ""), "rr")
        if best_fam
        else " ".join(x for x in (_tidy_latin(family), _tidy_latin(given)) if x)
    )
    return ParsedName(
        script="latin",
        family=_tidy_latin(family),
        given=_tidy_latin(given),
        hangul=best,
        romanized=romanized,
        key=key,
        variants=_initial_variants(best_fam, best_giv or "") if best_fam else (),
        mandarin=None,
        family_hangul=best_fam,
        given_hangul=best_giv,
        hangul_alternatives=tuple(alternatives[1:8]),
        family_keys=tuple(fam_keys),
        extra_keys=tuple(dict.fromkeys(x for x in extra if x != key)),
        family_last=family_last,
    )


# Letter groups that Hanyu Pinyin uses and Korean romanisations (almost) never do; kept short
# because "ao", "uo", "iu" and "ian" also occur across Korean syllables (화옥, 수옥, 지우, 지안).
_PINYIN_ONLY = re.compile(r"zh|x|q|z|iao|ing|ai$|ei$")


def _looks_like_pinyin(text: str) -> bool:
    return any(_PINYIN_ONLY.search(w) for w in plain_latin(text).split())


def _other_order(p: ParsedName, text: str) -> ParsedName | None:
    """The reading of a spaced Latin name with the family name at the other end, if that end
    is a surname spelling; None when the order is not in doubt."""
    words = " ".join(text.split()).split(" ")
    if p.script != "latin" or len(words) < 2 or "," in text:
        return None
    end = words[0] if p.family_last else words[-1]
    if not latin_surnames(end):
        return None
    rest = words[1:] if p.family_last else words[:-1]
    return _parse_latin(f"{end}, {' '.join(rest)}")


def name_key(text: str) -> str:
    """The romanisation-insensitive key of a name ("" for text without letters).

    리순자, Ri Sun Ja, Lee Soon-ja, Yi Sunja and 이순자 share one key; so do 李順子 and 李顺子.
    """
    try:
        return parse_name(text).key
    except ValueNotUnderstood:
        return ""


def name_tokens(text: str) -> tuple[str, ...]:
    """Normalised tokens for the keyed blind index, sorted.

    ``f:`` family key(s), ``g:`` given key, ``n:`` full key(s). The same person's Hangul and
    Latin spellings share at least the ``n:`` token of the full key; Hanja names also carry
    the key of their Mandarin reading, and Latin names that read as pinyin carry the keys of
    the Korean names the bridge finds.
    """
    try:
        p = parse_name(text)
    except ValueNotUnderstood:
        return ()
    tokens = {f"n:{p.key}"} | {f"n:{k}" for k in p.extra_keys}
    other = _other_order(p, text)
    if other is not None:
        # "Sun Sun Choe" may be Choe Sun-sun written Western style: index both readings.
        tokens |= {f"n:{other.key}"} | {f"n:{k}" for k in other.extra_keys}
    for fk in p.family_keys or (p.family_key,):
        if fk:
            tokens.add(f"f:{fk}")
    if p.given_key:
        tokens.add(f"g:{p.given_key}")
    return tuple(sorted(tokens))
