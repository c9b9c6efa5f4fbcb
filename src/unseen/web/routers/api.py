"""The JSON API under /api: the pages' operations, with the same session, CSRF and permissions.

Sign in through the pages (/login), then send the session cookie and, for every POST, the
``X-CSRF-Token`` header (``GET /api/me`` returns it).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from pydantic import BaseModel, Field

from unseen.domain.dates import MAX_LENGTH, parse_fuzzy_date
from unseen.errors import InputError, RecordNotFound
from unseen.services import accounts, review
from unseen.services.access import Capability, display_name, grant_source, may, view_person
from unseen.services.intake import (
    PersonEdit,
    Testimony,
    edit_person,
    record_testimony,
    suggest_places,
)
from unseen.services.source_edit import SourceEdit, edit_source, view_source
from unseen.services.testimony_parts import (
    MAX_EVIDENCE_BYTES,
    ActInput,
    RelationshipInput,
    add_act,
    add_evidence,
    add_relationship,
    parts_of,
    withdraw_consent,
)
from unseen.services.versions import view_version

from ..deps import Actor, ActorDep, allowed
from ..search import Hit, run_search
from ..security import csrf_guard


class Problem(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Refused input; the message says what to change"},
    401: {"model": Problem, "description": "Not signed in, or the session has ended"},
    403: {"model": Problem, "description": "Wrong CSRF token, or the role may not do this"},
    404: {"model": Problem, "description": "No such record"},
}
router = APIRouter(
    prefix="/api", dependencies=[Depends(csrf_guard)], tags=["api"], responses=_ERRORS
)

IntakeActor = Annotated[Actor, Depends(allowed(Capability.INTAKE))]
SearchActor = Annotated[Actor, Depends(allowed(Capability.SEARCH))]
PersonActor = Annotated[Actor, Depends(allowed(Capability.VIEW_PERSON))]
ReviewActor = Annotated[Actor, Depends(allowed(Capability.REVIEW))]
GrantActor = Annotated[Actor, Depends(allowed(Capability.GRANT))]
AccountsActor = Annotated[Actor, Depends(allowed(Capability.ACCOUNTS))]
EstimatesActor = Annotated[Actor, Depends(allowed(Capability.ESTIMATES))]

Short = Annotated[str, Field(max_length=200)]
Text = Annotated[str, Field(max_length=20_000)]


class Me(BaseModel):
    user: str
    role: str
    csrf_token: str
    capabilities: list[str]


class PlaceOut(BaseModel):
    gazetteer_id: str
    label: str
    country: str
    level: str


class DateOut(BaseModel):
    edtf: str
    form: str
    understood_as: str
    understood_as_ko: str


class TestimonyIn(BaseModel):
    language: Literal["ko", "en", "zh"] = "ko"
    name_hangul: Short | None = None
    name_latin: Short | None = None
    sex: Literal["F", "M", "unknown"] = "unknown"
    birth_date: Short | None = None
    violation: Short | None = None
    event_date: Short | None = None
    event_place: Short | None = None
    interviewee: Short | None = None
    narrative: Text | None = None
    consent: list[Literal["internal", "partner", "un", "public"]] = Field(
        default_factory=list, max_length=4, description="the uses she allowed, each explicitly"
    )
    partners: list[Short] = Field(default_factory=list, max_length=50)


class IntakeOut(BaseModel):
    source_id: str
    person_id: str
    event_id: str | None
    act_id: str | None
    event_date: DateOut | None
    place_id: str | None
    consent_id: str | None


class HitOut(BaseModel):
    record_id: str
    name: str | None = Field(description="null when sealed from this account")
    list_name: str | None
    sex: str
    born: str
    violations: list[str]


class ActOut(BaseModel):
    violation: str
    date: str | None
    place_id: str | None


class VersionOut(BaseModel):
    version: int
    created_at: str
    author: str
    deleted: bool


class LinkedOut(BaseModel):
    record_id: str
    name: str | None = Field(description="null when sealed from this account")
    sealed: bool
    list_name: str | None
    sex: str
    birth_years: list[int] | None
    violations: list[str]


class PersonOut(BaseModel):
    record_id: str
    name: str | None = Field(description="null when sealed from this account")
    identity: dict[str, Any] | None
    sealed: bool
    attributes: dict[str, Any]
    acts: list[ActOut]
    history: list[VersionOut]
    editable: bool
    linked: list[LinkedOut] = Field(
        description="her other records in the latest linkage run's cluster"
    )


class PersonEditIn(BaseModel):
    """Fields left out (or null) keep their value; an empty string clears it."""

    name_hangul: Short | None = None
    name_latin: Short | None = None
    sex: Literal["F", "M", "unknown"] | None = None
    birth_date: Short | None = None


class FieldOut(BaseModel):
    name: str
    left: str
    right: str
    differs: bool


class ReasonOut(BaseModel):
    """One part of a pair's match weight: the bits the level of a comparison added."""

    comparison: str
    level: str
    bits: float


class MemberOut(BaseModel):
    """Another record of one side's group in the run that queued the pair."""

    list_name: str
    record_id: str
    name: str  # empty for a role without the identity key
    birth: str
    sex: str
    origin: str
    china: str


class PairOut(BaseModel):
    pair_id: str
    match_probability: float
    status: str
    fields: list[FieldOut]
    second_look: bool = False  # waits for a reviewer other than its first (who said what: never)
    reasons: list[ReasonOut] = []  # why the model scored it so (empty for an older run's pair)
    groups: tuple[int, int] | None = None  # each side's cluster size in the run that queued it
    together: bool | None = None  # whether that run put the two in one cluster
    members: tuple[list[MemberOut], list[MemberOut]] = ([], [])  # others of each side's group


class DecisionIn(BaseModel):
    decision: Literal["match", "non-match", "unsure"]


class DecisionOut(BaseModel):
    pair_id: str
    decision: str
    version: int


class GrantIn(BaseModel):
    user: Short
    source_id: Short


class GrantOut(BaseModel):
    grant_id: str


@router.get("/me")
def me(who: ActorDep) -> Me:
    caps = [c.value for c in Capability if may(who.role, c)]
    return Me(user=who.user, role=who.role.value, csrf_token=who.session.csrf, capabilities=caps)


@router.get("/places")
def places(
    who: ActorDep, q: Annotated[str, Query(max_length=100)], limit: int = Query(10, ge=1, le=50)
) -> list[PlaceOut]:
    """Gazetteer places for autocomplete, in any script."""
    return [PlaceOut(**vars(s)) for s in suggest_places(q, limit=limit)]


@router.get("/dates")
def dates(who: ActorDep, text: Annotated[str, Query(max_length=MAX_LENGTH)]) -> DateOut:
    """How a date typed as people say it is understood (422 with the accepted forms if not)."""
    return _date_out(parse_fuzzy_date(text))


def _date_out(parsed: Any) -> DateOut:
    return DateOut(
        edtf=parsed.value.to_edtf(),
        form=parsed.form,
        understood_as=parsed.understood_as,
        understood_as_ko=parsed.understood_as_ko,
    )


@router.post("/testimonies", status_code=201)
def testimonies(who: IntakeActor, body: TestimonyIn) -> IntakeOut:
    """Record a testimony: the source, the person and, when given, the event and act."""
    fields = {k: v for k, v in body.model_dump().items() if v is not None}
    fields["consent"], fields["partners"] = tuple(body.consent), tuple(body.partners)
    r = record_testimony(who.ws, Testimony(**fields), today=dt.date.today())
    return IntakeOut(
        source_id=r.source_id, person_id=r.person_id, event_id=r.event_id, act_id=r.act_id,
        event_date=_date_out(r.event_date) if r.event_date else None, place_id=r.place_id,
        consent_id=r.consent_id,
    )  # fmt: skip


class SearchIn(BaseModel):
    name: Short | None = None
    violation: Annotated[str, Field(max_length=40)] | None = None
    place: Short | None = None
    year: Annotated[int, Field(ge=1, le=9999)] | None = None


@router.get("/people")
def people(
    who: SearchActor,
    violation: Annotated[str, Query(max_length=40)] = "",
    place: Annotated[str, Query(max_length=200)] = "",
    year: Annotated[int | None, Query(ge=1, le=9999)] = None,
) -> list[HitOut]:
    """People by violation, place and year (all given must match). By name: POST
    /api/people/search, so that no name is ever in a URL (logs, history)."""
    return _hits(run_search(who, name="", violation=violation, place=place, year=year))


@router.post("/people/search")
def people_search(who: SearchActor, body: SearchIn) -> list[HitOut]:
    """People matching every criterion; by name through the blind index (roles that may)."""
    hits = run_search(who, name=body.name or "", violation=body.violation or "",
                      place=body.place or "", year=body.year)  # fmt: skip
    return _hits(hits)


def _hits(hits: list[Hit]) -> list[HitOut]:
    return [HitOut(**{**vars(h), "violations": list(h.violations)}) for h in hits]


@router.get("/people/{person_id}")
def person(who: PersonActor, person_id: str) -> PersonOut:
    return _person_out(who, person_id)


@router.post("/people/{person_id}")
def person_edit(who: IntakeActor, person_id: str, body: PersonEditIn) -> PersonOut:
    """Write a new version of a person's name, sex or date of birth (the old ones stay)."""
    edit_person(who.ws, person_id, PersonEdit(**body.model_dump()))
    return _person_out(who, person_id)


def _person_out(who: Actor, person_id: str) -> PersonOut:
    v = view_person(who.ws, person_id)
    return PersonOut(
        record_id=v.record_id, name=display_name(v.identity), identity=v.identity,
        sealed=v.sealed, attributes=v.attributes, acts=[ActOut(**vars(a)) for a in v.acts],
        history=[VersionOut(**vars(h)) for h in v.history], editable=v.editable,
        linked=[LinkedOut(**{**vars(r), "violations": list(r.violations),
                             "birth_years": list(r.birth_years) if r.birth_years else None})
                for r in v.linked],
    )  # fmt: skip


@router.get("/review/next")
def review_next(who: ReviewActor) -> PairOut | None:
    pair = review.next_pair(who.ws)
    if pair is None:
        return None
    v = review.pair_view(who.ws, pair.record_id)
    return PairOut(
        pair_id=v.pair_id, match_probability=v.match_probability, status=v.status,
        fields=[FieldOut(**vars(f)) for f in v.fields], second_look=v.second_look,
        reasons=[ReasonOut(**vars(r)) for r in v.reasons], groups=v.groups, together=v.together,
        members=([MemberOut(**vars(m)) for m in v.members[0]],
                 [MemberOut(**vars(m)) for m in v.members[1]]),
    )  # fmt: skip


@router.post("/review/{pair_id}")
def review_decide(who: ReviewActor, pair_id: str, body: DecisionIn) -> DecisionOut:
    rec = review.decide(who.ws, pair_id, body.decision)
    return DecisionOut(pair_id=rec.record_id, decision=body.decision, version=rec.version)


@router.post("/grants", status_code=201)
def grants(who: GrantActor, body: GrantIn) -> GrantOut:
    """Admins: let a documenter see the identities of another's source."""
    if not body.user.strip():
        raise InputError("user: give a user name / 사용자 이름을 쓰십시오")
    return GrantOut(grant_id=grant_source(who.ws, body.user.strip(), body.source_id))


class AccountOut(BaseModel):
    user: str
    failures: int
    locked: bool
    second_factor: bool


def _account(who: Actor, user: str) -> AccountOut:
    users = accounts.active_users(who.ws)
    if user not in users:
        raise RecordNotFound(f"no user {user} / 없는 사용자입니다")
    state = accounts.lockout(who.ws, user)
    return AccountOut(user=user, failures=state.failures, locked=state.locked(who.now),
                      second_factor=accounts.has_second_factor(who.ws, user))  # fmt: skip


@router.get("/accounts/{user}")
def account(who: AccountsActor, user: str) -> AccountOut:
    """(Admins) a user's sign-in state: failures, lockout, whether a second factor is set."""
    return _account(who, user)


@router.post("/accounts/{user}/unlock")
def account_unlock(who: AccountsActor, user: str) -> AccountOut:
    """(Admins) end a lockout now."""
    _account(who, user)
    accounts.unlock_account(who.ws, user)
    return _account(who, user)


@router.post("/accounts/{user}/reset-second-factor")
def account_reset_totp(who: AccountsActor, user: str) -> AccountOut:
    """(Admins) forget a lost phone's TOTP secret; the user enrols again at her next sign-in."""
    _account(who, user)
    accounts.reset_totp(who.ws, user)
    return _account(who, user)


class ActIn(BaseModel):
    violation: Annotated[str, Field(max_length=40)]
    date: Short | None = None
    place: Short | None = None
    event_id: Short | None = Field(None, description="an event of her testimony; else a new one")
    perpetrator_type: Annotated[str, Field(max_length=40)] | None = None
    perpetrator_name: Short | None = None
    perpetrator_role: Literal[
        "direct", "ordered", "instigated", "assisted", "omission", "unknown"
    ] = "direct"


class ActAddedOut(BaseModel):
    event_id: str
    act_id: str
    perpetrator_id: str | None
    involvement_id: str | None


@router.post("/people/{person_id}/acts", status_code=201)
def person_act(who: IntakeActor, person_id: str, body: ActIn) -> ActAddedOut:
    """Another act against her (in one of her events, or a new one), with its perpetrator."""
    r = add_act(who.ws, person_id, ActInput(**body.model_dump()))
    return ActAddedOut(**vars(r))


class RelationshipIn(BaseModel):
    kind: Literal["mother_of", "child_of", "sold_to", "brokered_by"]
    other_id: Short | None = Field(None, description="a mother's or child's person record")
    name_hangul: Short | None = None
    name_latin: Short | None = None
    perpetrator_type: Annotated[str, Field(max_length=40)] | None = None
    date: Short | None = None


class RelationshipOut(BaseModel):
    relationship_id: str
    other_id: str
    other_kind: Literal["person", "perpetrator"]


@router.post("/people/{person_id}/relationships", status_code=201)
def person_relationship(who: IntakeActor, person_id: str, body: RelationshipIn) -> RelationshipOut:
    """Her mother or child (a person record, existing or new), her buyer or broker (a
    perpetrator record)."""
    r = add_relationship(who.ws, person_id, RelationshipInput(**body.model_dump()))
    return RelationshipOut(**vars(r))


class EvidenceOut(BaseModel):
    record_id: str
    sha256: str = Field(description="of the bytes stored, after the metadata was removed")
    size: int
    media_type: str
    metadata_removed: bool


@router.post("/people/{person_id}/evidence", status_code=201)
def person_evidence(
    who: IntakeActor,
    person_id: str,
    file: Annotated[UploadFile, File()],
    description: Annotated[str, Form(max_length=2000)] = "",
    keep_metadata: Annotated[bool, Form()] = False,
) -> EvidenceOut:
    """An evidence file of her testimony (multipart), stored encrypted; JPEG, PNG, PDF, MP3,
    Ogg, FLAC, WAV, MP4, M4A and MOV lose their metadata unless ``keep_metadata``; other
    types need ``keep_metadata``."""
    data = file.file.read(MAX_EVIDENCE_BYTES + 1)
    r = add_evidence(who.ws, person_id, data, filename=file.filename,
                     media_type=file.content_type, description=description,
                     keep_metadata=keep_metadata)  # fmt: skip
    return EvidenceOut(**vars(r))


class WithdrawnOut(BaseModel):
    consent_id: str
    withdrawn: str
    version: int


@router.post("/consents/{consent_id}/withdraw")
def consent_withdraw(who: IntakeActor, consent_id: str) -> WithdrawnOut:
    """Record today as the day she withdrew this consent (reports leave her out from today)."""
    today = dt.date.today()
    version = withdraw_consent(who.ws, consent_id, on=today)
    return WithdrawnOut(consent_id=consent_id, withdrawn=today.isoformat(), version=version)


class PartsOut(BaseModel):
    consents: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    events: list[dict[str, Any]]


@router.get("/people/{person_id}/testimony")
def person_parts(who: PersonActor, person_id: str) -> PartsOut:
    """Her consents, relationships, evidence files and events: ids, codes and dates only."""
    p = parts_of(who.ws, person_id)
    return PartsOut(
        consents=[vars(c) for c in p.consents], relationships=[vars(r) for r in p.relationships],
        evidence=[vars(e) for e in p.evidence], events=[vars(e) for e in p.events],
    )  # fmt: skip


class SourceOut(BaseModel):
    record_id: str
    identity: dict[str, Any] | None = Field(description="null when sealed from this account")
    sealed: bool
    attributes: dict[str, Any]
    people: list[str]
    history: list[VersionOut]
    editable: bool


class SourceEditIn(BaseModel):
    """Fields left out (or null) keep their value; an empty string clears it."""

    language: Literal["ko", "en", "zh"] | None = None
    interviewee: Short | None = None
    narrative: Text | None = None
    date_given: Short | None = None


def _source_out(who: Actor, source_id: str) -> SourceOut:
    v = view_source(who.ws, source_id)
    return SourceOut(
        record_id=v.record_id, identity=v.identity, sealed=v.sealed, attributes=v.attributes,
        people=list(v.people), history=[VersionOut(**vars(h)) for h in v.history],
        editable=v.editable,
    )  # fmt: skip


@router.get("/sources/{source_id}")
def source(who: PersonActor, source_id: str) -> SourceOut:
    """A testimony's source: interviewee and narrative only where allowed, version history."""
    return _source_out(who, source_id)


@router.post("/sources/{source_id}")
def source_edit(who: IntakeActor, source_id: str, body: SourceEditIn) -> SourceOut:
    """A new version of the source's language, interviewee, narrative or date given."""
    edit_source(who.ws, source_id, SourceEdit(**body.model_dump()))
    return _source_out(who, source_id)


class PastVersionOut(BaseModel):
    kind: str
    record_id: str
    version: int
    created_at: str
    author: str
    deleted: bool
    attributes: dict[str, Any]
    identity: dict[str, Any] | None = Field(description="null when sealed from this account")
    sealed: bool
    latest: int


@router.get("/people/{person_id}/versions/{version}")
def person_version(who: PersonActor, person_id: str, version: int) -> PastVersionOut:
    """One past version of a person as it was written (identity where allowed)."""
    return PastVersionOut(**vars(view_version(who.ws, "person", person_id, version)))


@router.get("/sources/{source_id}/versions/{version}")
def source_version(who: PersonActor, source_id: str, version: int) -> PastVersionOut:
    """One past version of a source as it was written (interviewee, narrative where allowed)."""
    return PastVersionOut(**vars(view_version(who.ws, "source", source_id, version)))
