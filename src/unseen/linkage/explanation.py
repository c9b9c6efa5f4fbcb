"""Why the model scored a pair as it did: the bits each comparison added, as a reviewer reads them.

A pair's match weight (log2 odds) is the sum of its parts: where any two records of those
lists start (the prior, with the lists' shift), then one part per comparison, the bits of the
level the pair fell in, and, for comparisons weighted by how common the value is, that
adjustment as a part of its own. ``pairs.csv`` carries them in its optional ``reasons``
column as one text, for a spreadsheet as much as for ``unseen review``::

    start: any two records -14.2; name: same name +11.8; name: how common -1.3; sex: same +0.6

The text names levels and comparisons only, never a value of either record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from unseen.errors import InputError

__all__ = [
    "FREQUENCY",
    "START",
    "START_LEVEL",
    "Reason",
    "comparison_words",
    "format_reasons",
    "join_parts",
    "level_in_korean",
    "parse_reasons",
    "part_text",
    "probability_of",
]

#: The part before any evidence: the prior, shifted for the two lists.
START = "start"
START_LEVEL = "any two records"
#: The label of a term-frequency adjustment (a common name counts for less).
FREQUENCY = "how common"

_SEPARATOR = "; "
_PART = re.compile(r"^(?P<comparison>[^:;]+): (?P<level>.+) (?P<bits>[+-]\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class Reason:
    """One part of a pair's match weight: ``bits`` added by ``level`` of ``comparison``."""

    comparison: str
    level: str
    bits: float


def format_reasons(reasons: Iterable[Reason]) -> str:
    """The ``reasons`` text of :mod:`this module <unseen.linkage.explanation>` (bits to 0.1)."""
    return join_parts(part_text(r.comparison, r.level, r.bits) for r in reasons)


def part_text(comparison: str, level: str, bits: float) -> str:
    """One part of a ``reasons`` text (:func:`join_parts` joins them)."""
    return f"{_clean(comparison, ':')}: {_clean(level)} {bits:+.1f}"


def join_parts(parts: Iterable[str]) -> str:
    """A ``reasons`` text of parts made by :func:`part_text` ("" parts are left out)."""
    return _SEPARATOR.join(p for p in parts if p)


def _clean(text: str, extra: str = "") -> str:
    # A label from a config could hold the separator; it must not split one part in two.
    out = text.replace(";", ",").strip()
    for ch in extra:
        out = out.replace(ch, " ")
    return out or "?"


def parse_reasons(text: str, *, where: str = "reasons") -> tuple[Reason, ...]:
    """The parts of a ``reasons`` text (empty: none); ``where`` names it in the error."""
    if not text.strip():
        return ()
    out = []
    for n, part in enumerate(text.split(_SEPARATOR), start=1):
        found = _PART.match(part.strip())
        if found is None:
            raise InputError(
                f"{where}: part {n} is not 'comparison: level +bits'; link again to rewrite "
                "it, or empty the reasons column"
            )
        out.append(
            Reason(found["comparison"].strip(), found["level"].strip(), float(found["bits"]))
        )
    return tuple(out)


def probability_of(reasons: Iterable[Reason]) -> float:
    """The match probability the parts add up to."""
    weight = sum(r.bits for r in reasons)
    return 1.0 / (1.0 + math.pow(2.0, -max(-60.0, min(60.0, weight))))


# What a reviewer reads, in English and Korean: the default model's comparisons and levels
# (unseen.linkage.model and spec.default_spec; a test checks that every one is here). A
# config's own comparison names and labels are shown as they are.
_COMPARISONS = {
    START: ("start", "출발점"),
    "name": ("name", "이름"),
    "birth": ("birth date", "생년월일"),
    "sex": ("sex", "성별"),
    "origin": ("place of origin", "출신지"),
    "china": ("place in China", "중국 내 장소"),
    "exit": ("left North Korea", "탈북 날짜"),
    "mother": ("mother", "어머니"),
    "event": ("event date", "사건 날짜"),
    "event_place": ("event place", "사건 장소"),
}
_LEVELS = {
    START_LEVEL: "임의의 두 기록",
    FREQUENCY: "얼마나 흔한지",
    "no name on one side": "한쪽에 이름 없음",
    "same name": "같은 이름",
    "same Hangul (other spelling or North/South form)": "같은 한글 (다른 표기 또는 남북한 표기)",
    "same romanisation or Mandarin key": "같은 로마자 표기 또는 중국어 독음 키",
    "an alias or a guessed reading matches": "별명 또는 추정한 독음이 일치",
    "same family name, given name one letter off": "같은 성, 이름 한 글자 차이",
    "same family name, given name one keyboard slip off (Hangul)": (
        "같은 성, 이름에 자판 오타 하나 (한글)"
    ),
    "same family name": "같은 성",
    "other names": "다른 이름",
    "unknown on one side": "한쪽에 정보 없음",
    "same day or month": "같은 날 또는 같은 달",
    "same year": "같은 해",
    "vague dates that overlap": "겹치는 모호한 날짜",
    "further apart": "더 멀리 떨어짐",
    "same": "같음",
    "different": "다름",
    "same place": "같은 장소",
    "same county": "같은 군·시",
    "same prefecture": "같은 지급시",
    "same province": "같은 도·성",
    "other places": "다른 장소",
    "not a child of a known mother": "알려진 어머니의 자녀 아님",
    "mothers with the same name": "어머니 이름이 같음",
    "mothers with other names": "어머니 이름이 다름",
}
_PATTERNS = (
    (re.compile(r"^within (\d+) days$"), "{0}일 이내"),
    (re.compile(r"^within ([\d.]+)$"), "{0} 이내"),
    (re.compile(r"^similar \((Jaro-Winkler|Jaro) ([\d.]+) or more\)$"), "비슷함 ({0} {1} 이상)"),
    (re.compile(r"^(\d+) or fewer letters off$"), "{0}글자 이하 차이"),
    (re.compile(r"^(\d+) or fewer letters off or swapped$"), "{0}글자 이하 차이 또는 자리 바뀜"),
    (re.compile(r"^equal to the other record's (.+)$"), "상대 기록의 {0} 값과 같음"),
)


def comparison_words(name: str) -> tuple[str, str]:
    """A comparison's name in (English, Korean) for a reviewer; a config's own name twice."""
    return _COMPARISONS.get(name, (name, name))


def level_in_korean(label: str) -> str | None:
    """The Korean of one of the default model's level labels (None for a config's own)."""
    if label in _LEVELS:
        return _LEVELS[label]
    for pattern, korean in _PATTERNS:
        if found := pattern.match(label):
            return korean.format(*found.groups())
    return None
