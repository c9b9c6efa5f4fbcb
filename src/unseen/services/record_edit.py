"""Changing and deleting what a testimony recorded beyond the person and the source: its
events, acts, perpetrators and relationships; and their pages (a perpetrator's own page among
them, its name only for those who may see its source's identities).

An edit is a new version of the record; a delete is a tombstone version (the store's
``Workspace.delete``): the history keeps every earlier version, readable on the version pages,
and every current reading (pages, counts, linkage input, reports) skips the record, since they
all read current versions only. Both are written by the user's own workspace session, so the
store records her as the author and audits the change (``update``, ``delete``).

Who may: the same as adding to a testimony. The intake capability, and the record's source
must be one the user may edit (:func:`~unseen.services.source_edit.may_see_source`: admins;
documenters for the sources they entered or were granted). Fuzzy dates and places are read as
at intake; an error names the field, and nothing is written.

A delete takes with it what would be left pointing at nothing: an event's acts, an act's
involvements, a perpetrator's relationships. An involvement that named a deleted perpetrator
keeps the act's perpetrator type (a new version without the link).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from unseen.domain.model import (
    Act,
    Event,
    Involvement,
    Perpetrator,
    PerpetratorIdentity,
    Relationship,
)
from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.errors import InputError, PermissionDenied, RecordNotFound
from unseen.places import gazetteer
from unseen.store import RecordRef, Role, StoredRecord, Workspace

from .access import Capability, VersionInfo, history, may, require
from .intake import clean_text, field_date, place_id_of
from .source_edit import may_see_source

__all__ = [
    "EDITABLE",
    "ActEdit",
    "Deleted",
    "EventEdit",
    "PerpetratorEdit",
    "RecordView",
    "Related",
    "RelationshipEdit",
    "delete_record",
    "edit_act",
    "edit_event",
    "edit_perpetrator",
    "edit_relationship",
    "last_written",
    "may_see_sealed",
    "records_of_source",
    "view_record",
]

EDITABLE = ("event", "act", "perpetrator", "relationship")


def last_written(ws: Workspace, kind: str, record_id: str) -> StoredRecord:
    """The latest version that is not a tombstone: what a deleted record said last."""
    for rec in reversed(ws.history(kind, record_id)):  # RecordNotFound names a missing one
        if not rec.deleted:
            return rec
    raise RecordNotFound(f"no {kind} record {record_id}")


def may_see_sealed(ws: Workspace, rec: StoredRecord) -> bool:
    """Whether ``ws``'s user may read this record's sealed part (a perpetrator's name, an
    event's title, an evidence file's name): the rule of its source's interviewee."""
    if not ws.role.can_reveal:
        return False
    if ws.role is not Role.DOCUMENTER:
        return True
    source_id = rec.attributes.get("source_id")
    if not isinstance(source_id, str):
        return False
    try:
        source = ws.get("source", source_id)
    except RecordNotFound:
        return False
    return not source.deleted and may_see_source(ws, source)


def _check_kind(kind: str) -> None:
    if kind not in EDITABLE:
        raise InputError(f"kind: one of {', '.join(EDITABLE)} / 종류를 고르십시오")


def _editable(ws: Workspace, kind: str, record_id: str) -> StoredRecord:
    require(ws.role, Capability.INTAKE)
    _check_kind(kind)
    rec = ws.get(kind, record_id)
    if rec.deleted:
        raise RecordNotFound(f"no {kind} record {record_id} (it was deleted)")
    if not may_see_sealed(ws, rec):
        raise PermissionDenied(
            f"you may not change this {kind}: ask an admin for access to its source "
            "/ 이 기록의 출처에 대한 권한이 없습니다"
        )
    return rec


def _identity(ws: Workspace, rec: StoredRecord) -> dict[str, Any] | None:
    if not rec.has_identity:
        return None
    return ws.get(rec.kind, rec.record_id, reveal=True).identity  # audited as a reveal


def _write(ws: Workspace, rec: StoredRecord, entity: Any, before: Any) -> int:
    """A new version of ``rec`` holding ``entity``; none when nothing changed (a form saved
    as it was shown writes nothing)."""
    if entity == before:
        return rec.version
    attributes, identity = entity.to_record()
    record_id = rec.record_id
    version: int = ws.put(entity.KIND, attributes, identity, record_id=record_id).version
    return version


def _place_id(field: str, text: str | None) -> str | None:
    """A gazetteer id for a place typed in any script, or given as an id; else a field error."""
    if text is None:
        return None
    if text in gazetteer():
        return text
    found = place_id_of(text)
    if found is None:
        raise InputError(
            f"{field}: no gazetteer place matches; write the place's name as the gazetteer has "
            "it (any script) or leave it empty / 지명 사전에 없는 장소입니다"
        )
    return found


def _violation(code: str | None) -> str:
    code = clean_text(code)
    if code is None or code not in violation_types():
        raise InputError("violation: choose a code from the list / 목록에서 위반 유형을 고르십시오")
    return code


# -- edits ---------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class EventEdit:
    """New values; None keeps the current one, an empty string clears it. ``place`` in any
    script: kept as typed, with its gazetteer id when the match is strong (as at intake)."""

    date: str | None = None
    place: str | None = None

    def __repr__(self) -> str:
        return "EventEdit(...)"


def edit_event(ws: Workspace, event_id: str, edit: EventEdit) -> int:
    """A new version of the event; its acts that took its date or place (the same value)
    follow the new one, each a new version too. Returns the event's new version (its current
    one when nothing changed)."""
    rec = _editable(ws, Event.KIND, event_id)
    event = Event.from_record(event_id, rec.attributes, _identity(ws, rec))
    updated = event
    if edit.date is not None:
        parsed = field_date("date", edit.date)
        updated = replace(updated, date=parsed.value if parsed else None)
    if edit.place is not None:
        text = clean_text(edit.place)
        place_id = text if text is not None and text in gazetteer() else place_id_of(text)
        updated = replace(updated, place_text=text, place_id=place_id)
    before, after = event.to_record()[0], updated.to_record()[0]
    with ws.transaction():
        version = _write(ws, rec, updated, event)
        for act_rec in ws.query(Act.KIND, event_id=event_id):
            act = Act.from_record(act_rec.record_id, act_rec.attributes, None)
            a = act_rec.attributes
            new = act
            if before["date"] != after["date"] and a.get("date") == before["date"]:
                new = replace(new, date=updated.date)
            if before["place_id"] != after["place_id"] and a.get("place_id") == before["place_id"]:
                new = replace(new, place_id=updated.place_id)
            _write(ws, act_rec, new, act)
    return version


@dataclass(frozen=True, repr=False)
class ActEdit:
    """New values; None keeps the current one, an empty string clears a date or a place."""

    violation: str | None = None
    date: str | None = None
    place: str | None = None  # a gazetteer place in any script, or its id

    def __repr__(self) -> str:
        return f"ActEdit(violation={self.violation!r})"


def edit_act(ws: Workspace, act_id: str, edit: ActEdit) -> int:
    rec = _editable(ws, Act.KIND, act_id)
    act = before = Act.from_record(act_id, rec.attributes, None)
    if edit.violation is not None:
        act = replace(act, violation=_violation(edit.violation))
    if edit.date is not None:
        parsed = field_date("date", edit.date)
        act = replace(act, date=parsed.value if parsed else None)
    if edit.place is not None:
        act = replace(act, place_id=_place_id("place", clean_text(edit.place)))
    return _write(ws, rec, act, before)


@dataclass(frozen=True, repr=False)
class PerpetratorEdit:
    """A new type code, a new name (sealed; an empty string clears it); None keeps either."""

    perpetrator_type: str | None = None
    name: str | None = None

    def __repr__(self) -> str:
        return "PerpetratorEdit(...)"


def edit_perpetrator(ws: Workspace, perpetrator_id: str, edit: PerpetratorEdit) -> int:
    rec = _editable(ws, Perpetrator.KIND, perpetrator_id)
    perp = before = Perpetrator.from_record(perpetrator_id, rec.attributes, _identity(ws, rec))
    if edit.perpetrator_type is not None:
        code = clean_text(edit.perpetrator_type)
        if code is None or code not in perpetrator_types():
            raise InputError(
                "perpetrator_type: choose a code from the list / 목록에서 가해자 유형을 고르십시오"
            )
        perp = replace(perp, perpetrator_type=code)
    if edit.name is not None:
        identity = replace(perp.identity or PerpetratorIdentity(), name=clean_text(edit.name))
        empty = not (identity.name or identity.aliases or identity.notes)
        perp = replace(perp, identity=None if empty else identity)
    return _write(ws, rec, perp, before)


@dataclass(frozen=True, repr=False)
class RelationshipEdit:
    """When it began (a sale, a brokerage); None keeps it, an empty string clears it."""

    date: str | None = None

    def __repr__(self) -> str:
        return "RelationshipEdit(...)"


def edit_relationship(ws: Workspace, relationship_id: str, edit: RelationshipEdit) -> int:
    rec = _editable(ws, Relationship.KIND, relationship_id)
    rel = before = Relationship.from_record(relationship_id, rec.attributes, None)
    if edit.date is not None:
        parsed = field_date("date", edit.date)
        rel = replace(rel, date=parsed.value if parsed else None)
    return _write(ws, rec, rel, before)


# -- deletes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deleted:
    kind: str
    record_id: str
    version: int  # the tombstone's
    also: tuple[RecordRef, ...]  # what went with it (tombstones) or lost its link (versions)


def _tombstone(ws: Workspace, rec: StoredRecord) -> RecordRef:
    if not may_see_sealed(ws, rec):  # a record of another source pointing here
        raise PermissionDenied(
            f"{rec.kind} {rec.record_id} goes with it and belongs to a source you may not "
            "edit; nothing was deleted / 함께 지울 기록의 출처에 대한 권한이 없습니다"
        )
    return ws.delete(rec.kind, rec.record_id)


def delete_record(ws: Workspace, kind: str, record_id: str) -> Deleted:
    """Delete an event, act, perpetrator or relationship (a tombstone version each), with what
    would point at nothing; one transaction: all of it or none."""
    rec = _editable(ws, kind, record_id)
    also: list[RecordRef] = []
    with ws.transaction():
        if kind == Event.KIND:
            for act in ws.query(Act.KIND, event_id=record_id):
                also.extend(_tombstone(ws, i) for i in ws.query(Involvement.KIND,
                                                                act_id=act.record_id))  # fmt: skip
                also.append(_tombstone(ws, act))
        elif kind == Act.KIND:
            also.extend(_tombstone(ws, i) for i in ws.query(Involvement.KIND, act_id=record_id))
        elif kind == Perpetrator.KIND:
            for end in ("person_id", "other_id"):
                also.extend(
                    _tombstone(ws, r) for r in ws.query(Relationship.KIND, **{end: record_id})
                )
            ptype = str(rec.attributes["perpetrator_type"])
            for inv in ws.query(Involvement.KIND, perpetrator_id=record_id):
                if not may_see_sealed(ws, inv):
                    raise PermissionDenied(
                        f"involvement {inv.record_id} names this perpetrator and belongs to a "
                        "source you may not edit / 연결된 기록의 출처에 대한 권한이 없습니다"
                    )
                unlinked = Involvement.from_record(inv.record_id, inv.attributes, None)
                unlinked = replace(unlinked, perpetrator_id=None,
                                   perpetrator_type=unlinked.perpetrator_type or ptype)  # fmt: skip
                attributes, _ = unlinked.to_record()
                also.append(ws.put(Involvement.KIND, attributes, record_id=inv.record_id))
        ref = ws.delete(kind, record_id)
    return Deleted(kind, record_id, ref.version, tuple(also))


# -- pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Related:
    """A record linked to the one shown: ids and codes only, never an identity."""

    relation: str  # event, act, victim, perpetrator, involvement, relationship, person, other
    kind: str  # the linked record's kind
    record_id: str
    code: str | None = None  # a violation, a perpetrator type, a relationship type, a role
    date: str | None = None


@dataclass(frozen=True, repr=False)
class RecordView:
    """An event, act, perpetrator or relationship. ``identity`` is None unless the viewer may
    see its source's identities (then it was opened, and the store audited it)."""

    kind: str
    record_id: str
    version: int
    attributes: dict[str, Any]
    identity: dict[str, Any] | None
    sealed: bool  # an identity exists that this viewer does not see
    related: tuple[Related, ...]
    history: tuple[VersionInfo, ...]
    editable: bool

    def __repr__(self) -> str:
        return f"RecordView({self.kind}, {self.record_id!r})"


def _kind_of(ws: Workspace, record_id: str) -> str:
    try:
        ws.get("person", record_id)
    except RecordNotFound:
        return Perpetrator.KIND
    return "person"


def _related(ws: Workspace, kind: str, record_id: str, a: dict[str, Any]) -> list[Related]:
    out: list[Related] = []
    if kind == Event.KIND:
        for act in ws.query(Act.KIND, event_id=record_id):
            b = act.attributes
            out.append(Related("act", Act.KIND, act.record_id, b.get("violation"), b.get("date")))
            out.append(Related("victim", "person", str(b["victim_id"])))
    elif kind == Act.KIND:
        out.append(Related("event", Event.KIND, str(a["event_id"])))
        out.append(Related("victim", "person", str(a["victim_id"])))
        for inv in ws.query(Involvement.KIND, act_id=record_id):
            b = inv.attributes
            if b.get("perpetrator_id"):
                out.append(Related("perpetrator", Perpetrator.KIND, str(b["perpetrator_id"]),
                                   b.get("perpetrator_type")))  # fmt: skip
            out.append(Related("involvement", Involvement.KIND, inv.record_id,
                               b.get("perpetrator_type"), b.get("role")))  # fmt: skip
    elif kind == Perpetrator.KIND:
        for inv in ws.query(Involvement.KIND, perpetrator_id=record_id):
            try:
                act = ws.get(Act.KIND, str(inv.attributes["act_id"]))
            except RecordNotFound:
                continue
            if act.deleted:
                continue
            b = act.attributes
            out.append(Related("act", Act.KIND, act.record_id, b.get("violation"), b.get("date")))
            out.append(Related("event", Event.KIND, str(b["event_id"])))
            out.append(Related("victim", "person", str(b["victim_id"])))
        for end, other in (("person_id", "other_id"), ("other_id", "person_id")):
            for rel in ws.query(Relationship.KIND, **{end: record_id}):
                b = rel.attributes
                out.append(Related("relationship", Relationship.KIND, rel.record_id,
                                   b.get("relationship_type"), b.get("date")))  # fmt: skip
                out.append(Related("person", _kind_of(ws, str(b[other])), str(b[other])))
    elif kind == Relationship.KIND:
        for end in ("person_id", "other_id"):
            out.append(Related(end.removesuffix("_id"), _kind_of(ws, str(a[end])), str(a[end]),
                               a.get("relationship_type")))  # fmt: skip
    return out


def view_record(ws: Workspace, kind: str, record_id: str) -> RecordView:
    require(ws.role, Capability.VIEW_PERSON)
    _check_kind(kind)
    rec = ws.get(kind, record_id)
    if rec.deleted:
        raise RecordNotFound(f"no {kind} record {record_id} (it was deleted)")
    visible = may_see_sealed(ws, rec)
    identity = _identity(ws, rec) if visible else None
    attributes = {k: v for k, v in rec.attributes.items() if k != "extra"}
    return RecordView(
        kind, record_id, rec.version, attributes, identity, rec.has_identity and identity is None,
        tuple(_related(ws, kind, record_id, rec.attributes)), history(ws, kind, record_id),
        visible and may(ws.role, Capability.INTAKE),
    )  # fmt: skip


def records_of_source(ws: Workspace, source_id: str) -> tuple[Related, ...]:
    """The events, acts, perpetrators and relationships of a source (ids and codes only)."""
    require(ws.role, Capability.VIEW_PERSON)
    code_of = {
        Event.KIND: "place_id", Act.KIND: "violation", Perpetrator.KIND: "perpetrator_type",
        Relationship.KIND: "relationship_type",
    }  # fmt: skip
    return tuple(
        Related(kind, kind, rec.record_id, rec.attributes.get(code), rec.attributes.get("date"))
        for kind, code in code_of.items()
        for rec in ws.query(kind, source_id=source_id)
    )
