"""Shamir secret sharing (Shamir 1979) over the prime field GF(2**521 - 1), for recovery keys.

A share is printable text: ``unseen-share-1-<base32 payload>-<checksum>``.

- payload (73 bytes): set id (4 random bytes, so shares of different splits are never mixed),
  x (1 byte, 1..255), threshold (1 byte), secret length (1 byte, 1..64), y (66 bytes, big-endian);
- checksum: base32 of the first 5 bytes of SHA-256(``"unseen-share-1-" || payload``). It catches
  typing mistakes; it is not a MAC. A deliberately altered share is caught later, when the
  recovered key fails to unwrap anything.

The shares carry nothing derived from the secret, so fewer than ``threshold`` of them reveal
nothing about it (information-theoretic). Python integers are not constant-time; recovery is an
offline, rare operation on the administrator's own machine.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Sequence

from unseen.errors import CryptoError

PRIME = 2**521 - 1  # Mersenne prime M521: larger than any 64-byte (512-bit) secret
MAX_SECRET_LEN = 64
MAX_SHARES = 255
_PREFIX = "unseen-share-1-"
_SET_ID_LEN = 4
_Y_LEN = 66  # ceil(521 / 8)
_PAYLOAD_LEN = _SET_ID_LEN + 3 + _Y_LEN
_CHECKSUM_BYTES = 5


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8), casefold=True)


def _checksum(payload: bytes) -> str:
    return _b32(hashlib.sha256(_PREFIX.encode("ascii") + payload).digest()[:_CHECKSUM_BYTES])


def _eval_poly(coefficients: Sequence[int], x: int) -> int:
    y = 0
    for c in reversed(coefficients):  # Horner
        y = (y * x + c) % PRIME
    return y


def split_secret(secret: bytes, *, shares: int = 3, threshold: int = 2) -> tuple[str, ...]:
    """Split ``secret`` (1..64 bytes) so that any ``threshold`` of ``shares`` rebuild it."""
    secret = bytes(secret)
    if not 1 <= len(secret) <= MAX_SECRET_LEN:
        raise CryptoError(f"a shared secret is 1..{MAX_SECRET_LEN} bytes")
    if not 2 <= threshold <= shares <= MAX_SHARES:
        raise CryptoError(f"need 2 <= threshold <= shares <= {MAX_SHARES}")
    coefficients = [int.from_bytes(secret, "big")]
    coefficients += [secrets.randbelow(PRIME) for _ in range(threshold - 1)]
    set_id = secrets.token_bytes(_SET_ID_LEN)
    out = []
    for x in range(1, shares + 1):
        y = _eval_poly(coefficients, x)
        payload = set_id + bytes([x, threshold, len(secret)]) + y.to_bytes(_Y_LEN, "big")
        out.append(f"{_PREFIX}{_b32(payload)}-{_checksum(payload)}")
    return tuple(out)


def _parse(text: str, position: int) -> tuple[bytes, int, int, int, int]:
    where = f"share {position}"
    if not isinstance(text, str):
        raise CryptoError(f"{where} is not text / {position}번 조각이 문자가 아닙니다")
    compact = "".join(text.split())  # tolerate line breaks and spaces from copying
    if not compact.lower().startswith(_PREFIX):
        raise CryptoError(
            f"{where} is not an unseen recovery share / {position}번 조각은 복구 조각이 아닙니다"
        )
    body, sep, check = compact[len(_PREFIX) :].rpartition("-")
    try:
        payload = _unb32(body) if sep else b""
    except (binascii.Error, ValueError):
        payload = b""
    # Re-encoding must give back the same letters: base32's unused final bits could otherwise
    # let a typo in the last letter decode to the same payload and go unnoticed.
    canonical = len(payload) == _PAYLOAD_LEN and _b32(payload) == body.upper()
    if not canonical or check.upper() != _checksum(payload):
        raise CryptoError(
            f"{where} has a typo (its checksum does not match): check it letter by letter"
            f" / {position}번 조각에 오타가 있습니다"
        )
    set_id = payload[:_SET_ID_LEN]
    x, threshold, length = payload[_SET_ID_LEN : _SET_ID_LEN + 3]
    y = int.from_bytes(payload[_SET_ID_LEN + 3 :], "big")
    if not (1 <= x and 2 <= threshold and 1 <= length <= MAX_SECRET_LEN and y < PRIME):
        raise CryptoError(f"{where} is damaged / {position}번 조각이 손상되었습니다")
    return set_id, x, threshold, length, y


def _interpolate_at(points: Sequence[tuple[int, int]], x0: int) -> int:
    """Lagrange interpolation of the polynomial through ``points`` evaluated at ``x0``."""
    total = 0
    for i, (xi, yi) in enumerate(points):
        num, den = 1, 1
        for j, (xj, _) in enumerate(points):
            if i != j:
                num = num * (x0 - xj) % PRIME
                den = den * (xi - xj) % PRIME
        total = (total + yi * num * pow(den, -1, PRIME)) % PRIME
    return total


def combine_shares(shares: Sequence[str]) -> bytes:
    """Rebuild the secret from at least ``threshold`` shares of one split.

    Raises :class:`CryptoError` naming the problem (typo, too few, duplicate, mixed sets,
    inconsistent); messages carry share positions, never share contents.
    """
    if isinstance(shares, str):
        raise CryptoError("give a list of shares, not one share")
    parsed = [_parse(text, n) for n, text in enumerate(shares, start=1)]
    if not parsed:
        raise CryptoError("no shares given / 복구 조각이 없습니다")
    set_id, _, threshold, length, _ = parsed[0]
    if any((p[0], p[2], p[3]) != (set_id, threshold, length) for p in parsed):
        raise CryptoError(
            "these shares come from different sets and cannot be combined"
            " / 서로 다른 묶음의 조각입니다"
        )
    xs = [p[1] for p in parsed]
    if len(set(xs)) != len(xs):
        raise CryptoError("the same share was given twice / 같은 조각이 두 번 들어왔습니다")
    if len(parsed) < threshold:
        raise CryptoError(
            f"{len(parsed)} share(s) given, {threshold} needed"
            f" / 조각 {threshold}개가 필요합니다 ({len(parsed)}개 입력)"
        )
    points = [(p[1], p[4]) for p in parsed]
    basis = points[:threshold]
    # Extra shares must lie on the same polynomial: this catches one altered share.
    if any(_interpolate_at(basis, x) != y for x, y in points[threshold:]):
        raise CryptoError("the shares do not agree: one is altered / 조각들이 서로 맞지 않습니다")
    value = _interpolate_at(basis, 0)
    if value >= 1 << (8 * length):
        raise CryptoError("the shares do not agree: one is altered / 조각들이 서로 맞지 않습니다")
    return value.to_bytes(length, "big")
