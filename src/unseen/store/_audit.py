"""The hash-chained, Ed25519-signed audit log: how an entry is hashed, signed and checked.

``entry_hash = sha256(prev_hash_bytes || canonical_json(fields))`` where ``fields`` holds seq, at,
actor, action, kind, record_id, version, content_hash, detail and the workspace id;
``prev_hash`` of entry 1 is ``sha256("unseen/v1/audit-genesis|" + workspace_id)``;
``signature = Ed25519(b"unseen/v1/audit-entry\\x00" || entry_hash_bytes)``. The label separates
these signatures from the keys.json signatures made with the same key.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from unseen.crypto import SigningKey, VerifyKey, sha256_hex
from unseen.errors import CryptoError

from ._canonical import canonical_bytes, canonical_json

_SIGN_LABEL = b"unseen/v1/audit-entry\x00"

# Actions that write one record version (each version has exactly one such entry).
RECORD_WRITES = frozenset({"create", "update", "delete", "replicate"})
EVIDENCE_WRITES = frozenset({"add_evidence", "replicate_evidence"})
# Actions written for reading sealed data; they survive a rollback of the surrounding transaction.
DISCLOSURES = frozenset({"reveal", "read_evidence", "search"})


def genesis_hash(workspace_id: str) -> str:
    return sha256_hex(f"unseen/v1/audit-genesis|{workspace_id}".encode())


@dataclass(frozen=True)
class Event:
    """What happened, before it is numbered and chained."""

    action: str
    kind: str | None = None
    record_id: str | None = None
    version: int | None = None
    content_hash: str | None = None
    detail: dict[str, Any] | None = None


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    kind: str | None
    record_id: str | None
    version: int | None
    content_hash: str | None
    detail: str | None
    prev_hash: str
    entry_hash: str
    signature: bytes

    def row(self) -> dict[str, Any]:
        """The audit_log row: one column per field, named alike."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


# What an entry's hash covers besides the workspace id: entry_hash's keywords, in their order.
HASHED_FIELDS = ("seq", "at", "actor", "action", "kind", "record_id", "version", "content_hash",
                 "detail")  # fmt: skip


def entry_hash(
    workspace_id: str,
    prev_hash: str,
    *,
    seq: int,
    at: str,
    actor: str,
    action: str,
    kind: str | None,
    record_id: str | None,
    version: int | None,
    content_hash: str | None,
    detail: str | None,
) -> str:
    fields = {
        "v": 1,
        "workspace_id": workspace_id,
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "kind": kind,
        "record_id": record_id,
        "version": version,
        "content_hash": content_hash,
        "detail": detail,
    }
    return sha256_hex(bytes.fromhex(prev_hash) + canonical_bytes(fields))


def sign_hash(key: SigningKey, entry_hash_hex: str) -> bytes:
    return key.sign(_SIGN_LABEL + bytes.fromhex(entry_hash_hex))


class Chain:
    """Numbers, hashes and signs events on top of the last committed entry."""

    def __init__(self, workspace_id: str, key: SigningKey) -> None:
        self.workspace_id = workspace_id
        self._key = key
        self.seq = 0
        self.head = genesis_hash(workspace_id)

    def reset(self, seq: int, head: str | None) -> None:
        self.seq = seq
        self.head = head if head is not None else genesis_hash(self.workspace_id)

    def append(self, event: Event, *, at: str, actor: str) -> Entry:
        hashed: dict[str, Any] = {
            "seq": self.seq + 1,
            "at": at,
            "actor": actor,
            "action": event.action,
            "kind": event.kind,
            "record_id": event.record_id,
            "version": event.version,
            "content_hash": event.content_hash,
            "detail": None if event.detail is None else canonical_json(event.detail),
        }
        digest = entry_hash(self.workspace_id, self.head, **hashed)
        entry = Entry(
            **hashed, prev_hash=self.head, entry_hash=digest, signature=sign_hash(self._key, digest)
        )
        self.seq, self.head = entry.seq, digest
        return entry


def check_entry(
    row: Any, *, workspace_id: str, expected_seq: int, prev_hash: str, verify_key: VerifyKey
) -> str | None:
    """Why this stored row is not the entry it claims to be, or None when it verifies."""
    if row.seq != expected_seq:
        return f"entry {expected_seq} is missing (found {row.seq} next)"
    if row.prev_hash != prev_hash:
        return "its link to the previous entry is broken (prev_hash)"
    try:
        digest = entry_hash(
            workspace_id, prev_hash, **{name: getattr(row, name) for name in HASHED_FIELDS}
        )
    except (ValueError, TypeError):
        return "it cannot be hashed (malformed fields)"
    if digest != row.entry_hash:
        return "its fields do not match its hash (the entry was altered)"
    try:
        verify_key.verify(bytes(row.signature), _SIGN_LABEL + bytes.fromhex(digest))
    except (CryptoError, ValueError, TypeError):
        return "its signature does not verify under the workspace's audit key"
    return None
