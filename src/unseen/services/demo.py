"""``unseen demo``: simulate documentation lists, make an encrypted workspace, import them all.

Everything the demo writes is synthetic (the simulator's people do not exist) and lives under one
folder marked as a demo, which a later demo may replace; any other folder is never touched.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from unseen.crypto import KdfParams
from unseen.errors import WorkspaceExists
from unseen.services.ingest import ImportSummary, import_person_list
from unseen.simulate import SimulationSettings, simulate, write_simulation
from unseen.store import AuditReport, Workspace

DEMO_USER = "demo-admin"
# A demo passphrase is public by nature: the demo holds simulated people only.
DEMO_PASSPHRASE = "demo only simulated people"  # noqa: S105
_MARKER = ".unseen-demo"

StageProgress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class DemoResult:
    root: Path
    workspace: Path
    lists_dir: Path
    simulated_people: int
    imports: tuple[ImportSummary, ...]
    audit: AuditReport

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
) -> DemoResult:
    """Simulate ``preset`` with ``seed`` under ``root``, then import every list into a workspace."""
    _prepare(root)
    report = progress or (lambda stage, done, total: None)
    sim = simulate(
        SimulationSettings.preset(preset, seed), progress=lambda _, d, t: report("simulate", d, t)
    )
    lists_dir = root / "lists"
    written = write_simulation(sim, lists_dir, progress=lambda _, d, t: report("write lists", d, t))
    files = list(written.lists.values())
    ws_path = root / "workspace"
    imports = []
    with Workspace.create(ws_path, user=DEMO_USER, passphrase=DEMO_PASSPHRASE, kdf=kdf) as ws:
        for path in files:
            stage = f"import {path.stem}"
            imports.append(import_person_list(ws, path, progress=partial(report, stage)))
        report("verify", 0, 1)
        audit = ws.verify()
        report("verify", 1, 1)
    return DemoResult(root, ws_path, lists_dir, sim.true_size, tuple(imports), audit)


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
