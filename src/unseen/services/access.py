"""Who may do what: the permission matrix of the web app and its API, and who may see whom.

The store already refuses identities to analysts and coordinators (their keyslot holds no identity
key). Within the roles that hold it, documenters see the identities only of the sources they
entered themselves or were granted by an admin (``access_grant`` records); admins and reviewers
see all, since deciding a match needs both names. Every identity actually shown is opened through
the store, which writes a ``reveal`` entry to the audit trail under the viewer's own name.

Also here: which report scopes each role may make (``REPORT_SCOPES``), and a person's linked
records (the latest linkage run's clusters), with names under the same rule.
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
    ESTIMATES = "estimates"  # the estimates page and report downloads (scopes: REPORT_SCOPES)


_ALL = frozenset(Capability)
MATRIX = MappingProxyType(
    {
        Role.ADMIN: _ALL,
        Role.DOCUMENTER: frozenset(
            {
                Capability.INTAKE,
                Capability.SEARCH,
                Capability.SEARCH_NAME,
                Capability.VIEW_PERSON,
                Capability.ESTIMATES,
            }
        ),  # fmt: skip
        Role.REVIEWER: frozenset(
            {
                Capability.SEARCH,
                Capability.SEARCH_NAME,
                Capability.VIEW_PERSON,
                Capability.REVIEW,
                Capability.ESTIMATES,
            }
        ),  # fmt: skip
        Role.ANALYST: frozenset({Capability.SEARCH, Capability.VIEW_PERSON, Capability.ESTIMATES}),
        Role.COORDINATOR: frozenset(
            {Capability.SEARCH, Capability.VIEW_PERSON, Capability.ESTIMATES}
        ),
    }
)

# Which report scopes (services.reporting.SCOPES) a role may make. Reports hold no identity
# and the consent gate decides who is counted, so the question is who decides what leaves the
# organisation: analysts and coordinators (and admins) make reports for partners, the UN and
# the public; documenters and reviewers see the internal one (their own organisation's staff).
_OUTSIDE = frozenset({"internal", "partner", "un", "public"})
REPORT_SCOPES = MappingProxyType(
    {
        Role.ADMIN: _OUTSIDE,
        Role.ANALYST: _OUTSIDE,
        Role.COORDINATOR: _OUTSIDE,
        Role.DOCUMENTER: frozenset({"internal"}),
        Role.REVIEWER: frozenset({"internal"}),
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


def require_scope(role: Role, scope: str) -> None:
    """Refuse a report scope the role may not make (PermissionDenied), or an unknown one."""
    if scope not in _OUTSIDE:
        raise InputError(
            "scope: write one of internal, partner, un, public / "
            "범위는 internal, partner, un, public 중 하나입니다"
        )
    if scope not in REPORT_SCOPES[role]:
        raise PermissionDenied(
            f"your role ({role.value}) may make only {', '.join(sorted(REPORT_SCOPES[role]))} "
            f"reports / 이 역할({role.value})은 이 범위의 보고서를 만들 수 없습니다"
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
    # who entered the source: its first version's author (an admin's edit keeps it hers)
    try:
        return ws.history("source", source_id)[0].author == ws.user
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
    record_id: str = ""  # the act record (its page: /acts/{id})


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
class LinkedRecord:
    """Another record the latest linkage run put in the same cluster as a person (the same
    person on another list, or twice on one). ``name`` is None unless the viewer may see it."""

    record_id: str
    list_name: str | None
    sex: str
    birth_years: tuple[int, int] | None
    violations: tuple[str, ...]
    name: str | None
    sealed: bool  # an identity exists that this viewer does not see

    def __repr__(self) -> str:
        return f"LinkedRecord(record_id={self.record_id!r})"


LINKAGE_RUN_KIND = "linkage_run"  # services.workspace_linking.RUN_KIND


def linked_records(ws: Workspace, person_id: str) -> tuple[LinkedRecord, ...]:
    """The other current person records in ``person_id``'s cluster of the latest linkage run
    (its ``person_clusters``: opaque ids only), oldest first. Empty when no run kept clusters
    or she was linked to no one. Identities are opened only where :func:`may_see_identity`."""
    runs = list(ws.iter_current(LINKAGE_RUN_KIND))
    kept = runs[-1].attributes.get("person_clusters") if runs else None
    if not isinstance(kept, dict) or person_id not in kept:
        return ()
    cluster = kept[person_id]
    out = []
    for other in sorted(k for k, v in kept.items() if v == cluster and k != person_id):
        try:
            rec = ws.get("person", other)
        except RecordNotFound:  # removed since the run
            continue
        if rec.deleted:
            continue
        identity = None
        if rec.has_identity and may_see_identity(ws, rec):
            identity = ws.get("person", other, reveal=True).identity
        years = rec.attributes.get("birth_year_range")
        violations = sorted({a.attributes["violation"] for a in ws.query("act", victim_id=other)})
        out.append(
            LinkedRecord(
                other, rec.attributes.get("list_name"), rec.attributes.get("sex", "unknown"),
                (int(years[0]), int(years[1])) if years else None, tuple(violations),
                display_name(identity), rec.has_identity and identity is None,
            )
        )  # fmt: skip
    return tuple(out)


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
    linked: tuple[LinkedRecord, ...] = ()  # the same person's other records (latest linkage)

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
        ActView(
            a.attributes["violation"],
            a.attributes.get("date"),
            a.attributes.get("place_id"),
            a.record_id,
        )
        for a in ws.query("act", victim_id=person_id)
    )
    attributes = {k: v for k, v in rec.attributes.items() if k != "extra"}
    editable = visible and may(ws.role, Capability.INTAKE)
    return PersonView(
        person_id, attributes, identity, rec.has_identity and identity is None, acts,
        history(ws, "person", person_id), editable, linked_records(ws, person_id),
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
