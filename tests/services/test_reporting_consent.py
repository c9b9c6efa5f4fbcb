"""The consent gate never leaks: in a partner, UN or public report, a person whose consent in
force does not cover the scope adds to no count at all. Each example is a real encrypted
workspace with people, acts and consents drawn at random; the report's tables must equal the
tables of exactly the people whose consent covers the scope on the report's day."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unseen.crypto import KdfParams
from unseen.domain.dates import parse_fuzzy_date
from unseen.domain.model import Act, Consent, ConsentScope, Event, Person, Sex
from unseen.reports.model import DisclosureSettings
from unseen.reports.tables import ActFact, PersonFact, age_band, build_tables
from unseen.services.estimating import EstimateSettings
from unseen.services.reporting import build_report_data
from unseen.store import Workspace

DAY = dt.date(2026, 1, 15)
EXACT = DisclosureSettings(threshold=1)
MT = EstimateSettings(method="mt")
PARTNER = "Shelter North"
CN = {"CN-222401": "CN-JL", "CN-210000": "CN-LN"}  # Yanji (Jilin), Liaoning
KP = {"KP-10-hyesan-si": "KP-10", "KP-09": "KP-09"}

consents = st.lists(
    st.fixed_dictionaries(
        {
            "scopes": st.sets(st.sampled_from(list(ConsentScope)[:4]), min_size=1),
            "given": st.integers(-400, 30),  # days from the report's day
            "withdrawn": st.none() | st.integers(-200, 60),
        }
    ),
    max_size=2,
)
people = st.lists(
    st.fixed_dictionaries(
        {
            "sex": st.sampled_from(["F", "M", "unknown"]),
            "cn": st.sampled_from([*CN, None]),
            "kp": st.sampled_from([*KP, None]),
            "violation": st.sampled_from(["FMAR", "TIP.SALE", "REFOUL", None]),
            "year": st.sampled_from([2005, 2012, None]),
            "born": st.sampled_from([1980, 1995, None]),
            "consents": consents,
        }
    ),
    min_size=1,
    max_size=7,
)


def _put(ws: Workspace, p: dict) -> None:  # type: ignore[type-arg]
    years = None if p["born"] is None else (p["born"], p["born"])
    person = Person(sex=Sex(p["sex"]), birth_year_range=years, china_place_id=p["cn"],
                    origin_place_id=p["kp"], list_name="L")  # fmt: skip
    pid = ws.put(Person.KIND, *person.to_record()).record_id
    if p["violation"]:
        date = parse_fuzzy_date(str(p["year"])).value if p["year"] else None
        eid = ws.put(Event.KIND, Event(date=date).to_record()[0]).record_id
        act = Act(event_id=eid, victim_id=pid, violation=p["violation"], date=date)
        ws.put(Act.KIND, act.to_record()[0])
    for c in p["consents"]:
        given = DAY + dt.timedelta(days=c["given"])
        withdrawn = None if c["withdrawn"] is None else DAY + dt.timedelta(days=c["withdrawn"])
        if withdrawn is not None and withdrawn < given:
            withdrawn = given
        partners = frozenset({PARTNER}) if ConsentScope.PARTNER in c["scopes"] else frozenset()
        consent = Consent(person_id=pid, scopes=frozenset(c["scopes"]), partners=partners,
                          given=given, withdrawn=withdrawn)  # fmt: skip
        ws.put(Consent.KIND, consent.to_record()[0])


def _covers(p: dict, scope: ConsentScope) -> bool:  # type: ignore[type-arg]
    # written from the rule, not from Consent.covers: in force on DAY and naming the scope
    for c in p["consents"]:
        given = DAY + dt.timedelta(days=c["given"])
        withdrawn = None if c["withdrawn"] is None else DAY + dt.timedelta(days=c["withdrawn"])
        if withdrawn is not None and withdrawn < given:
            withdrawn = given
        if scope in c["scopes"] and given <= DAY and (withdrawn is None or DAY < withdrawn):
            return True
    return False


def _fact(p: dict) -> PersonFact:  # type: ignore[type-arg]
    top = {"TIP.SALE": "TIP"}.get(p["violation"], p["violation"])
    acts = (ActFact(top, p["year"]),) if p["violation"] else ()
    age = None
    if p["born"] is not None and p["violation"] and p["year"]:
        age = age_band(p["year"] - p["born"])
    return PersonFact(sex=p["sex"], age_band=age, cn_admin1=CN.get(p["cn"] or ""),
                      kp_admin1=KP.get(p["kp"] or ""), acts=acts)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people, st.sampled_from(["public", "un", "partner"]))
def test_people_outside_the_scope_never_count(group: list[dict], scope: str) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        with Workspace.create(Path(tmp) / "ws", user="admin-1", passphrase="pass words here",
                              kdf=KdfParams.fast_for_tests()) as ws:  # fmt: skip
            with ws.transaction():
                for p in group:
                    _put(ws, p)
            d = build_report_data(ws, scope=scope, partner=PARTNER, lang="en", today=DAY,
                                  disclosure=EXACT, estimate=MT)  # fmt: skip
    inside = [p for p in group if _covers(p, ConsentScope(scope))]
    assert d.people_in_scope == len(inside)
    assert d.left_out_by_consent == len(group) - len(inside)
    expected = build_tables([_fact(p) for p in inside], EXACT, year=DAY.year)
    assert d.tables == expected.tables
    assert d.timeline == expected.timeline
    assert d.maps == expected.maps
    assert d.estimates == ()  # and no estimate from people outside the scope
