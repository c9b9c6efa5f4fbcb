"""The audit entry's field lists agree with each other and with the audit_log table."""

from __future__ import annotations

import inspect

from unseen.crypto import SigningKey
from unseen.store._audit import HASHED_FIELDS, Chain, Event, entry_hash
from unseen.store._schema import audit_log


def test_hashed_fields_are_entry_hash_keywords() -> None:
    params = inspect.signature(entry_hash).parameters.values()
    assert HASHED_FIELDS == tuple(p.name for p in params if p.kind is p.KEYWORD_ONLY)


def test_an_entry_row_fills_the_audit_log_columns() -> None:
    chain = Chain("ws-1", SigningKey.generate())
    entry = chain.append(Event("create", "event", "e1", 1, "ab" * 32), at="2026-01-01", actor="a")
    row = entry.row()
    assert list(row) == [c.name for c in audit_log.columns]
    assert row["seq"] == 1 and row["prev_hash"] != row["entry_hash"] == chain.head
    again = entry_hash("ws-1", row["prev_hash"], **{n: row[n] for n in HASHED_FIELDS})
    assert again == row["entry_hash"]
