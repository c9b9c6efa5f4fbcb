"""Canonical JSON, timestamps and the record content hash: the bytes that hashes are taken over.

Canonical JSON is ``json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` in
UTF-8, NaN and infinities refused. These bytes are hashed and signed, and bundles verify them on
another machine: change nothing here without a new format version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from unseen.crypto import sha256_hex
from unseen.errors import InputError

Clock = Callable[[], datetime]


def canonical_json(value: Any) -> str:
    try:
        return json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError):
        # No repr of the value: it may be identity data.
        raise InputError(
            "a record holds a value that is not plain JSON (text, number, true/false, null, "
            "list, object with text keys) / 기록에 JSON으로 저장할 수 없는 값이 있습니다"
        ) from None


def canonical_bytes(value: Any) -> bytes:
    return canonical_json(value).encode("utf-8")


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(clock: Clock) -> str:
    """ISO 8601 UTC with microseconds and a ``Z``; a naive clock value is taken as UTC."""
    now = clock()
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def optional_sha256(data: bytes | None) -> str | None:
    return None if data is None else sha256_hex(data)


def record_content_hash(
    *,
    kind: str,
    record_id: str,
    version: int,
    created_at: str,
    author: str,
    attributes_json: str,
    identity_sealed: bytes | None,
    identity_key_wrapped: bytes | None,
    deleted: bool,
) -> str:
    """SHA-256 over the canonical JSON of a record version (sealed parts by their SHA-256)."""
    return sha256_hex(
        canonical_bytes(
            {
                "v": 1,
                "kind": kind,
                "record_id": record_id,
                "version": version,
                "created_at": created_at,
                "author": author,
                "attributes": attributes_json,
                "identity_sealed_sha256": optional_sha256(identity_sealed),
                "identity_key_wrapped_sha256": optional_sha256(identity_key_wrapped),
                "deleted": bool(deleted),
            }
        )
    )


def evidence_content_hash(
    *,
    address: str,
    sha256: str,
    size: int,
    media_type: str,
    created_at: str,
    author: str,
    filename_sealed: bytes | None,
) -> str:
    return sha256_hex(
        canonical_bytes(
            {
                "v": 1,
                "address": address,
                "sha256": sha256,
                "size": size,
                "media_type": media_type,
                "created_at": created_at,
                "author": author,
                "filename_sealed_sha256": optional_sha256(filename_sealed),
            }
        )
    )
