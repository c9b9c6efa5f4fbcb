"""Import a person list into a workspace: validate everything first, then write it all or nothing.

A row of a person list (FORMATS.md s1) becomes a :class:`~unseen.domain.model.Person`, and, when
the row documents an act, an :class:`Event`, an :class:`Act` and an :class:`Involvement`; a
``mother_record_id`` becomes a ``mother_of`` :class:`Relationship`. Each list is one
:class:`Source` of type ``list``, made on its first import. The whole file is one transaction: a
validation problem, a clash with records already imported, or a crash half-way leaves the
workspace exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unseen.domain.model import (
    Act,
    Consent,
    ConsentScope,
    Event,
    Involvement,
    Person,
    PersonIdentity,
    PlacePrecision,
    Relationship,
    RelationshipType,
    Sex,
    Source,
    SourceType,
    coarse_year_range,
)
from unseen.errors import Problem, ValidationFailed
from unseen.formats import ColumnMapping, DateFormUse, PersonList, PersonRow, read_person_list
from unseen.names import name_tokens
from unseen.places import resolve_place
from unseen.store import Workspace

Progress = Callable[[int, int], None]  # (rows done, rows in all)

# Below this, a free-text place is kept as text only: a wrong gazetteer id misleads the analysis
# more than a missing one.
PLACE_CONFIDENCE = 0.8


@dataclass(frozen=True)
class ConsentGrant:
    """Consent that every imported person gave, as the organisation attests for the whole list."""

    scopes: frozenset[ConsentScope]
    given: dt.date
    partners: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ImportSummary:
    file: Path
    format: str
    lists: tuple[str, ...]
    people: int
    events: int
    acts: int
    involvements: int
    relationships: int
    consents: int
    places_resolved: int
    places_unresolved: int
    date_forms: tuple[DateFormUse, ...]

    @property
    def records(self) -> int:
        return (
            self.people + self.events + self.acts + self.involvements + self.relationships
            + self.consents
        )  # fmt: skip


def import_person_list(
    ws: Workspace,
    path: Path,
    *,
    list_name: str | None = None,
    mapping: ColumnMapping | None = None,
    consent: ConsentGrant | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Validate ``path`` completely, then write every record of it in one transaction."""
    people = read_person_list(path, list_name=list_name, mapping=mapping)
    _refuse_reimport(ws, people)
    writer = _Writer(ws, consent)
    with ws.transaction():
        sources = {name: writer.source_for(name) for name in people.list_names}
        person_ids: dict[tuple[str, str], str] = {}
        total = len(people.rows)
        for done, row in enumerate(people.rows, start=1):
            person_ids[(row.list, row.record_id)] = writer.person(row, sources[row.list])
            if progress is not None and (done % 500 == 0 or done == total):
                progress(done, total)
        for row in people.rows:
            if row.mother_record_id:
                writer.mother_of(
                    person_ids[(row.list, row.mother_record_id)],
                    person_ids[(row.list, row.record_id)],
                    sources[row.list],
                )
    return writer.summary(people)


def _refuse_reimport(ws: Workspace, people: PersonList) -> None:
    """A record id already imported from the same list is a clash: refuse the whole file."""
    lists = set(people.list_names)
    known = {
        (rec.attributes.get("list_name"), rec.attributes.get("source_record_id"))
        for rec in ws.iter_current("person")
        if rec.attributes.get("list_name") in lists
    }
    problems = [
        Problem(
            file=str(people.file),
            row=row.row,
            column="record_id",
            reason=f"this record of list '{row.list}' is already in the workspace / "
            f"이 목록의 레코드가 이미 작업 공간에 있습니다",
            fix="remove the rows already imported, or give new records new ids / "
            "이미 가져온 행을 지우거나 새 ID를 주십시오",
        )
        for row in people.rows
        if (row.list, row.record_id) in known
    ]
    if problems:
        raise ValidationFailed(problems)


class _Writer:
    """Turns validated rows into records; counts what it wrote."""

    def __init__(self, ws: Workspace, consent: ConsentGrant | None) -> None:
        self.ws, self.consent = ws, consent
        self.counts = dict.fromkeys(
            ("people", "events", "acts", "involvements", "relationships", "consents"), 0
        )
        self.places = [0, 0]  # resolved, unresolved
        self._place_ids: dict[str, str | None] = {}  # lists repeat the same few place names
        self._name_tokens: dict[str, tuple[str, ...]] = {}

    def _put(self, entity: Source | Person | Event | Act | Involvement | Relationship | Consent,
             counter: str | None, tokens: Iterable[str] = ()) -> str:  # fmt: skip
        attributes, identity = entity.to_record()
        # New records get their id from the store, which then need not look for older versions.
        ref = self.ws.put(entity.KIND, attributes, identity, name_tokens=tokens)
        if counter:
            self.counts[counter] += 1
        return ref.record_id

    def source_for(self, list_name: str) -> str:
        for rec in self.ws.query("source", list_name=list_name, source_type=SourceType.LIST.value):
            return rec.record_id
        return self._put(Source(source_type=SourceType.LIST, list_name=list_name), None)

    def _resolve(self, text: str | None) -> str | None:
        if not text:
            return None
        text = text.strip()
        if text not in self._place_ids:
            match = resolve_place(text)
            ok = match is not None and match.confidence >= PLACE_CONFIDENCE
            self._place_ids[text] = match.gazetteer_id if ok and match else None
        place_id = self._place_ids[text]
        self.places[place_id is None] += 1
        return place_id

    def person(self, row: PersonRow, source_id: str) -> str:
        identity = PersonIdentity(
            family_name=row.family_name,
            given_name=row.given_name,
            full_name=row.full_name,
            name_hangul=row.name_hangul,
            name_hanzi=row.name_hanzi,
            aliases=row.aliases,
            birth_date=row.birth_date,
            notes=row.notes,
        )
        person = Person(
            identity=identity,
            sex=Sex(row.sex) if row.sex else Sex.UNKNOWN,
            birth_year_range=coarse_year_range(row.birth_date),
            origin_place_id=self._resolve(row.origin_place),
            origin_place_text=row.origin_place,
            china_place_id=self._resolve(row.china_place),
            china_place_text=row.china_place,
            first_exit_date=row.first_exit_date,
            source_id=source_id,
            source_record_id=row.record_id,
            list_name=row.list,
            extra=dict(row.extra),
        )
        person_id = self._put(person, "people", self._tokens(identity))
        if row.violation or row.event_date or row.event_place:
            self._act(row, person_id, source_id)
        if self.consent is not None:
            self._put(
                Consent(
                    person_id=person_id,
                    scopes=self.consent.scopes,
                    partners=self.consent.partners,
                    given=self.consent.given,
                    recorded_by=self.ws.user,
                ),
                "consents",
            )
        return person_id

    def _tokens(self, identity: PersonIdentity) -> Sequence[str]:
        tokens: dict[str, None] = {}
        for name in _names_to_index(identity):
            if name not in self._name_tokens:  # lists repeat the same names: parse each once
                self._name_tokens[name] = name_tokens(name)
            tokens.update(dict.fromkeys(self._name_tokens[name]))
        return tuple(tokens)

    def _act(self, row: PersonRow, person_id: str, source_id: str) -> None:
        place_id = self._resolve(row.event_place)
        event_id = self._put(
            Event(
                date=row.event_date,
                place_text=row.event_place,
                place_id=place_id,
                place_precision=PlacePrecision.UNKNOWN,
                source_id=source_id,
            ),
            "events",
        )
        if not row.violation:
            return
        act_id = self._put(
            Act(
                event_id=event_id,
                victim_id=person_id,
                violation=row.violation,
                date=row.event_date,
                place_id=place_id,
                source_id=source_id,
            ),
            "acts",
        )
        if row.perpetrator_type:
            self._put(
                Involvement(
                    act_id=act_id, perpetrator_type=row.perpetrator_type, source_id=source_id
                ),
                "involvements",
            )

    def mother_of(self, mother_id: str, child_id: str, source_id: str) -> None:
        self._put(
            Relationship(
                person_id=mother_id,
                other_id=child_id,
                relationship_type=RelationshipType.MOTHER_OF,
                source_id=source_id,
            ),
            "relationships",
        )

    def summary(self, people: PersonList) -> ImportSummary:
        return ImportSummary(
            file=people.file,
            format=people.format,
            lists=people.list_names,
            places_resolved=self.places[0],
            places_unresolved=self.places[1],
            date_forms=people.date_form_uses,
            **self.counts,
        )


def person_name_tokens(
    record_id: str, identity: PersonIdentity | Mapping[str, Any] | None
) -> Sequence[str]:
    """Blind-index tokens of every name the record holds, so any spelling finds the person."""
    if identity is None:
        return ()
    if not isinstance(identity, PersonIdentity):
        identity = PersonIdentity.from_dict(record_id, identity)
    tokens: dict[str, None] = {}
    for name in _names_to_index(identity):
        tokens.update(dict.fromkeys(name_tokens(name)))
    return tuple(tokens)


def _names_to_index(identity: PersonIdentity) -> tuple[str, ...]:
    names = identity.names()
    if identity.family_name and identity.given_name:
        names += (f"{identity.family_name} {identity.given_name}",)
    return names
