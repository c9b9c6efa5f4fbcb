"""``unseen user add|passwd|remove|list``: keyslots. None of these re-encrypts any data."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from unseen.cli._console import out
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock, user_name
from unseen.store import Role, Workspace

user_app = typer.Typer(
    help="Add, remove and re-key users. Roles: admin, documenter and reviewer can read "
    "identities; analyst and coordinator see pseudonymous records only.",
    no_args_is_help=True,
)

NewPassFileOpt = Annotated[
    typer.FileText | None,
    typer.Option(
        "--new-passphrase-file",
        help="Read the new user's passphrase from this file instead of asking.",
        show_default=False,
    ),
]


def _new_passphrase(file: typer.FileText | None) -> str:
    if file is not None:
        first = file.readline().rstrip("\n")
        if first:
            return first
    value: str = typer.prompt(
        "New user's passphrase / 새 사용자 암호", hide_input=True, confirmation_prompt=True
    )
    return value


@user_app.command("add")
def add(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="New user's name: a pseudonym such as doc-3.")],
    role: Annotated[Role, typer.Option(help="What the new user may do.")] = Role.DOCUMENTER,
    new_passphrase_file: NewPassFileOpt = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Add a user (admins only). Example: unseen user add ~/cases doc-3 --role documenter"""
    with unlock(workspace, user, passphrase_file) as ws:
        ws.add_user(name, _new_passphrase(new_passphrase_file), role)
    out().print(f"added {name} ({role.value}) / 사용자 추가됨")


@user_app.command("passwd")
def passwd(
    workspace: WorkspaceArg,
    name: Annotated[
        str | None, typer.Argument(help="Whose passphrase (default: your own).")
    ] = None,
    new_passphrase_file: NewPassFileOpt = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Change a passphrase: your own, or (admins) anyone's. The old one stops working."""
    me = user_name(user)
    with unlock(workspace, me, passphrase_file) as ws:
        ws.change_passphrase(name or me, _new_passphrase(new_passphrase_file))
    out().print(f"passphrase changed for {name or me} / 암호 변경됨")


@user_app.command("remove")
def remove(
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="The user to remove.")],
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Remove a user's keyslot (admins only). Their past actions stay in the audit trail."""
    with unlock(workspace, user, passphrase_file) as ws:
        ws.remove_user(name)
    out().print(f"removed {name} / 사용자 삭제됨")


@user_app.command("list")
def list_users(
    workspace: WorkspaceArg, user: UserOpt = None, passphrase_file: PassFileOpt = None
) -> None:
    """List users and their roles."""
    with unlock(workspace, user, passphrase_file) as ws:
        users = ws.list_users()
    table = Table("user", "role", "added", "by", "removed")
    for info in users:
        table.add_row(
            info.name, info.role.value, info.added_at, info.added_by, info.removed_at or ""
        )
    out().print(table)


@user_app.command("recover")
def recover(
    workspace: WorkspaceArg,
    share: Annotated[
        list[str],
        typer.Option(help="A recovery share, as printed by `unseen init --recovery` (give two)."),
    ],
    user: Annotated[
        str, typer.Option("--user", "-u", help="Admin to (re)create with a new passphrase.")
    ] = "admin",
    new_passphrase_file: NewPassFileOpt = None,
) -> None:
    """Regain access with two of the three recovery shares, when every admin passphrase is lost.

    Example: unseen user recover ~/cases --share unseen-share-1-... --share unseen-share-1-...
    """
    with Workspace.recover(
        workspace, share, user=user, new_passphrase=_new_passphrase(new_passphrase_file)
    ):
        pass
    out().print(f"{user} is an admin again with the new passphrase / 복구되었습니다")


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
