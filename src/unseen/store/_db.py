"""One open connection, all-or-nothing transactions, buffered writes and the audit chain.

Writes inside a transaction are buffered and inserted with ``executemany`` when the transaction
commits, or earlier when something reads: importing 100,000 records is a handful of statements,
not 300,000. Audit entries are numbered, chained and signed as they are made, on top of the head
read at ``BEGIN IMMEDIATE``, so another process writing in between cannot fork the chain.

Disclosure entries (``reveal``, ``read_evidence``, ``search``) are special: if the transaction
that made them rolls back, the data was still shown, so they are written again in a transaction
of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import sqlalchemy as sa

from unseen.errors import WorkspaceError

from . import _schema as s
from ._audit import DISCLOSURES, Chain, Event
from ._canonical import Clock, timestamp
from ._engine import IMMEDIATE, mapped_errors

_FLUSH_ORDER = (s.records, s.blind_index, s.evidence, s.audit_log)

OnCommit = Callable[[int, str], None]
FLUSH_EVERY = 4000  # buffered rows; executemany batches of this size are past the point of gain


class Database:
    def __init__(self, engine: sa.Engine, *, clock: Clock, actor: str) -> None:
        self.engine = engine
        self.clock = clock
        self.actor = actor
        self.chain: Chain | None = None
        self.on_commit: OnCommit | None = None
        with mapped_errors():
            self.conn = engine.connect()
        self._depth = 0
        self._doomed = False
        self._chain_loaded = False
        self._buffered = 0
        self._pending: dict[str, list[dict[str, object]]] = {t.name: [] for t in _FLUSH_ORDER}
        self._disclosed: list[tuple[Event, str]] = []
        self._undo: list[Callable[[], None]] = []
        # (kind, record_id) -> (version, has_identity, deleted) written in this transaction
        self.written: dict[tuple[str, str], tuple[int, bool, bool]] = {}

    # -- transactions ---------------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            except BaseException:
                self._doomed = True  # the outer block must not commit half of it
                raise
            finally:
                self._depth -= 1
            return
        self._begin()
        wrote = False
        try:
            yield
            if self._doomed:
                raise WorkspaceError(
                    "part of this transaction failed, so none of it was saved / "
                    "일부 작업이 실패하여 아무것도 저장되지 않았습니다"
                )
            self.flush()
            with mapped_errors():
                self.conn.commit()
            wrote = self._chain_loaded
        except BaseException:
            self._rollback()
            raise
        finally:
            self._reset()
        self._disclosed.clear()
        if wrote and self.on_commit is not None and self.chain is not None:
            self.on_commit(self.chain.seq, self.chain.head)

    def _begin(self) -> None:
        with mapped_errors():
            self.conn.info[IMMEDIATE] = True
            self.conn.begin()
        self._chain_loaded = False
        self._depth = 1

    def _load_chain(self, chain: Chain) -> None:
        # Read the head inside the write lock (BEGIN IMMEDIATE), once per transaction.
        row = self.execute(
            sa.select(s.audit_log.c.seq, s.audit_log.c.entry_hash)
            .order_by(s.audit_log.c.seq.desc())
            .limit(1)
        ).first()
        chain.reset(row.seq if row else 0, row.entry_hash if row else None)
        self._chain_loaded = True

    def _reset(self) -> None:
        self._depth = 0
        self._doomed = False
        for rows in self._pending.values():
            rows.clear()
        self._buffered = 0
        self.written.clear()
        self._undo.clear()

    def _rollback(self) -> None:
        disclosed = list(self._disclosed)
        self._disclosed.clear()
        with suppress(sa.exc.DBAPIError):
            self.conn.rollback()
        for undo in reversed(self._undo):
            with suppress(OSError):
                undo()
        if disclosed and self.chain is not None:
            self._reset()
            # What was shown stays shown: log it even though the rest is undone.
            with suppress(Exception), self.transaction():
                for event, at in disclosed:
                    self._append(event, at)

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A consistent snapshot to read from (the pending writes included)."""
        if self._depth:
            with mapped_errors():
                self.flush()
                yield self.conn
            return
        with mapped_errors():
            self.conn.begin()
        try:
            with mapped_errors():
                yield self.conn
        finally:
            with suppress(sa.exc.DBAPIError):
                self.conn.rollback()

    # -- writes ---------------------------------------------------------------------------------

    def _require_tx(self) -> None:
        if not self._depth:
            raise WorkspaceError("internal: write outside a transaction")  # pragma: no cover

    def insert(self, table: sa.Table, row: dict[str, object]) -> None:
        self._require_tx()
        self._pending[table.name].append(row)
        self._buffered += 1
        if self._buffered >= FLUSH_EVERY:
            self.flush()  # bounded memory for 100,000-record imports

    def on_rollback(self, undo: Callable[[], None]) -> None:
        self._require_tx()
        self._undo.append(undo)

    def audit(self, event: Event, *, at: str | None = None) -> None:
        self._require_tx()
        at = at or timestamp(self.clock)
        self._append(event, at)
        if event.action in DISCLOSURES:
            self._disclosed.append((event, at))

    def _append(self, event: Event, at: str) -> None:
        if self.chain is None:
            raise WorkspaceError("internal: no audit key")  # pragma: no cover
        if not self._chain_loaded:
            self._load_chain(self.chain)
        entry = self.chain.append(event, at=at, actor=self.actor)
        self._pending[s.audit_log.name].append(entry.row())
        self._buffered += 1

    def flush(self) -> None:
        self._buffered = 0
        with mapped_errors():
            for table in _FLUSH_ORDER:
                rows = self._pending[table.name]
                if rows:
                    self.conn.execute(table.insert(), rows)
                    rows.clear()

    def execute(self, statement: sa.Executable, params: Any = None) -> sa.CursorResult[Any]:
        """Execute without flushing (the caller knows pending writes do not matter)."""
        with mapped_errors():
            return self.conn.execute(statement, params)

    def close(self) -> None:
        with suppress(sa.exc.DBAPIError):
            self.conn.close()
        self.engine.dispose()
