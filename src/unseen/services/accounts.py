"""Web sign-in state kept in the workspace: failed attempts, lockouts, TOTP second factors.

A web user signs in with her workspace user name and passphrase: the keyslot in keys.json is
already an Argon2id hash of it (docs/store.md), so no second password store is kept. What the
keyslots lack is kept here, as records written by the server's own (admin) session:

- ``web_lockout`` (attributes only): failures since the last success, and until when the account
  is locked (ISO time, UTC). Every change is an audited version, so attacks leave a trace.
- ``web_totp``: the TOTP secret, in the record's identity, sealed under the identity key like a
  name; attributes hold the last accepted time step, so a code cannot be replayed.

Neither kind travels in bundles (services.bundle keeps them home).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from unseen.crypto import Secret, verify_totp
from unseen.errors import PermissionDenied
from unseen.store import Role, Workspace

LOCKOUT_KIND = "web_lockout"
TOTP_KIND = "web_totp"
LOCAL_KINDS = frozenset({LOCKOUT_KIND, TOTP_KIND})
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


@dataclass(frozen=True)
class Lockout:
    failures: int
    locked_until: float | None  # Unix seconds

    def locked(self, now: float) -> bool:
        return self.locked_until is not None and now < self.locked_until


def _iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")


def _unix(text: str | None) -> float | None:
    return None if text is None else dt.datetime.fromisoformat(text).timestamp()


def _check_server(ws: Workspace) -> None:
    if ws.role is not Role.ADMIN:
        raise PermissionDenied(
            "the web server must be unlocked by an admin / 웹 서버는 관리자로 열어야 합니다"
        )


def active_users(ws: Workspace) -> dict[str, Role]:
    return {u.name: u.role for u in ws.list_users() if u.removed_at is None}


def lockout(ws: Workspace, user: str) -> Lockout:
    for rec in ws.query(LOCKOUT_KIND, user=user):
        a = rec.attributes
        return Lockout(a["failures"], _unix(a["locked_until"]))
    return Lockout(0, None)


def _write_lockout(ws: Workspace, user: str, failures: int, until: float | None) -> None:
    found = ws.query(LOCKOUT_KIND, user=user)
    attrs = {
        "user": user,
        "failures": failures,
        "locked_until": None if until is None else _iso(until),
    }
    ws.put(LOCKOUT_KIND, attrs, record_id=found[0].record_id if found else None)


def record_failure(ws: Workspace, user: str, now: float) -> Lockout:
    """Count a failed passphrase or code; the fifth in a row locks the account for 15 minutes."""
    _check_server(ws)
    state = lockout(ws, user)
    failures = state.failures + 1
    until = now + LOCK_SECONDS if failures >= MAX_FAILURES else state.locked_until
    _write_lockout(ws, user, failures, until)
    return Lockout(failures, until)


def record_success(ws: Workspace, user: str) -> None:
    _check_server(ws)
    state = lockout(ws, user)
    if state.failures or state.locked_until is not None:
        _write_lockout(ws, user, 0, None)


def unlock_account(ws: Workspace, user: str) -> None:
    """Admins: end a lockout now."""
    _check_server(ws)
    _write_lockout(ws, user, 0, None)


def totp_secret(ws: Workspace, user: str) -> tuple[Secret, int | None] | None:
    """(secret, last accepted step) of ``user``'s second factor, or None if not enrolled."""
    for rec in ws.query(TOTP_KIND, user=user):
        if not rec.attributes.get("enrolled"):
            return None
        opened = ws.get(TOTP_KIND, rec.record_id, reveal=True).identity or {}
        return Secret(base64.b64decode(opened["secret"])), rec.attributes.get("last_step")
    return None


def has_second_factor(ws: Workspace, user: str) -> bool:
    return any(r.attributes.get("enrolled") for r in ws.query(TOTP_KIND, user=user))


def _write_totp(ws: Workspace, user: str, secret: Secret, last_step: int | None) -> None:
    found = ws.query(TOTP_KIND, user=user)
    ws.put(
        TOTP_KIND,
        {"user": user, "enrolled": True, "last_step": last_step},
        {"secret": base64.b64encode(secret.reveal()).decode("ascii")},
        record_id=found[0].record_id if found else None,
    )


def enrol_totp(ws: Workspace, user: str, secret: Secret, code: str, now: float) -> bool:
    """Save ``secret`` as ``user``'s second factor if ``code`` proves her app has it."""
    _check_server(ws)
    step = verify_totp(secret, code, now)
    if step is None:
        return False
    _write_totp(ws, user, secret, step)
    return True


def check_totp(ws: Workspace, user: str, code: str, now: float) -> bool:
    """True if ``code`` is ``user``'s current code and was not used before (then it is spent)."""
    _check_server(ws)
    found = totp_secret(ws, user)
    if found is None:
        return False
    secret, last = found
    step = verify_totp(secret, code, now, after_step=last)
    if step is None:
        return False
    _write_totp(ws, user, secret, step)
    return True


def reset_totp(ws: Workspace, user: str) -> None:
    """Admins: forget ``user``'s second factor (a lost phone); she enrols again at next sign-in."""
    _check_server(ws)
    for rec in ws.query(TOTP_KIND, user=user):
        ws.put(TOTP_KIND, {"user": user, "enrolled": False, "last_step": None}, None,
               record_id=rec.record_id)  # fmt: skip
