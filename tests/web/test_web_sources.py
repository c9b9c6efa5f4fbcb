"""A testimony's source on the web: its page, its edit as a new version, and who may read or
change the interviewee and the narrative. Synthetic testimonies only."""

from __future__ import annotations

import pytest
from webkit import Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.store import Workspace

NARRATIVE = "브로커 Zqxwang이 국경에서 데려갔다."


def _entered(client: TestClient, clock: Clock, secrets: Secrets) -> dict[str, str]:
    token = sign_in(client, "doc-1", clock, secrets)
    body = {"language": "ko", "name_hangul": "윤정희", "interviewee": "Zqxself",
            "narrative": NARRATIVE}  # fmt: skip
    r = client.post("/api/testimonies", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    out: dict[str, str] = r.json()
    return out


def test_a_documenter_edits_her_source_as_a_new_version(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    t = _entered(client, clock, secrets)
    sid = t["source_id"]
    person_page = client.get(f"/people/{t['person_id']}").text
    assert f'href="/sources/{sid}"' in person_page
    form = client.get(f"/sources/{sid}/edit")
    assert form.status_code == 200 and NARRATIVE in form.text
    r = client.post(f"/sources/{sid}/edit", data={
        "csrf": csrf_of(form.text), "language": "ko", "interviewee": "Zqxself",
        "narrative": NARRATIVE + " 2005년 봄에 팔렸다.", "date_given": "2019년 가을"})  # fmt: skip
    assert r.status_code == 200 and "출처의 새 버전을 저장했습니다" in r.text
    api = client.get(f"/api/sources/{sid}").json()
    assert api["identity"]["narrative"].endswith("2005년 봄에 팔렸다.")
    assert api["attributes"]["date_given"] == "2019-23"  # autumn 2019
    assert [(v["version"], v["author"]) for v in api["history"]] == [(1, "doc-1"), (2, "doc-1")]
    assert api["people"] == [t["person_id"]]
    old, new = workspace.history("source", sid, reveal=True)
    assert old.identity is not None and old.identity["narrative"] == NARRATIVE  # kept
    assert new.identity is not None and new.identity["narrative"] != NARRATIVE
    assert "Zqx" not in str(new.attributes)  # the narrative stays sealed


def test_an_admins_edit_leaves_the_source_to_the_documenter_who_entered_it(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    t = _entered(client, clock, secrets)
    sid = t["source_id"]
    token = sign_in(client, "admin-1", clock, secrets)
    r = client.post(f"/api/sources/{sid}", json={"interviewee": ""},
                    headers={"X-CSRF-Token": token})  # fmt: skip
    assert r.status_code == 200 and r.json()["identity"]["interviewee"] is None
    assert r.json()["identity"]["narrative"] == NARRATIVE  # left out: kept
    sign_in(client, "doc-1", clock, secrets)
    assert client.get(f"/api/sources/{sid}").json()["identity"]["narrative"] == NARRATIVE
    assert client.get(f"/api/people/{t['person_id']}").json()["name"] == "윤정희"  # still hers


@pytest.mark.parametrize("user", ["doc-2", "analyst-1", "coord-1"])
def test_others_see_the_source_sealed_and_cannot_change_it(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace, user: str
) -> None:
    t = _entered(client, clock, secrets)
    sid = t["source_id"]
    token = sign_in(client, user, clock, secrets)
    page = client.get(f"/sources/{sid}")
    assert page.status_code == 200 and "Zqx" not in page.text and "브로커" not in page.text
    api = client.get(f"/api/sources/{sid}").json()
    assert (api["identity"], api["sealed"], api["editable"]) == (None, True, False)
    r = client.post(f"/api/sources/{sid}", json={"narrative": "x"},
                    headers={"X-CSRF-Token": token})  # fmt: skip
    assert r.status_code == 403
    assert len(workspace.history("source", sid)) == 1


def test_a_wrong_language_or_date_names_the_field(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    t = _entered(client, clock, secrets)
    token = client.get("/api/me").json()["csrf_token"]
    h = {"X-CSRF-Token": token}
    r = client.post(f"/api/sources/{t['source_id']}", json={"date_given": "언젠가 어느 날"},
                    headers=h)  # fmt: skip
    assert r.status_code == 400 and r.json()["detail"].startswith("date_given:")
    r = client.post(f"/api/sources/{t['source_id']}", json={"language": "fr"}, headers=h)
    assert r.status_code == 422


def test_a_past_version_reads_as_it_was_written_for_those_who_may_see_it(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    t = _entered(client, clock, secrets)
    sid, pid = t["source_id"], t["person_id"]
    h = {"X-CSRF-Token": client.get("/api/me").json()["csrf_token"]}
    assert client.post(f"/api/sources/{sid}", json={"narrative": "고쳐 쓴 증언"},
                       headers=h).status_code == 200  # fmt: skip
    assert client.post(f"/api/people/{pid}", json={"name_hangul": "윤정숙"},
                       headers=h).status_code == 200  # fmt: skip
    first = client.get(f"/api/sources/{sid}/versions/1").json()
    assert (first["version"], first["latest"], first["author"]) == (1, 2, "doc-1")
    assert first["identity"]["narrative"] == NARRATIVE
    page = client.get(f"/people/{pid}/versions/1")
    assert page.status_code == 200 and "윤정희" in page.text and "윤정숙" not in page.text
    assert f'href="/people/{pid}/versions/2"' in client.get(f"/people/{pid}").text
    assert client.get(f"/api/people/{pid}/versions/3").status_code == 404
    sign_in(client, "analyst-1", clock, secrets)
    sealed = client.get(f"/api/sources/{sid}/versions/1").json()
    assert (sealed["identity"], sealed["sealed"]) == (None, True)
    assert "윤정희" not in client.get(f"/people/{pid}/versions/1").text
