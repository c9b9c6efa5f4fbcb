"""Hierarchical log-linear models over lists: terms, design matrices, enumeration, names.

A *term* is a sorted tuple of list indices: ``(0,)`` the main effect of list 0, ``(0, 2)`` the
interaction of lists 0 and 2. A model is the tuple of its terms (main effects included). Names
follow Rcapture: ``[12,25,34]`` lists the highest terms with lists numbered from 1.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

__all__ = [
    "Model",
    "Term",
    "all_cells",
    "design",
    "generators",
    "hierarchical_models",
    "main_effects",
    "model_from_name",
    "model_name",
]

Term = tuple[int, ...]
Model = tuple[Term, ...]


@cache
def all_cells(t: int) -> npt.NDArray[np.int8]:
    """The ``2**t`` patterns as bits, row ``i`` is pattern index ``i`` (row 0: the dark cell)."""
    idx = np.arange(2**t, dtype=np.int64)
    out = ((idx[:, None] >> np.arange(t)) & 1).astype(np.int8)
    out.setflags(write=False)
    return out


def main_effects(t: int) -> Model:
    return tuple((j,) for j in range(t))


def design(
    t: int, model: Sequence[Term], cells: npt.NDArray[np.int64] | None = None
) -> npt.NDArray[np.float64]:
    """Design matrix (intercept first, then one column per term) for pattern indices ``cells``
    (default: the ``2**t - 1`` observable cells, index 1 first)."""
    bits = all_cells(t)
    rows = bits[1:] if cells is None else bits[np.asarray(cells)]
    cols = [np.ones(rows.shape[0])]
    for term in model:
        cols.append(np.prod(rows[:, list(term)], axis=1).astype(np.float64))
    return np.column_stack(cols)


def model_name(model: Sequence[Term]) -> str:
    """Rcapture's name: the generating (maximal) terms, lists numbered from 1."""
    gens = generators(model)
    gens = sorted(gens, key=lambda term: (-len(term), term)) if gens else []
    return "[" + ",".join("".join(str(j + 1) for j in term) for term in gens) + "]"


def generators(model: Sequence[Term]) -> list[Term]:
    """Terms not contained in another term of the model."""
    s = [frozenset(term) for term in model]
    return sorted(
        (tuple(sorted(a)) for a in s if not any(a < b for b in s)),
        key=lambda term: (len(term), term),
    )


def closure(gens: Sequence[Term]) -> Model:
    """All non-empty subsets of the generators: the hierarchical model they generate."""
    out: set[Term] = set()
    for g in gens:
        for k in range(1, len(g) + 1):
            out.update(combinations(sorted(g), k))
    return tuple(sorted(out, key=lambda term: (len(term), term)))


def model_from_name(name: str, t: int) -> Model:
    """Parse ``[12,3]`` (lists from 1) into a hierarchical model with every main effect."""
    body = name.strip().strip("[]").replace(" ", "")
    gens: list[Term] = [(j,) for j in range(t)]
    for part in filter(None, body.split(",")):
        term = tuple(sorted(int(c) - 1 for c in part))
        if any(j < 0 or j >= t for j in term) or len(set(term)) != len(term):
            raise ValueError(f"term {part!r} does not name distinct lists 1..{t}")
        gens.append(term)
    return closure(gens)


def hierarchical_models(t: int, max_order: int = 2) -> Iterator[Model]:
    """Every hierarchical model containing all main effects, with interactions up to
    ``max_order`` (Rcapture ``getAllModels(t, maxorder, forced=1:t)``): 1,024 for five lists
    and order 2, 113 for four lists and order 3."""
    if not 1 <= max_order <= t - 1:
        raise ValueError(f"max_order must be between 1 and {t - 1}")
    by_order = {k: list(combinations(range(t), k)) for k in range(2, max_order + 1)}

    def extend(order: int, chosen: frozenset[Term]) -> Iterator[frozenset[Term]]:
        if order > max_order:
            yield chosen
            return
        allowed = (
            [
                term
                for term in by_order[order]
                if all(sub in chosen for sub in combinations(term, order - 1))
            ]
            if order > 2
            else by_order[2]
        )
        for k in range(len(allowed) + 1):
            for subset in combinations(allowed, k):
                yield from extend(order + 1, chosen | frozenset(subset))

    base = frozenset((j,) for j in range(t))
    for terms in extend(2, base):
        yield tuple(sorted(terms, key=lambda term: (len(term), term)))
