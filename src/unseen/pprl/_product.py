"""All-pairs intersections as matrix products of 0/1 bit matrices, on any array-API library.

``|a & b|`` for every pair of two blocks of rows is the product ``A @ B.T`` of their bits as
0/1 numbers, which a GPU's matrix units compute far faster than popcounts. This module runs
that product on a :class:`Backend`: CuPy or PyTorch on a CUDA device when one is present
(:func:`gpu_backend`), or any array-API namespace (numpy, array-api-strict) for the tests and
for measuring on a CPU. Only the array API standard is used between :func:`Backend.put`
and :func:`Backend.to_host`, so the code that runs on a GPU is the code the tests run.

The threshold is applied tile by tile on the device (``inter >= need[|a|, |b|]``, for any
table), so only a tile of counts exists at once and only the passing pairs come back; both
sides are sorted by popcount and each tile of rows meets only the columns its rows' length
windows allow (:func:`unseen.pprl.bits._windows`), as in the popcount kernels. The answer is
exact: 0/1 products and their sums are integers, exact in float16 up to 2,048 (longer
encodings use float32, exact up to 2**24).
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Backend", "gpu_backend", "namespace_backend", "product_pairs"]

Ints = npt.NDArray[np.int64]

# Rows and columns per product tile: 4,096 x 32,768 counts (256 MiB in float16) keep a GPU's
# matrix units busy while the tile, the mask and the bits of both sides fit in a few GiB.
ROW_TILE = 4096
COL_TILE = 32768
# 0 / off / no / false keeps matching on the CPU even where a GPU is present; cupy or torch
# picks that library (both installed); unset or anything else: CuPy first, then PyTorch.
ENV_SWITCH = "UNSEEN_GPU"


@dataclass(frozen=True)
class Backend:
    """Where the products run: ``xp`` (an array-API namespace), the ``device`` arrays are put
    on, the ``dtype`` of the 0/1 matrices, and how arrays come back to numpy."""

    name: str
    xp: Any = field(repr=False)
    device: Any = field(repr=False)
    dtype: Any = field(repr=False)
    wide_dtype: Any = field(repr=False)
    _to_host: Callable[[Any], np.ndarray] = field(repr=False)

    def put(self, host: np.ndarray) -> Any:
        """A numpy array on the backend's device."""
        if self.device is None:
            return self.xp.asarray(host)
        return self.xp.asarray(host, device=self.device)

    def to_host(self, array: Any) -> np.ndarray:
        return self._to_host(array)

    def matrix_dtype(self, bits: int) -> Any:
        # Counts up to ``bits`` must be exact: float16 holds every integer up to 2,048.
        return self.dtype if bits <= 2048 else self.wide_dtype


def namespace_backend(xp: Any, name: str | None = None, device: Any = None) -> Backend:
    """A backend on a CPU array-API namespace (numpy, array-api-strict, array-api-compat's
    numpy, with ``device="cpu"`` as a GPU backend passes its device): float32 products."""

    def to_host(array: Any) -> np.ndarray:
        return np.asarray(np.from_dlpack(array))

    label = name or str(getattr(xp, "__name__", "array-api"))
    return Backend(label, xp, device, xp.float32, xp.float32, to_host)


def gpu_backend() -> Backend | None:
    """CuPy, else PyTorch, on the first CUDA device; None when neither has one, or when
    ``UNSEEN_GPU`` is set to 0, off, no or false (``cupy`` or ``torch``: that one only)."""
    switch = os.environ.get(ENV_SWITCH, "").strip().lower()
    if switch in ("0", "off", "no", "false"):
        return None
    if switch == "cupy":
        return _cupy()
    if switch == "torch":
        return _torch()
    return _cupy() or _torch()


# Probed once per process: every candidate search asks, and a failed import is not cached.
@functools.cache
def _cupy() -> Backend | None:
    try:
        cupy = importlib.import_module("cupy")
        xp = importlib.import_module("array_api_compat.cupy")

        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        device = cupy.cuda.Device(0)
        label = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
    # An installed CuPy without a driver or a device raises its own CUDA errors on first use.
    except Exception:  # noqa: BLE001 - any failure means: no usable GPU through CuPy
        return None
    return Backend(f"gpu (cupy, {label})", xp, device, xp.float16, xp.float32, _cupy_host)


def _cupy_host(array: Any) -> np.ndarray:
    return np.asarray(array.get())


@functools.cache
def _torch() -> Backend | None:
    try:
        torch = importlib.import_module("torch")
        xp = importlib.import_module("array_api_compat.torch")

        if not torch.cuda.is_available():
            return None
        device = torch.device("cuda", 0)
        label = torch.cuda.get_device_name(0)
    except Exception:  # noqa: BLE001 - any failure means: no usable GPU through PyTorch
        return None
    return Backend(f"gpu (torch, {label})", xp, device, xp.float16, xp.float32, _torch_host)


def _torch_host(array: Any) -> np.ndarray:
    return np.asarray(array.detach().cpu().numpy())


def _bits(words: np.ndarray) -> np.ndarray:
    """``(n, words)`` uint64 rows to ``(n, 64 * words)`` 0/1 uint8 (bit ``b`` of word ``w`` at
    column ``64 w + b``, as :func:`unseen.pprl.bits.unpack_bits`)."""
    as_bytes = np.ascontiguousarray(words).astype("<u8", copy=False).view(np.uint8)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")


def product_pairs(
    x: np.ndarray,
    y: np.ndarray,
    need: Ints,
    pa: Ints,
    pb: Ints,
    starts: Ints,
    stops: Ints,
    backend: Backend,
    *,
    row_tile: int = ROW_TILE,
    col_tile: int = COL_TILE,
) -> tuple[Ints, Ints, Ints]:
    """Pairs ``(i, j)`` with ``|x[i] & y[j]| >= need[pa[i], pb[j]]`` for ``j`` in
    ``[starts[i], stops[i])``, and their counts; ``x`` sorted by popcount ``pa`` and ``y`` by
    ``pb`` (the windows are then runs of columns, and a tile of rows spans few popcounts)."""
    xp = backend.xp
    n, words = x.shape
    bits = 64 * words
    dtype = backend.matrix_dtype(bits)
    # int32 on the device: popcounts, windows and the table (counts never pass 2**31).
    need_dev = backend.put(np.ascontiguousarray(need, dtype=np.int32))
    pb_dev = backend.put(pb.astype(np.int32))
    y_dev = xp.astype(backend.put(_bits(y)), dtype)
    parts: list[tuple[Ints, Ints, Ints]] = []
    for r0 in range(0, n, row_tile):
        r1 = min(n, r0 + row_tile)
        lo, hi = int(starts[r0:r1].min()), int(stops[r0:r1].max())
        if lo >= hi:
            continue
        x_dev = xp.astype(backend.put(_bits(x[r0:r1])), dtype)
        row_start = backend.put(starts[r0:r1].astype(np.int32))[:, None]
        row_stop = backend.put(stops[r0:r1].astype(np.int32))[:, None]
        # Rows of one popcount share a row of the table: runs of equal pa within the tile.
        run_ends = np.flatnonzero(np.diff(pa[r0:r1])) + 1
        runs = np.concatenate(([0], run_ends, [r1 - r0]))
        for c0 in range(lo, hi, col_tile):
            c1 = min(hi, c0 + col_tile)
            inter = xp.matmul(x_dev, xp.matrix_transpose(y_dev[c0:c1, :]))
            cols = xp.arange(c0, c1, dtype=xp.int32, device=backend.device)[None, :]
            inside = (cols >= row_start) & (cols < row_stop)
            for a, b in zip(runs[:-1].tolist(), runs[1:].tolist(), strict=True):
                row_need = xp.take(need_dev[int(pa[r0 + a]), :], pb_dev[c0:c1], axis=0)
                passing = inside[a:b, :] & (inter[a:b, :] >= xp.astype(row_need, dtype)[None, :])
                ri, ci = xp.nonzero(passing)
                if int(ri.shape[0]) == 0:
                    continue
                flat = xp.reshape(inter[a:b, :], (-1,))
                counts = xp.take(flat, ri * (c1 - c0) + ci, axis=0)
                parts.append(
                    (
                        backend.to_host(ri).astype(np.int64) + (r0 + a),
                        backend.to_host(ci).astype(np.int64) + c0,
                        backend.to_host(counts).astype(np.int64),
                    )
                )
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), empty.copy()
    i, j, c = (np.concatenate(p) for p in zip(*parts, strict=True))
    return i, j, c
