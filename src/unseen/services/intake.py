"""One testimony typed in by a documenter: a source, the person, and what happened to her.

The web form and its JSON twin both land here. Dates are read as people say them ("2010년 봄",
"about 1985") by :func:`unseen.domain.dates.parse_fuzzy_date`; places are resolved against the
gazetteer, and kept as text only when the match is weak (as ingest does). The whole testimony is
one transaction, written by the documenter's own workspace session, so the store records her as
the author of every version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from unseen.domain.dates import ParsedDate, parse_fuzzy_date, parse_optional_fuzzy_date
from unseen.domain.model import (
    Act,
    Consent,
    ConsentScope,
    Event,
    Person,
    PersonIdentity,
    PlacePrecision,
    Sex,
    Source,
    SourceIdentity,
    SourceType,
    coarse_year_range,
)
from unseen.domain.vocab import violation_types
from unseen.errors import InputError, PermissionDenied
from unseen.places import Place, gazetteer, resolve_place
from unseen.store import Workspace

from .access import Capability, may_see_identity, require
from .ingest import PLACE_CONFIDENCE, person_name_tokens

LANGUAGES = ("ko", "en", "zh")


@dataclass(frozen=True, repr=False)
class Testimony:
    """What the intake form holds. Names and narrative are identity: sealed by the store."""

    language: str
    name_hangul: str | None = None
    name_latin: str | None = None
    sex: str = "unknown"
    birth_date: str | None = None
    violation: str | None = None
    event_date: str | None = None
    event_place: str | None = None
    narrative: str | None = None
    interviewee: str | None = None
    consent: tuple[str, ...] = ()  # ConsentScope values the person allowed, each explicitly
    partners: tuple[str, ...] = ()  # named partner organisations, for the "partner" scope

    def __repr__(self) -> str:
        return f"Testimony(language={self.language!r})"


@dataclass(frozen=True)
class IntakeResult:
    source_id: str
    person_id: str
    event_id: str | None
    act_id: str | None
    event_date: ParsedDate | None
    place_id: str | None
    consent_id: str | None = None


@dataclass(frozen=True)
class PlaceSuggestion:
    gazetteer_id: str
    label: str  # the local name, then the English one: 延吉市 Yanji City
    country: str
    level: str


def clean_text(value: str | None) -> str | None:
    """A form field's text without surrounding spaces; None when nothing is left."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def field_date(field: str, text: str | None) -> ParsedDate | None:
    """A fuzzy date typed in ``field`` (None when empty); the error names the field."""
    try:
        return parse_optional_fuzzy_date(text)
    except InputError as exc:
        raise InputError(f"{field}: {exc}") from None


def place_id_of(text: str | None) -> str | None:
    """The gazetteer id of a place typed in any script, when the match is strong enough."""
    if not text:
        return None
    match = resolve_place(text)
    return (
        match.gazetteer_id if match is not None and match.confidence >= PLACE_CONFIDENCE else None
    )


def record_testimony(ws: Workspace, t: Testimony, *, today: dt.date) -> IntakeResult:
    """Write the source, the person, and (when a violation, date or place is given) the event
    and act. Errors name the field and say what to write; nothing is written on error."""
    if t.language not in LANGUAGES:
        raise InputError(f"language: one of {', '.join(LANGUAGES)} / 언어를 고르십시오")
    hangul, latin = clean_text(t.name_hangul), clean_text(t.name_latin)
    if not hangul and not latin:
        raise InputError("name: give the name in Hangul or in Latin letters / 이름을 쓰십시오")
    try:
        sex = Sex(t.sex or "unknown")
    except ValueError:
        raise InputError("sex: F, M or unknown / 성별: F, M 또는 unknown") from None
    violation = clean_text(t.violation)
    if violation is not None and violation not in violation_types():
        raise InputError("violation: choose a code from the list / 목록에서 위반 유형을 고르십시오")
    birth = field_date("birth_date", t.birth_date)
    when = field_date("event_date", t.event_date)
    place_text = clean_text(t.event_place)
    place_id = place_id_of(place_text)
    scopes = _scopes(t.consent)
    identity = PersonIdentity(
        full_name=latin, name_hangul=hangul, birth_date=birth.value if birth else None
    )
    with ws.transaction():
        source = Source(
            source_type=SourceType.TESTIMONY,
            language=t.language,
            date_recorded=parse_fuzzy_date(today.isoformat()).value,
            identity=SourceIdentity(
                interviewee=clean_text(t.interviewee), narrative=clean_text(t.narrative)
            ),
        )
        source_id = _put(ws, source)
        person = Person(
            identity=identity,
            sex=sex,
            birth_year_range=coarse_year_range(birth.value if birth else None),
            source_id=source_id,
        )
        attributes, sealed = person.to_record()
        person_id = ws.put(
            Person.KIND, attributes, sealed, name_tokens=person_name_tokens("new", identity)
        ).record_id
        event_id = act_id = None
        if violation or when or place_text:
            event_id = _put(
                ws,
                Event(
                    date=when.value if when else None,
                    place_text=place_text,
                    place_id=place_id,
                    place_precision=PlacePrecision.UNKNOWN,
                    source_id=source_id,
                ),
            )
            if violation:
                act_id = _put(
                    ws,
                    Act(
                        event_id=event_id,
                        victim_id=person_id,
                        violation=violation,
                        date=when.value if when else None,
                        place_id=place_id,
                        source_id=source_id,
                    ),
                )
        consent_id = None
        if scopes:
            consent_id = _put(
                ws,
                Consent(
                    person_id=person_id, source_id=source_id, scopes=scopes,
                    partners=frozenset(p for p in t.partners if p.strip()), given=today,
                    recorded_by=ws.user,
                ),
            )  # fmt: skip
    return IntakeResult(source_id, person_id, event_id, act_id, when, place_id, consent_id)


def _scopes(values: tuple[str, ...]) -> frozenset[ConsentScope]:
    try:
        return frozenset(ConsentScope(v) for v in values)
    except ValueError:
        allowed = ", ".join(sorted({s.value for s in ConsentScope}))
        raise InputError(f"consent: one or more of {allowed} / 동의 범위를 고르십시오") from None


def _put(ws: Workspace, entity: Source | Event | Act | Consent) -> str:
    attributes, identity = entity.to_record()
    return ws.put(entity.KIND, attributes, identity).record_id


def suggest_places(text: str, *, limit: int = 10) -> list[PlaceSuggestion]:
    """Gazetteer places whose name, in any script or romanisation, starts with ``text``; the
    best resolution of the whole text first. For autocomplete: cheap, no store access."""
    text = text.strip()
    if not text:
        return []
    places = gazetteer()
    out: dict[str, None] = {}
    best = resolve_place(text)
    if best is not None:
        out[best.gazetteer_id] = None
    folded = text.casefold()
    # Border and annotated places (crossings, transit hubs) are where testimonies happen.
    ordered = sorted(places.items(), key=lambda kv: (not kv[1].borders, not kv[1].noted))
    for pid, place in ordered:
        if len(out) >= limit:
            break
        if any(form.casefold().startswith(folded) for _, form in place.forms):
            out.setdefault(pid, None)
    return [_suggestion(places[pid]) for pid in list(out)[:limit]]


def _suggestion(place: Place) -> PlaceSuggestion:
    forms = dict(place.forms)
    korean = forms.get("ko_cxz") if place.country == "CN" else None
    label = " ".join(p for p in (korean, place.name_local, place.name_en) if p)
    return PlaceSuggestion(place.gazetteer_id, label, place.country, place.level)


@dataclass(frozen=True, repr=False)
class PersonEdit:
    """New values for a person's name, sex and date of birth; None keeps the current one,
    an empty string clears it."""

    name_hangul: str | None = None
    name_latin: str | None = None
    sex: str | None = None
    birth_date: str | None = None

    def __repr__(self) -> str:
        return "PersonEdit(...)"


def edit_person(ws: Workspace, person_id: str, edit: PersonEdit) -> int:
    """Write a new version of the person (the old ones stay); returns its version number.

    Needs the identity: documenters only for people of their own or granted sources."""
    require(ws.role, Capability.INTAKE)
    current = ws.get(Person.KIND, person_id)
    if not may_see_identity(ws, current):
        raise PermissionDenied(
            "you may not change this person: ask an admin for access to her source "
            "/ 이 사람의 출처에 대한 권한이 없습니다"
        )
    person = Person.from_record(
        person_id, current.attributes, ws.get(Person.KIND, person_id, reveal=True).identity
    )
    identity = person.identity or PersonIdentity()
    hangul = identity.name_hangul if edit.name_hangul is None else clean_text(edit.name_hangul)
    latin = identity.full_name if edit.name_latin is None else clean_text(edit.name_latin)
    if not (hangul or latin or identity.family_name or identity.given_name):
        raise InputError("name: give the name in Hangul or in Latin letters / 이름을 쓰십시오")
    birth = identity.birth_date
    if edit.birth_date is not None:
        parsed = field_date("birth_date", edit.birth_date)
        birth = parsed.value if parsed else None
    sex = person.sex
    if edit.sex is not None:
        try:
            sex = Sex(edit.sex or "unknown")
        except ValueError:
            raise InputError("sex: F, M or unknown / 성별: F, M 또는 unknown") from None
    new_identity = replace(identity, name_hangul=hangul, full_name=latin, birth_date=birth)
    updated = replace(
        person, identity=new_identity, sex=sex, birth_year_range=coarse_year_range(birth)
    )
    attributes, sealed = updated.to_record()
    ref = ws.put(
        Person.KIND, attributes, sealed, record_id=person_id,
        name_tokens=person_name_tokens(person_id, new_identity),
    )  # fmt: skip
    return ref.version
