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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from unseen.errors import InputError

__all__ = ["Clustering", "cluster_pairs"]


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
        forest.cannot.setdefault(ra, set()).add(b)
        forest.cannot.setdefault(rb, set()).add(a)
        forbidden.add((min(a, b), max(a, b)))
    # A root's cannot set holds the uids it must not join; compared through find().
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
    labels: dict[int, int] = {}
    cluster = []
    for uid in range(n):
        root = forest.find(uid)
        labels.setdefault(root, uid)
        cluster.append(labels[root])
    return Clustering(tuple(cluster), tuple(joined), refused)


def _check_uid(uid: int, n: int) -> None:
    if not 0 <= uid < n:
        raise InputError(f"a decision names record uid {uid}, outside 0..{n - 1}")
