"""A prior for each pair of lists: how often two records of those lists are one person.

Fellegi-Sunter scores every pair with one prior, the chance that two random records match.
Lists overlap unevenly: a UN office and an NGO that interview in the same city share many
people, a police list holds the same woman at each arrest, while a church shelter and a
repatriation list may share almost no one. With one prior, pairs between lists that overlap
much are scored too low and pairs between lists that hardly overlap too high.

Here the prior of each (unordered) pair of lists is the model's own expected number of
matches among that pair's scored candidates (the sum of their match probabilities under the
one prior) over all record pairs the two lists make, shrunk towards the overall rate by
``PSEUDO_MATCHES`` matches' worth; a pair's log2-odds then move by the difference between
its lists' prior and the overall one. This is one EM step for the per-list priors from the
trained model; iterated to its fixed point it gave less (docs/linkage.md, "List priors").
Nothing here reads a name: only list labels, record counts and probabilities.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "PSEUDO_MATCHES",
    "ListPair",
    "list_pair",
    "list_shifts",
    "shift_matrix",
    "shifts_as_records",
]

# The overall rate's weight, in matches: a pair of lists with a handful of expected matches
# keeps most of the overall prior instead of one fitted to noise.
PSEUDO_MATCHES = 5.0

ListPair = tuple[str, str]


def list_pair(a: str, b: str) -> ListPair:
    """The unordered pair of two list labels, as the keys of :func:`list_shifts` have it."""
    return (a, b) if a <= b else (b, a)


def _record_pairs(counts: Mapping[str, int], pair: ListPair) -> float:
    a, b = pair
    if a == b:
        return counts[a] * (counts[a] - 1) / 2.0
    return float(counts[a]) * counts[b]


def _log2_odds(p: float) -> float:
    return math.log2(p) - math.log2(1.0 - p)


def list_shifts(
    counts: Mapping[str, int],
    expected: Iterable[tuple[str, str, float]],
    *,
    pseudo: float = PSEUDO_MATCHES,
) -> dict[ListPair, float]:
    """The log2-odds to add to a pair's match weight, per unordered pair of lists.

    ``counts``: records per list; ``expected``: ``(list_l, list_r, sum of match
    probabilities)`` of scored candidate pairs (either order; repeated pairs of lists are
    added). Every pair of ``counts``' lists gets a shift; one list alone, or no expected
    match at all, gives 0 for all (the one prior stands)."""
    if pseudo <= 0.0:
        raise ValueError("pseudo must be positive")
    labels = sorted(counts)
    pairs = [(a, b) for i, a in enumerate(labels) for b in labels[i:]]
    sums = dict.fromkeys(pairs, 0.0)
    for a, b, e in expected:
        key = list_pair(a, b)
        if key not in sums:
            raise ValueError(f"list {a if a not in counts else b!r} has no record count")
        sums[key] += float(e)
    record_pairs = {p: _record_pairs(counts, p) for p in pairs}
    total_pairs = sum(record_pairs.values())
    total = sum(sums.values())
    if len(labels) < 2 or total <= 0.0 or total_pairs <= 0.0:
        return dict.fromkeys(pairs, 0.0)
    overall = total / total_pairs
    if not 0.0 < overall < 1.0:
        return dict.fromkeys(pairs, 0.0)
    base = _log2_odds(overall)
    out: dict[ListPair, float] = {}
    for p in pairs:
        rate = (sums[p] + pseudo) / (record_pairs[p] + pseudo / overall)
        # A vanishing overall rate (a subnormal float) makes pseudo / overall infinite.
        out[p] = _log2_odds(min(max(rate, sys.float_info.min), 1.0 - 1e-12)) - base
    return out


def shift_matrix(
    shifts: Mapping[ListPair, float], labels: Sequence[str]
) -> npt.NDArray[np.float64]:
    """``shifts`` as a matrix over ``labels`` (row and column ``i``: ``labels[i]``), so that
    ``matrix[code_l, code_r]`` shifts every pair at once."""
    return np.array(
        [[shifts[list_pair(str(a), str(b))] for b in labels] for a in labels], dtype=np.float64
    ).reshape(len(labels), len(labels))


def shifts_as_records(shifts: Mapping[ListPair, float]) -> list[dict[str, Any]]:
    """JSON-safe: one ``{"lists": [a, b], "log2_odds": shift}`` per pair of lists, sorted."""
    return [
        {"lists": list(pair), "log2_odds": round(shift, 4)}
        for pair, shift in sorted(shifts.items())
    ]
