"""Ed25519 signatures (RFC 8032) for the audit log and exported bundles."""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from unseen.errors import CryptoError, SignatureInvalid

_RAW_LEN = 32
SIGNATURE_LEN = 64
_BAD_SIGNATURE = "signature does not verify under this key"


class SigningKey:
    """An Ed25519 private key. ``to_bytes()`` is the raw 32-byte seed: wrap it before storing."""

    __slots__ = ("_key",)

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_bytes(cls, raw: bytes) -> SigningKey:
        if len(raw) != _RAW_LEN:
            raise CryptoError(f"an Ed25519 private key is exactly {_RAW_LEN} bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(bytes(raw)))

    def to_bytes(self) -> bytes:
        return self._key.private_bytes_raw()

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(bytes(data))

    def public_key(self) -> VerifyKey:
        return VerifyKey(self._key.public_key())

    def __repr__(self) -> str:
        return "SigningKey('***')"

    __str__ = __repr__


class VerifyKey:
    """An Ed25519 public key; equality compares the public bytes (not secret)."""

    __slots__ = ("_key",)

    def __init__(self, key: Ed25519PublicKey) -> None:
        self._key = key

    @classmethod
    def from_bytes(cls, raw: bytes) -> VerifyKey:
        if len(raw) != _RAW_LEN:
            raise CryptoError(f"an Ed25519 public key is exactly {_RAW_LEN} bytes")
        try:
            return cls(Ed25519PublicKey.from_public_bytes(bytes(raw)))
        except ValueError:
            raise CryptoError("not a valid Ed25519 public key") from None

    def to_bytes(self) -> bytes:
        return self._key.public_bytes_raw()

    def verify(self, signature: bytes, data: bytes) -> None:
        """Return None if valid; otherwise raise :class:`SignatureInvalid` (one message)."""
        try:
            self._key.verify(bytes(signature), bytes(data))
        except (InvalidSignature, ValueError, TypeError):
            raise SignatureInvalid(_BAD_SIGNATURE) from None

    def fingerprint(self) -> str:
        """First 64 bits of SHA-256(public key), as ``xxxx-xxxx-xxxx-xxxx``, for reading aloud."""
        h = hashlib.sha256(self.to_bytes()).hexdigest()[:16]
        return "-".join(h[i : i + 4] for i in range(0, 16, 4))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VerifyKey):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    def __hash__(self) -> int:
        return hash(self.to_bytes())

    def __repr__(self) -> str:
        return f"VerifyKey({self.fingerprint()})"
