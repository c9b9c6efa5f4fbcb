"""``unseen demo``: the main job on simulated data, end to end, in one command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from unseen.cli._console import err, out
from unseen.services.demo import DEMO_PASSPHRASE, DEMO_USER, StageProgress, run_demo


@contextmanager
def _stages() -> Iterator[StageProgress]:
    """One progress bar per stage, as the service reports them."""
    with Progress(
        TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err(),
    ) as bar:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update


def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Folder for the demo (replaced if it is an old demo).")
    ] = Path("unseen-demo"),
    preset: Annotated[
        str, typer.Option(help="Simulation size: small (seconds) or realistic (about a minute).")
    ] = "realistic",
    seed: Annotated[int, typer.Option(help="Seed of the simulation.")] = 2026,
) -> None:
    """Run the main job on simulated people: simulate several organisations' lists, create an
    encrypted workspace, import every list, verify the audit trail, and print a summary.

    Everything it shows is synthetic. / 모든 데이터는 시뮬레이션입니다.
    """
    with _stages() as progress:
        result = run_demo(directory, preset=preset, seed=seed, progress=progress)
    table = Table("list / 목록", "people", "acts", "mother-child", "places matched")
    for s in result.imports:
        total_places = s.places_resolved + s.places_unresolved
        table.add_row(
            ", ".join(s.lists), f"{s.people:,}", f"{s.acts:,}", f"{s.relationships:,}",
            f"{s.places_resolved}/{total_places}",
        )  # fmt: skip
    console = out()
    console.print(table)
    console.print(
        f"simulated population: {result.simulated_people:,} people; documented in the lists: "
        f"{result.people:,} records ({result.records:,} store records) / 시뮬레이션 인구 "
        f"{result.simulated_people:,}명, 문서화된 기록 {result.people:,}건"
    )
    console.print(f"audit trail: {result.audit.summary()}")
    console.print(
        f"workspace: {result.workspace} (user {DEMO_USER}, passphrase '{DEMO_PASSPHRASE}')"
    )
    console.print(f"lists and ground truth: {result.lists_dir}")
    console.print(
        f"try: UNSEEN_USER={DEMO_USER} UNSEEN_PASSPHRASE='{DEMO_PASSPHRASE}' "
        f"unseen find {result.workspace} --violation FMAR"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
