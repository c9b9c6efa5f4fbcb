"""Server-side sessions: random ids, idle and absolute expiry, one open workspace per sign-in.

The cookie holds only the session id (256 random bits from unseen.crypto). A signed-in session
holds the workspace opened with that user's own passphrase, so the store, not the web code, keeps
identities from roles without the identity key; it is closed when the session ends.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from unseen.crypto import Secret, random_bytes
from unseen.store import Role, Workspace

Clock = Callable[[], float]
MAX_SESSIONS = 2000  # beyond this the oldest anonymous sessions are dropped first


def new_token() -> str:
    return base64.urlsafe_b64encode(random_bytes(32)).decode("ascii").rstrip("=")


class Stage(StrEnum):
    ANONYMOUS = "anonymous"
    SECOND_FACTOR = "second_factor"  # passphrase accepted, TOTP code still to give
    ENROL = "enrol"  # passphrase accepted, no TOTP yet: show a secret, ask its code
    SIGNED_IN = "signed_in"


@dataclass(eq=False, repr=False)
class Session:
    sid: str
    csrf: str
    created: float
    seen: float
    stage: Stage = Stage.ANONYMOUS
    user: str | None = None
    role: Role | None = None
    workspace: Workspace | None = field(default=None)
    pending_secret: Secret | None = None
    flash: str | None = None
    # Her workspace is not thread-safe: one request of this session at a time uses it.
    # A plain Lock: FastAPI enters and leaves a dependency in different threads.
    lock: threading.Lock = field(default_factory=threading.Lock)
    closing: bool = False  # closed while in use: the request using it closes it at its end

    def __repr__(self) -> str:
        return f"Session(stage={self.stage.value})"  # no id, no user name

    def close(self) -> None:
        """Close her workspace now, or, while one of her requests is using it, when that
        request ends (``deps.actor`` calls :meth:`close_held`). Never waits for the lock, so
        it cannot deadlock with a request that holds it and waits for the app's write lock."""
        if not self.lock.acquire(blocking=False):
            self.closing = True
            return
        try:
            self.close_held()
        finally:
            self.lock.release()

    def close_held(self) -> None:
        """Close her workspace; the caller holds :attr:`lock`."""
        self.closing = False
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None


@dataclass(frozen=True)
class SessionPolicy:
    idle_seconds: float = 30 * 60
    max_seconds: float = 12 * 60 * 60
    anonymous_seconds: float = 30 * 60


class SessionStore:
    def __init__(self, policy: SessionPolicy, clock: Clock) -> None:
        self.policy, self.clock = policy, clock
        self._sessions: dict[str, Session] = {}
        # The middleware (event loop) and the routes (thread pool) both reach the table.
        self._lock = threading.RLock()

    def _expired(self, s: Session, now: float) -> bool:
        p = self.policy
        if s.stage is Stage.ANONYMOUS:
            return now - s.seen > p.anonymous_seconds
        return now - s.seen > p.idle_seconds or now - s.created > p.max_seconds

    def new(self) -> Session:
        with self._lock:
            now = self.clock()
            self._sweep(now)
            s = Session(new_token(), new_token(), now, now)
            self._sessions[s.sid] = s
            return s

    def get(self, sid: str | None) -> Session | None:
        """The live session with this id (its idle timer restarted), or None."""
        if not sid:
            return None
        with self._lock:
            s = self._sessions.get(sid)
            if s is None:
                return None
            now = self.clock()
            if self._expired(s, now):
                self.drop(s)
                return None
            s.seen = now
            return s

    def rotate(self, old: Session) -> Session:
        """A new id and CSRF token for the same state: on every change of privilege."""
        with self._lock:
            self._sessions.pop(old.sid, None)
            old.sid, old.csrf = new_token(), new_token()
            self._sessions[old.sid] = old
            return old

    def drop(self, s: Session) -> None:
        with self._lock:
            self._sessions.pop(s.sid, None)
        s.close()

    def _sweep(self, now: float) -> None:
        for s in [s for s in self._sessions.values() if self._expired(s, now)]:
            self.drop(s)
        if len(self._sessions) >= MAX_SESSIONS:
            oldest = sorted(
                self._sessions.values(), key=lambda s: (s.stage is not Stage.ANONYMOUS, s.seen)
            )
            for s in oldest[: len(self._sessions) - MAX_SESSIONS + 1]:
                self.drop(s)

    def drop_user(self, user: str) -> int:
        """End every session of ``user`` (removed, or given another role); how many ended."""
        with self._lock:
            hers = [s for s in self._sessions.values() if s.user == user]
        for s in hers:
            self.drop(s)
        return len(hers)

    def close_all(self) -> None:
        with self._lock:
            sessions = list(self._sessions.values())
        for s in sessions:
            self.drop(s)
