"""SQLCipher 4 through SQLAlchemy 2: keyed connections, hardening pragmas, error mapping.

Each DBAPI connection is made by our ``creator``: ``sqlcipher3.connect``, then ``PRAGMA key`` with
the raw 256-bit key (``x'..'``: no passphrase KDF inside SQLCipher, the key already comes from
Argon2id and HKDF), then the pragmas below, then a read that fails at once on a wrong key.
Transactions are ours: the DBAPI runs in autocommit mode and SQLAlchemy's ``begin`` emits
``BEGIN`` or ``BEGIN IMMEDIATE`` (pysqlite's implicit transactions break savepoints and DDL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa
import sqlcipher3
from sqlalchemy import event
from sqlalchemy.pool import NullPool

from unseen.crypto import SymmetricKey
from unseen.errors import IntegrityError, WorkspaceError

# Order matters: the key first; journal_mode after the key (it is stored in the encrypted header).
_PRAGMAS = (
    "PRAGMA temp_store = MEMORY",  # no plaintext temp files for sorts and indexes
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",  # a commit survives power loss (WAL + FULL fsyncs every commit)
    "PRAGMA secure_delete = ON",  # freed pages are zeroed before reuse
    "PRAGMA foreign_keys = ON",
)

IMMEDIATE = "unseen_begin_immediate"

_DAMAGED = (
    "file is not a database",
    "database disk image is malformed",
    "hmac check failed",
    "file is encrypted",
)
DAMAGED_MESSAGE = (
    "the workspace database cannot be read: it was altered or damaged, or the key is wrong "
    "/ 작업 공간 데이터베이스가 변경되었거나 손상되었습니다"
)


def looks_damaged(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(marker in text for marker in _DAMAGED) or text == ""


def _connect(db_path: Path, key_hex: str) -> Any:
    conn = sqlcipher3.connect(str(db_path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher logs to stderr otherwise
        conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        # Wipe freed memory; only on builds that know the pragma (it then reads back "1").
        conn.execute("PRAGMA cipher_memory_security = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        for pragma in _PRAGMAS:
            conn.execute(pragma).fetchall()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if looks_damaged(exc):
            raise IntegrityError(DAMAGED_MESSAGE) from None
        raise WorkspaceError("the workspace database could not be opened") from None
    return conn


def make_engine(db_path: Path, key: SymmetricKey) -> sa.Engine:
    key_hex = key.to_bytes().hex()
    engine = sa.create_engine(
        "sqlite+pysqlite://",
        creator=lambda: _connect(db_path, key_hex),
        module=sqlcipher3.dbapi2,
        poolclass=NullPool,
        hide_parameters=True,  # bound values (attributes, sealed bytes) never enter a message
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        immediate = conn.info.pop(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def memory_security_on(conn: sa.Connection) -> bool:
    row = conn.exec_driver_sql("PRAGMA cipher_memory_security").fetchone()
    return row is not None and str(row[0]) == "1"


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Turn driver errors into unseen's: damage into IntegrityError, the rest WorkspaceError."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        _raise_mapped(exc)
    except sa.exc.StatementError as exc:
        # Not from the driver (e.g. a value SQLAlchemy cannot bind): say only what kind.
        raise WorkspaceError(f"database error ({type(exc.orig).__name__})") from None


def _raise_mapped(exc: sa.exc.DBAPIError) -> NoReturn:
    if looks_damaged(exc):
        raise IntegrityError(DAMAGED_MESSAGE) from None
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        raise WorkspaceError(
            "the workspace is busy in another program; try again / "
            "다른 프로그램이 작업 공간을 사용 중입니다"
        ) from None
    if "append-only" in text:
        raise IntegrityError("refused: stored records and the audit log are append-only") from None
    # The driver's message can quote SQL and values: never pass it on.
    raise WorkspaceError(f"database error ({type(exc.orig).__name__})") from None


def integrity_problems(conn: sa.Connection, *, full: bool) -> str | None:
    """SQLCipher page HMACs (main file) and, when ``full``, SQLite's b-tree check (through WAL)."""
    try:
        rows = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        if rows:
            return (
                f"database pages fail authentication ({len(rows)} problem(s), first: {rows[0][0]})"
            )
        if full:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
            if rows != [("ok",)]:
                return "database structure check failed"
    except sa.exc.DBAPIError:
        return "database pages fail authentication"
    return None
