"""The public API of unseen.store is exactly its __all__ (httpx-style exported-members test)."""

from __future__ import annotations

import unseen.store as store


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
