"""The compiled all-pairs kernel (numba), used by :func:`unseen.pprl.bits.pairs_above` when
numba is installed; :mod:`unseen.pprl.bits` has the numpy fallback that gives the same pairs.

Per pair it ANDs and popcounts word by word and stops as soon as the pair cannot reach its
bound: after each quarter of the words, ``count + min(rest of a, rest of b) < need`` means the
pair fails whatever the remaining words hold (exact: no false negative). Most pairs of
unrelated records stop after a quarter of the work.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

__all__ = ["sorted_pairs"]


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _kernel(
    x: Any,
    y: Any,
    rest_x: Any,
    rest_y: Any,
    pa: Any,
    pb: Any,
    need: Any,
    starts: Any,
    stops: Any,
    row0: int,
    out_i: Any,
    out_j: Any,
    out_c: Any,
) -> tuple[int, int]:
    n, words = x.shape
    q = rest_x.shape[1]
    step = words // q
    found = 0
    cap = out_i.shape[0]
    alive = np.empty(max(y.shape[0], 1), dtype=np.int64)
    counts = np.empty(max(y.shape[0], 1), dtype=np.int64)
    for i in range(row0, n):
        start, stop = starts[i], stops[i]
        if stop - start > cap - found:
            return found, i
        row_need = need[pa[i]]
        # First part, branch-free over the row's whole window: count, then keep the pairs
        # that can still pass (compaction by index arithmetic, no unpredictable branch).
        ra0 = rest_x[i, 0]
        k = 0
        if step == 8:  # 1024-bit encodings: the row's half in registers, unrolled
            x0, x1, x2, x3 = x[i, 0], x[i, 1], x[i, 2], x[i, 3]
            x4, x5, x6, x7 = x[i, 4], x[i, 5], x[i, 6], x[i, 7]
        for j in range(start, stop):
            if step == 8:
                c = (_pop(x0 & y[j, 0]) + _pop(x1 & y[j, 1]) + _pop(x2 & y[j, 2])
                     + _pop(x3 & y[j, 3]) + _pop(x4 & y[j, 4]) + _pop(x5 & y[j, 5])
                     + _pop(x6 & y[j, 6]) + _pop(x7 & y[j, 7]))  # fmt: skip
            else:
                c = 0
                for w in range(step):
                    c += _pop(x[i, w] & y[j, w])
            alive[k] = j
            counts[k] = c
            k += int(c + min(ra0, rest_y[j, 0]) >= row_need[pb[j]])
        # The survivors, part by part, stopping each at the first part it cannot pass.
        for t in range(k):
            j = alive[t]
            c = counts[t]
            bound = row_need[pb[j]]
            ok = True
            for p in range(1, q):
                for w in range(p * step, (p + 1) * step):
                    c += _pop(x[i, w] & y[j, w])
                if c + min(rest_x[i, p], rest_y[j, p]) < bound:
                    ok = False
                    break
            if ok:
                out_i[found] = i
                out_j[found] = j
                out_c[found] = c
                found += 1
    return found, n


@numba.njit(inline="always")
def _pop(v: Any) -> Any:
    # SWAR popcount; LLVM turns it into POPCNT where the CPU has it.
    v = v - ((v >> np.uint64(1)) & np.uint64(0x5555555555555555))
    v = (v & np.uint64(0x3333333333333333)) + ((v >> np.uint64(2)) & np.uint64(0x3333333333333333))
    v = (v + (v >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((v * np.uint64(0x0101010101010101)) >> np.uint64(56))


def sorted_pairs(
    x: Any, y: Any, need: Any, pa: Any, pb: Any, starts: Any, stops: Any
) -> tuple[Any, Any, Any]:
    """Pairs ``(i, j)`` with ``|x[i] & y[j]| >= need[pa[i], pb[j]]`` for ``j`` in
    ``[starts[i], stops[i])``; ``x``, ``y``: ``(n, words)`` uint64."""
    words = x.shape[1]
    q = 2 if words % 2 == 0 else 1
    rest_x = _rests(x, q)
    rest_y = _rests(y, q)
    cap = max(1 << 16, 4 * y.shape[0])
    parts_i, parts_j, parts_c = [], [], []
    row = 0
    while row < x.shape[0]:
        out_i = np.empty(cap, dtype=np.int64)
        out_j = np.empty(cap, dtype=np.int64)
        out_c = np.empty(cap, dtype=np.int64)
        found, row = _kernel(x, y, rest_x, rest_y, pa, pb, need, starts, stops, row,
                             out_i, out_j, out_c)  # fmt: skip
        parts_i.append(out_i[:found])
        parts_j.append(out_j[:found])
        parts_c.append(out_c[:found])
    return np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_c)


def _rests(words: Any, q: int) -> Any:
    """``rest[r, s]``: popcount of row r's words after the s-th of q equal parts."""
    n, w = words.shape
    per_part = np.bitwise_count(words).reshape(n, q, w // q).sum(axis=2, dtype=np.int64)
    tail = np.cumsum(per_part[:, ::-1], axis=1)[:, ::-1]
    out = np.zeros((n, q), dtype=np.int64)
    out[:, :-1] = tail[:, 1:]
    return np.ascontiguousarray(out)
