"""docs/reports.md covers every option of `unseen report`, every mark a cell can print, and its
screenshots and bench command exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from unseen.cli import build_app
from unseen.reports.model import Cell
from unseen.reports.wording import cell_text

DOCS = Path(__file__).resolve().parents[2] / "docs"
TEXT = (DOCS / "reports.md").read_text(encoding="utf-8")


def test_every_option_of_the_command_is_documented() -> None:
    command = typer.main.get_command(build_app()).commands["report"]  # type: ignore[attr-defined]
    names = {o for p in command.params if p.param_type_name == "option" for o in p.opts}
    names -= {"--help", "-o", "-u", "--user", "--passphrase-file"}  # shared with every command
    assert names >= {
        "--out",
        "--lang",
        "--scope",
        "--partner",
        "--threshold",
        "--round",
        "--epsilon",
    }
    for name in sorted(names):
        assert f"`{name}" in TEXT, name


def test_every_mark_a_cell_prints_is_explained() -> None:
    for cell in (Cell(None, "primary"), Cell(None, "secondary"), Cell(120, "rounded"), Cell(0)):
        assert f"| `{cell_text(cell, 5)}` |" in TEXT


def test_screenshots_and_bench_exist() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", TEXT)
    assert {"report-page.png", "report-chart.png"} <= set(images)
    for name in images:
        assert (DOCS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    assert (DOCS.parent / "bench" / "report_render.py").is_file()
    assert "## 요약 (한국어)" in TEXT
