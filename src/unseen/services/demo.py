"""``unseen demo``: the main job end to end on simulated people.

Simulate documentation lists, make an encrypted workspace, import them all, link the people
across the lists, estimate how many were never documented (with the simulated truth beside it),
and write the report. Everything the demo writes is synthetic (the simulator's people do not
exist) and lives under one folder marked as a demo, which a later demo may replace; any other
folder is never touched.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np

from unseen.crypto import KdfParams
from unseen.errors import WorkspaceExists
from unseen.estimation import CaptureHistories, Estimate, read_capture_histories
from unseen.linkage import Evaluation, default_spec
from unseen.reports.html import write_html
from unseen.reports.pdf import write_pdf
from unseen.services.estimating import EstimateSettings, EstimationRun, estimate_histories
from unseen.services.ingest import ImportSummary, import_person_list
from unseen.services.linking import write_run
from unseen.services.reporting import build_report_data, clusters_of
from unseen.services.workspace_linking import link_workspace
from unseen.simulate import Simulation, SimulationSettings, simulate, write_simulation
from unseen.store import AuditReport, Workspace

DEMO_USER = "demo-admin"
# A demo passphrase is public by nature: the demo holds simulated people only.
DEMO_PASSPHRASE = "demo only simulated people"  # noqa: S105
_MARKER = ".unseen-demo"

StageProgress = Callable[[str, int, int], None]  # (stage, done, total)
LINK_STAGES = ("reading", "features", "blocking", "training", "scoring", "clustering")


@dataclass(frozen=True)
class DemoEstimate:
    """The demo's headline: documented people (linked clusters), the estimate of everyone, the
    simulated truth, and, because only a simulation knows who is who, the estimate had the
    linkage made no mistake (what linkage errors cost the estimate)."""

    documented: int
    estimate: Estimate
    truth: int
    perfect_linkage: Estimate
    evaluation: Evaluation | None

    @property
    def covers_truth(self) -> bool | None:
        e = self.estimate
        if e.lower is None or e.upper is None:
            return None
        return e.lower <= self.truth <= e.upper


@dataclass(frozen=True)
class DemoResult:
    root: Path
    workspace: Path
    lists_dir: Path
    simulated_people: int
    imports: tuple[ImportSummary, ...]
    audit: AuditReport
    linkage_dir: Path | None = None
    headline: DemoEstimate | None = None
    estimates_json: Path | None = None
    reports: tuple[Path, ...] = ()
    seconds: tuple[tuple[str, float], ...] = ()  # wall time per stage

    @property
    def records(self) -> int:
        return sum(s.records for s in self.imports)

    @property
    def people(self) -> int:
        return sum(s.people for s in self.imports)


def run_demo(
    root: Path,
    *,
    preset: str = "small",
    seed: int = 2026,
    kdf: KdfParams | None = None,
    progress: StageProgress | None = None,
    count: bool = True,
    nboot: int = 1000,
    today: dt.date | None = None,
) -> DemoResult:
    """Simulate ``preset`` with ``seed`` under ``root`` and import every list into a workspace;
    with ``count``, also link, estimate (``nboot`` bootstrap replicates) and write the report
    (dated ``today``, by default the local date)."""
    today = today or dt.date.today()
    clock = _Clock()
    _prepare(root)
    report = progress or (lambda stage, done, total: None)
    sim = simulate(
        SimulationSettings.preset(preset, seed), progress=lambda _, d, t: report("simulate", d, t)
    )
    lists_dir = root / "lists"
    written = write_simulation(sim, lists_dir, progress=lambda _, d, t: report("write lists", d, t))
    clock.lap("simulate")
    files = list(written.lists.values())
    ws_path = root / "workspace"
    imports = []
    with Workspace.create(ws_path, user=DEMO_USER, passphrase=DEMO_PASSPHRASE, kdf=kdf) as ws:
        for path in files:
            stage = f"import {path.stem}"
            imports.append(import_person_list(ws, path, progress=partial(report, stage)))
        clock.lap("import")
        report("verify", 0, 1)
        audit = ws.verify()
        report("verify", 1, 1)
        if not count:
            return DemoResult(root, ws_path, lists_dir, sim.true_size, tuple(imports), audit)
        linkage_dir, headline, run, clusters = _link_and_estimate(
            ws, sim, root, seed, nboot, report, clock
        )
        estimates_json = run.write_json(root / "estimates.json")
        reports = _reports(ws, root, run, clusters, sim.true_size, today, report)
        clock.lap("report")
    return DemoResult(
        root, ws_path, lists_dir, sim.true_size, tuple(imports), audit,
        linkage_dir=linkage_dir, headline=headline, estimates_json=estimates_json,
        reports=reports, seconds=clock.laps,
    )  # fmt: skip


def _reports(
    ws: Workspace,
    root: Path,
    run: EstimationRun,
    clusters: Mapping[str, str],
    truth: int,
    today: dt.date,
    report: StageProgress,
) -> tuple[Path, ...]:
    """The internal report in English and Korean, as HTML and PDF (the estimate made once)."""
    written: list[Path] = []
    langs: tuple[tuple[Literal["en", "ko"], str], ...] = (("en", ""), ("ko", ".ko"))
    for lang, suffix in langs:
        stage = partial(report, f"report {lang}")
        data = build_report_data(
            ws, scope="internal", lang=lang, today=today, truth=truth, estimate=run,
            clusters=clusters, progress=_prefixed(report, f"report {lang}"),
        )  # fmt: skip
        written.append(write_html(data, root / f"report{suffix}.html", progress=stage))
        written.append(write_pdf(data, root / f"report{suffix}.pdf", progress=stage))
    return tuple(written)


def _link_and_estimate(
    ws: Workspace,
    sim: Simulation,
    root: Path,
    seed: int,
    nboot: int,
    report: StageProgress,
    clock: _Clock,
) -> tuple[Path, DemoEstimate, EstimationRun, dict[str, str]]:
    def linking(stage: str) -> None:
        done = LINK_STAGES.index(stage) if stage in LINK_STAGES else 0
        report("link", done, len(LINK_STAGES))

    linked = link_workspace(
        ws, default_spec(), truth=root / "lists" / "truth.csv", progress=linking
    )
    report("link", len(LINK_STAGES), len(LINK_STAGES))
    linkage_dir = root / "linkage"
    write_run(linked.result, linked.evaluation, linkage_dir)
    clock.lap("link")
    settings = EstimateSettings(method="auto", seed=seed, nboot=nboot)
    run = estimate_histories(
        read_capture_histories(linkage_dir / "capture_histories.csv"), settings,
        source="demo linkage", progress=lambda what, d, t: report("estimate", d, t),
    )  # fmt: skip
    perfect = estimate_histories(
        (true_histories(sim),), settings, source="demo truth",
        progress=lambda what, d, t: report("estimate (perfect linkage)", d, t),
    )  # fmt: skip
    clock.lap("estimate")
    headline = DemoEstimate(
        documented=linked.result.n_clusters,
        estimate=run.headline,
        truth=sim.true_size,
        perfect_linkage=perfect.headline,
        evaluation=linked.evaluation,
    )
    return linkage_dir, headline, run, clusters_of(linked)


def true_histories(sim: Simulation) -> CaptureHistories:
    """The capture histories a flawless linkage would give: who is on which list, from the
    simulator's truth (only a simulation has it)."""
    lists = sorted(sim.records)
    seen: dict[str, set[int]] = {}
    for i, name in enumerate(lists):
        for _, _, person in sim.truth_rows(name):
            seen.setdefault(person, set()).add(i)
    patterns = np.zeros((len(seen), len(lists)), dtype=np.int64)
    for row, on in enumerate(seen.values()):
        patterns[row, sorted(on)] = 1
    return CaptureHistories.from_counts(lists, patterns, [1] * len(seen))


def _prefixed(report: StageProgress, prefix: str) -> StageProgress:
    return lambda what, done, total: report(f"{prefix}: {what}", done, total)


class _Clock:
    def __init__(self) -> None:
        self._start = time.perf_counter()
        self.laps: tuple[tuple[str, float], ...] = ()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps = (*self.laps, (stage, now - self._start))
        self._start = now


def _prepare(root: Path) -> None:
    if root.exists():
        if not (root / _MARKER).is_file():
            if root.is_dir() and not any(root.iterdir()):
                root.rmdir()
            else:
                raise WorkspaceExists(
                    f"{root} exists and is not a demo folder: choose another with --dir "
                    "/ 데모 폴더가 아닙니다"
                )
        else:
            shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / _MARKER).write_text("made by `unseen demo`; simulated data only\n", encoding="utf-8")
