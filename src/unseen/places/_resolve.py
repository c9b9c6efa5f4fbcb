"""Resolve free-text place names to gazetteer ids, with a confidence."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from unseen.errors import ValueNotUnderstood
from unseen.places._gazetteer import Place, gazetteer
from unseen.places._text import base_name, levenshtein_ratio, plain, squash

# Confidence by how the text met a name: the whole name as written, the name with case,
# spacing and diacritics ignored, the bare name without administrative words, or a near spelling.
EXACT, SQUASHED, BASE = 1.0, 0.95, 0.9
FUZZY_MIN_RATIO = 0.8
AMBIGUOUS_FACTOR = 0.7  # several places fit equally well on the text; the preferred one is given
TIED_FACTOR = 0.5  # ... and nothing prefers one of them


@dataclass(frozen=True)
class PlaceMatch:
    """The best gazetteer entry for a text; ``alternatives`` are other ids that fit as well."""

    gazetteer_id: str
    country: str
    level: str
    name_en: str
    confidence: float
    method: str  # exact / normalised / fuzzy
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Index:
    raw: Mapping[str, frozenset[str]]  # case-folded, diacritics kept (Shǎnxī is not Shanxi)
    exact: Mapping[str, frozenset[str]]
    squashed: Mapping[str, frozenset[str]]
    base: Mapping[str, frozenset[str]]
    latin_bases: tuple[tuple[str, str], ...]  # (base, id) for fuzzy matching


def _raw(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _add(index: dict[str, set[str]], key: str, pid: str) -> None:
    if key:
        index.setdefault(key, set()).add(pid)


def _freeze(index: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in index.items()}


@functools.cache
def _index() -> _Index:
    raw: dict[str, set[str]] = {}
    exact: dict[str, set[str]] = {}
    squashed: dict[str, set[str]] = {}
    base: dict[str, set[str]] = {}
    latin: set[tuple[str, str]] = set()
    for pid, place in gazetteer().items():
        for kind, form in place.forms:
            # Romanisations we derived from the Korean names are never "as written".
            if not kind.endswith(("_rr", "_mr")):
                _add(raw, _raw(form), pid)
                _add(exact, " ".join(plain(form).split()), pid)
            _add(squashed, squash(form), pid)
            b = base_name(form)
            _add(base, b, pid)
            if b and b.isascii() and len(b) >= 4:
                latin.add((b, pid))
    return _Index(
        _freeze(raw), _freeze(exact), _freeze(squashed), _freeze(base), tuple(sorted(latin))
    )


_TYPE_HINTS = (
    (re.compile(r"(自治州|州$|prefecture|자치주$)"), ("prefecture",)),
    (re.compile(r"(省$|province|\bdo$|-do$|성$|도$)"), ("province",)),
    (re.compile(r"(区$|區$|district|구$|\bqu$)"), ("district",)),
    (re.compile(r"(县$|縣$|county|군$|현$|\bgun$|-gun$|xian$)"), ("county",)),
    (re.compile(r"(市$|city|시$|\bsi$|-si$|shi$)"), ("city",)),
)
_LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}


def _preference(place: Place, text: str) -> tuple[int, int, int, int]:
    """Higher sorts first: matches the type word in the text; larger unit; on the border;
    a place the sources single out (crossings, transit hubs)."""
    t = plain(text).strip()
    hinted = 0
    for pattern, wanted in _TYPE_HINTS:
        if pattern.search(t):
            kind = f"{place.level} {place.type}"
            hinted = int(any(w in kind for w in wanted))
            break
    return (hinted, -_LEVEL_ORDER.get(place.level, 3), int(place.borders), int(place.noted))


def _candidates(text: str) -> tuple[frozenset[str], float, str]:
    idx = _index()
    if _raw(text) in idx.raw:
        return idx.raw[_raw(text)], EXACT, "exact"
    key = " ".join(plain(text).split())
    if key in idx.exact:
        return idx.exact[key], EXACT, "exact"
    sq = squash(text)
    if sq in idx.squashed:
        return idx.squashed[sq], SQUASHED, "normalised"
    if sq in idx.base:  # a bare name as written (신의주, Ryanggang)
        return idx.base[sq], BASE, "normalised"
    b = base_name(text)
    if b in idx.base:
        return idx.base[b], BASE, "normalised"
    if b.isascii() and len(b) >= 4:
        scored = [
            (levenshtein_ratio(b, form), pid)
            for form, pid in idx.latin_bases
            if abs(len(form) - len(b)) <= 2
        ]
        best = max((r for r, _ in scored), default=0.0)
        if best >= FUZZY_MIN_RATIO:
            ids = frozenset(pid for r, pid in scored if r == best)
            return ids, round(0.85 * best - 0.1, 3), "fuzzy"
    return frozenset(), 0.0, ""


def _ancestors(pid: str) -> list[str]:
    g = gazetteer()
    out = []
    cur = g.get(pid)
    while cur is not None and cur.parent_id:
        out.append(cur.parent_id)
        cur = g.get(cur.parent_id)
    return out


def _split_hierarchy(text: str) -> tuple[str, list[str]]:
    """ "Yanji, Jilin" -> ("Yanji", ["Jilin"]); the first part is the place itself."""
    parts = [p.strip() for p in re.split(r"[,，、;]", text) if p.strip()]
    if len(parts) > 1:
        return parts[0], parts[1:]
    # 吉林省延吉市 / 량강도 혜산시: a larger unit written before the place.
    words = text.split()
    if len(words) == 2 and _candidates(words[0])[0] and _candidates(words[1])[0]:
        return words[1], [words[0]]
    idx = _index()
    s = squash(text)
    for n in range(len(s) - 1, 1, -1):
        head, tail = s[:n], s[n:]
        if len(tail) >= 2 and head in idx.squashed and not head.isascii() and _candidates(tail)[0]:
            return tail, [head]
    return text, []


def resolve_place(text: str, *, country: str | None = None) -> PlaceMatch | None:
    """The gazetteer entry ``text`` names, or None when nothing fits.

    ``text`` may be Hangul (North or South spelling), Chinese (simplified or traditional),
    pinyin with or without tones, McCune-Reischauer or Revised Romanization, or English, with
    or without administrative words ("Yanji", "延吉市", "연길", "옌지", "Yenji", "Hyesan-si").
    A larger unit may follow after a comma ("Chaoyang, Jilin") or come first ("吉林省延吉市").
    ``country`` ("CN" or "KP") restricts the search.
    """
    if country is not None and country.upper() not in ("CN", "KP"):
        raise ValueNotUnderstood("country must be CN (China) or KP (DPRK)")
    if not text or not text.strip():
        return None
    place_text, context = text.strip(), list[str]()
    ids, conf, method = _candidates(place_text)
    if not ids or "," in place_text or "，" in place_text:
        place_text, context = _split_hierarchy(place_text)
        ids, conf, method = _candidates(place_text)
    g = gazetteer()
    if country is not None:
        ids = frozenset(i for i in ids if g[i].country == country.upper())
    if not ids:
        return None
    if context:
        within = set()
        for part in context:
            within |= set(_candidates(part)[0])
        inside = frozenset(i for i in ids if within & set(_ancestors(i)))
        if inside:
            ids = inside
    ranked = sorted(ids, key=lambda i: (_preference(g[i], place_text), i), reverse=True)
    best = g[ranked[0]]
    if len(ranked) > 1:
        clear = _preference(best, place_text) > _preference(g[ranked[1]], place_text)
        conf *= AMBIGUOUS_FACTOR if clear else TIED_FACTOR
    return PlaceMatch(
        gazetteer_id=best.gazetteer_id,
        country=best.country,
        level=best.level,
        name_en=best.name_en,
        confidence=round(conf, 3),
        method=method,
        alternatives=tuple(ranked[1:]),
    )
