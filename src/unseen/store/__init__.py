"""The encrypted documentation store: the only package with database drivers.

A workspace is a directory: ``workspace.json`` (public header), ``keys.json`` (passphrase
keyslots, signed chain head), ``store.db`` (SQLCipher 4) and ``evidence/`` (encrypted blobs).
Records are versioned and never overwritten; identities are sealed per version under the identity
key, which only admin, documenter and reviewer roles hold; every write and every disclosure is
appended to a hash-chained, signed audit log. Design and threat notes: ``docs/store.md``.
"""

from ._values import (
    AuditReport,
    EvidenceItem,
    EvidenceRef,
    RecordRef,
    Role,
    StoredRecord,
    UserInfo,
)
from ._workspace import Workspace

__all__ = [
    "AuditReport",
    "EvidenceItem",
    "EvidenceRef",
    "RecordRef",
    "Role",
    "StoredRecord",
    "UserInfo",
    "Workspace",
]
