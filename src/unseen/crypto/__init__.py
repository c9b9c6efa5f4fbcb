"""Cryptographic recipes: the only package that imports ``cryptography``, ``hashlib``, ``hmac``.

Every decryption or verification failure raises :class:`unseen.errors.DecryptionFailed` or
:class:`unseen.errors.SignatureInvalid` with one fixed message. Design notes: ``docs/crypto.md``.

- secrets as types: :class:`Secret`, :class:`Passphrase`, :class:`SymmetricKey`;
- keys from passphrases and subkeys: :class:`KdfParams`, :func:`derive_key`, :func:`new_salt`,
  :func:`derive_subkey`;
- symmetric tokens: :func:`seal`/:func:`open_sealed`, :func:`wrap_key`/:func:`unwrap_key`,
  :func:`seal_stream`/:func:`open_stream` for large files;
- digests: :func:`blind_index`, :func:`content_address`, :func:`sha256_hex`,
  :func:`constant_time_equal`;
- signatures: :class:`SigningKey`, :class:`VerifyKey` (Ed25519);
- public-key encryption: :class:`RecipientKeyPair`, :func:`seal_to`, :func:`open_from` (HPKE);
- recovery: :func:`split_secret`, :func:`combine_shares` (Shamir);
- keyed hashing for linkage: :class:`KeyedHasher` (batch HMAC-SHA256), :func:`keystream`
  (SP 800-108 KDF), :func:`random_bytes` (OS CSPRNG);
- second factor: :func:`new_totp_secret`, :func:`totp_code`, :func:`verify_totp`,
  :func:`totp_secret_text`, :func:`totp_uri` (TOTP, RFC 6238).
"""

from ._aead import open_sealed, seal, unwrap_key, wrap_key
from ._hpke import RecipientKeyPair, open_from, seal_to
from ._kdf import KdfParams, derive_key, derive_subkey, new_salt
from ._keyed import KeyedHasher, keystream, random_bytes
from ._mac import blind_index, constant_time_equal, content_address, sha256_hex
from ._otp import new_totp_secret, totp_code, totp_secret_text, totp_uri, verify_totp
from ._shamir import combine_shares, split_secret
from ._sign import SigningKey, VerifyKey
from ._stream import open_stream, seal_stream
from ._types import Passphrase, Secret, SymmetricKey

__all__ = [
    "KdfParams",
    "KeyedHasher",
    "Passphrase",
    "RecipientKeyPair",
    "Secret",
    "SigningKey",
    "SymmetricKey",
    "VerifyKey",
    "blind_index",
    "combine_shares",
    "constant_time_equal",
    "content_address",
    "derive_key",
    "derive_subkey",
    "keystream",
    "new_salt",
    "new_totp_secret",
    "open_from",
    "open_sealed",
    "open_stream",
    "random_bytes",
    "seal",
    "seal_stream",
    "seal_to",
    "sha256_hex",
    "split_secret",
    "totp_code",
    "totp_secret_text",
    "totp_uri",
    "unwrap_key",
    "verify_totp",
    "wrap_key",
]
