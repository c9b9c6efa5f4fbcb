"""Where information comes from: sources (ESF Information / Source) and evidence files."""

from __future__ import annotations

import re
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


class SourceType(StrEnum):
    TESTIMONY = "testimony"  # the person's own account, given to the organisation
    INTERVIEW = "interview"  # an interview with a witness, relative or other informant
    DOCUMENT = "document"
    MEDIA_REPORT = "media_report"
    LIST = "list"  # another organisation's list of people
    OFFICIAL_RECORD = "official_record"


class Reliability(StrEnum):
    """Admiralty (NATO AJP-2.1) source reliability: how far the *source* has been reliable."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged


class Credibility(StrEnum):
    """Admiralty information credibility: how far *this information* is borne out."""

    CONFIRMED = "1"  # confirmed by other independent sources
    PROBABLY_TRUE = "2"
    POSSIBLY_TRUE = "3"
    DOUBTFUL = "4"
    IMPROBABLE = "5"
    CANNOT_BE_JUDGED = "6"


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class SourceIdentity(TextIdentity):
    """Who gave or wrote the information, and the narrative itself: sealed."""

    OWNER_KIND: ClassVar[str] = "source"

    interviewee: str | None = None
    author: str | None = None
    title: str | None = None
    narrative: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A source of information: a testimony, an interview, a document, a list."""

    KIND: ClassVar[str] = "source"

    record_id: str | None = None
    source_type: SourceType
    reliability: Reliability | None = None
    credibility: Credibility | None = None
    language: str | None = None  # BCP 47: ko, zh, en
    date_given: FuzzyDate | None = None  # when the information was given or written
    date_recorded: FuzzyDate | None = None  # when the organisation recorded it
    list_name: str | None = None
    person_id: str | None = None  # the Person who is the source, when there is one
    identity: SourceIdentity | None = None

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        coerce_enum_field(self, "source_type", SourceType)
        coerce_enum_field(self, "reliability", Reliability, optional=True)
        coerce_enum_field(self, "credibility", Credibility, optional=True)
        check_text(k, rid, "language", self.language)
        check_fuzzy(k, rid, "date_given", self.date_given)
        check_fuzzy(k, rid, "date_recorded", self.date_recorded)
        check_text(k, rid, "list_name", self.list_name)
        check_id(k, rid, "person_id", self.person_id, required=False)
        check_identity(k, rid, self.identity, SourceIdentity)

    @property
    def admiralty(self) -> str | None:
        """The combined Admiralty grading, e.g. ``B2``; None unless both parts are known."""
        if self.reliability is None or self.credibility is None:
            return None
        return f"{self.reliability.value}{self.credibility.value}"

    def without_identity(self) -> Source:
        return replace(self, identity=None)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        attributes = {
            "source_type": self.source_type.value,
            "reliability": None if self.reliability is None else self.reliability.value,
            "credibility": None if self.credibility is None else self.credibility.value,
            "language": self.language,
            "date_given": edtf(self.date_given),
            "date_recorded": edtf(self.date_recorded),
            "list_name": self.list_name,
            "person_id": self.person_id,
        }
        return attributes, None if self.identity is None else self.identity.to_dict()

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Source:
        r = RecordReader(cls.KIND, record_id, attributes)
        out = cls(
            record_id=record_id,
            source_type=r.enum("source_type", SourceType),
            reliability=r.optional_enum("reliability", Reliability),
            credibility=r.optional_enum("credibility", Credibility),
            language=r.text("language"),
            date_given=r.fuzzy("date_given"),
            date_recorded=r.fuzzy("date_recorded"),
            list_name=r.text("list_name"),
            person_id=r.text("person_id"),
            identity=None if identity is None else SourceIdentity.from_dict(record_id, identity),
        )
        r.done()
        return out


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class EvidenceIdentity(TextIdentity):
    """The file's original name and a description: both may name people, so both are sealed."""

    OWNER_KIND: ClassVar[str] = "evidence"

    original_filename: str | None = None
    description: str | None = None


_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*", re.ASCII)


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceFile:
    """An evidence file kept encrypted in the workspace under its keyed ``address``."""

    KIND: ClassVar[str] = "evidence"

    record_id: str | None = None
    sha256: str  # of the plaintext, lower-case hex
    size: int  # bytes of the plaintext
    media_type: str  # e.g. image/jpeg, application/pdf, audio/ogg
    address: str  # keyed content address in the workspace's evidence/ folder
    source_id: str | None = None
    identity: EvidenceIdentity | None = None

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        if not isinstance(self.sha256, str) or not _SHA256.fullmatch(self.sha256):
            raise fail(
                k,
                rid,
                "'sha256' must be 64 lower-case hex digits",
                "'sha256'은 64자리 16진수여야 합니다",
            )
        if not isinstance(self.size, int) or isinstance(self.size, bool) or self.size < 0:
            raise fail(
                k,
                rid,
                "'size' must be a whole number of bytes",
                "'size'는 0 이상의 정수여야 합니다",
            )
        if not isinstance(self.media_type, str) or not _MEDIA_TYPE.fullmatch(self.media_type):
            raise fail(
                k,
                rid,
                "'media_type' must look like type/subtype",
                "'media_type'은 type/subtype 형식이어야 합니다",
            )
        check_id(k, rid, "address", self.address, required=True)
        check_id(k, rid, "source_id", self.source_id, required=False)
        check_identity(k, rid, self.identity, EvidenceIdentity)

    def without_identity(self) -> EvidenceFile:
        return replace(self, identity=None)

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        attributes = {
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "address": self.address,
            "source_id": self.source_id,
        }
        return attributes, None if self.identity is None else self.identity.to_dict()

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> EvidenceFile:
        r = RecordReader(cls.KIND, record_id, attributes)
        size = r.present("size", r.integer("size"), "'size'가 없습니다")
        out = cls(
            record_id=record_id,
            sha256=r.required_text("sha256"),
            size=size,
            media_type=r.required_text("media_type"),
            address=r.required_text("address"),
            source_id=r.text("source_id"),
            identity=None if identity is None else EvidenceIdentity.from_dict(record_id, identity),
        )
        r.done()
        return out
