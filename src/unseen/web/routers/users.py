"""Users on the admin page and in the API (admins only): add one, remove one, change a role
(services.users). A removed user's or a re-roled user's open sessions end at once; a generated
passphrase is shown once, in the answer to the request that made it, and kept nowhere."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, SecretStr

from unseen.services import accounts, users
from unseen.services.access import Capability
from unseen.services.users import UserChanged

from ..deps import Actor, allowed, app_state, render, session_of
from ..security import csrf_guard
from .api import _ERRORS

pages = APIRouter(dependencies=[Depends(csrf_guard)], include_in_schema=False)
api = APIRouter(prefix="/api", dependencies=[Depends(csrf_guard)], tags=["api"],
                responses=_ERRORS)  # fmt: skip

AdminActor = Annotated[Actor, Depends(allowed(Capability.ACCOUNTS))]
RoleName = Literal["admin", "documenter", "reviewer", "analyst", "coordinator"]
Secret = Annotated[str, Form(max_length=1000)]


def admin_rows(who: Actor) -> list[dict[str, object]]:
    return [
        {"user": u.name, "role": u.role.value, "lockout": accounts.lockout(who.ws, u.name),
         "second_factor": accounts.has_second_factor(who.ws, u.name)}
        for u in who.ws.list_users() if u.removed_at is None
    ]  # fmt: skip


def _shown_once(request: Request, who: Actor, made: UserChanged, notice: str) -> Response:
    """The admin page again, with the generated passphrase (never in a redirect or a flash)."""
    if made.passphrase is None:
        session_of(request).flash = notice
        return RedirectResponse("/admin", status_code=303)
    rows = admin_rows(who)
    context = {"rows": rows, "now": who.now, "notice": notice, "made_user": made.user,
               "made_passphrase": made.passphrase.reveal(),
               "documenters": [r["user"] for r in rows if r["role"] == "documenter"]}  # fmt: skip
    return render(request, "admin.html", context)


@pages.post("/admin/users")
def add_form(
    request: Request,
    who: AdminActor,
    user: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=20)] = "documenter",
    passphrase: Secret = "",
) -> Response:
    made = users.add_user(who.ws, user, role, passphrase or None)
    return _shown_once(request, who, made, "user_added")


@pages.post("/admin/users/{user}/remove")
def remove_form(request: Request, who: AdminActor, user: str) -> Response:
    name = users.remove_user(who.ws, user)
    app_state(request).sessions.drop_user(name)
    session_of(request).flash = "user_removed"
    return RedirectResponse("/admin", status_code=303)


@pages.post("/admin/users/{user}/role")
def role_form(
    request: Request,
    who: AdminActor,
    user: str,
    role: Annotated[str, Form(max_length=20)],
    passphrase: Secret = "",
) -> Response:
    made = users.change_role(who.ws, user, role, passphrase or None)
    app_state(request).sessions.drop_user(made.user)
    return _shown_once(request, who, made, "role_changed")


class UserOut(BaseModel):
    user: str
    role: str


class UserIn(BaseModel):
    user: str = Field(min_length=1, max_length=64)
    role: RoleName = "documenter"
    passphrase: SecretStr | None = Field(
        default=None, max_length=1000,
        description=f"at least {users.MIN_PASSPHRASE} characters; leave out to have one made",
    )  # fmt: skip


class RoleIn(BaseModel):
    role: RoleName
    passphrase: SecretStr | None = Field(
        default=None, max_length=1000,
        description="her new passphrase (the role is sealed in her keyslot under it); "
        "leave out to have one made",
    )  # fmt: skip


class UserMadeOut(BaseModel):
    user: str
    role: str
    passphrase: str | None = Field(description="only when it was generated: shown this once")
    sessions_ended: int = 0


class RemovedOut(BaseModel):
    user: str
    removed: bool
    sessions_ended: int


def _secret(given: SecretStr | None) -> str | None:
    return given.get_secret_value() if given is not None else None


def _made(made: UserChanged, ended: int = 0) -> UserMadeOut:
    secret = made.passphrase.reveal() if made.passphrase is not None else None
    return UserMadeOut(user=made.user, role=made.role.value, passphrase=secret,
                       sessions_ended=ended)  # fmt: skip


@api.get("/users")
def list_users(who: AdminActor) -> list[UserOut]:
    """(Admins) the users who may sign in, with their roles."""
    return [UserOut(user=u, role=r.value) for u, r in accounts.active_users(who.ws).items()]


@api.post("/users", status_code=201)
def add_api(who: AdminActor, body: UserIn) -> UserMadeOut:
    """(Admins) a new user; she enrols her second factor at her first sign-in."""
    return _made(users.add_user(who.ws, body.user, body.role, _secret(body.passphrase)))


@api.post("/users/{user}/remove")
def remove_api(request: Request, who: AdminActor, user: str) -> RemovedOut:
    """(Admins) remove a user (not yourself, not the last admin); her sessions end."""
    name = users.remove_user(who.ws, user)
    ended = app_state(request).sessions.drop_user(name)
    return RemovedOut(user=name, removed=True, sessions_ended=ended)


@api.post("/users/{user}/role")
def role_api(request: Request, who: AdminActor, user: str, body: RoleIn) -> UserMadeOut:
    """(Admins) another role, in a new keyslot with a new passphrase; her sessions end."""
    made = users.change_role(who.ws, user, body.role, _secret(body.passphrase))
    return _made(made, app_state(request).sessions.drop_user(made.user))
