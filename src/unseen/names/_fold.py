"""A romanisation-insensitive phonetic fold of Korean names written in Latin letters.

Every common system spells one Hangul name with different letters (Sun-hui, Sun Hui, Soon-hee,
Sŏn-hŭi...). The fold maps each to one skeleton by merging exactly the distinctions that the
systems blur: ㄱ/ㅋ/ㄲ (k, g, kh, k'), ㅓ/ㅗ/ㅜ/ㅡ (eo, o, u, oo, eu, ŭ), ㅐ/ㅔ (ae, e), ㅢ/ㅣ (ui,
ee, i), ㄹ/ㄴ/∅ at the start of a name part (the initial-sound rule: Ri, Lee, Yi, I), and so on.
Hangul is folded through its Revised Romanization, so 리순자, Ri Sun Ja, Lee Soon-ja and
Yi Sunja all fold to ``i`` + ``sonca``.
"""

from __future__ import annotations

import re
import unicodedata

# Spellings that differ only by RR vs MR/DPRK digraphs are unified first (eo -> o, eu -> u), so
# the cluster parse below sees the same letters whatever the system (Bo-eun, Po Un).
_PRE = (("eo", "o"), ("eu", "u"))

# Longest first. Each Latin spelling becomes one or more class symbols.
_TOKENS: tuple[tuple[str, str], ...] = (
    ("tch", "c"),
    ("ssh", "s"),
    ("wae", "W"),
    ("you", "Y"),
    ("yoo", "Y"),
    ("yae", "Q"),
    ("wee", "V"),
    ("woo", "o"),
    ("ch", "c"),
    ("jh", "c"),
    ("zh", "c"),
    ("sh", "s"),
    ("rh", "l"),
    ("wh", "hw"),
    ("ck", "k"),
    ("ng", "nk"),
    ("ya", "J"),
    ("yo", "Y"),
    ("yu", "Y"),
    ("ye", "Q"),
    ("yi", "i"),
    ("wa", "X"),
    ("wo", "Z"),
    ("we", "W"),
    ("wi", "V"),
    ("wu", "o"),
    ("oe", "W"),
    ("oo", "o"),
    ("ou", "o"),
    ("ae", "e"),
    ("ai", "e"),
    ("ee", "i"),
    ("ui", "i"),
    ("ie", "i"),
    ("a", "a"),
    ("e", "e"),
    ("i", "i"),
    ("o", "o"),
    ("u", "o"),
    ("v", "o"),
    ("k", "k"),
    ("g", "k"),
    ("q", "c"),
    ("c", "c"),
    ("j", "c"),
    ("z", "c"),
    ("t", "t"),
    ("d", "t"),
    ("p", "p"),
    ("b", "p"),
    ("f", "p"),
    ("s", "s"),
    ("x", "s"),
    ("h", "h"),
    ("m", "m"),
    ("n", "n"),
    ("l", "l"),
    ("r", "R"),
    ("y", "y"),
    ("w", "w"),
)
_TOKEN_RE = re.compile("|".join(re.escape(t) for t, _ in _TOKENS))
_TOKEN_MAP = dict(_TOKENS)
# Symbols: vowels a e i o; y-vowels J(ya) Y(yo/yu/yeo) Q(ye/yae); w-vowels X(wa) Z(wo) W(we/oe/wae)
# V(wi); consonants k t p c(ㅈㅊ) s h m n l; R is an r whose fate depends on what follows.
_VOWELS = frozenset("aeioJYQXZWVy")
_IOTIC = frozenset("iJYQy")


def plain_latin(text: str) -> str:
    """Lower case, no diacritics, no apostrophes or other marks (Sŏn-hŭi -> son-hui)."""
    decomposed = unicodedata.normalize("NFKD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out = out.replace("\u02bc", "").replace("\u2019", "").replace("'", "").replace("`", "")
    return out.lower()


# Aspirates written with h (DPRK Phyong, Thae; Khang) only at the start of a piece, which is a
# syllable start; inside an unbroken word "kh" is a syllable end and an ㅎ (Hyeokhui is 혁희).
_ASPIRATE_START = {"kh": "k", "gh": "g", "th": "t", "ph": "p", "bh": "b"}


def _fold_part(letters: str) -> str:
    for a, b in _PRE:
        letters = re.sub(f"(?<!e){a}", b, letters)  # "heeok" is hee-ok, not he-eok
    seq = "".join(_TOKEN_MAP[m] for m in _TOKEN_RE.findall(letters))
    out: list[str] = []
    for n, sym in enumerate(seq):
        prev = out[-1] if out else ""
        nxt = seq[n + 1] if n + 1 < len(seq) else ""
        if sym == "R":
            # An r not before a vowel is an English length mark (Park, Sur, Hur): drop it.
            if not (nxt and nxt in _VOWELS):
                continue
            sym = "l"
        if sym == "h" and prev in _VOWELS and prev and not (nxt and nxt in _VOWELS):
            continue  # Ahn, Oh, Suh, Bahk: a silent h after a vowel
        if sym == "y":
            if nxt and nxt in _VOWELS:
                continue  # a stray glide before a vowel
            sym = "i"  # Kym, Lym: y as a vowel
        if sym == "w" and nxt and nxt in _VOWELS:
            continue
        out.append(sym)
    return "".join(out)


def fold_word(text: str, *, initial: bool = True) -> str:
    """Fold one name part (a family name or a whole given name) to its phonetic skeleton.

    Separators inside the part are ignored, so "Sun-hui", "Sun Hui" and "Sunhui" agree;
    ``initial`` applies the initial-sound rule at the start of the part.
    """
    pieces = [p for p in re.split("[^a-z]+", plain_latin(text)) if p]
    pieces = [_ASPIRATE_START[p[:2]] + p[2:] if p[:2] in _ASPIRATE_START else p for p in pieces]
    folded = _fold_part("".join(pieces))
    out: list[str] = []
    for sym in folded:
        if out and out[-1] == sym:
            continue  # Kimm, Hann, Minn; and o+o across syllables (Ju-un)
        out.append(sym)
    if initial and out:
        # 두음법칙: ㄹ/ㄴ before i or a y-vowel is dropped (Ri/Lee/Yi -> i); ㄹ elsewhere is ㄴ.
        if out[0] in "ln" and len(out) > 1 and out[1] in _IOTIC:
            out.pop(0)
        elif out[0] == "l":
            out[0] = "n"
    return "".join(out)
