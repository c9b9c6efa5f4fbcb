"""``unseen evidence add|list|get``: files given by survivors and witnesses, kept encrypted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from unseen.cli._console import err, out
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock
from unseen.services.evidence import add_evidence_file, export_evidence, list_evidence
from unseen.services.search import SHORT_ID, locate

evidence_app = typer.Typer(
    help="Evidence files (photos, scans, recordings), stored encrypted. Only roles that can read "
    "identities can add or open them.",
    no_args_is_help=True,
)


@evidence_app.command("add")
def add(
    workspace: WorkspaceArg,
    file: Annotated[Path, typer.Argument(help="The file to keep.", exists=True, dir_okay=False)],
    source: Annotated[
        str | None, typer.Option(help="The source (testimony) it belongs to.")
    ] = None,
    description: Annotated[str | None, typer.Option(help="What it shows (kept sealed).")] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Store a file encrypted in the workspace. Example: unseen evidence add ~/cases scan.pdf

    Delete your plaintext copy afterwards if it is not needed. / 원본 파일은 필요 없으면 지우십시오.
    """
    with unlock(workspace, user, passphrase_file) as ws:
        record_id = add_evidence_file(ws, file, source_id=source, description=description)
    out().print(f"stored {file.name} as evidence {record_id[:SHORT_ID]} / 증거 파일 저장됨")


@evidence_app.command("list")
def list_(
    workspace: WorkspaceArg, user: UserOpt = None, passphrase_file: PassFileOpt = None
) -> None:
    """List evidence files: id, SHA-256, size, type; names only for roles that may see them."""
    with unlock(workspace, user, passphrase_file) as ws:
        items = list_evidence(ws)
    table = Table("evidence", "sha256", "bytes", "type", "file")
    for item in items:
        table.add_row(
            item.record_id[:SHORT_ID], item.sha256[:16], f"{item.size:,}", item.media_type,
            item.filename or "(sealed)",
        )  # fmt: skip
    out().print(table)


@evidence_app.command("get")
def get(
    workspace: WorkspaceArg,
    record_id: Annotated[str, typer.Argument(help="The evidence id (or its start).")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the decrypted file.")],
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Decrypt one evidence file to --out (audited). The copy is plaintext: handle it carefully."""
    with unlock(workspace, user, passphrase_file) as ws:
        found = locate(ws, record_id)
        full_id = found[1] if found and found[0] == "evidence" else record_id
        size = export_evidence(ws, full_id, out_file)
    out().print(f"wrote {out_file} ({size:,} bytes)")
    err().print("This copy is not encrypted / 이 사본은 암호화되어 있지 않습니다")


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
