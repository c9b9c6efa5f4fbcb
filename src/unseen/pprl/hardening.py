"""Hardening of Bloom-filter encodings: keyed diffusion and random bit flips (BLIP).

Diffusion (Armknecht, Heng and Schnell, "Strengthening privacy-preserving record linkage using
diffusion", PoPETs 2023): output bit ``j`` is the XOR of ``t`` input bits ``T[j]`` chosen from a
keyed stream. XOR is linear, so two diffused encodings differ in bit ``j`` exactly when their
inputs differ in an odd number of ``T[j]``'s bits: the Hamming distance of the outputs grows
with that of the inputs (``P(differ) = (1 - (1 - 2 h / m)^t) / 2`` for random taps) and
matching still works, while no output bit stands for a q-gram any more.

Random flips (BLIP, Alaggan, Gambs and Kermarrec 2012; randomised response for Bloom filters,
Schnell and Borgs 2016): every output bit is flipped with probability ``f``, independently for
every record, from the OS CSPRNG. The same name never gives the same encoding twice, which
defeats frequency alignment of identical encodings; two encodings of one value differ in about
``2 f (1 - f)`` of their bits.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from unseen.crypto import SymmetricKey, keystream

__all__ = ["diffuse", "diffusion_taps", "flip_bits", "flip_probability"]

Bools = npt.NDArray[np.bool_]


def diffusion_taps(key: SymmetricKey, bits: int, taps: int) -> npt.NDArray[np.intp]:
    """``(bits, taps)`` input positions for each output bit, from a keyed stream.

    Each output bit's taps are distinct (a repeated tap would cancel itself in the XOR).
    """
    raw = np.frombuffer(keystream(key, "unseen/pprl/diffusion", bits * taps * 4), dtype="<u4")
    out = np.empty((bits, taps), dtype=np.intp)
    pos = 0
    for j in range(bits):
        chosen: list[int] = []
        while len(chosen) < taps:
            if pos >= raw.shape[0]:  # astronomically rare: extend deterministically
                more = keystream(key, f"unseen/pprl/diffusion/{j}", taps * 64)
                raw = np.concatenate([raw, np.frombuffer(more, dtype="<u4")])
            v = int(raw[pos]) % bits
            pos += 1
            if v not in chosen:
                chosen.append(v)
        out[j] = chosen
    return out


def diffuse(bits: Bools, taps: npt.NDArray[np.intp]) -> Bools:
    """``(n, m)`` input bits to ``(n, len(taps))`` output bits: XOR over each output's taps.

    Works position-major on bits packed across records, so each XOR runs over whole rows.
    """
    n = bits.shape[0]
    across = np.packbits(bits.T, axis=1)  # (m, ceil(n / 8)): position p of every record
    out = across[taps[:, 0]].copy()
    for s in range(1, taps.shape[1]):
        out ^= across[taps[:, s]]
    return np.ascontiguousarray(np.unpackbits(out, axis=1, count=n).T.astype(bool))


def flip_probability(probability: float) -> float:
    """The probability actually used: draws are bytes, so it is a multiple of 1/256."""
    return round(probability * 256) / 256


def flip_bits(bits: Bools, probability: float, noise: Callable[[int], bytes]) -> Bools:
    """Flip each bit with ``probability`` (rounded to a multiple of 1/256: one noise byte per
    bit) using ``noise(n)`` unpredictable bytes."""
    if probability <= 0:
        return bits
    draws = np.frombuffer(noise(bits.size), dtype=np.uint8).reshape(bits.shape)
    return bits ^ (draws < round(probability * 256))
