"""A testimony's source: its page (attributes for every role that may see people; the
interviewee and the narrative only where the identity rule allows) and its edit, a new version
with the old ones kept.

Who entered a source is the author of its first version: an edit by an admin or a granted
documenter does not take the source from the documenter who entered it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from unseen.domain.model import Source, SourceIdentity
from unseen.errors import InputError, PermissionDenied, RecordNotFound
from unseen.store import Role, StoredRecord, Workspace

from .access import Capability, VersionInfo, granted_sources, history, may, require
from .intake import LANGUAGES, clean_text, field_date

__all__ = ["SourceEdit", "SourceView", "edit_source", "may_see_source", "view_source"]


def may_see_source(ws: Workspace, rec: StoredRecord) -> bool:
    """Whether ``ws``'s user may read this source's sealed part (interviewee, narrative)."""
    if not ws.role.can_reveal:
        return False
    if ws.role is not Role.DOCUMENTER:
        return True
    if rec.record_id in granted_sources(ws, ws.user):
        return True
    return ws.history(Source.KIND, rec.record_id)[0].author == ws.user


@dataclass(frozen=True, repr=False)
class SourceView:
    record_id: str
    attributes: dict[str, Any]
    identity: dict[str, Any] | None  # None unless the viewer may see it (then audited)
    sealed: bool
    people: tuple[str, ...]  # person record ids of this source
    history: tuple[VersionInfo, ...]
    editable: bool

    def __repr__(self) -> str:
        return f"SourceView(record_id={self.record_id!r})"


def view_source(ws: Workspace, source_id: str) -> SourceView:
    require(ws.role, Capability.VIEW_PERSON)
    rec = ws.get(Source.KIND, source_id)
    if rec.deleted:
        raise RecordNotFound(f"no source record {source_id}")
    visible = may_see_source(ws, rec)
    identity = ws.get(Source.KIND, source_id, reveal=True).identity if (
        visible and rec.has_identity) else None  # fmt: skip
    people = tuple(p.record_id for p in ws.query("person", source_id=source_id))
    return SourceView(
        source_id, dict(rec.attributes), identity, rec.has_identity and identity is None, people,
        history(ws, Source.KIND, source_id), visible and may(ws.role, Capability.INTAKE),
    )  # fmt: skip


@dataclass(frozen=True, repr=False)
class SourceEdit:
    """New values; None keeps the current one, an empty string clears it."""

    language: str | None = None
    interviewee: str | None = None
    narrative: str | None = None
    date_given: str | None = None

    def __repr__(self) -> str:
        return "SourceEdit(...)"


def edit_source(ws: Workspace, source_id: str, edit: SourceEdit) -> int:
    """Write a new version of the source (the old ones stay); returns its version number."""
    require(ws.role, Capability.INTAKE)
    current = ws.get(Source.KIND, source_id)
    if current.deleted:
        raise RecordNotFound(f"no source record {source_id}")
    if not may_see_source(ws, current):
        raise PermissionDenied(
            "you may not change this source: ask an admin for access to it "
            "/ 이 출처에 대한 권한이 없습니다"
        )
    source = Source.from_record(
        source_id, current.attributes, ws.get(Source.KIND, source_id, reveal=True).identity
    )
    identity = source.identity or SourceIdentity()
    language = source.language
    if edit.language is not None:
        language = clean_text(edit.language)
        if language not in LANGUAGES:
            raise InputError(f"language: one of {', '.join(LANGUAGES)} / 언어를 고르십시오")
    given = source.date_given
    if edit.date_given is not None:
        parsed = field_date("date_given", edit.date_given)
        given = parsed.value if parsed else None

    def kept(old: str | None, new: str | None) -> str | None:
        return old if new is None else clean_text(new)

    new_identity = replace(
        identity,
        interviewee=kept(identity.interviewee, edit.interviewee),
        narrative=kept(identity.narrative, edit.narrative),
    )
    updated = replace(source, language=language, date_given=given, identity=new_identity)
    attributes, sealed = updated.to_record()
    return ws.put(Source.KIND, attributes, sealed, record_id=source_id).version
