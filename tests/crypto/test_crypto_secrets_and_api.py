"""Secret types never show their value; digests, signatures and the public API."""

from __future__ import annotations

import base64

import pytest

import unseen.crypto as crypto
from unseen.crypto import (
    Passphrase,
    RecipientKeyPair,
    Secret,
    SigningKey,
    SymmetricKey,
    VerifyKey,
    blind_index,
    constant_time_equal,
    content_address,
    sha256_hex,
)
from unseen.errors import CryptoError, SignatureInvalid


def _forms(raw: bytes) -> list[str]:
    """Every way a secret's bytes could show up in text."""
    forms = [
        raw.hex(),
        raw.hex().upper(),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
        base64.b32encode(raw).decode().rstrip("="),
        repr(raw)[2:-1],
    ]
    return [f for f in forms if len(f) >= 8]


def _assert_hidden(obj: object, raw: bytes) -> None:
    for text in (repr(obj), str(obj), f"{obj}", f"{obj!r}", repr([obj]), repr({"k": obj})):
        assert "***" in text
        for form in _forms(raw):
            assert form not in text
            assert form[:8] not in text


def test_reprs_hide_every_secret() -> None:
    raw = bytes(range(100, 132))
    _assert_hidden(Secret(raw), raw)
    _assert_hidden(SymmetricKey.from_bytes(raw), raw)
    sk = SigningKey.from_bytes(raw)
    _assert_hidden(sk, raw)
    pair = RecipientKeyPair.from_private_bytes(b"\x01" + raw)
    _assert_hidden(pair, raw)
    _assert_hidden(pair, pair.private_bytes())
    phrase = "김순희의 비밀 문장 2010"
    p = Passphrase(phrase)
    for text in (repr(p), str(p), repr([p])):
        assert phrase not in text and "김순희" not in text and "***" in text
        for form in _forms(phrase.encode("utf-8")):
            assert form not in text


def test_reveal_and_constant_time_equality() -> None:
    assert Secret(b"abc").reveal() == b"abc"
    assert len(Secret(b"abc")) == 3
    assert Secret(b"abc") == Secret(b"abc") and Secret(b"abc") != Secret(b"abd")
    assert Passphrase("pass word").reveal() == "pass word"
    assert Passphrase("가나다") == Passphrase("가나다")
    assert Passphrase("가나다") != Passphrase("가나라")
    for value in (Secret(b"a"), Passphrase("a"), SymmetricKey.generate()):
        with pytest.raises(TypeError):
            hash(value)
    assert constant_time_equal("ab", "ab") and not constant_time_equal(b"ab", b"ac")
    with pytest.raises(CryptoError):
        Secret("text")  # type: ignore[arg-type]


def test_blind_index_and_content_address() -> None:
    key = SymmetricKey.from_bytes(b"\x11" * 32)
    a = blind_index(key, "sunhui")
    assert len(a) == 64 and int(a, 16) >= 0
    assert a == blind_index(key, "sunhui") != blind_index(key, "sunhee")
    assert a != blind_index(SymmetricKey.from_bytes(b"\x12" * 32), "sunhui")
    assert blind_index(key, "김") != blind_index(key, "kim")
    c = content_address(key, b"sunhui")
    assert len(c) == 64 and c != a  # domain separated even under one key
    assert c != sha256_hex(b"sunhui")
    assert content_address(key, b"photo") == content_address(key, b"photo")


def test_signatures() -> None:
    sk = SigningKey.generate()
    vk = sk.public_key()
    sig = sk.sign(b"audit entry 1")
    assert len(sig) == 64
    vk.verify(sig, b"audit entry 1")
    again = VerifyKey.from_bytes(vk.to_bytes())
    assert again == vk and hash(again) == hash(vk)
    again.verify(sig, b"audit entry 1")
    assert SigningKey.from_bytes(sk.to_bytes()).sign(b"m") == sk.sign(b"m")  # deterministic
    for bad_sig, data, key in [
        (sig, b"audit entry 2", vk),
        (sig[:-1], b"audit entry 1", vk),
        (bytes([sig[0] ^ 1]) + sig[1:], b"audit entry 1", vk),
        (sig, b"audit entry 1", SigningKey.generate().public_key()),
        (b"", b"audit entry 1", vk),
    ]:
        with pytest.raises(SignatureInvalid) as err:
            key.verify(bad_sig, data)
        assert str(err.value) == "signature does not verify under this key"
        assert err.value.__cause__ is None


def test_fingerprint() -> None:
    vk = SigningKey.from_bytes(b"\x01" * 32).public_key()
    fp = vk.fingerprint()
    assert len(fp) == 19 and fp.count("-") == 3
    assert fp.replace("-", "") == sha256_hex(vk.to_bytes())[:16]
    assert fp in repr(vk)
    with pytest.raises(CryptoError):
        VerifyKey.from_bytes(b"\x00" * 31)
    with pytest.raises(CryptoError):
        SigningKey.from_bytes(b"\x00" * 33)


def test_exports_are_exactly_all() -> None:
    public = {n for n in vars(crypto) if not n.startswith("_")}
    assert public == set(crypto.__all__)
    contract = {
        "Secret", "Passphrase", "KdfParams", "SymmetricKey", "derive_key", "new_salt",
        "derive_subkey", "seal", "open_sealed", "wrap_key", "unwrap_key", "blind_index",
        "content_address", "sha256_hex", "SigningKey", "VerifyKey", "RecipientKeyPair",
        "seal_to", "open_from", "split_secret", "combine_shares", "seal_stream", "open_stream",
    }
    assert contract <= set(crypto.__all__)
