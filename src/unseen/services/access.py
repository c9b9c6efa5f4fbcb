"""Who may do what: the permission matrix of the web app and its API, and who may see whom.

The store already refuses identities to analysts and coordinators (their keyslot holds no identity
key). Within the roles that hold it, documenters see the identities only of the sources they
entered themselves or were granted by an admin (``access_grant`` records); admins and reviewers
see all, since deciding a match needs both names. Every identity actually shown is opened through
the store, which writes a ``reveal`` entry to the audit trail under the viewer's own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from unseen.errors import InputError, PermissionDenied, RecordNotFound
from unseen.store import Role, StoredRecord, Workspace

GRANT_KIND = "access_grant"


class Capability(StrEnum):
    INTAKE = "intake"  # enter a testimony
    SEARCH = "search"  # find people by violation, place, year
    SEARCH_NAME = "search_name"  # find people by name (blind index)
    VIEW_PERSON = "view_person"  # a person's page (identity as below)
    REVIEW = "review"  # decide linkage review pairs
    GRANT = "grant"  # let a documenter see another's sources
    ACCOUNTS = "accounts"  # end a lockout, reset a lost second factor


_ALL = frozenset(Capability)
MATRIX = MappingProxyType(
    {
        Role.ADMIN: _ALL,
        Role.DOCUMENTER: frozenset(
            {Capability.INTAKE, Capability.SEARCH, Capability.SEARCH_NAME, Capability.VIEW_PERSON}
        ),
        Role.REVIEWER: frozenset(
            {Capability.SEARCH, Capability.SEARCH_NAME, Capability.VIEW_PERSON, Capability.REVIEW}
        ),
        Role.ANALYST: frozenset({Capability.SEARCH, Capability.VIEW_PERSON}),
        Role.COORDINATOR: frozenset({Capability.SEARCH, Capability.VIEW_PERSON}),
    }
)


def may(role: Role, capability: Capability) -> bool:
    return capability in MATRIX[role]


def require(role: Role, capability: Capability) -> None:
    if not may(role, capability):
        raise PermissionDenied(
            f"your role ({role.value}) may not {capability.value} / "
            f"이 역할({role.value})은 이 작업을 할 수 없습니다"
        )


def granted_sources(ws: Workspace, user: str) -> frozenset[str]:
    return frozenset(
        r.attributes["source_id"] for r in ws.query(GRANT_KIND, user=user, active=True)
    )


def may_see_identity(ws: Workspace, person: StoredRecord) -> bool:
    """Whether ``ws``'s user may see this person's identity (without opening it)."""
    role = ws.role
    if not role.can_reveal:
        return False
    if role is not Role.DOCUMENTER:
        return True
    if person.author == ws.user:
        return True
    source_id = person.attributes.get("source_id")
    if not source_id:
        return False
    if source_id in granted_sources(ws, ws.user):
        return True
    try:
        return ws.get("source", source_id).author == ws.user
    except RecordNotFound:
        return False


def grant_source(ws: Workspace, user: str, source_id: str) -> str:
    """Admins only: let documenter ``user`` see the identities of ``source_id``'s people."""
    require(ws.role, Capability.GRANT)
    if user not in {u.name for u in ws.list_users() if u.removed_at is None}:
        raise InputError(f"no user {user} / 없는 사용자입니다")
    ws.get("source", source_id)  # RecordNotFound names the missing record
    for existing in ws.query(GRANT_KIND, user=user, source_id=source_id, active=True):
        return existing.record_id
    return ws.put(
        GRANT_KIND, {"user": user, "source_id": source_id, "active": True, "granted_by": ws.user}
    ).record_id


@dataclass(frozen=True, repr=False)
class ActView:
    violation: str
    date: str | None  # EDTF
    place_id: str | None


@dataclass(frozen=True)
class VersionInfo:
    version: int
    created_at: str
    author: str
    deleted: bool


def history(ws: Workspace, kind: str, record_id: str) -> tuple[VersionInfo, ...]:
    """Who wrote each version and when, oldest first; no content."""
    return tuple(
        VersionInfo(r.version, r.created_at, r.author, r.deleted)
        for r in ws.history(kind, record_id)
    )


@dataclass(frozen=True, repr=False)
class PersonView:
    """A person's page. ``identity`` is None unless the viewer may see it (then it was audited)."""

    record_id: str
    attributes: dict[str, Any]
    identity: dict[str, Any] | None
    sealed: bool  # an identity exists that this viewer does not see
    acts: tuple[ActView, ...]
    history: tuple[VersionInfo, ...]
    editable: bool  # the viewer may write a new version (intake role, identity visible)

    def __repr__(self) -> str:
        return f"PersonView(record_id={self.record_id!r})"


def view_person(ws: Workspace, person_id: str) -> PersonView:
    require(ws.role, Capability.VIEW_PERSON)
    rec = ws.get("person", person_id)
    if rec.deleted:
        raise RecordNotFound(f"no person record {person_id}")
    identity = None
    visible = may_see_identity(ws, rec)
    if rec.has_identity and visible:
        identity = ws.get("person", person_id, reveal=True).identity
    acts = tuple(
        ActView(a.attributes["violation"], a.attributes.get("date"), a.attributes.get("place_id"))
        for a in ws.query("act", victim_id=person_id)
    )
    attributes = {k: v for k, v in rec.attributes.items() if k != "extra"}
    editable = visible and may(ws.role, Capability.INTAKE)
    return PersonView(
        person_id, attributes, identity, rec.has_identity and identity is None, acts,
        history(ws, "person", person_id), editable,
    )  # fmt: skip


def display_name(identity: dict[str, Any] | None) -> str | None:
    if not identity:
        return None
    parts = [identity.get("family_name"), identity.get("given_name")]
    found: str | None = (
        identity.get("name_hangul")
        or identity.get("full_name")
        or " ".join(p for p in parts if p)
        or identity.get("name_hanzi")
    )
    return found
