"""``unseen simulate``: writes the files and prints the summary table."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from unseen.cli.simulate import register


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def main() -> None:
        """unseen"""

    return app


def test_simulate_command_writes_lists_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    result = CliRunner().invoke(
        _app(), ["simulate", str(out), "--preset", "small", "--seed", "4", "--lists", "3"]
    )
    assert result.exit_code == 0, result.output
    names = {"interviews.csv", "shelter.csv", "media.csv", "truth.csv", "truth.json"}
    assert {p.name for p in out.iterdir()} == names
    manifest = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 4
    assert "true population / 실제 인구" in result.output
    assert f"{manifest['population']['total']:,}" in result.output
    for name in ("interviews", "shelter", "media"):
        assert name in result.output


def test_unknown_preset_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_app(), ["simulate", str(tmp_path), "--preset", "huge"])
    assert result.exit_code == 2
    assert not list(tmp_path.iterdir())
