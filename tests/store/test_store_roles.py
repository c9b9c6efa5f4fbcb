"""Roles: analysts and coordinators work without the identity key and cannot reach identities."""

from __future__ import annotations

from pathlib import Path

import pytest
from storekit import ANALYST, ANALYST_PW, DOC, DOC_PW

from unseen.errors import PermissionDenied
from unseen.store import Role, Workspace

IDENTITY = {"family_name": "박", "given_name": "은정"}


def test_roles_that_reveal() -> None:
    assert {r for r in Role if r.can_reveal} == {Role.ADMIN, Role.DOCUMENTER, Role.REVIEWER}
    assert not Role.ANALYST.can_reveal and not Role.COORDINATOR.can_reveal


def test_documenter_reads_identities(team: Workspace, ws_path: Path) -> None:
    team.close()
    with Workspace.open(ws_path, user=DOC, passphrase=DOC_PW) as doc:
        assert doc.role is Role.DOCUMENTER
        ref = doc.put("person", {"sex": "F"}, IDENTITY, name_tokens=["park", "eunjong"])
        assert doc.get("person", ref.record_id, reveal=True).identity == IDENTITY
        assert doc.find_by_name_tokens(["park"]) == [ref]
        with pytest.raises(PermissionDenied):
            doc.add_user("someone", "a passphrase", Role.ADMIN)


def test_analyst_sees_no_identity(team: Workspace, ws_path: Path) -> None:
    ref = team.put("person", {"sex": "F", "year": 2009}, IDENTITY, name_tokens=["park"])
    team.close()
    with Workspace.open(ws_path, user=ANALYST, passphrase=ANALYST_PW) as analyst:
        assert analyst.role is Role.ANALYST
        assert analyst._c.ik is None  # the keyslot does not even carry the identity key
        rec = analyst.get("person", ref.record_id)
        assert rec.attributes == {"sex": "F", "year": 2009}
        assert rec.identity is None and rec.has_identity
        assert [r.identity for r in analyst.iter_current("person")] == [None]
        assert analyst.count("person") == 1
        assert analyst.query("person", sex="F")[0].identity is None
        with pytest.raises(PermissionDenied, match="analyst"):
            analyst.get("person", ref.record_id, reveal=True)
        with pytest.raises(PermissionDenied):
            list(analyst.iter_current("person", reveal=True))
        with pytest.raises(PermissionDenied):
            analyst.history("person", ref.record_id, reveal=True)
        with pytest.raises(PermissionDenied):
            analyst.find_by_name_tokens(["park"])
        with pytest.raises(PermissionDenied):
            analyst.put("person", {"sex": "F"}, {"given_name": "x"})
        with pytest.raises(PermissionDenied):
            analyst.put("person", {"sex": "F"}, name_tokens=["park"])
        with pytest.raises(PermissionDenied):  # would drop the identity from the record
            analyst.put("person", {"sex": "M"}, record_id=ref.record_id)
        with pytest.raises(PermissionDenied):
            analyst.delete("person", ref.record_id)
        with pytest.raises(PermissionDenied):
            analyst.add_evidence(b"photo", media_type="image/jpeg")
        with pytest.raises(PermissionDenied):
            analyst.add_user("x-1", "a passphrase", Role.ANALYST)
        with pytest.raises(PermissionDenied):
            analyst.create_recovery_shares()
        # pseudonymous work is allowed
        link = analyst.put("link", {"left": ref.record_id, "score": 0.93})
        assert analyst.get("link", link.record_id).attributes["score"] == 0.93
        assert analyst.verify().ok


def test_coordinator_has_no_identity_key(team: Workspace, ws_path: Path) -> None:
    team.add_user("coord-1", "coordinator passphrase", Role.COORDINATOR)
    ref = team.put("person", {"sex": "F"}, IDENTITY)
    team.close()
    with Workspace.open(ws_path, user="coord-1", passphrase="coordinator passphrase") as c:
        assert c.get("person", ref.record_id).identity is None
        with pytest.raises(PermissionDenied):
            c.get("person", ref.record_id, reveal=True)


def test_reveals_are_audited(ws: Workspace) -> None:
    ref = ws.put("person", {"sex": "F"}, IDENTITY)
    ws.put("person", {"sex": "M"}, {"given_name": "철수"})
    ws.put("person", {"sex": "M"})  # nothing to reveal: no entry
    with ws._c.db.read() as conn:
        before = conn.exec_driver_sql("SELECT count(*) FROM audit_log WHERE action='reveal'")
        n0 = before.scalar_one()
    ws.get("person", ref.record_id)  # not revealed: no entry
    ws.get("person", ref.record_id, reveal=True)
    assert len(list(ws.iter_current("person", reveal=True))) == 3
    with ws._c.db.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT actor, kind, record_id, version, content_hash FROM audit_log "
            "WHERE action='reveal' ORDER BY seq"
        ).all()
    assert len(rows) - n0 == 3
    assert tuple(rows[0]) == (
        "admin-1",
        "person",
        ref.record_id,
        1,
        ws.get("person", ref.record_id).content_hash,
    )
