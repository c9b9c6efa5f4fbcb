"""``unseen serve``: the web app for documenters, reviewers and analysts (docs/web.md)."""

from __future__ import annotations

from typing import Annotated

import typer

from unseen.cli._console import err
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock
from unseen.web.server import is_loopback, serve


def serve_command(
    workspace: WorkspaceArg,
    host: Annotated[
        str, typer.Option(help="Address to listen on. Keep 127.0.0.1 unless behind HTTPS.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(help="Mark the session cookie Secure (when an HTTPS proxy is in front)."),
    ] = False,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Serve the workspace in a browser, unlocked with an admin's passphrase.

    Users sign in with their own workspace user name and passphrase, then a code from an
    authenticator app (set up at their first sign-in).

    Example: unseen serve ~/cases --port 8000, then open http://127.0.0.1:8000

    웹 화면을 엽니다. 각 사용자는 자기 이름과 암호, 인증 앱 코드로 로그인합니다.
    """
    with unlock(workspace, user, passphrase_file) as ws:
        if not is_loopback(host) and not secure_cookies:
            err().print(
                f"warning: serving on {host} without --secure-cookies: put an HTTPS proxy in "
                "front, or anyone on the network can read passphrases / 경고: HTTPS 없이 "
                "네트워크에 열려 있습니다"
            )
        err().print(f"unseen: http://{host}:{port} (Ctrl-C to stop / 멈추려면 Ctrl-C)")
        serve(ws, host=host, port=port, secure_cookies=secure_cookies)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
