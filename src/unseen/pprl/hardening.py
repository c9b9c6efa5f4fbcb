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
from typing import Any

import numpy as np
import numpy.typing as npt

from unseen.crypto import SymmetricKey, keystream

__all__ = [
    "diffuse",
    "diffusion_taps",
    "estimated_dice",
    "estimated_dice_need",
    "flip_bits",
    "flip_probability",
    "flip_words",
]

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


def flip_words(
    words: npt.NDArray[np.uint64], probability: float, noise: Callable[[int], bytes]
) -> npt.NDArray[np.uint64]:
    """:func:`flip_bits` on packed words, with the same law: a bit flips when an 8-bit
    uniform draw ``u`` is below ``c = round(probability * 256)``.

    The draws are bit-sliced: plane ``k`` holds bit ``k`` of every bit's ``u``, one random
    word per 64 bits, and ``u < c`` is computed from the top plane down with bitwise
    operations (the comparator circuit). Planes below the lowest set bit of ``c`` cannot
    change the outcome and are not drawn: ``c = 8`` (0.03) needs 5 of 8 bits per flip.
    """
    c = round(probability * 256)
    if c <= 0:
        return words
    lowest = (c & -c).bit_length() - 1
    less = np.zeros_like(words)
    equal = np.full_like(words, np.uint64(0xFFFFFFFFFFFFFFFF))
    for k in range(7, lowest - 1, -1):
        plane = np.frombuffer(noise(words.size * 8), dtype="<u8").reshape(words.shape)
        if c >> k & 1:
            less |= equal & ~plane
            equal &= plane
        else:
            equal &= ~plane
    out: npt.NDArray[np.uint64] = words ^ less
    return out


# -- similarity of hardened encodings ----------------------------------------------------------
#
# XOR is linear: diffuse(a) ^ diffuse(b) = diffuse(a ^ b), so an output bit differs exactly when
# an odd number of its t taps fall in the h input bits where a and b differ:
# P(differ) = (1 - (1 - 2 h / m)^t) / 2, whatever a and b are. Flips add e = 2 f (1 - f) to each
# side's disagreement: observed = d (1 - 2 e) + e. Both invert, so the output Hamming distance
# estimates h, and each output's density (P(bit) = (1 - (1 - 2 |a| / m)^t) / 2, then flipped)
# estimates |a|. Dice of the inputs is 1 - h / (|a| + |b|).


def _unflip(p: npt.NDArray[np.float64], e: float) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = np.clip((p - e) / (1.0 - 2.0 * e), 0.0, 0.5 - 1e-9)
    return out


def _undiffuse(p: npt.NDArray[np.float64], taps: int) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = (1.0 - (1.0 - 2.0 * p) ** (1.0 / taps)) / 2.0
    return out


def estimated_dice(
    inter: npt.ArrayLike, pa: npt.ArrayLike, pb: npt.ArrayLike, bits: int, taps: int, flip: float
) -> npt.NDArray[np.float64]:
    """Dice of the plain encodings, estimated from hardened ones' popcounts and intersection."""
    i, a, b = (np.asarray(v, dtype=np.float64) for v in (inter, pa, pb))
    f = flip_probability(flip)
    t = max(taps, 1)
    size = _undiffuse(_unflip(a / bits, f), t) + _undiffuse(_unflip(b / bits, f), t)
    e = 2.0 * f * (1.0 - f)
    differ = _undiffuse(_unflip((a + b - 2.0 * i) / bits, e), t)
    out: npt.NDArray[np.float64] = np.divide(
        size - differ, size, out=np.zeros_like(size), where=size > 1e-9
    )
    return np.clip(out, 0.0, 1.0)


def estimated_dice_need(threshold: float, bits: int, taps: int, flip: float) -> Any:
    """The least intersection of two hardened encodings whose :func:`estimated_dice` reaches
    ``threshold``, for every pair of popcounts (a table for
    :func:`unseen.pprl.bits.pairs_above`)."""
    f = flip_probability(flip)
    t = max(taps, 1)
    p = np.arange(bits + 1, dtype=np.float64)
    size = _undiffuse(_unflip(p / bits, f), t)
    total = size[:, None] + size[None, :]
    differ_max = np.clip((1.0 - threshold) * total, 0.0, 0.5 - 1e-9)  # as a share of m
    d = (1.0 - (1.0 - 2.0 * differ_max) ** t) / 2.0
    e = 2.0 * f * (1.0 - f)
    h_obs = (d * (1.0 - 2.0 * e) + e) * bits
    need = np.ceil((p[:, None] + p[None, :] - h_obs) / 2.0 - 1e-9)
    need[total <= 1e-9] = bits + 1  # two empty encodings are never similar
    return np.clip(need, 0, bits + 1).astype(np.int64)
