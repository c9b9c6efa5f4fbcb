"""Envelope encryption of identities and the keyed blind index of name tokens.

Each record version's identity is sealed under its own random key RK; RK is wrapped under the
identity key IK. Both are bound (AAD) to workspace, kind, record id and version, so a sealed
identity cannot be moved to another record or version without failing to open.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from typing import Any

from unseen.crypto import (
    SymmetricKey,
    blind_index,
    derive_subkey,
    open_sealed,
    seal,
    unwrap_key,
    wrap_key,
)
from unseen.errors import DecryptionFailed, InputError, IntegrityError

from ._canonical import canonical_bytes

BLIND_INDEX_PURPOSE = "unseen/v1/blind-index"


def identity_aad(workspace_id: str, kind: str, record_id: str, version: int) -> bytes:
    return f"unseen/v1/identity|{workspace_id}|{kind}|{record_id}|{version}".encode()


def seal_identity(ik: SymmetricKey, aad: bytes, identity: dict[str, Any]) -> tuple[bytes, bytes]:
    record_key = SymmetricKey.generate()
    sealed = seal(canonical_bytes(identity), record_key, aad=aad)
    return sealed, wrap_key(record_key, ik, aad=aad)


def open_identity(ik: SymmetricKey, aad: bytes, sealed: bytes, wrapped: bytes) -> dict[str, Any]:
    try:
        record_key = unwrap_key(wrapped, ik, aad=aad)
        value = json.loads(open_sealed(sealed, record_key, aad=aad))
    except (DecryptionFailed, ValueError):
        raise IntegrityError(
            "a sealed identity does not open: the record was altered or moved / "
            "신원 정보를 열 수 없습니다 (변경된 기록)"
        ) from None
    if not isinstance(value, dict):
        raise IntegrityError("a sealed identity is not an object")
    return value


def blind_key(ik: SymmetricKey) -> SymmetricKey:
    return derive_subkey(ik, BLIND_INDEX_PURPOSE)


def normalise_token(token: str) -> str:
    return unicodedata.normalize("NFC", token).strip().casefold()


def token_hashes(key: SymmetricKey, tokens: Iterable[str]) -> list[str]:
    """Distinct keyed hashes of the non-empty normalised tokens, in first-seen order."""
    if isinstance(tokens, str):
        raise InputError(
            "give name tokens as a list of texts, not one text / 토큰 목록이 필요합니다"
        )
    out: dict[str, None] = {}
    for token in tokens:
        if not isinstance(token, str):
            raise InputError("name tokens must be text / 이름 토큰은 문자여야 합니다")
        norm = normalise_token(token)
        if norm:
            out.setdefault(blind_index(key, norm), None)
    return list(out)
