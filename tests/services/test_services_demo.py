"""`unseen demo`: simulated lists into an encrypted workspace, every record accounted for."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unseen.cli import build_app
from unseen.crypto import KdfParams
from unseen.errors import WorkspaceExists
from unseen.services.demo import DEMO_PASSPHRASE, DEMO_USER, run_demo
from unseen.services.estimating import EstimateSettings
from unseen.services.reporting import build_report_data
from unseen.store import Workspace


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def test_demo_imports_every_simulated_record(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo", kdf=KdfParams.fast_for_tests(), count=False)
    lists = [p for p in result.lists_dir.glob("*.csv") if p.name != "truth.csv"]
    assert len(result.imports) == len(lists) >= 4
    assert result.people == sum(_rows(p) for p in lists) == _rows(result.lists_dir / "truth.csv")
    assert result.simulated_people > result.people  # most of the population is never documented
    assert result.audit.ok
    with Workspace.open(result.workspace, user=DEMO_USER, passphrase=DEMO_PASSPHRASE) as ws:
        assert ws.count("person") == result.people
        assert ws.count("source") == len(lists)


def test_demo_replaces_only_its_own_folder(tmp_path: Path) -> None:
    run_demo(tmp_path / "demo", kdf=KdfParams.fast_for_tests(), count=False)
    again = run_demo(tmp_path / "demo", kdf=KdfParams.fast_for_tests(), count=False)  # replaced
    assert again.audit.ok
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("not a demo", encoding="utf-8")
    with pytest.raises(WorkspaceExists):
        run_demo(precious, kdf=KdfParams.fast_for_tests(), count=False)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "not a demo"


def test_demo_command_prints_the_headline(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["demo", "--dir", str(tmp_path / "d"), "--preset", "small"]
    )
    assert result.exit_code == 0, result.output
    assert "simulated population" in result.output and "audit trail: ok" in result.output


def test_demo_counts_end_to_end_beside_the_truth(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo", kdf=KdfParams.fast_for_tests(), nboot=50)
    h = result.headline
    assert h is not None and result.linkage_dir is not None and result.estimates_json is not None
    truth = json.loads((result.lists_dir / "truth.json").read_text(encoding="utf-8"))
    assert h.truth == result.simulated_people == truth["population"]["total"]
    with (result.lists_dir / "truth.csv").open(encoding="utf-8", newline="") as fh:
        people = {row["person_id"] for row in csv.DictReader(fh)}
    # The flawless linkage counts each documented person once; ours is judged against it.
    assert h.perfect_linkage.observed == len(people)
    assert h.estimate.observed == h.documented == _rows_distinct(result.linkage_dir)
    assert h.evaluation is not None and h.evaluation.records == result.people
    for e in (h.estimate, h.perfect_linkage):
        assert e.estimate is not None and e.lower is not None and e.upper is not None
        assert e.observed <= e.lower <= e.estimate <= e.upper
    written = json.loads(result.estimates_json.read_text(encoding="utf-8"))
    assert written["total"]["observed"] == h.documented
    stages = [stage for stage, _ in result.seconds]
    assert stages == ["simulate", "import", "link", "estimate", "report"]
    with Workspace.open(result.workspace, user=DEMO_USER, passphrase=DEMO_PASSPHRASE) as ws:
        run = list(ws.iter_current("linkage_run"))[-1].attributes
        # A report made later (no clusters handed over) counts each linked person once.
        later = build_report_data(
            ws, scope="internal", lang="en", today=dt.date(2026, 12, 2),
            estimate=EstimateSettings(method="mt"),
        )  # fmt: skip
    assert later.people_in_scope == h.documented
    assert run["quality"]["f1"] == round(h.evaluation.f1, 4)
    names = sorted(p.name for p in result.reports)
    assert names == ["report.html", "report.ko.html", "report.ko.pdf", "report.pdf"]
    assert all(p.stat().st_size > 10_000 for p in result.reports)
    ko = (result.root / "report.ko.html").read_text(encoding="utf-8")
    en = (result.root / "report.html").read_text(encoding="utf-8")
    assert '<html lang="ko"' in ko and '<html lang="en"' in en
    assert f"{h.truth:,}" in en  # the simulated truth is shown beside the estimate


def _rows_distinct(linkage_dir: Path) -> int:
    with (linkage_dir / "clusters.csv").open(encoding="utf-8", newline="") as fh:
        return len({row["cluster_id"] for row in csv.DictReader(fh)})
