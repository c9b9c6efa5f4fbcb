"""``Workspace``: create, open, recover and use an encrypted documentation workspace.

The class is a thin facade: records live in ``_records``, evidence in ``_evidence``, users and
recovery in ``_users``, the audit check in ``_verify``. Design and threat notes: docs/store.md.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from unseen.crypto import (
    KdfParams,
    Passphrase,
    SigningKey,
    SymmetricKey,
    VerifyKey,
    combine_shares,
    derive_subkey,
    open_sealed,
    seal,
)
from unseen.errors import (
    CryptoError,
    InputError,
    IntegrityError,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceNotFound,
    WrongPassphrase,
)

from . import _evidence, _records, _users, _verify
from . import _schema as s
from ._audit import Chain, Event, check_entry
from ._canonical import Clock, timestamp, utc_now
from ._context import DB_PURPOSE, SIGNING_WRAP_PURPOSE, Context
from ._db import Database
from ._engine import integrity_problems, make_engine, memory_security_on
from ._files import read_json, remove_stale_temps, write_json
from ._header import Header
from ._keyfile import (
    WRONG_PASSPHRASE,
    KeyFile,
    Unlocked,
    as_passphrase,
    make_slot,
    new_keyfile,
    normalise_user,
    open_recovery,
    open_slot,
)
from ._migrate import current_revision, head_revision, upgrade
from ._values import AuditReport, EvidenceItem, EvidenceRef, RecordRef, Role, StoredRecord, UserInfo

HEADER, KEYS, DB, EVIDENCE = "workspace.json", "keys.json", "store.db", "evidence"
STORE_FORMAT = "unseen-store/1"
_ROLLED_BACK = (
    "the audit log is shorter than keys.json records: the database was rolled back, truncated "
    "or replaced by an older copy / 감사 기록이 잘렸거나 이전 사본으로 바뀌었습니다"
)


_STATEMENT = b"unseen/v1/statement|"


def _signing_aad(workspace_id: str) -> bytes:
    return f"unseen/v1/audit-signing-key|{workspace_id}".encode()


class Workspace:
    """An open, unlocked workspace. Use :meth:`create`, :meth:`open` or :meth:`recover`.

    Not thread-safe: one thread per instance. Several processes may open the same workspace;
    writes are serialised by SQLite (``BEGIN IMMEDIATE``) and a lock file around keys.json.
    """

    def __init__(self, ctx: Context) -> None:
        self._ctx: Context | None = ctx

    # -- lifecycle ------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        user: str,
        passphrase: Passphrase | str,
        kdf: KdfParams | None = None,
        clock: Clock | None = None,
    ) -> Workspace:
        """Make a new workspace whose first user is an admin; refuses a non-empty directory."""
        root = Path(path)
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise WorkspaceExists(f"{root} exists and is not empty / 이미 있는 폴더입니다")
        user, passphrase = normalise_user(user), as_passphrase(passphrase)
        kdf, clock = kdf or KdfParams.default(), clock or utc_now
        made_root = not root.exists()
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        db: Database | None = None
        try:
            (root / EVIDENCE).mkdir(mode=0o700)
            workspace_id = str(uuid.uuid4())
            mk, ik, sk = SymmetricKey.generate(), SymmetricKey.generate(), SigningKey.generate()
            # SQLite gives its -wal and -shm files the database file's mode: make it owner-only.
            os.close(os.open(root / DB, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            vk = sk.public_key()
            created = timestamp(clock)
            db = Database(
                make_engine(root / DB, derive_subkey(mk, DB_PURPOSE)), clock=clock, actor=user
            )
            db.chain = Chain(workspace_id, sk)
            wrapped_sk = seal(
                sk.to_bytes(),
                derive_subkey(mk, SIGNING_WRAP_PURPOSE),
                aad=_signing_aad(workspace_id),
            )
            with db.transaction():
                _, revision = upgrade(db.conn)
                db.execute(
                    s.meta.insert(),
                    [
                        {"key": "format", "value": STORE_FORMAT},
                        {"key": "workspace_id", "value": workspace_id},
                        {"key": "created_at", "value": created},
                        {"key": "audit_verify_key", "value": vk.to_bytes().hex()},
                        {
                            "key": "audit_signing_key",
                            "value": base64.b64encode(wrapped_sk).decode(),
                        },
                    ],
                )
                db.execute(
                    s.users.insert().values(
                        name=user, role=Role.ADMIN.value, added_at=created, added_by=user
                    )
                )
                db.audit(
                    Event(
                        "create_workspace",
                        detail={"user": user, "role": Role.ADMIN.value, "schema": revision},
                    )
                )
            keyfile = new_keyfile(workspace_id, kdf)
            slot = make_slot(
                keyfile, user=user, role=Role.ADMIN, passphrase=passphrase, mk=mk, ik=ik
            )
            keyfile = keyfile.with_slot(slot).with_head(db.chain.seq, db.chain.head).signed(sk)
            write_json(root / KEYS, keyfile.to_dict())
            Header(workspace_id, created, vk).write(root / HEADER)  # written last: marks done
            ctx = Context(
                root=root,
                workspace_id=workspace_id,
                user=user,
                role=Role.ADMIN,
                mk=mk,
                ik=ik,
                signing_key=sk,
                verify_key=vk,
                db=db,
                clock=clock,
                keyfile=keyfile,
            )
            db.on_commit = lambda seq, head: _users.record_head(ctx, seq, head)
            return cls(ctx)
        except BaseException:
            if db is not None:
                db.close()
            if made_root:
                shutil.rmtree(root, ignore_errors=True)
            else:
                for name in (HEADER, KEYS, DB, DB + "-wal", DB + "-shm", EVIDENCE):
                    target = root / name
                    if target.is_dir():
                        shutil.rmtree(target, ignore_errors=True)
                    else:
                        target.unlink(missing_ok=True)
            raise

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        user: str,
        passphrase: Passphrase | str,
        clock: Clock | None = None,
    ) -> Workspace:
        """Unlock with a user's passphrase. Wrong user or passphrase: one WrongPassphrase."""
        root, header, keyfile = _read_public(Path(path))
        unlocked = open_slot(keyfile, user, as_passphrase(passphrase))
        return cls._attach(root, header, keyfile, unlocked, clock or utc_now, recovering=False)

    @classmethod
    def recover(
        cls,
        path: str | os.PathLike[str],
        shares: Sequence[str],
        *,
        user: str,
        new_passphrase: Passphrase | str,
        clock: Clock | None = None,
    ) -> Workspace:
        """Unlock with 2 of the 3 recovery shares and give ``user`` an admin slot."""
        root, header, keyfile = _read_public(Path(path))
        user, passphrase = normalise_user(user), as_passphrase(new_passphrase)
        secret = combine_shares(shares)  # a typo, too few or mixed shares: CryptoError says which
        try:
            rk = SymmetricKey.from_bytes(secret)
        except CryptoError:
            raise WrongPassphrase("the recovery shares do not open this workspace") from None
        mk, ik = open_recovery(keyfile, rk)
        unlocked = Unlocked(user=user, role=Role.ADMIN, mk=mk, ik=ik)
        ws = cls._attach(root, header, keyfile, unlocked, clock or utc_now, recovering=True)
        try:
            _users.grant_recovered_admin(ws._c, passphrase)
        except BaseException:
            ws.close()
            raise
        return ws

    @classmethod
    def _attach(
        cls,
        root: Path,
        header: Header,
        keyfile: KeyFile,
        unlocked: Unlocked,
        clock: Clock,
        *,
        recovering: bool,
    ) -> Workspace:
        if not (root / DB).is_file():
            raise IntegrityError("store.db is missing from the workspace / store.db가 없습니다")
        remove_stale_temps(root)
        db = Database(
            make_engine(root / DB, derive_subkey(unlocked.mk, DB_PURPOSE)),
            clock=clock,
            actor=unlocked.user,
        )
        try:
            ctx = _checked_context(root, header, keyfile, unlocked, clock, db, recovering)
            db.on_commit = lambda seq, head: _users.record_head(ctx, seq, head)
            with db.read() as conn:
                revision = current_revision(conn)
            if revision != head_revision():
                with db.transaction():
                    before, after = upgrade(db.conn)
                    db.audit(Event("migrate", detail={"from": before, "to": after}))
            return cls(ctx)
        except BaseException:
            db.close()
            raise

    def sibling(self) -> Workspace:
        """Another handle on this open workspace, for another thread: the same user, role and
        keys (no passphrase, no key derivation), its own database connection and audit cursor.

        Handles are as independent as two processes: SQLite serialises their writes (``BEGIN
        IMMEDIATE``; in WAL mode reads go on meanwhile), each reads the chain head inside its
        write lock, and keys.json's head is rewritten under the lock file. Close it when done;
        closing one handle leaves the other open.
        """
        c = self._c
        db = Database(
            make_engine(c.root / DB, derive_subkey(c.mk, DB_PURPOSE)), clock=c.clock, actor=c.user
        )
        db.chain = Chain(c.workspace_id, c.signing_key)
        ctx = dataclasses.replace(c, db=db)
        db.on_commit = lambda seq, head: _users.record_head(ctx, seq, head)
        return Workspace(ctx)

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.db.close()
            self._ctx = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._ctx is None else f"role={self._ctx.role.value}"
        wid = self._ctx.workspace_id if self._ctx is not None else "-"
        return f"Workspace(id={wid}, {state})"  # no user name: user names are kept private

    @property
    def _c(self) -> Context:
        if self._ctx is None:
            raise WorkspaceError("the workspace is closed / 작업 공간이 닫혀 있습니다")
        return self._ctx

    # -- facts ----------------------------------------------------------------------------------

    @property
    def user(self) -> str:
        return self._c.user

    @property
    def role(self) -> Role:
        return self._c.role

    @property
    def workspace_id(self) -> str:
        return self._c.workspace_id

    @property
    def path(self) -> Path:
        return self._c.root

    @property
    def verify_key(self) -> VerifyKey:
        """The audit log's Ed25519 public key (also in workspace.json)."""
        return self._c.verify_key

    def sign(self, digest: bytes) -> bytes:
        """Sign a 32-byte digest with the workspace's audit key (for bundles and reports).

        Only digests are signed, so the key can never be used to sign a forged audit entry's
        canonical text by accident; audit entries are signed over their own entry hash.
        """
        if len(digest) != 32:
            raise InputError("only a 32-byte SHA-256 digest can be signed")
        return self._c.signing_key.sign(_STATEMENT + digest)

    @staticmethod
    def verify_statement(key: VerifyKey, digest: bytes, signature: bytes) -> None:
        """Check a signature made by :meth:`sign`; raises SignatureInvalid."""
        key.verify(signature, _STATEMENT + digest)

    @property
    def chain_head(self) -> tuple[int, str]:
        """(seq, entry hash) of the last committed audit entry, as recorded in keys.json."""
        kf = self._c.keyfile
        return kf.head_seq, kf.head_hash

    @property
    def schema_revision(self) -> str | None:
        with self._c.db.read() as conn:
            return current_revision(conn)

    @property
    def memory_security(self) -> bool:
        """Whether SQLCipher wipes freed memory on this build (cipher_memory_security)."""
        with self._c.db.read() as conn:
            return memory_security_on(conn)

    # -- records --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Workspace]:
        """All-or-nothing group of writes; nested blocks join the outermost one."""
        with self._c.db.transaction():
            yield self

    def put(
        self,
        kind: str,
        attributes: Mapping[str, Any],
        identity: Mapping[str, Any] | None = None,
        *,
        record_id: str | None = None,
        name_tokens: Iterable[str] | None = None,
    ) -> RecordRef:
        """Store a new record, or a new version of ``record_id``. Nothing is overwritten.

        ``identity=None`` means the new version has no identity; a role without the identity
        key may not write a version of a record that has one (PermissionDenied).
        ``name_tokens=None`` keeps the previous version's tokens in the blind index; pass a
        sequence (``()`` for none) to replace them. Giving tokens needs the identity key.
        """
        return _records.put(self._c, kind, attributes, identity, record_id, name_tokens)

    def get(
        self, kind: str, record_id: str, *, version: int | None = None, reveal: bool = False
    ) -> StoredRecord:
        return _records.get(self._c, kind, record_id, version, reveal)

    def history(self, kind: str, record_id: str, *, reveal: bool = False) -> list[StoredRecord]:
        """Every version of a record, oldest first."""
        return _records.history(self._c, kind, record_id, reveal)

    def iter_current(self, kind: str, *, reveal: bool = False) -> Iterator[StoredRecord]:
        """Current, non-deleted versions of ``kind`` in write order."""
        return _records.iter_current(self._c, kind, reveal)

    def count(self, kind: str) -> int:
        """Number of current, non-deleted records of ``kind``."""
        return _records.count(self._c, kind)

    def query(self, kind: str, /, **equals: Any) -> list[StoredRecord]:
        """Current records of ``kind`` whose attributes equal all of ``equals`` (no identity)."""
        return _records.query(self._c, kind, equals)

    def delete(self, kind: str, record_id: str) -> RecordRef:
        """Write a tombstone version; the history stays."""
        return _records.delete(self._c, kind, record_id)

    def find_by_name_tokens(
        self, tokens: Iterable[str], *, kind: str | None = None
    ) -> list[RecordRef]:
        """Current records sharing a name token (keyed blind index), most shared first."""
        return _records.find_by_name_tokens(self._c, tokens, kind)

    # -- replication (bundles) ------------------------------------------------------------------

    def iter_all_versions(self, *, reveal: bool) -> Iterator[StoredRecord]:
        """Every stored version, oldest first (created_at, then storage order)."""
        return _records.iter_all_versions(self._c, reveal)

    def put_replica(
        self, record: StoredRecord, *, origin_workspace: str, name_tokens: Iterable[str] = ()
    ) -> RecordRef:
        """Store a version from another workspace with its id, version, time and author.

        The same version already here is a no-op; a different one raises RecordConflict.
        """
        return _records.put_replica(self._c, record, origin_workspace, name_tokens)

    # -- evidence -------------------------------------------------------------------------------

    def add_evidence(
        self,
        path_or_bytes: bytes | str | os.PathLike[str],
        *,
        media_type: str,
        filename: str | None = None,
    ) -> EvidenceRef:
        return _evidence.add(self._c, path_or_bytes, media_type=media_type, filename=filename)

    def read_evidence(self, address: str) -> bytes:
        """Decrypt and check a blob (audited as ``read_evidence``)."""
        return _evidence.read(self._c, address)

    def evidence_info(self, address: str) -> EvidenceItem:
        return _evidence.info(self._c, address)

    def iter_evidence(self) -> Iterator[EvidenceItem]:
        return _evidence.iter_items(self._c)

    def add_evidence_replica(
        self,
        data: bytes,
        *,
        media_type: str,
        filename: str | None,
        created_at: str,
        author: str,
        origin_workspace: str,
    ) -> EvidenceRef:
        return _evidence.add(
            self._c,
            data,
            media_type=media_type,
            filename=filename,
            created_at=created_at,
            author=author,
            action="replicate_evidence",
            origin=str(origin_workspace),
        )

    # -- users ----------------------------------------------------------------------------------

    def add_user(self, name: str, passphrase: Passphrase | str, role: Role | str) -> None:
        _users.add_user(self._c, name, passphrase, role)

    def remove_user(self, name: str) -> None:
        _users.remove_user(self._c, name)

    def change_role(self, name: str, role: Role | str, passphrase: Passphrase | str) -> None:
        """Admins: another role for a user, in a new keyslot under a new passphrase."""
        _users.change_role(self._c, name, role, passphrase)

    def change_passphrase(self, name: str, new_passphrase: Passphrase | str) -> None:
        _users.change_passphrase(self._c, name, new_passphrase)

    def list_users(self) -> list[UserInfo]:
        return _users.list_users(self._c)

    def create_recovery_shares(self) -> tuple[str, str, str]:
        """Three shares, any two of which recover admin access; replaces earlier shares."""
        return _users.create_recovery_shares(self._c)

    # -- audit ----------------------------------------------------------------------------------

    def verify(self) -> AuditReport:
        return _verify.verify(self._c)


def _read_public(root: Path) -> tuple[Path, Header, KeyFile]:
    if not (root / HEADER).is_file():
        raise WorkspaceNotFound(f"no unseen workspace at {root} / 작업 공간을 찾을 수 없습니다")
    header = Header.read(root / HEADER)
    if not (root / KEYS).is_file():
        raise IntegrityError("keys.json is missing from the workspace / keys.json이 없습니다")
    keyfile = KeyFile.from_dict(read_json(root / KEYS, "keys.json"))
    if keyfile.workspace_id != header.workspace_id:
        raise IntegrityError("keys.json belongs to another workspace / 다른 작업 공간의 keys.json")
    return root, header, keyfile


def _checked_context(
    root: Path,
    header: Header,
    keyfile: KeyFile,
    unlocked: Unlocked,
    clock: Clock,
    db: Database,
    recovering: bool,
) -> Context:
    """Check the database against the header and keys.json before anything is used."""
    with db.read() as conn:
        damage = integrity_problems(conn, full=False)
        if damage is not None:
            raise IntegrityError(f"{damage} / 데이터베이스가 변경되었거나 손상되었습니다")
        meta = {row.key: row.value for row in conn.execute(sa.select(s.meta))}
        last = conn.execute(
            sa.select(s.audit_log).order_by(s.audit_log.c.seq.desc()).limit(1)
        ).first()
        at_head = None
        if keyfile.head_seq:
            at_head = conn.execute(
                sa.select(s.audit_log.c.entry_hash).where(s.audit_log.c.seq == keyfile.head_seq)
            ).scalar()
        user_row = conn.execute(sa.select(s.users).where(s.users.c.name == unlocked.user)).first()
    wid, vk = header.workspace_id, header.verify_key
    if meta.get("workspace_id") != wid or meta.get("audit_verify_key") != vk.to_bytes().hex():
        raise IntegrityError("workspace.json does not match the database / workspace.json 불일치")
    try:
        wrapped = base64.b64decode(meta.get("audit_signing_key", ""), validate=True)
        sk = SigningKey.from_bytes(
            open_sealed(
                wrapped, derive_subkey(unlocked.mk, SIGNING_WRAP_PURPOSE), aad=_signing_aad(wid)
            )
        )
    except (CryptoError, binascii.Error, ValueError):
        raise IntegrityError("the audit signing key cannot be unwrapped") from None
    if sk.public_key() != vk:
        raise IntegrityError("the audit signing key does not match workspace.json")
    keyfile.check_signature(vk)
    if last is None or last.seq < keyfile.head_seq or at_head != keyfile.head_hash:
        raise IntegrityError(_ROLLED_BACK)
    why = check_entry(
        last, workspace_id=wid, expected_seq=last.seq, prev_hash=last.prev_hash, verify_key=vk
    )
    if why is not None:
        raise IntegrityError(f"the last audit entry ({last.seq}) does not verify: {why}")
    if not recovering and (
        user_row is None or user_row.removed_at is not None or user_row.role != unlocked.role
    ):
        raise WrongPassphrase(WRONG_PASSPHRASE)  # e.g. a removed user's slot from an old copy
    chain = Chain(wid, sk)
    db.chain = chain
    return Context(
        root=root,
        workspace_id=wid,
        user=unlocked.user,
        role=unlocked.role,
        mk=unlocked.mk,
        ik=unlocked.ik,
        signing_key=sk,
        verify_key=vk,
        db=db,
        clock=clock,
        keyfile=keyfile,
    )
