"""Streaming AEAD for large evidence files: STREAM (Hoang, Reyhanitabar, Rogaway, Vizar 2015).

Layout: ``header || segment_0 || ... || segment_n``.

- header (41 bytes): format byte ``0x21``, log2 of the chunk size (16: 64 KiB), 32-byte random
  salt, 7-byte random nonce prefix;
- each stream gets its own AES-256-GCM key ``HKDF-SHA256(key, salt, info="unseen/stream/v1")``,
  so nonces never repeat across streams however many are sealed under one key;
- segment i = AES-256-GCM(stream key, nonce = prefix(7) || i (4, big-endian) || last (1),
  chunk_i, aad = header || caller's aad). Every chunk is full except the last (which may be
  empty); only the last carries ``last = 1``.

So reordering or dropping a segment breaks the counter, cutting the stream at a segment boundary
leaves a final segment without the last flag, appending after the last segment fails because the
last flag is set, and changing the header breaks every tag.

Segments are released as each one verifies: if :func:`open_stream` raises, ``dst`` may already
hold a verified prefix, and the caller must discard it.
"""

from __future__ import annotations

import secrets
from typing import BinaryIO

from cryptography.exceptions import InvalidTag

from unseen.errors import CryptoError, DecryptionFailed

from ._aead import TAG_LEN, _aes_gcm_decrypt, _aes_gcm_encrypt
from ._kdf import _hkdf_sha256
from ._types import KEY_LEN, SymmetricKey

STREAM_V1 = 0x21
CHUNK_LOG2 = 16  # 64 KiB
_MIN_LOG2, _MAX_LOG2 = 6, 24  # accepted on open: bounds memory per segment
_SALT_LEN = 32
_PREFIX_LEN = 7
HEADER_LEN = 2 + _SALT_LEN + _PREFIX_LEN
_MAX_SEGMENTS = 2**32
_INFO = b"unseen/stream/v1"
_FAILED = "stream could not be decrypted: wrong key, or the file was altered, cut or extended"


def _read_exact(src: BinaryIO, n: int) -> bytes:
    # BinaryIO.read may return short reads on pipes; loop until n bytes or end of stream.
    parts, got = [], 0
    while got < n:
        part = src.read(n - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _stream_key(key: SymmetricKey, salt: bytes) -> bytes:
    return _hkdf_sha256(key.to_bytes(), salt=salt, info=_INFO, length=KEY_LEN)


def _seal_stream(
    src: BinaryIO, dst: BinaryIO, key: SymmetricKey, *, aad: bytes, chunk_log2: int
) -> int:
    if not _MIN_LOG2 <= chunk_log2 <= _MAX_LOG2:
        raise CryptoError("unsupported stream chunk size")
    chunk = 1 << chunk_log2
    salt, prefix = secrets.token_bytes(_SALT_LEN), secrets.token_bytes(_PREFIX_LEN)
    header = bytes([STREAM_V1, chunk_log2]) + salt + prefix
    stream_key, full_aad = _stream_key(key, salt), header + bytes(aad)
    dst.write(header)
    total, counter = 0, 0
    current = _read_exact(src, chunk)
    while True:
        # Read one chunk ahead: the last flag must be known before sealing a chunk.
        following = _read_exact(src, chunk) if len(current) == chunk else b""
        last = not following
        if counter >= _MAX_SEGMENTS:
            raise CryptoError("stream too long for one key (2**32 chunks)")
        dst.write(_aes_gcm_encrypt(stream_key, _nonce(prefix, counter, last), current, full_aad))
        total += len(current)
        counter += 1
        if last:
            return total
        current = following


def seal_stream(src: BinaryIO, dst: BinaryIO, key: SymmetricKey, *, aad: bytes) -> int:
    """Encrypt ``src`` into ``dst`` in 64 KiB chunks; returns the number of plaintext bytes."""
    return _seal_stream(src, dst, key, aad=aad, chunk_log2=CHUNK_LOG2)


def _open_stream(src: BinaryIO, dst: BinaryIO, key: SymmetricKey, aad: bytes) -> int:
    header = _read_exact(src, HEADER_LEN)
    if len(header) != HEADER_LEN or header[0] != STREAM_V1:
        raise ValueError("bad header")
    chunk_log2 = header[1]
    if not _MIN_LOG2 <= chunk_log2 <= _MAX_LOG2:
        raise ValueError("bad chunk size")
    segment_len = (1 << chunk_log2) + TAG_LEN
    salt, prefix = header[2 : 2 + _SALT_LEN], header[2 + _SALT_LEN :]
    stream_key, full_aad = _stream_key(key, salt), header + bytes(aad)
    total, counter = 0, 0
    current = _read_exact(src, segment_len)
    while True:
        if len(current) < TAG_LEN or counter >= _MAX_SEGMENTS:
            raise ValueError("bad segment")
        following = _read_exact(src, segment_len) if len(current) == segment_len else b""
        last = not following
        plain = _aes_gcm_decrypt(stream_key, _nonce(prefix, counter, last), current, full_aad)
        dst.write(plain)
        total += len(plain)
        counter += 1
        if last:
            return total
        current = following


def open_stream(src: BinaryIO, dst: BinaryIO, key: SymmetricKey, *, aad: bytes) -> int:
    """Decrypt a :func:`seal_stream` stream; returns the plaintext size.

    Any failure raises :class:`DecryptionFailed` with one message; discard ``dst`` then.
    """
    try:
        return _open_stream(src, dst, key, aad)
    except (InvalidTag, ValueError, TypeError):
        raise DecryptionFailed(_FAILED) from None
