"""Keyed and unkeyed digests: blind index for name tokens, keyed blob addresses, SHA-256.

blind_index and content_address are HMAC-SHA256 over ``label || data`` with distinct fixed labels,
so a caller that passes the same key to both can never make a name token collide with a blob.
"""

from __future__ import annotations

import hashlib
import hmac

from ._types import SymmetricKey

_BLIND_INDEX_LABEL = b"unseen/blind-index/v1\x00"
_CONTENT_ADDRESS_LABEL = b"unseen/content-address/v1\x00"


def _hmac_sha256_hex(key: bytes, data: bytes) -> str:
    # Private core, checked against RFC 4231 (whose keys are not 32 bytes long).
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def blind_index(key: SymmetricKey, token: str) -> str:
    """64 hex chars: HMAC-SHA256 of the UTF-8 token. Normalise tokens before (unseen.names)."""
    return _hmac_sha256_hex(key.to_bytes(), _BLIND_INDEX_LABEL + token.encode("utf-8"))


def content_address(key: SymmetricKey, data: bytes) -> str:
    """64 hex chars naming a blob without revealing its SHA-256 to someone holding the file."""
    return _hmac_sha256_hex(key.to_bytes(), _CONTENT_ADDRESS_LABEL + bytes(data))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def constant_time_equal(a: bytes | str, b: bytes | str) -> bool:
    """Compare digests or tokens without leaking where they differ."""
    a_b = a.encode("utf-8") if isinstance(a, str) else bytes(a)
    b_b = b.encode("utf-8") if isinstance(b, str) else bytes(b)
    return hmac.compare_digest(a_b, b_b)
