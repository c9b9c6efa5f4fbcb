"""What reviewers' decisions already say about pairs they did not decide (pure Python).

Clustering takes decisions as hard constraints (:mod:`~unseen.linkage.clustering`): the
``match`` decisions join records into groups, and a ``non-match`` keeps every record of one
group apart from every record of the other. So three records decided A = B and B = C are
one person whatever the model says of A and C, and A = B with B != C keeps A from C. A
review queue need not ask about such a pair, and a decision that goes against them is a
contradiction that clustering would refuse; :meth:`DecisionGraph.against` names the
decisions it contradicts, so that a reviewer can settle it at once rather than at the next
link. ``unsure`` says nothing.

Records are named by any hashable key; the review service uses (list, record id).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable

__all__ = ["DecisionGraph"]


class DecisionGraph:
    """The groups that ``match`` decisions make and the ``non-match`` decisions between them,
    built one decision at a time (:meth:`add`); decisions are numbered in the order added."""

    def __init__(self, decisions: Iterable[tuple[Hashable, Hashable, str]] = ()) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._matches: dict[Hashable, list[tuple[Hashable, int]]] = {}
        # A group's root -> the non-match decisions with one end in the group.
        self._apart: dict[Hashable, list[int]] = {}
        self._edges: list[tuple[Hashable, Hashable, str]] = []
        for a, b, decision in decisions:
            self.add(a, b, decision)

    def __len__(self) -> int:
        return len(self._edges)

    def _find(self, x: Hashable) -> Hashable:
        root = x
        while (up := self._parent.get(root, root)) != root:
            root = up
        while (up := self._parent.get(x, x)) != root:
            self._parent[x], x = root, up
        return root

    def add(self, a: Hashable, b: Hashable, decision: str) -> int:
        """Record a decision on (a, b); returns its number. A contradiction is recorded as
        given (decisions stored before it was checked may hold one): :meth:`says` then answers
        ``match`` for the pair, as the groups stand."""
        k = len(self._edges)
        self._edges.append((a, b, decision))
        if decision == "match":
            self._matches.setdefault(a, []).append((b, k))
            self._matches.setdefault(b, []).append((a, k))
            ra, rb = self._find(a), self._find(b)
            if ra != rb:
                self._parent[ra] = rb
                self._apart.setdefault(rb, []).extend(self._apart.pop(ra, ()))
        elif decision == "non-match":
            for root in {self._find(a), self._find(b)}:
                self._apart.setdefault(root, []).append(k)
        return k

    def says(self, a: Hashable, b: Hashable) -> str | None:
        """``match`` when match decisions join a and b, ``non-match`` when a non-match
        decision lies between their groups, else None."""
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return "match"
        return "non-match" if self._between(ra, rb) is not None else None

    def against(self, a: Hashable, b: Hashable, decision: str) -> tuple[int, ...]:
        """The numbers of the decisions that ``decision`` on (a, b) contradicts, as a chain
        from a to b (matches, and the one non-match a match would join); empty when none."""
        if decision == "non-match" and self._find(a) == self._find(b):
            return self._path(a, b)
        if decision != "match":
            return ()
        k = self._between(self._find(a), self._find(b))
        if k is None:
            return ()
        x, y, _ = self._edges[k]
        if self._find(x) != self._find(a):
            x, y = y, x
        return (*self._path(a, x), k, *self._path(y, b))

    def decision(self, k: int) -> tuple[Hashable, Hashable, str]:
        return self._edges[k]

    def _between(self, ra: Hashable, rb: Hashable) -> int | None:
        for k in self._apart.get(ra, ()):
            x, y, _ = self._edges[k]
            if {self._find(x), self._find(y)} == {ra, rb}:
                return k
        return None

    def _path(self, a: Hashable, b: Hashable) -> tuple[int, ...]:
        """The match decisions on a shortest chain from a to b (both in one group)."""
        came: dict[Hashable, tuple[Hashable, int] | None] = {a: None}
        todo = deque([a])
        while todo and b not in came:
            x = todo.popleft()
            for y, k in self._matches.get(x, ()):
                if y not in came:
                    came[y] = (x, k)
                    todo.append(y)
        chain: list[int] = []
        step = came.get(b)
        while step is not None:
            x, k = step
            chain.append(k)
            step = came[x]
        return tuple(reversed(chain))
