"""Write a person's name the way one list would: script, romanisation, order, hyphens.

The one seam to :mod:`unseen.names` is :meth:`NameRenderer.korean`, which renders a Hangul
name in a romanisation system with :func:`unseen.names.romanization_variants`. Results are
cached per (name, system), so a million records cost a few thousand romanisations.
"""

from __future__ import annotations

from dataclasses import dataclass

from unseen.names import romanization_variants
from unseen.simulate._tables import (
    chinese_given_chars,
    chinese_surnames,
    given_names,
    hanja_forms,
    korean_surnames,
    simplified,
)

# Romanisation systems that write the South Korean spelling (이, 유, 연) rather than the DPRK one.
_SOUTH_SYSTEMS = frozenset({"rr", "passport"})
# [model] share of records using a system's usual spelling; the rest pick any plausible variant
_USUAL_SHARE = 0.6


@dataclass(frozen=True)
class RenderedName:
    family: str
    given: str
    hanzi: str  # the name in Chinese characters, "" when unknown

    def full(self, *, given_first: bool, latin: bool) -> str:
        if not latin:
            return self.family + self.given
        parts = (self.given, self.family) if given_first else (self.family, self.given)
        return " ".join(p for p in parts if p)


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


class NameRenderer:
    """Caches renderings; create one per written file (it holds no randomness)."""

    def __init__(self) -> None:
        self._korean: dict[tuple[int, int, str, bool], tuple[tuple[str, str], ...]] = {}
        self._ks = korean_surnames()
        self._gn = given_names()
        self._cs = chinese_surnames()
        self._forms = hanja_forms()

    # -- Korean names --------------------------------------------------------------------------
    def hangul(self, surname: int, given: int, south: bool) -> tuple[str, str]:
        if south:
            return self._ks.hangul_s[surname], self._gn.hangul_s[given]
        return self._ks.hangul_n[surname], self._gn.hangul_n[given]

    def korean(
        self, surname: int, given: int, system: str, u_variant: float, *, south: bool = False
    ) -> tuple[str, str]:
        """(family, given) of a Korean name in ``system`` ("hangul" or a romanisation)."""
        if system == "hangul":
            return self.hangul(surname, given, south)
        key_south = system in _SOUTH_SYSTEMS
        fam_h, giv_h = self.hangul(surname, given, key_south)
        variants = self._korean_variants(surname, given, system, key_south, fam_h, giv_h)
        if u_variant < _USUAL_SHARE:
            return variants[0]
        k = int((u_variant - _USUAL_SHARE) / (1.0 - _USUAL_SHARE) * len(variants))
        return variants[min(k, len(variants) - 1)]

    def _korean_variants(
        self, surname: int, given: int, system: str, south: bool, fam_h: str, giv_h: str
    ) -> tuple[tuple[str, str], ...]:
        key = (surname, given, system, south)
        hit = self._korean.get(key)
        if hit is None:
            texts = romanization_variants(f"{fam_h} {giv_h}", system)
            parts = (t.partition(" ") for t in texts)
            hit = tuple((fam, giv) for fam, _, giv in parts)
            self._korean[key] = hit
        return hit

    def korean_hanzi(self, surname: int, given: int, *, simplify: bool) -> str:
        fam, giv = self._ks.hanja[surname], self._gn.hanja[given]
        if not fam or not giv:
            return ""
        return simplified(fam + giv) if simplify else fam + giv

    def korean_pinyin(self, surname: int, given: int) -> tuple[str, str]:
        """The Mandarin reading a Chinese record gives a Korean name (朴 Piao, 顺姬 Shunji)."""
        giv = self._gn.hanja[given]
        fam = self._ks.pinyin[surname]
        if not giv or not fam:
            return "", ""
        return fam, _cap("".join(self._forms.get(c, ("", c))[1] for c in giv))

    # -- Chinese names -------------------------------------------------------------------------
    def chinese(
        self,
        cn_surname: int,
        g1: int,
        g2: int,
        sex: int,
        own: tuple[int, int] | None,
        script: str,
    ) -> tuple[str, str]:
        """(family, given) of a Chinese identity in ``script``: hanzi, latin (pinyin) or
        hangul (Sino-Korean reading). ``own`` = (surname, given) of the Korean name whose given
        hanja the identity keeps."""
        cs = self._cs
        if own is not None:
            giv_h = self._gn.hanja[own[1]]
            hz = simplified(giv_h)
            py = _cap("".join(self._forms.get(c, ("", c))[1] for c in giv_h))
            ko = self._gn.hangul_s[own[1]]
        else:
            chars = chinese_given_chars("F" if sex == 1 else "M")
            idx = [g for g in (g1, g2) if g >= 0]
            hz = "".join(chars.hanzi[g] for g in idx)
            py = _cap("".join(chars.pinyin[g] for g in idx))
            ko = "".join(chars.korean[g] for g in idx)
        if script == "hanzi":
            return cs.hanzi[cn_surname], hz
        if script == "hangul":
            return cs.korean[cn_surname], ko
        return cs.pinyin[cn_surname], py

    def chinese_hanzi(
        self, cn_surname: int, g1: int, g2: int, sex: int, own: tuple[int, int] | None
    ) -> str:
        fam, giv = self.chinese(cn_surname, g1, g2, sex, own, "hanzi")
        return fam + giv


def hyphenate(given: str, u: float, drop: float) -> str:
    """Drop a given name's hyphen with probability ``drop``: joined (Sunhui) or spaced (Sun hui)."""
    if "-" not in given or u >= drop:
        return given
    if u < drop / 2:
        head, _, tail = given.partition("-")
        return head + tail.lower()
    return given.replace("-", " ")
