"""The web app: ``create_app(workspace)`` returns a FastAPI application over an open workspace.

Pages are rendered on the server (Jinja2, autoescaped); one small script of our own
(``static/unseen.js``) adds place autocomplete, a date preview and review keys. Nothing is loaded
from another origin. Design notes: docs/web.md.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from unseen.errors import InputError, PermissionDenied, RecordNotFound, UnseenError
from unseen.services.accounts import active_users
from unseen.services.estimating import EstimateSettings
from unseen.store import Role, Workspace

from . import i18n
from .deps import TEMPLATES, AppState, Forbidden, NotSignedIn, render
from .reports import ReportCache
from .routers import (
    api,
    auth,
    consents,
    estimates,
    pages,
    records,
    records_api,
    report_api,
    testimony,
    users,
)
from .security import HEADERS, SAFE_METHODS
from .sessions import Clock, SessionPolicy, SessionStore

SESSION_COOKIE = "unseen_session"
STATIC = Path(__file__).parent / "static"

# POSTs that change nothing a report counts (a search, the language, signing in or out): the
# kept reports stay. Every other successful write drops them.
KEEPS_REPORTS = frozenset(
    {"/search", "/api/people/search", "/lang", "/login", "/login/code", "/logout"}
)


def create_app(
    workspace: Workspace,
    *,
    clock: Clock = time.time,
    sessions: SessionPolicy | None = None,
    secure_cookies: bool = False,
    estimate: EstimateSettings | None = None,
) -> FastAPI:
    """The app for ``workspace``, which must be open as an admin (it keeps sign-in records).

    Users sign in with their own workspace user name and passphrase, then a TOTP code.
    ``secure_cookies`` marks the cookie Secure: set it when served over HTTPS. ``estimate``:
    how the estimates page and the reports estimate (default: as ``unseen report``).
    """
    if workspace.role is not Role.ADMIN:
        raise PermissionDenied("open the workspace as an admin to serve it / 관리자로 여십시오")
    active_users(workspace)  # fails now, not at the first sign-in, if the workspace is closed

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.unseen.sessions.close_all()  # each closes its user's workspace

    app = FastAPI(
        lifespan=lifespan,
        title="unseen",
        summary="Record, find and review testimonies; JSON API with the web pages' permissions.",
        version="0.1.0",
        # Swagger UI and ReDoc load scripts from a CDN; the schema itself is at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(TEMPLATES))
    app.state.unseen = AppState(
        server=workspace,
        path=workspace.path,
        sessions=SessionStore(sessions or SessionPolicy(), clock),
        templates=templates,
        clock=clock,
        secure_cookies=secure_cookies,
        lock=threading.Lock(),
        reports=ReportCache(clock),
        estimate=estimate or EstimateSettings(),
    )
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(estimates.router)
    app.include_router(testimony.router)
    app.include_router(api.router)
    app.include_router(report_api.router)
    for extra in (consents.pages, consents.api, users.pages, users.api):
        app.include_router(extra)
    app.include_router(records.router)
    app.include_router(records_api.router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _install_handlers(app)

    @app.middleware("http")
    async def sessions_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        state: AppState = request.app.state.unseen
        store = state.sessions
        given = request.cookies.get(SESSION_COOKIE)
        session = store.get(given)
        expired = given is not None and session is None
        if session is None:
            session = store.new()
        request.state.session = session
        request.state.session_expired = expired
        request.state.lang = i18n.pick(
            request.cookies.get(i18n.COOKIE), request.headers.get("accept-language")
        )
        response = await call_next(request)
        if (
            request.method not in SAFE_METHODS
            and request.url.path not in KEEPS_REPORTS
            and response.status_code < 400
        ):
            # A write (a withdrawn consent above all) must show in the next report at once.
            state.reports.clear()
        session = request.state.session  # sign-in and sign-out replace it
        if session.sid != given:
            response.set_cookie(
                SESSION_COOKIE, session.sid, httponly=True, samesite="strict",
                secure=state.secure_cookies, path="/",
            )  # fmt: skip
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def _install_handlers(app: FastAPI) -> None:
    """Errors: pages show them in the user's language; the API answers ``{"detail": message}``
    (400 for input the store or a parser refused, 401, 403, 404) or FastAPI's 422 list for a
    body or query that does not fit the schema, always without the values sent."""

    def error(request: Request, status: int, key: str, message: str | None = None) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message or i18n.translate(key, "en")}, status)
        return render(request, "error.html", {"key": key, "message": message}, status=status)

    @app.exception_handler(NotSignedIn)
    def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "sign in first / 먼저 로그인하십시오"}, 401)
        expired = "?expired=1" if request.state.session_expired else ""
        return RedirectResponse("/login" + expired, status_code=303)

    @app.exception_handler(Forbidden)
    def _forbidden(request: Request, exc: Forbidden) -> Response:
        return error(request, 403, "forbidden")

    @app.exception_handler(PermissionDenied)
    def _denied(request: Request, exc: PermissionDenied) -> Response:
        return error(request, 403, "forbidden", str(exc))

    @app.exception_handler(RecordNotFound)
    def _missing(request: Request, exc: RecordNotFound) -> Response:
        return error(request, 404, "not_found", str(exc))

    @app.exception_handler(InputError)
    def _input(request: Request, exc: InputError) -> Response:
        return error(request, 400 if _wants_json(request) else 422, "error", str(exc))

    @app.exception_handler(UnseenError)
    def _unseen(request: Request, exc: UnseenError) -> Response:
        return error(request, 400, "error", str(exc))

    @app.exception_handler(HTTPException)
    def _http(request: Request, exc: HTTPException) -> Response:
        key = {403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
        return error(request, exc.status_code, key, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> Response:
        # Where and what is wrong, never the value sent (it may be a name).
        problems = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": problems}, 422)
        text = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in problems)
        return render(request, "error.html", {"key": "error", "message": text}, status=422)
