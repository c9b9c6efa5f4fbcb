"""The matrix-product path (the GPU's), run on CPU array-API namespaces: numpy,
array-api-strict (which refuses anything outside the standard) and array-api-compat's numpy
(the wrapper the GPU backends go through), so the code a GPU runs through CuPy or PyTorch is
the code tested here. Exact against brute force and the popcount kernels."""

from __future__ import annotations

import array_api_compat.numpy as compat_numpy
import array_api_strict
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.errors import InputError
from unseen.pprl._product import ENV_SWITCH, Backend, gpu_backend, namespace_backend, product_pairs
from unseen.pprl.bits import (
    _windows,
    linear_need,
    pack_bits,
    pair_intersections,
    pairs_above,
    popcount_rows,
)

# array-api-compat's numpy wrapper, given a device as the CuPy and PyTorch backends are.
BACKENDS = [
    namespace_backend(np, "numpy"),
    namespace_backend(array_api_strict, "strict"),
    namespace_backend(compat_numpy, "compat", device="cpu"),
]


def _sorted(words: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(words[np.argsort(popcount_rows(words), kind="stable")])


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 30),
    m=st.integers(1, 30),
    words=st.sampled_from([1, 2, 5, 16, 33]),
    same=st.booleans(),
    any_table=st.booleans(),
    row_tile=st.integers(1, 8),
    col_tile=st.integers(1, 11),
)
@pytest.mark.parametrize("backend", BACKENDS, ids=lambda b: b.name)
def test_products_find_exactly_the_pairs_of_any_table(
    backend: Backend, seed: int, n: int, m: int, words: int, same: bool, any_table: bool,
    row_tile: int, col_tile: int,
) -> None:  # fmt: skip
    rng = np.random.default_rng(seed)
    bits = 64 * words
    x = _sorted(pack_bits(rng.random((n, bits)) < rng.uniform(0.1, 0.6)))
    y = x if same else _sorted(pack_bits(rng.random((m, bits)) < rng.uniform(0.1, 0.6)))
    if any_table:
        # Not monotone, not linear: every (|a|, |b|) cell decides for itself.
        need = rng.integers(0, bits // 3 + 2, size=(bits + 1, bits + 1)).astype(np.int64)
    else:
        need = linear_need(rng.uniform(0.2, 0.9), 0.0, bits)
    pa, pb = popcount_rows(x), popcount_rows(y)
    starts, stops, _, _ = _windows(pa, pb, need, same)
    i, j, c = product_pairs(x, y, need, pa, pb, starts, stops, backend,
                            row_tile=row_tile, col_tile=col_tile)  # fmt: skip
    want = set()
    for a in range(x.shape[0]):
        for b in range(int(starts[a]), int(stops[a])):
            inter = int(np.bitwise_count(x[a] & y[b]).sum())
            if inter >= need[pa[a], pb[b]]:
                want.add((a, b))
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == want
    assert len(i) == len(want)  # no pair twice
    assert c.tolist() == pair_intersections(x, y, i, j).tolist()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), same=st.booleans(), threshold=st.floats(0.5, 0.85))
def test_pairs_above_gives_the_same_pairs_on_products_and_on_popcounts(
    seed: int, same: bool, threshold: float
) -> None:
    rng = np.random.default_rng(seed)
    x = pack_bits(rng.random((120, 1024)) < 0.3)
    x[60:] = x[:60] ^ pack_bits(rng.random((60, 1024)) < 0.04)  # near copies
    y = None if same else x[rng.permutation(120)] ^ pack_bits(rng.random((120, 1024)) < 0.03)
    need = linear_need(threshold, 0.0, 1024)
    cpu = pairs_above(x, y, need=need, engine="cpu")
    strict = pairs_above(x, y, need=need, engine="product", backend=BACKENDS[1])
    assert strict.engine == "strict" and cpu.engine == "numba"
    assert len(cpu) >= 60
    key = np.lexsort((cpu.j, cpu.i)), np.lexsort((strict.j, strict.i))
    assert cpu.i[key[0]].tolist() == strict.i[key[1]].tolist()
    assert cpu.j[key[0]].tolist() == strict.j[key[1]].tolist()
    assert cpu.inter[key[0]].tolist() == strict.inter[key[1]].tolist()


def test_float16_holds_the_counts_of_encodings_up_to_2048_bits() -> None:
    # Every integer up to 2,048 is exact in float16; 2,049 is not, so longer rows use float32.
    assert int(np.float16(2048)) == 2048 and int(np.float16(2049)) != 2049
    b = Backend("t", np, None, np.float16, np.float32, np.asarray)
    assert b.matrix_dtype(2048) is np.float16
    assert b.matrix_dtype(2112) is np.float32


def test_the_gpu_can_be_switched_off_and_asking_for_a_missing_one_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from unseen.pprl.matching import match

    monkeypatch.setenv(ENV_SWITCH, "0")
    assert gpu_backend() is None
    x = pack_bits(np.random.default_rng(1).random((10, 64)) < 0.5)
    with pytest.raises(ValueError, match="no GPU found: install CuPy"):
        pairs_above(x, need=linear_need(0.5, 0.0, 64), engine="gpu")
    # "auto" without a GPU runs the compiled kernel.
    assert pairs_above(x, need=linear_need(0.5, 0.0, 64)).engine == "numba"
    with pytest.raises(InputError, match="no GPU found.*--device cpu"):
        match([], [], device="gpu")
    with pytest.raises(InputError, match="device must be one of auto, cpu, gpu"):
        match([], [], device="cuda")


def test_a_whole_match_on_products_gives_the_clusters_of_the_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--device gpu`` end to end, with array-api-strict standing in for the GPU's library."""
    import sys
    from pathlib import Path

    from unseen.crypto import SymmetricKey
    from unseen.linkage import default_spec
    from unseen.pprl import LinkageSecret, Schema, encode, match
    from unseen.pprl import bits as bits_module
    from unseen.pprl import matching as matching_module

    sys.path.insert(0, str(Path(__file__).parent))
    from pprlkit import seeded_noise, two_lists

    a, b, _ = two_lists(60, 40, 25)
    schema = Schema.from_spec(default_spec())
    secret = LinkageSecret(SymmetricKey.from_bytes(bytes(32)), 1)
    enc = [encode(a, schema, secret, noise=seeded_noise(0)),
           encode(b, schema, secret, noise=seeded_noise(100))]  # fmt: skip
    ids = [list(a.record_id), list(b.record_id)]
    cpu = match(enc, ids, device="cpu")
    for module in (bits_module, matching_module):
        monkeypatch.setattr(module, "gpu_backend", lambda: BACKENDS[1])
    gpu = match(enc, ids, device="gpu")
    assert gpu.stats["engine"] == "strict" and cpu.stats["engine"] == "numba"
    assert gpu.stats["candidate_pairs"] == cpu.stats["candidate_pairs"] > 0
    assert gpu.cluster == cpu.cluster
    assert np.array_equal(gpu.probability, cpu.probability)
