"""The public API of unseen.store is exactly its __all__ (httpx-style exported-members test)."""

from __future__ import annotations

from pathlib import Path

import pytest

import unseen.store as store
from unseen.crypto import sha256_hex
from unseen.errors import InputError, SignatureInvalid
from unseen.store._audit import check_entry


def test_exports() -> None:
    public = {n for n in vars(store) if not n.startswith("_")}
    assert public == set(store.__all__)
    assert set(store.__all__) == {
        "AuditReport",
        "EvidenceItem",
        "EvidenceRef",
        "RecordRef",
        "Role",
        "StoredRecord",
        "UserInfo",
        "Workspace",
    }


def test_audit_report_summary() -> None:
    good = store.AuditReport(ok=True, entries=3, records=2, head_seq=3, head_hash="ab" * 32)
    bad = store.AuditReport(ok=False, entries=3, first_bad_seq=2, reason="it was altered")
    assert good.summary().startswith("ok: 3 audit entries, 2 record versions")
    assert bad.summary() == "FAILED at entry 2: it was altered"


def test_every_public_workspace_member_is_documented() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "store.md").read_text(encoding="utf-8")
    members = {n for n in dir(store.Workspace) if not n.startswith("_")}
    missing = sorted(
        n
        for n in members
        if f"`{n}" not in doc and f" {n}(" not in doc and f"`Workspace.{n}(" not in doc
    )
    assert missing == []
    for name in store.__all__:
        assert f"`{name}`" in doc


def test_statements_are_signed_apart_from_audit_entries(ws: store.Workspace) -> None:
    digest = sha256_hex(b"bundle manifest").encode()[:32]
    signature = ws.sign(digest)
    store.Workspace.verify_statement(ws.verify_key, digest, signature)
    with pytest.raises(SignatureInvalid):
        store.Workspace.verify_statement(ws.verify_key, bytes(32), signature)
    with pytest.raises(InputError):
        ws.sign(b"too short")
    # a statement signature is not an audit entry signature over the same 32 bytes
    row = type("Row", (), {})()
    with ws._c.db.read() as conn:
        first = conn.exec_driver_sql("SELECT * FROM audit_log WHERE seq = 1").one()
    for name in first._fields:
        setattr(row, name, getattr(first, name))
    row.signature = ws.sign(bytes.fromhex(first.entry_hash))
    why = check_entry(
        row,
        workspace_id=ws.workspace_id,
        expected_seq=1,
        prev_hash=first.prev_hash,
        verify_key=ws.verify_key,
    )
    assert why is not None and "signature" in why
