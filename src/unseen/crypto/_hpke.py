"""Public-key encryption to a recipient: HPKE (RFC 9180) base mode, single shot.

Suite: KEM MLKEM768-X25519 (X-Wing, KEM id 0x647a; draft-connolly-cfrg-xwing-kem and
draft-ietf-hpke-pq), HKDF-SHA256, AES-256-GCM. The hybrid KEM stays secure if either ML-KEM-768
(post-quantum) or X25519 (classical) holds: evidence encrypted today must stay confidential for
decades, against someone who records it now and decrypts later.

Encodings (all prefixed with a format byte, so the suite can change later):
- private: ``0x01 || 32-byte X-Wing seed`` (the seed SHAKE256-expands into both component keys,
  exactly as the X-Wing spec does, so the seed is the standard X-Wing private key);
- public:  ``0x01 || ML-KEM-768 public key (1184) || X25519 public key (32)``;
- token:   ``0x31 || enc (1120) || AES-256-GCM ciphertext``; HPKE ``info`` is
  ``0x31 || caller's info``, so the format byte is bound into the key schedule.
"""

from __future__ import annotations

import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519

from unseen.errors import CryptoError, DecryptionFailed

KEY_FORMAT_V1 = 0x01
TOKEN_FORMAT_V1 = 0x31
_SEED_LEN = 32
_MLKEM_PUB_LEN = 1184
_X25519_LEN = 32
_PUBLIC_LEN = 1 + _MLKEM_PUB_LEN + _X25519_LEN
_ENC_LEN = 1120
_TAG_LEN = 16
_FAILED = "message could not be decrypted: wrong key or altered data"


def _suite() -> hpke.Suite:
    return hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


class RecipientKeyPair:
    """An X-Wing (ML-KEM-768 + X25519) key pair; repr hides the private part."""

    __slots__ = ("_seed", "_private", "_public_bytes")

    def __init__(self, seed: bytes) -> None:
        if len(seed) != _SEED_LEN:
            raise CryptoError("a recipient private key is a 32-byte seed")
        expanded = hashlib.shake_256(bytes(seed)).digest(96)
        mlkem_sk = mlkem.MLKEM768PrivateKey.from_seed_bytes(expanded[:64])
        x_sk = x25519.X25519PrivateKey.from_private_bytes(expanded[64:96])
        self._seed = bytes(seed)
        self._private = hpke.MLKEM768X25519PrivateKey(mlkem_sk, x_sk)
        self._public_bytes = (
            bytes([KEY_FORMAT_V1])
            + mlkem_sk.public_key().public_bytes_raw()
            + x_sk.public_key().public_bytes_raw()
        )

    @classmethod
    def generate(cls) -> RecipientKeyPair:
        return cls(secrets.token_bytes(_SEED_LEN))

    @classmethod
    def from_private_bytes(cls, data: bytes) -> RecipientKeyPair:
        data = bytes(data)
        if len(data) != 1 + _SEED_LEN or data[0] != KEY_FORMAT_V1:
            raise CryptoError("not an unseen recipient private key (format v1)")
        return cls(data[1:])

    def private_bytes(self) -> bytes:
        """``0x01 || seed`` (33 bytes): seal or wrap it before storing."""
        return bytes([KEY_FORMAT_V1]) + self._seed

    def public_bytes(self) -> bytes:
        return self._public_bytes

    def __repr__(self) -> str:
        return "RecipientKeyPair('***')"

    __str__ = __repr__


def _public_key(public_bytes: bytes) -> hpke.MLKEM768X25519PublicKey:
    data = bytes(public_bytes)
    if len(data) != _PUBLIC_LEN or data[0] != KEY_FORMAT_V1:
        raise CryptoError("not an unseen recipient public key (format v1)")
    try:
        mlkem_pk = mlkem.MLKEM768PublicKey.from_public_bytes(data[1 : 1 + _MLKEM_PUB_LEN])
        x_pk = x25519.X25519PublicKey.from_public_bytes(data[1 + _MLKEM_PUB_LEN :])
    except ValueError:
        raise CryptoError("not a valid recipient public key") from None
    return hpke.MLKEM768X25519PublicKey(mlkem_pk, x_pk)


def seal_to(public_bytes: bytes, plaintext: bytes, *, info: bytes) -> bytes:
    """Encrypt to the holder of ``public_bytes``; ``info`` binds the context (e.g. bundle id)."""
    header = bytes([TOKEN_FORMAT_V1])
    body = _suite().encrypt(bytes(plaintext), _public_key(public_bytes), info=header + bytes(info))
    return header + body


def open_from(pair: RecipientKeyPair, token: bytes, *, info: bytes) -> bytes:
    """Inverse of :func:`seal_to`; any failure raises :class:`DecryptionFailed` (one message)."""
    try:
        token = bytes(token)
        if len(token) < 1 + _ENC_LEN + _TAG_LEN or token[0] != TOKEN_FORMAT_V1:
            raise ValueError("bad token")
        return _suite().decrypt(token[1:], pair._private, info=token[:1] + bytes(info))
    except (InvalidTag, ValueError, TypeError):
        raise DecryptionFailed(_FAILED) from None
