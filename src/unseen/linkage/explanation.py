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
    "format_reasons",
    "parse_reasons",
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
    return _SEPARATOR.join(
        f"{_clean(r.comparison, ':')}: {_clean(r.level)} {r.bits:+.1f}" for r in reasons
    )


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
