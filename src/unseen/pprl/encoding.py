"""Encode person records into keyed, hardened, field-level Bloom filters (pure: tables in,
arrays out).

Each field of the :class:`~unseen.pprl.schema.Schema` turns the record's feature
(:func:`unseen.linkage.build_features`: the same name keys, date bounds and gazetteer ids that
plaintext linkage compares) into tokens, and each token sets ``k`` positions taken from
HMAC-SHA256 of the token under the field's subkey (Schnell, Bachteler and Reiher 2009, with
independent keyed positions instead of double hashing). Hardening then diffuses and flips the
bits (:mod:`unseen.pprl.hardening`). A record with nothing in a field has that field marked
absent and all its bits zero.

Positions are computed once per distinct token within one call only: nothing keyed
outlives :func:`encode`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from unseen.crypto import KeyedHasher, random_bytes
from unseen.errors import ConfigError
from unseen.linkage import build_features
from unseen.pprl.bits import Words, pack_bits
from unseen.pprl.hardening import diffuse, diffusion_taps, flip_words
from unseen.pprl.schema import FieldSpec, Schema
from unseen.pprl.secret import LinkageSecret

__all__ = ["Encoded", "FieldBits", "encode", "field_codes", "field_values"]

Progress = Callable[[int, int], None]
_LABEL = b"unseen/pprl/position/v1\x00"


@dataclass(frozen=True)
class FieldBits:
    """``words``: ``(n, bits // 64)`` packed encodings; ``present``: the field had a value."""

    words: Words = field(repr=False)
    present: npt.NDArray[np.bool_] = field(repr=False)


@dataclass(frozen=True)
class Encoded:
    """The encodings of one party's records, in input order, with their list names."""

    schema: Schema = field(repr=False)
    key_fingerprint: str
    lists: tuple[str, ...]
    list_index: npt.NDArray[np.int32] = field(repr=False)
    fields: Mapping[str, FieldBits] = field(repr=False)

    @property
    def n(self) -> int:
        return int(self.list_index.shape[0])

    def __repr__(self) -> str:
        return f"Encoded(records={self.n}, lists={len(self.lists)}, key={self.key_fingerprint})"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA


def _qgrams(text: str, q: int = 2) -> list[str]:
    padded = f"^{text}$"
    if q == 2:  # the common case, without a slice per bigram
        return list(dict.fromkeys(map(str.__add__, padded, padded[1:])))
    return list(dict.fromkeys(padded[i : i + q] for i in range(len(padded) - q + 1)))


def _date_tokens(lo: Any, hi: Any, years: Any) -> list[str]:
    out: list[str] = []
    if isinstance(years, (list, tuple)):
        out += [f"y{y}" for y in years]
    if not _missing(lo) and not _missing(hi):
        lo_i, hi_i = int(lo), int(hi)
        if 0 <= hi_i - lo_i < 31 and lo_i > 1:
            a, b = dt.date.fromordinal(lo_i), dt.date.fromordinal(hi_i)
            if (a.year, a.month) == (b.year, b.month):
                out.append(f"m{a.year:04d}-{a.month:02d}")
            if lo_i == hi_i:
                out.append(f"d{a.isoformat()}")
    return out


def _column(features: pd.DataFrame, name: str) -> list[Any]:
    return features[name].tolist() if name in features.columns else [None] * len(features)


def field_values(spec: FieldSpec, features: pd.DataFrame) -> list[tuple[str, ...]]:
    """The tokens of one field for every row of a feature table
    (:func:`unseen.linkage.build_features`), as tuples (empty: no value)."""
    codes, uniques = field_codes(spec, features)
    return [uniques[k] for k in codes.tolist()]


Codes = tuple[npt.NDArray[np.int64], list[tuple[str, ...]]]


def field_codes(
    spec: FieldSpec, features: pd.DataFrame, memo: dict[tuple[str, str, str], Codes] | None = None
) -> Codes:
    """Each row's index into the field's distinct token tuples, and those tuples (index 0:
    the empty tuple, no value). Tokens are made once per distinct value; ``memo`` keeps the
    codes of each source within one :func:`encode`, so a combined field (``a+b``) reuses
    its parts'."""
    memo = {} if memo is None else memo
    key = (spec.source, spec.kind, spec.part)
    if key not in memo:
        memo[key] = _field_codes(spec, features, memo)
    return memo[key]


def _field_codes(
    spec: FieldSpec, features: pd.DataFrame, memo: dict[tuple[str, str, str], Codes]
) -> Codes:
    parts = None
    if "+" in spec.source:  # both names' bigrams, in either order
        parts = [
            field_codes(replace(spec, source=x), features, memo) for x in spec.source.split("+")
        ]
        keys: list[Any] = [
            None if not any(row) else row
            for row in zip(*(p[0].tolist() for p in parts), strict=True)
        ]
    else:
        keys = _row_keys(spec, features)
    index: dict[Any, int] = {None: 0}
    codes = np.fromiter(
        (index.setdefault(key, len(index)) for key in keys), dtype=np.int64, count=len(keys)
    )
    uniques: list[tuple[str, ...]] = [()]
    if parts is not None:
        for key in list(index)[1:]:
            uniques.append(tuple(dict.fromkeys(t for (_, u), k in zip(parts, key, strict=True)
                                               for t in u[k])))  # fmt: skip
        return codes, uniques
    for key in list(index)[1:]:
        uniques.append(_tokens(spec, key))
    return codes, uniques


def _row_keys(spec: FieldSpec, features: pd.DataFrame) -> list[Any]:
    """One hashable key per row that determines the row's tokens (None: no value)."""
    c = spec.source
    if spec.kind == "date":
        return [
            (None if _missing(lo) else int(lo), None if _missing(hi) else int(hi),
             tuple(ys) if isinstance(ys, (list, tuple)) else None)
            for lo, hi, ys in zip(
                _column(features, f"{c}__lo"),
                _column(features, f"{c}__hi"),
                _column(features, f"{c}__years"),
                strict=True,
            )
        ]  # fmt: skip
    if spec.kind == "years":
        return [
            tuple(int(y) for y in ys) if isinstance(ys, (list, tuple)) and len(ys) else None
            for ys in _column(features, f"{c}__years")
        ]
    if spec.kind == "place":
        cols = [_column(features, f"{c}__{p}") for p in _PLACE_PARTS]
        return [
            tuple(None if _missing(v) else str(v) for v in row) for row in zip(*cols, strict=True)
        ]
    out: list[Any] = []
    for v in _column(features, f"{c}__{spec.part}"):
        if _missing(v):
            out.append(None)
        elif isinstance(v, list):
            out.append(tuple(v))
        else:
            out.append(v)
    return out


def _tokens(spec: FieldSpec, key: Any) -> tuple[str, ...]:
    if spec.kind == "date":
        return tuple(_date_tokens(*key))
    if spec.kind == "years":
        near = {y + d for y in key for d in range(-_NEAR_YEARS, _NEAR_YEARS + 1)}
        return tuple(f"n{y}" for y in sorted(near))
    if spec.kind == "place":
        return tuple(f"{p[0]}:{v}" for p, v in zip(_PLACE_PARTS, key, strict=True) if v is not None)
    if spec.kind == "qgrams":
        return tuple(_qgrams(str(key))) if str(key) else ()
    if spec.kind == "tokens":
        return tuple(str(x) for x in key) if isinstance(key, tuple) else (str(key),)
    return (str(key),) if str(key) else ()


_PLACE_PARTS = ("id", "county", "prefecture", "province")
# A "years" field's window: each possible year and this many either side.
_NEAR_YEARS = 2


def _token_positions(
    hasher: KeyedHasher, tokens: Sequence[str], k: int, bits: int
) -> npt.NDArray[np.int64]:
    """``(len(tokens), k)`` keyed positions: HMAC-SHA256 of each token (16 positions per
    digest, as many digests as ``k`` needs), little-endian 16-bit words mod ``bits``."""
    per = -(-k // 16)
    raw = b"".join(
        hasher.digest(t.encode("utf-8") + b"\x00%d" % i) for t in tokens for i in range(per)
    )
    words = np.frombuffer(raw, dtype="<u2").reshape(len(tokens), per * 16)[:, :k]
    out: npt.NDArray[np.int64] = words.astype(np.int64) % bits
    return out


def _field_bits(
    spec: FieldSpec,
    features: pd.DataFrame,
    secret: LinkageSecret,
    schema: Schema,
    fingerprint: str,
    noise: Callable[[int], bytes],
    memo: dict[tuple[str, str, str], Codes],
) -> FieldBits:
    key = secret.field_key(fingerprint, spec.name)
    codes, uniques = field_codes(spec, features, memo)
    # Each distinct token gets its positions once, each distinct tuple of tokens its bits
    # once; rows then take their tuple's bits.
    ids = {t: i for i, t in enumerate(dict.fromkeys(chain.from_iterable(uniques)))}
    flat = list(map(ids.__getitem__, chain.from_iterable(uniques)))
    lengths = np.fromiter((len(row) for row in uniques), dtype=np.int64, count=len(uniques))
    distinct = np.zeros((len(uniques), spec.bits), dtype=bool)
    if flat:
        positions = _token_positions(KeyedHasher(key, _LABEL), list(ids), spec.k, spec.bits)
        rows = np.repeat(np.arange(len(uniques)), lengths * spec.k)
        distinct[rows, positions[np.asarray(flat, dtype=np.int64)].ravel()] = True
    hard = schema.hardening
    if hard.diffusion:  # keyed but deterministic: once per distinct value
        distinct = diffuse(distinct, diffusion_taps(key, spec.bits, hard.diffusion))
    present = lengths[codes] > 0
    words = pack_bits(distinct)[codes]
    if hard.flip:  # afresh for every record
        words = flip_words(words, hard.flip, noise)
    words[~present] = 0
    return FieldBits(words, present)


def encode(
    table: pd.DataFrame,
    schema: Schema,
    secret: LinkageSecret,
    *,
    noise: Callable[[int], bytes] = random_bytes,
    progress: Progress | None = None,
) -> Encoded:
    """Encode every row of ``table`` (FORMATS.md s1 columns, or those the schema's spec names).

    ``noise`` supplies the random bytes of the bit flips (the OS CSPRNG; tests pass a seeded
    source to make runs repeatable).
    """
    if schema.spec is None:
        raise ConfigError("encoding needs a schema built from a linkage spec (Schema.from_spec)")
    features = build_features(table, schema.spec).frame
    fingerprint = schema.fingerprint()
    fields: dict[str, FieldBits] = {}
    memo: dict[tuple[str, str, str], Codes] = {}
    for done, spec in enumerate(schema.fields, start=1):
        fields[spec.name] = _field_bits(spec, features, secret, schema, fingerprint, noise, memo)
        if progress is not None:
            progress(done, len(schema.fields))
    lists = tuple(sorted({str(x) for x in features["list"]}))
    index = {name: i for i, name in enumerate(lists)}
    list_index = np.array([index[str(x)] for x in features["list"]], dtype=np.int32)
    return Encoded(schema, secret.fingerprint(), lists, list_index, fields)
