"""What a testimony says beyond its first act: more acts (in the same event or a new one) with
their perpetrators, relationships (mother and child, the buyer, the broker), consent withdrawn,
and evidence files. Each is added to a person already recorded, by a user who may see her
(:func:`unseen.services.access.may_see_identity` with the intake capability), and carries her
source, so it is entered, versioned and audited like the testimony itself.

Buyers and brokers are :class:`~unseen.domain.model.Perpetrator` records, not persons (a
report counts persons as victims): ``sold_to`` reads victim -> perpetrator record, and
``broker_of`` perpetrator record -> victim. A mother or child is a person record.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from typing import Any

from unseen.domain.dates import parse_fuzzy_date
from unseen.domain.model import (
    Act,
    Consent,
    Event,
    EvidenceFile,
    EvidenceIdentity,
    Involvement,
    InvolvementRole,
    Perpetrator,
    PerpetratorIdentity,
    Person,
    PersonIdentity,
    PlacePrecision,
    Relationship,
    RelationshipType,
    coarse_year_range,
)
from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.errors import InputError, PermissionDenied, RecordNotFound
from unseen.store import Role, StoredRecord, Workspace

from .access import Capability, may_see_identity, require
from .ingest import person_name_tokens
from .intake import clean_text, field_date, place_id_of
from .metadata_strip import strip_metadata
from .source_edit import may_see_source

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "RELATIONSHIPS",
    "ActInput",
    "EvidenceAdded",
    "RelationshipInput",
    "add_act",
    "add_evidence",
    "add_relationship",
    "parts_of",
    "read_evidence_file",
    "withdraw_consent",
]

# What the form offers, read from the woman's side.
RELATIONSHIPS = ("mother_of", "child_of", "sold_to", "brokered_by")
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024


def editable_person(
    ws: Workspace, person_id: str, what: str = "add to this person's testimony"
) -> StoredRecord:
    """The person, if this user may add to her testimony (``what`` names the refused act)."""
    require(ws.role, Capability.INTAKE)
    rec = ws.get(Person.KIND, person_id)
    if rec.deleted:
        raise RecordNotFound(f"no person record {person_id}")
    if not may_see_identity(ws, rec):
        raise PermissionDenied(
            f"you may not {what}: ask an admin for access to her source "
            "/ 이 사람의 출처에 대한 권한이 없습니다"
        )
    return rec


def _put(ws: Workspace, entity: Any) -> str:
    attributes, identity = entity.to_record()
    record_id: str = ws.put(entity.KIND, attributes, identity).record_id
    return record_id


def _perpetrator_type(code: str | None, field: str) -> str | None:
    code = clean_text(code)
    if code is not None and code not in perpetrator_types():
        raise InputError(
            f"{field}: choose a code from the list / 목록에서 가해자 유형을 고르십시오"
        )
    return code


@dataclass(frozen=True, repr=False)
class ActInput:
    """One more act against her. ``event_id``: an event of her testimony it belongs to (else a
    new event with ``date`` and ``place``). A perpetrator: a type code and, if known, a name."""

    violation: str
    date: str | None = None
    place: str | None = None
    event_id: str | None = None
    perpetrator_type: str | None = None
    perpetrator_name: str | None = None
    perpetrator_role: str = "direct"

    def __repr__(self) -> str:
        return f"ActInput(violation={self.violation!r})"


@dataclass(frozen=True)
class ActAdded:
    event_id: str
    act_id: str
    perpetrator_id: str | None
    involvement_id: str | None


def add_act(ws: Workspace, person_id: str, a: ActInput) -> ActAdded:
    her = editable_person(ws, person_id)
    source_id = her.attributes.get("source_id")
    violation = clean_text(a.violation)
    if violation is None or violation not in violation_types():
        raise InputError("violation: choose a code from the list / 목록에서 위반 유형을 고르십시오")
    when = field_date("date", a.date)
    place_text = clean_text(a.place)
    place_id = place_id_of(place_text)
    kind = _perpetrator_type(a.perpetrator_type, "perpetrator_type")
    name = clean_text(a.perpetrator_name)
    if name and kind is None:
        raise InputError(
            "perpetrator_type: say what kind of perpetrator the named one is "
            "/ 이름이 있는 가해자의 유형을 고르십시오"
        )
    try:
        role = InvolvementRole(a.perpetrator_role or "direct")
    except ValueError:
        allowed = ", ".join(r.value for r in InvolvementRole)
        raise InputError(f"perpetrator_role: one of {allowed} / 가담 형태를 고르십시오") from None
    with ws.transaction():
        if a.event_id:
            event = ws.get(Event.KIND, a.event_id)
            if event.attributes.get("source_id") != source_id or event.deleted:
                raise InputError(
                    "event_id: choose an event of her testimony / 이 증언의 사건을 고르십시오"
                )
            event_id = a.event_id
            kept = event.attributes.get("date")  # an act of the event: its date unless told
            when_value = when.value if when else (parse_fuzzy_date(kept).value if kept else None)
            place_id = place_id or event.attributes.get("place_id")
        else:
            when_value = when.value if when else None
            event_id = _put(ws, Event(date=when_value, place_text=place_text, place_id=place_id,
                                      place_precision=PlacePrecision.UNKNOWN,
                                      source_id=source_id))  # fmt: skip
        act_id = _put(ws, Act(event_id=event_id, victim_id=person_id, violation=violation,
                              date=when_value, place_id=place_id, source_id=source_id))  # fmt: skip
        perpetrator_id = involvement_id = None
        if kind is not None:
            if name:
                perpetrator_id = _put(ws, Perpetrator(
                    perpetrator_type=kind, identity=PerpetratorIdentity(name=name),
                    source_id=source_id))  # fmt: skip
            involvement_id = _put(ws, Involvement(
                act_id=act_id, perpetrator_id=perpetrator_id, perpetrator_type=kind, role=role,
                source_id=source_id))  # fmt: skip
    return ActAdded(event_id, act_id, perpetrator_id, involvement_id)


@dataclass(frozen=True, repr=False)
class RelationshipInput:
    """``kind`` (:data:`RELATIONSHIPS`, from her side) and the other: for a mother or child an
    existing person record (``other_id``) or a new one (a name); for a buyer or broker a
    perpetrator type and, if known, a name."""

    kind: str
    other_id: str | None = None
    name_hangul: str | None = None
    name_latin: str | None = None
    perpetrator_type: str | None = None
    date: str | None = None

    def __repr__(self) -> str:
        return f"RelationshipInput(kind={self.kind!r})"


@dataclass(frozen=True)
class RelationshipAdded:
    relationship_id: str
    other_id: str  # a person record (mother, child) or a perpetrator record (buyer, broker)
    other_kind: str


def add_relationship(ws: Workspace, person_id: str, r: RelationshipInput) -> RelationshipAdded:
    her = editable_person(ws, person_id)
    source_id = her.attributes.get("source_id")
    if r.kind not in RELATIONSHIPS:
        raise InputError(f"kind: one of {', '.join(RELATIONSHIPS)} / 관계를 고르십시오")
    when = field_date("date", r.date)
    hangul, latin = clean_text(r.name_hangul), clean_text(r.name_latin)
    with ws.transaction():
        if r.kind in ("mother_of", "child_of"):
            other_kind = Person.KIND
            if r.other_id:
                other = ws.get(Person.KIND, r.other_id.strip())  # RecordNotFound names it
                other_id = other.record_id
            elif hangul or latin:
                identity = PersonIdentity(full_name=latin, name_hangul=hangul)
                person = Person(identity=identity, birth_year_range=coarse_year_range(None),
                                source_id=source_id)  # fmt: skip
                attributes, sealed = person.to_record()
                tokens = person_name_tokens("new", identity)
                other_id = ws.put(Person.KIND, attributes, sealed, name_tokens=tokens).record_id
            else:
                raise InputError(
                    "other: give the other person's record id or her name "
                    "/ 상대의 레코드 번호나 이름을 쓰십시오"
                )
            mother, child = (
                (person_id, other_id) if r.kind == "mother_of" else (other_id, person_id)
            )
            rel = Relationship(person_id=mother, other_id=child,
                               relationship_type=RelationshipType.MOTHER_OF,
                               date=when.value if when else None, source_id=source_id)  # fmt: skip
        else:
            other_kind = Perpetrator.KIND
            default = "BUYER-HUSBAND" if r.kind == "sold_to" else "BROKER-CN"
            kind = _perpetrator_type(r.perpetrator_type, "perpetrator_type") or default
            name = latin or hangul
            other_id = _put(ws, Perpetrator(
                perpetrator_type=kind, source_id=source_id,
                identity=PerpetratorIdentity(name=name) if name else None))  # fmt: skip
            if r.kind == "sold_to":
                ends, rtype = (person_id, other_id), RelationshipType.SOLD_TO
            else:
                ends, rtype = (other_id, person_id), RelationshipType.BROKER_OF
            rel = Relationship(person_id=ends[0], other_id=ends[1], relationship_type=rtype,
                               date=when.value if when else None, source_id=source_id)  # fmt: skip
        if rel.person_id == rel.other_id:
            raise InputError("other: a person cannot be her own mother or child / 자기 자신입니다")
        rel_id = _put(ws, rel)
    return RelationshipAdded(rel_id, other_id, other_kind)


def withdraw_consent(ws: Workspace, consent_id: str, *, on: dt.date) -> int:
    """Record that she withdrew this consent on ``on`` (a new version; reports made from that
    day leave her out of the scopes it covered). Returns the new version."""
    rec = ws.get(Consent.KIND, consent_id)
    if rec.deleted:
        raise RecordNotFound(f"no consent record {consent_id}")
    editable_person(ws, str(rec.attributes["person_id"]))
    consent = Consent.from_record(consent_id, rec.attributes, None)
    if consent.withdrawn is not None:
        raise InputError(
            f"consent: already withdrawn on {consent.withdrawn} / 이미 철회된 동의입니다"
        )
    if on < consent.given:
        raise InputError(
            "withdrawn: not before the day it was given / 동의일 전에 철회할 수 없습니다"
        )
    attributes, _ = Consent(
        person_id=consent.person_id, source_id=consent.source_id, scopes=consent.scopes,
        partners=consent.partners, given=consent.given, withdrawn=on,
        recorded_by=consent.recorded_by, evidence_id=consent.evidence_id,
    ).to_record()  # fmt: skip
    return ws.put(Consent.KIND, attributes, record_id=consent_id).version


@dataclass(frozen=True)
class EvidenceAdded:
    record_id: str
    sha256: str  # of the bytes stored (after cleaning)
    size: int
    media_type: str
    metadata_removed: bool


def add_evidence(
    ws: Workspace,
    person_id: str,
    data: bytes,
    *,
    filename: str | None,
    media_type: str | None = None,
    description: str | None = None,
    keep_metadata: bool = False,
) -> EvidenceAdded:
    """Store a file of her testimony, encrypted; its metadata removed first (images, PDF, audio,
    MP4/MOV: services.metadata_strip) unless ``keep_metadata``. Types it cannot clean are
    refused unless ``keep_metadata``: nothing is stored
    with a GPS position by accident. The file name and description are sealed."""
    her = editable_person(ws, person_id)
    if not data:
        raise InputError("file: the file is empty / 빈 파일입니다")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise InputError("file: larger than 50 MB / 50MB보다 큽니다")
    name = clean_text(filename)
    kind = (
        clean_text(media_type)
        or (mimetypes.guess_type(name)[0] if name else None)
        or "application/octet-stream"
    )
    stored = data if keep_metadata else strip_metadata(data, kind)
    source_id = her.attributes.get("source_id")
    with ws.transaction():
        ref = ws.add_evidence(stored, media_type=kind, filename=name)
        record = EvidenceFile(
            sha256=ref.sha256, size=ref.size, media_type=kind, address=ref.address,
            source_id=source_id,
            identity=EvidenceIdentity(original_filename=name, description=clean_text(description)),
        )  # fmt: skip
        record_id = _put(ws, record)
    return EvidenceAdded(record_id, ref.sha256, ref.size, kind, not keep_metadata)


@dataclass(frozen=True)
class ConsentRow:
    record_id: str
    scopes: tuple[str, ...]
    partners: tuple[str, ...]
    given: str
    withdrawn: str | None
    evidence_id: str | None = None  # the signed form (services.consents)


@dataclass(frozen=True)
class RelationshipRow:
    record_id: str
    kind: str  # from her side: mother_of, child_of, sold_to, brokered_by, or the stored type
    other_id: str
    other_kind: str  # person or perpetrator
    date: str | None


@dataclass(frozen=True)
class EvidenceRow:
    record_id: str
    sha256: str
    size: int
    media_type: str


@dataclass(frozen=True)
class EventRow:
    record_id: str
    date: str | None
    place_id: str | None


@dataclass(frozen=True)
class TestimonyParts:
    """What is recorded around a person, without any identity (names of perpetrators, file
    names and descriptions stay sealed): for every role that may see her page."""

    consents: tuple[ConsentRow, ...]
    relationships: tuple[RelationshipRow, ...]
    evidence: tuple[EvidenceRow, ...]
    events: tuple[EventRow, ...]


def _side(a: dict[str, Any], person_id: str) -> str:
    kind = str(a.get("relationship_type"))
    mine = a.get("person_id") == person_id
    if kind == "mother_of":
        return "mother_of" if mine else "child_of"
    if kind == "broker_of":
        return "broker_of" if mine else "brokered_by"
    return kind if mine else f"{kind} (other)"


def parts_of(ws: Workspace, person_id: str) -> TestimonyParts:
    require(ws.role, Capability.VIEW_PERSON)
    her = ws.get(Person.KIND, person_id)
    source_id = her.attributes.get("source_id")
    consents = tuple(
        ConsentRow(c.record_id, tuple(c.attributes.get("scopes", ())),
                   tuple(c.attributes.get("partners", ())), str(c.attributes.get("given")),
                   c.attributes.get("withdrawn"), c.attributes.get("evidence_id"))
        for c in ws.query(Consent.KIND, person_id=person_id)
    )  # fmt: skip
    rels = []
    for end in ("person_id", "other_id"):
        for rec in ws.query(Relationship.KIND, **{end: person_id}):
            a = dict(rec.attributes)
            other = str(a["other_id"] if end == "person_id" else a["person_id"])
            try:
                other_kind = ws.get(Person.KIND, other).kind
            except RecordNotFound:
                other_kind = Perpetrator.KIND
            rels.append(RelationshipRow(rec.record_id, _side(a, person_id), other, other_kind,
                                        a.get("date")))  # fmt: skip
    evidence: tuple[EvidenceRow, ...] = ()
    events: tuple[EventRow, ...] = ()
    if source_id:
        evidence = tuple(
            EvidenceRow(e.record_id, e.attributes["sha256"], int(e.attributes["size"]),
                        e.attributes["media_type"])
            for e in ws.query(EvidenceFile.KIND, source_id=source_id)
        )  # fmt: skip
        events = tuple(
            EventRow(e.record_id, e.attributes.get("date"), e.attributes.get("place_id"))
            for e in ws.query(Event.KIND, source_id=source_id)
        )
    return TestimonyParts(consents, tuple(rels), evidence, events)


@dataclass(frozen=True, repr=False)
class EvidenceContent:
    data: bytes
    media_type: str
    sha256: str

    def __repr__(self) -> str:
        return f"EvidenceContent({self.media_type}, {len(self.data)} bytes)"


def read_evidence_file(ws: Workspace, record_id: str) -> EvidenceContent:
    """The decrypted file (the store checks its hash and audits the read), for roles that
    hold the identity key and, for documenters, only of sources they may see: a photo or a
    recording can identify her as surely as a name."""
    rec = ws.get(EvidenceFile.KIND, record_id)
    if rec.deleted:
        raise RecordNotFound(f"no evidence record {record_id}")
    source_id = rec.attributes.get("source_id")
    allowed = ws.role.can_reveal and (
        ws.role is not Role.DOCUMENTER
        or (source_id is not None and may_see_source(ws, ws.get("source", str(source_id))))
    )
    if not allowed:
        raise PermissionDenied(
            "you may not open this evidence file / 이 증거 파일을 열 권한이 없습니다"
        )
    data = ws.read_evidence(rec.attributes["address"])
    return EvidenceContent(data, str(rec.attributes["media_type"]), str(rec.attributes["sha256"]))
