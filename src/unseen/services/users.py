"""Users managed by an admin from the web: add one (a passphrase she sets, or one generated and
shown once), remove one, change one's role. The keyslots are the store's (``keys.json``,
docs/store.md): this module checks what the web adds and calls ``Workspace.add_user`` and
``Workspace.remove_user``, as ``unseen user`` does; the store audits each change
(``add_user``, ``remove_user``: the user and the role, never the passphrase).

- An admin may not remove herself, nor change her own role (she would lock herself out), nor
  remove or demote the last admin. Everything is checked before anything is written.
- A new user enrols her second factor at her first sign-in: a factor or a lockout left from an
  earlier user of that name is reset. A role change keeps her factor (the admin who hands her
  the new passphrase never holds both).
- **A role lives in the keyslot**, sealed under the user's passphrase with the keys the role
  holds (an analyst's slot has no identity key). An admin does not know that passphrase, so a
  new role needs a new keyslot, hence a new passphrase (set or generated): the store's
  ``change_role`` changes the users row and audits ``change_role`` in one transaction, then
  replaces her slot in one atomic keys.json write, so a crash never leaves her without one.
"""

from __future__ import annotations

import base64
import unicodedata
from dataclasses import dataclass

from unseen.crypto import Passphrase, random_bytes
from unseen.errors import InputError, PermissionDenied, RecordNotFound
from unseen.store import Role, Workspace

from . import accounts
from .access import Capability, require

__all__ = ["MIN_PASSPHRASE", "UserChanged", "add_user", "change_role", "remove_user"]

MIN_PASSPHRASE = 12


@dataclass(frozen=True, repr=False)
class UserChanged:
    """``passphrase`` is set only when it was generated: show it once, then forget it."""

    user: str
    role: Role
    passphrase: Passphrase | None

    def __repr__(self) -> str:
        return f"UserChanged(user={self.user!r}, role={self.role.value})"


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InputError(f"role: one of {allowed} / 역할을 고르십시오") from None


def _passphrase(given: str | None) -> tuple[Passphrase, bool]:
    """The admin's passphrase (checked), or a generated one (192 random bits)."""
    if given is None or not given.strip():
        text = base64.b32encode(random_bytes(15)).decode("ascii").lower()
        return Passphrase("-".join(text[i : i + 6] for i in range(0, 24, 6))), True
    if len(given) < MIN_PASSPHRASE:
        raise InputError(
            f"passphrase: at least {MIN_PASSPHRASE} characters, or leave it empty to have one "
            f"made / 암호는 {MIN_PASSPHRASE}자 이상이어야 합니다 (비우면 만들어 드립니다)"
        )
    return Passphrase(given), False


def _active(ws: Workspace) -> dict[str, Role]:
    require(ws.role, Capability.ACCOUNTS)
    return accounts.active_users(ws)


def normalise_user(name: str) -> str:
    """As the store matches user names (NFKC, trimmed, case-folded); it checks the rest."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _existing(users: dict[str, Role], name: str) -> str:
    norm = normalise_user(name)
    if norm not in users:
        raise RecordNotFound(f"no user {norm} / 없는 사용자입니다")
    return norm


def _last_admin(users: dict[str, Role], name: str) -> bool:
    return users[name] is Role.ADMIN and sum(r is Role.ADMIN for r in users.values()) <= 1


def _fresh_sign_in(ws: Workspace, name: str) -> None:
    """She enrols a second factor at her first sign-in, not with an earlier user's."""
    if accounts.has_second_factor(ws, name):
        accounts.reset_totp(ws, name)
    if accounts.lockout(ws, name).failures:
        accounts.unlock_account(ws, name)


def add_user(
    ws: Workspace, name: str, role: Role | str, passphrase: str | None = None
) -> UserChanged:
    """Admins: a new user with ``role``; ``passphrase`` None or empty: one is generated."""
    users = _active(ws)
    norm, kind = normalise_user(name), _role(role)
    if norm in users:
        raise InputError(f"user {norm} already exists / 이미 있는 사용자입니다")
    secret, made = _passphrase(passphrase)
    ws.add_user(norm, secret, kind)
    _fresh_sign_in(ws, norm)
    return UserChanged(norm, kind, secret if made else None)


def remove_user(ws: Workspace, name: str) -> str:
    """Admins: remove a user's keyslot (she can no longer sign in; her past stays audited)."""
    users = _active(ws)
    norm = _existing(users, name)
    if norm == ws.user:
        raise PermissionDenied("you cannot remove yourself / 자기 자신은 삭제할 수 없습니다")
    if _last_admin(users, norm):
        raise PermissionDenied(
            "refusing to remove the last admin / 마지막 관리자는 삭제할 수 없습니다"
        )
    ws.remove_user(norm)
    return norm


def change_role(
    ws: Workspace, name: str, role: Role | str, passphrase: str | None = None
) -> UserChanged:
    """Admins: give a user another role, in a new keyslot with a new passphrase (set, or
    generated when None or empty): the role is sealed in the slot under her passphrase."""
    users = _active(ws)
    norm, kind = _existing(users, name), _role(role)
    if norm == ws.user:
        raise PermissionDenied(
            "you cannot change your own role / 자기 자신의 역할은 바꿀 수 없습니다"
        )
    if users[norm] is kind:
        raise InputError(f"role: {norm} is already {kind.value} / 이미 그 역할입니다")
    if kind is not Role.ADMIN and _last_admin(users, norm):
        raise PermissionDenied(
            "refusing to demote the last admin / 마지막 관리자의 역할은 바꿀 수 없습니다"
        )
    secret, made = _passphrase(passphrase)
    ws.change_role(norm, kind, secret)  # her second factor stays: the admin holds only one factor
    return UserChanged(norm, kind, secret if made else None)
