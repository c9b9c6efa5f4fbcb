"""Clusters that refuse weak chains: average linkage over scored pairs.

Connected components join two clusters on their single strongest pair, so one false pair
between two common names chains whole families of records together (on the simulator's
realistic preset, one cluster of 9,819 records). Here pairs are taken strongest first, and
two clusters join only when the mean match probability over *all* their cross pairs reaches
the threshold, a pair never scored counting as 0 (average linkage, as in hierarchical
clustering). Two single records join exactly when their pair passes; a third record joins
a pair only when it matches both well enough on average.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from unseen.pprl.bits import Ints

__all__ = ["average_linkage"]


def average_linkage(
    n: int, i: Ints, j: Ints, probability: npt.NDArray[np.float64], threshold: float
) -> tuple[list[int], list[float | None]]:
    """Cluster labels (the least member of each cluster) and, per record, the probability of
    the pair that first joined it (``None``: a singleton)."""
    keep = np.flatnonzero(probability >= threshold)
    order = keep[np.lexsort((j[keep], i[keep], -probability[keep]))]
    label = list(range(n))
    members: dict[int, list[int]] = {}
    # Sum of probabilities between clusters, over the pairs above the threshold; pairs below
    # it count as 0, which can only make a join less likely.
    links: dict[int, dict[int, float]] = {}
    for k in order.tolist():
        a, b, p = int(i[k]), int(j[k]), float(probability[k])
        links.setdefault(a, {})[b] = links.get(a, {}).get(b, 0.0) + p
        links.setdefault(b, {})[a] = links.get(b, {}).get(a, 0.0) + p
    joined: list[float | None] = [None] * n
    for k in order.tolist():
        a, b = int(i[k]), int(j[k])
        ra, rb = label[a], label[b]
        if ra == rb:
            continue
        size_a, size_b = len(members.get(ra, (ra,))), len(members.get(rb, (rb,)))
        if links[ra].get(rb, 0.0) < threshold * size_a * size_b:
            continue
        if size_a < size_b:
            ra, rb = rb, ra
        moved = members.pop(rb, [rb])
        members.setdefault(ra, [ra]).extend(moved)
        for x in moved:
            label[x] = ra
        into = links[ra]
        for c, v in links.pop(rb).items():
            if c == ra:
                continue
            into[c] = into.get(c, 0.0) + v
            other = links[c]
            other[ra] = other.get(ra, 0.0) + v
            del other[rb]
        into.pop(rb, None)
        p = float(probability[k])
        for x in (a, b):
            if joined[x] is None:
                joined[x] = p
    least: dict[int, int] = {}
    for x in range(n):
        least.setdefault(label[x], x)
    return [least[label[x]] for x in range(n)], joined
