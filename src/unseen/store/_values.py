"""Frozen values the store hands out: roles, record references, stored records, reports.

Nothing here holds a key. :class:`StoredRecord`'s repr shows identifiers only, never attributes or
identity, so a record can be logged or shown in a traceback without leaking what it says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from unseen.errors import InputError


class Role(StrEnum):
    """What a user may do. Roles that can reveal hold the identity key in their keyslot."""

    ADMIN = "admin"
    DOCUMENTER = "documenter"
    REVIEWER = "reviewer"
    ANALYST = "analyst"
    COORDINATOR = "coordinator"

    @property
    def can_reveal(self) -> bool:
        """True for admin, documenter and reviewer: they can read identities and evidence."""
        return self in _REVEALING

    @property
    def can_manage_users(self) -> bool:
        return self is Role.ADMIN


_REVEALING = frozenset({Role.ADMIN, Role.DOCUMENTER, Role.REVIEWER})


def parse_role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise InputError(f"unknown role; use one of: {names} / 알 수 없는 역할입니다") from None


@dataclass(frozen=True)
class RecordRef:
    """One version of one record."""

    kind: str
    record_id: str
    version: int


@dataclass(frozen=True, repr=False)
class StoredRecord:
    """One stored version. ``identity`` is None unless it was asked for and the role may see it."""

    kind: str
    record_id: str
    version: int
    attributes: dict[str, Any]
    identity: dict[str, Any] | None
    created_at: str
    author: str
    content_hash: str
    deleted: bool = False
    has_identity: bool = field(default=False, compare=False)

    @property
    def ref(self) -> RecordRef:
        return RecordRef(self.kind, self.record_id, self.version)

    def __repr__(self) -> str:
        # Identifiers only: attributes may hold free text, identity holds names.
        return (
            f"StoredRecord(kind={self.kind!r}, record_id={self.record_id!r}, "
            f"version={self.version}, deleted={self.deleted}, "
            f"content_hash={self.content_hash[:12]!r}...)"
        )

    __str__ = __repr__


@dataclass(frozen=True)
class EvidenceRef:
    """Where an evidence blob lives (keyed address) and what it is (SHA-256 of the plaintext)."""

    address: str
    sha256: str
    size: int


@dataclass(frozen=True, repr=False)
class EvidenceItem:
    """Metadata of one stored evidence blob (for listing and replication)."""

    address: str
    sha256: str
    size: int
    media_type: str
    created_at: str
    author: str
    filename: str | None

    @property
    def ref(self) -> EvidenceRef:
        return EvidenceRef(self.address, self.sha256, self.size)

    def __repr__(self) -> str:
        # The file name may name a person: never shown.
        return f"EvidenceItem(address={self.address[:12]!r}..., size={self.size})"

    __str__ = __repr__


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: Role
    added_at: str
    added_by: str
    removed_at: str | None = None


@dataclass(frozen=True)
class AuditReport:
    """Result of :meth:`Workspace.verify`. ``first_bad_seq`` names the first entry that fails."""

    ok: bool
    entries: int
    first_bad_seq: int | None = None
    reason: str | None = None
    records: int = 0
    evidence: int = 0
    head_seq: int = 0
    head_hash: str = ""

    def summary(self) -> str:
        if self.ok:
            return (
                f"ok: {self.entries} audit entries, {self.records} record versions, "
                f"{self.evidence} evidence files; chain head {self.head_seq} {self.head_hash[:16]}"
            )
        where = f" at entry {self.first_bad_seq}" if self.first_bad_seq is not None else ""
        return f"FAILED{where}: {self.reason}"
