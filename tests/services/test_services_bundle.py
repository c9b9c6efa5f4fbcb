"""Sealed bundles: field laptop to headquarters, with history and evidence, verified."""

from __future__ import annotations

from pathlib import Path

import pytest
from svckit import person_rows, write_csv

from unseen.crypto import KdfParams
from unseen.errors import IntegrityError, PermissionDenied
from unseen.services import bundle
from unseen.services.ingest import import_person_list
from unseen.services.search import SearchQuery, find_people
from unseen.store import Role, Workspace


def _field_work(ws: Workspace, tmp_path: Path) -> str:
    import_person_list(ws, write_csv(tmp_path / "field.csv", person_rows(12)))
    person = ws.query("person", source_record_id="R000006")[0]
    full = ws.get("person", person.record_id, reveal=True)
    ws.put("person", {**full.attributes, "sex": "X"}, full.identity, record_id=person.record_id)
    ws.add_evidence(b"%PDF-1.7 synthetic scan", media_type="application/pdf", filename="scan.pdf")
    return person.record_id


def test_round_trip_keeps_records_history_and_evidence(
    ws: Workspace, hq: Workspace, tmp_path: Path
) -> None:
    edited = _field_work(ws, tmp_path)
    key = bundle.recipient_key(hq)
    key.write(tmp_path / "hq.pub")
    out = tmp_path / "field.unseen"
    sent = bundle.export_bundle(ws, bundle.RecipientKey.read(tmp_path / "hq.pub"), out)
    got = bundle.import_bundle(hq, out, sender_fingerprint=ws.verify_key.fingerprint())
    assert got.records == sent.records == got.new_records
    assert got.evidence == 1 and got.sender_workspace == ws.workspace_id
    history = hq.history("person", edited, reveal=True)
    assert [v.version for v in history] == [1, 2]
    assert [v.attributes["sex"] for v in history] == ["F", "X"]
    assert history[0].identity == ws.get("person", edited, version=1, reveal=True).identity
    assert history[0].created_at == ws.get("person", edited, version=1).created_at
    (item,) = list(hq.iter_evidence())
    assert hq.read_evidence(item.address) == b"%PDF-1.7 synthetic scan"
    # The blind index is rebuilt at headquarters: names are searchable there.
    assert find_people(hq, SearchQuery(name="리영옥"))
    assert hq.verify().ok
    # Importing the same bundle again adds nothing.
    assert bundle.import_bundle(hq, out).new_records == 0


def test_bundle_holds_no_plaintext(ws: Workspace, hq: Workspace, tmp_path: Path) -> None:
    _field_work(ws, tmp_path)
    out = tmp_path / "b.unseen"
    bundle.export_bundle(ws, bundle.recipient_key(hq), out)
    data = out.read_bytes()
    for needle in ("리영옥", "Yong-ok", "R000006", "scan.pdf", "synthetic scan"):
        assert needle.encode() not in data


def test_any_flipped_byte_is_refused(ws: Workspace, hq: Workspace, tmp_path: Path) -> None:
    _field_work(ws, tmp_path)
    out = tmp_path / "b.unseen"
    bundle.export_bundle(ws, bundle.recipient_key(hq), out)
    data = out.read_bytes()
    before = hq.count("person")
    for offset in (len(bundle.MAGIC) + 2, len(bundle.MAGIC) + 600, len(data) // 2, len(data) - 1):
        bad = bytearray(data)
        bad[offset] ^= 0x01
        (tmp_path / "bad.unseen").write_bytes(bytes(bad))
        with pytest.raises(IntegrityError):
            bundle.import_bundle(hq, tmp_path / "bad.unseen")
    (tmp_path / "cut.unseen").write_bytes(data[: len(data) - 100])
    with pytest.raises(IntegrityError):
        bundle.import_bundle(hq, tmp_path / "cut.unseen")
    assert hq.count("person") == before == 0


def test_wrong_recipient_and_wrong_sender(ws: Workspace, hq: Workspace, tmp_path: Path) -> None:
    _field_work(ws, tmp_path)
    with Workspace.create(
        tmp_path / "other", user="o", passphrase="other words here", kdf=KdfParams.fast_for_tests()
    ) as other:
        bundle.recipient_key(other)
        out = tmp_path / "b.unseen"
        bundle.export_bundle(ws, bundle.recipient_key(hq), out)
        with pytest.raises(IntegrityError):
            bundle.import_bundle(other, out)
    with pytest.raises(IntegrityError, match="signed by"):
        bundle.import_bundle(hq, out, sender_fingerprint="0000-0000-0000-0000")
    assert hq.count("person") == 0


def test_analyst_cannot_export_a_bundle(ws: Workspace, hq: Workspace, tmp_path: Path) -> None:
    ws.add_user("analyst-2", "analyst two words", Role.ANALYST)
    with Workspace.open(ws.path, user="analyst-2", passphrase="analyst two words") as analyst:
        with pytest.raises(PermissionDenied):
            bundle.export_bundle(analyst, bundle.recipient_key(hq), tmp_path / "x.unseen")
    assert not (tmp_path / "x.unseen").exists()
