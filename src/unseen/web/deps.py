"""FastAPI dependencies: the app's state, the signed-in actor, the permission matrix, rendering."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from unseen.domain.vocab import violation_types
from unseen.linkage.explanation import comparison_words, level_in_korean
from unseen.services.access import Capability, may
from unseen.services.estimating import EstimateSettings
from unseen.store import Role, Workspace

from . import i18n
from .reports import ReportCache
from .sessions import Clock, Session, SessionStore, Stage

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(eq=False)
class AppState:
    """Everything one app instance holds; stored on ``app.state.unseen`` (no module globals)."""

    server: Workspace  # unlocked by `unseen serve` (an admin): keeps the sign-in records
    path: Path
    sessions: SessionStore
    templates: Jinja2Templates
    clock: Clock
    secure_cookies: bool
    # Writes, one at a time: the server workspace's sign-in records (routers/auth.py) and every
    # request that may write (not GET or HEAD). Reads do not take it (see ``actor``).
    lock: threading.Lock
    reports: ReportCache
    estimate: EstimateSettings  # how the estimates page and reports estimate (as the CLI)


class NotSignedIn(Exception):  # noqa: N818 (control flow, turned into a redirect or a 401)
    """Raised by the ``actor`` dependency; pages redirect to /login, the API answers 401."""


class Forbidden(Exception):  # noqa: N818
    """The role may not use this route (403)."""


@dataclass(eq=False, repr=False)
class Actor:
    session: Session
    user: str
    role: Role
    ws: Workspace  # opened with the user's own passphrase
    lang: str
    now: float  # the app's clock, read once per request


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.unseen
    return state


def session_of(request: Request) -> Session:
    session: Session = request.state.session
    return session


def lang_of(request: Request) -> str:
    lang: str = request.state.lang
    return lang


def actor(request: Request) -> Iterator[Actor]:
    """The signed-in user, with her session's lock held for the whole request, and the app's
    write lock too unless the method is GET or HEAD.

    Each session has its own workspace (opened with her keys: its own SQLCipher connection),
    which is not thread-safe, hence the session's lock. Two sessions are as independent as two
    processes on one workspace: SQLite serialises their writes and, in WAL mode, lets reads go
    on during a write. Writes still queue on one lock here, so that they wait in order rather
    than in SQLite's busy loop; a GET that writes an audit entry (a name shown) takes SQLite's
    write lock for that entry alone.
    """
    state, session = app_state(request), session_of(request)
    if session.stage is not Stage.SIGNED_IN or session.workspace is None:
        raise NotSignedIn()
    assert session.user is not None and session.role is not None  # noqa: S101 (set together)
    writes = state.lock if request.method not in ("GET", "HEAD") else contextlib.nullcontext()
    with session.lock, writes:
        if session.workspace is None:  # closed (signed out, expired) while this one waited
            raise NotSignedIn()
        try:
            yield Actor(
                session, session.user, session.role, session.workspace, lang_of(request),
                state.clock(),
            )  # fmt: skip
        finally:
            if session.closing:
                session.close_held()  # signed out or expired meanwhile: close it now


ActorDep = Annotated[Actor, Depends(actor)]


def allowed(capability: Capability) -> Callable[[Actor], Actor]:
    def check(who: ActorDep) -> Actor:
        if not may(who.role, capability):
            raise Forbidden()
        return who

    return check


def _violation_label(code: str, lang: str) -> str:
    found = violation_types().get(code)
    return f"{code} {found.label(lang)}" if found is not None else code


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    state, session, lang = app_state(request), session_of(request), lang_of(request)
    values: dict[str, Any] = {
        "lang": lang,
        "t": lambda key: i18n.translate(key, lang),
        "label": lambda name: i18n.field_label(name, lang),
        "violation": lambda code: _violation_label(code, lang),
        # A review pair's reasons: the default model's comparisons and levels in Korean.
        "compared": lambda name: comparison_words(name)[1 if lang == "ko" else 0],
        "level": lambda text: (level_in_korean(text) or text) if lang == "ko" else text,
        "num": lambda x: f"{round(x):,}",
        "csrf": session.csrf,
        "user": session.user if session.stage is Stage.SIGNED_IN else None,
        "role": session.role.value if session.role and session.stage is Stage.SIGNED_IN else None,
        "can": (lambda cap: session.stage is Stage.SIGNED_IN and session.role is not None
                and may(session.role, Capability(cap))),
        "path": request.url.path,
    }  # fmt: skip
    values.update(context or {})
    response: HTMLResponse = state.templates.TemplateResponse(
        request, name, values, status_code=status
    )
    return response
