"""The CLI end to end: exit codes, messages, roles, and that every command teaches in --help."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from svckit import person_rows, write_csv  # noqa: E402

from unseen.cli import build_app  # noqa: E402

ADMIN_PW = "cli admin passphrase words"
ANALYST_PW = "cli analyst passphrase words"


def run(*args: str, passphrase: str = ADMIN_PW, user: str = "admin", stdin: str | None = None):
    runner = CliRunner()
    env = {"UNSEEN_PASSPHRASE": passphrase, "UNSEEN_USER": user}
    return runner.invoke(build_app(), list(args), env=env, input=stdin)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    assert run("init", str(path)).exit_code == 0
    pw = tmp_path / "analyst.txt"
    pw.write_text(ANALYST_PW + "\n", encoding="utf-8")
    added = run("user", "add", str(path), "analyst-1", "--role", "analyst",
                "--new-passphrase-file", str(pw))  # fmt: skip
    assert added.exit_code == 0, added.output
    return path


def _commands() -> list[tuple[str, ...]]:
    root = get_command(build_app())
    found: list[tuple[str, ...]] = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            found += [(name, sub) for sub in cmd.commands]
        else:
            found.append((name,))
    return found


def test_every_command_has_help_with_text() -> None:
    commands = _commands()
    assert {c[0] for c in commands} >= {"init", "import", "export", "find", "show", "audit", "user"}
    for path in commands:
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert len(result.output.split("\n\n")[1].strip()) > 20, path  # a real description


def test_usage_error_exits_2_and_unknown_workspace_exits_1(tmp_path: Path) -> None:
    assert run("no-such-command").exit_code == 2
    assert run("import").exit_code == 2
    missing = run("audit", "verify", str(tmp_path / "nothing-here"))
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_wrong_passphrase_one_clear_message(ws: Path) -> None:
    wrong = run("audit", "verify", str(ws), passphrase="not the passphrase")
    unknown = run("audit", "verify", str(ws), user="nobody")
    assert wrong.exit_code == unknown.exit_code == 1
    assert wrong.output == unknown.output
    assert "wrong user name or passphrase" in wrong.output


def test_import_find_show_verify(ws: Path, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "list.csv", person_rows(20))
    imported = run("import", str(ws), str(source))
    assert imported.exit_code == 0, imported.output
    assert "20 people" in imported.output and "20명" in imported.output
    found = run("find", str(ws), "--name", "Lee Young-ok")
    assert found.exit_code == 0 and "Ri Yong-ok" in found.output
    record_id = next(
        line.split("│")[1].strip() for line in found.output.splitlines() if "R000006" in line
    )
    shown = run("show", str(ws), record_id, "--history")
    assert shown.exit_code == 0 and "Yong-ok" in shown.output
    assert run("audit", "verify", str(ws)).exit_code == 0


def test_failed_import_lists_every_problem_and_exits_1(ws: Path, tmp_path: Path) -> None:
    rows = person_rows(6)
    rows[2]["sex"] = "Q"
    rows[4]["violation"] = "NOPE"
    result = run("import", str(ws), str(write_csv(tmp_path / "bad.csv", rows)))
    assert result.exit_code == 1
    assert "2 problem(s); nothing was imported" in result.output
    assert "row 4" in result.output and "row 6" in result.output


def test_analyst_never_sees_a_name(ws: Path, tmp_path: Path) -> None:
    run("import", str(ws), str(write_csv(tmp_path / "list.csv", person_rows(8))))
    as_analyst = {"passphrase": ANALYST_PW, "user": "analyst-1"}
    by_name = run("find", str(ws), "--name", "Ri Yong-ok", **as_analyst)
    assert by_name.exit_code == 1 and "cannot search by name" in by_name.output
    listed = run("find", str(ws), "--violation", "FMAR", **as_analyst)
    assert listed.exit_code == 0 and "(sealed)" in listed.output
    record_id = next(
        line.split("│")[1].strip() for line in listed.output.splitlines() if "R000001" in line
    )
    shown = run("show", str(ws), record_id, **as_analyst)
    assert shown.exit_code == 0 and "sealed" in shown.output
    exported = run("export", str(ws), "--scope", "internal", "--out", str(tmp_path / "x.csv"),
                   **as_analyst)  # fmt: skip
    assert exported.exit_code == 1 and not (tmp_path / "x.csv").exists()
    for output in (by_name.output, listed.output, shown.output, exported.output):
        for row in person_rows(8):
            assert row["name_hangul"] not in output and row["given_name"] not in output


def test_consent_scoped_export(ws: Path, tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", person_rows(4, list_name="A"))
    b = write_csv(tmp_path / "b.csv", person_rows(3, list_name="B", start=50))
    assert (
        run("import", str(ws), str(a), "--consent", "un", "--consent-date", "2025-01-01").exit_code
        == 0
    )
    assert run("import", str(ws), str(b)).exit_code == 0
    out = tmp_path / "un.csv"
    result = run("export", str(ws), "--scope", "un", "--out", str(out))
    assert result.exit_code == 0 and "4 people" in result.output and "3 left out" in result.output
    with out.open(encoding="utf-8") as fh:
        assert {r["list"] for r in csv.DictReader(fh)} == {"A"}


def test_bundle_between_workspaces(ws: Path, tmp_path: Path) -> None:
    hq = tmp_path / "hq"
    assert run("init", str(hq)).exit_code == 0
    assert run("keys", "recipient", str(hq), "--out", str(tmp_path / "hq.pub")).exit_code == 0
    run("import", str(ws), str(write_csv(tmp_path / "list.csv", person_rows(10))))
    sent = run(
        "export", str(ws), "--to", str(tmp_path / "hq.pub"), "--out", str(tmp_path / "f.unseen")
    )
    assert sent.exit_code == 0, sent.output
    got = run("import", str(hq), str(tmp_path / "f.unseen"))
    assert got.exit_code == 0, got.output
    assert "imported bundle" in got.output
    assert "Check the signer's fingerprint" in got.output
    assert "5 found" in run("find", str(hq), "--violation", "FMAR").output
    assert "0 found" in run("find", str(hq), "--name", "박철수").output
    assert "Ri Yong-ok" in run("find", str(hq), "--name", "리영옥").output


def test_recovery_with_two_of_three_shares(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    made = run("init", str(ws), "--recovery")
    shares = [line for line in made.output.splitlines() if line.startswith("unseen-share-")]
    assert len(shares) == 3
    new_pw = tmp_path / "new.txt"
    new_pw.write_text("a brand new admin passphrase\n", encoding="utf-8")
    bad = run(
        "user", "recover", str(ws), "--share", shares[0], "--new-passphrase-file", str(new_pw)
    )
    assert bad.exit_code == 1
    good = run("user", "recover", str(ws), "--share", shares[2], "--share", shares[0],
               "--new-passphrase-file", str(new_pw))  # fmt: skip
    assert good.exit_code == 0, good.output
    assert run("audit", "verify", str(ws), passphrase="a brand new admin passphrase").exit_code == 0
    assert run("audit", "verify", str(ws)).exit_code == 1  # the lost passphrase no longer opens it


def test_every_command_is_in_the_cli_reference() -> None:
    reference = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    for path in _commands():
        assert f"`unseen {' '.join(path)}" in reference, path


def test_evidence_add_list_get_and_analyst_refused(ws: Path, tmp_path: Path) -> None:
    scan = tmp_path / "scan-of-id.pdf"
    scan.write_bytes(b"%PDF-1.7 synthetic evidence bytes")
    added = run("evidence", "add", str(ws), str(scan), "--description", "a made-up scan")
    assert added.exit_code == 0, added.output
    short = added.output.split("evidence ")[1].split()[0]
    listed = run("evidence", "list", str(ws))
    assert "scan-of-id.pdf" in listed.output and "application/pdf" in listed.output
    copy = tmp_path / "copy.pdf"
    assert run("evidence", "get", str(ws), short, "--out", str(copy)).exit_code == 0
    assert copy.read_bytes() == scan.read_bytes()
    as_analyst = {"passphrase": ANALYST_PW, "user": "analyst-1"}
    assert "scan-of-id.pdf" not in run("evidence", "list", str(ws), **as_analyst).output
    refused = run("evidence", "get", str(ws), short, "--out", str(tmp_path / "a.pdf"), **as_analyst)
    assert refused.exit_code == 1 and not (tmp_path / "a.pdf").exists()
    assert run("audit", "verify", str(ws)).exit_code == 0
