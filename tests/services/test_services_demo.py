"""`unseen demo`: simulated lists into an encrypted workspace, every record accounted for."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unseen.cli import build_app
from unseen.crypto import KdfParams
from unseen.errors import WorkspaceExists
from unseen.services.demo import DEMO_PASSPHRASE, DEMO_USER, run_demo
from unseen.store import Workspace


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_demo_imports_every_simulated_record(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo", kdf=KdfParams.fast_for_tests())
    lists = [p for p in result.lists_dir.glob("*.csv") if p.name != "truth.csv"]
    assert len(result.imports) == len(lists) >= 4
    assert result.people == sum(_rows(p) for p in lists) == _rows(result.lists_dir / "truth.csv")
    assert result.simulated_people > result.people  # most of the population is never documented
    assert result.audit.ok
    with Workspace.open(result.workspace, user=DEMO_USER, passphrase=DEMO_PASSPHRASE) as ws:
        assert ws.count("person") == result.people
        assert ws.count("source") == len(lists)


def test_demo_replaces_only_its_own_folder(tmp_path: Path) -> None:
    run_demo(tmp_path / "demo", kdf=KdfParams.fast_for_tests())
    again = run_demo(tmp_path / "demo", kdf=KdfParams.fast_for_tests())  # an old demo: replaced
    assert again.audit.ok
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("not a demo", encoding="utf-8")
    with pytest.raises(WorkspaceExists):
        run_demo(precious, kdf=KdfParams.fast_for_tests())
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "not a demo"


def test_demo_command_prints_the_headline(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["demo", "--dir", str(tmp_path / "d"), "--preset", "small"]
    )
    assert result.exit_code == 0, result.output
    assert "simulated population" in result.output and "audit trail: ok" in result.output
