"""Evidence blobs: encrypted files under ``evidence/<aa>/<address>``, metadata in the database.

The address is ``content_address(K_addr, plaintext)``, a keyed hash, so someone holding the disk
and a known photo cannot confirm it is here by hashing it. Content and address keys derive from
the identity key (evidence identifies people), so only roles that can reveal add or read evidence.
Blobs are sealed with the STREAM construction, bound to workspace and address, and written to a
temp file in the same directory, fsynced and renamed; a rolled-back transaction removes the blobs
it wrote. The whole file is in memory while it is hashed (the crypto recipes take bytes).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from unseen.crypto import content_address, open_sealed, open_stream, seal, seal_stream, sha256_hex
from unseen.errors import DecryptionFailed, InputError, IntegrityError, RecordNotFound

from . import _schema as s
from ._audit import Event
from ._canonical import evidence_content_hash, timestamp
from ._context import Context
from ._files import TMP_PREFIX, fsync_dir
from ._values import EvidenceItem, EvidenceRef

_E = s.evidence
_ADDRESS = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
_DAMAGED = "evidence {address} is damaged or was altered / 증거 파일이 손상되었습니다"


def _aad(ctx: Context, address: str) -> bytes:
    return f"unseen/v1/evidence|{ctx.workspace_id}|{address}".encode()


def _filename_aad(ctx: Context, address: str) -> bytes:
    return f"unseen/v1/evidence-filename|{ctx.workspace_id}|{address}".encode()


def blob_path(ctx: Context, address: str) -> Path:
    return ctx.evidence_dir / address[:2] / address


def _read_input(data: bytes | str | os.PathLike[str]) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    try:
        return Path(data).read_bytes()
    except OSError:
        raise InputError(
            "the evidence file cannot be read / 증거 파일을 읽을 수 없습니다"
        ) from None


def _check_media_type(media_type: str) -> str:
    if not isinstance(media_type, str) or not _MEDIA_TYPE.fullmatch(media_type.lower()):
        raise InputError("media_type must look like 'image/jpeg' or 'audio/mpeg'")
    return media_type.lower()


def _write_blob(ctx: Context, address: str, data: bytes) -> Path:
    final = blob_path(ctx, address)
    final.parent.mkdir(mode=0o700, exist_ok=True)
    tmp = final.with_name(f"{TMP_PREFIX}{address}")
    key, _ = ctx.evidence_keys()
    try:
        with open(tmp, "wb") as fh:
            seal_stream(io.BytesIO(data), fh, key, aad=_aad(ctx, address))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(final.parent)
    return final


def add(
    ctx: Context,
    data: bytes | str | os.PathLike[str],
    *,
    media_type: str,
    filename: str | None,
    created_at: str | None = None,
    author: str | None = None,
    action: str = "add_evidence",
    origin: str | None = None,
) -> EvidenceRef:
    key, address_key = ctx.evidence_keys()
    media_type = _check_media_type(media_type)
    content = _read_input(data)
    address = content_address(address_key, content)
    ref = EvidenceRef(address, sha256_hex(content), len(content))
    with ctx.db.transaction():
        with ctx.db.read() as conn:  # flushes: the same file may come twice in one transaction
            exists = conn.execute(sa.select(_E.c.address).where(_E.c.address == address)).first()
        if exists:
            return ref  # same content already stored: blobs are deduplicated by address
        final = _write_blob(ctx, address, content)
        ctx.db.on_rollback(lambda: final.unlink(missing_ok=True))
        sealed_name = None
        if filename is not None:
            sealed_name = seal(str(filename).encode("utf-8"), key, aad=_filename_aad(ctx, address))
        row = {
            "address": address,
            "sha256": ref.sha256,
            "size": ref.size,
            "media_type": media_type,
            "created_at": created_at or timestamp(ctx.clock),
            "author": author or ctx.user,
            "filename_sealed": sealed_name,
        }
        row["content_hash"] = evidence_content_hash(**row)  # type: ignore[arg-type]
        ctx.db.insert(_E, row)
        ctx.db.audit(
            Event(
                action,
                "evidence",
                address,
                1,
                str(row["content_hash"]),
                None if origin is None else {"origin": origin},
            )
        )
    return ref


def _row(ctx: Context, address: str) -> sa.Row[tuple[object, ...]]:
    if not isinstance(address, str) or not _ADDRESS.fullmatch(address):
        raise RecordNotFound("no evidence with that address")
    with ctx.db.read() as conn:
        row = conn.execute(sa.select(_E).where(_E.c.address == address)).first()
    if row is None:
        raise RecordNotFound(f"no evidence {address}")
    return row


def read(ctx: Context, address: str) -> bytes:
    key, address_key = ctx.evidence_keys()
    row = _row(ctx, address)
    damaged = IntegrityError(_DAMAGED.format(address=address))
    out = io.BytesIO()
    try:
        with open(blob_path(ctx, address), "rb") as fh:
            open_stream(fh, out, key, aad=_aad(ctx, address))
    except (OSError, DecryptionFailed):
        raise damaged from None
    content = out.getvalue()
    if (
        sha256_hex(content) != row.sha256
        or len(content) != row.size
        or content_address(address_key, content) != address
    ):
        raise damaged
    with ctx.db.transaction():
        ctx.db.audit(Event("read_evidence", "evidence", address, 1, str(row.content_hash)))
    return content


def _item(ctx: Context, row: sa.Row[tuple[object, ...]]) -> EvidenceItem:
    filename = None
    if row.filename_sealed is not None:
        key, _ = ctx.evidence_keys()
        try:
            filename = open_sealed(
                row.filename_sealed, key, aad=_filename_aad(ctx, str(row.address))
            ).decode("utf-8")
        except (DecryptionFailed, UnicodeDecodeError):
            raise IntegrityError(_DAMAGED.format(address=row.address)) from None
    return EvidenceItem(
        address=str(row.address),
        sha256=str(row.sha256),
        size=int(str(row.size)),
        media_type=str(row.media_type),
        created_at=str(row.created_at),
        author=str(row.author),
        filename=filename,
    )


def info(ctx: Context, address: str) -> EvidenceItem:
    ctx.evidence_keys()
    return _item(ctx, _row(ctx, address))


def iter_items(ctx: Context) -> Iterator[EvidenceItem]:
    """Metadata of every blob, oldest first (read each blob with :func:`read`)."""
    ctx.evidence_keys()
    with ctx.db.read() as conn:
        rows = conn.execute(sa.select(_E).order_by(_E.c.created_at, _E.c.address)).all()
    for row in rows:
        yield _item(ctx, row)
