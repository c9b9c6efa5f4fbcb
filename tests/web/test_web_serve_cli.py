"""`unseen serve` unlocks the workspace the way every command does, and refuses non-admins
before it listens anywhere."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner
from webkit import PASSWORDS

from unseen.cli import build_app
from unseen.store import Workspace
from unseen.web.server import is_loopback


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.output


def test_serve_refuses_a_documenter_and_a_wrong_passphrase(
    workspace: Workspace, tmp_path: Path
) -> None:
    pw = tmp_path / "pw.txt"
    pw.write_text(PASSWORDS["doc-1"] + "\n", encoding="utf-8")
    code, output = _run("serve", str(workspace.path), "--user", "doc-1", "--passphrase-file",
                        str(pw))  # fmt: skip
    assert code == 1 and "admin" in output
    pw.write_text("not the passphrase\n", encoding="utf-8")
    code, _ = _run("serve", str(workspace.path), "--user", "admin-1", "--passphrase-file", str(pw))
    assert code == 1


def test_serve_has_a_port_range() -> None:
    code, _ = _run("serve", "ws", "--port", "70000")
    assert code == 2


def test_loopback_hosts() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")  # noqa: S104 (a value)
