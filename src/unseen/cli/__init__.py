"""The ``unseen`` command: a thin shell over :mod:`unseen.services` and the pure libraries.

Each command group lives in its own module with a ``register(app)`` function. Exit codes:
0 success, 1 an :class:`~unseen.errors.UnseenError` (message on stderr), 2 a usage error.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from unseen.errors import UnseenError, ValidationFailed

# Command-group modules, each with ``register(app: typer.Typer) -> None``.
_GROUPS: tuple[str, ...] = (
    "workspace", "users", "records", "transfer", "evidence", "names", "simulate", "link", "demo",
    "review", "pprl", "estimate", "serve", "report",
)


class _Group(TyperGroup):
    """Turns every UnseenError into its message on stderr and exit code 1, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except UnseenError as exc:
            _report(exc)
            sys.exit(1)


def _report(exc: UnseenError) -> None:
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    if isinstance(exc, ValidationFailed):
        console.print(f"[bold red]error:[/] {len(exc.problems)} problem(s); nothing was imported.")
        console.print("오류: 문제가 있어 아무것도 가져오지 않았습니다.")
        for problem in exc.problems[:200]:
            console.print(f"  - {problem}")
        if len(exc.problems) > 200:
            console.print(f"  ... and {len(exc.problems) - 200} more")
        return
    console.print(f"[bold red]error:[/] {exc}")


def build_app() -> typer.Typer:
    app = typer.Typer(
        cls=_Group,
        name="unseen",
        help="Record, link and count abuses that no official record shows. "
        "Every command works offline; the workspace is always the first argument. "
        "Passphrases: asked for, or from --passphrase-file or $UNSEEN_PASSPHRASE.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    for name in _GROUPS:
        importlib.import_module(f"unseen.cli.{name}").register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    build_app()(args=argv, prog_name="unseen")
