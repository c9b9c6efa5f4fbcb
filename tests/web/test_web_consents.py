"""Consent beyond the intake form, through the person page and the API: a new consent after a
withdrawal puts her back in the next public report, a child's consent counts for the child,
a new consent ends the one in force (the newest is what counts), a signed form is stored as
an evidence file (metadata removed, encrypted, hashed) and tied to the consent; everyone else
is refused and nothing is written. Real workspace, real crypto; synthetic people only."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import Image
from webkit import Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.store import Workspace

GPS_IFD = 0x8825


def _testimony(client: TestClient, token: str, **extra: object) -> dict[str, str]:
    body = {"language": "ko", "name_hangul": "한미옥", "violation": "FMAR", "event_date": "2004",
            "event_place": "연길", **extra}  # fmt: skip
    r = client.post("/api/testimonies", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text
    out: dict[str, str] = r.json()
    return out


def _signed_form_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"
    exif.get_ifd(GPS_IFD)[2] = (42.0, 53.0, 0.0)  # GPSLatitude
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (250, 250, 240)).save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def _public(client: TestClient, clock: Clock, secrets: Secrets) -> tuple[int, int]:
    sign_in(client, "analyst-1", clock, secrets)
    r = client.get("/api/estimates", params={"scope": "public"}).json()
    return r["people_in_scope"], r["left_out_by_consent"]


def test_a_new_consent_after_a_withdrawal_puts_her_back_in_the_public_report(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token, consent=["internal", "public"])
    r = client.post(f"/api/consents/{t['consent_id']}/withdraw", headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    assert _public(client, clock, secrets) == (0, 1)
    sign_in(client, "doc-1", clock, secrets)
    page = client.get(f"/people/{t['person_id']}").text
    assert 'id="consent-form"' in page and "새 동의 기록" in page
    jpeg = _signed_form_jpeg()
    r = client.post(f"/people/{t['person_id']}/consents",
                    data={"csrf": csrf_of(page), "consent": ["public", "internal"]},
                    files={"file": ("signed-consent.jpg", jpeg, "image/jpeg")})  # fmt: skip
    assert r.status_code == 200 and "동의를 기록했습니다" in r.text, r.text
    new = [c for c in workspace.query("consent", person_id=t["person_id"])
           if c.record_id != t["consent_id"]]  # fmt: skip
    assert len(new) == 1
    a = new[0].attributes
    assert (a["scopes"], a["given"], a["withdrawn"]) == (
        ["internal", "public"], dt.date.today().isoformat(), None)  # fmt: skip
    assert new[0].author == "doc-1" and a["recorded_by"] == "doc-1"
    # the signed form: an evidence record of her source, stored without EXIF, encrypted
    ev = workspace.get("evidence", a["evidence_id"])
    assert ev.attributes["source_id"] == t["source_id"]
    stored = workspace.read_evidence(ev.attributes["address"])
    assert ev.attributes["sha256"] == hashlib.sha256(stored).hexdigest()
    assert not Image.open(io.BytesIO(stored)).getexif() and len(stored) < len(jpeg)
    assert "signed-consent" not in str(ev.attributes)
    assert not any(jpeg[-64:] in f.read_bytes() for f in workspace.path.rglob("*") if f.is_file())
    assert 'class="consent-form-link"' in r.text  # her page links the form
    assert _public(client, clock, secrets) == (1, 0)


def test_a_childs_consent_counts_for_the_child(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    h = {"X-CSRF-Token": token}
    t = _testimony(client, token, consent=["internal"])
    r = client.post(f"/api/people/{t['person_id']}/relationships", headers=h,
                    json={"kind": "mother_of", "name_hangul": "한별"})  # fmt: skip
    assert r.status_code == 201, r.text
    child = r.json()["other_id"]
    assert _public(client, clock, secrets) == (0, 2)
    token = sign_in(client, "doc-1", clock, secrets)
    r = client.post(f"/api/people/{child}/consents", headers={"X-CSRF-Token": token},
                    json={"scopes": ["public"]})  # fmt: skip
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["superseded"] == [] and out["evidence_id"] is None
    rec = workspace.get("consent", out["consent_id"])
    assert rec.attributes["person_id"] == child and rec.attributes["source_id"] == t["source_id"]
    assert _public(client, clock, secrets) == (1, 1)  # the child counts, her mother does not
    parts = client.get(f"/api/people/{child}/testimony").json()
    assert [c["record_id"] for c in parts["consents"]] == [out["consent_id"]]


def test_the_newest_consent_in_force_is_what_counts(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token, consent=["internal", "public"])
    assert _public(client, clock, secrets) == (1, 0)
    token = sign_in(client, "doc-1", clock, secrets)
    r = client.post(f"/api/people/{t['person_id']}/consents", headers={"X-CSRF-Token": token},
                    json={"scopes": ["internal", "partner"],
                          "partners": ["Shelter North"]})  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["superseded"] == [t["consent_id"]]
    history = workspace.history("consent", t["consent_id"])
    assert [v.attributes["withdrawn"] for v in history] == [None, dt.date.today().isoformat()]
    assert history[-1].author == "doc-1"
    assert _public(client, clock, secrets) == (0, 1)  # narrowed at once
    r = client.get("/api/estimates", params={"scope": "partner", "partner": "Shelter North"})
    assert r.json()["people_in_scope"] == 1


def test_the_page_form_without_a_file_records_the_day_given(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token)  # no consent at intake
    page = client.get(f"/people/{t['person_id']}").text
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    # a browser sends an empty file part when no file was chosen
    r = client.post(f"/people/{t['person_id']}/consents",
                    data={"csrf": csrf_of(page), "consent": ["un"], "given": day},
                    files={"file": ("", b"", "application/octet-stream")})  # fmt: skip
    assert r.status_code == 200 and "동의를 기록했습니다" in r.text, r.text
    (rec,) = workspace.query("consent", person_id=t["person_id"])
    assert (rec.attributes["scopes"], rec.attributes["given"]) == (["un"], day)
    assert rec.attributes["evidence_id"] is None and workspace.count("evidence") == 0
    assert 'class="inline attach-form"' in r.text  # the form can come later
    client.post("/lang", data={"csrf": csrf_of(r.text), "lang": "en", "back": "/"})
    assert "Record a new consent" in client.get(f"/people/{t['person_id']}").text


def test_a_form_attached_to_a_recorded_consent(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    h = {"X-CSRF-Token": token}
    t = _testimony(client, token, consent=["internal"])
    pdf = b"%PDF-1.4\n% synthetic signed consent\n"
    files = {"file": ("form.pdf", pdf, "application/pdf")}
    r = client.post(f"/api/consents/{t['consent_id']}/evidence", headers=h, files=files)
    assert r.status_code == 400 and "keep metadata" in r.json()["detail"]
    assert (
        workspace.count("evidence") == 0 and len(workspace.history("consent", t["consent_id"])) == 1
    )
    r = client.post(f"/api/consents/{t['consent_id']}/evidence", headers=h, files=files,
                    data={"keep_metadata": "true"})  # fmt: skip
    assert r.status_code == 201, r.text
    evidence_id = r.json()["evidence_id"]
    versions = workspace.history("consent", t["consent_id"])
    assert [v.attributes["evidence_id"] for v in versions] == [None, evidence_id]
    assert versions[-1].author == "doc-1"
    ev = workspace.get("evidence", evidence_id).attributes
    assert ev["sha256"] == hashlib.sha256(pdf).hexdigest() and ev["source_id"] == t["source_id"]
    r = client.post(f"/api/consents/{t['consent_id']}/evidence", headers=h, files=files,
                    data={"keep_metadata": "true"})  # fmt: skip
    assert r.status_code == 400 and "already has its form" in r.json()["detail"]
    assert workspace.count("evidence") == 1
    # the person page's form does the same, and the file reads back for her documenter
    assert client.get(f"/evidence/{evidence_id}").content == pdf


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"scopes": []}, "scopes: tick at least one"),
        ({"scopes": ["everyone"]}, "scopes: each one of"),
        ({"scopes": ["partner"]}, "partners: the partner scope needs"),
        ({"scopes": ["un"], "partners": ["Shelter North"]}, "partners: the partner scope needs"),
        ({"scopes": ["un"], "given": "2999-01-01"}, "given: not after today"),
        ({"scopes": ["un"], "given": "spring"}, "given: write the day as YYYY-MM-DD"),
    ],
)
def test_refused_input_names_the_field_and_writes_nothing(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace,
    body: dict[str, object], message: str,
) -> None:  # fmt: skip
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token, consent=["internal"])
    r = client.post(f"/api/people/{t['person_id']}/consents", headers={"X-CSRF-Token": token},
                    json=body)  # fmt: skip
    assert r.status_code == 400 and message in r.json()["detail"], r.text
    assert workspace.count("consent") == 1
    assert len(workspace.history("consent", t["consent_id"])) == 1


@pytest.mark.parametrize("user", ["doc-2", "rev-1", "analyst-1", "coord-1"])
def test_only_those_who_may_edit_her_source_record_consent(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace, user: str
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token, consent=["internal"])
    token = sign_in(client, user, clock, secrets)
    h = {"X-CSRF-Token": token}
    r = client.post(f"/api/people/{t['person_id']}/consents", headers=h,
                    json={"scopes": ["public"]})  # fmt: skip
    assert r.status_code == 403
    files = {"file": ("form.jpg", _signed_form_jpeg(), "image/jpeg")}
    assert client.post(f"/api/consents/{t['consent_id']}/evidence", headers=h,
                       files=files).status_code == 403  # fmt: skip
    r = client.post(f"/people/{t['person_id']}/consents",
                    data={"csrf": token, "consent": ["public"]})  # fmt: skip
    assert r.status_code == 403
    page = client.get(f"/people/{t['person_id']}").text
    assert 'id="consent-form"' not in page and 'class="inline attach-form"' not in page
    assert workspace.count("consent") == 1 and workspace.count("evidence") == 0
    assert len(workspace.history("consent", t["consent_id"])) == 1
