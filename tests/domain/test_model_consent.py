"""Consent.covers: scopes never imply each other, partners are named, withdrawal ends consent."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.domain.model import Consent, ConsentScope

GIVEN = date(2020, 5, 1)
WITHDRAWN = date(2022, 1, 15)


def consent(
    *scopes: ConsentScope, partners: tuple[str, ...] = (), withdrawn: date | None = None
) -> Consent:
    return Consent(
        person_id="p1",
        scopes=frozenset(scopes),
        partners=frozenset(partners),
        given=GIVEN,
        withdrawn=withdrawn,
        recorded_by="documenter1",
    )


@pytest.mark.parametrize(
    ("scopes", "asked", "expected"),
    [
        ((ConsentScope.INTERNAL,), ConsentScope.INTERNAL, True),
        ((ConsentScope.INTERNAL,), ConsentScope.UN, False),
        ((ConsentScope.PUBLIC,), ConsentScope.UN, False),  # public does not imply un
        ((ConsentScope.PUBLIC,), ConsentScope.INTERNAL, False),  # ... nor internal
        ((ConsentScope.UN,), ConsentScope.PUBLIC, False),
        ((ConsentScope.UN, ConsentScope.PUBLIC), ConsentScope.UN, True),
        ((), ConsentScope.INTERNAL, False),
    ],
)
def test_scopes_do_not_imply_each_other(
    scopes: tuple[ConsentScope, ...], asked: ConsentScope, expected: bool
) -> None:
    assert consent(*scopes).covers(asked, on=date(2021, 1, 1)) is expected


def test_dates() -> None:
    c = consent(ConsentScope.UN, withdrawn=WITHDRAWN)
    assert not c.covers(ConsentScope.UN, on=date(2020, 4, 30))  # before it was given
    assert c.covers(ConsentScope.UN, on=GIVEN)  # from the day it was given
    assert c.covers(ConsentScope.UN, on=date(2022, 1, 14))
    assert not c.covers(ConsentScope.UN, on=WITHDRAWN)  # withdrawal takes effect that day
    assert not c.covers(ConsentScope.UN, on=date(2030, 1, 1))
    assert consent(ConsentScope.UN).covers(ConsentScope.UN, on=date(2099, 1, 1))


def test_withdrawn_on_the_day_given_never_covers() -> None:
    c = Consent(
        person_id="p", scopes=frozenset({ConsentScope.INTERNAL}), given=GIVEN, withdrawn=GIVEN
    )
    assert not c.covers(ConsentScope.INTERNAL, on=GIVEN)


def test_partner_needs_a_named_partner() -> None:
    c = consent(ConsentScope.PARTNER, partners=("Shelter  B", "Partner One"))
    on = date(2021, 1, 1)
    assert c.partners == frozenset({"Shelter B", "Partner One"})
    assert c.covers(ConsentScope.PARTNER, "Shelter B", on=on)
    assert c.covers(ConsentScope.PARTNER, " shelter b ", on=on)  # spaces and case do not matter
    assert not c.covers(ConsentScope.PARTNER, "Shelter C", on=on)
    assert not c.covers(ConsentScope.PARTNER, on=on)  # which partner? refuse
    assert not c.covers(ConsentScope.INTERNAL, "Shelter B", on=on)
    assert not consent(ConsentScope.UN).covers(ConsentScope.PARTNER, "Shelter B", on=on)


def test_scope_as_text_and_unknown_scope() -> None:
    c = consent(ConsentScope.PUBLIC)
    assert c.covers("public", on=date(2021, 1, 1))
    assert not c.covers("everything", on=date(2021, 1, 1))


def test_contract_spelling_of_scopes() -> None:
    spelled: dict[str, ConsentScope] = {"public": ConsentScope.public, "un": ConsentScope.un}
    assert spelled == {"public": ConsentScope.PUBLIC, "un": ConsentScope.UN}
    assert [s.value for s in ConsentScope] == ["internal", "partner", "un", "public"]


@settings(max_examples=150)
@given(
    st.frozensets(st.sampled_from([ConsentScope.INTERNAL, ConsentScope.UN, ConsentScope.PUBLIC])),
    st.sampled_from(list(ConsentScope)),
    st.dates(date(2019, 1, 1), date(2024, 1, 1)),
)
def test_covers_is_exactly_membership_while_in_force(
    scopes: frozenset[ConsentScope], asked: ConsentScope, on: date
) -> None:
    c = Consent(person_id="p", scopes=scopes, given=GIVEN, withdrawn=WITHDRAWN)
    expected = asked in scopes and GIVEN <= on < WITHDRAWN
    assert c.covers(asked, on=on) is expected
    assert c.in_force(on) is (GIVEN <= on < WITHDRAWN)
