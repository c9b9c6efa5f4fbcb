"""Replication for bundles: every version out, foreign versions in with their ids and times."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from storekit import ANALYST, ANALYST_PW, table_counts

from unseen.crypto import KdfParams
from unseen.errors import InputError, PermissionDenied, RecordConflict
from unseen.store import StoredRecord, Workspace


@pytest.fixture
def hq(tmp_path: Path, fast_kdf: KdfParams) -> Workspace:
    ws = Workspace.create(
        tmp_path / "hq", user="hq-admin", passphrase="hq passphrase", kdf=fast_kdf
    )
    yield ws  # type: ignore[misc]
    ws.close()


def _essence(r: StoredRecord) -> tuple[object, ...]:
    return (r.version, r.attributes, r.identity, r.created_at, r.author, r.deleted)


def _field_work(ws: Workspace) -> None:
    ws.put("person", {"sex": "F"}, {"given_name": "옥순"}, record_id="p1", name_tokens=["oksun"])
    ws.put("person", {"sex": "F", "year": 1990}, {"given_name": "옥순"}, record_id="p1")
    ws.put("person", {"sex": "M"}, record_id="p2")
    ws.delete("person", "p2")
    ws.put("event", {"violation": "detention"}, record_id="e1")


def test_iter_all_versions_oldest_first(ws: Workspace) -> None:
    _field_work(ws)
    versions = list(ws.iter_all_versions(reveal=True))
    assert [(r.record_id, r.version) for r in versions] == [
        ("p1", 1),
        ("p1", 2),
        ("p2", 1),
        ("p2", 2),
        ("e1", 1),
    ]
    assert [r.created_at for r in versions] == sorted(r.created_at for r in versions)
    assert versions[0].identity == {"given_name": "옥순"} and versions[3].deleted
    assert all(r.identity is None for r in ws.iter_all_versions(reveal=False))


def test_replicas_keep_ids_versions_times_authors(ws: Workspace, hq: Workspace) -> None:
    _field_work(ws)
    with hq.transaction():
        for rec in ws.iter_all_versions(reveal=True):
            tokens = ["oksun"] if rec.identity else ()
            ref = hq.put_replica(rec, origin_workspace=ws.workspace_id, name_tokens=tokens)
            assert ref == rec.ref
    for kind, rid in (("person", "p1"), ("person", "p2"), ("event", "e1")):
        mine = ws.history(kind, rid, reveal=True)
        theirs = hq.history(kind, rid, reveal=True)
        assert [_essence(r) for r in theirs] == [_essence(r) for r in mine]
    assert hq.count("person") == 1 and hq.find_by_name_tokens(["oksun"])[0].version == 2
    report = hq.verify()
    assert report.ok and report.records == 5
    with hq._c.db.read() as conn:
        detail = conn.exec_driver_sql(
            "SELECT detail FROM audit_log WHERE action = 'replicate' LIMIT 1"
        ).scalar_one()
    assert ws.workspace_id in detail
    # replicating the same versions again changes nothing
    before = table_counts(hq)
    for rec in ws.iter_all_versions(reveal=True):
        hq.put_replica(rec, origin_workspace=ws.workspace_id)
    assert table_counts(hq) == before
    # local work continues after the replicated versions
    assert hq.put("person", {"sex": "F"}, record_id="p1").version == 3


def test_conflicting_version_is_refused(ws: Workspace, hq: Workspace) -> None:
    _field_work(ws)
    first = ws.get("person", "p1", version=1, reveal=True)
    hq.put_replica(first, origin_workspace=ws.workspace_id)
    changed = dataclasses.replace(first, attributes={"sex": "M"})
    with pytest.raises(RecordConflict, match="p1 version 1"):
        hq.put_replica(changed, origin_workspace=ws.workspace_id)
    other_identity = dataclasses.replace(first, identity={"given_name": "다른"})
    with pytest.raises(RecordConflict):
        hq.put_replica(other_identity, origin_workspace=ws.workspace_id)
    assert hq.get("person", "p1", reveal=True).attributes == {"sex": "F"}


def test_replica_validation(hq: Workspace) -> None:
    bad = StoredRecord(
        kind="person",
        record_id="p9",
        version=0,
        attributes={},
        identity=None,
        created_at="2021-01-01T00:00:00.000000Z",
        author="doc-9",
        content_hash="",
    )
    with pytest.raises(InputError):
        hq.put_replica(bad, origin_workspace="x")
    with pytest.raises(InputError):
        hq.put_replica(
            dataclasses.replace(bad, version=1, created_at="yesterday"), origin_workspace="x"
        )
    ok = hq.put_replica(dataclasses.replace(bad, version=4), origin_workspace="x")
    assert hq.get("person", "p9").version == ok.version == 4


def test_analyst_cannot_replicate_identities(ws: Workspace, ws_path: Path) -> None:
    ws.add_user(ANALYST, ANALYST_PW, "analyst")
    ws.put("person", {"sex": "F"}, {"given_name": "옥순"}, record_id="p1")
    rec = ws.get("person", "p1", reveal=True)
    ws.close()
    with Workspace.open(ws_path, user=ANALYST, passphrase=ANALYST_PW) as analyst:
        with pytest.raises(PermissionDenied):
            analyst.put_replica(dataclasses.replace(rec, record_id="p7"), origin_workspace="x")
