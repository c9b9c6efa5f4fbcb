"""Loaders for the name tables shipped in ``unseen/names/data`` (see its README for sources)."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from unseen.names._hangul import fold_initial_sound


@dataclass(frozen=True)
class Surname:
    """One Korean surname: its spellings in both Koreas, its clans' hanja and Mandarin readings."""

    hangul: str  # South Korean spelling, the canonical form (이, 임, 노)
    hangul_north: tuple[str, ...]  # DPRK spelling, per clan (리; 림/임)
    hanja: tuple[str, ...]  # principal clans' characters, traditional forms
    rr: str  # strict Revised Romanization (Gim, I, Bak)
    mr: str  # McCune-Reischauer of the DPRK form (Kim, Ri, Pak)
    dprk: str  # DPRK official spelling (Ri, Pak, Choe, Jong)
    variants: tuple[str, ...]  # Latin spellings seen in passports and records, most frequent first
    pinyin: tuple[str, ...]  # Mandarin reading of each hanja (朴 Piao)
    rank: int  # South Korean census rank; 999 for our additions without a count

    @property
    def common(self) -> str:
        """The spelling most people would write (Kim, Lee, Park, Choi, Jung)."""
        return self.variants[0] if self.variants else self.rr


def _read(name: str) -> list[dict[str, str]]:
    files = resources.files("unseen.names").joinpath("data").joinpath(name)
    text = files.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("/") if v.strip())


@functools.cache
def surnames() -> tuple[Surname, ...]:
    """Every surname in the census table and our additions (독고, 서문, 동방), by rank."""
    out: list[Surname] = []
    for row in _read("korean_surnames.csv") + _read("extra_surnames.csv"):
        variants = tuple(v.strip() for v in row["common_variants"].split("|") if v.strip())
        out.append(
            Surname(
                hangul=row["hangul_s"],
                hangul_north=_split(row["hangul_n"]),
                hanja=_split(row["hanja"]),
                rr=row["rr"],
                mr=row["mr"],
                dprk=_split(row["dprk_spelling"])[0],
                variants=tuple(dict.fromkeys(variants)),
                pinyin=_split(row["pinyin_of_hanja"]),
                rank=int(row["rank"]) if row["rank"] else 999,
            )
        )
    return tuple(out)


@functools.cache
def surnames_by_hangul() -> Mapping[str, tuple[Surname, ...]]:
    """Surnames by any Hangul spelling, South or North (이 and 리 both find 李)."""
    index: dict[str, list[Surname]] = {}
    for s in surnames():
        for form in dict.fromkeys((s.hangul, *s.hangul_north)):
            index.setdefault(form, []).append(s)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def surname_simplified() -> Mapping[str, str]:
    """Traditional -> simplified Chinese form for surname characters that differ."""
    return {r["hanja"]: r["simplified"] for r in _read("surname_simplified.csv")}


@functools.cache
def surnames_by_hanja() -> Mapping[str, tuple[Surname, str, str]]:
    """(surname, Hangul of this clan, Mandarin pinyin) by hanja, traditional or simplified."""
    simp = surname_simplified()
    index: dict[str, tuple[Surname, str, str]] = {}
    for s in surnames():
        for i, hz in enumerate(s.hanja):
            north = s.hangul_north[min(i, len(s.hangul_north) - 1)] if s.hangul_north else s.hangul
            pinyin = s.pinyin[min(i, len(s.pinyin) - 1)] if s.pinyin else ""
            forms = {hz, "".join(simp.get(c, c) for c in hz)}
            for form in forms:
                # The first (more frequent) surname keeps a shared character (羅 나 before 라).
                index.setdefault(form, (s, north, pinyin))
    return index


@dataclass(frozen=True)
class HanjaReading:
    """A given-name character: its Sino-Korean reading (not initial-sound folded) and pinyin."""

    hanja: str
    simplified: str
    reading: str  # 련 for 蓮, 룡 for 龍: the North and word-internal form
    pinyin: str

    @property
    def reading_south(self) -> str:
        """The South Korean word-initial reading (연, 용)."""
        return fold_initial_sound(self.reading)


@functools.cache
def given_hanja() -> Mapping[str, HanjaReading]:
    """Given-name characters by traditional and simplified form.

    Built from the syllable table's hanja plus a curated list of common name characters
    (``given_name_hanja.csv``); anything else has no known Korean reading here.
    """
    index: dict[str, HanjaReading] = {}
    for row in _read("given_name_hanja.csv"):
        r = HanjaReading(row["hanja"], row["simplified"], row["reading"], row["pinyin"])
        index.setdefault(r.hanja, r)
        if r.simplified:
            index.setdefault(r.simplified, r)
    return index


@dataclass(frozen=True)
class GivenSyllable:
    north: str
    south: str
    hanja: tuple[str, ...]
    sex: str
    weight: int


@functools.cache
def given_syllables() -> tuple[GivenSyllable, ...]:
    """The given-name syllable table (single syllables and a few full given names)."""
    out = []
    for row in _read("korean_given_name_syllables.csv"):
        hanja = tuple(
            part for part in row["hanja_common"].split("/") if part and not part.startswith("(")
        )
        out.append(
            GivenSyllable(
                north=row["syllable_n"],
                south=row["syllable_s"],
                hanja=hanja,
                sex=row["sex"],
                weight=int(row["heuristic_weight_1to5"]),
            )
        )
    return tuple(out)
