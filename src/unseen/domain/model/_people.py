"""People: victims and other persons (ESF Person), perpetrators, and relationships between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar

from unseen.domain.dates import FuzzyDate
from unseen.domain.model._codec import (
    JsonScalar,
    RecordReader,
    check_fuzzy,
    check_id,
    check_identity,
    check_scalar_mapping,
    check_text,
    check_texts,
    coerce_enum_field,
    edtf,
    fail,
    sealed_repr,
)
from unseen.domain.vocab import require_perpetrator_type


class Sex(StrEnum):
    F = "F"
    M = "M"
    X = "X"
    UNKNOWN = "unknown"


class Nationality(StrEnum):
    """Nationality as recorded (not as a state would grant it)."""

    DPRK = "DPRK"
    PRC = "PRC"
    ROK = "ROK"
    OTHER = "other"
    STATELESS = "stateless"
    UNKNOWN = "unknown"


class RelationshipType(StrEnum):
    """``subject TYPE other``: read left to right.

    * ``mother_of``: subject is the mother of other;
    * ``sold_to``: subject was sold to other (the buyer, the "husband");
    * ``broker_of``: subject brokered (moved, sold) other;
    * ``family``: other family tie (symmetric);
    * ``other``: anything else.
    """

    MOTHER_OF = "mother_of"
    SOLD_TO = "sold_to"
    BROKER_OF = "broker_of"
    FAMILY = "family"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class PersonIdentity:
    """Who the person is: sealed with the identity key, never in attributes, logs or errors.

    ``birth_date`` is the exact date as given; :attr:`Person.birth_year_range` is the coarse
    analytic copy.
    """

    family_name: str | None = None
    given_name: str | None = None
    full_name: str | None = None
    name_hangul: str | None = None
    name_hanzi: str | None = None
    aliases: tuple[str, ...] = ()
    birth_date: FuzzyDate | None = None
    notes: str | None = None

    __repr__ = sealed_repr
    __str__ = sealed_repr

    def __post_init__(self) -> None:
        for name in (
            "family_name",
            "given_name",
            "full_name",
            "name_hangul",
            "name_hanzi",
            "notes",
        ):
            check_text("person identity", None, name, getattr(self, name))
        check_texts("person identity", None, "aliases", self.aliases)
        check_fuzzy("person identity", None, "birth_date", self.birth_date)

    def names(self) -> tuple[str, ...]:
        """Every name recorded (for blind-index tokens), without repeats, in a stable order."""
        parts = (
            self.full_name,
            self.family_name,
            self.given_name,
            self.name_hangul,
            self.name_hanzi,
            *self.aliases,
        )
        return tuple(dict.fromkeys(p for p in parts if p))

    def to_dict(self) -> dict[str, Any]:
        return {
            "family_name": self.family_name,
            "given_name": self.given_name,
            "full_name": self.full_name,
            "name_hangul": self.name_hangul,
            "name_hanzi": self.name_hanzi,
            "aliases": list(self.aliases),
            "birth_date": edtf(self.birth_date),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, record_id: str, data: Mapping[str, Any]) -> PersonIdentity:
        r = RecordReader("person", record_id, data, "identity")
        out = cls(
            family_name=r.text("family_name"),
            given_name=r.text("given_name"),
            full_name=r.text("full_name"),
            name_hangul=r.text("name_hangul"),
            name_hanzi=r.text("name_hanzi"),
            aliases=r.texts("aliases"),
            birth_date=r.fuzzy("birth_date"),
            notes=r.text("notes"),
        )
        r.done()
        return out


def coarse_year_range(value: FuzzyDate | None) -> tuple[int, int] | None:
    """(earliest, latest) year of a fuzzy date, or None when either end is open."""
    if value is None:
        return None
    lo, hi = value.year_range()
    return None if lo is None or hi is None else (lo, hi)


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """A person in a list or testimony (ESF Person): victim, source, relative, buyer.

    Analytic attributes are visible to every role; :attr:`identity` only to roles holding the
    identity key (None when decoded without it).
    """

    KIND: ClassVar[str] = "person"

    record_id: str | None = None
    identity: PersonIdentity | None = None
    sex: Sex = Sex.UNKNOWN
    birth_year_range: tuple[int, int] | None = None
    nationality: Nationality = Nationality.UNKNOWN
    stateless: bool | None = None
    origin_place_id: str | None = None
    origin_place_text: str | None = None
    china_place_id: str | None = None
    china_place_text: str | None = None
    first_exit_date: FuzzyDate | None = None
    source_id: str | None = None
    source_record_id: str | None = None
    list_name: str | None = None
    extra: Mapping[str, JsonScalar] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        check_identity(k, rid, self.identity, PersonIdentity)
        coerce_enum_field(self, "sex", Sex)
        coerce_enum_field(self, "nationality", Nationality)
        years = self.birth_year_range
        if years is not None and not (
            isinstance(years, tuple)
            and len(years) == 2
            and all(isinstance(y, int) and not isinstance(y, bool) for y in years)
            and 1 <= years[0] <= years[1] <= 9999
        ):
            raise fail(
                k,
                rid,
                "'birth_year_range' must be (earliest, latest) years, earliest first",
                "'birth_year_range'는 (시작 연도, 끝 연도) 순서여야 합니다",
            )
        if self.stateless is not None and not isinstance(self.stateless, bool):
            raise fail(
                k, rid, "'stateless' must be true, false or None", "'stateless' 값이 틀립니다"
            )
        for name in ("origin_place_id", "origin_place_text", "china_place_id", "china_place_text",
                     "source_record_id", "list_name"):  # fmt: skip
            check_text(k, rid, name, getattr(self, name))
        check_id(k, rid, "source_id", self.source_id, required=False)
        check_fuzzy(k, rid, "first_exit_date", self.first_exit_date)
        check_scalar_mapping(k, rid, "extra", self.extra)
        object.__setattr__(self, "extra", MappingProxyType(dict(sorted(self.extra.items()))))

    def without_identity(self) -> Person:
        return replace(self, identity=None)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        attributes = {
            "sex": self.sex.value,
            "birth_year_range": None
            if self.birth_year_range is None
            else list(self.birth_year_range),
            "nationality": self.nationality.value,
            "stateless": self.stateless,
            "origin_place_id": self.origin_place_id,
            "origin_place_text": self.origin_place_text,
            "china_place_id": self.china_place_id,
            "china_place_text": self.china_place_text,
            "first_exit_date": edtf(self.first_exit_date),
            "source_id": self.source_id,
            "source_record_id": self.source_record_id,
            "list_name": self.list_name,
            "extra": dict(self.extra),
        }
        return attributes, None if self.identity is None else self.identity.to_dict()

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Person:
        r = RecordReader(cls.KIND, record_id, attributes)
        out = cls(
            record_id=record_id,
            identity=None if identity is None else PersonIdentity.from_dict(record_id, identity),
            sex=r.enum("sex", Sex, Sex.UNKNOWN),
            birth_year_range=r.year_pair("birth_year_range"),
            nationality=r.enum("nationality", Nationality, Nationality.UNKNOWN),
            stateless=r.flag("stateless"),
            origin_place_id=r.text("origin_place_id"),
            origin_place_text=r.text("origin_place_text"),
            china_place_id=r.text("china_place_id"),
            china_place_text=r.text("china_place_text"),
            first_exit_date=r.fuzzy("first_exit_date"),
            source_id=r.text("source_id"),
            source_record_id=r.text("source_record_id"),
            list_name=r.text("list_name"),
            extra=r.scalars("extra"),
        )
        r.done()
        return out


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class PerpetratorIdentity:
    """Names of an individual perpetrator (or a unit's name that points to individuals): sealed."""

    name: str | None = None
    aliases: tuple[str, ...] = ()
    notes: str | None = None

    __repr__ = sealed_repr
    __str__ = sealed_repr

    def __post_init__(self) -> None:
        check_text("perpetrator identity", None, "name", self.name)
        check_texts("perpetrator identity", None, "aliases", self.aliases)
        check_text("perpetrator identity", None, "notes", self.notes)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": list(self.aliases), "notes": self.notes}

    @classmethod
    def from_dict(cls, record_id: str, data: Mapping[str, Any]) -> PerpetratorIdentity:
        r = RecordReader("perpetrator", record_id, data, "identity")
        out = cls(name=r.text("name"), aliases=r.texts("aliases"), notes=r.text("notes"))
        r.done()
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Perpetrator:
    """An alleged perpetrator (ESF Person in the perpetrator role), typed by the vocabulary."""

    KIND: ClassVar[str] = "perpetrator"

    record_id: str | None = None
    perpetrator_type: str
    identity: PerpetratorIdentity | None = None
    sex: Sex = Sex.UNKNOWN
    country: str | None = None  # ISO 3166-1 alpha-2 where the perpetrator acted (CN, KP ...)
    person_id: str | None = None  # when the perpetrator is also a Person record (a buyer)
    source_id: str | None = None

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        if not isinstance(self.perpetrator_type, str):
            raise fail(
                k, rid, "'perpetrator_type' must be a code", "'perpetrator_type'은 코드여야 합니다"
            )
        require_perpetrator_type(self.perpetrator_type)
        check_identity(k, rid, self.identity, PerpetratorIdentity)
        coerce_enum_field(self, "sex", Sex)
        check_text(k, rid, "country", self.country)
        check_id(k, rid, "person_id", self.person_id, required=False)
        check_id(k, rid, "source_id", self.source_id, required=False)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        attributes = {
            "perpetrator_type": self.perpetrator_type,
            "sex": self.sex.value,
            "country": self.country,
            "person_id": self.person_id,
            "source_id": self.source_id,
        }
        return attributes, None if self.identity is None else self.identity.to_dict()

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Perpetrator:
        r = RecordReader(cls.KIND, record_id, attributes)
        out = cls(
            record_id=record_id,
            perpetrator_type=r.required_text("perpetrator_type"),
            identity=None
            if identity is None
            else PerpetratorIdentity.from_dict(record_id, identity),
            sex=r.enum("sex", Sex, Sex.UNKNOWN),
            country=r.text("country"),
            person_id=r.text("person_id"),
            source_id=r.text("source_id"),
        )
        r.done()
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Relationship:
    """A tie between two persons (ESF Biographic details): ``person_id TYPE other_id``."""

    KIND: ClassVar[str] = "relationship"

    record_id: str | None = None
    person_id: str
    other_id: str
    relationship_type: RelationshipType
    date: FuzzyDate | None = None  # when it began (a sale, a marriage)
    source_id: str | None = None

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        check_id(k, rid, "person_id", self.person_id, required=True)
        check_id(k, rid, "other_id", self.other_id, required=True)
        if self.person_id == self.other_id:
            raise fail(
                k,
                rid,
                "a person cannot be related to itself",
                "자기 자신과의 관계는 기록할 수 없습니다",
            )
        coerce_enum_field(self, "relationship_type", RelationshipType)
        check_fuzzy(k, rid, "date", self.date)
        check_id(k, rid, "source_id", self.source_id, required=False)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        return {
            "person_id": self.person_id,
            "other_id": self.other_id,
            "relationship_type": self.relationship_type.value,
            "date": edtf(self.date),
            "source_id": self.source_id,
        }, None

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Relationship:
        r = RecordReader(cls.KIND, record_id, attributes)
        out = cls(
            record_id=record_id,
            person_id=r.required_text("person_id"),
            other_id=r.required_text("other_id"),
            relationship_type=r.enum("relationship_type", RelationshipType),
            date=r.fuzzy("date"),
            source_id=r.text("source_id"),
        )
        r.done()
        return out
