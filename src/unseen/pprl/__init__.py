"""Privacy-preserving record linkage between organisations (pure: tables and arrays in and out).

>>> schema = Schema.from_spec(default_spec())               # doctest: +SKIP
>>> mine = encode(table, schema, secret)                     # keyed, hardened Bloom filters
>>> result = match([mine, theirs], [my_pseudonyms, their_pseudonyms])  # doctest: +SKIP

Each party encodes its records under a secret shared only among partners
(:class:`LinkageSecret`) into field-level Bloom filters (:mod:`~unseen.pprl.encoding`), hardened
by keyed diffusion and random bit flips (:mod:`~unseen.pprl.hardening`), and writes them to a
signed exchange file (:mod:`~unseen.pprl.exchange`, FORMATS.md s7). Whoever matches needs no
key: candidates come from an exact all-pairs similarity kernel on bit-packed arrays
(:mod:`~unseen.pprl.bits`), a Fellegi-Sunter model trained by EM scores them
(:mod:`~unseen.pprl.model`), and :func:`match` clusters them. Design: docs/pprl.md.
"""

from __future__ import annotations

from unseen.pprl.bits import PairCounts, dice, hamming_similarity, pack_bits, pairs_above
from unseen.pprl.encoding import Encoded, FieldBits, encode
from unseen.pprl.exchange import Exchange, read_exchange, write_exchange
from unseen.pprl.matching import SOLUTIONS, PprlMatch, match
from unseen.pprl.model import FSModel, fit_fs
from unseen.pprl.schema import FieldSpec, Hardening, Schema
from unseen.pprl.secret import LinkageSecret

__all__ = [
    "SOLUTIONS",
    "Encoded",
    "Exchange",
    "FSModel",
    "FieldBits",
    "FieldSpec",
    "Hardening",
    "LinkageSecret",
    "PairCounts",
    "PprlMatch",
    "Schema",
    "dice",
    "encode",
    "fit_fs",
    "hamming_similarity",
    "match",
    "pack_bits",
    "pairs_above",
    "read_exchange",
    "write_exchange",
]
