"""Rich consoles: results to stdout, progress and warnings to stderr (so pipes stay clean)."""

from __future__ import annotations

from rich.console import Console


def out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)
