"""seal/open, wrap/unwrap, KDF and subkeys: round trips and fail-closed behaviour."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.crypto import (
    KdfParams,
    Passphrase,
    SymmetricKey,
    derive_key,
    derive_subkey,
    new_salt,
    open_sealed,
    seal,
    unwrap_key,
    wrap_key,
)
from unseen.errors import CryptoError, DecryptionFailed, InputError

KEY = SymmetricKey.from_bytes(bytes(range(32)))
SEAL_MESSAGE = "data could not be decrypted: wrong key or altered data"
UNWRAP_MESSAGE = "key could not be unwrapped: wrong key or altered data"


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096), st.binary(max_size=64))
def test_seal_round_trip(data: bytes, aad: bytes) -> None:
    key = SymmetricKey.generate()
    token = seal(data, key, aad=aad)
    assert token[0] == 0x01
    assert len(token) == 1 + 12 + len(data) + 16
    assert open_sealed(token, key, aad=aad) == data


def test_seal_uses_fresh_nonces() -> None:
    assert seal(b"same", KEY, aad=b"a") != seal(b"same", KEY, aad=b"a")


def test_every_single_byte_flip_fails() -> None:
    token = seal(b"short secret", KEY, aad=b"person:1")
    for i in range(len(token)):
        for bit in range(8):
            bad = bytearray(token)
            bad[i] ^= 1 << bit
            with pytest.raises(DecryptionFailed) as info:
                open_sealed(bytes(bad), KEY, aad=b"person:1")
            assert str(info.value) == SEAL_MESSAGE
            assert info.value.__cause__ is None and info.value.__suppress_context__


def test_wrong_key_wrong_aad_truncated_extended_all_fail_the_same() -> None:
    token = seal(b"testimony", KEY, aad=b"event:7")
    attempts = [
        (token, SymmetricKey.generate(), b"event:7"),
        (token, KEY, b"event:8"),
        (token, KEY, b""),
        (token[:-1], KEY, b"event:7"),
        (token + b"\x00", KEY, b"event:7"),
        (token[:12], KEY, b"event:7"),
        (b"", KEY, b"event:7"),
        (bytes([0x02]) + token[1:], KEY, b"event:7"),
    ]
    for tok, key, aad in attempts:
        with pytest.raises(DecryptionFailed) as info:
            open_sealed(tok, key, aad=aad)
        assert str(info.value) == SEAL_MESSAGE


def test_sealed_token_is_not_a_wrapped_key() -> None:
    inner = SymmetricKey.generate()
    sealed = seal(inner.to_bytes(), KEY, aad=b"k")
    with pytest.raises(DecryptionFailed):
        unwrap_key(sealed, KEY, aad=b"k")
    with pytest.raises(DecryptionFailed):
        open_sealed(wrap_key(inner, KEY, aad=b"k"), KEY, aad=b"k")


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=64))
def test_wrap_round_trip(aad: bytes) -> None:
    inner, wrapping = SymmetricKey.generate(), SymmetricKey.generate()
    token = wrap_key(inner, wrapping, aad=aad)
    assert token[0] == 0x11
    assert unwrap_key(token, wrapping, aad=aad) == inner


def test_unwrap_failures() -> None:
    inner = SymmetricKey.generate()
    token = wrap_key(inner, KEY, aad=b"slot:alice")
    for i in range(len(token)):
        bad = bytearray(token)
        bad[i] ^= 0x80
        with pytest.raises(DecryptionFailed) as info:
            unwrap_key(bytes(bad), KEY, aad=b"slot:alice")
        assert str(info.value) == UNWRAP_MESSAGE
    with pytest.raises(DecryptionFailed):
        unwrap_key(token, SymmetricKey.generate(), aad=b"slot:alice")
    with pytest.raises(DecryptionFailed):
        unwrap_key(token, KEY, aad=b"slot:bob")


def test_symmetric_key_length_and_equality() -> None:
    with pytest.raises(CryptoError):
        SymmetricKey.from_bytes(b"\x00" * 31)
    assert SymmetricKey.from_bytes(bytes(range(32))) == KEY
    assert SymmetricKey.generate() != KEY
    assert len(SymmetricKey.generate().to_bytes()) == 32


def test_derive_key_deterministic_and_salted() -> None:
    fast = KdfParams.fast_for_tests()
    salt = new_salt()
    k1 = derive_key(Passphrase("correct horse 말 배터리"), salt, fast)
    assert k1 == derive_key(Passphrase("correct horse 말 배터리"), salt, fast)
    assert k1 != derive_key(Passphrase("correct horse 말 배터리"), new_salt(), fast)
    assert k1 != derive_key(Passphrase("correct horse 말 배터리!"), salt, fast)


def test_derive_key_normalises_hangul_to_nfc() -> None:
    import unicodedata

    fast, salt = KdfParams.fast_for_tests(), b"s" * 16
    composed = "김순희 비밀"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert derive_key(Passphrase(composed), salt, fast) == derive_key(
        Passphrase(decomposed), salt, fast
    )


def test_kdf_params() -> None:
    d = KdfParams.default()
    assert (d.time_cost, d.memory_cost_kib, d.parallelism, d.salt_len) == (3, 65536, 4, 16)
    f = KdfParams.fast_for_tests()
    assert (f.time_cost, f.memory_cost_kib, f.parallelism) == (1, 1024, 1)
    assert KdfParams.from_dict(d.to_dict()) == d
    assert d.to_dict()["algorithm"] == "argon2id"
    bad: object
    for bad in (
        {"algorithm": "scrypt", "time_cost": 3, "memory_cost_kib": 65536, "parallelism": 4},
        {"algorithm": "argon2id", "time_cost": 3},
        {**d.to_dict(), "memory_cost_kib": 10**9},
        {**d.to_dict(), "time_cost": 0},
        {**d.to_dict(), "parallelism": "4"},
        {**d.to_dict(), "salt_len": 8},
        [],
    ):
        with pytest.raises(CryptoError):
            KdfParams.from_dict(bad)


def test_salt() -> None:
    assert len(new_salt()) == 16 and len(new_salt(32)) == 32
    assert new_salt() != new_salt()
    with pytest.raises(CryptoError):
        new_salt(8)
    with pytest.raises(CryptoError):
        derive_key(Passphrase("x"), b"short", KdfParams.fast_for_tests())


def test_passphrase_rejects_empty() -> None:
    for bad in ("", "   ", "\n"):
        with pytest.raises(InputError):
            Passphrase(bad)


def test_subkeys_are_independent_and_deterministic() -> None:
    a = derive_subkey(KEY, "unseen/identity")
    assert a == derive_subkey(KEY, "unseen/identity")
    assert a != derive_subkey(KEY, "unseen/blind-index")
    assert a != KEY
    with pytest.raises(CryptoError):
        derive_subkey(KEY, "")
