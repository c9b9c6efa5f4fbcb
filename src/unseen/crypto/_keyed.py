"""Keyed hashing for privacy-preserving linkage: many HMACs under one key, keyed byte streams.

- :class:`KeyedHasher` is HMAC-SHA256 (RFC 2104) under one subkey with a fixed label, for the
  many short q-grams and tokens of a Bloom-filter encoding. The keyed inner and outer states
  are computed once and copied per item, which is what ``hmac.new`` does each time.
- :func:`keystream` is the NIST SP 800-108 counter-mode KDF with HMAC-SHA256 (``KBKDFHMAC``
  of ``cryptography``): the secret-derived positions and permutations that hardening needs.
- :func:`random_bytes` is the operating system's CSPRNG (AES-256-CTR seeded from it for long
  runs), for per-record noise.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.kbkdf import KBKDFHMAC, CounterLocation, Mode

from unseen.errors import CryptoError

from ._types import SymmetricKey

_MAX_STREAM = 1 << 26  # 64 MiB: far above any schema's needs, bounds a tampered schema


class KeyedHasher:
    """HMAC-SHA256(key, label || item) for many items; ``repr`` never shows the key."""

    __slots__ = ("_base",)

    def __init__(self, key: SymmetricKey, label: bytes) -> None:
        if not isinstance(key, SymmetricKey):
            raise CryptoError("a KeyedHasher needs a SymmetricKey")
        base = hmac.new(key.to_bytes(), digestmod=hashlib.sha256)
        base.update(bytes(label))
        self._base = base

    def digest(self, item: bytes) -> bytes:
        h = self._base.copy()
        h.update(item)
        return h.digest()

    def digests(self, items: Iterable[bytes]) -> list[bytes]:
        base = self._base
        out = []
        for item in items:
            h = base.copy()
            h.update(item)
            out.append(h.digest())
        return out

    def __repr__(self) -> str:
        return "KeyedHasher('***')"

    __str__ = __repr__


def keystream(key: SymmetricKey, purpose: str, length: int) -> bytes:
    """``length`` pseudorandom bytes from ``key`` for ``purpose`` (SP 800-108, counter mode)."""
    if not purpose:
        raise CryptoError("a keystream needs a non-empty purpose")
    if not 1 <= length <= _MAX_STREAM:
        raise CryptoError(f"a keystream is 1..{_MAX_STREAM} bytes")
    kdf = KBKDFHMAC(
        algorithm=hashes.SHA256(),
        mode=Mode.CounterMode,
        length=length,
        rlen=4,
        llen=4,
        location=CounterLocation.BeforeFixed,
        label=purpose.encode("utf-8"),
        context=b"unseen/keystream/v1",
        fixed=None,
    )
    return kdf.derive(key.to_bytes())


_DIRECT = 4096


def random_bytes(n: int) -> bytes:
    """``n`` unpredictable bytes: the OS CSPRNG, or for long runs AES-256-CTR under a fresh
    key and nonce from it (the counter-mode generator of NIST SP 800-90A, without reseeding:
    one call never draws near the 2**64 blocks a key allows)."""
    if n < 0:
        raise CryptoError("random_bytes needs a non-negative length")
    if n <= _DIRECT:
        return secrets.token_bytes(n)
    cipher = Cipher(algorithms.AES(secrets.token_bytes(32)), modes.CTR(secrets.token_bytes(16)))
    return cipher.encryptor().update(bytes(n))
