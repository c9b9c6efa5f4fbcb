"""One past version of a person or a source, as it was written: its attributes for every role
that may see the record, its identity only under the same rule as the current version (decided
on the current version, opened for that one version only, and audited as a ``reveal``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unseen.errors import InputError
from unseen.store import Workspace

from .access import Capability, may_see_identity, require
from .record_edit import last_written, may_see_sealed
from .source_edit import may_see_source

__all__ = ["VERSIONED", "VersionView", "view_version"]

VERSIONED = ("person", "source", "event", "act", "perpetrator", "relationship", "involvement",
             "consent", "evidence")  # fmt: skip
_HIDDEN = frozenset({"extra", "address"})  # a list's raw columns; an evidence blob's address


@dataclass(frozen=True, repr=False)
class VersionView:
    kind: str
    record_id: str
    version: int
    created_at: str
    author: str
    deleted: bool
    attributes: dict[str, Any]
    identity: dict[str, Any] | None
    sealed: bool
    latest: int  # the current version's number

    def __repr__(self) -> str:
        return f"VersionView({self.kind}, {self.record_id!r}, v{self.version})"


def view_version(ws: Workspace, kind: str, record_id: str, version: int) -> VersionView:
    require(ws.role, Capability.VIEW_PERSON)
    if kind not in VERSIONED:
        raise InputError(f"kind: one of {', '.join(VERSIONED)} / 종류를 고르십시오")
    current = ws.get(kind, record_id)
    rec = ws.get(kind, record_id, version=version)  # RecordNotFound names the version
    if kind == "person":
        visible = may_see_identity(ws, current)
    elif kind == "source":
        visible = may_see_source(ws, current)
    else:
        visible = may_see_sealed(ws, last_written(ws, kind, record_id))
    identity = None
    if visible and rec.has_identity:
        identity = ws.get(kind, record_id, version=version, reveal=True).identity
    attributes = {k: v for k, v in rec.attributes.items() if k not in _HIDDEN}
    return VersionView(
        kind, record_id, rec.version, rec.created_at, rec.author, rec.deleted, attributes,
        identity, rec.has_identity and identity is None, current.version,
    )  # fmt: skip
