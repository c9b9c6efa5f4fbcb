"""Sign-in: passphrase + TOTP, lockout, expiry, CSRF, security headers, language switch."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from webkit import Clock, Secrets, TestClient, csrf_of, sign_in

from unseen.crypto import totp_code
from unseen.errors import PermissionDenied
from unseen.services import accounts
from unseen.store import Workspace
from unseen.web import create_app
from unseen.web.security import CONTENT_SECURITY_POLICY


def test_sign_in_with_passphrase_and_totp_then_out(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    assert client.get("/").status_code == 200
    r = client.post("/logout", data={"csrf": token})
    assert str(r.url).endswith("/login")
    assert client.get("/api/me").status_code == 401


def test_second_sign_in_needs_the_enrolled_code_and_refuses_a_replay(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    client.post("/logout", data={"csrf": token})
    page = client.get("/login").text
    r = client.post("/login", data={"csrf": csrf_of(page), "user": "doc-1",
                                    "passphrase": "documenter one words"})  # fmt: skip
    assert 'id="totp-secret"' not in r.text  # enrolled: no new secret shown
    used = totp_code(secrets.by_user["doc-1"], clock.now)  # the step used at the first sign-in
    r = client.post("/login/code", data={"csrf": csrf_of(r.text), "code": used})
    assert r.status_code == 401
    clock.advance(30)
    fresh = totp_code(secrets.by_user["doc-1"], clock.now)
    r = client.post("/login/code", data={"csrf": csrf_of(r.text), "code": fresh})
    assert r.status_code == 200 and client.get("/api/me").json()["user"] == "doc-1"


def test_wrong_passphrase_is_refused_with_one_message(client: TestClient) -> None:
    page = client.get("/login").text
    for user in ("doc-1", "nobody"):
        r = client.post("/login", data={"csrf": csrf_of(page), "user": user, "passphrase": "x"})
        assert r.status_code == 401
        assert "사용자 이름이나 암호가 틀렸습니다" in r.text


def test_five_failures_lock_the_account_even_for_the_right_passphrase(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    page = client.get("/login").text
    for n in range(1, accounts.MAX_FAILURES + 1):
        r = client.post("/login", data={"csrf": csrf_of(page), "user": "doc-1",
                                        "passphrase": "wrong words"})  # fmt: skip
        assert r.status_code == (423 if n == accounts.MAX_FAILURES else 401)
    r = client.post("/login", data={"csrf": csrf_of(page), "user": "doc-1",
                                    "passphrase": "documenter one words"})  # fmt: skip
    assert r.status_code == 423 and "/login/code" not in str(r.url)
    assert accounts.lockout(workspace, "doc-1").failures == accounts.MAX_FAILURES
    clock.advance(accounts.LOCK_SECONDS + 1)
    sign_in(client, "doc-1", clock, secrets)  # the lock ends on its own
    assert accounts.lockout(workspace, "doc-1").failures == 0


def test_wrong_totp_codes_count_towards_the_lockout(
    client: TestClient, clock: Clock, workspace: Workspace
) -> None:
    page = client.get("/login").text
    r = client.post("/login", data={"csrf": csrf_of(page), "user": "rev-1",
                                    "passphrase": "reviewer passphrase words"})  # fmt: skip
    for _ in range(accounts.MAX_FAILURES - 1):
        r = client.post("/login/code", data={"csrf": csrf_of(r.text), "code": "000000"})
        assert r.status_code == 401
    r = client.post("/login/code", data={"csrf": csrf_of(r.text), "code": "000000"})
    assert r.status_code == 423
    assert accounts.lockout(workspace, "rev-1").locked(clock.now)
    assert client.get("/api/me").status_code == 401


def test_session_expires_after_idle_time(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    sign_in(client, "doc-1", clock, secrets)
    clock.advance(29 * 60)
    assert client.get("/api/me").status_code == 200  # activity restarts the idle timer
    clock.advance(29 * 60)
    assert client.get("/api/me").status_code == 200
    clock.advance(31 * 60)
    r = client.get("/search")
    assert str(r.url).endswith("/login?expired=1") and "세션이 끝났습니다" in r.text
    assert client.get("/api/me").status_code == 401


def test_session_ends_after_twelve_hours_whatever_the_activity(
    client: TestClient, clock: Clock, secrets: Secrets
) -> None:
    sign_in(client, "doc-1", clock, secrets)
    for _ in range(25):
        clock.advance(29 * 60)
        client.get("/api/me")
    assert client.get("/api/me").status_code == 401


def test_session_id_changes_at_sign_in(client: TestClient, clock: Clock, secrets: Secrets) -> None:
    client.get("/login")
    before = client.cookies.get("unseen_session")
    sign_in(client, "doc-1", clock, secrets)
    assert client.cookies.get("unseen_session") not in (None, before)


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_csrf_refused_on_forms_and_api(
    client: TestClient, clock: Clock, secrets: Secrets, token: str | None
) -> None:
    real = sign_in(client, "doc-1", clock, secrets)
    data = {"name_hangul": "김영옥", "language": "ko"}
    if token is not None:
        data["csrf"] = token
    assert client.post("/intake", data=data).status_code == 403
    headers = {} if token is None else {"X-CSRF-Token": token}
    r = client.post("/api/testimonies", json={"name_hangul": "김영옥"}, headers=headers)
    assert r.status_code == 403
    found = client.post("/api/people/search", json={"name": "김영옥"},
                        headers={"X-CSRF-Token": real})  # fmt: skip
    assert found.json() == []  # nothing was written


def test_login_form_itself_needs_the_token(client: TestClient) -> None:
    client.get("/login")
    r = client.post("/login", data={"user": "doc-1", "passphrase": "documenter one words"})
    assert r.status_code == 403


def test_security_headers_on_every_response(client: TestClient) -> None:
    cookie = client.get("/login").headers.get("set-cookie", "")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    for path in ("/login", "/static/unseen.js", "/no-such-page", "/api/me", "/openapi.json"):
        h = client.get(path).headers
        assert h["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert h["x-content-type-options"] == "nosniff"
        assert h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "no-referrer"
        assert h["cache-control"] == "no-store"


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    page = client.get("/login").text
    assert "http://" not in page and "https://" not in page and "<script>" not in page
    assert client.get("/docs").status_code == 404  # Swagger UI would load a CDN script


def test_language_switch_persists_in_a_cookie(client: TestClient) -> None:
    page = client.get("/login").text
    assert "로그인" in page and 'lang="ko"' in page
    client.post("/lang", data={"csrf": csrf_of(page), "lang": "en", "back": "/login"})
    page = client.get("/login").text
    assert 'lang="en"' in page and "Sign in" in page
    assert client.cookies.get("lang") == "en"


def test_app_refuses_a_workspace_not_opened_by_an_admin(workspace: Workspace) -> None:
    with Workspace.open(workspace.path, user="doc-1", passphrase="documenter one words") as ws:
        with pytest.raises(PermissionDenied):
            create_app(ws)


def test_app_builds_with_fastapi(app: FastAPI) -> None:
    schema = app.openapi()
    assert "/api/testimonies" in schema["paths"] and "/login" not in schema["paths"]


def test_an_admin_ends_a_lockout_and_resets_a_lost_second_factor(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    sign_in(client, "doc-1", clock, secrets)  # doc-1 enrols a phone
    for _ in range(accounts.MAX_FAILURES):
        accounts.record_failure(workspace, "doc-1", clock.now)
    token = sign_in(client, "admin-1", clock, secrets)
    headers = {"X-CSRF-Token": token}
    state = client.get("/api/accounts/doc-1").json()
    assert state == {"user": "doc-1", "failures": 5, "locked": True, "second_factor": True}
    r = client.post("/api/accounts/doc-1/unlock", headers=headers)
    assert r.json()["locked"] is False and r.json()["failures"] == 0
    r = client.post("/api/accounts/doc-1/reset-second-factor", headers=headers)
    assert r.json()["second_factor"] is False
    assert client.get("/api/accounts/nobody").status_code == 404
    sign_in(client, "doc-1", clock, secrets)  # enrols again: sign_in reads the new secret
    assert client.get("/api/accounts/doc-1").status_code == 403  # not for documenters


def test_cookie_is_secure_only_when_asked(workspace: Workspace, clock: Clock) -> None:
    with TestClient(create_app(workspace, clock=clock, secure_cookies=True)) as c:
        assert "secure" in c.get("/login").headers["set-cookie"].lower()
    with TestClient(create_app(workspace, clock=clock)) as c:
        assert "secure" not in c.get("/login").headers["set-cookie"].lower()


def test_admin_page_unlocks_resets_and_grants(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    for _ in range(accounts.MAX_FAILURES):
        accounts.record_failure(workspace, "doc-2", clock.now)
    token = sign_in(client, "admin-1", clock, secrets)
    page = client.get("/admin").text
    assert "doc-2" in page and 'action="/admin/accounts/doc-2/unlock"' in page
    r = client.post("/admin/accounts/doc-2/unlock", data={"csrf": token})
    assert "잠금을 풀었습니다" in r.text and not accounts.lockout(workspace, "doc-2").locked(
        clock.now
    )
    r = client.post("/admin/accounts/admin-1/reset-second-factor", data={"csrf": token})
    assert r.status_code == 200 and not accounts.has_second_factor(workspace, "admin-1")
    r = client.post("/admin/grants", data={"csrf": token, "user": "doc-2", "source_id": "nope"})
    assert r.status_code == 404  # no such source: nothing granted
    assert client.post("/admin/accounts/nobody/unlock", data={"csrf": token}).status_code == 404
    token = sign_in(client, "doc-1", clock, secrets)
    assert client.get("/admin").status_code == 403
    assert client.post("/admin/accounts/doc-2/unlock", data={"csrf": token}).status_code == 403
