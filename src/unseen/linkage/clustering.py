"""Clusters from scored pairs, with reviewers' decisions as hard constraints (pure Python).

The algorithm, deterministic and the same whatever engine scored the pairs:

1. Every ``match`` decision joins its two records (must-link), before anything else.
2. Pairs the model scores at or above the threshold are taken strongest first (ties by record
   uid); each joins two clusters unless a ``non-match`` decision lies between any record of one
   and any record of the other (cannot-link), in which case it is skipped. A pair a reviewer
   called ``non-match`` is never used; ``unsure`` changes nothing.
3. Decisions that contradict each other (a non-match between records that match decisions
   join) are refused with :class:`~unseen.errors.InputError`: a person must settle them.

Without decisions this is connected components at the threshold, exactly what Splink's
``cluster_pairwise_predictions_at_threshold`` gives. Each record's ``match_probability`` is
that of the link through which it joined its cluster, which (strongest-first) is its strongest
accepted link; 1.0 for a reviewer's match; None for a record alone.

:func:`cluster_average` is average linkage (UPGMA) on the same pairs and decisions: two
clusters merge, closest first, while the mean match probability over *all* their record pairs
is at least the threshold, a pair the model did not score (or scored under the floor) counting
as 0. One strong link no longer chains two people into one cluster, and a record that links
moderately to several records of one cluster joins it. Realistic preset (seeds 7, 11, 23):
pairwise F1 0.859/0.859/0.848 with connected components at 0.5, 0.876/0.880/0.870 with
average linkage at 0.3. Decisions bind as above; a record's ``joined_at`` is the mean of the
merge that first took it in.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from unseen.errors import InputError

__all__ = ["FLOOR_SHARE", "Clustering", "cluster_average", "cluster_pairs"]

# Average linkage counts a pair scored under this share of its bar as 0: such pairs barely
# move a mean, and dropping them keeps the pair list small (PPRL, realistic preset, four
# secrets: a third gave F1 0.003 to 0.006 more than the whole bar, a half in between).
FLOOR_SHARE = 1 / 3


@dataclass(frozen=True)
class Clustering:
    """``cluster`` and ``joined_at`` are indexed by uid (0..n-1); cluster labels are the
    smallest uid of each cluster. ``refused`` counts above-threshold pairs that a non-match
    decision kept apart."""

    cluster: tuple[int, ...]
    joined_at: tuple[float | None, ...]
    refused: int


class _Forest:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.cannot: dict[int, set[int]] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def blocked(self, a: int, b: int) -> bool:
        ca = self.cannot.get(a)
        if not ca:
            return False
        return any(self.find(x) == b for x in ca)

    def union(self, a: int, b: int) -> int:
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        moved = self.cannot.pop(b, None)
        if moved:
            self.cannot.setdefault(a, set()).update(moved)
        return a


def cluster_pairs(
    n: int,
    pairs: Iterable[tuple[int, int, float]],
    threshold: float,
    *,
    must_link: Sequence[tuple[int, int]] = (),
    cannot_link: Sequence[tuple[int, int]] = (),
) -> Clustering:
    """Cluster ``n`` records (uids 0..n-1) from scored ``(uid_l, uid_r, p)`` pairs."""
    forest, joined, forbidden = _constrained(n, must_link, cannot_link)
    ranked = sorted((-p, min(a, b), max(a, b)) for a, b, p in pairs if p >= threshold)
    refused = 0
    for neg_p, a, b in ranked:
        if (a, b) in forbidden:
            continue
        ra, rb = forest.find(a), forest.find(b)
        if ra == rb:
            continue
        if forest.blocked(ra, rb) or forest.blocked(rb, ra):
            refused += 1
            continue
        forest.union(ra, rb)
        p = -neg_p
        for x in (a, b):
            if joined[x] is None:
                joined[x] = p
    return Clustering(_labels(forest, n), tuple(joined), refused)


def cluster_average(
    n: int,
    pairs: Iterable[tuple[int, int, float]],
    threshold: float,
    *,
    floor: float = 0.0,
    must_link: Sequence[tuple[int, int]] = (),
    cannot_link: Sequence[tuple[int, int]] = (),
) -> Clustering:
    """Average linkage of ``n`` records from scored ``(uid_l, uid_r, p)`` pairs: clusters merge
    while the mean ``p`` over all their record pairs (unscored pairs and pairs under ``floor``
    count as 0) is at least ``threshold``. ``refused`` counts merges a non-match decision
    stopped."""
    forest, joined, forbidden = _constrained(n, must_link, cannot_link)
    # One p per pair (the highest), summed in uid order: the same pairs in any order give
    # the same sums to the last bit, and so the same clusters.
    best: dict[tuple[int, int], float] = {}
    for a, b, p in pairs:
        key = (min(a, b), max(a, b))
        if p >= floor and key not in forbidden and p > best.get(key, -1.0):
            _check_uid(key[0], n)
            _check_uid(key[1], n)
            best[key] = p
    # Sum of p over the record pairs between two clusters, by root, both ways round.
    between: dict[int, dict[int, float]] = {}
    for (a, b), p in sorted(best.items()):
        ra, rb = forest.find(a), forest.find(b)
        if ra != rb:
            row = between.setdefault(ra, {})
            row[rb] = row.get(rb, 0.0) + p
            between.setdefault(rb, {})[ra] = row[rb]
    size = forest.size  # by root, kept by union()
    heap = [
        (-total / (size[a] * size[b]), a, b)
        for a, row in between.items()
        for b, total in row.items()
        if a < b and total / (size[a] * size[b]) >= threshold
    ]
    heapq.heapify(heap)
    refused = 0
    while heap:
        neg_mean, a, b = heapq.heappop(heap)
        total = between.get(a, {}).get(b)
        if total is None or total / (size[a] * size[b]) != -neg_mean:
            continue  # a merged cluster, or an older mean of this pair
        if forest.blocked(a, b) or forest.blocked(b, a):
            refused += 1  # blocked now, blocked for good: cannot sets only grow
            del between[a][b], between[b][a]
            continue
        for x in (a, b):
            if size[x] == 1 and joined[x] is None:
                joined[x] = -neg_mean
        keep = forest.union(a, b)
        gone = b if keep == a else a
        row, moved = between[keep], between.pop(gone)
        del row[gone], moved[keep]
        for x, t in moved.items():
            other = between[x]
            del other[gone]
            row[x] = other[keep] = row.get(x, 0.0) + t
        for x, t in row.items():
            mean = t / (size[keep] * size[x])
            if mean >= threshold:
                heapq.heappush(heap, (-mean, min(keep, x), max(keep, x)))
    return Clustering(_labels(forest, n), tuple(joined), refused)


def _constrained(
    n: int, must_link: Sequence[tuple[int, int]], cannot_link: Sequence[tuple[int, int]]
) -> tuple[_Forest, list[float | None], set[tuple[int, int]]]:
    """The forest with every match decision joined and every non-match recorded; the records
    a match joins (``joined_at`` 1.0); the non-match pairs, lowest uid first."""
    forest = _Forest(n)
    joined: list[float | None] = [None] * n
    for a, b in must_link:
        _check_uid(a, n)
        _check_uid(b, n)
        ra, rb = forest.find(a), forest.find(b)
        if ra != rb:
            forest.union(ra, rb)
        joined[a] = joined[b] = 1.0
    forbidden = set()
    for a, b in cannot_link:
        _check_uid(a, n)
        _check_uid(b, n)
        ra, rb = forest.find(a), forest.find(b)
        if ra == rb:
            raise InputError(
                "review decisions contradict each other: a pair marked non-match is joined by "
                "pairs marked match (record uids "
                f"{min(a, b)} and {max(a, b)}); change one decision and link again"
            )
        # A root's cannot set holds the uids it must not join; compared through find().
        forest.cannot.setdefault(ra, set()).add(b)
        forest.cannot.setdefault(rb, set()).add(a)
        forbidden.add((min(a, b), max(a, b)))
    return forest, joined, forbidden


def _labels(forest: _Forest, n: int) -> tuple[int, ...]:
    """Each uid's cluster label: the smallest uid of its cluster."""
    labels: dict[int, int] = {}
    cluster = []
    for uid in range(n):
        root = forest.find(uid)
        labels.setdefault(root, uid)
        cluster.append(labels[root])
    return tuple(cluster)


def _check_uid(uid: int, n: int) -> None:
    if not 0 <= uid < n:
        raise InputError(f"a decision names record uid {uid}, outside 0..{n - 1}")
