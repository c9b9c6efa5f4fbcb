"""Creating, opening and closing workspaces; what the public files hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from storekit import ADMIN, ADMIN_PW, TickingClock

from unseen.crypto import KdfParams
from unseen.errors import (
    InputError,
    WorkspaceError,
    WorkspaceExists,
    WorkspaceNotFound,
    WrongPassphrase,
)
from unseen.store import Role, Workspace


def test_create_then_open_round_trip(ws: Workspace, ws_path: Path) -> None:
    ref = ws.put("person", {"sex": "F", "year": 2010}, {"family_name": "김", "given_name": "순희"})
    workspace_id = ws.workspace_id
    ws.close()
    with Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW) as again:
        assert again.workspace_id == workspace_id
        assert again.user == ADMIN
        assert again.role is Role.ADMIN
        rec = again.get("person", ref.record_id, reveal=True)
        assert rec.attributes == {"sex": "F", "year": 2010}
        assert rec.identity == {"family_name": "김", "given_name": "순희"}
        assert again.schema_revision == "0001"


def test_files_of_a_workspace(ws: Workspace, ws_path: Path) -> None:
    names = {p.name for p in ws_path.iterdir()}
    assert {"workspace.json", "keys.json", "store.db", "evidence"} <= names
    header = json.loads((ws_path / "workspace.json").read_text())
    assert header["workspace_id"] == ws.workspace_id
    assert header["audit_key"]["public_key"] == ws.verify_key.to_bytes().hex()
    assert header["audit_key"]["fingerprint"] == ws.verify_key.fingerprint()
    public = (ws_path / "workspace.json").read_text() + (ws_path / "keys.json").read_text()
    assert ADMIN not in public and ADMIN_PW not in public  # no user names, no secrets


def test_wrong_passphrase_and_unknown_user_read_the_same(ws: Workspace, ws_path: Path) -> None:
    ws.close()
    with pytest.raises(WrongPassphrase) as wrong_pw:
        Workspace.open(ws_path, user=ADMIN, passphrase="not the passphrase")
    with pytest.raises(WrongPassphrase) as unknown:
        Workspace.open(ws_path, user="nobody-7", passphrase=ADMIN_PW)
    assert str(wrong_pw.value) == str(unknown.value)
    assert "nobody" not in str(unknown.value)


def test_user_names_are_matched_case_insensitively(ws: Workspace, ws_path: Path) -> None:
    ws.close()
    with Workspace.open(ws_path, user="  Admin-1 ", passphrase=ADMIN_PW) as again:
        assert again.user == ADMIN


def test_create_refuses_a_non_empty_directory(tmp_path: Path, fast_kdf: KdfParams) -> None:
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(WorkspaceExists):
        Workspace.create(tmp_path, user=ADMIN, passphrase=ADMIN_PW, kdf=fast_kdf)
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_open_missing_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceNotFound):
        Workspace.open(tmp_path / "nope", user=ADMIN, passphrase=ADMIN_PW)


def test_bad_user_names_and_passphrases_are_refused(tmp_path: Path, fast_kdf: KdfParams) -> None:
    with pytest.raises(InputError):
        Workspace.create(tmp_path / "a", user="", passphrase=ADMIN_PW, kdf=fast_kdf)
    with pytest.raises(InputError):
        Workspace.create(tmp_path / "b", user="tab\there", passphrase=ADMIN_PW, kdf=fast_kdf)
    with pytest.raises(InputError):
        Workspace.create(tmp_path / "c", user=ADMIN, passphrase="   ", kdf=fast_kdf)
    assert not (tmp_path / "a").exists() and not (tmp_path / "c").exists()


def test_closed_workspace_refuses_use(ws: Workspace) -> None:
    ws.close()
    assert "closed" in repr(ws)
    with pytest.raises(WorkspaceError):
        ws.count("person")
    ws.close()  # closing twice is harmless


def test_repr_names_no_user(ws: Workspace) -> None:
    assert ADMIN not in repr(ws)
    assert ws.workspace_id in repr(ws)


def test_clock_sets_timestamps(ws_path: Path, fast_kdf: KdfParams) -> None:
    clock = TickingClock()
    with Workspace.create(ws_path, user=ADMIN, passphrase=ADMIN_PW, kdf=fast_kdf, clock=clock) as w:
        ref = w.put("event", {"violation": "forced_repatriation"})
        assert w.get("event", ref.record_id).created_at == clock.now.strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        )
        assert w.get("event", ref.record_id).created_at.endswith("Z")


def test_default_kdf_is_rfc9106_second_option(tmp_path: Path) -> None:
    # The one test that pays for the real Argon2id settings (64 MiB, t=3, p=4).
    with Workspace.create(tmp_path / "w", user=ADMIN, passphrase=ADMIN_PW) as w:
        assert w._c.keyfile.kdf == KdfParams.default()
    keys = json.loads((tmp_path / "w" / "keys.json").read_text())
    assert keys["slots"][0]["kdf"]["memory_cost_kib"] == 65536


def test_hardening_pragmas(ws: Workspace) -> None:
    with ws._c.db.read() as conn:

        def pragma(name: str) -> object:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("temp_store") == 2  # MEMORY
        assert pragma("secure_delete") == 1
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
    assert ws.memory_security is True
