"""``unseen import`` and ``unseen find``: bring lists in, look people up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from unseen.cli._console import err, out
from unseen.cli._progress import progress_bar
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock
from unseen.domain.model import ConsentScope
from unseen.formats import ColumnMapping
from unseen.services import bundle
from unseen.services.ingest import ConsentGrant, ImportSummary, import_person_list
from unseen.services.search import SHORT_ID, SearchQuery, find_people


def import_(
    workspace: WorkspaceArg,
    file: Annotated[
        Path,
        typer.Argument(
            help="A person list (.csv, .xlsx, .json, Uwazi CSV export) or a sealed bundle "
            "(.unseen) from another workspace.",
            exists=True,
            dir_okay=False,
        ),
    ],
    list_name: Annotated[
        str | None,
        typer.Option(
            "--list", help="List (organisation or source) for files without a 'list' column."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="Column-mapping file (YAML or JSON) for your own spreadsheet's columns; "
            "see docs/formats.md.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    consent: Annotated[
        list[ConsentScope] | None,
        typer.Option(
            help="Record that everyone in this list consented to this use (repeat for several). "
            "Without it, nothing is assumed and exports for partners, the UN or the public "
            "leave these people out.",
        ),
    ] = None,
    partner: Annotated[
        list[str] | None, typer.Option(help="Partner named in a 'partner' consent (repeatable).")
    ] = None,
    consent_date: Annotated[
        str | None, typer.Option(help="Date consent was given, YYYY-MM-DD (default: today).")
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option(help="For bundles: the sender's audit-key fingerprint to insist on."),
    ] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Import a whole file, or nothing: every problem in it is listed at once.

    Examples:

      unseen import ~/cases interviews.csv --list "NGO interviews"

      unseen import ~/cases 명단.xlsx --mapping columns.yaml --consent internal --consent un

      unseen import ~/hq field-2026-11.unseen --sender 3f2a-91bc-0d4e-77a1

    가져오기는 전부 되거나 전혀 되지 않습니다. 문제가 있으면 모두 한 번에 알려 줍니다.
    """
    with file.open("rb") as fh:
        is_bundle = fh.read(len(bundle.MAGIC)) == bundle.MAGIC
    with (
        unlock(workspace, user, passphrase_file) as ws,
        progress_bar(f"importing {file.name}") as bar,
    ):
        if is_bundle:
            summary = bundle.import_bundle(ws, file, sender_fingerprint=sender, progress=bar)
        else:
            grant = None
            if consent:
                given = dt.date.fromisoformat(consent_date) if consent_date else dt.date.today()
                grant = ConsentGrant(frozenset(consent), given, frozenset(partner or ()))
            loaded = import_person_list(
                ws,
                file,
                list_name=list_name,
                mapping=ColumnMapping.from_file(mapping) if mapping else None,
                consent=grant,
                progress=bar,
            )
    if is_bundle:
        out().print(
            f"imported bundle from workspace {summary.sender_workspace}: {summary.records} record "
            f"versions ({summary.new_records} new), {summary.evidence} evidence files; signed by "
            f"{summary.sender_fingerprint}, sender's chain head {summary.chain_head[0]}"
        )
        if sender is None:
            err().print(
                "Check the signer's fingerprint with the sender / 서명자 지문을 확인하십시오"
            )
        return
    _print_import(loaded)


def _print_import(s: ImportSummary) -> None:
    console = out()
    console.print(
        f"imported {s.file.name} ({s.format}): {s.people} people, {s.events} events, {s.acts} "
        f"acts, {s.involvements} involvements, {s.relationships} relationships, {s.consents} "
        f"consents into list(s) {', '.join(s.lists)}"
    )
    console.print(f"가져옴: {s.people}명, 사건 {s.events}건, 행위 {s.acts}건")
    if s.places_unresolved:
        console.print(
            f"places: {s.places_resolved} matched to the gazetteer, {s.places_unresolved} kept as "
            "text only"
        )
    for use in s.date_forms:
        console.print(
            f"understood '{use.example}' as {use.understood_as} / {use.understood_as_ko} "
            f"({use.count} cells)"
        )


def find(
    workspace: WorkspaceArg,
    name: Annotated[
        str | None,
        typer.Option(help="A name in any script or spelling: 리순자, Ri Sun Ja, Lee Soon-ja."),
    ] = None,
    violation: Annotated[str | None, typer.Option(help="A violation code, e.g. FMAR.")] = None,
    place: Annotated[
        str | None, typer.Option(help="A place in China or North Korea, in any script.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="A year an act happened.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many people.")] = 100,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Find people by name (keyed blind index), violation, place and year; all given must match.

    Examples:

      unseen find ~/cases --name "Lee Soon-ja"

      unseen find ~/cases --violation FMAR --place 연길 --year 2010

    Names are shown only to roles that may read identities.
    """
    query = SearchQuery(name=name, violation=violation, place=place, year=year, limit=limit)
    with unlock(workspace, user, passphrase_file) as ws:
        hits = find_people(ws, query)
    table = Table("record", "name", "list", "list id", "sex", "born", "violations")
    for h in hits:
        born = ""
        if h.birth_years:
            lo, hi = h.birth_years
            born = str(lo) if lo == hi else f"{lo}-{hi}"
        table.add_row(
            h.record_id[:SHORT_ID], h.name or "(sealed)", h.list_name or "",
            h.source_record_id or "", h.sex, born, ", ".join(h.violations),
        )  # fmt: skip
    console = out()
    console.print(table)
    console.print(f"{len(hits)} found / {len(hits)}명 찾음")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("find")(find)
