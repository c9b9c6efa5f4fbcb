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
from unseen.estimation import Estimate
from unseen.services.demo import (
    DEMO_PASSPHRASE,
    DEMO_USER,
    DemoEstimate,
    StageProgress,
    run_demo,
)


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
    """Run the main job on simulated people, end to end: simulate several organisations'
    lists, create an encrypted workspace, import every list, link the same people across the
    lists, estimate how many were never documented (the simulated truth beside it), write the
    report, and print the headline.

    Everything it shows is synthetic. / 모든 데이터는 시뮬레이션입니다.

    Example: unseen demo --dir ~/unseen-demo
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
    if result.headline is not None:
        _headline(result.headline)
    console.print(
        f"workspace: {result.workspace} (user {DEMO_USER}, passphrase '{DEMO_PASSPHRASE}')"
    )
    console.print(f"lists and ground truth: {result.lists_dir}")
    if result.linkage_dir is not None:
        console.print(f"linkage (clusters, pairs, capture histories): {result.linkage_dir}")
    if result.estimates_json is not None:
        console.print(f"estimates: {result.estimates_json}")
    for path in result.reports:
        console.print(f"report / 보고서: {path}")
    if result.seconds:
        console.print(
            "seconds / 초: " + ", ".join(f"{stage} {sec:.0f}" for stage, sec in result.seconds)
        )
    console.print(
        f"try: UNSEEN_USER={DEMO_USER} UNSEEN_PASSPHRASE='{DEMO_PASSPHRASE}' "
        f"unseen find {result.workspace} --violation FMAR"
    )


def _interval(e: Estimate) -> str:
    if e.estimate is None:
        return f"not estimable / 추정 불가: {e.message}"
    low = f"{e.lower:,.0f}" if e.lower is not None else "?"
    high = f"{e.upper:,.0f}" if e.upper is not None else "unbounded / 상한 없음"
    return f"{e.estimate:,.0f} (95%: {low} - {high})"


def _headline(h: DemoEstimate) -> None:
    table = Table(title="how many? / 몇 명인가?")
    table.add_column("")
    table.add_column("people / 명", justify="right")
    table.add_row("documented (linked people) / 문서화(연결된 사람)", f"{h.documented:,}")
    table.add_row(f"estimated ({h.estimate.method}) / 추정", _interval(h.estimate))
    table.add_row("true (simulated) / 실제(시뮬레이션)", f"{h.truth:,}")
    table.add_row(
        "estimated had linkage been perfect / 연결이 완벽했다면", _interval(h.perfect_linkage)
    )
    out().print(table)
    if h.evaluation is not None:
        ev = h.evaluation
        out().print(
            f"linkage against the truth / 연결 정확도: precision {ev.precision:.3f}, recall "
            f"{ev.recall:.3f}, pairwise F1 {ev.f1:.3f}; missed links split people and push the "
            "estimate up / 놓친 연결은 사람을 나누어 추정을 키웁니다"
        )
    covered = h.covers_truth
    if covered is not None:
        out().print(
            "the interval covers the truth / 구간이 실제 값을 포함합니다"
            if covered
            else "the interval misses the truth / 구간이 실제 값을 벗어납니다"
        )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
