"""PPRL blocking: how well Hamming-space LSH (bit sampling, Indyk and Motwani 1998) over the
published hardened encodings would find the candidates that exact all-pairs finds.

    nice -n 10 .venv/bin/python bench/pprl_blocking.py

For each candidate field of FEBRL4 (all fields) and of the realistic preset (seed 7), hardened
under a fixed secret: the exact all-pairs candidates (:func:`unseen.pprl.bits.pairs_above`)
and their time; then, for bands of ``r`` bit positions drawn uniformly (with replacement) and
``L`` bands, the pair completeness (share of the exact candidates that share at least one
band) and the share of all pairs that would collide and need checking. With positions drawn
independently a pair agreeing on a share ``s`` of the bits shares a band with probability
``1 - (1 - s^r)^L`` exactly, so both figures are expectations over the exact candidates and
over 200,000 random pairs; one configuration is also run for real to check the formula.

The matcher holds no key, so any blocking it does reads only the published bits; the question
is whether those bits separate candidates from random pairs well enough to block on.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import pprl_quality as quality  # noqa: E402 - the bench's own loaders

CONFIGS = ((12, 256), (16, 256), (16, 1024), (20, 1024), (20, 4096))


def _encodings(data: str) -> list:
    from unseen.crypto import SymmetricKey
    from unseen.linkage import default_spec
    from unseen.pprl import LinkageSecret, Schema, encode

    if data == "febrl4":
        frames, _, spec = quality._febrl(testimony=False)
    else:
        frames, _ = quality._simulated(7)
        spec = default_spec()
    schema = Schema.from_spec(spec)
    secret = LinkageSecret(SymmetricKey.from_bytes(bytes(range(32))), 1)
    return [encode(f, schema, secret) for f in frames]


def _real_lsh(words: np.ndarray, r: int, bands: int, rng: np.random.Generator) -> set[int]:
    from unseen.pprl.bits import unpack_bits

    bits = unpack_bits(words)
    n = bits.shape[0]
    out: set[int] = set()
    for _ in range(bands):
        pos = rng.integers(0, bits.shape[1], size=r)
        sig = np.packbits(bits[:, pos], axis=1, bitorder="little")
        key = np.zeros(n, dtype=np.uint64)
        for b in range(sig.shape[1]):
            key |= sig[:, b].astype(np.uint64) << np.uint64(8 * b)
        order = np.argsort(key, kind="stable")
        ks = key[order]
        starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
        stops = np.r_[starts[1:], n]
        for s, e in zip(starts, stops, strict=True):
            if e - s > 1:
                g = np.sort(order[s:e])
                ii, jj = np.triu_indices(e - s, 1)
                out.update((g[ii] * n + g[jj]).tolist())
    return out


def main() -> None:
    from unseen.pprl.matching import _candidates, _concat

    rng = np.random.default_rng(0)
    for data in ("febrl4", "realistic"):
        encs = _encodings(data)
        schema = encs[0].schema
        for spec in schema.fields:
            if spec.candidate is None:
                continue
            words, present = _concat(encs, spec.name)
            idx = np.flatnonzero(present)
            sub = np.ascontiguousarray(words[idx])
            n = sub.shape[0]
            t0 = time.perf_counter()
            keys = _candidates(spec, schema.hardening, sub, np.ones(n, dtype=bool))
            t_all = time.perf_counter() - t0
            i, j = keys // n, keys % n
            share = 1 - np.bitwise_count(sub[i] ^ sub[j]).sum(axis=1) / spec.bits
            ri, rj = rng.integers(0, n, 200_000), rng.integers(0, n, 200_000)
            keep = ri != rj
            rshare = 1 - np.bitwise_count(sub[ri[keep]] ^ sub[rj[keep]]).sum(axis=1) / spec.bits
            print(f"\n{data} field {spec.name} ({spec.bits} bits): {n:,} records, "
                  f"{keys.size:,} exact candidates in {t_all:.2f} s")  # fmt: skip
            print(
                f"  bits agreeing: candidates median {np.median(share):.3f}, 1% quantile "
                f"{np.quantile(share, 0.01):.3f}; random pairs median {np.median(rshare):.3f}"
            )
            print(f"  {'r':>4}{'L':>6}{'completeness':>14}{'pairs to check':>16}")
            for r, bands in CONFIGS:
                comp = float(np.mean(1 - (1 - share**r) ** bands))
                load = float(np.mean(1 - (1 - rshare**r) ** bands))
                print(f"  {r:>4}{bands:>6}{comp:>14.4f}{load:>16.2%}")
            t0 = time.perf_counter()
            found = _real_lsh(sub, 16, 64, rng)
            t_lsh = time.perf_counter() - t0
            real = float(np.isin(keys, np.fromiter(found, dtype=np.int64)).mean())
            formula = float(np.mean(1 - (1 - share**16) ** 64))
            print(f"  run for real, r=16 L=64: completeness {real:.4f} (formula {formula:.4f}), "
                  f"{len(found):,} colliding pairs, {t_lsh:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
