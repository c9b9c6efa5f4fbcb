"""A romanisation-insensitive phonetic fold of Korean names written in Latin letters.

Every common system spells one Hangul name with different letters (Sun-hui, Sun Hui, Soon-hee,
Sŏn-hŭi...). The fold maps each to one skeleton by merging exactly the distinctions that the
systems blur: ㄱ/ㅋ/ㄲ (k, g, kh, k'), ㅓ/ㅗ/ㅜ/ㅡ (eo, o, u, oo, eu, ŭ), ㅐ/ㅔ (ae, e), ㅢ/ㅣ (ui,
ee, i), ㄹ/ㄴ/∅ at the start of a name part (the initial-sound rule: Ri, Lee, Yi, I), and so on.
Hangul is folded through its Revised Romanization, so 리순자, Ri Sun Ja, Lee Soon-ja and
Yi Sunja all fold to ``i`` + ``sonca``.

The fold sees letters only: hyphens and spaces are ignored, so that Sun-hui and Sunhui agree.
Where a given-name syllable starts with ㅇ after a vowel (혜은, 해은, 수일), the systems' letters
run together differently (RR Hyeeun, MR Hyeŭn, DPRK Hye Un, passport Soo-il for RR Suil), and
the junction rules below read each such run in the one way all of them reach. The price is a
coarser key there: when one system's letters for one name are another's for a different name
(RR Haeun is 하은 and 해운; MR Haun is 하은 and 하운), those names must share the key.
"""

from __future__ import annotations

import functools
import re
import unicodedata

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
# Within one syllable RR's eo/eu/yeo/weo/eui are single vowels. In a whole given name these
# are read by the junction rules below instead, which take the e apart first.
_ONE_SYLLABLE_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("yeo", "Y"),
    ("weo", "Z"),
    ("eui", "i"),
    ("eo", "o"),
    ("eu", "o"),
)
# ee and ie after another vowel letter are two syllables' vowels (Hu-e-en), not one.
_AFTER_CONSONANT_ONLY = frozenset(("ee", "ie"))


def _token_re(tokens: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    ordered = sorted(tokens, key=lambda t: -len(t[0]))  # stable: the table's order within a length
    return re.compile(
        "|".join(
            ("(?<![aeiou])" if t in _AFTER_CONSONANT_ONLY else "") + re.escape(t)
            for t, _ in ordered
        )
    )


_TOKEN_RE = {
    True: _token_re(_TOKENS),
    False: _token_re(_ONE_SYLLABLE_DIGRAPHS + _TOKENS),
}
_TOKEN_MAP = dict(_TOKENS + _ONE_SYLLABLE_DIGRAPHS)
# Symbols: vowels a e i o; y-vowels J(ya) Y(yo/yu/yeo) Q(ye/yae); w-vowels X(wa) Z(wo) W(we/oe/wae)
# V(wi); consonants k t p c(ㅈㅊ) s h m n l; R is an r whose fate depends on what follows.
_VOWELS = frozenset("aeioJYQXZWVy")

# Junction rules, on the letters (repeated until nothing changes: one can expose another):
# - a w before oo/u right after a vowel is passport's 우 (Ha-woo, He-woo), RR's plain u;
# - passport's hee (희) is the only spelling with ee before a vowel (Hee-ok, Hee-eun): it is
#   read as RR's hui, so that the e-rule leaves it alone;
# - any other e right before o or u is not a vowel of its own: it is RR's eo/eu (ㅓ ㅡ), which
#   MR without marks, DPRK and passport write o/u, or the end of ae/ye/oe before such a vowel
#   (RR Haeeun and Ha-eun, MR Haeun: 해은 and 하은 both become haun). We is kept (ㅞ).
_WOO_AFTER_VOWEL = re.compile(r"(?<=[aeiou])w(?=o[ou]|u)")
_HEE = re.compile(r"(?<![cjkpstz])hee(?=e*[ou])")
_E_BEFORE_O = re.compile(r"(?<!w)e+(?=[ou])")
# and on the symbols:
_HIATUS = (
    (re.compile("o+e"), "W"),  # MR Hoe (허에) is RR Hoe (회); passport Hue (허에) is RR 후에
    (re.compile("(?<=[YZ])e"), "W"),  # the same after yo/yu/wo: passport Yoo-e is MR Hyo-oe
    (re.compile("Zo+"), "o"),  # passport Woo (우) is RR 워오 and MR 워어
    (re.compile("o+(?=[Wi])"), ""),  # passport Soo-i (수이) and Hu-i (허이) are RR Sui, Hui
    (re.compile("(?<=Y)o+"), ""),  # passport Hyo-woo (효우) is RR Hyou, one Y
    (re.compile("t(?=c)"), ""),  # a final t before ㅈ/ㅊ: MR's tch (Mat-cha) is RR Matja
)
_IOTIC = frozenset("iJYQy")


def plain_latin(text: str) -> str:
    """Lower case, no diacritics, no apostrophes or other marks (Sŏn-hŭi -> son-hui)."""
    decomposed = unicodedata.normalize("NFKD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    out = out.replace("\u02bc", "").replace("\u2019", "").replace("'", "").replace("`", "")
    return out.lower()


# MR's breves (or carons, as typed) say which vowel is meant: ŏ is RR's eo (ㅓ), ŭ its eu (ㅡ),
# wŏ its wo (ㅝ). Read so before the marks are dropped, MR with its marks folds like RR.
_BREVE = re.compile("(w?)([ou])[\u0306\u030c]")


def _breves_as_digraphs(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())

    def digraph(m: re.Match[str]) -> str:
        if m[2] == "o":
            return "wo" if m[1] else "eo"
        return m[1] + "eu"

    return _BREVE.sub(digraph, decomposed)


# Aspirates written with h (DPRK Phyong, Thae; Khang) only at the start of a piece, which is a
# syllable start; inside an unbroken word "kh" is a syllable end and an ㅎ (Hyeokhui is 혁희).
_ASPIRATE_START = {"kh": "k", "gh": "g", "th": "t", "ph": "p", "bh": "b"}


def _fold_part(letters: str, *, junctions: bool) -> str:
    before = ""
    while junctions and before != letters:  # one rewrite can expose another (Hae-wo-on)
        before = letters
        letters = _WOO_AFTER_VOWEL.sub("", letters)
        letters = _HEE.sub("hui", letters)
        letters = _E_BEFORE_O.sub("", letters)
    seq = "".join(_TOKEN_MAP[m] for m in _TOKEN_RE[junctions].findall(letters))
    for pattern, repl in _HIATUS if junctions else ():
        seq = pattern.sub(repl, seq)
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


@functools.lru_cache(maxsize=1 << 16)  # pure, and name parts repeat across people
def fold_word(text: str, *, initial: bool = True, junctions: bool = True) -> str:
    """Fold one name part (a whole given name, or see ``fold_family``) to its skeleton.

    Separators inside the part are ignored, so "Sun-hui", "Sun Hui" and "Sunhui" agree;
    ``initial`` applies the initial-sound rule at the start of the part; ``junctions`` the
    rules for vowels that meet across syllables.
    """
    pieces = [p for p in re.split("[^a-z]+", plain_latin(_breves_as_digraphs(text))) if p]
    pieces = [_ASPIRATE_START[p[:2]] + p[2:] if p[:2] in _ASPIRATE_START else p for p in pieces]
    folded = _fold_part("".join(pieces), junctions=junctions)
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


def fold_family(text: str) -> str:
    """Fold a family name. No surname has two vowels meeting across its syllables, so the
    junction rules, which would make Choi (최) sound like Chi (지), are left out."""
    return fold_word(text, junctions=False)
