"""Decomposable (chordal) graphs on a few nodes, as the factorisations dga averages over.

A graph on ``t`` lists is stored by the terms of its hyper-Dirichlet marginal likelihood:
with a perfect numbering ``v_1..v_t`` (maximum cardinality search on a chordal graph), the
earlier neighbours ``pa_i`` of ``v_i`` form a complete set, and

    ML(graph) = prod_i ML(pa_i + v_i) / ML(pa_i),

which equals the usual product over cliques divided by the product over separators (the
terms of non-maximal sets cancel). Sets are bitmasks over the lists (list ``j`` = bit ``j``),
the same convention as ``pattern_index``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

__all__ = ["DecomposableGraph", "decomposable_graphs", "term_matrix"]


@dataclass(frozen=True)
class DecomposableGraph:
    """One decomposable graph: its edges, maximal cliques and the numerator/denominator sets."""

    t: int
    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]  # maximal cliques as bitmasks, sorted
    families: tuple[int, ...]  # pa_i | v_i, one per node
    parents: tuple[int, ...]  # pa_i (0 for a node starting a connected component)

    @property
    def n_components(self) -> int:
        return sum(1 for p in self.parents if p == 0)

    def describe(self, names: tuple[str, ...]) -> str:
        """Cliques in the notation of the log-linear literature, e.g. ``[A,B][C]``."""
        parts = []
        for c in self.cliques:
            parts.append("[" + ",".join(names[j] for j in range(self.t) if c >> j & 1) + "]")
        return "".join(parts)


def _mcs_terms(adj: list[int], t: int) -> tuple[list[int], list[int]] | None:
    """Maximum cardinality search; ``None`` when some ``pa_i`` is not complete (not chordal)."""
    visited = 0
    families: list[int] = []
    parents: list[int] = []
    for _ in range(t):
        # next: an unvisited node with the most visited neighbours (lowest index on ties)
        best, best_deg = -1, -1
        for v in range(t):
            if not visited >> v & 1:
                deg = (adj[v] & visited).bit_count()
                if deg > best_deg:
                    best, best_deg = v, deg
        pa = adj[best] & visited
        for u in range(t):
            if pa >> u & 1 and (pa & ~(1 << u)) & ~adj[u]:
                return None
        families.append(pa | 1 << best)
        parents.append(pa)
        visited |= 1 << best
    return families, parents


def _maximal(sets: list[int]) -> tuple[int, ...]:
    return tuple(sorted({s for s in sets if not any(s != o and s & o == s for o in sets)}))


@cache
def decomposable_graphs(t: int) -> tuple[DecomposableGraph, ...]:
    """All labelled decomposable graphs on ``t`` nodes (1, 2, 8, 61, 822 for t = 1..5)."""
    if not 1 <= t <= 6:
        raise ValueError("decomposable graphs are enumerated for 1 to 6 nodes only")
    pairs = list(combinations(range(t), 2))
    out: list[DecomposableGraph] = []
    for code in range(1 << len(pairs)):
        edges = tuple(p for i, p in enumerate(pairs) if code >> i & 1)
        adj = [0] * t
        for a, b in edges:
            adj[a] |= 1 << b
            adj[b] |= 1 << a
        terms = _mcs_terms(adj, t)
        if terms is None:
            continue
        families, parents = terms
        out.append(DecomposableGraph(t, edges, _maximal(families), tuple(families), tuple(parents)))
    return tuple(out)


def term_matrix(graphs: tuple[DecomposableGraph, ...]) -> npt.NDArray[np.float64]:
    """Matrix ``G`` (graphs x 2**t) with ``log ML(graph) = G @ L`` for per-set log MLs ``L``
    (``L[0]``, the empty set, is zero by construction)."""
    t = graphs[0].t if graphs else 0
    g = np.zeros((len(graphs), 1 << t))
    for i, graph in enumerate(graphs):
        for f, p in zip(graph.families, graph.parents, strict=True):
            g[i, f] += 1.0
            g[i, p] -= 1.0
    g[:, 0] = 0.0
    return g
