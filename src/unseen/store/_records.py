"""Versioned records: put, get, history, current versions, attribute queries, tombstones, replicas.

A write never changes a stored row: a change is a new version, a deletion is a tombstone version
(no attributes, no identity, no name tokens). The current version of a record is its highest
version; a record whose current version is a tombstone is deleted.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from unseen.errors import InputError, PermissionDenied, RecordConflict, RecordNotFound

from . import _schema as s
from ._audit import Event
from ._canonical import canonical_json, record_content_hash, timestamp
from ._context import Context
from ._identity import identity_aad, open_identity, seal_identity, token_hashes
from ._values import RecordRef, StoredRecord

_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")
_MAX_ID = 128
_PAGE = 500
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_R = s.records

_CURRENT = """
SELECT r.rowid FROM records AS r
JOIN (SELECT record_id, max(version) AS v FROM records WHERE kind = :kind GROUP BY record_id) AS c
  ON r.record_id = c.record_id AND r.version = c.v
WHERE r.kind = :kind AND NOT r.deleted
"""


def check_kind(kind: object) -> str:
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise InputError(
            "a record kind is 1-40 lower-case letters, digits or '_', starting with a letter"
        )
    return kind


def check_record_id(record_id: object) -> str:
    if (
        not isinstance(record_id, str)
        or not 0 < len(record_id) <= _MAX_ID
        or not record_id.isprintable()
        or record_id != record_id.strip()
    ):
        raise InputError(f"a record id is 1-{_MAX_ID} printable characters without edge spaces")
    return record_id


def _attributes_json(attributes: Mapping[str, Any]) -> str:
    if not isinstance(attributes, Mapping):
        raise InputError("record attributes must be a mapping of names to JSON values")
    return canonical_json(dict(attributes))


def _identity_dict(identity: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if identity is None:
        return None
    if not isinstance(identity, Mapping):
        raise InputError("a record identity must be a mapping of names to JSON values")
    value = dict(identity)
    canonical_json(value)  # refuse non-JSON values before anything is sealed
    return value


def _state(ctx: Context, kind: str, record_id: str) -> tuple[int, bool, bool] | None:
    """(version, has identity, deleted) of the current version, pending writes included."""
    pending = ctx.db.written.get((kind, record_id))
    if pending is not None:
        return pending
    row = ctx.db.execute(
        sa.select(_R.c.version, _R.c.identity_sealed.is_not(None), _R.c.deleted)
        .where(_R.c.kind == kind, _R.c.record_id == record_id)
        .order_by(_R.c.version.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    version, has_identity, deleted = tuple(row)
    return int(version), bool(has_identity), bool(deleted)


def _previous_tokens(ctx: Context, kind: str, record_id: str, version: int) -> list[str]:
    # Carried over as hashes: no key needed, and the index keeps finding the record.
    if (kind, record_id) in ctx.db.written:
        ctx.db.flush()
    b = s.blind_index
    rows = ctx.db.execute(
        sa.select(b.c.token_hash).where(
            b.c.kind == kind, b.c.record_id == record_id, b.c.version == version
        )
    )
    return [r[0] for r in rows]


def _guard_identity_loss(ctx: Context, state: tuple[int, bool, bool] | None) -> None:
    # A role without the identity key must not write a version that silently drops an identity.
    if state is not None and state[1] and not ctx.role.can_reveal:
        raise PermissionDenied(
            f"this record holds identity data, which your role ({ctx.role.value}) cannot "
            "carry into a new version / 신원 정보가 있는 기록은 이 역할로 바꿀 수 없습니다"
        )


def _write_version(
    ctx: Context,
    *,
    kind: str,
    record_id: str,
    version: int,
    created_at: str,
    author: str,
    attributes_json: str,
    identity: dict[str, Any] | None,
    deleted: bool,
    token_hash_list: Sequence[str],
    action: str,
    detail: dict[str, Any] | None = None,
) -> RecordRef:
    sealed = wrapped = None
    if identity is not None:
        aad = identity_aad(ctx.workspace_id, kind, record_id, version)
        sealed, wrapped = seal_identity(ctx.identity_key("write identities"), aad, identity)
    content_hash = record_content_hash(
        kind=kind,
        record_id=record_id,
        version=version,
        created_at=created_at,
        author=author,
        attributes_json=attributes_json,
        identity_sealed=sealed,
        identity_key_wrapped=wrapped,
        deleted=deleted,
    )
    db = ctx.db
    db.insert(
        _R,
        {
            "kind": kind,
            "record_id": record_id,
            "version": version,
            "created_at": created_at,
            "author": author,
            "attributes": attributes_json,
            "identity_sealed": sealed,
            "identity_key_wrapped": wrapped,
            "deleted": deleted,
            "content_hash": content_hash,
        },
    )
    for token_hash in token_hash_list:
        db.insert(
            s.blind_index,
            {"token_hash": token_hash, "kind": kind, "record_id": record_id, "version": version},
        )
    # A local write is logged at its own time; a replica at the time it arrived here.
    db.audit(
        Event(action, kind, record_id, version, content_hash, detail),
        at=None if action == "replicate" else created_at,
    )
    known = db.written.get((kind, record_id))
    if known is None or known[0] < version:
        db.written[(kind, record_id)] = (version, sealed is not None, deleted)
    return RecordRef(kind, record_id, version)


def put(
    ctx: Context,
    kind: str,
    attributes: Mapping[str, Any],
    identity: Mapping[str, Any] | None,
    record_id: str | None,
    name_tokens: Iterable[str] | None,
) -> RecordRef:
    check_kind(kind)
    attributes_json = _attributes_json(attributes)
    ident = _identity_dict(identity)
    if isinstance(name_tokens, str):
        raise InputError(
            "give name tokens as a list of texts, not one text / 토큰 목록이 필요합니다"
        )
    tokens = None if name_tokens is None else list(name_tokens)
    hashes = token_hashes(ctx.blind_key, tokens) if tokens else []
    with ctx.db.transaction():
        if record_id is None:
            rid, version = str(uuid.uuid4()), 1
        else:
            rid = check_record_id(record_id)
            state = _state(ctx, kind, rid)
            if ident is None:
                _guard_identity_loss(ctx, state)
            version = 1 if state is None else state[0] + 1
            if tokens is None and state is not None and not state[2]:
                hashes = _previous_tokens(ctx, kind, rid, state[0])
        return _write_version(
            ctx,
            kind=kind,
            record_id=rid,
            version=version,
            created_at=timestamp(ctx.clock),
            author=ctx.user,
            attributes_json=attributes_json,
            identity=ident,
            deleted=False,
            token_hash_list=hashes,
            action="create" if version == 1 else "update",
        )


def delete(ctx: Context, kind: str, record_id: str) -> RecordRef:
    check_kind(kind)
    check_record_id(record_id)
    with ctx.db.transaction():
        state = _state(ctx, kind, record_id)
        if state is None or state[2]:
            raise RecordNotFound(f"no current {kind} record {record_id} to delete")
        _guard_identity_loss(ctx, state)
        return _write_version(
            ctx,
            kind=kind,
            record_id=record_id,
            version=state[0] + 1,
            created_at=timestamp(ctx.clock),
            author=ctx.user,
            attributes_json="{}",
            identity=None,
            deleted=True,
            token_hash_list=(),
            action="delete",
        )


# -- reading ------------------------------------------------------------------------------------


def _decode(ctx: Context, row: Any, *, reveal: bool) -> StoredRecord:
    identity = None
    if reveal and row.identity_sealed is not None:
        aad = identity_aad(ctx.workspace_id, row.kind, row.record_id, row.version)
        identity = open_identity(
            ctx.identity_key("reveal identities"),
            aad,
            row.identity_sealed,
            row.identity_key_wrapped,
        )
    return StoredRecord(
        kind=row.kind,
        record_id=row.record_id,
        version=row.version,
        attributes=json.loads(row.attributes),
        identity=identity,
        created_at=row.created_at,
        author=row.author,
        content_hash=row.content_hash,
        deleted=bool(row.deleted),
        has_identity=row.identity_sealed is not None,
    )


def _log_reveals(ctx: Context, records: Sequence[StoredRecord]) -> None:
    shown = [r for r in records if r.identity is not None]
    if not shown:
        return
    with ctx.db.transaction():  # committed before the caller sees anything
        for r in shown:
            ctx.db.audit(Event("reveal", r.kind, r.record_id, r.version, r.content_hash))


def get(ctx: Context, kind: str, record_id: str, version: int | None, reveal: bool) -> StoredRecord:
    if reveal:
        ctx.identity_key("reveal identities")
    query = sa.select(_R).where(_R.c.kind == kind, _R.c.record_id == record_id)
    if version is not None:
        query = query.where(_R.c.version == version)
    with ctx.db.read() as conn:
        row = conn.execute(query.order_by(_R.c.version.desc()).limit(1)).first()
    if row is None:
        which = f" version {version}" if version is not None else ""
        raise RecordNotFound(f"no {kind} record {record_id}{which}")
    record = _decode(ctx, row, reveal=reveal)
    _log_reveals(ctx, [record])
    return record


def history(ctx: Context, kind: str, record_id: str, reveal: bool) -> list[StoredRecord]:
    if reveal:
        ctx.identity_key("reveal identities")
    with ctx.db.read() as conn:
        rows = conn.execute(
            sa.select(_R)
            .where(_R.c.kind == kind, _R.c.record_id == record_id)
            .order_by(_R.c.version)
        ).all()
    if not rows:
        raise RecordNotFound(f"no {kind} record {record_id}")
    records = [_decode(ctx, row, reveal=reveal) for row in rows]
    _log_reveals(ctx, records)
    return records


def _rows_by_rowid(ctx: Context, rowids: Sequence[int]) -> list[Any]:
    rowid: sa.ColumnClause[int] = sa.literal_column("records.rowid")
    with ctx.db.read() as conn:
        rows = conn.execute(sa.select(_R, rowid.label("_rowid")).where(rowid.in_(rowids))).all()
    order = {r: i for i, r in enumerate(rowids)}
    return sorted(rows, key=lambda row: order[row._rowid])


def _iter_rowids(ctx: Context, rowids: Sequence[int], reveal: bool) -> Iterator[StoredRecord]:
    if reveal:
        ctx.identity_key("reveal identities")
    for start in range(0, len(rowids), _PAGE):
        rows = _rows_by_rowid(ctx, rowids[start : start + _PAGE])
        records = [_decode(ctx, row, reveal=reveal) for row in rows]
        _log_reveals(ctx, records)
        yield from records


def iter_current(ctx: Context, kind: str, reveal: bool) -> Iterator[StoredRecord]:
    """Current, non-deleted versions in the order they were written (snapshot at the start)."""
    if reveal:
        ctx.identity_key("reveal identities")
    with ctx.db.read() as conn:
        rowids = [
            r[0] for r in conn.execute(sa.text(_CURRENT + " ORDER BY r.rowid"), {"kind": kind})
        ]
    return _iter_rowids(ctx, rowids, reveal)


def iter_all_versions(ctx: Context, reveal: bool) -> Iterator[StoredRecord]:
    """Every stored version, oldest first (by created_at, then storage order)."""
    if reveal:
        ctx.identity_key("reveal identities")
    with ctx.db.read() as conn:
        rowids = [
            r[0]
            for r in conn.exec_driver_sql("SELECT rowid FROM records ORDER BY created_at, rowid")
        ]
    return _iter_rowids(ctx, rowids, reveal)


def count(ctx: Context, kind: str) -> int:
    with ctx.db.read() as conn:
        return int(
            conn.execute(
                sa.text(f"SELECT count(*) FROM ({_CURRENT})"),  # noqa: S608
                {"kind": kind},
            ).scalar_one()
        )


_MISSING = object()


def _equal(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, bool) or isinstance(value, bool):
        return type(value) is type(wanted) and value == wanted
    return bool(value == wanted)


def query(ctx: Context, kind: str, equals: Mapping[str, Any]) -> list[StoredRecord]:
    """Current records whose attributes equal every given value (JSON equality, None = null)."""
    sql = _CURRENT
    params: dict[str, Any] = {"kind": kind}
    for i, (name, wanted) in enumerate(equals.items()):
        if isinstance(wanted, str | int | float) and not isinstance(wanted, bool):
            # Narrow in SQL; the exact check below settles types (1 vs true, missing vs null).
            sql += f" AND json_extract(r.attributes, :p{i}) = :v{i}"
            params[f"p{i}"] = '$."' + name.replace('"', '""') + '"'
            params[f"v{i}"] = wanted
    with ctx.db.read() as conn:
        rowids = [r[0] for r in conn.execute(sa.text(sql + " ORDER BY r.rowid"), params)]
    out = []
    for record in _iter_rowids(ctx, rowids, reveal=False):
        if all(_equal(record.attributes.get(k, _MISSING), v) for k, v in equals.items()):
            out.append(record)
    return out


def find_by_name_tokens(ctx: Context, tokens: Iterable[str], kind: str | None) -> list[RecordRef]:
    """Current records sharing at least one name token, most shared tokens first."""
    hashes = token_hashes(ctx.blind_key, tokens if isinstance(tokens, str) else list(tokens))
    if not hashes:
        return []
    b = s.blind_index
    newer = sa.select(sa.literal(1)).where(
        _R.c.kind == b.c.kind, _R.c.record_id == b.c.record_id, _R.c.version > b.c.version
    )
    query = (
        sa.select(b.c.kind, b.c.record_id, b.c.version, sa.func.count().label("n"))
        .where(b.c.token_hash.in_(hashes), ~newer.exists())
        .group_by(b.c.kind, b.c.record_id, b.c.version)
    )
    if kind is not None:
        query = query.where(b.c.kind == kind)
    with ctx.db.read() as conn:
        rows = conn.execute(query).all()
    ranked = sorted(rows, key=lambda r: (-r.n, r.kind, r.record_id))
    refs = [RecordRef(r.kind, r.record_id, r.version) for r in ranked]
    with ctx.db.transaction():
        ctx.db.audit(
            Event("search", kind=kind, detail={"tokens": len(hashes), "matches": len(refs)})
        )
    return refs


# -- replication --------------------------------------------------------------------------------


def _same_version(ctx: Context, row: Any, record: StoredRecord, attributes_json: str) -> bool:
    if (row.attributes, row.created_at, row.author, bool(row.deleted)) != (
        attributes_json,
        record.created_at,
        record.author,
        record.deleted,
    ):
        return False
    if row.identity_sealed is None or record.identity is None:
        return row.identity_sealed is None and record.identity is None
    mine = _decode(ctx, row, reveal=True).identity
    return canonical_json(mine) == canonical_json(dict(record.identity))


def put_replica(
    ctx: Context, record: StoredRecord, origin_workspace: str, name_tokens: Iterable[str]
) -> RecordRef:
    kind, rid = check_kind(record.kind), check_record_id(record.record_id)
    if type(record.version) is not int or record.version < 1:
        raise InputError("a replicated record needs a version of 1 or more")
    if not isinstance(record.created_at, str) or not _TIMESTAMP.fullmatch(record.created_at):
        raise InputError("a replicated record needs an ISO 8601 UTC created_at")
    if not isinstance(record.author, str) or not 0 < len(record.author) <= 64:
        raise InputError("a replicated record needs an author name")
    attributes_json = "{}" if record.deleted else _attributes_json(record.attributes)
    ident = None if record.deleted else _identity_dict(record.identity)
    tokens = list(name_tokens)
    hashes = token_hashes(ctx.blind_key, tokens) if tokens and not record.deleted else []
    with ctx.db.transaction():
        if (kind, rid) in ctx.db.written:
            ctx.db.flush()
        row = ctx.db.execute(
            sa.select(_R).where(
                _R.c.kind == kind, _R.c.record_id == rid, _R.c.version == record.version
            )
        ).first()
        if row is not None:
            if row.identity_sealed is not None:
                ctx.identity_key("compare identities")
            if _same_version(ctx, row, record, attributes_json):
                return RecordRef(kind, rid, record.version)
            raise RecordConflict(
                f"{kind} record {rid} version {record.version} already exists here with "
                "different content; nothing was replicated / 같은 기록 버전이 이미 다르게 있습니다"
            )
        state = _state(ctx, kind, rid)
        if ident is None and state is not None and record.version > state[0]:
            _guard_identity_loss(ctx, state)
        return _write_version(
            ctx,
            kind=kind,
            record_id=rid,
            version=record.version,
            created_at=record.created_at,
            author=record.author,
            attributes_json=attributes_json,
            identity=ident,
            deleted=record.deleted,
            token_hash_list=hashes,
            action="replicate",
            detail={"origin": str(origin_workspace)},
        )
