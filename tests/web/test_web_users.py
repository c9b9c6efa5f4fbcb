"""User management on the admin page and in the API: an admin adds a user (passphrase set or
generated and shown once; TOTP enrolled at her first sign-in), removes one (she can no longer
sign in and her open sessions end), changes a role (a new keyslot, a new passphrase); nobody
else may, and an admin may not remove herself or the last admin. Passphrases never reach the
audit trail, an error or a repr. Real workspace, real crypto (cheap Argon2id)."""

from __future__ import annotations

import json
import re

import pytest
from webkit import PASSWORDS, Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.services.users import UserChanged
from unseen.store import Role, Workspace
from unseen.web.routers.users import UserIn

NEW_PASS = "a fresh passphrase for doc-3"


def _keys(workspace: Workspace) -> bytes:
    return (workspace.path / "keys.json").read_bytes()


def _slots(workspace: Workspace) -> list[object]:
    """The keyslots in keys.json (its signed head moves at every commit, sign-ins too)."""
    slots: list[object] = json.loads(_keys(workspace))["slots"]
    return slots


def _audit(ws: Workspace) -> list[tuple[str, str, str]]:
    with ws._c.db.read() as conn:  # test-only look at the trail the store keeps
        rows = conn.exec_driver_sql(
            "SELECT actor, action, coalesce(detail, '') FROM audit_log ORDER BY seq"
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def _sign_in_fails(client: TestClient, user: str, passphrase: str) -> int:
    page = client.get("/login").text
    r = client.post("/login", data={"csrf": csrf_of(page), "user": user, "passphrase": passphrase})
    return r.status_code


def test_an_admin_adds_a_user_who_enrols_totp_at_first_sign_in(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    sign_in(client, "admin-1", clock, secrets)
    page = client.get("/admin").text
    assert 'id="add-user"' in page
    form = {"csrf": csrf_of(page), "user": "doc-3", "role": "documenter", "passphrase": NEW_PASS}
    r = client.post("/admin/users", data=form)
    assert r.status_code == 200 and "사용자를 추가했습니다" in r.text
    assert NEW_PASS not in r.text and 'id="made-passphrase"' not in r.text
    users = {u.name: u for u in workspace.list_users()}
    assert users["doc-3"].role is Role.DOCUMENTER and users["doc-3"].added_by == "admin-1"
    # her first sign-in shows the enrolment (a secret to scan), as for every new user
    client.post("/logout", data={"csrf": csrf_of(r.text)})
    page = client.get("/login").text
    r = client.post("/login", data={"csrf": csrf_of(page), "user": "doc-3", "passphrase": NEW_PASS})
    assert r.status_code == 200 and 'id="totp-secret"' in r.text
    token = sign_in(client, "doc-3", clock, secrets, passphrase=NEW_PASS)
    assert client.get("/api/me").json()["role"] == "documenter" and token


def test_a_generated_passphrase_is_shown_once_and_opens_her_keyslot(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "admin-1", clock, secrets)
    r = client.post("/api/users", headers={"X-CSRF-Token": token},
                    json={"user": "Analyst-2", "role": "analyst"})  # fmt: skip
    assert r.status_code == 201, r.text
    out = r.json()
    made = out["passphrase"]
    assert out["user"] == "analyst-2" and out["role"] == "analyst"
    assert re.fullmatch(r"[a-z2-7]{6}(-[a-z2-7]{6}){3}", made)
    with Workspace.open(workspace.path, user="analyst-2", passphrase=made) as ws:
        assert ws.role is Role.ANALYST and not ws.role.can_reveal
    # the page shows a generated one once, in the answer itself
    page = client.get("/admin").text
    r = client.post("/admin/users", data={"csrf": csrf_of(page), "user": "rev-2",
                                          "role": "reviewer"})  # fmt: skip
    shown = re.search(r'id="made-passphrase">([^<]+)<', r.text)
    assert r.status_code == 200 and shown
    assert shown.group(1) not in client.get("/admin").text  # not again
    sign_in(client, "rev-2", clock, secrets, passphrase=shown.group(1))
    # audited under the admin's name; the passphrase never in the trail, keys.json or a repr
    trail = _audit(workspace)
    assert ("admin-1", "add_user", '{"role":"analyst","user":"analyst-2"}') in [
        (a, b, c.replace(" ", "")) for a, b, c in trail]  # fmt: skip
    from unseen.crypto import Passphrase

    for secret in (made, shown.group(1)):
        assert not any(secret in c for _, _, c in trail) and secret.encode() not in _keys(workspace)
        assert secret not in repr(UserChanged("x", Role.ANALYST, Passphrase(secret)))
    assert workspace.verify().ok  # the audit chain still verifies
    body = UserIn(user="doc-9", passphrase=NEW_PASS)  # the API's body masks it too
    assert NEW_PASS not in repr(body) and NEW_PASS not in str(body.model_dump())


def test_a_removed_user_cannot_sign_in_and_her_sessions_end(
    clock: Clock, secrets: Secrets, workspace: Workspace, client: TestClient, app: object
) -> None:
    with TestClient(app) as hers:  # type: ignore[arg-type]
        sign_in(hers, "doc-2", clock, secrets)
        assert hers.get("/api/me").status_code == 200
        token = sign_in(client, "admin-1", clock, secrets)
        r = client.post("/api/users/doc-2/remove", headers={"X-CSRF-Token": token})
        assert r.status_code == 200, r.text
        assert r.json() == {"user": "doc-2", "removed": True, "sessions_ended": 1}
        assert hers.get("/api/me").status_code == 401  # her open session ended
        assert _sign_in_fails(hers, "doc-2", PASSWORDS["doc-2"]) == 401
        table = client.get("/admin").text.split('id="accounts"')[1].split("</table>")[0]
        assert "doc-2" not in table and "doc-1" in table
        assert {u.name: u for u in workspace.list_users()}["doc-2"].removed_at is not None
        # the name given again: a new keyslot, and she enrols a new second factor
        again = {"user": "doc-2", "role": "reviewer", "passphrase": NEW_PASS}
        r = client.post("/api/users", headers={"X-CSRF-Token": token}, json=again)
        assert r.status_code == 201 and r.json()["passphrase"] is None
        page = hers.get("/login").text
        r = hers.post("/login", data={"csrf": csrf_of(page), "user": "doc-2",
                                      "passphrase": NEW_PASS})  # fmt: skip
        assert r.status_code == 200 and 'id="totp-secret"' in r.text  # not the old factor
    users = {u.name: u for u in workspace.list_users()}
    assert users["doc-2"].role is Role.REVIEWER and users["doc-2"].removed_at is None
    trail = [(actor, action) for actor, action, detail in _audit(workspace) if "doc-2" in detail]
    assert trail[-2:] == [("admin-1", "remove_user"), ("admin-1", "add_user")]
    assert not any(NEW_PASS in detail for _, _, detail in _audit(workspace))


def test_a_role_change_is_a_new_keyslot_and_ends_her_sessions(
    clock: Clock, secrets: Secrets, workspace: Workspace, client: TestClient, app: object
) -> None:
    with TestClient(app) as hers:  # type: ignore[arg-type]
        sign_in(hers, "doc-1", clock, secrets)
        token = sign_in(client, "admin-1", clock, secrets)
        page = client.get("/admin").text
        r = client.post("/admin/users/doc-1/role", data={"csrf": csrf_of(page),
                        "role": "analyst", "passphrase": NEW_PASS})  # fmt: skip
        assert r.status_code == 200 and "역할을 바꿨습니다" in r.text
        assert hers.get("/api/me").status_code == 401
        assert _sign_in_fails(hers, "doc-1", PASSWORDS["doc-1"]) == 401  # the old slot is gone
        sign_in(hers, "doc-1", clock, secrets, passphrase=NEW_PASS)  # same TOTP factor
        assert hers.get("/api/me").json()["role"] == "analyst"
        r = client.post("/api/users/doc-1/role", headers={"X-CSRF-Token": token},
                        json={"role": "analyst"})  # fmt: skip
        assert r.status_code == 400 and "already analyst" in r.json()["detail"]
    trail = [(actor, action) for actor, action, detail in _audit(workspace) if "doc-1" in detail]
    assert trail[-1] == ("admin-1", "change_role")  # one step: never left without a slot


@pytest.mark.parametrize("user", ["doc-1", "rev-1", "analyst-1", "coord-1"])
def test_only_admins_manage_users_and_nothing_is_written(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace, user: str
) -> None:
    before, keys = workspace.list_users(), _slots(workspace)
    token = sign_in(client, user, clock, secrets)
    h = {"X-CSRF-Token": token}
    assert client.get("/api/users").status_code == 403
    assert client.post("/api/users", headers=h, json={"user": "x-1"}).status_code == 403
    assert client.post("/api/users/doc-2/remove", headers=h).status_code == 403
    r = client.post("/api/users/doc-2/role", headers=h, json={"role": "admin"})
    assert r.status_code == 403
    assert client.post("/admin/users", data={"csrf": token, "user": "x-1"}).status_code == 403
    assert client.post("/admin/users/doc-2/remove", data={"csrf": token}).status_code == 403
    r = client.post("/admin/users/doc-2/role", data={"csrf": token, "role": "admin"})
    assert r.status_code == 403
    assert workspace.list_users() == before and _slots(workspace) == keys


@pytest.mark.parametrize(
    ("call", "status", "message"),
    [
        (("/api/users/admin-1/remove", None), 403, "you cannot remove yourself"),
        (("/api/users/admin-1/role", {"role": "analyst"}), 403, "cannot change your own role"),
        (("/api/users/nobody-9/remove", None), 404, "no user nobody-9"),
        (("/api/users", {"user": "doc-1"}), 400, "user doc-1 already exists"),
        (("/api/users", {"user": "doc-4", "passphrase": "short"}), 400,
         "passphrase: at least 12 characters"),
    ],
)  # fmt: skip
def test_refusals_are_exact_and_write_nothing(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace,
    call: tuple[str, dict[str, str] | None], status: int, message: str,
) -> None:  # fmt: skip
    before, keys = workspace.list_users(), _slots(workspace)
    token = sign_in(client, "admin-1", clock, secrets)
    path, body = call
    r = client.post(path, headers={"X-CSRF-Token": token}, json=body)
    assert r.status_code == status and message in r.json()["detail"], r.text
    assert "short" not in r.text or "short" in message
    assert workspace.list_users() == before and _slots(workspace) == keys


def test_the_last_admin_cannot_be_removed_or_demoted(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    workspace.add_user("admin-2", "second admin passphrase", Role.ADMIN)
    token = sign_in(client, "admin-2", clock, secrets, passphrase="second admin passphrase")
    h = {"X-CSRF-Token": token}
    r = client.post("/api/users/admin-1/role", headers=h, json={"role": "reviewer"})
    assert r.status_code == 200 and r.json()["passphrase"]  # two admins: one may go
    # admin-2 is now the last admin: the only one who could remove or demote her is herself
    before, keys = workspace.list_users(), _slots(workspace)
    r = client.post("/api/users/admin-2/remove", headers=h)
    assert r.status_code == 403 and "you cannot remove yourself" in r.json()["detail"]
    r = client.post("/api/users/admin-2/role", headers=h, json={"role": "analyst"})
    assert r.status_code == 403 and "cannot change your own role" in r.json()["detail"]
    assert workspace.list_users() == before and _slots(workspace) == keys
    admins = [
        u.name for u in workspace.list_users() if u.removed_at is None and u.role is Role.ADMIN
    ]
    assert admins == ["admin-2"]
