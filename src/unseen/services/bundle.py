"""Sealed bundles: the field-laptop-to-office path, offline.

A bundle carries every version of every record (identities included) and every evidence file of a
workspace, encrypted to the recipient workspace's public key and signed by the sender's audit key.

File layout (all integers big-endian)::

    b"unseen-bundle v1\\n"
    u32 length, HPKE token   seals a random 32-byte content key to the recipient (RFC 9180)
    STREAM ciphertext        the payload under the content key (chunked AES-256-GCM)

The payload is JSON lines: a ``manifest`` (sender workspace id and verify key, the recipient's
fingerprint, counts, the sender's chain head), one ``record`` line per version, one ``evidence``
line per blob, and a closing ``signature`` line: Ed25519 over the SHA-256 of every line before it.
The signature sits inside the encryption, so an interceptor learns nothing of the sender either.
The plaintext never touches the disk: it is produced and consumed in memory.

The recipient's key pair is a workspace record of kind ``recipient_key`` whose private half is
sealed like an identity: only roles holding the identity key can open bundles.
"""

from __future__ import annotations

import base64
import io
import json
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from unseen.crypto import (
    RecipientKeyPair,
    SymmetricKey,
    VerifyKey,
    open_from,
    open_stream,
    seal_stream,
    seal_to,
    sha256_hex,
)
from unseen.errors import (
    DecryptionFailed,
    InputError,
    IntegrityError,
    PermissionDenied,
    RecordNotFound,
)
from unseen.services.access import GRANT_KIND
from unseen.services.accounts import LOCAL_KINDS
from unseen.services.ingest import person_name_tokens
from unseen.store import StoredRecord, Workspace

MAGIC = b"unseen-bundle v1\n"
_KEY_INFO = b"unseen/v1/bundle-key"
_AAD = b"unseen/v1/bundle"
_KEY_KIND = "recipient_key"
_HOME_KINDS = frozenset({_KEY_KIND, GRANT_KIND, *LOCAL_KINDS})
_PUBLIC_TYPE = "unseen-recipient"


@dataclass(frozen=True)
class RecipientKey:
    """A workspace's public key for bundles, as a file that can be handed out freely."""

    public_key: bytes
    workspace_id: str

    @property
    def fingerprint(self) -> str:
        digest = sha256_hex(self.public_key)[:16]
        return "-".join(digest[i : i + 4] for i in range(0, 16, 4))

    def write(self, path: Path) -> None:
        data = {
            "type": _PUBLIC_TYPE,
            "version": 1,
            "workspace_id": self.workspace_id,
            "fingerprint": self.fingerprint,
            "public_key": base64.b64encode(self.public_key).decode(),
        }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> RecipientKey:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("type") != _PUBLIC_TYPE or data.get("version") != 1:
                raise ValueError
            key = cls(base64.b64decode(data["public_key"], validate=True), data["workspace_id"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise InputError(
                f"{path} is not an unseen recipient key: ask the recipient for the file "
                "`unseen keys recipient` wrote / 받는 쪽의 공개 키 파일이 아닙니다"
            ) from None
        if key.fingerprint != data.get("fingerprint"):
            raise InputError(f"{path}: the fingerprint does not match the key (damaged file)")
        return key


@dataclass(frozen=True)
class BundleSummary:
    sender_workspace: str
    sender_fingerprint: str
    records: int
    evidence: int
    new_records: int
    chain_head: tuple[int, str]


def recipient_key(ws: Workspace) -> RecipientKey:
    """This workspace's bundle key (made on first use; making it needs the identity key)."""
    for rec in ws.iter_current(_KEY_KIND):
        return RecipientKey(bytes.fromhex(rec.attributes["public_key"]), ws.workspace_id)
    if not ws.role.can_reveal:
        raise PermissionDenied("only roles that can read identities can receive bundles")
    pair = RecipientKeyPair.generate()
    ws.put(
        _KEY_KIND,
        {"public_key": pair.public_bytes().hex()},
        {"private_key": pair.private_bytes().hex()},
    )
    return RecipientKey(pair.public_bytes(), ws.workspace_id)


def _recipient_pair(ws: Workspace) -> RecipientKeyPair:
    for rec in ws.iter_current(_KEY_KIND):
        private = ws.get(_KEY_KIND, rec.record_id, reveal=True).identity or {}
        return RecipientKeyPair.from_private_bytes(bytes.fromhex(private["private_key"]))
    raise InputError(
        "this workspace has no bundle key yet: run `unseen keys recipient` and give the "
        "public key file to the sender first"
    )


# -- export -------------------------------------------------------------------------------------


def export_bundle(ws: Workspace, to: RecipientKey, out: Path) -> BundleSummary:
    """Write every record version and evidence file of ``ws``, sealed to ``to``, to ``out``."""
    if not ws.role.can_reveal:
        raise PermissionDenied("a bundle carries identities: your role cannot export one")
    counts = {"records": 0, "evidence": 0}
    lines = _payload_lines(ws, to, counts)
    content_key = SymmetricKey.generate()
    token = seal_to(to.public_key, content_key.to_bytes(), info=_KEY_INFO)
    tmp = out.with_name(out.name + ".partial")
    try:
        with tmp.open("wb") as dst:
            dst.write(MAGIC + struct.pack(">I", len(token)) + token)
            seal_stream(io.BufferedReader(_LineReader(lines)), dst, content_key, aad=_AAD)
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BundleSummary(
        ws.workspace_id, ws.verify_key.fingerprint(), counts["records"], counts["evidence"],
        0, ws.chain_head,
    )  # fmt: skip


def _payload_lines(ws: Workspace, to: RecipientKey, counts: dict[str, int]) -> Iterator[bytes]:
    records = list(ws.iter_all_versions(reveal=True))
    # A workspace's own key, its web sign-in secrets and its users' grants stay home.
    records = [r for r in records if r.kind not in _HOME_KINDS]
    evidence = list(ws.iter_evidence())
    seq, head = ws.chain_head
    digest = _Digest()
    manifest = {
        "type": "manifest",
        "format": 1,
        "sender_workspace": ws.workspace_id,
        "sender_verify_key": ws.verify_key.to_bytes().hex(),
        "recipient": to.fingerprint,
        "records": len(records),
        "evidence": len(evidence),
        "chain_head": [seq, head],
    }
    yield digest.line(manifest)
    for rec in records:
        counts["records"] += 1
        yield digest.line({"type": "record", **_record_json(rec)})
    for item in evidence:
        counts["evidence"] += 1
        data = ws.read_evidence(item.address)
        yield digest.line(
            {
                "type": "evidence",
                "sha256": item.sha256,
                "size": item.size,
                "media_type": item.media_type,
                "created_at": item.created_at,
                "author": item.author,
                "filename": item.filename,
                "data": base64.b64encode(data).decode(),
            }
        )
    signature = ws.sign(bytes.fromhex(digest.hexdigest()))
    yield _dump({"type": "signature", "digest": digest.hexdigest(), "signature": signature.hex()})


def _record_json(rec: StoredRecord) -> dict[str, Any]:
    return {
        "kind": rec.kind,
        "record_id": rec.record_id,
        "version": rec.version,
        "created_at": rec.created_at,
        "author": rec.author,
        "attributes": rec.attributes,
        "identity": rec.identity,
        "deleted": rec.deleted,
    }


def _dump(obj: dict[str, Any]) -> bytes:
    return (
        json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    )


class _Digest:
    """A running SHA-256 over the payload lines, chained so order and content are both bound."""

    def __init__(self) -> None:
        self._value = sha256_hex(b"unseen/v1/bundle-digest")

    def line(self, obj: dict[str, Any]) -> bytes:
        return self.update(_dump(obj))

    def update(self, data: bytes) -> bytes:
        self._value = sha256_hex(bytes.fromhex(self._value) + data)
        return data

    def hexdigest(self) -> str:
        return self._value


class _LineReader(io.RawIOBase):
    """A readable stream over generated lines, so the plaintext is never written anywhere."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines, self._buffer = lines, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while len(self._buffer) < len(b):
            line = next(self._lines, None)
            if line is None:
                break
            self._buffer += line
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


# -- import -------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def import_bundle(
    ws: Workspace,
    path: Path,
    *,
    sender_fingerprint: str | None = None,
    progress: Progress | None = None,
) -> BundleSummary:
    """Check a bundle completely (decryption, signature, counts), then store it in one transaction.

    ``sender_fingerprint`` (the sender's audit key, printed by ``unseen init``) pins who must have
    signed it; without it the summary names the signer for the user to check.
    """
    pair = _recipient_pair(ws)
    lines = _decrypt(path, pair)
    manifest, records, evidence, signer = _check(path, lines, sender_fingerprint)
    origin = manifest["sender_workspace"]
    new = 0
    with ws.transaction():
        for i, rec in enumerate(records, start=1):
            tokens = person_name_tokens(rec.record_id, rec.identity) if rec.kind == "person" else ()
            existed = _has_version(ws, rec)
            ws.put_replica(rec, origin_workspace=origin, name_tokens=tokens)
            new += not existed
            if progress is not None and (i % 500 == 0 or i == len(records)):
                progress(i, len(records))
        known = {item.sha256 for item in ws.iter_evidence()}
        for item in evidence:
            if item["sha256"] in known:
                continue
            ws.add_evidence_replica(
                base64.b64decode(item["data"]),
                media_type=item["media_type"],
                filename=item["filename"],
                created_at=item["created_at"],
                author=item["author"],
                origin_workspace=origin,
            )
    seq, head = manifest["chain_head"]
    return BundleSummary(
        origin, signer.fingerprint(), len(records), len(evidence), new, (seq, head)
    )


def _has_version(ws: Workspace, rec: StoredRecord) -> bool:
    try:
        ws.get(rec.kind, rec.record_id, version=rec.version)
    except RecordNotFound:
        return False
    return True


def _decrypt(path: Path, pair: RecipientKeyPair) -> list[bytes]:
    damaged = IntegrityError(
        f"{path} cannot be opened: it was not sealed to this workspace, or it was altered or cut "
        "short / 이 작업 공간용 묶음이 아니거나 손상되었습니다"
    )
    try:
        with path.open("rb") as src:
            if src.read(len(MAGIC)) != MAGIC:
                raise InputError(f"{path} is not an unseen bundle")
            (n,) = struct.unpack(">I", _read_exact(src, 4))
            key = SymmetricKey.from_bytes(open_from(pair, _read_exact(src, n), info=_KEY_INFO))
            plain = io.BytesIO()
            open_stream(src, plain, key, aad=_AAD)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {type(exc).__name__}") from None
    except (DecryptionFailed, struct.error, ValueError):
        raise damaged from None
    return plain.getvalue().splitlines(keepends=True)


def _read_exact(src: BinaryIO, n: int) -> bytes:
    data = src.read(n)
    if len(data) != n:
        raise ValueError("short read")
    return data


def _check(
    path: Path, lines: list[bytes], pinned: str | None
) -> tuple[dict[str, Any], list[StoredRecord], list[dict[str, Any]], VerifyKey]:
    bad = IntegrityError(f"{path}: the bundle's contents do not verify / 묶음 검증 실패")
    try:
        objs = [json.loads(line) for line in lines]
        manifest, *body, closing = objs
        if manifest.get("type") != "manifest" or closing.get("type") != "signature":
            raise bad
        digest = _Digest()
        for line in lines[:-1]:
            digest.update(line)
        signer = VerifyKey.from_bytes(bytes.fromhex(manifest["sender_verify_key"]))
        if closing["digest"] != digest.hexdigest():
            raise bad
        Workspace.verify_statement(
            signer, bytes.fromhex(digest.hexdigest()), bytes.fromhex(closing["signature"])
        )
        records = [_record(o) for o in body if o["type"] == "record"]
        evidence = [o for o in body if o["type"] == "evidence"]
        if (len(records), len(evidence)) != (manifest["records"], manifest["evidence"]):
            raise bad
        for item in evidence:
            data = base64.b64decode(item["data"], validate=True)
            if sha256_hex(data) != item["sha256"] or len(data) != item["size"]:
                raise bad
    except IntegrityError:
        raise
    except Exception:  # noqa: BLE001 - any malformed content is the same verdict: it does not verify
        raise bad from None
    if pinned is not None and signer.fingerprint() != pinned:
        raise IntegrityError(
            f"{path} was signed by {signer.fingerprint()}, not by {pinned}: do not import it "
            "/ 서명자가 다릅니다"
        )
    return manifest, records, evidence, signer


def _record(o: dict[str, Any]) -> StoredRecord:
    return StoredRecord(
        kind=o["kind"],
        record_id=o["record_id"],
        version=o["version"],
        attributes=o["attributes"],
        identity=o["identity"],
        created_at=o["created_at"],
        author=o["author"],
        content_hash="",
        deleted=o["deleted"],
        has_identity=o["identity"] is not None,
    )
