"""Encode person records into keyed, hardened, field-level Bloom filters (pure: tables in,
arrays out).

Each field of the :class:`~unseen.pprl.schema.Schema` turns the record's feature
(:func:`unseen.linkage.build_features`: the same name keys, date bounds and gazetteer ids that
plaintext linkage compares) into tokens, and each token sets ``k`` positions taken from
HMAC-SHA256 of the token under the field's subkey (Schnell, Bachteler and Reiher 2009, with
independent keyed positions instead of double hashing). Hardening then diffuses and flips the
bits (:mod:`unseen.pprl.hardening`). A record with nothing in a field has that field marked
absent and all its bits zero.

Tokens and positions are cached per distinct value within one call only: nothing keyed
outlives :func:`encode`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from unseen.crypto import KeyedHasher, random_bytes
from unseen.errors import ConfigError
from unseen.linkage import build_features
from unseen.pprl.bits import Words, pack_bits
from unseen.pprl.hardening import diffuse, diffusion_taps, flip_bits
from unseen.pprl.schema import FieldSpec, Schema
from unseen.pprl.secret import LinkageSecret

__all__ = ["Encoded", "FieldBits", "encode", "field_values"]

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
    c = spec.source
    if spec.kind == "date":
        return [
            tuple(_date_tokens(lo, hi, ys))
            for lo, hi, ys in zip(
                _column(features, f"{c}__lo"),
                _column(features, f"{c}__hi"),
                _column(features, f"{c}__years"),
                strict=True,
            )
        ]
    if spec.kind == "place":
        cols = [(p[0], _column(features, f"{c}__{p}")) for p in _PLACE_PARTS]
        return [
            tuple(f"{tag}:{vals[r]}" for tag, vals in cols if not _missing(vals[r]))
            for r in range(len(features))
        ]
    if "+" in c:  # both names' bigrams, in either order
        parts = [field_values(replace(spec, source=x), features) for x in c.split("+")]
        return [tuple(dict.fromkeys(t for p in row for t in p)) for row in zip(*parts, strict=True)]
    values = _column(features, f"{c}__{spec.part}")
    cache: dict[Any, tuple[str, ...]] = {}
    out: list[tuple[str, ...]] = []
    for v in values:
        if _missing(v):
            out.append(())
            continue
        key = tuple(v) if isinstance(v, list) else v
        got = cache.get(key)
        if got is None:
            if spec.kind == "qgrams":
                got = tuple(_qgrams(str(v))) if str(v) else ()
            elif spec.kind == "tokens":
                got = tuple(str(x) for x in v)
            else:
                got = (str(v),) if str(v) else ()
            cache[key] = got
        out.append(got)
    return out


_PLACE_PARTS = ("id", "county", "prefecture", "province")


class _Positions:
    """Token -> ``k`` keyed positions, cached for one encode call."""

    def __init__(self, hasher: KeyedHasher, spec: FieldSpec) -> None:
        self._hasher, self._k, self._bits = hasher, spec.k, spec.bits
        self._cache: dict[str, npt.NDArray[np.int64]] = {}

    def of(self, tokens: Iterable[str]) -> npt.NDArray[np.int64]:
        parts = [self._one(t) for t in tokens]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _one(self, token: str) -> npt.NDArray[np.int64]:
        got = self._cache.get(token)
        if got is None:
            data = token.encode("utf-8")
            blocks = [self._hasher.digest(data + b"\x00%d" % i) for i in range(-(-self._k // 16))]
            raw = np.frombuffer(b"".join(blocks), dtype="<u2")[: self._k]
            got = raw.astype(np.int64) % self._bits
            self._cache[token] = got
        return got


def _field_bits(
    spec: FieldSpec,
    features: pd.DataFrame,
    secret: LinkageSecret,
    schema: Schema,
    fingerprint: str,
    noise: Callable[[int], bytes],
) -> FieldBits:
    key = secret.field_key(fingerprint, spec.name)
    positions = _Positions(KeyedHasher(key, _LABEL), spec)
    by_value: dict[tuple[str, ...], npt.NDArray[np.int64]] = {}
    values = field_values(spec, features)
    n = len(values)
    lengths = np.zeros(n, dtype=np.int64)
    cols: list[npt.NDArray[np.int64]] = []
    for r, tokens in enumerate(values):
        if not tokens:
            continue
        pos = by_value.get(tokens)
        if pos is None:
            pos = positions.of(tokens)
            by_value[tokens] = pos
        cols.append(pos)
        lengths[r] = pos.shape[0]
    present = lengths > 0
    plain = np.zeros((n, spec.bits), dtype=bool)
    if cols:
        plain[np.repeat(np.arange(n), lengths), np.concatenate(cols)] = True
    hard = schema.hardening
    out = plain
    if hard.diffusion:
        out = diffuse(out, diffusion_taps(key, spec.bits, hard.diffusion))
    if hard.flip:
        out = flip_bits(out, hard.flip, noise)
    out[~present] = False
    return FieldBits(pack_bits(out), present)


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
    for done, spec in enumerate(schema.fields, start=1):
        fields[spec.name] = _field_bits(spec, features, secret, schema, fingerprint, noise)
        if progress is not None:
            progress(done, len(schema.fields))
    lists = tuple(sorted({str(x) for x in features["list"]}))
    index = {name: i for i, name in enumerate(lists)}
    list_index = np.array([index[str(x)] for x in features["list"]], dtype=np.int32)
    return Encoded(schema, secret.fingerprint(), lists, list_index, fields)
