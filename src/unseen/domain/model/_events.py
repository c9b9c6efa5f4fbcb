"""What happened: events (ESF Event), acts against a victim (ESF Act), and who did them
(ESF Involvement)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, ClassVar

from unseen.domain.dates import FuzzyDate
from unseen.domain.model._codec import (
    RecordReader,
    TextIdentity,
    check_fuzzy,
    check_id,
    check_identity,
    check_text,
    coerce_enum_field,
    edtf,
    fail,
)
from unseen.domain.vocab import require_perpetrator_type, require_violation_type


class PlacePrecision(StrEnum):
    """How precisely a place is known; the gazetteer levels plus the ends of the scale."""

    EXACT = "exact"  # a named village, address or facility
    COUNTY = "county"
    PREFECTURE = "prefecture"
    PROVINCE = "province"
    COUNTRY = "country"
    UNKNOWN = "unknown"


class InvolvementRole(StrEnum):
    """ESF "degree of involvement" of a perpetrator in an act."""

    DIRECT = "direct"  # carried out the act
    ORDERED = "ordered"
    INSTIGATED = "instigated"
    ASSISTED = "assisted"  # accomplice, facilitator (e.g. a guard who was bribed)
    OMISSION = "omission"  # failed to act when bound to (e.g. to protect)
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class EventIdentity(TextIdentity):
    """Title and narrative of an event: they may name people, so they are sealed."""

    OWNER_KIND: ClassVar[str] = "event"

    title: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something that happened, at a (fuzzy) time and place, made of one or more acts."""

    KIND: ClassVar[str] = "event"

    record_id: str | None = None
    date: FuzzyDate | None = None
    place_text: str | None = None
    place_id: str | None = None  # gazetteer id (GB code, ISO 3166-2)
    place_precision: PlacePrecision = PlacePrecision.UNKNOWN
    country: str | None = None  # ISO 3166-1 alpha-2
    source_id: str | None = None
    identity: EventIdentity | None = None

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        check_fuzzy(k, rid, "date", self.date)
        for name in ("place_text", "place_id", "country"):
            check_text(k, rid, name, getattr(self, name))
        coerce_enum_field(self, "place_precision", PlacePrecision)
        check_id(k, rid, "source_id", self.source_id, required=False)
        check_identity(k, rid, self.identity, EventIdentity)

    def without_identity(self) -> Event:
        return replace(self, identity=None)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        attributes = {
            "date": edtf(self.date),
            "place_text": self.place_text,
            "place_id": self.place_id,
            "place_precision": self.place_precision.value,
            "country": self.country,
            "source_id": self.source_id,
        }
        return attributes, None if self.identity is None else self.identity.to_dict()

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Event:
        r = RecordReader(cls.KIND, record_id, attributes)
        out = cls(
            record_id=record_id,
            date=r.fuzzy("date"),
            place_text=r.text("place_text"),
            place_id=r.text("place_id"),
            place_precision=r.enum("place_precision", PlacePrecision, PlacePrecision.UNKNOWN),
            country=r.text("country"),
            source_id=r.text("source_id"),
            identity=None if identity is None else EventIdentity.from_dict(record_id, identity),
        )
        r.done()
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Act:
    """One violation against one victim within an event (ESF Act; act type = violation code)."""

    KIND: ClassVar[str] = "act"

    record_id: str | None = None
    event_id: str
    victim_id: str
    violation: str  # a code of unseen.domain.vocab.violation_types()
    date: FuzzyDate | None = None
    place_id: str | None = None
    source_id: str | None = None

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        check_id(k, rid, "event_id", self.event_id, required=True)
        check_id(k, rid, "victim_id", self.victim_id, required=True)
        if not isinstance(self.violation, str):
            raise fail(k, rid, "'violation' must be a code", "'violation'은 코드여야 합니다")
        require_violation_type(self.violation)
        check_fuzzy(k, rid, "date", self.date)
        check_text(k, rid, "place_id", self.place_id)
        check_id(k, rid, "source_id", self.source_id, required=False)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        return {
            "event_id": self.event_id,
            "victim_id": self.victim_id,
            "violation": self.violation,
            "date": edtf(self.date),
            "place_id": self.place_id,
            "source_id": self.source_id,
        }, None

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Act:
        r = RecordReader(cls.KIND, record_id, attributes)
        out = cls(
            record_id=record_id,
            event_id=r.required_text("event_id"),
            victim_id=r.required_text("victim_id"),
            violation=r.required_text("violation"),
            date=r.fuzzy("date"),
            place_id=r.text("place_id"),
            source_id=r.text("source_id"),
        )
        r.done()
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Involvement:
    """Links a perpetrator to an act (ESF Involvement).

    Needs ``perpetrator_id`` (a :class:`Perpetrator` record), ``perpetrator_type`` (a code, when
    only the kind of perpetrator is known: "a broker"), or both.
    """

    KIND: ClassVar[str] = "involvement"

    record_id: str | None = None
    act_id: str
    perpetrator_id: str | None = None
    perpetrator_type: str | None = None
    role: InvolvementRole = InvolvementRole.DIRECT
    source_id: str | None = None

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        check_id(k, rid, "act_id", self.act_id, required=True)
        check_id(k, rid, "perpetrator_id", self.perpetrator_id, required=False)
        if self.perpetrator_id is None and self.perpetrator_type is None:
            raise fail(
                k,
                rid,
                "needs a perpetrator_id or a perpetrator_type",
                "perpetrator_id 또는 perpetrator_type이 필요합니다",
            )
        if self.perpetrator_type is not None:
            if not isinstance(self.perpetrator_type, str):
                raise fail(
                    k,
                    rid,
                    "'perpetrator_type' must be a code",
                    "'perpetrator_type'은 코드여야 합니다",
                )
            require_perpetrator_type(self.perpetrator_type)
        coerce_enum_field(self, "role", InvolvementRole)
        check_id(k, rid, "source_id", self.source_id, required=False)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        return {
            "act_id": self.act_id,
            "perpetrator_id": self.perpetrator_id,
            "perpetrator_type": self.perpetrator_type,
            "role": self.role.value,
            "source_id": self.source_id,
        }, None

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Involvement:
        r = RecordReader(cls.KIND, record_id, attributes)
        out = cls(
            record_id=record_id,
            act_id=r.required_text("act_id"),
            perpetrator_id=r.text("perpetrator_id"),
            perpetrator_type=r.text("perpetrator_type"),
            role=r.enum("role", InvolvementRole, InvolvementRole.DIRECT),
            source_id=r.text("source_id"),
        )
        r.done()
        return out
