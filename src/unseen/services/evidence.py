"""Evidence files: encrypted blobs in the workspace, each described by an EvidenceFile record.

The blob lives under its keyed address (the store seals it); the record carries the SHA-256, size
and media type for everyone, and the original file name and description sealed as identity.
"""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path

from unseen.domain.model import EvidenceFile, EvidenceIdentity
from unseen.errors import InputError, RecordNotFound
from unseen.store import Workspace

_KIND = EvidenceFile.KIND


@dataclass(frozen=True, repr=False)
class EvidenceListing:
    record_id: str
    sha256: str
    size: int
    media_type: str
    source_id: str | None
    filename: str | None  # only for roles that may read identities

    def __repr__(self) -> str:
        return f"EvidenceListing(record_id={self.record_id!r}, size={self.size})"


def add_evidence_file(
    ws: Workspace,
    path: Path,
    *,
    source_id: str | None = None,
    description: str | None = None,
    media_type: str | None = None,
) -> str:
    """Store ``path`` encrypted and describe it; returns the EvidenceFile record id."""
    if not path.is_file():
        raise InputError(f"{path} is not a file / 파일이 아닙니다")
    kind = media_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if source_id is not None:
        ws.get("source", source_id)  # RecordNotFound names the id if it is wrong
    with ws.transaction():
        ref = ws.add_evidence(path, media_type=kind, filename=path.name)
        record = EvidenceFile(
            sha256=ref.sha256,
            size=ref.size,
            media_type=kind,
            address=ref.address,
            source_id=source_id,
            identity=EvidenceIdentity(original_filename=path.name, description=description),
        )
        attributes, identity = record.to_record()
        return ws.put(_KIND, attributes, identity).record_id


def list_evidence(ws: Workspace) -> list[EvidenceListing]:
    reveal = ws.role.can_reveal
    out = []
    for rec in ws.iter_current(_KIND, reveal=reveal):
        if rec.deleted:
            continue
        a = rec.attributes
        name = (rec.identity or {}).get("original_filename") if reveal else None
        out.append(
            EvidenceListing(
                rec.record_id, a["sha256"], a["size"], a["media_type"], a.get("source_id"), name
            )
        )
    return out


def export_evidence(ws: Workspace, record_id: str, out: Path) -> int:
    """Decrypt one evidence file to ``out`` (owner-only permissions); returns its size."""
    rec = ws.get(_KIND, record_id)
    if rec.deleted:
        raise RecordNotFound(f"evidence {record_id} was deleted")
    data = ws.read_evidence(rec.attributes["address"])
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(f"{out} exists: choose another name / 파일이 이미 있습니다") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return len(data)
