"""The record model, compatible with the HURIDOCS Events Standard Formats (ESF).

Entities (``KIND``): :class:`Source` (``source``), :class:`Person` (``person``), :class:`Event`
(``event``), :class:`Act` (``act``), :class:`Involvement` (``involvement``),
:class:`Perpetrator` (``perpetrator``), :class:`Relationship` (``relationship``),
:class:`Consent` (``consent``), :class:`EvidenceFile` (``evidence``).

Each has two codecs used by the store: ``to_record() -> (attributes, identity | None)`` with
JSON-safe dicts, and ``from_record(record_id, attributes, identity | None)``. Identity (names,
birth dates, narratives, file names) lives only in the ``*Identity`` values, which the store
seals with the identity key; attributes never contain it. See docs/data-model.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Protocol

from unseen.domain.model._codec import JsonScalar
from unseen.domain.model._consent import Consent, ConsentScope
from unseen.domain.model._events import (
    Act,
    Event,
    EventIdentity,
    Involvement,
    InvolvementRole,
    PlacePrecision,
)
from unseen.domain.model._people import (
    Nationality,
    Perpetrator,
    PerpetratorIdentity,
    Person,
    PersonIdentity,
    Relationship,
    RelationshipType,
    Sex,
    coarse_year_range,
)
from unseen.domain.model._sources import (
    Credibility,
    EvidenceFile,
    EvidenceIdentity,
    Reliability,
    Source,
    SourceIdentity,
    SourceType,
)
from unseen.errors import ValueNotUnderstood

__all__ = [
    "ENTITY_TYPES",
    "Act",
    "AnyEntity",
    "Consent",
    "ConsentScope",
    "Credibility",
    "Entity",
    "Event",
    "EventIdentity",
    "EvidenceFile",
    "EvidenceIdentity",
    "Involvement",
    "InvolvementRole",
    "JsonScalar",
    "Nationality",
    "Perpetrator",
    "PerpetratorIdentity",
    "Person",
    "PersonIdentity",
    "PlacePrecision",
    "Relationship",
    "RelationshipType",
    "Reliability",
    "Sex",
    "Source",
    "SourceIdentity",
    "SourceType",
    "coarse_year_range",
    "decode",
]


AnyEntity = (
    Source
    | Person
    | Event
    | Act
    | Involvement
    | Perpetrator
    | Relationship
    | Consent
    | EvidenceFile
)


class Entity(Protocol):
    """What the store relies on: an id and the encoding codec (``KIND`` is a ClassVar)."""

    @property
    def record_id(self) -> str | None: ...

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]: ...


#: Entity classes by KIND, for the store and services.
ENTITY_TYPES: Mapping[str, type[AnyEntity]] = MappingProxyType(
    {
        cls.KIND: cls
        for cls in (
            Source,
            Person,
            Event,
            Act,
            Involvement,
            Perpetrator,
            Relationship,
            Consent,
            EvidenceFile,
        )
    }
)


def decode(
    kind: str, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
) -> AnyEntity:
    """``ENTITY_TYPES[kind].from_record(...)``; an unknown kind raises ValueNotUnderstood."""
    cls = ENTITY_TYPES.get(kind)
    if cls is None:
        raise ValueNotUnderstood(
            "unknown record kind; known: "
            + ", ".join(ENTITY_TYPES)
            + " / 알 수 없는 레코드 종류입니다"
        )
    return cls.from_record(record_id, attributes, identity)
