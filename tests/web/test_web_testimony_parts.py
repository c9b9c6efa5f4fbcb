"""Adding to a recorded testimony through the pages and the API: acts in one event with their
perpetrators, mother and child, buyer and broker, consent withdrawn (and the next report leaves
her out), evidence files with their metadata removed. Synthetic people only."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image, PngImagePlugin
from webkit import Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.errors import InputError
from unseen.services.metadata_strip import strip_metadata
from unseen.store import Workspace

GPS_IFD = 0x8825


def _testimony(client: TestClient, token: str, **extra: object) -> dict[str, str]:
    body = {"language": "ko", "name_hangul": "한미옥", "violation": "FMAR", "event_date": "2004",
            "event_place": "연길", **extra}  # fmt: skip
    r = client.post("/api/testimonies", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text
    out: dict[str, str] = r.json()
    return out


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2019:03:01 10:00:00"  # DateTime
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (42.0, 54.0, 0.0), 3: "E", 4: (129.0, 30.0, 0.0)})
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(buf, "JPEG", exif=exif, comment=b"owner")
    return buf.getvalue()


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "PhoneOwner")
    info.add_itxt("Location", "Yanji 42.9N")
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 90, 200)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def test_jpeg_and_png_lose_their_metadata_and_keep_their_pixels() -> None:
    jpeg = _jpeg_with_gps()
    assert Image.open(io.BytesIO(jpeg)).getexif().get_ifd(GPS_IFD)  # the position is there
    clean = strip_metadata(jpeg, "image/jpeg")
    image = Image.open(io.BytesIO(clean))
    assert not image.getexif() and b"PhoneMaker" not in clean and b"owner" not in clean
    assert image.size == (32, 24)
    assert image.tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()  # not re-encoded
    png = strip_metadata(_png_with_text(), "image/png")
    shown = Image.open(io.BytesIO(png))
    assert shown.text == {} and b"PhoneOwner" not in png and shown.size == (16, 16)
    with pytest.raises(InputError, match="keep metadata"):
        strip_metadata(b"%PDF-1.4 ...", "application/pdf")
    with pytest.raises(InputError, match="not a JPEG"):
        strip_metadata(b"GIF89a", "image/jpeg")


def test_acts_relationships_and_perpetrators_join_her_testimony(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    h = {"X-CSRF-Token": token}
    t = _testimony(client, token)
    pid = t["person_id"]
    r = client.post(f"/api/people/{pid}/acts", headers=h, json={
        "violation": "TIP", "event_id": t["event_id"], "perpetrator_type": "BROKER-CN",
        "perpetrator_name": "Zqxbroker Wang", "perpetrator_role": "direct"})  # fmt: skip
    assert r.status_code == 201, r.text
    act = r.json()
    assert act["event_id"] == t["event_id"]  # a second act of the same event
    later = {"violation": "REFOUL", "date": "2008년 겨울", "place": "도문"}
    r = client.post(f"/api/people/{pid}/acts", headers=h, json=later)
    assert r.status_code == 201 and r.json()["event_id"] != t["event_id"]
    child = client.post(f"/api/people/{pid}/relationships", headers=h,
                        json={"kind": "mother_of", "name_hangul": "한아이"}).json()  # fmt: skip
    buyer = client.post(f"/api/people/{pid}/relationships", headers=h,
                        json={"kind": "sold_to", "name_latin": "Zqxbuyer Li"}).json()  # fmt: skip
    assert (child["other_kind"], buyer["other_kind"]) == ("person", "perpetrator")

    rel = {r.attributes["relationship_type"]: r.attributes
           for r in workspace.iter_current("relationship")}  # fmt: skip
    assert (rel["mother_of"]["person_id"], rel["mother_of"]["other_id"]) == (pid, child["other_id"])
    assert (rel["sold_to"]["person_id"], rel["sold_to"]["other_id"]) == (pid, buyer["other_id"])
    perpetrators = {p.record_id: p for p in workspace.iter_current("perpetrator")}
    assert perpetrators[buyer["other_id"]].attributes["perpetrator_type"] == "BUYER-HUSBAND"
    (inv,) = list(workspace.iter_current("involvement"))
    assert (inv.attributes["act_id"], inv.attributes["perpetrator_id"]) == (
        act["act_id"], act["perpetrator_id"])  # fmt: skip
    # names are sealed: never in the attributes, only in the identity (for roles with the key)
    assert all("Zqx" not in str(p.attributes) for p in perpetrators.values())
    named = workspace.get("perpetrator", act["perpetrator_id"], reveal=True).identity
    assert named is not None and named["name"] == "Zqxbroker Wang"
    assert workspace.get("person", child["other_id"]).attributes["source_id"] == t["source_id"]

    page = client.get(f"/people/{pid}").text
    assert 'id="relationships"' in page and f"/people/{child['other_id']}" in page
    assert "Zqx" not in page  # perpetrator names are not shown on her page
    acts = {a["violation"]: a for a in client.get(f"/api/people/{pid}").json()["acts"]}
    assert sorted(acts) == ["FMAR", "REFOUL", "TIP"]
    assert acts["TIP"]["date"] == acts["FMAR"]["date"] == "2004"  # the event's date
    assert acts["TIP"]["place_id"] == acts["FMAR"]["place_id"] == "CN-222401"
    assert acts["REFOUL"]["date"] == "2008-24"  # winter 2008
    kinds = {r["kind"] for r in client.get(f"/api/people/{pid}/testimony").json()["relationships"]}
    assert kinds == {"mother_of", "sold_to"}
    # the child's page reads the tie from her side
    theirs = client.get(f"/api/people/{child['other_id']}/testimony").json()["relationships"]
    assert [r["kind"] for r in theirs] == ["child_of"]


def test_the_add_page_writes_through_forms(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    pid = _testimony(client, token)["person_id"]
    page = client.get(f"/people/{pid}/add")
    assert page.status_code == 200 and 'id="evidence-form"' in page.text
    csrf = csrf_of(page.text)
    r = client.post(
        f"/people/{pid}/relationships",
        data={"csrf": csrf, "kind": "brokered_by", "perpetrator_type": "BROKER-KP"},
    )
    assert r.status_code == 200 and str(r.url).endswith(f"/people/{pid}")
    (broker,) = list(workspace.iter_current("perpetrator"))
    (rel,) = list(workspace.iter_current("relationship"))
    assert broker.attributes["perpetrator_type"] == "BROKER-KP" and not broker.has_identity
    assert (rel.attributes["person_id"], rel.attributes["other_id"]) == (broker.record_id, pid)
    r = client.post(f"/people/{pid}/acts", data={"csrf": csrf, "violation": "NOPE"})
    assert r.status_code == 422 and "violation" in r.text
    r = client.post(
        f"/people/{pid}/evidence", data={"csrf": csrf, "description": "사진"},
        files={"file": ("photo.jpg", _jpeg_with_gps(), "image/jpeg")},
    )  # fmt: skip
    assert r.status_code == 200 and "증거 파일을 저장했습니다" in r.text


@pytest.mark.parametrize("user", ["doc-2", "analyst-1"])
def test_only_those_who_may_see_her_add_to_her_testimony(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace, user: str
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token, consent=["internal"])
    token = sign_in(client, user, clock, secrets)
    h, pid = {"X-CSRF-Token": token}, t["person_id"]
    assert client.post(f"/api/people/{pid}/acts", headers=h,
                       json={"violation": "TIP"}).status_code == 403  # fmt: skip
    assert client.post(f"/api/people/{pid}/relationships", headers=h,
                       json={"kind": "sold_to"}).status_code == 403  # fmt: skip
    assert client.post(f"/api/consents/{t['consent_id']}/withdraw", headers=h).status_code == 403
    files = {"file": ("a.png", _png_with_text(), "image/png")}
    assert client.post(f"/api/people/{pid}/evidence", headers=h, files=files).status_code == 403
    assert client.get(f"/people/{pid}/add").status_code == 403
    assert workspace.count("act") == 1 and workspace.count("evidence") == 0
    assert workspace.get("consent", t["consent_id"]).attributes["withdrawn"] is None


def test_a_withdrawn_consent_leaves_her_out_of_the_next_report(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token, consent=["internal", "public"])
    public = client.get("/api/estimates", params={"scope": "internal"}).json()
    assert public["people_in_scope"] == 1
    sign_in(client, "analyst-1", clock, secrets)
    before = client.get("/api/estimates", params={"scope": "public"}).json()
    assert (before["people_in_scope"], before["left_out_by_consent"]) == (1, 0)
    token = sign_in(client, "doc-1", clock, secrets)
    page = client.get(f"/people/{t['person_id']}").text
    assert 'class="withdraw"' in page
    r = client.post(f"/consents/{t['consent_id']}/withdraw", data={"csrf": csrf_of(page)})
    assert r.status_code == 200 and "동의 철회를 기록했습니다" in r.text
    assert 'class="withdraw"' not in r.text
    again = client.post(f"/api/consents/{t['consent_id']}/withdraw",
                        headers={"X-CSRF-Token": csrf_of(r.text)})  # fmt: skip
    assert again.status_code == 400 and "already withdrawn" in again.json()["detail"]
    history = workspace.history("consent", t["consent_id"])
    assert [v.attributes["withdrawn"] is None for v in history] == [True, False]
    assert history[-1].author == "doc-1"
    sign_in(client, "analyst-1", clock, secrets)  # within the cache's minutes: made again
    after = client.get("/api/estimates", params={"scope": "public"}).json()
    assert (after["people_in_scope"], after["left_out_by_consent"]) == (0, 1)


def test_evidence_is_stored_clean_encrypted_and_hashed(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    h = {"X-CSRF-Token": token}
    t = _testimony(client, token)
    pid, jpeg = t["person_id"], _jpeg_with_gps()
    r = client.post(f"/api/people/{pid}/evidence", headers=h,
                    files={"file": ("IMG_0001.jpg", jpeg, "image/jpeg")},
                    data={"description": "국경 사진"})  # fmt: skip
    assert r.status_code == 201, r.text
    out = r.json()
    address = workspace.get("evidence", out["record_id"]).attributes["address"]
    stored = workspace.read_evidence(address)
    assert out["metadata_removed"] and out["sha256"] == hashlib.sha256(stored).hexdigest()
    assert not Image.open(io.BytesIO(stored)).getexif() and out["size"] == len(stored) < len(jpeg)
    rec = workspace.get("evidence", out["record_id"])
    assert "IMG_0001" not in str(rec.attributes) and rec.attributes["source_id"] == t["source_id"]
    pdf = b"%PDF-1.4\n% synthetic\n"
    r = client.post(f"/api/people/{pid}/evidence", headers=h,
                    files={"file": ("statement.pdf", pdf, "application/pdf")})  # fmt: skip
    assert r.status_code == 400 and "keep metadata" in r.json()["detail"]
    r = client.post(f"/api/people/{pid}/evidence", headers=h, data={"keep_metadata": "true"},
                    files={"file": ("statement.pdf", pdf, "application/pdf")})  # fmt: skip
    assert r.status_code == 201 and r.json()["metadata_removed"] is False
    assert r.json()["sha256"] == hashlib.sha256(pdf).hexdigest()  # kept as it is, on purpose
    listed = client.get(f"/api/people/{pid}/testimony").json()["evidence"]
    assert sorted(e["media_type"] for e in listed) == ["application/pdf", "image/jpeg"]
    # no file on disk holds the photo's bytes in clear
    tail = jpeg[-64:]
    assert not any(tail in f.read_bytes() for f in workspace.path.rglob("*") if f.is_file())


def test_an_evidence_file_is_read_back_only_by_those_who_may_see_her(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    t = _testimony(client, token)
    r = client.post(f"/api/people/{t['person_id']}/evidence", headers={"X-CSRF-Token": token},
                    files={"file": ("사진.png", _png_with_text(), "image/png")})  # fmt: skip
    out = r.json()
    got = client.get(f"/evidence/{out['record_id']}")
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == out["sha256"]
    assert got.headers["content-type"] == "application/octet-stream"  # never shown inline
    assert got.headers["content-disposition"] == (
        f'attachment; filename="evidence-{out["sha256"][:16]}"'
    )  # the original (sealed) name is not in a header
    assert 'class="evidence-link"' in client.get(f"/people/{t['person_id']}").text
    with workspace._c.db.read() as conn:  # test-only look at the audit trail
        actors = [row[0] for row in conn.exec_driver_sql(
            "SELECT actor FROM audit_log WHERE action = 'read_evidence'").all()]  # fmt: skip
    assert actors == ["doc-1"]
    for user, status in (("doc-2", 403), ("analyst-1", 403), ("rev-1", 200)):
        sign_in(client, user, clock, secrets)
        assert client.get(f"/evidence/{out['record_id']}").status_code == status, user
