"""``unseen review``: decide, pair by pair, whether two uncertain records are the same person."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from unseen.cli._console import err, out
from unseen.cli._unlock import PassFileOpt, UserOpt, WorkspaceArg, unlock
from unseen.services.review import (
    decide,
    export_decisions,
    next_pair,
    pair_view,
    queue_from_pairs,
)
from unseen.store import Workspace

_KEYS = {"y": "match", "n": "non-match", "u": "unsure"}
_PROMPT = (
    "y = same person / 같은 사람, n = different / 다른 사람, u = unsure / 모름, "
    "s = skip / 건너뛰기, q = quit / 끝내기"
)


def review(
    workspace: WorkspaceArg,
    pairs: Annotated[
        Path | None,
        typer.Option(
            help="pairs.csv from `unseen link`: queue its uncertain pairs.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    band: Annotated[
        tuple[float, float],
        typer.Option(help="Queue pairs with LOW <= match probability < HIGH."),
    ] = (0.5, 0.95),
    export: Annotated[
        Path | None,
        typer.Option(
            help="Write match / non-match decisions as a pairs CSV for `unseen link --decisions`.",
            dir_okay=False,
        ),
    ] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Review uncertain record pairs side by side and record decisions (audited).

    Examples: `unseen review WS --pairs out/pairs.csv`, then `unseen review WS`, then
    `unseen review WS --export decisions.csv`.
    """  # fmt: skip
    with unlock(workspace, user, passphrase_file) as ws:
        if pairs is not None:
            n = queue_from_pairs(ws, pairs, band=band)
            out().print(f"{n} pairs queued for review / 검토할 쌍 {n}개 추가")
        elif export is not None:
            n = export_decisions(ws, export)
            out().print(f"{n} decisions written to {export.name} / 결정 {n}개 저장")
        else:
            _loop(ws)


def _loop(ws: Workspace) -> None:
    skipped: set[str] = set()
    while (pair := next_pair(ws, skip=skipped)) is not None:
        view = pair_view(ws, pair.record_id)
        table = Table(title=f"p = {view.match_probability:.2f}  ({pair.record_id[:8]})")
        table.add_column("field / 항목")
        table.add_column("left / 왼쪽")
        table.add_column("right / 오른쪽")
        for f in view.fields:
            style = "bold yellow" if f.differs else None
            table.add_row(f.name, f.left, f.right, style=style)
        out().print(table)
        key = typer.prompt(_PROMPT, default="s", show_default=False).strip().lower()[:1]
        if key == "q":
            break
        if key in _KEYS:
            decide(ws, pair.record_id, _KEYS[key])
        elif key == "s":
            skipped.add(pair.record_id)
        else:
            err().print("unknown key / 알 수 없는 키")
    else:
        out().print("no open pairs left / 남은 쌍이 없습니다")


def register(app: typer.Typer) -> None:
    app.command("review")(review)


__all__ = ["register", "review"]
