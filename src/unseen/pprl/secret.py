"""The linkage secret shared by partner organisations, as a type that never shows its value."""

from __future__ import annotations

from unseen.crypto import KeyedHasher, SymmetricKey, constant_time_equal, derive_subkey
from unseen.errors import CryptoError

__all__ = ["LinkageSecret"]

_FINGERPRINT_LABEL = b"unseen/pprl/fingerprint/v1\x00"


class LinkageSecret:
    """A 256-bit key and its generation (1 for a new secret, +1 at each rotation).

    ``repr`` shows only the generation; the fingerprint (a keyed hash, first 64 bits) names the
    secret in files and messages without revealing it. Equality is constant-time; instances are
    unhashable.
    """

    __slots__ = ("_key", "_generation")

    def __init__(self, key: SymmetricKey, generation: int = 1) -> None:
        if not isinstance(key, SymmetricKey):
            raise CryptoError("a linkage secret holds a SymmetricKey")
        if type(generation) is not int or generation < 1:
            raise CryptoError("a linkage secret's generation is a positive integer")
        self._key = key
        self._generation = generation

    @classmethod
    def generate(cls, generation: int = 1) -> LinkageSecret:
        return cls(SymmetricKey.generate(), generation)

    @property
    def generation(self) -> int:
        return self._generation

    def rotated(self) -> LinkageSecret:
        """A new random secret, one generation later: encodings under this one stop matching."""
        return LinkageSecret(SymmetricKey.generate(), self._generation + 1)

    def reveal(self) -> SymmetricKey:
        """The key itself, to seal it for storage or for a partner; never print it."""
        return self._key

    def fingerprint(self) -> str:
        digest = KeyedHasher(self._key, _FINGERPRINT_LABEL).digest(b"%d" % self._generation)
        h = digest[:8].hex()
        return "-".join(h[i : i + 4] for i in range(0, 16, 4))

    def field_key(self, schema_fingerprint: str, field: str) -> SymmetricKey:
        """One independent subkey per schema and field (HKDF-SHA256)."""
        return derive_subkey(self._key, f"unseen/pprl/v1/{schema_fingerprint}/{field}")

    def __repr__(self) -> str:
        return f"LinkageSecret('***', generation={self._generation})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LinkageSecret):
            return NotImplemented
        return self._generation == other._generation and constant_time_equal(
            self._key.to_bytes(), other._key.to_bytes()
        )

    __hash__ = None  # type: ignore[assignment]
