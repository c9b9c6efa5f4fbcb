"""Shared helpers for the store tests (raw SQLCipher access, byte flips, a ticking clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3

from unseen.crypto import SymmetricKey, derive_subkey
from unseen.store import Workspace

ADMIN, ADMIN_PW = "admin-1", "admin passphrase one"
DOC, DOC_PW = "doc-1", "documenter passphrase"
ANALYST, ANALYST_PW = "analyst-1", "analyst passphrase"


class TickingClock:
    """Deterministic clock: each call is one second after the previous one."""

    def __init__(self, start: datetime = datetime(2021, 3, 1, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def master_key(ws: Workspace) -> SymmetricKey:
    """Test-only: the master key of an open workspace (private attribute)."""
    return ws._c.mk


def raw_connect(path: Path, mk: SymmetricKey) -> Any:
    """A raw SQLCipher connection to a workspace's store.db, keyed like the store does."""
    key = derive_subkey(mk, "unseen/v1/sqlcipher").to_bytes().hex()
    conn = sqlcipher3.connect(str(path / "store.db"), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    return conn


def table_counts(ws: Workspace) -> dict[str, int]:
    with ws._c.db.read() as conn:
        return {
            t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()  # noqa: S608
            for t in ("records", "blind_index", "audit_log", "evidence", "users")
        }


def flip(path: Path, offset: int, mask: int = 0x01) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= mask
    path.write_bytes(bytes(data))
