"""A Rich progress bar on stderr for long library calls that report (done, total)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from unseen.cli._console import err


def _bars() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err(),
        transient=True,
    )


@contextmanager
def progress_bars(label: Callable[[str], str]) -> Iterator[Callable[[str, int, int], None]]:
    """Yield a ``(stage, done, total)`` callback: one bar per stage, titled ``label(stage)``."""
    with _bars() as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(label(stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


@contextmanager
def stage_bar(label: Callable[[str], str], first: str) -> Iterator[Callable[[str, int, int], None]]:
    """Yield a ``(stage, done, total)`` callback that drives one bar, titled ``label(stage)``
    as the stages pass (``first`` before any report); for stages of one long run."""
    with _bars() as bar:
        task = bar.add_task(label(first), total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=label(stage), completed=done, total=total)

        yield update


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """Yield a ``(done, total)`` callback that drives one bar; the bar clears itself at the end."""
    with _bars() as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
