"""From field levels to comparisons: joint levels of fields that read one source, and a key-free
name-frequency adjustment.

**Joint levels.** A name comparison is encoded as two fields (the key's bigrams and the set of
every reading and alias). They measure the same thing, so scoring them as independent fields
counts one agreement twice: on the simulator's realistic preset that alone halved F1. Fields
of one ``source`` are therefore one comparison whose level is the pair of their levels
(``0`` still means "missing on one side"), as Splink scores one comparison per name.

**Frequency adjustment** (Splink's term-frequency adjustment, Winkler 1989, without the
values): agreeing on a common name is weaker evidence than agreeing on a rare one. The
matcher cannot see names, but it sees how many other records agree with a record at the
field's strongest level: ``tf = (1 + that count) / n`` estimates the name's frequency, from
the encodings alone. At the strongest level the weight gains ``log2(u_top / max(tf_a, tf_b))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unseen.pprl.bits import Ints
from unseen.pprl.schema import FieldSpec

__all__ = ["Comparisons", "frequency_weights", "group_fields"]

Levels = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Comparisons:
    """``members[c]``: indices of the fields of comparison ``c``; ``radix[c]``: each member's
    level count (its levels plus "missing" and "below every bin"); ``n_levels[c]``: the
    comparison's levels beyond 0."""

    names: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]
    radix: tuple[tuple[int, ...], ...]

    @property
    def n_levels(self) -> tuple[int, ...]:
        return tuple(int(np.prod(r)) - 1 for r in self.radix)

    @property
    def top(self) -> tuple[int, ...]:
        """Each comparison's level when every member agrees at its strongest level."""
        out = []
        for radix in self.radix:
            code = 0
            for r in radix:
                code = code * r + 1
            out.append(code)
        return tuple(out)

    def combine(self, field_levels: npt.NDArray[np.int8]) -> Levels:
        """``(pairs, fields)`` field levels to ``(pairs, comparisons)`` joint levels: the
        mixed-radix code of the members' levels, so 0 (every member missing) stays 0."""
        out = np.zeros((field_levels.shape[0], len(self.members)), dtype=np.int16)
        for c, (members, radix) in enumerate(zip(self.members, self.radix, strict=True)):
            code = np.zeros(field_levels.shape[0], dtype=np.int16)
            for f, r in zip(members, radix, strict=True):
                code = code * r + field_levels[:, f].astype(np.int16)
            out[:, c] = code
        return out


def group_fields(fields: Sequence[FieldSpec]) -> Comparisons:
    """Fields grouped by ``source``, in order of first appearance."""
    order: dict[str, list[int]] = {}
    for k, f in enumerate(fields):
        order.setdefault(f.source, []).append(k)
    members = tuple(tuple(v) for v in order.values())
    radix = tuple(tuple(len(fields[k].levels) + 2 for k in m) for m in members)
    return Comparisons(tuple(order), members, radix)


def frequency_weights(
    n: int, i: Ints, j: Ints, top: npt.NDArray[np.bool_], u_top: float
) -> npt.NDArray[np.float64]:
    """The frequency adjustment (log2) of each pair: nonzero only where ``top`` (the pair
    agrees at the field's strongest level). ``u_top``: that level's share of random pairs."""
    degree = np.bincount(i[top], minlength=n) + np.bincount(j[top], minlength=n)
    tf = (degree + 1.0) / max(n, 1)
    out = np.zeros(i.shape[0], dtype=np.float64)
    if u_top > 0:
        out[top] = np.log2(u_top / np.maximum(tf[i[top]], tf[j[top]]))
    return out
