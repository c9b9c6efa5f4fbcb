"""Users, passphrases and recovery: changes rewrite ``keys.json`` only, never the data.

Every change is first committed to the database (users table + audit entry), then written to
keys.json under the workspace lock, so a crash in between leaves an audit entry without a slot
(harmless; repeat the command), never a slot without an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from unseen.crypto import Passphrase, SymmetricKey, split_secret
from unseen.errors import InputError, IntegrityError, PermissionDenied, UnknownUser

from . import _schema as s
from ._audit import Event
from ._canonical import timestamp
from ._context import Context
from ._files import locked, read_json, write_json
from ._keyfile import KeyFile, as_passphrase, make_slot, normalise_user, seal_recovery
from ._values import Role, UserInfo, parse_role

_U = s.users
LOCK_NAME = "workspace.lock"


def update_keyfile(
    ctx: Context, change: Callable[[KeyFile], KeyFile], *, sync_dir: bool = True
) -> None:
    """Re-read, check, change, re-sign and atomically replace keys.json under the lock."""
    with locked(ctx.root / LOCK_NAME):
        current = KeyFile.from_dict(read_json(ctx.keys_path, "keys.json"))
        if current.workspace_id != ctx.workspace_id:
            raise IntegrityError("keys.json belongs to another workspace")
        current.check_signature(ctx.verify_key)
        new = change(current)
        if new is current:
            ctx.keyfile = current
            return
        new = new.signed(ctx.signing_key)
        write_json(ctx.keys_path, new.to_dict(), sync_dir=sync_dir)
        ctx.keyfile = new


def record_head(ctx: Context, seq: int, head: str) -> None:
    # After every commit. If a crash loses this rename, the old file with an older head comes
    # back, which open accepts (the database may be ahead of keys.json, never behind): so the
    # directory need not be fsynced here; slot changes always fsync it.
    update_keyfile(ctx, lambda kf: kf.with_head(seq, head), sync_dir=False)


def _active(ctx: Context, name: str) -> sa.Row[Any] | None:
    row = ctx.db.execute(sa.select(_U).where(_U.c.name == name)).first()
    return None if row is None or row.removed_at is not None else row


def _upsert_user(ctx: Context, name: str, role: Role) -> None:
    now = timestamp(ctx.clock)
    if ctx.db.execute(sa.select(_U.c.name).where(_U.c.name == name)).first():
        ctx.db.execute(
            _U.update()
            .where(_U.c.name == name)
            .values(role=role.value, added_at=now, added_by=ctx.user, removed_at=None)
        )
    else:
        ctx.db.execute(
            _U.insert().values(name=name, role=role.value, added_at=now, added_by=ctx.user)
        )


def _full_keys(ctx: Context) -> SymmetricKey:
    # Writing any slot needs IK too (a revealing role's slot carries it); admins always hold it.
    return ctx.identity_key("manage keyslots")


def add_user(ctx: Context, name: str, passphrase: Passphrase | str, role: Role | str) -> None:
    ctx.require_admin("add users")
    name, role, passphrase = normalise_user(name), parse_role(role), as_passphrase(passphrase)
    ik = _full_keys(ctx)
    with ctx.db.transaction():
        if _active(ctx, name) is not None and ctx.keyfile.find(name) is not None:
            raise InputError(f"user {name} already exists / 이미 있는 사용자입니다")
        _upsert_user(ctx, name, role)
        ctx.db.audit(Event("add_user", detail={"user": name, "role": role.value}))
    slot = make_slot(ctx.keyfile, user=name, role=role, passphrase=passphrase, mk=ctx.mk, ik=ik)
    update_keyfile(ctx, lambda kf: kf.with_slot(slot))


def remove_user(ctx: Context, name: str) -> None:
    ctx.require_admin("remove users")
    name = normalise_user(name)
    with ctx.db.transaction():
        row = _active(ctx, name)
        if row is None:
            raise UnknownUser(f"no user {name} / 없는 사용자입니다")
        if row.role == Role.ADMIN.value and _admins(ctx) <= 1:
            raise PermissionDenied(
                "refusing to remove the last admin / 마지막 관리자는 삭제할 수 없습니다"
            )
        ctx.db.execute(_U.update().where(_U.c.name == name).values(removed_at=timestamp(ctx.clock)))
        ctx.db.audit(Event("remove_user", detail={"user": name, "role": row.role}))
    slot_id = ctx.keyfile.slot_id(name)
    update_keyfile(ctx, lambda kf: kf.without_slot(slot_id))


def change_role(ctx: Context, name: str, role: Role | str, passphrase: Passphrase | str) -> None:
    """A new role in one step: the users row and its audit entry in one transaction, then one
    atomic keys.json write that replaces her slot. The role is sealed in the slot under her
    passphrase, which the admin does not know, so the new slot comes with a new passphrase."""
    ctx.require_admin("change roles")
    name, role, passphrase = normalise_user(name), parse_role(role), as_passphrase(passphrase)
    ik = _full_keys(ctx)
    with ctx.db.transaction():
        row = _active(ctx, name)
        if row is None or ctx.keyfile.find(name) is None:
            raise UnknownUser(f"no user {name} / 없는 사용자입니다")
        if row.role == Role.ADMIN.value and role is not Role.ADMIN and _admins(ctx) <= 1:
            raise PermissionDenied(
                "refusing to demote the last admin / 마지막 관리자의 역할은 바꿀 수 없습니다"
            )
        ctx.db.execute(_U.update().where(_U.c.name == name).values(role=role.value))
        ctx.db.audit(
            Event("change_role", detail={"user": name, "from": row.role, "role": role.value})
        )
    slot = make_slot(ctx.keyfile, user=name, role=role, passphrase=passphrase, mk=ctx.mk, ik=ik)
    update_keyfile(ctx, lambda kf: kf.with_slot(slot))


def _admins(ctx: Context) -> int:
    return int(
        ctx.db.execute(
            sa.select(sa.func.count())
            .select_from(_U)
            .where(_U.c.role == Role.ADMIN.value, _U.c.removed_at.is_(None))
        ).scalar_one()
    )


def change_passphrase(ctx: Context, name: str, new_passphrase: Passphrase | str) -> None:
    name, passphrase = normalise_user(name), as_passphrase(new_passphrase)
    if name != ctx.user:
        ctx.require_admin("change another user's passphrase")
    with ctx.db.transaction():
        row = _active(ctx, name)
        if row is None:
            raise UnknownUser(f"no user {name} / 없는 사용자입니다")
        role = Role(row.role)
        ctx.db.audit(Event("change_passphrase", detail={"user": name, "role": role.value}))
    ik = ctx.identity_key("manage keyslots") if role.can_reveal else None
    slot = make_slot(ctx.keyfile, user=name, role=role, passphrase=passphrase, mk=ctx.mk, ik=ik)
    update_keyfile(ctx, lambda kf: kf.with_slot(slot))


def list_users(ctx: Context) -> list[UserInfo]:
    with ctx.db.read() as conn:
        rows = conn.execute(sa.select(_U).order_by(_U.c.name)).all()
    return [UserInfo(r.name, Role(r.role), r.added_at, r.added_by, r.removed_at) for r in rows]


def create_recovery_shares(ctx: Context) -> tuple[str, str, str]:
    ctx.require_admin("create recovery shares")
    ik = _full_keys(ctx)
    rk = SymmetricKey.generate()
    with ctx.db.transaction():
        ctx.db.audit(Event("create_recovery", detail={"shares": 3, "threshold": 2}))
    update_keyfile(ctx, lambda kf: seal_recovery(kf, rk, ctx.mk, ik))
    a, b, c = split_secret(rk.to_bytes(), shares=3, threshold=2)
    return a, b, c


def grant_recovered_admin(ctx: Context, passphrase: Passphrase) -> None:
    """After unlocking with recovery shares: (re)write an admin slot for ``ctx.user``."""
    with ctx.db.transaction():
        _upsert_user(ctx, ctx.user, Role.ADMIN)
        ctx.db.audit(Event("recover", detail={"user": ctx.user, "role": Role.ADMIN.value}))
    slot = make_slot(
        ctx.keyfile,
        user=ctx.user,
        role=Role.ADMIN,
        passphrase=passphrase,
        mk=ctx.mk,
        ik=_full_keys(ctx),
    )
    update_keyfile(ctx, lambda kf: kf.with_slot(slot))
