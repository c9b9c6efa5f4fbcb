"""Informed consent: what a person allowed to be done with their information, from when to when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from unseen.domain.model._codec import (
    RecordReader,
    check_date,
    check_id,
    check_text,
    coerce_enum,
    fail,
    iso,
    sorted_values,
)


class ConsentScope(StrEnum):
    """Uses a person can allow. **No scope implies another**: ``public`` does not include
    ``un`` or ``partner``, and none includes ``internal``; a person allows each one explicitly.

    Lower-case aliases (``ConsentScope.public``) are the contract's spelling.
    """

    INTERNAL = "internal"  # use within the documenting organisation
    PARTNER = "partner"  # sharing with the named partner organisations only
    UN = "un"  # sharing with UN mechanisms (OHCHR, special rapporteurs, COI)
    PUBLIC = "public"  # publication (always after disclosure control)
    internal = "internal"
    partner = "partner"
    un = "un"
    public = "public"


def _partner_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True, kw_only=True)
class Consent:
    """One consent a person gave (about one source, or all of their information when
    ``source_id`` is None), effective from ``given`` and ending on ``withdrawn``."""

    KIND: ClassVar[str] = "consent"

    record_id: str | None = None
    person_id: str
    source_id: str | None = None
    scopes: frozenset[ConsentScope]
    partners: frozenset[str] = frozenset()  # named partners, for ConsentScope.PARTNER
    given: dt.date
    withdrawn: dt.date | None = None
    recorded_by: str | None = None  # user name of the documenter
    evidence_id: str | None = None  # an EvidenceFile of the signed or recorded consent

    def __post_init__(self) -> None:
        k, rid = self.KIND, self.record_id
        check_id(k, rid, "record_id", rid, required=False)
        check_id(k, rid, "person_id", self.person_id, required=True)
        check_id(k, rid, "source_id", self.source_id, required=False)
        if not isinstance(self.scopes, frozenset | set | tuple | list):
            raise fail(
                k, rid, "'scopes' must be a set of scopes", "'scopes'는 범위의 집합이어야 합니다"
            )
        scopes = frozenset(coerce_enum(k, rid, "scopes", ConsentScope, s) for s in self.scopes)
        object.__setattr__(self, "scopes", scopes)
        if not isinstance(self.partners, frozenset | set | tuple | list) or not all(
            isinstance(p, str) and p.strip() for p in self.partners
        ):
            raise fail(
                k, rid, "'partners' must be a set of names", "'partners'는 이름의 집합이어야 합니다"
            )
        object.__setattr__(self, "partners", frozenset(" ".join(p.split()) for p in self.partners))
        if (ConsentScope.PARTNER in scopes) != bool(self.partners):
            raise fail(
                k,
                rid,
                "the 'partner' scope needs the partners' names, and names need that scope",
                "'partner' 범위에는 협력 기관 이름이 필요하고, 이름에는 그 범위가 필요합니다",
            )
        check_date(k, rid, "given", self.given)
        if self.given is None:
            raise fail(
                k,
                rid,
                "'given' (the date of consent) is required",
                "'given'(동의 날짜)이 필요합니다",
            )
        check_date(k, rid, "withdrawn", self.withdrawn)
        if self.withdrawn is not None and self.withdrawn < self.given:
            raise fail(
                k,
                rid,
                "consent cannot be withdrawn before it was given",
                "동의 철회일이 동의일보다 앞설 수 없습니다",
            )
        check_text(k, rid, "recorded_by", self.recorded_by)
        check_id(k, rid, "evidence_id", self.evidence_id, required=False)

    def in_force(self, on: dt.date) -> bool:
        """Given on or before ``on`` and not withdrawn on or before it."""
        return self.given <= on and (self.withdrawn is None or on < self.withdrawn)

    def covers(self, scope: ConsentScope | str, partner: str | None = None, *, on: dt.date) -> bool:
        """Whether this consent allows ``scope`` on day ``on`` (the caller's clock).

        ``partner`` scope needs ``partner``: a name among :attr:`partners` (spaces and case do
        not matter). Scopes never imply one another. Withdrawal takes effect on its day.
        """
        try:
            wanted = ConsentScope(scope)
        except ValueError:
            return False
        if wanted not in self.scopes or not self.in_force(on):
            return False
        if wanted is ConsentScope.PARTNER:
            return partner is not None and _partner_key(partner) in {
                _partner_key(p) for p in self.partners
            }
        return True

    def to_record(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        return {
            "person_id": self.person_id,
            "source_id": self.source_id,
            "scopes": sorted_values(self.scopes),
            "partners": sorted(self.partners),
            "given": iso(self.given),
            "withdrawn": iso(self.withdrawn),
            "recorded_by": self.recorded_by,
            "evidence_id": self.evidence_id,
        }, None

    @classmethod
    def from_record(
        cls, record_id: str, attributes: Mapping[str, Any], identity: Mapping[str, Any] | None
    ) -> Consent:
        r = RecordReader(cls.KIND, record_id, attributes)
        given = r.present("given", r.day("given"), "'given'이 없습니다")
        out = cls(
            record_id=record_id,
            person_id=r.required_text("person_id"),
            source_id=r.text("source_id"),
            scopes=frozenset(
                coerce_enum(cls.KIND, record_id, "scopes", ConsentScope, s)
                for s in r.texts("scopes")
            ),  # fmt: skip
            partners=frozenset(r.texts("partners")),
            given=given,
            withdrawn=r.day("withdrawn"),
            recorded_by=r.text("recorded_by"),
            evidence_id=r.text("evidence_id"),
        )
        r.done()
        return out
