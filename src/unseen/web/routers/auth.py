"""Sign in (passphrase, then TOTP), sign out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from unseen.crypto import new_totp_secret, totp_secret_text, totp_uri
from unseen.errors import UnseenError
from unseen.services import accounts
from unseen.store import Workspace

from .. import i18n
from ..deps import app_state, render, session_of
from ..security import csrf_guard
from ..sessions import Stage

router = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)
ISSUER = "unseen"


def _see(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/login")
def login_page(request: Request) -> Response:
    session = session_of(request)
    if session.stage is Stage.SIGNED_IN:
        return _see("/")
    ended = request.state.session_expired or request.query_params.get("expired") == "1"
    expired = "session_expired" if ended else None
    return render(request, "login.html", {"notice": expired})


@router.post("/login")
def login(
    request: Request, user: Annotated[str, Form()], passphrase: Annotated[str, Form()]
) -> Response:
    state, session = app_state(request), session_of(request)
    user = user.strip()
    with state.lock:
        known = user in accounts.active_users(state.server)
        now = state.clock()
        if known and accounts.lockout(state.server, user).locked(now):
            return render(request, "login.html", {"error": "locked"}, status=423)
        try:
            opened = Workspace.open(state.path, user=user, passphrase=passphrase)
        except UnseenError:  # wrong passphrase, unknown user, empty field: one answer
            if known and accounts.record_failure(state.server, user, now).locked(now):
                return render(request, "login.html", {"error": "locked"}, status=423)
            return render(request, "login.html", {"error": "login_failed"}, status=401)
        session.close()
        session = state.sessions.rotate(session)
        request.state.session = session
        session.user, session.role, session.workspace = opened.user, opened.role, opened
        if accounts.totp_secret(state.server, opened.user) is None:
            session.stage, session.pending_secret = Stage.ENROL, new_totp_secret()
        else:
            session.stage = Stage.SECOND_FACTOR
    return _see("/login/code")


@router.get("/login/code")
def code_page(request: Request) -> Response:
    session = session_of(request)
    if session.stage not in (Stage.ENROL, Stage.SECOND_FACTOR):
        return _see("/login")
    return render(request, "code.html", _enrolment(request))


def _enrolment(request: Request) -> dict[str, str | None]:
    session = session_of(request)
    if session.stage is not Stage.ENROL or session.pending_secret is None:
        return {"secret": None, "uri": None}
    return {
        "secret": totp_secret_text(session.pending_secret),
        "uri": totp_uri(session.pending_secret, session.user or "", ISSUER),
    }


@router.post("/login/code")
def code(request: Request, code: Annotated[str, Form()]) -> Response:
    state, session = app_state(request), session_of(request)
    if session.stage not in (Stage.ENROL, Stage.SECOND_FACTOR) or session.user is None:
        return _see("/login")
    user = session.user
    with state.lock:
        now = state.clock()
        if accounts.lockout(state.server, user).locked(now):
            state.sessions.drop(session)
            return render(request, "login.html", {"error": "locked"}, status=423)
        if session.stage is Stage.ENROL and session.pending_secret is not None:
            ok = accounts.enrol_totp(state.server, user, session.pending_secret, code, now)
        else:
            ok = accounts.check_totp(state.server, user, code, now)
        if not ok:
            if accounts.record_failure(state.server, user, now).locked(now):
                state.sessions.drop(session)
                return render(request, "login.html", {"error": "locked"}, status=423)
            context = {"error": "totp_failed", **_enrolment(request)}
            return render(request, "code.html", context, status=401)
        accounts.record_success(state.server, user)
        session.pending_secret = None
        session = state.sessions.rotate(session)
        request.state.session = session
        session.stage = Stage.SIGNED_IN
    return _see("/")


@router.post("/logout")
def logout(request: Request) -> Response:
    state = app_state(request)
    with state.lock:
        state.sessions.drop(session_of(request))
    request.state.session = state.sessions.new()
    return _see("/login")


@router.post("/lang")
def set_language(lang: Annotated[str, Form()], back: Annotated[str, Form()] = "/") -> Response:
    # Only a path on this site: "//host" and "/\host" would leave it.
    local = back.startswith("/") and not back.startswith(("//", "/\\")) and "\n" not in back
    response = _see(back if local else "/")
    if lang in i18n.LANGUAGES:
        response.set_cookie(
            i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="strict", httponly=True
        )
    return response
