"""Users, passphrases and recovery: keys.json changes, the data is never re-encrypted."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from storekit import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, DOC, DOC_PW

from unseen.crypto import sha256_hex
from unseen.errors import CryptoError, InputError, PermissionDenied, UnknownUser, WrongPassphrase
from unseen.store import Role, Workspace

IDENTITY = {"family_name": "한", "given_name": "미숙"}


def _sealed_bytes(ws: Workspace) -> list[tuple[object, ...]]:
    with ws._c.db.read() as conn:
        return [
            tuple(r)
            for r in conn.exec_driver_sql(
                "SELECT record_id, version, identity_sealed, identity_key_wrapped, content_hash "
                "FROM records ORDER BY rowid"
            )
        ]


def _evidence_bytes(ws_path: Path) -> dict[str, str]:
    return {
        p.name: sha256_hex(p.read_bytes()) for p in (ws_path / "evidence").rglob("*") if p.is_file()
    }


def test_user_changes_re_encrypt_nothing(team: Workspace, ws_path: Path) -> None:
    for i in range(5):
        team.put("person", {"n": i}, IDENTITY, name_tokens=["han"])
    team.add_evidence(b"scan", media_type="image/png")
    sealed, blobs = _sealed_bytes(team), _evidence_bytes(ws_path)
    team.add_user("rev-1", "reviewer passphrase", Role.REVIEWER)
    team.change_passphrase(DOC, "a new documenter passphrase")
    team.remove_user(ANALYST)
    team.create_recovery_shares()
    assert _sealed_bytes(team) == sealed
    assert _evidence_bytes(ws_path) == blobs
    assert {u.name: (u.role, u.removed_at is not None) for u in team.list_users()} == {
        ADMIN: (Role.ADMIN, False),
        DOC: (Role.DOCUMENTER, False),
        ANALYST: (Role.ANALYST, True),
        "rev-1": (Role.REVIEWER, False),
    }
    team.close()
    with pytest.raises(WrongPassphrase):
        Workspace.open(ws_path, user=DOC, passphrase=DOC_PW)  # old passphrase stops working
    with pytest.raises(WrongPassphrase):
        Workspace.open(ws_path, user=ANALYST, passphrase=ANALYST_PW)  # removed
    with Workspace.open(ws_path, user=DOC, passphrase="a new documenter passphrase") as doc:
        assert [r.identity for r in doc.iter_current("person", reveal=True)] == [IDENTITY] * 5
        assert doc.verify().ok
    with Workspace.open(ws_path, user="rev-1", passphrase="reviewer passphrase") as rev:
        assert rev.role is Role.REVIEWER


def test_user_changes_are_audited(team: Workspace) -> None:
    team.change_passphrase(DOC, "another passphrase")
    team.remove_user(DOC)
    with team._c.db.read() as conn:
        actions = [r[0] for r in conn.exec_driver_sql("SELECT action FROM audit_log ORDER BY seq")]
    assert actions == [
        "create_workspace",
        "add_user",
        "add_user",
        "change_passphrase",
        "remove_user",
    ]
    assert team.verify().ok


def test_user_management_rules(team: Workspace, ws_path: Path) -> None:
    with pytest.raises(InputError):
        team.add_user(DOC, "x passphrase", Role.REVIEWER)  # exists
    with pytest.raises(UnknownUser):
        team.remove_user("nobody")
    with pytest.raises(PermissionDenied, match="last admin"):
        team.remove_user(ADMIN)
    with pytest.raises(InputError, match="analyst"):
        team.add_user("x-2", "x passphrase", "superuser")
    team.remove_user(ANALYST)
    team.add_user(ANALYST, "back again passphrase", Role.COORDINATOR)  # re-added
    team.close()
    with Workspace.open(ws_path, user=ANALYST, passphrase="back again passphrase") as back:
        assert back.role is Role.COORDINATOR
    with Workspace.open(ws_path, user=DOC, passphrase=DOC_PW) as doc:
        doc.change_passphrase(DOC, "my own new passphrase")  # a user may change their own
        with pytest.raises(PermissionDenied):
            doc.change_passphrase(ADMIN, "hijack passphrase")
    with pytest.raises(WrongPassphrase):
        Workspace.open(ws_path, user=DOC, passphrase=DOC_PW)


def test_recovery_with_any_two_of_three_shares(ws: Workspace, ws_path: Path) -> None:
    ref = ws.put("person", {"n": 1}, IDENTITY)
    shares = ws.create_recovery_shares()
    assert len(shares) == 3 and len(set(shares)) == 3
    ws.close()
    for n, pair in enumerate(itertools.combinations(shares, 2)):
        name = f"rescue-{n}"
        with Workspace.recover(
            ws_path, list(pair), user=name, new_passphrase=f"recovered passphrase {n}"
        ) as rec:
            assert rec.role is Role.ADMIN and rec.user == name
        with Workspace.open(ws_path, user=name, passphrase=f"recovered passphrase {n}") as w:
            assert w.get("person", ref.record_id, reveal=True).identity == IDENTITY
            assert w.verify().ok
    with pytest.raises(CryptoError):
        Workspace.recover(ws_path, shares[:1], user="x", new_passphrase="one share is not enough")


def test_recovery_resets_a_forgotten_admin_passphrase(ws: Workspace, ws_path: Path) -> None:
    shares = ws.create_recovery_shares()
    ws.close()
    with Workspace.recover(
        ws_path, [shares[2], shares[0]], user=ADMIN, new_passphrase="remembered this time"
    ):
        pass
    with pytest.raises(WrongPassphrase):
        Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW)
    Workspace.open(ws_path, user=ADMIN, passphrase="remembered this time").close()


def test_new_shares_replace_old_ones(ws: Workspace, ws_path: Path) -> None:
    old = ws.create_recovery_shares()
    new = ws.create_recovery_shares()
    ws.close()
    with pytest.raises(WrongPassphrase):
        Workspace.recover(ws_path, old[:2], user="x-1", new_passphrase="should not work")
    Workspace.recover(ws_path, new[1:], user="x-1", new_passphrase="this works").close()


def test_no_recovery_without_shares(
    ws: Workspace, ws_path: Path, fast_kdf: object, tmp_path: Path
) -> None:
    with Workspace.create(
        tmp_path / "other", user=ADMIN, passphrase=ADMIN_PW, kdf=fast_kdf
    ) as other:  # type: ignore[arg-type]
        foreign = other.create_recovery_shares()
    ws.close()
    with pytest.raises(WrongPassphrase):
        Workspace.recover(ws_path, foreign[:2], user="x-1", new_passphrase="no shares here")


def test_a_role_change_is_one_audited_step_with_a_new_slot(team: Workspace, ws_path: Path) -> None:
    team.put("person", {"n": 1}, IDENTITY, name_tokens=["han"])
    slots = len(team._c.keyfile.slots)
    team.change_role(DOC, Role.ANALYST, "her analyst passphrase")
    assert len(team._c.keyfile.slots) == slots  # her slot replaced, not a second one
    with team._c.db.read() as conn:
        last = conn.exec_driver_sql(
            "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).one()
    assert last[0] == "change_role" and '"from":"documenter"' in last[1]
    assert "her analyst passphrase" not in last[1]
    with pytest.raises(PermissionDenied, match="last admin"):
        team.change_role(ADMIN, Role.REVIEWER, "x passphrase long")
    with pytest.raises(UnknownUser):
        team.change_role("nobody", Role.REVIEWER, "x passphrase long")
    team.close()
    with pytest.raises(WrongPassphrase):
        Workspace.open(ws_path, user=DOC, passphrase=DOC_PW)
    with Workspace.open(ws_path, user=DOC, passphrase="her analyst passphrase") as now:
        assert now.role is Role.ANALYST
        with pytest.raises(PermissionDenied, match="identity key"):  # none in her slot
            list(now.iter_current("person", reveal=True))
        assert now.verify().ok
