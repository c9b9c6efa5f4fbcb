"""The ``unseen`` command: a thin shell over :mod:`unseen.services` and the pure libraries.

Each command group lives in its own module with a ``register(app)`` function. Exit codes:
0 success, 1 an :class:`~unseen.errors.UnseenError` (message on stderr), 2 a usage error.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from unseen.errors import UnseenError

# Command-group modules, each with ``register(app: typer.Typer) -> None``.
_GROUPS: tuple[str, ...] = ("workspace", "users")


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="unseen",
        help="Record, link and count abuses that no official record shows. "
        "Every command works offline; the workspace is always the first argument.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for name in _GROUPS:
        importlib.import_module(f"unseen.cli.{name}").register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    app = build_app()
    try:
        app(args=argv, prog_name="unseen", standalone_mode=True)
    except UnseenError as exc:
        Console(stderr=True).print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(1)
