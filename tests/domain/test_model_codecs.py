"""Record codecs of the model: round trips, identity kept apart, strict decoding, invariants."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.domain import model
from unseen.domain.dates import FuzzyDate, parse_fuzzy_date
from unseen.domain.model import (
    Act,
    Consent,
    ConsentScope,
    Credibility,
    Event,
    EventIdentity,
    EvidenceFile,
    EvidenceIdentity,
    Involvement,
    InvolvementRole,
    Nationality,
    Perpetrator,
    PerpetratorIdentity,
    Person,
    PersonIdentity,
    PlacePrecision,
    Relationship,
    RelationshipType,
    Reliability,
    Sex,
    Source,
    SourceIdentity,
    SourceType,
)
from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.errors import ValueNotUnderstood

IDS = st.text(alphabet="0123456789abcdef", min_size=1, max_size=12)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
OPT_TEXT = st.none() | TEXT
FUZZY = st.none() | st.one_of(
    st.builds(FuzzyDate.from_year, st.integers(1900, 2030), approximate=st.booleans()),
    st.builds(FuzzyDate.from_month, st.integers(1900, 2030), st.integers(1, 12)),
    st.builds(FuzzyDate.from_season, st.integers(1900, 2030), st.sampled_from([21, 22, 23, 24])),
    st.builds(FuzzyDate.from_decade, st.sampled_from([1960, 1970, 1980, 1990, 2000, 2010])),
    st.just(FuzzyDate.unknown()),
    st.builds(FuzzyDate.on_or_before, st.dates(date(1900, 1, 1), date(2030, 1, 1))),
)
SCALARS = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | TEXT
DAYS = st.dates(date(1990, 1, 1), date(2030, 12, 31))
VIOLATIONS = st.sampled_from(sorted(violation_types()))
PERPETRATOR_TYPES = st.sampled_from(sorted(perpetrator_types()))

person_identities = st.builds(
    PersonIdentity,
    family_name=OPT_TEXT,
    given_name=OPT_TEXT,
    full_name=OPT_TEXT,
    name_hangul=OPT_TEXT,
    name_hanzi=OPT_TEXT,
    aliases=st.lists(TEXT, max_size=3).map(tuple),
    birth_date=FUZZY,
    notes=OPT_TEXT,
)


@st.composite
def year_ranges(draw: st.DrawFn) -> tuple[int, int] | None:
    if draw(st.booleans()):
        return None
    lo = draw(st.integers(1920, 2020))
    return (lo, lo + draw(st.integers(0, 10)))


persons = st.builds(
    Person,
    record_id=IDS,
    identity=st.none() | person_identities,
    sex=st.sampled_from(list(Sex)),
    birth_year_range=year_ranges(),
    nationality=st.sampled_from(list(Nationality)),
    stateless=st.none() | st.booleans(),
    origin_place_id=OPT_TEXT,
    origin_place_text=OPT_TEXT,
    china_place_id=OPT_TEXT,
    china_place_text=OPT_TEXT,
    first_exit_date=FUZZY,
    source_id=st.none() | IDS,
    source_record_id=OPT_TEXT,
    list_name=OPT_TEXT,
    extra=st.dictionaries(TEXT, SCALARS, max_size=3),
)
sources = st.builds(
    Source,
    record_id=IDS,
    source_type=st.sampled_from(list(SourceType)),
    reliability=st.none() | st.sampled_from(list(Reliability)),
    credibility=st.none() | st.sampled_from(list(Credibility)),
    language=st.none() | st.sampled_from(["ko", "zh", "en"]),
    date_given=FUZZY,
    date_recorded=FUZZY,
    list_name=OPT_TEXT,
    person_id=st.none() | IDS,
    identity=st.none() | st.builds(SourceIdentity, interviewee=OPT_TEXT, author=OPT_TEXT,
                                   title=OPT_TEXT, narrative=OPT_TEXT, notes=OPT_TEXT),
)  # fmt: skip
events = st.builds(
    Event,
    record_id=IDS,
    date=FUZZY,
    place_text=OPT_TEXT,
    place_id=OPT_TEXT,
    place_precision=st.sampled_from(list(PlacePrecision)),
    country=st.none() | st.sampled_from(["CN", "KP"]),
    source_id=st.none() | IDS,
    identity=st.none() | st.builds(EventIdentity, title=OPT_TEXT, description=OPT_TEXT),
)
acts = st.builds(
    Act,
    record_id=IDS,
    event_id=IDS,
    victim_id=IDS,
    violation=VIOLATIONS,
    date=FUZZY,
    place_id=OPT_TEXT,
    source_id=st.none() | IDS,
)
involvements = st.builds(
    Involvement,
    record_id=IDS,
    act_id=IDS,
    perpetrator_id=IDS,
    perpetrator_type=st.none() | PERPETRATOR_TYPES,
    role=st.sampled_from(list(InvolvementRole)),
    source_id=st.none() | IDS,
)
perpetrators = st.builds(
    Perpetrator,
    record_id=IDS,
    perpetrator_type=PERPETRATOR_TYPES,
    identity=st.none()
    | st.builds(PerpetratorIdentity, name=OPT_TEXT, aliases=st.lists(TEXT, max_size=2).map(tuple),
                notes=OPT_TEXT),
    sex=st.sampled_from(list(Sex)),
    country=st.none() | st.sampled_from(["CN", "KP"]),
    person_id=st.none() | IDS,
    source_id=st.none() | IDS,
)  # fmt: skip
relationships = st.builds(
    Relationship,
    record_id=IDS,
    person_id=st.just("p1"),
    other_id=st.just("p2"),
    relationship_type=st.sampled_from(list(RelationshipType)),
    date=FUZZY,
    source_id=st.none() | IDS,
)


@st.composite
def consents(draw: st.DrawFn) -> Consent:
    scopes = draw(st.frozensets(st.sampled_from(list(ConsentScope)), max_size=4))
    partners = (
        draw(st.frozensets(st.sampled_from(["Partner One", "Shelter B"]), min_size=1))
        if ConsentScope.PARTNER in scopes
        else frozenset()
    )
    given_on = draw(DAYS)
    withdrawn = draw(st.none() | st.dates(given_on, date(2031, 1, 1)))
    return Consent(
        record_id=draw(IDS),
        person_id=draw(IDS),
        source_id=draw(st.none() | IDS),
        scopes=scopes,
        partners=partners,
        given=given_on,
        withdrawn=withdrawn,
        recorded_by=draw(st.none() | st.just("documenter1")),
        evidence_id=draw(st.none() | IDS),
    )


evidence_files = st.builds(
    EvidenceFile,
    record_id=IDS,
    sha256=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    size=st.integers(0, 10**9),
    media_type=st.sampled_from(["image/jpeg", "application/pdf", "audio/ogg"]),
    address=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    source_id=st.none() | IDS,
    identity=st.none()
    | st.builds(EvidenceIdentity, original_filename=OPT_TEXT, description=OPT_TEXT),
)

ENTITIES = st.one_of(
    persons, sources, events, acts, involvements, perpetrators, relationships, consents(),
    evidence_files,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(ENTITIES)
def test_round_trip_through_json(entity: model.AnyEntity) -> None:
    attributes, identity = entity.to_record()
    # JSON-safe: survives a text round trip unchanged
    attributes2 = json.loads(json.dumps(attributes, ensure_ascii=False, allow_nan=False))
    identity2 = None if identity is None else json.loads(json.dumps(identity, allow_nan=False))
    assert attributes2 == attributes and identity2 == identity
    assert entity.record_id is not None
    decoded = type(entity).from_record(entity.record_id, attributes2, identity2)
    assert decoded == entity
    assert model.decode(entity.KIND, entity.record_id, attributes2, identity2) == entity


@settings(max_examples=100, deadline=None)
@given(st.one_of(persons, sources, events, perpetrators, evidence_files))
def test_decoding_without_identity_gives_none(entity: model.AnyEntity) -> None:
    attributes, _ = entity.to_record()
    assert entity.record_id is not None
    decoded = type(entity).from_record(entity.record_id, attributes, None)
    assert getattr(decoded, "identity") is None  # noqa: B009 - union of entity types
    assert decoded == replace_identity(entity)


def replace_identity(entity: Any) -> Any:
    return replace(entity, identity=None)


CANARIES = ("김순희", "Kim Sun-hui", "金顺姬", "Soon-hee", "1987-04-23", "canary-note-7f3a")


def canary_person() -> Person:
    return Person(
        record_id="r1",
        identity=PersonIdentity(
            family_name="김",
            given_name="순희",
            full_name="김순희",
            name_hangul="김순희",
            name_hanzi="金顺姬",
            aliases=("Kim Sun-hui", "Soon-hee"),
            birth_date=parse_fuzzy_date("1987-04-23").value,
            notes="canary-note-7f3a",
        ),
        sex=Sex.F,
        birth_year_range=(1985, 1989),
        nationality=Nationality.DPRK,
        origin_place_text="Hoeryong",
        first_exit_date=parse_fuzzy_date("2010년 봄").value,
        list_name="NGO-A",
        source_record_id="A-0042",
        extra={"times_sold": 2},
    )


def test_identity_never_in_attributes() -> None:
    person = canary_person()
    attributes, identity = person.to_record()
    text = json.dumps(attributes, ensure_ascii=False)
    for canary in CANARIES:
        assert canary not in text
        assert canary not in repr(person) and canary not in str(person)
        assert canary not in repr(person.identity)
    assert identity is not None and identity["name_hanzi"] == "金顺姬"
    assert identity["birth_date"] == "1987-04-23"
    assert attributes["birth_year_range"] == [1985, 1989]
    assert attributes["first_exit_date"] == "2010-21"
    assert person.identity is not None
    assert person.identity.names() == ("김순희", "김", "순희", "金顺姬", "Kim Sun-hui", "Soon-hee")


@pytest.mark.parametrize(
    "entity",
    [
        Event(record_id="e1", identity=EventIdentity(title="김순희", description="Kim Sun-hui")),
        Source(
            record_id="s1",
            source_type=SourceType.TESTIMONY,
            identity=SourceIdentity(interviewee="김순희", narrative="canary-note-7f3a Soon-hee"),
        ),
        Perpetrator(
            record_id="x1",
            perpetrator_type="BUYER-HUSBAND",
            identity=PerpetratorIdentity(name="金顺姬", aliases=("Soon-hee",)),
        ),
        EvidenceFile(
            record_id="f1",
            sha256="0" * 64,
            size=10,
            media_type="image/jpeg",
            address="a" * 64,
            identity=EvidenceIdentity(original_filename="김순희_1987-04-23.jpg"),
        ),
    ],
)
def test_sealed_fields_not_in_attributes_or_repr(entity: model.AnyEntity) -> None:
    attributes, identity = entity.to_record()
    text = json.dumps(attributes, ensure_ascii=False) + repr(entity)
    assert identity is not None
    for canary in CANARIES:
        assert canary not in text


def test_known_encoding_of_a_person() -> None:
    attributes, _ = canary_person().to_record()
    assert attributes == {
        "sex": "F",
        "birth_year_range": [1985, 1989],
        "nationality": "DPRK",
        "stateless": None,
        "origin_place_id": None,
        "origin_place_text": "Hoeryong",
        "china_place_id": None,
        "china_place_text": None,
        "first_exit_date": "2010-21",
        "source_id": None,
        "source_record_id": "A-0042",
        "list_name": "NGO-A",
        "extra": {"times_sold": 2},
    }


def test_missing_keys_decode_as_not_recorded() -> None:
    person = Person.from_record("r9", {}, None)
    assert person == Person(record_id="r9")
    assert (person.sex, person.nationality, person.extra) == (Sex.UNKNOWN, Nationality.UNKNOWN, {})


def test_text_enum_values_are_coerced() -> None:
    person = Person(sex="F", nationality="PRC")  # type: ignore[arg-type]
    assert person.sex is Sex.F and person.nationality is Nationality.PRC
    source = Source(source_type="interview", reliability="B", credibility="2")  # type: ignore[arg-type]
    assert source.admiralty == "B2"


@pytest.mark.parametrize(
    ("kind", "attributes", "identity", "message"),
    [
        ("person", {"sex": "female"}, None, "field 'sex'"),
        ("person", {"birth_year_range": [1990]}, None, "field 'birth_year_range'"),
        ("person", {"birth_year_range": [1990, 1980]}, None, "earliest first"),
        ("person", {"first_exit_date": "spring-ish"}, None, "field 'first_exit_date'"),
        ("person", {"extra": {"a": [1]}}, None, "field 'extra'"),
        ("person", {"surprise": "김순희"}, None, "1 field"),
        ("person", {}, {"family_name": 7}, "identity field 'family_name'"),
        ("person", {}, {"passport": "김순희"}, "identity has 1 field"),
        ("act", {"event_id": "e", "victim_id": "v", "violation": "NOPE"}, None, "violation code"),
        ("act", {"event_id": "e", "violation": "TIP"}, None, "field 'victim_id'"),
        ("consent", {"person_id": "p", "scopes": ["internal"]}, None, "'given'"),
        ("consent", {"person_id": "p", "scopes": ["internal"], "given": "2020-13-01"}, None, "ISO"),
        ("consent", {"person_id": "p", "scopes": ["all"], "given": "2020-01-01"}, None, "one of"),
        ("evidence", {"sha256": "x", "size": 1, "media_type": "a/b", "address": "q"}, None, "sha"),
        ("nope", {}, None, "unknown record kind"),
    ],
)  # fmt: skip
def test_bad_records_raise_without_values(
    kind: str, attributes: dict[str, Any], identity: dict[str, Any] | None, message: str
) -> None:
    with pytest.raises(ValueNotUnderstood, match=message) as info:
        model.decode(kind, "rec-1", attributes, identity)
    text = str(info.value)
    assert "김순희" not in text and "spring-ish" not in text and "surprise" not in text


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Act(event_id="e", victim_id="v", violation="tip"), "unknown violation code"),
        (lambda: Involvement(act_id="a"), "perpetrator_id or a perpetrator_type"),
        (lambda: Involvement(act_id="a", perpetrator_type="BROKER"), "unknown perpetrator type"),
        (lambda: Perpetrator(perpetrator_type="NOPE"), "unknown perpetrator type"),
        (lambda: Relationship(person_id="p", other_id="p",
                              relationship_type=RelationshipType.FAMILY), "itself"),
        (lambda: Relationship(person_id="p", other_id="q",
                              relationship_type="husband"), "relationship_type"),  # type: ignore[arg-type]
        (lambda: Person(birth_year_range=(1990, 1980)), "earliest first"),
        (lambda: Person(record_id=""), "record id"),
        (lambda: EvidenceFile(sha256="A" * 64, size=1, media_type="image/jpeg", address="x"),
         "sha256"),
        (lambda: EvidenceFile(sha256="a" * 64, size=-1, media_type="image/jpeg", address="x"),
         "size"),
        (lambda: EvidenceFile(sha256="a" * 64, size=1, media_type="jpeg", address="x"),
         "media_type"),
        (lambda: Consent(person_id="p", scopes=frozenset({ConsentScope.UN}),
                         given=date(2020, 5, 1), withdrawn=date(2020, 4, 30)), "withdrawn before"),
        (lambda: Consent(person_id="p", scopes=frozenset({ConsentScope.PARTNER}),
                         given=date(2020, 5, 1)), "partners' names"),
        (lambda: Consent(person_id="p", scopes=frozenset({ConsentScope.UN}),
                         partners=frozenset({"Shelter B"}), given=date(2020, 5, 1)),
         "partners' names"),
    ],
)  # fmt: skip
def test_invariants(build: Any, message: str) -> None:
    with pytest.raises(ValueNotUnderstood, match=message):
        build()


def test_kinds_and_exports() -> None:
    assert dict(model.ENTITY_TYPES) == {
        "source": Source,
        "person": Person,
        "event": Event,
        "act": Act,
        "involvement": Involvement,
        "perpetrator": Perpetrator,
        "relationship": Relationship,
        "consent": Consent,
        "evidence": EvidenceFile,
    }
    exported = {n for n in vars(model) if not n.startswith("_")} - {"annotations"}
    assert set(model.__all__) <= exported
    public_modules = {"Mapping", "MappingProxyType", "Any", "Protocol", "ValueNotUnderstood"}
    assert exported - set(model.__all__) <= public_modules


def test_entities_are_hashable_values() -> None:
    a, b = canary_person(), canary_person()
    assert a == b and hash(a) == hash(b)
    with pytest.raises(TypeError):
        a.extra["times_sold"] = 3  # type: ignore[index]
