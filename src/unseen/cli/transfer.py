"""``unseen export`` and ``unseen keys``: what leaves a workspace, and the key to receive it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from unseen.cli._console import out
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock
from unseen.domain.model import ConsentScope
from unseen.errors import InputError
from unseen.services import bundle
from unseen.services.consent_export import export_consented

keys_app = typer.Typer(help="Keys for receiving sealed bundles.", no_args_is_help=True)


def export(
    workspace: WorkspaceArg,
    out_file: Annotated[Path, typer.Option("--out", help="File to write.", dir_okay=False)],
    to: Annotated[
        Path | None,
        typer.Option(
            help="Recipient's public key file (from `unseen keys recipient`): writes a sealed "
            "bundle of every record, its history and evidence, which only the recipient can open.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    scope: Annotated[
        ConsentScope | None,
        typer.Option(
            help="Instead of a bundle, a plain person-list CSV of only the people whose consent "
            "covers this use (partner, un, public, internal)."
        ),
    ] = None,
    partner: Annotated[
        str | None, typer.Option(help="The partner organisation, with --scope partner.")
    ] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Export a sealed bundle for headquarters or a partner, or a consent-scoped plain list.

    Examples:

      unseen export ~/field --to hq.pub --out field-2026-11.unseen

      unseen export ~/cases --scope un --out un-submission.csv

    A plain list contains names: handle it as carefully as the workspace itself.
    """
    if (to is None) == (scope is None):
        raise typer.BadParameter("give exactly one of --to (sealed bundle) or --scope (plain list)")
    with unlock(workspace, user, passphrase_file) as ws:
        if to is not None:
            key = bundle.RecipientKey.read(to)
            summary = bundle.export_bundle(ws, key, out_file)
            out().print(
                f"wrote {out_file}: {summary.records} record versions, {summary.evidence} "
                f"evidence files, sealed to {key.fingerprint}; signed by "
                f"{summary.sender_fingerprint} / 봉인된 묶음을 만들었습니다"
            )
            return
        assert scope is not None  # noqa: S101 - guaranteed by the check above
        summary_plain = export_consented(
            ws, out_file, scope=scope, partner=partner, today=dt.date.today()
        )
    out().print(
        f"wrote {out_file}: {summary_plain.written} people whose consent covers "
        f"'{summary_plain.scope}'; {summary_plain.left_out} left out without that consent"
    )


@keys_app.command("recipient")
def recipient(
    workspace: WorkspaceArg,
    out_file: Annotated[
        Path, typer.Option("--out", help="Where to write the public key file.", dir_okay=False)
    ],
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Write this workspace's public key for bundles; give it to the field teams.

    Example: unseen keys recipient ~/hq --out hq.pub
    """
    with unlock(workspace, user, passphrase_file) as ws:
        key = bundle.recipient_key(ws)
    if out_file.exists():
        raise InputError(f"{out_file} exists: choose another name")
    key.write(out_file)
    out().print(f"wrote {out_file} (fingerprint {key.fingerprint}); it holds no secret")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.add_typer(keys_app, name="keys")
