"""Testimony intake round trip: form and API, fuzzy dates, gazetteer places, search, audit."""

from __future__ import annotations

from typing import Any

from webkit import CANARY_HANGUL, Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.store import Workspace


def _audit(ws: Workspace, action: str) -> list[tuple[str, str, str]]:
    with ws._c.db.read() as conn:  # test-only look at the trail the store keeps
        rows = conn.exec_driver_sql(
            "SELECT actor, kind, record_id FROM audit_log WHERE action = ? ORDER BY seq", (action,)
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def _form(csrf: str, **extra: str) -> dict[str, str]:
    return {"csrf": csrf, "language": "ko", "name_hangul": CANARY_HANGUL, "sex": "F",
            "violation": "FMAR", "event_date": "2010년 봄", "event_place": "연길",
            "narrative": "브로커가 연길로 데려갔다", **extra}  # fmt: skip


def test_form_round_trip_fuzzy_date_place_search_and_person_page(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    page = client.get("/intake").text
    r = client.post("/intake", data=_form(csrf_of(page)))
    assert r.status_code == 200
    assert "2010년 봄(3–5월)" in r.text and "2010-21" in r.text  # how the date was understood
    assert "CN-222401" in r.text  # 연길 is Yanji in the gazetteer
    hits = client.post("/api/people/search", json={"name": CANARY_HANGUL},
                       headers={"X-CSRF-Token": token}).json()  # fmt: skip
    assert len(hits) == 1 and hits[0]["name"] == CANARY_HANGUL
    assert hits[0]["violations"] == ["FMAR"]
    person_id = hits[0]["record_id"]
    page = client.get(f"/people/{person_id}").text
    assert CANARY_HANGUL in page and "2010-21" in page and "CN-222401" in page
    assert "FMAR 강제 결혼(매매혼)" in page  # the violation in the page's language
    person = client.get(f"/api/people/{person_id}").json()
    assert person["name"] == CANARY_HANGUL and person["sealed"] is False
    assert person["acts"] == [{"violation": "FMAR", "date": "2010-21", "place_id": "CN-222401"}]
    # Written by doc-1 herself, and every view of the name is in the trail under her name.
    assert workspace.get("person", person_id).author == "doc-1"
    assert ("doc-1", "person", person_id) in _audit(workspace, "reveal")
    # Found by place and year too, and by another spelling of the name.
    by_place = client.get("/api/people", params={"place": "Yanji", "year": 2010}).json()
    assert [h["record_id"] for h in by_place] == [person_id]


def test_search_page_finds_by_name(client: TestClient, clock: Clock, secrets: Secrets) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    body = {"language": "ko", "name_hangul": "김영옥", "name_latin": "Kim Yong-ok"}
    r = client.post("/api/testimonies", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    page = client.post("/search", data={"csrf": token, "name": "Kim Yong Ok"}).text
    assert 'id="hit-count">1<' in page and "Kim Yong-ok" in page


def test_form_error_names_the_field_and_keeps_what_was_typed(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    sign_in(client, "doc-1", clock, secrets)
    r = client.post("/intake", data=_form(csrf_of(client.get("/intake").text),
                                          event_date="the day after"))  # fmt: skip
    assert r.status_code == 422
    assert "event_date" in r.text and CANARY_HANGUL in r.text  # the form is kept
    assert workspace.count("person") == 0  # nothing written


def test_api_intake_returns_the_understood_date_and_place(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    body: dict[str, Any] = {"language": "en", "name_latin": "Pak Mi-hyang",
                            "event_date": "about 1998", "event_place": "Hyesan",
                            "violation": "TIP"}  # fmt: skip
    r = client.post("/api/testimonies", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    out = r.json()
    assert out["event_date"]["edtf"] == "1998~" and out["place_id"] == "KP-10-hyesan-si"
    assert out["act_id"] is not None


def test_place_autocomplete_and_date_preview(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    sign_in(client, "doc-1", clock, secrets)
    ids = [p["gazetteer_id"] for p in client.get("/api/places", params={"q": "연길"}).json()]
    assert ids[0] == "CN-222401"
    assert "CN-222401" in [p["gazetteer_id"] for p in
                           client.get("/api/places", params={"q": "延吉"}).json()]  # fmt: skip
    d = client.get("/api/dates", params={"text": "1985년경"}).json()
    assert d["edtf"] == "1985~" and d["form"] == "korean"
    refused = client.get("/api/dates", params={"text": "someday"})
    assert refused.status_code == 400 and "Accepted forms" in refused.json()["detail"]


def test_english_pages(client: TestClient, clock: Clock, secrets: Secrets) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    client.post("/lang", data={"csrf": token, "lang": "en"})
    page = client.get("/intake").text
    assert "New testimony" in page and "As people say it" in page


def test_edit_writes_a_new_version_and_the_history_shows_both(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    headers = {"X-CSRF-Token": token}
    made = client.post("/api/testimonies", json={"name_hangul": "김영옥"}, headers=headers).json()
    pid = made["person_id"]
    page = client.get(f"/people/{pid}/edit").text
    r = client.post(f"/people/{pid}/edit", data={"csrf": csrf_of(page), "name_hangul": "김영희",
                                                 "sex": "F", "birth_date": "1985년경"})  # fmt: skip
    assert r.status_code == 200 and str(r.url).endswith(f"/people/{pid}")
    person = client.get(f"/api/people/{pid}").json()
    assert person["name"] == "김영희" and person["attributes"]["birth_year_range"] == [1984, 1986]
    assert [(v["version"], v["author"]) for v in person["history"]] == [(1, "doc-1"), (2, "doc-1")]
    assert workspace.get("person", pid, version=1, reveal=True).identity["name_hangul"] == "김영옥"

    def found(name: str) -> list[str]:
        hits = client.post("/api/people/search", json={"name": name}, headers=headers).json()
        return [h["record_id"] for h in hits]

    assert found("김영희") == [pid] and found("김영옥") == []  # the blind index follows the edit
    r = client.post(f"/api/people/{pid}", json={"sex": "M"}, headers=headers)
    assert r.json()["attributes"]["sex"] == "M" and r.json()["name"] == "김영희"  # kept


def test_only_those_who_may_see_her_may_edit(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    made = client.post("/api/testimonies", json={"name_hangul": "김영옥"},
                       headers={"X-CSRF-Token": token}).json()  # fmt: skip
    pid = made["person_id"]
    token = sign_in(client, "doc-2", clock, secrets)
    assert client.get(f"/people/{pid}/edit").status_code == 403
    r = client.post(f"/api/people/{pid}", json={"name_hangul": "박"},
                    headers={"X-CSRF-Token": token})  # fmt: skip
    assert r.status_code == 403
    assert client.get(f"/api/people/{pid}").json()["editable"] is False
    token = sign_in(client, "rev-1", clock, secrets)  # sees her, but does not enter testimonies
    r = client.post(f"/api/people/{pid}", json={"sex": "M"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 403


def test_markup_in_a_testimony_is_shown_as_text(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    made = client.post("/api/testimonies", json={"name_latin": evil},
                       headers={"X-CSRF-Token": token}).json()  # fmt: skip
    page = client.get(f"/people/{made['person_id']}").text
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_language_switch_stays_on_this_site(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    for back in ("//evil.example", "/\\evil.example", "https://evil.example"):
        r = client.post("/lang", data={"csrf": token, "lang": "en", "back": back},
                        follow_redirects=False)  # fmt: skip
        assert r.headers["location"] == "/"


def test_consent_is_recorded_scope_by_scope(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    page = client.get("/intake").text
    assert 'name="consent" value="un"' in page
    r = client.post("/intake", data={**_form(csrf_of(page)), "consent": ["internal", "partner"],
                                     "partners": "NGO A, NGO B"})  # fmt: skip
    assert r.status_code == 200
    (consent,) = list(workspace.iter_current("consent"))
    a = consent.attributes
    assert sorted(a["scopes"]) == ["internal", "partner"] and a["recorded_by"] == "doc-1"
    assert sorted(a["partners"]) == ["NGO A", "NGO B"]
    # The partner scope without partners' names is refused, and nothing at all is written.
    before = workspace.count("person")
    r = client.post("/api/testimonies", json={"name_hangul": "김영옥", "consent": ["partner"]},
                    headers={"X-CSRF-Token": token})  # fmt: skip
    assert r.status_code == 400 and "partner" in r.json()["detail"]
    assert workspace.count("person") == before
    r = client.post("/api/testimonies", json={"name_hangul": "김영옥", "consent": ["un"]},
                    headers={"X-CSRF-Token": token})  # fmt: skip
    assert r.status_code == 201 and r.json()["consent_id"] is not None
