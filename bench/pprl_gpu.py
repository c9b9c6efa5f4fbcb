"""PPRL on a GPU: all-pairs Dice >= 0.8 on 1024-bit encodings as tiled 0/1 matrix products
(:mod:`unseen.pprl._product`), against the CPU's compiled popcount kernel in the same run.

    .venv/bin/python bench/pprl_gpu.py                 # here: the product path on numpy
    python3 bench/pprl_gpu.py --n 1000000              # on a machine with a CUDA GPU

Encodings are synthetic (no records needed): rows of density 0.15-0.35 (popcounts spread as
a CLK's are), the second side a shuffled copy of the first with 2% of bits flipped in half
its rows and fresh rows in the other half, so about n/2 pairs pass. Comparisons per second =
n x n / seconds (as anonlink counts), whole call timed: sorting, unpacking the bits, moving
them to the device, the products, the threshold and the pairs coming back.

The anchor is the compiled kernel (numba; about 6e8 comparisons/s on this 2-core machine,
3.9x anonlink) on an ``--anchor`` x ``--anchor`` corner of the same data, timed in the same
run; the product path's pairs on that corner must equal the kernel's exactly.

On a GPU machine without the project's other dependencies, only numpy, numba,
array-api-compat and CuPy or PyTorch are needed: the three kernel modules are loaded without
the rest of ``unseen.pprl`` (its encoder needs the name libraries).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import types
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _kernels() -> tuple[Any, Any]:
    """``unseen.pprl.bits`` and ``unseen.pprl._product``, with or without the whole package."""
    sys.path.insert(0, str(ROOT / "src"))
    try:
        importlib.import_module("unseen.pprl")
    except ImportError:
        # The package's __init__ pulls in the encoder; the kernels need numpy alone.
        for name in ("unseen", "unseen.pprl"):
            sys.modules.pop(name, None)
        for name, path in (("unseen", "src/unseen"), ("unseen.pprl", "src/unseen/pprl")):
            pkg = types.ModuleType(name)
            pkg.__path__ = [str(ROOT / path)]
            sys.modules[name] = pkg
    return importlib.import_module("unseen.pprl.bits"), importlib.import_module(
        "unseen.pprl._product"
    )


def encodings(n: int, seed: int, chunk: int = 65536) -> tuple[np.ndarray, np.ndarray]:
    """Two sides of ``n`` 1024-bit rows (see the module doc)."""
    bits, _ = _kernels()
    rng = np.random.default_rng(seed)
    a = np.empty((n, 16), dtype=np.uint64)
    b = np.empty((n, 16), dtype=np.uint64)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        dens = rng.uniform(0.15, 0.35, size=(e - s, 1)).astype(np.float32)
        a[s:e] = bits.pack_bits(rng.random((e - s, 1024), dtype=np.float32) < dens)
    half = n // 2
    order = rng.permutation(n)
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        rows = order[s:e]
        flip = rng.random((e - s, 1024), dtype=np.float32) < 0.02
        b[s:e] = a[rows] ^ bits.pack_bits(flip)
        fresh = rows >= half
        if fresh.any():
            dens = rng.uniform(0.15, 0.35, size=(int(fresh.sum()), 1)).astype(np.float32)
            b[s:e][fresh] = bits.pack_bits(
                rng.random((int(fresh.sum()), 1024), dtype=np.float32) < dens
            )
    return a, b


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=0, help="rows per side (default: 1,000,000 "
                    "on a GPU, 8,000 on the CPU)")  # fmt: skip
    ap.add_argument("--anchor", type=int, default=20000, help="rows per side for the CPU kernel")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--col-tile", type=int, default=0, help="columns per product tile")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    bits, product = _kernels()
    gpu = product.gpu_backend()
    n = args.n or (1_000_000 if gpu is not None else 8000)
    backend = gpu if gpu is not None else product.namespace_backend(np, "numpy (CPU)")
    t0 = time.perf_counter()
    a, b = encodings(n, args.seed)
    t_data = time.perf_counter() - t0
    need = bits.linear_need(args.threshold, 0.0, 1024)
    col = args.col_tile or None
    # Warm-up (numba's compiled kernel load, the GPU's context and libraries): not timed.
    bits.pairs_above(a[:64], b[:64], need=need, engine="cpu")
    bits.pairs_above(a[:64], b[:64], need=need, engine="product", backend=backend)
    k = min(n, args.anchor)
    t0 = time.perf_counter()
    cpu = bits.pairs_above(a[:k], b[:k], need=need, engine="cpu")
    t_cpu = time.perf_counter() - t0
    corner = bits.pairs_above(a[:k], b[:k], need=need, engine="product", backend=backend,
                              block_cols=col)  # fmt: skip
    same = sorted(zip(cpu.i.tolist(), cpu.j.tolist(), cpu.inter.tolist(), strict=True)) == sorted(
        zip(corner.i.tolist(), corner.j.tolist(), corner.inter.tolist(), strict=True)
    )
    t0 = time.perf_counter()
    found = bits.pairs_above(a, b, need=need, engine="product", backend=backend, block_cols=col)
    t_big = time.perf_counter() - t0
    print(f"all-pairs Dice >= {args.threshold} on 1024-bit encodings; data made in {t_data:.1f} s")
    print(f"{'method':<44}{'n x m':>22}{'pairs':>10}{'seconds':>9}{'comparisons/s':>15}")
    print(f"{'CPU kernel (' + cpu.engine + ', anchor)':<44}{f'{k:,} x {k:,}':>22}"
          f"{len(cpu):>10,}{t_cpu:>9.2f}{k * k / t_cpu:>15.3e}")  # fmt: skip
    print(f"{'products on ' + backend.name:<44}{f'{n:,} x {n:,}':>22}"
          f"{len(found):>10,}{t_big:>9.2f}{n * n / t_big:>15.3e}")  # fmt: skip
    print(f"ratio products / CPU kernel (comparisons/s): {(n * n / t_big) / (k * k / t_cpu):.2f}x")
    print(f"products' pairs on the {k:,} x {k:,} corner equal the kernel's: {same}")
    if gpu is None:
        print("no GPU found (CuPy or PyTorch with CUDA): the 1M x 1M figure needs one; "
              "target >= 1e11 comparisons/s")  # fmt: skip
    if not same:
        raise SystemExit("the product path and the kernel disagree")


if __name__ == "__main__":
    main()
