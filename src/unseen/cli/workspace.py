"""``unseen init``, ``unseen audit verify`` and ``unseen show``: the workspace itself."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from unseen.cli._console import err, out
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, passphrase, unlock, user_name
from unseen.errors import RecordNotFound
from unseen.store import Workspace

audit_app = typer.Typer(help="Check the tamper-evident audit trail.", no_args_is_help=True)


def init(
    workspace: WorkspaceArg,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
    recovery: Annotated[
        bool,
        typer.Option(
            "--recovery/--no-recovery",
            help="Also print three recovery shares; any two of them restore access if every "
            "admin passphrase is lost. Give them to three different trusted people.",
        ),
    ] = False,
) -> None:
    """Create a new encrypted workspace; you become its first admin.

    Example: unseen init ~/cases --user coordinator-1

    Choose a long passphrase (six or more random words). It cannot be recovered
    unless you ask for --recovery shares. / 긴 암호를 고르십시오.
    """
    name = user_name(user)
    secret = passphrase(passphrase_file, prompt="New passphrase / 새 암호", confirm=True)
    with Workspace.create(workspace, user=name, passphrase=secret) as ws:
        shares = ws.create_recovery_shares() if recovery else ()
        fingerprint = ws.verify_key.fingerprint()
    console = out()
    console.print(f"Created workspace {workspace} (admin: {name}); audit key {fingerprint}")
    console.print(f"작업 공간을 만들었습니다: {workspace}")
    if shares:
        warn = err()
        warn.print(
            "[bold]Recovery shares: write each on paper for a different person. "
            "They are shown only now. / 복구 조각: 지금만 표시됩니다.[/]"
        )
        for share in shares:
            console.print(share)


def show(
    workspace: WorkspaceArg,
    record_id: Annotated[
        str, typer.Argument(help="The record id, or its start as `unseen find` prints it.")
    ],
    kind: Annotated[
        str | None,
        typer.Option(help="Record kind (person, source, event, act...); found if omitted."),
    ] = None,
    history: Annotated[bool, typer.Option(help="Show every version, oldest first.")] = False,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Show one record. Identity fields are shown only to roles that may read them, and each
    showing is written to the audit trail.

    Example: unseen show ~/cases 3f2a9c... --history
    """
    from unseen.services.search import locate

    with unlock(workspace, user, passphrase_file) as ws:
        found = (kind, record_id) if kind else locate(ws, record_id)
        if found is None:
            raise RecordNotFound(f"no record {record_id} in {workspace}")
        kind, record_id = found
        reveal = ws.role.can_reveal
        versions = (
            ws.history(kind, record_id, reveal=reveal)
            if history
            else [ws.get(kind, record_id, reveal=reveal)]
        )
    console = out()
    for rec in versions:
        table = Table(title=f"{rec.kind} {rec.record_id} v{rec.version}", show_header=False)
        table.add_row("created", f"{rec.created_at} by {rec.author}")
        if rec.deleted:
            table.add_row("deleted", "yes")
        for key, value in rec.attributes.items():
            table.add_row(key, _text(value))
        if rec.identity is not None:
            for key, value in rec.identity.items():
                table.add_row(f"[bold]{key}[/]", _text(value))
        elif rec.has_identity:
            table.add_row("identity", "sealed: your role cannot read identities / 신원 정보 봉인됨")
        console.print(table)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@audit_app.command("verify")
def audit_verify(
    workspace: WorkspaceArg, user: UserOpt = None, passphrase_file: PassFileOpt = None
) -> None:
    """Recompute every record hash, the hash chain and every signature of the audit trail.

    Exit code 0 when everything verifies; 1 naming the first entry that does not.
    Example: unseen audit verify ~/cases
    """
    with unlock(workspace, user, passphrase_file) as ws:
        report = ws.verify()
    if not report.ok:
        err().print(f"[bold red]{report.summary()}[/]")
        raise typer.Exit(1)
    out().print(report.summary())


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("show")(show)
    app.add_typer(audit_app, name="audit")
