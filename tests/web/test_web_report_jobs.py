"""Reports made in a worker thread, and the disclosure options of ``unseen report`` on the web.

While a report is being made (held at a gate: a threading.Event, no sleeps) other requests,
another documenter's intake and search and the analyst's own pages, complete; the page says it
is being made and reloads itself (a Refresh header, no script), the API answers 202; once the
gate opens the report is shown and downloads. Threshold, rounding and epsilon are checked as
the CLI checks them and reach the report. Synthetic data only."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from webkit import Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.services import intake
from unseen.store import Workspace
from unseen.web.reports import Key

GATE_S = 60.0  # a bound, never reached when the test passes: the gate is opened explicitly


@pytest.fixture
def seeded(workspace: Workspace) -> None:
    with Workspace.open(workspace.path, user="doc-1", passphrase="documenter one words") as doc:
        for year in ("2010", "2012"):
            intake.record_testimony(
                doc, intake.Testimony(language="ko", name_hangul="가상인", violation="FMAR",
                                      event_date=year, consent=("internal",)),
                today=dt.date(2026, 12, 1),
            )  # fmt: skip


@pytest.fixture
def gate(app: FastAPI) -> Iterator[threading.Event]:
    """Every report job waits here before it reads anything; the request does not wait."""
    opened, entered = threading.Event(), threading.Event()
    reports = app.state.unseen.reports

    def hold(key: Key) -> None:
        entered.set()
        opened.wait(GATE_S)

    reports.before_build, reports.wait = hold, 0.0
    opened.entered = entered  # type: ignore[attr-defined]
    yield opened
    opened.set()


def test_other_requests_complete_while_a_report_is_made(
    app: FastAPI, client: TestClient, clock: Clock, secrets: Secrets, seeded: None,
    gate: threading.Event,
) -> None:  # fmt: skip
    sign_in(client, "analyst-1", clock, secrets)
    page = client.get("/estimates")
    assert page.status_code == 202 and page.headers["refresh"] == "2"
    assert 'id="report-job"' in page.text and 'id="estimates"' not in page.text
    assert "<script>" not in page.text and "style=" not in page.text  # the CSP holds
    assert gate.entered.wait(GATE_S)  # type: ignore[attr-defined]
    api = client.get("/api/estimates", params={"scope": "internal", "lang": "ko"})
    assert api.status_code == 202 and api.json()["status"] == "running"
    assert client.get("/api/me").status_code == 200  # her own requests go on too

    doc = TestClient(app)  # another user writes and searches meanwhile (no lifespan: the
    # app's shutdown would end every session)
    token = sign_in(doc, "doc-2", clock, secrets)
    r = doc.post("/api/testimonies", headers={"X-CSRF-Token": token},
                 json={"language": "en", "name_latin": "Gahong Sin", "violation": "TIP",
                       "event_date": "2015"})  # fmt: skip
    assert r.status_code == 201
    found = doc.post("/api/people/search", headers={"X-CSRF-Token": token},
                     json={"name": "Gahong Sin"})  # fmt: skip
    assert found.status_code == 200 and found.json()
    assert not gate.is_set()  # all of that while the report was still held

    # The write dropped the report being made: the next view makes it again, with her.
    gate.set()
    app.state.unseen.reports.wait = GATE_S
    done = client.get("/estimates")
    assert done.status_code == 200 and "refresh" not in done.headers
    assert '<dd id="documented">3</dd>' in done.text  # doc-2's testimony counted
    file = client.get("/reports/download", params={"lang": "en", "format": "html"})
    assert file.status_code == 200 and file.headers["content-disposition"].startswith("attach")


def test_the_disclosure_options_reach_the_report(
    client: TestClient, clock: Clock, secrets: Secrets, seeded: None
) -> None:
    sign_in(client, "coord-1", clock, secrets)
    options = {"threshold": "10", "round": "5", "epsilon": "0.5"}
    api = client.get("/api/estimates", params={"scope": "internal", **options})
    assert api.status_code == 200
    assert api.json()["disclosure"] == {"threshold": 10, "round": 5, "epsilon": 0.5}
    plain = client.get("/api/estimates", params={"scope": "internal"}).json()
    assert plain["disclosure"] == {"threshold": 5, "round": None, "epsilon": None}
    page = client.get("/estimates", params=options).text
    assert 'id="threshold" name="threshold"' in page and 'value="10"' in page
    assert 'name="epsilon" value="0.5"' in page  # "compute again" keeps them
    assert "threshold=10&amp;round=5&amp;epsilon=0.5" in page  # and the downloads
    report = client.get("/reports/download", params={**options, "lang": "en"}).text
    assert "cells of 1 to 9 people are hidden" in report
    r = client.post("/estimates/refresh", data={"csrf": csrf_of(page), **options})
    assert r.status_code == 200 and 'name="threshold" value="10"' in r.text


@pytest.mark.parametrize(
    ("field", "value"),
    [("threshold", "0"), ("round", "1"), ("epsilon", "0"), ("epsilon", "0.0001"),
     ("epsilon", "nan"), ("round", "five"), ("threshold", "100001")],
)  # fmt: skip
def test_options_outside_the_clis_limits_are_refused_by_name(
    client: TestClient, clock: Clock, secrets: Secrets, field: str, value: str
) -> None:
    sign_in(client, "analyst-1", clock, secrets)
    r = client.get("/api/estimates", params={field: value})
    assert r.status_code in (400, 422)
    detail = r.json()["detail"]
    assert field in (detail if isinstance(detail, str) else str(detail[0]["loc"]))
    page = client.get("/estimates", params={field: value})
    assert page.status_code == 422 and field in page.text
