"""Evidence blobs: round trip, keyed addresses, tamper detection, rollback, replication."""

from __future__ import annotations

from pathlib import Path

import pytest
from storekit import flip, table_counts

from unseen.crypto import sha256_hex
from unseen.errors import IntegrityError, RecordNotFound
from unseen.store import Workspace

PHOTO = bytes(range(256)) * 700  # 179,200 bytes: several 64 KiB stream chunks


def _blob(ws_path: Path, address: str) -> Path:
    return ws_path / "evidence" / address[:2] / address


def test_round_trip_from_bytes_and_path(ws: Workspace, ws_path: Path, tmp_path: Path) -> None:
    ref = ws.add_evidence(PHOTO, media_type="image/jpeg", filename="scan_page1.jpg")
    assert ref.sha256 == sha256_hex(PHOTO) and ref.size == len(PHOTO)
    assert ref.address != ref.sha256  # keyed: hashing the file does not find it
    assert ws.read_evidence(ref.address) == PHOTO
    stored = _blob(ws_path, ref.address).read_bytes()
    assert PHOTO[:4096] not in stored and len(stored) > len(PHOTO)
    item = ws.evidence_info(ref.address)
    assert (item.filename, item.media_type, item.size) == (
        "scan_page1.jpg",
        "image/jpeg",
        len(PHOTO),
    )
    assert "scan_page1" not in repr(item)
    src = tmp_path / "audio.bin"
    src.write_bytes(b"testimony audio bytes")
    ref2 = ws.add_evidence(src, media_type="audio/mpeg")
    assert ws.read_evidence(ref2.address) == b"testimony audio bytes"
    assert [i.address for i in ws.iter_evidence()] == [ref.address, ref2.address]
    assert ws.verify().ok and ws.verify().evidence == 2


def test_same_content_is_stored_once(ws: Workspace) -> None:
    a = ws.add_evidence(PHOTO, media_type="image/jpeg")
    with ws.transaction():
        b = ws.add_evidence(PHOTO, media_type="image/jpeg")
        c = ws.add_evidence(b"other", media_type="image/jpeg")
        d = ws.add_evidence(b"other", media_type="image/jpeg")
    assert a == b and c == d
    assert table_counts(ws)["evidence"] == 2


def test_flipped_byte_in_a_blob_is_detected(ws: Workspace, ws_path: Path) -> None:
    ref = ws.add_evidence(PHOTO, media_type="image/jpeg")
    blob = _blob(ws_path, ref.address)
    for offset in (0, 5, 60, 70_000, blob.stat().st_size - 1):
        flip(blob, offset)
        with pytest.raises(IntegrityError, match="evidence"):
            ws.read_evidence(ref.address)
        flip(blob, offset)  # restore
    assert ws.read_evidence(ref.address) == PHOTO
    blob.write_bytes(blob.read_bytes()[:-100])  # truncated
    with pytest.raises(IntegrityError):
        ws.read_evidence(ref.address)
    blob.unlink()
    with pytest.raises(IntegrityError, match="evidence"):
        ws.read_evidence(ref.address)


def test_blob_swapped_for_another_is_detected(ws: Workspace, ws_path: Path) -> None:
    a = ws.add_evidence(b"first file", media_type="text/plain")
    b = ws.add_evidence(b"second file", media_type="text/plain")
    _blob(ws_path, a.address).write_bytes(_blob(ws_path, b.address).read_bytes())
    with pytest.raises(IntegrityError):
        ws.read_evidence(a.address)  # the AAD binds each blob to its address


def test_rolled_back_evidence_leaves_no_blob(ws: Workspace, ws_path: Path) -> None:
    with pytest.raises(RuntimeError), ws.transaction():
        ref = ws.add_evidence(PHOTO, media_type="image/jpeg")
        assert _blob(ws_path, ref.address).exists()
        raise RuntimeError("abort")
    assert not _blob(ws_path, ref.address).exists()
    with pytest.raises(RecordNotFound):
        ws.read_evidence(ref.address)


def test_unknown_address(ws: Workspace) -> None:
    with pytest.raises(RecordNotFound):
        ws.read_evidence("0" * 64)
    with pytest.raises(RecordNotFound):
        ws.read_evidence("../../etc/passwd")


def test_evidence_replica_keeps_hash_time_and_author(
    ws: Workspace, tmp_path: Path, fast_kdf: object
) -> None:
    ref = ws.add_evidence(PHOTO, media_type="image/png", filename="map.png")
    with Workspace.create(
        tmp_path / "hq", user="hq-admin", passphrase="hq passphrase", kdf=fast_kdf
    ) as hq:  # type: ignore[arg-type]
        for item in ws.iter_evidence():
            copy = hq.add_evidence_replica(
                ws.read_evidence(item.address),
                media_type=item.media_type,
                filename=item.filename,
                created_at=item.created_at,
                author=item.author,
                origin_workspace=ws.workspace_id,
            )
        assert copy.sha256 == ref.sha256 and copy.address != ref.address  # keyed per workspace
        got = hq.evidence_info(copy.address)
        assert (got.author, got.created_at, got.filename) == (
            "admin-1",
            ws.evidence_info(ref.address).created_at,
            "map.png",
        )
        assert hq.read_evidence(copy.address) == PHOTO
        assert hq.verify().ok
