"""AES-256-GCM tokens: seal/open for records, wrap/unwrap for keys.

Token layout: ``format byte || 96-bit random nonce || ciphertext || 128-bit tag``. The format byte
is part of the associated data (``format byte || caller's aad``), so it cannot be swapped without
failing the tag; sealed records and wrapped keys use different format bytes so one cannot be
passed off as the other.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from unseen.errors import CryptoError, DecryptionFailed

from ._types import SymmetricKey

NONCE_LEN = 12
TAG_LEN = 16
SEALED_V1 = 0x01
WRAPPED_KEY_V1 = 0x11

_SEAL_FAILED = "data could not be decrypted: wrong key or altered data"
_UNWRAP_FAILED = "key could not be unwrapped: wrong key or altered data"


def _aes_gcm_encrypt(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    # Private: explicit nonce for known-answer tests and for the STREAM construction.
    return AESGCM(key).encrypt(nonce, plaintext, aad)


def _aes_gcm_decrypt(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    # Raises InvalidTag on any failure; callers turn it into DecryptionFailed.
    return AESGCM(key).decrypt(nonce, ciphertext, aad)


def _encrypt_token(fmt: int, plaintext: bytes, key: SymmetricKey, aad: bytes) -> bytes:
    header = bytes([fmt])
    nonce = secrets.token_bytes(NONCE_LEN)
    return header + nonce + _aes_gcm_encrypt(key.to_bytes(), nonce, plaintext, header + aad)


def _decrypt_token(fmt: int, token: bytes, key: SymmetricKey, aad: bytes) -> bytes:
    # Raises ValueError/InvalidTag/TypeError; the public callers map all of them to one error.
    token = bytes(token)
    if len(token) < 1 + NONCE_LEN + TAG_LEN or token[0] != fmt:
        raise ValueError("bad token")
    header, nonce, body = token[:1], token[1 : 1 + NONCE_LEN], token[1 + NONCE_LEN :]
    return _aes_gcm_decrypt(key.to_bytes(), nonce, body, header + bytes(aad))


def seal(plaintext: bytes, key: SymmetricKey, *, aad: bytes) -> bytes:
    """Encrypt and authenticate ``plaintext``; ``aad`` (e.g. kind and record id) is bound to it.

    Random 96-bit nonces: stay below 2**32 tokens per key (NIST SP 800-38D), far above our use.
    """
    return _encrypt_token(SEALED_V1, bytes(plaintext), key, bytes(aad))


def open_sealed(token: bytes, key: SymmetricKey, *, aad: bytes) -> bytes:
    """Inverse of :func:`seal`. Any failure raises :class:`DecryptionFailed` with one message."""
    try:
        return _decrypt_token(SEALED_V1, token, key, aad)
    except (InvalidTag, ValueError, TypeError):
        raise DecryptionFailed(_SEAL_FAILED) from None


def wrap_key(inner: SymmetricKey, wrapping: SymmetricKey, *, aad: bytes) -> bytes:
    """Encrypt one key under another (keyslots, identity key under the master key)."""
    return _encrypt_token(WRAPPED_KEY_V1, inner.to_bytes(), wrapping, bytes(aad))


def unwrap_key(token: bytes, wrapping: SymmetricKey, *, aad: bytes) -> SymmetricKey:
    """Inverse of :func:`wrap_key`; raises :class:`DecryptionFailed` on any failure."""
    try:
        return SymmetricKey(_decrypt_token(WRAPPED_KEY_V1, token, wrapping, aad))
    except (InvalidTag, ValueError, TypeError, CryptoError):
        # CryptoError: a wrong-length inner key must look like every other failure.
        raise DecryptionFailed(_UNWRAP_FAILED) from None
