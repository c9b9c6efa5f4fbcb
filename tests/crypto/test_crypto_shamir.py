"""split_secret / combine_shares: Shamir over GF(2**521 - 1)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.crypto import combine_shares, split_secret
from unseen.crypto._shamir import PRIME, _b32, _checksum, _interpolate_at, _unb32
from unseen.errors import CryptoError

SHARE_RE = re.compile(r"^unseen-share-1-[A-Z2-7]+-[A-Z2-7]{8}$")


def test_prime_is_mersenne_521() -> None:
    assert PRIME == 2**521 - 1
    assert PRIME.bit_length() == 521 > 64 * 8


def test_interpolation_known_answer() -> None:
    # f(x) = 7 + 3x + 2x^2: f(1)=12, f(2)=21, f(3)=34.
    points = [(1, 12), (2, 21), (3, 34)]
    assert _interpolate_at(points, 0) == 7
    assert _interpolate_at(points, 4) == 7 + 12 + 32


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=64))
def test_any_two_of_three(secret: bytes) -> None:
    shares = split_secret(secret)
    assert len(shares) == 3 and all(SHARE_RE.match(s) for s in shares)
    for pair in itertools.permutations(shares, 2):
        assert combine_shares(pair) == secret
    assert combine_shares(shares) == secret


@settings(max_examples=20, deadline=None)
@given(st.binary(min_size=1, max_size=64), st.data())
def test_k_of_n(secret: bytes, data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 7))
    k = data.draw(st.integers(2, n))
    shares = split_secret(secret, shares=n, threshold=k)
    chosen = data.draw(st.permutations(shares))[:k]
    assert combine_shares(chosen) == secret
    with pytest.raises(CryptoError, match="needed"):
        combine_shares(chosen[: k - 1])


def test_leading_zero_bytes_kept() -> None:
    secret = b"\x00\x00\x00\x01"
    assert combine_shares(split_secret(secret)[1:]) == secret


def test_shares_are_tolerant_of_case_and_spacing() -> None:
    a, b, _ = split_secret(b"k" * 32)
    messy = " ".join(a.lower()[i : i + 20] for i in range(0, len(a), 20)) + "\n"
    assert combine_shares([messy, b]) == b"k" * 32


def test_one_share_reveals_nothing_about_which_secret() -> None:
    # Information-theoretic: for any share, every candidate secret is consistent with it;
    # here, the same first share interpolates with a suitable second share to any secret.
    secret_a, secret_b = 5, 9
    x1, y1 = 1, 123456789
    for s in (secret_a, secret_b):
        slope = (y1 - s) % PRIME
        y2 = (s + 2 * slope) % PRIME
        assert _interpolate_at([(x1, y1), (2, y2)], 0) == s


def test_too_few_duplicate_mixed_and_typo() -> None:
    a, b, c = split_secret(b"s" * 32)
    d, e, _ = split_secret(b"s" * 32)
    with pytest.raises(CryptoError, match="1 share\\(s\\) given, 2 needed"):
        combine_shares([a])
    with pytest.raises(CryptoError, match="no shares"):
        combine_shares([])
    with pytest.raises(CryptoError, match="twice"):
        combine_shares([a, a])
    with pytest.raises(CryptoError, match="different sets"):
        combine_shares([a, e])
    with pytest.raises(CryptoError, match="not an unseen recovery share"):
        combine_shares(["hello", b])
    with pytest.raises(CryptoError, match="give a list"):
        combine_shares(a)


def test_every_single_character_typo_is_caught() -> None:
    a, b, _ = split_secret(b"\x42" * 32)
    start = len("unseen-share-1-")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for i in range(start, len(a)):
        if a[i] == "-":
            continue
        typo = alphabet[(alphabet.index(a[i]) + 1) % 32]
        bad = a[:i] + typo + a[i + 1 :]
        with pytest.raises(CryptoError) as err:
            combine_shares([bad, b])
        assert "share 1" in str(err.value)
        assert a[start:] not in str(err.value) and bad[start:] not in str(err.value)


def test_inconsistent_extra_share_detected() -> None:
    a, b, c = split_secret(b"z" * 32)
    other = split_secret(b"y" * 32)
    # A well-formed share (valid checksum) with c's set id and index but another split's value.
    body_c = _unb32(c.split("-")[3])
    body_o = _unb32(other[2].split("-")[3])
    forged_payload = body_c[:7] + body_o[7:]
    forged = f"unseen-share-1-{_b32(forged_payload)}-{_checksum(forged_payload)}"
    with pytest.raises(CryptoError, match="do not agree"):
        combine_shares([a, b, forged])


def test_bad_parameters() -> None:
    with pytest.raises(CryptoError):
        split_secret(b"")
    with pytest.raises(CryptoError):
        split_secret(b"x" * 65)
    with pytest.raises(CryptoError):
        split_secret(b"x", shares=2, threshold=3)
    with pytest.raises(CryptoError):
        split_secret(b"x", shares=3, threshold=1)
    with pytest.raises(CryptoError):
        split_secret(b"x", shares=256, threshold=2)
