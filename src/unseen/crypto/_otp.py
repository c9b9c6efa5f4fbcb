"""Time-based one-time passwords (TOTP, RFC 6238) for the web app's second factor.

Six digits, HMAC-SHA1, 30-second steps: what every authenticator app (Aegis, FreeOTP, Google
Authenticator) reads from an ``otpauth://`` URI. The secret is 160 random bits (RFC 4226 s4).
"""

from __future__ import annotations

import base64
import secrets

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from unseen.errors import CryptoError

from ._types import Secret

TOTP_DIGITS = 6
TOTP_STEP_SECONDS = 30
_SECRET_LEN = 20


def _totp(secret: Secret, digits: int = TOTP_DIGITS) -> TOTP:
    if not isinstance(secret, Secret) or len(secret) < 16:
        raise CryptoError("a TOTP secret is a Secret of at least 16 bytes")
    return TOTP(secret.reveal(), digits, SHA1(), TOTP_STEP_SECONDS)  # noqa: S303 (RFC 6238 default; apps expect it)


def new_totp_secret() -> Secret:
    """160 random bits from the OS CSPRNG."""
    return Secret(secrets.token_bytes(_SECRET_LEN))


def totp_step(at: float) -> int:
    """The 30-second time step that ``at`` (Unix seconds) falls in."""
    return int(at // TOTP_STEP_SECONDS)


def totp_code(secret: Secret, at: float, *, digits: int = TOTP_DIGITS) -> str:
    """The code an authenticator app shows at time ``at`` (Unix seconds)."""
    return _totp(secret, digits).generate(int(at)).decode("ascii")


def verify_totp(
    secret: Secret, code: str, at: float, *, after_step: int | None = None, window: int = 1
) -> int | None:
    """The time step ``code`` is valid for, within ``window`` steps of ``at``, or None.

    A step at or before ``after_step`` (the last one accepted) is refused, so a code cannot be
    replayed. Comparison is constant-time (cryptography's ``verify``)."""
    code = code.strip().replace(" ", "")
    if len(code) != TOTP_DIGITS or not code.isascii() or not code.isdigit():
        return None
    totp = _totp(secret)
    now = totp_step(at)
    for step in range(now - window, now + window + 1):
        if step < 0 or (after_step is not None and step <= after_step):
            continue
        try:
            totp.verify(code.encode("ascii"), step * TOTP_STEP_SECONDS)
        except InvalidToken:
            continue
        return step
    return None


def totp_secret_text(secret: Secret) -> str:
    """Base32 without padding, in groups of four, for typing into an app by hand."""
    text = base64.b32encode(secret.reveal()).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_uri(secret: Secret, account: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app imports."""
    return _totp(secret).get_provisioning_uri(account, issuer)
