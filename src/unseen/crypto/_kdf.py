"""Passphrase -> key (Argon2id) and key -> purpose subkeys (HKDF-SHA256)."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from unseen.errors import CryptoError

from ._types import KEY_LEN, Passphrase, SymmetricKey

_ALGORITHM = "argon2id"
_ARGON2_VERSION = 0x13  # the only version cryptography implements (RFC 9106)
MIN_SALT_LEN = 16
# Upper bounds: a tampered keys.json must not make us allocate 1 TiB or spin forever.
_MAX_TIME_COST = 64
_MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
_MAX_PARALLELISM = 64
_MAX_SALT_LEN = 64


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost settings, stored next to the salt so they can be raised later."""

    time_cost: int
    memory_cost_kib: int
    parallelism: int
    salt_len: int = 16

    def __post_init__(self) -> None:
        for name in ("time_cost", "memory_cost_kib", "parallelism", "salt_len"):
            if type(getattr(self, name)) is not int:
                raise CryptoError(f"KDF parameter {name} must be an integer")
        if not 1 <= self.time_cost <= _MAX_TIME_COST:
            raise CryptoError(f"KDF time_cost must be 1..{_MAX_TIME_COST}")
        if not 1 <= self.parallelism <= _MAX_PARALLELISM:
            raise CryptoError(f"KDF parallelism must be 1..{_MAX_PARALLELISM}")
        if not 8 * self.parallelism <= self.memory_cost_kib <= _MAX_MEMORY_KIB:
            raise CryptoError(f"KDF memory_cost_kib must be 8*parallelism..{_MAX_MEMORY_KIB}")
        if not MIN_SALT_LEN <= self.salt_len <= _MAX_SALT_LEN:
            raise CryptoError(f"KDF salt_len must be {MIN_SALT_LEN}..{_MAX_SALT_LEN}")

    @classmethod
    def default(cls) -> KdfParams:
        """RFC 9106 section 4, second recommended option: t=3, m=64 MiB, p=4."""
        return cls(time_cost=3, memory_cost_kib=65536, parallelism=4)

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """Cheap settings (t=1, m=1 MiB, p=1) for test suites only: they do not resist guessing."""
        return cls(time_cost=1, memory_cost_kib=1024, parallelism=1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "algorithm": _ALGORITHM,
            "version": _ARGON2_VERSION,
            "time_cost": self.time_cost,
            "memory_cost_kib": self.memory_cost_kib,
            "parallelism": self.parallelism,
            "salt_len": self.salt_len,
        }

    @classmethod
    def from_dict(cls, data: Any) -> KdfParams:
        if (
            not isinstance(data, dict)
            or data.get("algorithm") != _ALGORITHM
            or data.get("version", _ARGON2_VERSION) != _ARGON2_VERSION
        ):
            raise CryptoError("KDF parameters are not understood (expected argon2id v19)")
        try:
            return cls(
                time_cost=data["time_cost"],
                memory_cost_kib=data["memory_cost_kib"],
                parallelism=data["parallelism"],
                salt_len=data.get("salt_len", 16),
            )
        except KeyError:
            raise CryptoError("KDF parameters are incomplete") from None


def new_salt(n: int = 16) -> bytes:
    """Fresh random salt from the OS CSPRNG; at least 16 bytes (RFC 9106 recommends 16)."""
    if n < MIN_SALT_LEN:
        raise CryptoError(f"a salt is at least {MIN_SALT_LEN} bytes")
    return secrets.token_bytes(n)


def _argon2id_raw(
    password: bytes,
    salt: bytes,
    params: KdfParams,
    *,
    length: int = KEY_LEN,
    secret: bytes | None = None,
    ad: bytes | None = None,
) -> bytes:
    # Private: exposes Argon2id's secret/ad inputs so tests can run the RFC 9106 vector.
    kdf = Argon2id(
        salt=salt,
        length=length,
        iterations=params.time_cost,
        lanes=params.parallelism,
        memory_cost=params.memory_cost_kib,
        ad=ad,
        secret=secret,
    )
    return kdf.derive(password)


def derive_key(passphrase: Passphrase, salt: bytes, params: KdfParams) -> SymmetricKey:
    """Argon2id(passphrase as NFC UTF-8, salt) -> 32-byte key."""
    if not isinstance(passphrase, Passphrase):
        raise CryptoError("derive_key needs a Passphrase")
    if len(salt) < MIN_SALT_LEN:
        raise CryptoError(f"a salt is at least {MIN_SALT_LEN} bytes")
    password = unicodedata.normalize("NFC", passphrase.reveal()).encode("utf-8")
    return SymmetricKey(_argon2id_raw(password, bytes(salt), params))


def _hkdf_sha256(ikm: bytes, *, salt: bytes | None, info: bytes, length: int) -> bytes:
    # Private: the RFC 5869 vector needs a salt and a length derive_subkey does not take.
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def derive_subkey(key: SymmetricKey, purpose: str) -> SymmetricKey:
    """HKDF-SHA256(key, salt=None, info=UTF-8 purpose): one independent key per purpose."""
    if not purpose:
        raise CryptoError("a subkey needs a non-empty purpose")
    return SymmetricKey(
        _hkdf_sha256(key.to_bytes(), salt=None, info=purpose.encode("utf-8"), length=KEY_LEN)
    )
