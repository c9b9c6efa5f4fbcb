"""RecipientKeyPair / seal_to / open_from: X-Wing HPKE."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.crypto import RecipientKeyPair, open_from, seal_to
from unseen.errors import CryptoError, DecryptionFailed

MESSAGE = "message could not be decrypted: wrong key or altered data"


def test_xwing_public_key_matches_draft_vector_1() -> None:
    # draft-connolly-cfrg-xwing-kem-08, appendix C, first vector: seed -> 1216-byte public key.
    # The SHA-256 was computed from the vector's published hex, not from our code.
    seed = bytes.fromhex("7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26")
    pk = RecipientKeyPair.from_private_bytes(b"\x01" + seed).public_bytes()
    assert pk[0] == 0x01 and len(pk) == 1 + 1216
    assert pk[1:17].hex() == "e2236b35a8c24b39b10aa1323a96a919"
    assert pk[-8:].hex() == "c8cd049040ef6534"
    assert hashlib.sha256(pk[1:]).hexdigest() == (
        "2e816deebcd76c5c80d0cd2d174478871658e8e2ff42bc9d4a6e486372e856bb"
    )


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=2048), st.binary(max_size=64))
def test_round_trip(plaintext: bytes, info: bytes) -> None:
    pair = RecipientKeyPair.generate()
    token = seal_to(pair.public_bytes(), plaintext, info=info)
    assert token[0] == 0x31
    assert open_from(pair, token, info=info) == plaintext


def test_private_bytes_round_trip() -> None:
    pair = RecipientKeyPair.generate()
    again = RecipientKeyPair.from_private_bytes(pair.private_bytes())
    assert again.public_bytes() == pair.public_bytes()
    token = seal_to(pair.public_bytes(), b"bundle key", info=b"bundle:1")
    assert open_from(again, token, info=b"bundle:1") == b"bundle key"


def test_every_byte_flip_fails() -> None:
    pair = RecipientKeyPair.generate()
    token = seal_to(pair.public_bytes(), b"x", info=b"i")
    for i in range(len(token)):
        bad = bytearray(token)
        bad[i] ^= 0x01
        with pytest.raises(DecryptionFailed) as info:
            open_from(pair, bytes(bad), info=b"i")
        assert str(info.value) == MESSAGE


def test_wrong_key_wrong_info_truncation_fail() -> None:
    pair = RecipientKeyPair.generate()
    token = seal_to(pair.public_bytes(), b"testimony", info=b"case:3")
    for tok, who, info in [
        (token, RecipientKeyPair.generate(), b"case:3"),
        (token, pair, b"case:4"),
        (token[:-1], pair, b"case:3"),
        (token + b"\x00", pair, b"case:3"),
        (token[:100], pair, b"case:3"),
        (b"", pair, b"case:3"),
    ]:
        with pytest.raises(DecryptionFailed) as err:
            open_from(who, tok, info=info)
        assert str(err.value) == MESSAGE


def test_malformed_keys_refused() -> None:
    pk = RecipientKeyPair.generate().public_bytes()
    with pytest.raises(CryptoError):
        seal_to(pk[:-1], b"x", info=b"")
    with pytest.raises(CryptoError):
        seal_to(b"\x02" + pk[1:], b"x", info=b"")
    with pytest.raises(CryptoError):
        RecipientKeyPair.from_private_bytes(b"\x01" + b"\x00" * 31)
