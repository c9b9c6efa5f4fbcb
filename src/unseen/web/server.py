"""Run the app under uvicorn. Access logs are off: a request line can name a record."""

from __future__ import annotations

import ipaddress

import uvicorn

from unseen.store import Workspace

from .app import create_app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(workspace: Workspace, *, host: str, port: int, secure_cookies: bool = False) -> None:
    """Serve until interrupted (Ctrl-C); signed-in users' workspaces are closed on the way out."""
    app = create_app(workspace, secure_cookies=secure_cookies)
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level="warning", server_header=False
    )
