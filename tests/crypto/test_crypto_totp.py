"""TOTP recipe: RFC 6238 Appendix B vectors (SHA-1), window, replay refusal, formats."""

from __future__ import annotations

import base64

import pytest

from unseen.crypto import (
    Secret,
    new_totp_secret,
    totp_code,
    totp_secret_text,
    totp_uri,
    verify_totp,
)
from unseen.errors import CryptoError

RFC_SECRET = Secret(b"12345678901234567890")


@pytest.mark.parametrize(
    ("at", "code"),
    [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"),
     (2000000000, "69279037")],
)  # fmt: skip
def test_rfc6238_sha1_vectors(at: int, code: str) -> None:
    assert totp_code(RFC_SECRET, at, digits=8) == code


def test_six_digit_code_is_the_vectors_last_six() -> None:
    assert totp_code(RFC_SECRET, 59) == "287082"


def test_verify_accepts_one_step_either_side_and_returns_the_step() -> None:
    s = new_totp_secret()
    code = totp_code(s, 3000)  # step 100
    assert verify_totp(s, code, 3000) == 100
    assert verify_totp(s, code, 3029 + 30) == 100  # next step, still in the window
    assert verify_totp(s, code, 3000 + 90) is None  # three steps later: refused


def test_replayed_step_is_refused() -> None:
    s = new_totp_secret()
    code = totp_code(s, 3000)
    step = verify_totp(s, code, 3000)
    assert step is not None
    assert verify_totp(s, code, 3000, after_step=step) is None


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_malformed_codes_are_refused(bad: str) -> None:
    assert verify_totp(new_totp_secret(), bad, 3000) is None


def test_secret_text_and_uri_encode_the_same_secret() -> None:
    s = new_totp_secret()
    text = totp_secret_text(s).replace(" ", "")
    assert base64.b32decode(text + "=" * (-len(text) % 8)) == s.reveal()
    uri = totp_uri(s, "doc-1", "unseen")
    assert uri.startswith("otpauth://totp/unseen:doc-1?") and f"secret={text}" in uri


def test_short_secret_is_refused() -> None:
    with pytest.raises(CryptoError):
        totp_code(Secret(b"short"), 0)
