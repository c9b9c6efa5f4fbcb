"""The bit kernel: exact against brute force (hypothesis), Dice and Hamming known answers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.pprl.bits import (
    dice,
    hamming_similarity,
    linear_need,
    pack_bits,
    pair_intersections,
    pairs_above,
    popcount_rows,
    unpack_bits,
)


def _brute(x: np.ndarray, y: np.ndarray | None, alpha: float, beta: float) -> set[tuple[int, int]]:
    other = x if y is None else y
    out = set()
    for i in range(x.shape[0]):
        for j in range(other.shape[0]):
            if y is None and j <= i:
                continue
            inter = int(np.bitwise_count(x[i] & other[j]).sum())
            pa, pb = int(np.bitwise_count(x[i]).sum()), int(np.bitwise_count(other[j]).sum())
            # linear_need forgives float noise (1e-9 per side): a threshold of
            # 0.30000000000000004 over 20 set bits still takes an intersection of 3.
            if 2 * inter >= alpha * (pa + pb) - beta - 2e-9:
                out.add((i, j))
    return out


def test_known_dice_and_hamming() -> None:
    a = np.zeros((1, 128), dtype=bool)
    b = np.zeros((1, 128), dtype=bool)
    a[0, [1, 2, 3, 70]] = True
    b[0, [2, 3, 70, 100, 127]] = True
    pa, pb = pack_bits(a), pack_bits(b)
    inter = pair_intersections(pa, pb, np.array([0]), np.array([0]))
    assert inter.tolist() == [3]
    assert dice(inter, popcount_rows(pa), popcount_rows(pb))[0] == 2 * 3 / 9
    # Hamming distance 3 of 128 bits: 1 - 6/128
    assert hamming_similarity(inter, [4], [5], 128)[0] == 1 - 2 * 3 / 128
    assert dice([5], [5], [5])[0] == 1.0 and dice([0], [0], [0])[0] == 0.0
    assert (unpack_bits(pa) == a).all()


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 40),
    m=st.integers(1, 40),
    words=st.sampled_from([1, 2, 4, 8, 16]),
    density=st.floats(0.05, 0.6),
    threshold=st.floats(0.05, 0.99),
    same=st.booleans(),
    hamming=st.booleans(),
    early_stop=st.booleans(),
    length_filter=st.booleans(),
    tile=st.integers(1, 50),
)
@pytest.mark.parametrize("engine", ["auto", "numpy"])
def test_pairs_above_is_exact(
    engine: str, seed: int, n: int, m: int, words: int, density: float, threshold: float,
    same: bool, hamming: bool, early_stop: bool, length_filter: bool, tile: int,
) -> None:  # fmt: skip
    rng = np.random.default_rng(seed)
    x = pack_bits(rng.random((n, 64 * words)) < density)
    y = None if same else pack_bits(rng.random((m, 64 * words)) < density)
    if not same:
        y[: min(n, m) // 2] = x[: min(n, m) // 2]  # some equal rows
    alpha, beta = (1.0, (1 - threshold) * 64 * words / 2) if hamming else (threshold, 0.0)
    got = pairs_above(
        x,
        y,
        need=linear_need(alpha, beta, 64 * words),
        block_cols=tile,
        early_stop=early_stop,
        length_filter=length_filter,
        engine=engine,
    )
    assert set(zip(got.i.tolist(), got.j.tolist(), strict=True)) == _brute(x, y, alpha, beta)
    other = x if y is None else y
    assert got.inter.tolist() == pair_intersections(x, other, got.i, got.j).tolist()


def test_early_stop_changes_nothing() -> None:
    rng = np.random.default_rng(5)
    x = pack_bits(rng.random((300, 1024)) < 0.3)
    x[150:] = x[:150] ^ pack_bits(rng.random((150, 1024)) < 0.02)  # near copies
    fast = pairs_above(x, need=linear_need(0.8, 0.0, 1024))
    slow = pairs_above(x, need=linear_need(0.8, 0.0, 1024), early_stop=False, engine="numpy")
    assert len(fast) >= 150
    assert sorted(zip(fast.i.tolist(), fast.j.tolist(), strict=True)) == sorted(
        zip(slow.i.tolist(), slow.j.tolist(), strict=True)
    )


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    words=st.sampled_from([1, 3, 8, 16]),
    threshold=st.floats(0.3, 0.95),
    tile=st.integers(1, 9),
)
def test_compiled_kernel_resumes_when_its_buffer_fills(
    seed: int, words: int, threshold: float, tile: int
) -> None:
    from unseen.pprl import _kernel
    from unseen.pprl.bits import _windows

    rng = np.random.default_rng(seed)
    x = pack_bits(rng.random((30, 64 * words)) < 0.4)
    y = x[rng.permutation(30)] ^ pack_bits(rng.random((30, 64 * words)) < 0.05)
    y = y[np.argsort(popcount_rows(y), kind="stable")]
    need = linear_need(threshold, 0.0, 64 * words)
    pa, pb = popcount_rows(x), popcount_rows(y)
    starts, stops, _, _ = _windows(pa, pb, need, False)
    # A buffer of one tile: the kernel returns after almost every row and picks up again.
    i, j, c = _kernel.sorted_pairs(x, y, need, pa, pb, starts, stops, tile=tile, buffer=tile)
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == _brute(x, y, threshold, 0.0)
    assert c.tolist() == pair_intersections(x, y, i, j).tolist()


def test_the_compiled_kernel_is_used_when_numba_is_installed() -> None:
    from unseen.pprl import bits

    assert bits._compiled() is not None  # numba is in the dev environment
    assert bits.engine_name() == "numba"
    x = pack_bits(np.random.default_rng(3).random((20, 64)) < 0.5)
    assert pairs_above(x, need=linear_need(0.5, 0.0, 64), engine="cpu").engine == "numba"
    assert pairs_above(x, need=linear_need(0.5, 0.0, 64), engine="numpy").engine == "numpy"
    with pytest.raises(ValueError, match="engine is 'auto', 'cpu'"):
        pairs_above(x, need=linear_need(0.5, 0.0, 64), engine="tpu")


@given(st.integers(0, 2**32 - 1))
def test_dice_of_itself_is_one(seed: int) -> None:
    x = pack_bits(np.random.default_rng(seed).random((3, 256)) < 0.3)
    x[0, 0] |= np.uint64(1)
    p = popcount_rows(x)
    inter = pair_intersections(x, x, np.arange(3), np.arange(3))
    assert (dice(inter, p, p)[p > 0] == 1.0).all()
