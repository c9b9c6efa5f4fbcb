"""seal_stream / open_stream: STREAM over AES-256-GCM."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.crypto import SymmetricKey, open_stream, seal_stream
from unseen.crypto._stream import HEADER_LEN, _seal_stream
from unseen.errors import DecryptionFailed

KEY = SymmetricKey.from_bytes(b"\x07" * 32)
CHUNK = 64 * 1024
SEG = CHUNK + 16
MESSAGE = "stream could not be decrypted: wrong key, or the file was altered, cut or extended"


class Trickle(io.BytesIO):
    """A source that returns at most 1000 bytes per read, like a pipe."""

    def read(self, size: int | None = -1, /) -> bytes:
        n = 1000 if size is None or size < 0 else min(size, 1000)
        return super().read(n)


def _seal(data: bytes, aad: bytes = b"evidence:1", chunk_log2: int | None = None) -> bytes:
    out = io.BytesIO()
    if chunk_log2 is None:
        assert seal_stream(io.BytesIO(data), out, KEY, aad=aad) == len(data)
    else:
        _seal_stream(io.BytesIO(data), out, KEY, aad=aad, chunk_log2=chunk_log2)
    return out.getvalue()


def _open(token: bytes, aad: bytes = b"evidence:1", key: SymmetricKey = KEY) -> bytes:
    out = io.BytesIO()
    n = open_stream(io.BytesIO(token), out, key, aad=aad)
    assert n == len(out.getvalue())
    return out.getvalue()


def _fails(token: bytes, aad: bytes = b"evidence:1", key: SymmetricKey = KEY) -> None:
    with pytest.raises(DecryptionFailed) as err:
        _open(token, aad, key)
    assert str(err.value) == MESSAGE and err.value.__cause__ is None


SIZES = sorted({max(0, k * CHUNK + d) for k in range(3) for d in (-1, 0, 1)} | {5, 3 * CHUNK})


@pytest.mark.parametrize("size", SIZES)
def test_round_trip_around_chunk_boundaries(size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    token = _seal(data)
    segments = 1 if size == 0 else -(-size // CHUNK)
    assert len(token) == HEADER_LEN + size + 16 * segments
    assert _open(token) == data


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 3 * CHUNK + 10), st.binary(max_size=32))
def test_round_trip_random_sizes(size: int, aad: bytes) -> None:
    data = (b"\x5a\xa5" * (size // 2 + 1))[:size]
    assert _open(_seal(data, aad), aad) == data


def test_short_reads_from_pipes() -> None:
    data = bytes(range(256)) * 700  # ~175 KiB, three segments
    out = io.BytesIO()
    seal_stream(Trickle(data), out, KEY, aad=b"a")
    back = io.BytesIO()
    open_stream(Trickle(out.getvalue()), back, KEY, aad=b"a")
    assert back.getvalue() == data


def test_truncated_at_every_chunk_boundary_fails() -> None:
    data = b"\x01" * (3 * CHUNK + 100)
    token = _seal(data)
    for n_segments in range(4):  # keep header + first n segments, drop the rest
        _fails(token[: HEADER_LEN + n_segments * SEG])
    _fails(token[:HEADER_LEN - 1])
    _fails(token[:-1])
    _fails(b"")


def test_truncated_after_exact_multiple_fails() -> None:
    token = _seal(b"\x02" * (2 * CHUNK))
    _fails(token[: HEADER_LEN + SEG])


def test_reordered_extended_and_spliced_fail() -> None:
    data = bytes(range(256)) * (3 * CHUNK // 256) + b"tail"
    token = _seal(data)
    head, body = token[:HEADER_LEN], token[HEADER_LEN:]
    s = [body[i : i + SEG] for i in range(0, len(body), SEG)]
    assert len(s) == 4
    _fails(head + s[1] + s[0] + s[2] + s[3])  # swap
    _fails(head + s[0] + s[2] + s[1] + s[3])
    _fails(head + s[0] + s[1] + s[3])  # drop a middle segment
    _fails(token + s[3])  # replay the last segment
    _fails(token + b"\x00" * 16)  # extend
    other = _seal(data)
    _fails(head + other[HEADER_LEN:])  # another stream's segments under this header
    _fails(token, aad=b"evidence:2")
    _fails(token, key=SymmetricKey.generate())


def test_every_single_byte_flip_fails_small_chunks() -> None:
    # 64-byte chunks (a format the header describes) keep this exhaustive test quick.
    token = _seal(b"abc" * 50, chunk_log2=6)
    assert _open(token) == b"abc" * 50
    for i in range(len(token)):
        for bit in (0x01, 0x80):
            bad = bytearray(token)
            bad[i] ^= bit
            _fails(bytes(bad))


def test_a_flip_in_every_segment_of_a_real_stream_fails() -> None:
    token = _seal(b"\x03" * (2 * CHUNK + 7))
    for pos in (0, 1, 5, HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + SEG - 1, HEADER_LEN + SEG,
                HEADER_LEN + 2 * SEG + 3, len(token) - 1):
        bad = bytearray(token)
        bad[pos] ^= 0x10
        _fails(bytes(bad))


def test_streams_are_randomised() -> None:
    assert _seal(b"same") != _seal(b"same")
