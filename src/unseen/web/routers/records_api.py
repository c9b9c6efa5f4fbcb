"""The JSON twin of :mod:`.records`: an event, an act, a perpetrator and a relationship (read,
changed as a new version, deleted as a tombstone version), and one past version of those, of a
consent, of an evidence file's record or of an involvement. Same session, CSRF and permissions
as the pages; the logic is :mod:`unseen.services.record_edit`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from unseen.services.access import Capability
from unseen.services.record_edit import (
    ActEdit,
    Deleted,
    EventEdit,
    PerpetratorEdit,
    RelationshipEdit,
    delete_record,
    edit_act,
    edit_event,
    edit_perpetrator,
    edit_relationship,
    view_record,
)
from unseen.services.versions import view_version

from ..deps import Actor, allowed
from ..security import csrf_guard
from .api import PastVersionOut, Problem, VersionOut

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Refused input; the message names the field"},
    401: {"model": Problem, "description": "Not signed in, or the session has ended"},
    403: {"model": Problem, "description": "Wrong CSRF token, or the role may not do this"},
    404: {"model": Problem, "description": "No such record (or it was deleted)"},
}
router = APIRouter(
    prefix="/api", dependencies=[Depends(csrf_guard)], tags=["records"], responses=_ERRORS
)

IntakeActor = Annotated[Actor, Depends(allowed(Capability.INTAKE))]
PersonActor = Annotated[Actor, Depends(allowed(Capability.VIEW_PERSON))]
Short = Annotated[str, Field(max_length=200)]
Code = Annotated[str, Field(max_length=40)]


class RelatedOut(BaseModel):
    relation: str = Field(description="event, act, victim, perpetrator, involvement, ...")
    kind: str
    record_id: str
    code: str | None = Field(description="a violation, perpetrator type or relationship type")
    date: str | None


class RecordOut(BaseModel):
    kind: str
    record_id: str
    version: int
    attributes: dict[str, Any]
    identity: dict[str, Any] | None = Field(description="null when sealed from this account")
    sealed: bool
    related: list[RelatedOut]
    history: list[VersionOut]
    editable: bool


class RefOut(BaseModel):
    kind: str
    record_id: str
    version: int


class DeletedOut(BaseModel):
    kind: str
    record_id: str
    version: int = Field(description="the tombstone version")
    also: list[RefOut] = Field(description="what went with it, or lost its link to it")


class EventEditIn(BaseModel):
    """Fields left out (or null) keep their value; an empty string clears it."""

    date: Short | None = Field(None, description="a fuzzy date: 2010-21, 2010년 봄, about 1998")
    place: Short | None = Field(None, description="a place in any script")


class ActEditIn(BaseModel):
    """Fields left out (or null) keep their value; an empty string clears a date or place."""

    violation: Code | None = None
    date: Short | None = None
    place: Short | None = Field(None, description="a gazetteer place in any script, or its id")


class PerpetratorEditIn(BaseModel):
    """Fields left out (or null) keep their value; an empty name clears it."""

    perpetrator_type: Code | None = None
    name: Short | None = Field(None, description="sealed: shown only to those who may")


class RelationshipEditIn(BaseModel):
    date: Short | None = None


def _out(who: Actor, kind: str, record_id: str) -> RecordOut:
    v = view_record(who.ws, kind, record_id)
    return RecordOut(
        kind=v.kind, record_id=v.record_id, version=v.version, attributes=v.attributes,
        identity=v.identity, sealed=v.sealed, related=[RelatedOut(**vars(r)) for r in v.related],
        history=[VersionOut(**vars(h)) for h in v.history], editable=v.editable,
    )  # fmt: skip


def _deleted(d: Deleted) -> DeletedOut:
    also = [RefOut(kind=r.kind, record_id=r.record_id, version=r.version) for r in d.also]
    return DeletedOut(kind=d.kind, record_id=d.record_id, version=d.version, also=also)


def _past(who: Actor, kind: str, record_id: str, version: int) -> PastVersionOut:
    return PastVersionOut(**vars(view_version(who.ws, kind, record_id, version)))


# -- events --------------------------------------------------------------------------------------


@router.get("/events/{event_id}")
def event(who: PersonActor, event_id: str) -> RecordOut:
    """An event: date, place, its acts and their victims (ids and codes), its history."""
    return _out(who, "event", event_id)


@router.post("/events/{event_id}")
def event_edit(who: IntakeActor, event_id: str, body: EventEditIn) -> RecordOut:
    """A new version of the event; its acts that had its date or place follow."""
    edit_event(who.ws, event_id, EventEdit(**body.model_dump()))
    return _out(who, "event", event_id)


@router.delete("/events/{event_id}")
def event_delete(who: IntakeActor, event_id: str) -> DeletedOut:
    """Delete the event and its acts (tombstone versions; the history stays)."""
    return _deleted(delete_record(who.ws, "event", event_id))


@router.get("/events/{event_id}/versions/{version}")
def event_version(who: PersonActor, event_id: str, version: int) -> PastVersionOut:
    return _past(who, "event", event_id, version)


# -- acts ----------------------------------------------------------------------------------------


@router.get("/acts/{act_id}")
def act(who: PersonActor, act_id: str) -> RecordOut:
    """An act: violation, date, place, its event, victim and perpetrators, its history."""
    return _out(who, "act", act_id)


@router.post("/acts/{act_id}")
def act_edit(who: IntakeActor, act_id: str, body: ActEditIn) -> RecordOut:
    edit_act(who.ws, act_id, ActEdit(**body.model_dump()))
    return _out(who, "act", act_id)


@router.delete("/acts/{act_id}")
def act_delete(who: IntakeActor, act_id: str) -> DeletedOut:
    """Delete the act and its involvements (reports and linkage no longer count it)."""
    return _deleted(delete_record(who.ws, "act", act_id))


@router.get("/acts/{act_id}/versions/{version}")
def act_version(who: PersonActor, act_id: str, version: int) -> PastVersionOut:
    return _past(who, "act", act_id, version)


# -- perpetrators --------------------------------------------------------------------------------


@router.get("/perpetrators/{perpetrator_id}")
def perpetrator(who: PersonActor, perpetrator_id: str) -> RecordOut:
    """A perpetrator: type, acts, events, relationships; the name (``identity``) only for
    those who may see its source's identities (the view is audited)."""
    return _out(who, "perpetrator", perpetrator_id)


@router.post("/perpetrators/{perpetrator_id}")
def perpetrator_edit(who: IntakeActor, perpetrator_id: str, body: PerpetratorEditIn) -> RecordOut:
    edit_perpetrator(who.ws, perpetrator_id, PerpetratorEdit(**body.model_dump()))
    return _out(who, "perpetrator", perpetrator_id)


@router.delete("/perpetrators/{perpetrator_id}")
def perpetrator_delete(who: IntakeActor, perpetrator_id: str) -> DeletedOut:
    """Delete the perpetrator and its relationships; its acts keep the perpetrator type."""
    return _deleted(delete_record(who.ws, "perpetrator", perpetrator_id))


@router.get("/perpetrators/{perpetrator_id}/versions/{version}")
def perpetrator_version(who: PersonActor, perpetrator_id: str, version: int) -> PastVersionOut:
    return _past(who, "perpetrator", perpetrator_id, version)


# -- relationships -------------------------------------------------------------------------------


@router.get("/relationships/{relationship_id}")
def relationship(who: PersonActor, relationship_id: str) -> RecordOut:
    return _out(who, "relationship", relationship_id)


@router.post("/relationships/{relationship_id}")
def relationship_edit(
    who: IntakeActor, relationship_id: str, body: RelationshipEditIn
) -> RecordOut:
    edit_relationship(who.ws, relationship_id, RelationshipEdit(**body.model_dump()))
    return _out(who, "relationship", relationship_id)


@router.delete("/relationships/{relationship_id}")
def relationship_delete(who: IntakeActor, relationship_id: str) -> DeletedOut:
    return _deleted(delete_record(who.ws, "relationship", relationship_id))


@router.get("/relationships/{relationship_id}/versions/{version}")
def relationship_version(who: PersonActor, relationship_id: str, version: int) -> PastVersionOut:
    return _past(who, "relationship", relationship_id, version)


# -- past versions of records without a page of their own ---------------------------------------


@router.get("/consents/{consent_id}/versions/{version}")
def consent_version(who: PersonActor, consent_id: str, version: int) -> PastVersionOut:
    return _past(who, "consent", consent_id, version)


@router.get("/evidence/{evidence_id}/versions/{version}")
def evidence_version(who: PersonActor, evidence_id: str, version: int) -> PastVersionOut:
    """An evidence file's record as written: hash, size, type; its original name and
    description only where its source's identities are visible."""
    return _past(who, "evidence", evidence_id, version)


@router.get("/involvements/{involvement_id}/versions/{version}")
def involvement_version(who: PersonActor, involvement_id: str, version: int) -> PastVersionOut:
    return _past(who, "involvement", involvement_id, version)
