"""Published test vectors, run through the same primitives the recipes use."""

from __future__ import annotations

from unseen.crypto import SigningKey, VerifyKey
from unseen.crypto._aead import _aes_gcm_decrypt, _aes_gcm_encrypt
from unseen.crypto._kdf import KdfParams, _argon2id_raw, _hkdf_sha256
from unseen.crypto._mac import _hmac_sha256_hex, sha256_hex


def test_argon2id_rfc9106_section_5_3() -> None:
    params = KdfParams(time_cost=3, memory_cost_kib=32, parallelism=4)
    tag = _argon2id_raw(
        b"\x01" * 32, b"\x02" * 16, params, length=32, secret=b"\x03" * 8, ad=b"\x04" * 12
    )
    assert tag.hex() == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"


def test_hkdf_sha256_rfc5869_case_1() -> None:
    okm = _hkdf_sha256(
        bytes.fromhex("0b" * 22),
        salt=bytes.fromhex("000102030405060708090a0b0c"),
        info=bytes.fromhex("f0f1f2f3f4f5f6f7f8f9"),
        length=42,
    )
    assert okm.hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    )


def test_hmac_sha256_rfc4231_case_2() -> None:
    assert _hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


def test_sha256_fips180_abc() -> None:
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_ed25519_rfc8032_test_1() -> None:
    sk = SigningKey.from_bytes(
        bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    )
    pk_hex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    sig_hex = (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    assert sk.public_key().to_bytes().hex() == pk_hex
    assert sk.sign(b"").hex() == sig_hex
    VerifyKey.from_bytes(bytes.fromhex(pk_hex)).verify(bytes.fromhex(sig_hex), b"")


def test_aes_256_gcm_mcgrew_viega_case_16() -> None:
    key = bytes.fromhex("feffe9928665731c6d6a8f9467308308" * 2)
    iv = bytes.fromhex("cafebabefacedbaddecaf888")
    pt = bytes.fromhex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
    )
    aad = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
    ct = bytes.fromhex(
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
    )
    tag = bytes.fromhex("76fc6ece0f4e1768cddf8853bb2d551b")
    assert _aes_gcm_encrypt(key, iv, pt, aad) == ct + tag
    assert _aes_gcm_decrypt(key, iv, ct + tag, aad) == pt
