"""The estimates page and report downloads: the report's numbers and charts, the scopes each role
may make, the consent gate, attachments under the app's own CSP, and the person page's linked
records (names only where the role may see them). Synthetic data only."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from webkit import (
    CANARY_HANGUL,
    OBSERVED,
    Clock,
    Secrets,
    TestClient,
    csrf_of,
    seed_linkage_run,
    seed_review_pair,
    sign_in,
)

from unseen.services import intake
from unseen.store import Workspace
from unseen.web.security import CONTENT_SECURITY_POLICY

DOWNLOAD = "/reports/download"


@pytest.fixture
def linked(workspace: Workspace, tmp_path: Path) -> dict[str, str]:
    """The canary list (two records of one woman), a testimony of doc-1 with consent for the
    public, and a linkage run that puts the two list records in one cluster."""
    seed_review_pair(workspace, tmp_path)
    left, right = (r.record_id for r in workspace.iter_current("person"))
    with Workspace.open(workspace.path, user="doc-1", passphrase="documenter one words") as doc:
        mine = intake.record_testimony(
            doc, intake.Testimony(language="ko", name_hangul="새사람", violation="FMAR",
                                  event_date="2012", consent=("internal", "public")),
            today=dt.date(2026, 12, 1),
        )  # fmt: skip
    seed_linkage_run(workspace, {left: "c1", right: "c1", mine.person_id: "c2"})
    return {"left": left, "right": right, "mine": mine.person_id}


def test_the_estimates_page_shows_the_reports_estimate_and_charts(
    client: TestClient, clock: Clock, secrets: Secrets, linked: dict[str, str]
) -> None:
    sign_in(client, "analyst-1", clock, secrets)
    page = client.get("/estimates")
    assert page.status_code == 200
    api = client.get("/api/estimates", params={"scope": "internal"}).json()
    (total,) = api["estimates"]
    assert total["method"] == "loglinear" and total["observed"] == OBSERVED
    assert total["lower"] <= total["estimate"] <= total["upper"] and total["estimate"] > OBSERVED
    # Page and API show one report (kept): the same estimate, to the person.
    assert f'<td class="estimate">{round(total["estimate"]):,}</td>' in page.text
    assert api["people_in_scope"] == 2  # the two list records count once (one cluster)
    charts = re.findall(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page.text)
    assert len(charts) == 3  # estimates, share undocumented, likelihood of N
    assert "<style" not in page.text and "style=" not in page.text  # the CSP holds


def test_a_report_downloads_as_an_attachment_under_the_apps_csp(
    client: TestClient, clock: Clock, secrets: Secrets, linked: dict[str, str]
) -> None:
    sign_in(client, "coord-1", clock, secrets)
    r = client.get(DOWNLOAD, params={"scope": "public", "lang": "en", "format": "html"})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    today = dt.date.today().isoformat()
    assert r.headers["content-disposition"] == (
        f'attachment; filename="unseen-report-public-en-{today}.html"'
    )
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert r.text.lstrip().lower().startswith("<!doctype html")
    # The consent gate: only doc-1's consenting woman counts in public; the list is left out.
    api = client.get("/api/estimates", params={"scope": "public"}).json()
    assert (api["people_in_scope"], api["left_out_by_consent"]) == (1, 1)
    assert api["estimates"] == [] and "cluster" in api["why"]
    pdf = client.get(DOWNLOAD, params={"scope": "internal", "lang": "ko", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")


@pytest.mark.parametrize("user", ["doc-1", "rev-1"])
def test_documenters_and_reviewers_get_the_internal_report_only(
    client: TestClient, clock: Clock, secrets: Secrets, linked: dict[str, str], user: str
) -> None:
    sign_in(client, user, clock, secrets)
    assert client.get("/estimates").status_code == 200
    for scope in ("partner", "un", "public"):
        params = {"scope": scope, "partner": "Shelter North"}
        assert client.get("/estimates", params=params).status_code == 403
        assert client.get(DOWNLOAD, params=params).status_code == 403
        assert client.get("/api/estimates", params=params).status_code == 403
    page = client.get("/estimates").text
    assert 'value="public"' not in page and 'value="internal"' in page  # offered: internal


def test_wrong_scopes_are_refused_with_what_to_write(
    client: TestClient, clock: Clock, secrets: Secrets, linked: dict[str, str]
) -> None:
    sign_in(client, "analyst-1", clock, secrets)
    r = client.get("/estimates", params={"scope": "everyone"})
    assert r.status_code == 422 and "internal, partner, un, public" in r.text
    r = client.get("/api/estimates", params={"scope": "partner"})  # no partner named
    assert r.status_code == 400 and "partner" in r.json()["detail"]
    assert client.get(DOWNLOAD, params={"format": "docx"}).status_code == 422


def test_a_report_is_kept_until_computed_again(
    client: TestClient, clock: Clock, secrets: Secrets, linked: dict[str, str]
) -> None:
    sign_in(client, "analyst-1", clock, secrets)
    made = re.compile(r"<dd>(\d{4}-\d\d-\d\d \d\d:\d\d)</dd>")
    first = made.findall(client.get("/estimates").text)
    clock.advance(120)
    assert made.findall(client.get("/estimates").text) == first  # kept
    page = client.get("/estimates").text
    assert client.post("/estimates/refresh", data={"scope": "internal"}).status_code == 403
    r = client.post("/estimates/refresh", data={"csrf": csrf_of(page), "scope": "internal"})
    assert r.status_code == 200 and made.findall(r.text) != first  # made again, now
    clock.advance(301)  # older than the cache keeps
    assert made.findall(client.get("/estimates").text) != made.findall(r.text)


def test_a_search_or_a_language_switch_keeps_the_report_a_write_drops_it(
    client: TestClient, clock: Clock, secrets: Secrets, linked: dict[str, str]
) -> None:
    token = sign_in(client, "admin-1", clock, secrets)
    made = re.compile(r"<dd>(\d{4}-\d\d-\d\d \d\d:\d\d)</dd>")
    assert client.post("/lang", data={"csrf": token, "lang": "en"}).status_code < 400
    first = made.findall(client.get("/estimates").text)  # the English report
    clock.advance(90)
    page = client.get("/search").text
    assert client.post("/search", data={"csrf": csrf_of(page), "name": "Kim"}).status_code == 200
    assert client.post("/lang", data={"csrf": token, "lang": "en"}).status_code < 400
    assert made.findall(client.get("/estimates").text) == first  # kept
    r = client.post(f"/api/people/{linked['left']}", headers={"X-CSRF-Token": token},
                    json={"sex": "F"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert made.findall(client.get("/estimates").text) != first  # a write: made again


def test_the_person_page_lists_her_linked_records_with_names_only_where_allowed(
    client: TestClient, clock: Clock, secrets: Secrets, linked: dict[str, str]
) -> None:
    sign_in(client, "rev-1", clock, secrets)
    page = client.get(f"/people/{linked['left']}").text
    assert 'id="linked"' in page and f"/people/{linked['right']}" in page
    assert page.count(CANARY_HANGUL) >= 2  # hers and the linked record's
    (other,) = client.get(f"/api/people/{linked['left']}").json()["linked"]
    assert (other["record_id"], other["name"], other["sealed"]) == (
        linked["right"], CANARY_HANGUL, False,
    )  # fmt: skip
    assert other["list_name"] == "NGO list" and other["birth_years"] == [1981, 1981]
    assert client.get(f"/api/people/{linked['mine']}").json()["linked"] == []  # alone

    for user in ("analyst-1", "doc-2"):  # no identity key; not her source
        sign_in(client, user, clock, secrets)
        page = client.get(f"/people/{linked['left']}").text
        assert f"/people/{linked['right']}" in page and CANARY_HANGUL not in page
        (other,) = client.get(f"/api/people/{linked['left']}").json()["linked"]
        assert other["name"] is None and other["sealed"] is True
