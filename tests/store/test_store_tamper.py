"""Tampering: flipped bytes in store.db and its WAL, edited audit rows, altered key files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlcipher3
from storekit import ADMIN, ADMIN_PW, DOC, DOC_PW, flip, master_key, raw_connect

from unseen.crypto import KdfParams
from unseen.errors import IntegrityError, WrongPassphrase
from unseen.store import Role, Workspace
from unseen.store._audit import entry_hash

IDENTITY = {"family_name": "최", "given_name": "영희"}


def _fill(ws: Workspace, n: int = 60, tag: str = "a") -> None:
    with ws.transaction():
        for i in range(n):
            ws.put(
                "person",
                {"n": i, "tag": tag, "pad": "x" * 200},
                IDENTITY,
                name_tokens=["choe", f"t{i}"],
            )


def _open(path: Path) -> Workspace:
    return Workspace.open(path, user=ADMIN, passphrase=ADMIN_PW)


def _snapshot(ws_path: Path, dest: Path) -> Path:
    """Copy a workspace while it is open (the WAL included, the -shm index left behind)."""
    shutil.copytree(ws_path, dest, ignore=shutil.ignore_patterns("*-shm"))
    return dest


def test_flipped_bytes_in_the_database_file(ws: Workspace, ws_path: Path, tmp_path: Path) -> None:
    _fill(ws)
    ws.close()
    assert not (ws_path / "store.db-wal").exists()  # checkpointed at close
    size = (ws_path / "store.db").stat().st_size
    offsets = [0, 15, 16, 100, 4096 + 7, size // 2, size - 4096 + 1000, size - 1]
    for offset in offsets:
        copy = tmp_path / f"flip{offset}"
        shutil.copytree(ws_path, copy)
        flip(copy / "store.db", offset)
        with pytest.raises(IntegrityError):
            _open(copy).close()
    _open(ws_path).close()  # the original still opens


def test_flipped_bytes_in_the_wal_before_checkpoint(
    ws: Workspace, ws_path: Path, tmp_path: Path
) -> None:
    _fill(ws, tag="first")
    ws.close()
    with _open(ws_path) as w:
        _fill(w, tag="second")  # lives only in the WAL until a checkpoint
        clean = _snapshot(ws_path, tmp_path / "clean")
        wal_size = (clean / "store.db-wal").stat().st_size
        assert wal_size > 32
        for offset in (10, 32 + 5, 32 + 24 + 100, wal_size // 2, wal_size - 10):
            copy = _snapshot(clean, tmp_path / f"wal{offset}")
            flip(copy / "store.db-wal", offset)
            # SQLite drops a WAL frame whose checksum fails, and every frame after it: the
            # database silently goes back in time. keys.json's signed chain head catches it.
            with pytest.raises(IntegrityError, match="audit log is shorter"):
                _open(copy).close()
        with _open(clean) as ok:
            assert ok.count("person") == 120


def test_flipped_bytes_after_a_checkpoint(ws: Workspace, ws_path: Path, tmp_path: Path) -> None:
    _fill(ws)
    with ws._c.db.read() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    clean = _snapshot(ws_path, tmp_path / "clean")
    size = (clean / "store.db").stat().st_size
    for offset in (50, 4096 * 2 + 3000, size - 10):
        copy = _snapshot(clean, tmp_path / f"ck{offset}")
        flip(copy / "store.db", offset)
        with pytest.raises(IntegrityError):
            _open(copy).close()


def test_an_older_copy_of_the_database_is_refused(
    ws: Workspace, ws_path: Path, tmp_path: Path
) -> None:
    _fill(ws, n=5)
    ws.close()
    shutil.copy(ws_path / "store.db", tmp_path / "old.db")
    with _open(ws_path) as w:
        w.put("person", {"n": 99})
    shutil.copy(tmp_path / "old.db", ws_path / "store.db")
    with pytest.raises(IntegrityError, match="rolled back"):
        _open(ws_path)


def _raw_edit(ws: Workspace, ws_path: Path, *sql: str) -> None:
    mk = master_key(ws)
    ws.close()
    conn = raw_connect(ws_path, mk)
    for statement in sql:
        conn.execute(statement)
    conn.close()


def test_the_log_is_append_only(ws: Workspace, ws_path: Path) -> None:
    _fill(ws, n=2)
    mk = master_key(ws)
    ws.close()
    conn = raw_connect(ws_path, mk)
    for statement in (
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
        "UPDATE records SET attributes = '{}'",
        "DELETE FROM blind_index",
    ):
        with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()


def test_edited_audit_row_is_named_by_verify(ws: Workspace, ws_path: Path) -> None:
    _fill(ws, n=5)
    _raw_edit(
        ws,
        ws_path,
        "DROP TRIGGER audit_log_no_update",
        "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3",
    )
    with _open(ws_path) as w:  # the head still verifies, so it opens ...
        report = w.verify()
    assert not report.ok and report.first_bad_seq == 3  # ... and verify names the entry
    assert "altered" in (report.reason or "")


def test_re_hashed_audit_row_fails_its_signature(ws: Workspace, ws_path: Path) -> None:
    _fill(ws, n=3)
    workspace_id, mk = ws.workspace_id, master_key(ws)
    ws.close()
    conn = raw_connect(ws_path, mk)
    conn.execute("DROP TRIGGER audit_log_no_update")
    row = conn.execute(
        "SELECT at, action, kind, record_id, version, content_hash, detail, prev_hash "
        "FROM audit_log WHERE seq = 2"
    ).fetchone()
    at, action, kind, record_id, version, content_hash, detail, prev_hash = row
    forged = entry_hash(
        workspace_id,
        prev_hash,
        seq=2,
        at=at,
        actor="forger",
        action=action,
        kind=kind,
        record_id=record_id,
        version=version,
        content_hash=content_hash,
        detail=detail,
    )
    conn.execute("UPDATE audit_log SET actor = 'forger', entry_hash = ? WHERE seq = 2", (forged,))
    conn.close()
    with _open(ws_path) as w:
        report = w.verify()
    # The hash is right now, but the key that signs entries is not the forger's.
    assert report.first_bad_seq == 2 and "signature" in (report.reason or "")


def test_edited_record_is_named_by_verify(ws: Workspace, ws_path: Path) -> None:
    ws.put("event", {"n": 0})
    ref = ws.put("person", {"year": 2001}, IDENTITY)
    ws.put("event", {"n": 2})
    with ws._c.db.read() as conn:
        seq = conn.exec_driver_sql(
            "SELECT seq FROM audit_log WHERE record_id = ? AND action = 'create'", (ref.record_id,)
        ).scalar_one()
    _raw_edit(
        ws,
        ws_path,
        "DROP TRIGGER records_no_update",
        "UPDATE records SET attributes = '{\"year\":1999}' WHERE kind = 'person'",
    )
    with _open(ws_path) as w:
        report = w.verify()
        assert not report.ok and report.first_bad_seq == seq
        assert ref.record_id in (report.reason or "")


def test_swapped_sealed_identity_does_not_open(ws: Workspace, ws_path: Path) -> None:
    a = ws.put("person", {"n": 1}, {"given_name": "가"}, record_id="pa")
    ws.put("person", {"n": 2}, {"given_name": "나"}, record_id="pb")
    _raw_edit(
        ws,
        ws_path,
        "DROP TRIGGER records_no_update",
        "UPDATE records SET (identity_sealed, identity_key_wrapped) = (SELECT "
        "identity_sealed, identity_key_wrapped FROM records WHERE record_id = 'pb')"
        " WHERE record_id = 'pa'",
    )
    with _open(ws_path) as w:
        with pytest.raises(IntegrityError):
            w.get("person", a.record_id, reveal=True)
        assert not w.verify().ok


def test_record_written_around_the_log(ws: Workspace, ws_path: Path) -> None:
    ws.put("event", {"n": 1}, record_id="e1")
    _raw_edit(
        ws,
        ws_path,
        "INSERT INTO records SELECT kind, 'e2', version, created_at, author, attributes, "
        "identity_sealed, identity_key_wrapped, deleted, content_hash FROM records "
        "WHERE record_id = 'e1'",
    )
    with _open(ws_path) as w:
        report = w.verify()
    assert not report.ok and "e2" in (report.reason or "")


def test_truncated_log_is_refused(ws: Workspace, ws_path: Path) -> None:
    _fill(ws, n=3)
    ws.put("event", {"n": 1})
    _raw_edit(
        ws,
        ws_path,
        "DROP TRIGGER audit_log_no_delete",
        "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
    )
    with pytest.raises(IntegrityError, match="shorter"):
        _open(ws_path)


def test_keys_json_flips(team: Workspace, ws_path: Path, tmp_path: Path) -> None:
    team.close()
    keys = (ws_path / "keys.json").read_bytes()
    positions = sorted({*range(0, len(keys), max(1, len(keys) // 40)), len(keys) - 3})
    outcomes: set[str] = set()
    for pos in positions:
        copy = tmp_path / f"k{pos}"
        shutil.copytree(ws_path, copy)
        flip(copy / "keys.json", pos)
        with pytest.raises((IntegrityError, WrongPassphrase)) as err:
            Workspace.open(copy, user=DOC, passphrase=DOC_PW).close()
        outcomes.add(type(err.value).__name__)
        shutil.rmtree(copy)
    assert outcomes == {"IntegrityError", "WrongPassphrase"}


def test_keys_json_edits_outside_the_users_slot_are_caught(team: Workspace, ws_path: Path) -> None:
    team.close()
    data = json.loads((ws_path / "keys.json").read_text())
    data["head"]["seq"] = 1  # pretend the log was shorter
    (ws_path / "keys.json").write_text(json.dumps(data))
    with pytest.raises(IntegrityError, match="keys.json"):
        Workspace.open(ws_path, user=DOC, passphrase=DOC_PW)


def test_workspace_json_edits_are_caught(
    ws: Workspace, ws_path: Path, fast_kdf: KdfParams, tmp_path: Path
) -> None:
    ws.close()
    with Workspace.create(
        tmp_path / "other", user=ADMIN, passphrase=ADMIN_PW, kdf=fast_kdf
    ) as other:
        other_key = other.verify_key.to_bytes().hex()
    header = json.loads((ws_path / "workspace.json").read_text())
    header["audit_key"]["public_key"] = other_key
    (ws_path / "workspace.json").write_text(json.dumps(header))
    with pytest.raises(IntegrityError):
        _open(ws_path)
    (ws_path / "workspace.json").write_text("{not json")
    with pytest.raises(IntegrityError):
        _open(ws_path)


def test_keys_json_from_another_workspace(
    ws: Workspace, ws_path: Path, fast_kdf: KdfParams, tmp_path: Path
) -> None:
    ws.close()
    with Workspace.create(tmp_path / "other", user=ADMIN, passphrase=ADMIN_PW, kdf=fast_kdf):
        pass
    shutil.copy(tmp_path / "other" / "keys.json", ws_path / "keys.json")
    with pytest.raises(IntegrityError, match="another workspace"):
        _open(ws_path)


def test_a_removed_user_with_an_old_keys_json_cannot_open(
    team: Workspace, ws_path: Path, tmp_path: Path
) -> None:
    shutil.copy(ws_path / "keys.json", tmp_path / "old-keys.json")
    team.remove_user(DOC)
    team.close()
    shutil.copy(tmp_path / "old-keys.json", ws_path / "keys.json")
    with pytest.raises(WrongPassphrase):
        Workspace.open(ws_path, user=DOC, passphrase=DOC_PW)
    assert Role.DOCUMENTER.can_reveal  # (that user would have held the identity key)
