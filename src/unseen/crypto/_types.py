"""Secret-holding value types: their repr never shows the value, equality is constant-time.

Nothing here encrypts; these types only make it hard to print, log or compare a secret by accident.
"""

from __future__ import annotations

import hmac
import secrets

from unseen.errors import CryptoError, InputError

KEY_LEN = 32


class Secret:
    """Secret bytes (a seed, a recovered master key, raw key material).

    ``repr``/``str`` print ``Secret('***')``; :meth:`reveal` returns the bytes. ``==`` compares in
    constant time; instances are unhashable so they cannot end up as dict keys in logs or caches.
    """

    __slots__ = ("_value",)

    def __init__(self, value: bytes) -> None:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise CryptoError("a Secret holds bytes")
        self._value = bytes(value)

    def reveal(self) -> bytes:
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value, other._value)

    __hash__ = None  # type: ignore[assignment]  # a hash of a secret is a leak; refuse it


class Passphrase:
    """A user's passphrase. Empty or whitespace-only passphrases are refused.

    The text is kept as typed; :func:`unseen.crypto.derive_key` normalises it to Unicode NFC so
    Hangul typed on macOS (often decomposed) and on Windows (composed) derive the same key.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise InputError("a passphrase must be text / 암호는 문자여야 합니다")
        if not value.strip():
            raise InputError("the passphrase is empty / 암호가 비어 있습니다")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Passphrase('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Passphrase):
            return NotImplemented
        return hmac.compare_digest(self._value.encode("utf-8"), other._value.encode("utf-8"))

    __hash__ = None  # type: ignore[assignment]


class SymmetricKey:
    """A 256-bit symmetric key (AES-256-GCM, HMAC-SHA256, HKDF input)."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        # Prefer generate()/from_bytes(); the constructor checks the length the same way.
        if not isinstance(key, bytes | bytearray | memoryview) or len(key) != KEY_LEN:
            raise CryptoError(f"a symmetric key is exactly {KEY_LEN} bytes")
        self._key = bytes(key)

    @classmethod
    def generate(cls) -> SymmetricKey:
        return cls(secrets.token_bytes(KEY_LEN))

    @classmethod
    def from_bytes(cls, key: bytes) -> SymmetricKey:
        return cls(key)

    def to_bytes(self) -> bytes:
        return self._key

    def __repr__(self) -> str:
        return "SymmetricKey('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SymmetricKey):
            return NotImplemented
        return hmac.compare_digest(self._key, other._key)

    __hash__ = None  # type: ignore[assignment]
