"""The compiled all-pairs kernel (numba), used by :func:`unseen.pprl.bits.pairs_above` when
numba is installed; :mod:`unseen.pprl.bits` has the numpy fallback that gives the same pairs.

Columns are taken in tiles (:data:`TILE` by default; popcount-sorted, so a tile spans few
popcounts). For each row and the part of its popcount window inside a tile, the first half
of the words is counted column-major: the innermost loop runs over the tile's columns with
the row's word as a scalar, which LLVM vectorises (AVX-512 ``VPOPCNTQ`` where the CPU has it,
8 pairs per instruction). Each pair's count plus the smaller popcount of the two rows' second
halves bounds its intersection; a run of 128 columns is scanned pair by pair only when its largest
such bound reaches the least ``need`` of any column popcount in the tile, and a pair is
finished (second half, row-major) only when its own bound reaches its own ``need``. Every
step discards only pairs that cannot pass whatever the unread words hold: the answer is
exact.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

__all__ = ["TILE", "sorted_pairs"]

# Columns per tile (default): the half-words of 2,048 columns (64 KiB at 1024 bits) stay in L2.
TILE = 2048
# Columns whose bounds are checked together: a row's pairs are scanned one by one only in a
# run of this many columns whose largest bound reaches the tile's least need.
_SCAN = 128


@numba.njit(cache=True, nogil=True, boundscheck=False)
def _kernel(
    x: Any,
    yt: Any,
    y: Any,
    rest_x: Any,
    rest_y: Any,
    pa: Any,
    pb: Any,
    need: Any,
    tile_need: Any,
    starts: Any,
    stops: Any,
    stage: int,
    tile_cols: int,
    pos: Any,
    out_i: Any,
    out_j: Any,
    out_c: Any,
) -> int:
    n, words = x.shape
    m = y.shape[0]
    cnt = np.empty(tile_cols, dtype=np.int64)
    found = 0
    cap = out_i.shape[0]
    c0 = pos[0]
    row0 = pos[1]
    while c0 < m:
        c1 = min(m, c0 + tile_cols)
        tile = c0 // tile_cols
        for i in range(row0, n):
            first = starts[i]
            lo = max(first, c0)
            hi = min(stops[i], c1)
            if lo >= hi:
                continue
            # Whole vectors: columns outside the window fail their own need (a popcount the
            # window excludes cannot pass), and those before ``first`` are skipped below.
            lo = max(c0, lo - (lo & 31))
            hi = min(c1, hi + (-hi & 31))
            if hi - lo > cap - found:  # the caller empties the buffers and calls again
                pos[0] = c0
                pos[1] = i
                return found
            width = hi - lo
            cc = cnt[:width]
            cc[:] = 0
            for w in range(stage):
                xw = x[i, w]
                col = yt[w, lo:hi]
                for t in range(width):
                    cc[t] += _pop(xw & col[t])
            ra = rest_x[i]
            ry = rest_y[lo:hi]
            least = tile_need[pa[i], tile]
            row_need = need[pa[i]]
            for s0 in range(0, width, _SCAN):
                s1 = min(width, s0 + _SCAN)
                best = np.int64(-1)
                for t in range(s0, s1):
                    b = cc[t] + min(ra, ry[t])
                    cc[t] = b
                    best = max(best, b)
                if best < least:
                    continue
                for t in range(s0, s1):
                    j = lo + t
                    bound = row_need[pb[j]]
                    if cc[t] < bound or j < first:
                        continue
                    c = cc[t] - min(ra, ry[t])
                    for w in range(stage, words):
                        c += _pop(x[i, w] & y[j, w])
                    if c >= bound:
                        out_i[found] = i
                        out_j[found] = j
                        out_c[found] = c
                        found += 1
        row0 = 0
        c0 = c1
    pos[0] = m
    pos[1] = 0
    return found


@numba.njit(inline="always")
def _pop(v: Any) -> Any:
    # SWAR popcount; LLVM turns it into POPCNT (VPOPCNTQ when vectorised) where the CPU has it.
    v = v - ((v >> np.uint64(1)) & np.uint64(0x5555555555555555))
    v = (v & np.uint64(0x3333333333333333)) + ((v >> np.uint64(2)) & np.uint64(0x3333333333333333))
    v = (v + (v >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((v * np.uint64(0x0101010101010101)) >> np.uint64(56))


def sorted_pairs(
    x: Any,
    y: Any,
    need: Any,
    pa: Any,
    pb: Any,
    starts: Any,
    stops: Any,
    *,
    early_stop: bool = True,
    tile: int = TILE,
    buffer: int | None = None,
) -> tuple[Any, Any, Any]:
    """Pairs ``(i, j)`` with ``|x[i] & y[j]| >= need[pa[i], pb[j]]`` for ``j`` in
    ``[starts[i], stops[i])``; ``x``, ``y``: ``(n, words)`` uint64, ``y`` sorted by popcount
    ``pb``. ``early_stop=False`` counts every word of every pair in the windows; ``tile``:
    columns per tile; ``buffer``: pairs held before the kernel returns to have them moved
    (at least ``tile``; small only in tests)."""
    words = x.shape[1]
    stage = max(1, words // 2) if early_stop else words
    rest_x = np.bitwise_count(x[:, stage:]).sum(axis=1, dtype=np.int64)
    rest_y = np.bitwise_count(y[:, stage:]).sum(axis=1, dtype=np.int64)
    yt = np.ascontiguousarray(y[:, :stage].T)
    tile_need = _tile_need(need, pb, tile)
    cap = max(tile, buffer if buffer is not None else max(1 << 16, 4 * y.shape[0]))
    pos = np.zeros(2, dtype=np.int64)
    parts_i, parts_j, parts_c = [], [], []
    while True:
        out_i = np.empty(cap, dtype=np.int64)
        out_j = np.empty(cap, dtype=np.int64)
        out_c = np.empty(cap, dtype=np.int64)
        found = _kernel(x, yt, y, rest_x, rest_y, pa, pb, need, tile_need, starts, stops,
                        stage, tile, pos, out_i, out_j, out_c)  # fmt: skip
        parts_i.append(out_i[:found])
        parts_j.append(out_j[:found])
        parts_c.append(out_c[:found])
        if pos[0] >= y.shape[0]:
            break
    return np.concatenate(parts_i), np.concatenate(parts_j), np.concatenate(parts_c)


def _tile_need(need: Any, pb: Any, tile: int) -> Any:
    """``[p, tile]``: the least ``need[p, q]`` over the popcounts ``q`` of a tile's columns
    (a lower bound for any part of the tile, since any table is allowed, monotone or not)."""
    tiles = max(1, -(-pb.shape[0] // tile))
    out = np.empty((need.shape[0], tiles), dtype=np.int64)
    for k in range(tiles):
        q = pb[k * tile : (k + 1) * tile]
        lo, hi = (int(q.min()), int(q.max())) if q.size else (0, 0)
        out[:, k] = need[:, lo : hi + 1].min(axis=1)
    return np.ascontiguousarray(out)
