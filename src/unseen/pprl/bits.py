"""Bit-packed encodings: rows of ``uint64`` words, popcounts, and the Dice / Hamming kernel.

An encoding of ``bits`` bits is a row of ``bits // 64`` little-endian ``uint64`` words (bit
``b`` is bit ``b % 64`` of word ``b // 64``). Every similarity here comes from three popcounts:
``|a|``, ``|b|`` and ``|a & b|``; Dice is ``2|a & b| / (|a| + |b|)`` and the Hamming distance
is ``|a| + |b| - 2|a & b|``.

:func:`pairs_above` finds every pair whose intersection reaches a table ``need[|a|, |b|]``
(:func:`linear_need` for Dice at least ``t``: ``2|a & b| >= t (|a| + |b|)``; any similarity
that grows with ``|a & b|`` at fixed popcounts has such a table).
Two exact prunings, neither of which changes the answer:

- **length (cardinality) filter**: a pair can pass only if ``need[|a|, |b|] <= min(|a|, |b|)``
  (for Dice at least ``t``: ``2 min(|a|, |b|) / (|a| + |b|) >= t``), so both sides are sorted
  by popcount and each row meets only the run of columns whose popcounts allow it;
- **early exit**: after half the words, a pair whose count so far plus the smaller popcount of
  the two rows' remaining words cannot reach the bound is dropped, and only the few survivors
  are finished.

With numba installed a compiled kernel (:mod:`unseen.pprl._kernel`, vectorised over tiles of
columns) does the work. Otherwise numpy takes one row at a time against word-major blocks of
columns, so each numpy call runs over thousands of contiguous words with the row's word as a
scalar. Where a CUDA GPU is present (CuPy or PyTorch installed, :func:`unseen.pprl._product.
gpu_backend`), large searches run there instead, as tiled matrix products of the 0/1 bits with
the threshold applied on the device (:mod:`unseen.pprl._product`): the same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from unseen.pprl._product import COL_TILE, ENV_SWITCH, Backend, gpu_backend, product_pairs

__all__ = [
    "PairCounts",
    "dice",
    "engine_name",
    "hamming_similarity",
    "linear_need",
    "pack_bits",
    "pair_intersections",
    "pairs_above",
    "popcount_rows",
    "unpack_bits",
]

Words = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PairCounts:
    """Pairs ``(i[k], j[k])`` with their intersection popcount ``inter[k]``."""

    i: Ints
    j: Ints
    inter: Ints
    # What found them: "numba", "numpy" or "gpu (<library>, <device>)".
    engine: str = ""

    def __len__(self) -> int:
        return int(self.i.shape[0])


def pack_bits(bits: npt.NDArray[np.bool_]) -> Words:
    """``(n, bits)`` booleans to ``(n, bits // 64)`` words; ``bits`` must be a multiple of 64."""
    n, width = bits.shape
    if width % 64:
        raise ValueError("an encoding's length is a multiple of 64 bits")
    packed = np.packbits(bits, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view("<u8").astype(np.uint64, copy=False).reshape(n, -1)


def unpack_bits(words: Words) -> npt.NDArray[np.bool_]:
    as_bytes = np.ascontiguousarray(words).astype("<u8", copy=False).view(np.uint8)
    return np.unpackbits(as_bytes, axis=1, bitorder="little").astype(bool)


def popcount_rows(words: Words) -> Ints:
    out: Ints = np.bitwise_count(words).sum(axis=1, dtype=np.int64)
    return out


def pair_intersections(x: Words, y: Words, i: Ints, j: Ints, *, chunk: int = 65536) -> Ints:
    """``|x[i[k]] & y[j[k]]|`` for every k, in chunks so memory stays bounded."""
    out = np.empty(i.shape[0], dtype=np.int64)
    for s in range(0, i.shape[0], chunk):
        e = s + chunk
        out[s:e] = np.bitwise_count(x[i[s:e]] & y[j[s:e]]).sum(axis=1, dtype=np.int64)
    return out


def dice(inter: npt.ArrayLike, pa: npt.ArrayLike, pb: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Dice coefficient from popcounts; two empty encodings have Dice 0."""
    i, a, b = (np.asarray(v, dtype=np.float64) for v in (inter, pa, pb))
    total = a + b
    return np.divide(2.0 * i, total, out=np.zeros_like(total), where=total > 0)


def hamming_similarity(
    inter: npt.ArrayLike, pa: npt.ArrayLike, pb: npt.ArrayLike, bits: int
) -> npt.NDArray[np.float64]:
    """``1 - 2H / bits``, clipped at 0: 1 for equal rows, about 0 for unrelated dense rows."""
    i, a, b = (np.asarray(v, dtype=np.float64) for v in (inter, pa, pb))
    return np.clip(1.0 - 2.0 * (a + b - 2.0 * i) / bits, 0.0, 1.0)


def linear_need(alpha: float, beta: float, bits: int) -> npt.NDArray[np.int64]:
    """The least ``|a & b|`` with ``2|a & b| >= alpha (|a| + |b|) - beta``, for every pair of
    popcounts: a ``(bits + 1, bits + 1)`` table for :func:`pairs_above`."""
    p = np.arange(bits + 1, dtype=np.float64)
    need = np.ceil((alpha * (p[:, None] + p[None, :]) - beta) / 2.0 - 1e-9)
    out: npt.NDArray[np.int64] = np.clip(need, 0, None).astype(np.int64)
    return out


def pairs_above(
    x: Words,
    y: Words | None = None,
    *,
    need: npt.NDArray[np.int64],
    block_cols: int | None = None,
    early_stop: bool = True,
    length_filter: bool = True,
    engine: str = "auto",
    backend: Backend | None = None,
) -> PairCounts:
    """Every pair with ``|a & b| >= need[|a|, |b|]`` (``need``: :func:`linear_need`, or any
    ``(bits + 1, bits + 1)`` table of least intersections).

    With ``y=None`` the pairs are within ``x`` (``i < j``); otherwise ``i`` indexes ``x`` and
    ``j`` indexes ``y``. ``block_cols``: columns per block (numpy, 8192) or per tile (compiled,
    :data:`unseen.pprl._kernel.TILE`; products, :data:`unseen.pprl._product.COL_TILE`).

    ``engine``: ``"auto"`` (a GPU when one is present and the search is large, else the
    compiled kernel when numba is installed, else numpy), ``"cpu"`` (the same without the
    GPU), ``"numpy"``, ``"gpu"`` (matrix products on the GPU; an error when there is none)
    or ``"product"`` (the same products on ``backend``, e.g. numpy's namespace in tests).
    ``early_stop=False`` counts every word of a pair before testing it, and
    ``length_filter=False`` (compiled kernel only) compares every row with every column: both
    only to measure what each pruning saves; same pairs.

    Rows are sorted by popcount first (as anonlink does): a pair needs at least
    ``need[|a|, |b|] <= min(|a|, |b|)``, so each row is compared only with the run of columns
    whose popcounts allow it.
    """
    same = y is None
    other = x if y is None else y
    words = x.shape[1]
    if other.shape[1] != words:
        raise ValueError("both sides need encodings of the same length")
    if need.shape != (64 * words + 1, 64 * words + 1):
        raise ValueError("need must be a (bits + 1, bits + 1) table")
    row_order = np.argsort(popcount_rows(x), kind="stable")
    col_order = row_order if same else np.argsort(popcount_rows(other), kind="stable")
    xs = np.ascontiguousarray(x[row_order])
    ys = xs if same else np.ascontiguousarray(other[col_order])
    device = _device(engine, backend, xs, ys, same, need)
    kernel = _compiled() if engine in ("auto", "cpu") else None
    if device is not None:
        pa, pb = popcount_rows(xs), popcount_rows(ys)
        starts, stops, _, _ = _windows(pa, pb, need, same)
        cols = COL_TILE if block_cols is None else block_cols
        i, j, c = product_pairs(xs, ys, need, pa, pb, starts, stops, device, col_tile=cols)
        found = PairCounts(i, j, c, device.name)
    elif kernel is not None:
        tile = kernel.TILE if block_cols is None else block_cols
        found = _compiled_pairs(kernel, xs, ys, same, need, early_stop, length_filter, tile)
    else:
        found = _sorted_pairs(xs, ys, same, need, block_cols or 8192, early_stop)
    gi, gj = row_order[found.i], col_order[found.j]
    if same:
        gi, gj = np.minimum(gi, gj), np.maximum(gi, gj)
    return PairCounts(gi.astype(np.int64), gj.astype(np.int64), found.inter, found.engine)


# Pairs inside the length windows from which "auto" moves a search to a GPU: below this the
# compiled kernel (about 6e8 pairs/s on two cores) is done before a GPU would have started.
GPU_MIN_PAIRS = 200_000_000


def _device(
    engine: str,
    backend: Backend | None,
    xs: Words,
    ys: Words,
    same: bool,
    need: npt.NDArray[np.int64],
) -> Backend | None:
    """The backend that runs the matrix products, or None for the popcount kernels."""
    if engine == "product":
        if backend is None:
            raise ValueError("engine 'product' needs a backend")
        return backend
    if engine == "gpu":
        gpu = gpu_backend()
        if gpu is None:
            raise ValueError(
                "no GPU found: install CuPy (pip install 'unseen[gpu]') or PyTorch with CUDA, "
                f"and leave {ENV_SWITCH} unset"
            )
        return gpu
    if engine in ("numpy", "cpu"):
        return None
    if engine != "auto":
        raise ValueError("engine is 'auto', 'cpu', 'numpy', 'gpu' or 'product'")
    gpu = gpu_backend()
    if gpu is None:
        return None
    starts, stops, _, _ = _windows(popcount_rows(xs), popcount_rows(ys), need, same)
    return gpu if int((stops - starts).sum()) >= GPU_MIN_PAIRS else None


def engine_name() -> str:
    """What :func:`pairs_above` runs small searches on with ``engine="auto"``: ``"numba"`` or
    ``"numpy"`` (large ones go to the GPU where one is present: :attr:`PairCounts.engine`)."""
    return "numba" if _compiled() is not None else "numpy"


def _compiled() -> Any:
    """The numba kernel module, or None when numba is not installed (numpy then)."""
    try:
        from unseen.pprl import _kernel
    except ImportError:
        return None
    return _kernel


def _windows(
    pa: Ints, pb: Ints, need: npt.NDArray[np.int64], same: bool
) -> tuple[Ints, Ints, Ints, Ints]:
    """For rows of popcount ``pa`` against sorted columns of popcount ``pb``: the run of
    columns whose popcounts allow a pair, ``[start, stop)`` per row (``lo_q``, ``hi_q``: the
    allowed column popcounts per row popcount)."""
    bits = need.shape[0] - 1
    q = np.arange(bits + 1)
    possible = need <= np.minimum(q[:, None], q[None, :])
    lo_q = np.where(possible.any(axis=1), possible.argmax(axis=1), bits + 1)
    hi_q = np.where(possible.any(axis=1), bits - possible[:, ::-1].argmax(axis=1), -1)
    starts = np.searchsorted(pb, lo_q[pa], side="left").astype(np.int64)
    stops = np.searchsorted(pb, hi_q[pa], side="right").astype(np.int64)
    if same:
        starts = np.maximum(starts, np.arange(pa.shape[0], dtype=np.int64) + 1)
    stops = np.maximum(stops, starts)
    return starts, stops, lo_q, hi_q


def _compiled_pairs(
    kernel: Any,
    x: Words,
    other: Words,
    same: bool,
    need: npt.NDArray[np.int64],
    early_stop: bool,
    length_filter: bool,
    tile: int,
) -> PairCounts:
    pa, pb = popcount_rows(x), popcount_rows(other)
    if length_filter:
        starts, stops, _, _ = _windows(pa, pb, need, same)
    else:
        n, m = x.shape[0], other.shape[0]
        starts = np.arange(1, n + 1, dtype=np.int64) if same else np.zeros(n, dtype=np.int64)
        stops = np.maximum(np.full(n, m, dtype=np.int64), starts)
    i, j, c = kernel.sorted_pairs(x, other, np.ascontiguousarray(need), pa, pb, starts, stops,
                                  early_stop=early_stop, tile=tile)  # fmt: skip
    return PairCounts(i, j, c, "numba")


def _sorted_pairs(
    x: Words,
    other: Words,
    same: bool,
    need: npt.NDArray[np.int64],
    block_cols: int,
    early_stop: bool,
) -> PairCounts:
    n, words = x.shape
    m = other.shape[0]
    bits = 64 * words
    half = words // 2 if words >= 4 and early_stop else words
    pa, pb = popcount_rows(x), popcount_rows(other)
    # Which column popcounts can pass at all with a row of popcount p: the hull of
    # need[p, q] <= min(p, q).
    q = np.arange(bits + 1)
    possible = need <= np.minimum(q[:, None], q[None, :])
    lo_q = np.where(possible.any(axis=1), possible.argmax(axis=1), bits + 1)
    hi_q = np.where(possible.any(axis=1), bits - possible[:, ::-1].argmax(axis=1), -1)
    rest_a = popcount_rows(x[:, half:]) if half < words else np.zeros(n, dtype=np.int64)
    cols = np.ascontiguousarray(other.T)  # word-major: each word of every column is contiguous
    need16 = np.clip(need, -32000, 32000).astype(np.int16)
    found_i: list[Ints] = []
    found_j: list[Ints] = []
    found_c: list[Ints] = []
    width = min(block_cols, max(m, 1))
    tmp = np.empty(width, dtype=np.uint64)
    cnt = np.empty(width, dtype=np.uint8)
    acc = np.empty(width, dtype=np.int16)
    for i in range(n):
        row = x[i]
        p = int(pa[i])
        start = int(np.searchsorted(pb, lo_q[p], side="left"))
        stop = int(np.searchsorted(pb, hi_q[p], side="right"))
        if same:
            start = max(start, i + 1)
        if start >= stop:
            continue
        words_i = [row[w] for w in range(half)]
        # After half the words a pair can still pass when count + rest of row i >= need: the
        # accumulator starts at -need and must end at -rest or above.
        row_need = need16[p]
        shift = int(rest_a[i])
        for lo in range(start, stop, block_cols):
            c1 = min(stop, lo + block_cols)
            cc = c1 - lo
            a, t, k = acc[:cc], tmp[:cc], cnt[:cc]
            np.bitwise_and(cols[0, lo:c1], words_i[0], out=t)
            np.bitwise_count(t, out=k)
            np.subtract(k, row_need[pb[lo:c1]], out=a)
            for w in range(1, half):
                np.bitwise_and(cols[w, lo:c1], words_i[w], out=t)
                np.bitwise_count(t, out=k)
                np.add(a, k, out=a)
            (jj,) = np.nonzero(a >= -shift)
            if jj.size == 0:
                continue
            gj = jj + lo
            inter = a[jj].astype(np.int64) + need[p, pb[gj]]
            if half < words:
                inter += np.bitwise_count(other[gj, half:] & row[half:]).sum(axis=1, dtype=np.int64)
            ok = inter >= need[p, pb[gj]]
            if ok.any():
                found_j.append(gj[ok])
                found_c.append(inter[ok])
                found_i.append(np.full(int(ok.sum()), i, dtype=np.int64))
    if not found_i:
        empty = np.zeros(0, dtype=np.int64)
        return PairCounts(empty, empty.copy(), empty.copy(), "numpy")
    return PairCounts(
        np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_c), "numpy"
    )
