"""Cryptographic recipes: the only package that imports ``cryptography``, ``hashlib``, ``hmac``.

Every decryption or verification failure raises :class:`unseen.errors.DecryptionFailed` or
:class:`unseen.errors.SignatureInvalid` with one fixed message. Design notes: ``docs/crypto.md``.
"""

from ._aead import open_sealed, seal, unwrap_key, wrap_key
from ._kdf import KdfParams, derive_key, derive_subkey, new_salt
from ._mac import blind_index, constant_time_equal, content_address, sha256_hex
from ._sign import SigningKey, VerifyKey
from ._types import Passphrase, Secret, SymmetricKey

__all__ = [
    "KdfParams",
    "Passphrase",
    "Secret",
    "SigningKey",
    "SymmetricKey",
    "VerifyKey",
    "blind_index",
    "constant_time_equal",
    "content_address",
    "derive_key",
    "derive_subkey",
    "new_salt",
    "open_sealed",
    "seal",
    "sha256_hex",
    "unwrap_key",
    "wrap_key",
]
