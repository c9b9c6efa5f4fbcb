"""How the CLI gets a user name and passphrase: flag, file, environment, or a hidden prompt.

The shell may read the environment; the library never does (STYLE.md rule 8).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from unseen.crypto import Passphrase
from unseen.errors import InputError
from unseen.store import Workspace

PASSPHRASE_ENV = "UNSEEN_PASSPHRASE"  # noqa: S105 (a variable name, not a secret)
USER_ENV = "UNSEEN_USER"

WorkspaceArg = Annotated[
    Path,
    typer.Argument(help="Workspace folder (made by `unseen init`).", show_default=False),
]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user",
        "-u",
        help=f"Your user name in this workspace (default: ${USER_ENV}, else 'admin').",
        show_default=False,
    ),
]
PassFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help=f"Read the passphrase from this file's first line (for automation; "
        f"or set ${PASSPHRASE_ENV}). Without either, you are asked.",
        show_default=False,
        dir_okay=False,
    ),
]


def user_name(given: str | None) -> str:
    return given or os.environ.get(USER_ENV) or "admin"


def passphrase(
    file: Path | None, *, prompt: str = "Passphrase / 암호", confirm: bool = False
) -> Passphrase:
    """The passphrase from ``--passphrase-file``, ``$UNSEEN_PASSPHRASE`` or a hidden prompt."""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"cannot read the passphrase file {file}: {type(exc).__name__}"
            ) from None
        if not text or not text[0]:
            raise InputError(f"the passphrase file {file} is empty")
        return Passphrase(text[0])
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return Passphrase(env)
    value: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return Passphrase(value)


def unlock(workspace: Path, user: str | None, passphrase_file: Path | None) -> Workspace:
    """Open ``workspace`` as the user named by the options, asking for the passphrase if needed."""
    return Workspace.open(workspace, user=user_name(user), passphrase=passphrase(passphrase_file))
