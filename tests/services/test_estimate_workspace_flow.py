"""`link` then `estimate` from the workspace: the run keeps its capture histories (counts only),
and estimating from them gives what estimating from the capture_histories.csv it wrote gives
(real encrypted workspace, simulator `small` preset, imported with the ingest service)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from svckit import ADMIN, ADMIN_PW
from typer.testing import CliRunner

from unseen.cli import build_app
from unseen.crypto import KdfParams
from unseen.errors import ConfigError, InputError
from unseen.linkage import EngineOptions, default_spec
from unseen.services.estimating import EstimateSettings, estimate_file, estimate_workspace
from unseen.services.ingest import import_person_list
from unseen.services.linking import write_run
from unseen.services.workspace_linking import RUN_KIND, link_workspace
from unseen.simulate import SimulationSettings, simulate, write_simulation
from unseen.store import Workspace

ONE = EngineOptions(threads=1)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("estws")
    files = write_simulation(simulate(SimulationSettings.preset("small", 5)), root / "lists")
    path = root / "ws"
    with Workspace.create(
        path, user=ADMIN, passphrase=ADMIN_PW, kdf=KdfParams.fast_for_tests()
    ) as ws:
        for f in files.lists.values():
            import_person_list(ws, f)
    return path


@pytest.fixture
def ws(imported: Path, tmp_path: Path) -> Iterator[Workspace]:
    copy = tmp_path / "ws"
    shutil.copytree(imported, copy)
    with Workspace.open(copy, user=ADMIN, passphrase=ADMIN_PW) as workspace:
        yield workspace


def _same(a: object, b: object) -> None:
    ea, eb = a.headline, b.headline  # type: ignore[attr-defined]
    assert (ea.status, ea.observed, ea.estimate, ea.lower, ea.upper) == (
        eb.status,
        eb.observed,
        eb.estimate,
        eb.lower,
        eb.upper,
    )


def test_estimating_the_workspace_equals_estimating_the_file(ws: Workspace, tmp_path: Path) -> None:
    strata = ["sex", "event_date:decade"]
    linked = link_workspace(ws, default_spec(), options=ONE, strata=strata)
    write_run(linked.result, None, tmp_path / "out", strata=strata)
    csv_path = tmp_path / "out" / "capture_histories.csv"
    for settings in (
        EstimateSettings(method="mt"),  # everyone together: both strata summed over
        EstimateSettings(method="mt", strata=("sex",)),
        EstimateSettings(method="stepwise", strata=("event_date:decade",), nboot=30, seed=3),
    ):
        from_file = estimate_file(csv_path, settings)
        from_ws = estimate_workspace(ws, settings)
        _same(from_file, from_ws)
        assert [e.stratum for e in from_ws.result.strata] == [
            e.stratum for e in from_file.result.strata
        ]
        for a, b in zip(from_file.result.strata, from_ws.result.strata, strict=True):
            assert (a.observed, a.estimate, a.upper) == (b.observed, b.estimate, b.upper)
    # everyone linked is counted once: the observed total is the number of clusters
    assert from_ws.headline.observed == linked.result.clusters["cluster_id"].nunique()
    assert from_ws.stratified and len(from_ws.tables) >= 2


def test_the_run_keeps_counts_only(ws: Workspace, tmp_path: Path) -> None:
    linked = link_workspace(ws, default_spec(), options=ONE, strata=["sex"])
    (run,) = [r for r in ws.iter_current(RUN_KIND) if r.record_id == linked.run_id]
    ch = run.attributes["capture_histories"]
    assert ch["lists"] == list(linked.result.lists) and ch["strata"] == ["sex"]
    t = len(ch["lists"])
    for row in ch["rows"]:
        assert all(v in (0, 1) for v in row[:t]) and isinstance(row[-1], int) and row[-1] > 0
        assert row[t] in ("F", "M", "unknown")
    assert sum(r[-1] for r in ch["rows"]) == linked.result.clusters["cluster_id"].nunique()
    text = json.dumps(dict(run.attributes), ensure_ascii=False)
    # no record id and no name of anyone linked
    ids = set(linked.result.clusters["record_id"].astype(str))
    names = {
        str(v)
        for col in ("family_name", "given_name", "full_name", "name_hangul")
        if col in linked.result.records
        for v in linked.result.records[col].dropna()
        if len(str(v)) > 2
    }
    assert ids and names
    assert not [x for x in ids | names if f'"{x}"' in text]


def test_a_stratum_holding_identities_is_kept_out_and_estimate_says_why(
    ws: Workspace,
) -> None:
    link_workspace(ws, default_spec(), options=ONE, strata=["birth_date"])
    (run,) = list(ws.iter_current(RUN_KIND))
    assert "capture_histories" not in run.attributes
    assert run.attributes["capture_histories_withheld"] == ["birth_date"]
    with pytest.raises(InputError, match=r"stratified by birth_date, which holds identities"):
        estimate_workspace(ws, EstimateSettings(method="mt"))


def test_the_command_line_estimates_after_linking(imported: Path, tmp_path: Path) -> None:
    path = tmp_path / "ws"
    shutil.copytree(imported, path)
    env = {"UNSEEN_PASSPHRASE": ADMIN_PW, "UNSEEN_USER": ADMIN}
    app = build_app()
    out = tmp_path / "linked"
    linked = CliRunner().invoke(
        app,
        ["link", "--workspace", str(path), "--out", str(out), "--strata", "sex", "--threads", "1"],
        env=env,
    )
    assert linked.exit_code == 0, linked.output
    results = []
    for source in (["--workspace", str(path)], [str(out / "capture_histories.csv")]):
        json_out = tmp_path / f"est{len(results)}.json"
        r = CliRunner().invoke(
            app,
            [
                "estimate",
                *source,
                "-m",
                "mt",
                "--strata",
                "sex",
                "--merge-sparse",
                "--seed",
                "7",
                "--json",
                str(json_out),
            ],
            env=env,
        )
        assert r.exit_code == 0, r.output
        results.append(json.loads(json_out.read_text(encoding="utf-8")))
    assert results[0] == results[1]
    assert results[0]["total"]["observed"] > 0


def test_lcmcr_reports_its_scans_per_stratum(ws: Workspace) -> None:
    # as a workspace report calls it: estimate_workspace(ws, settings, progress=...)
    rows = [[1, 0, "north", 30], [0, 1, "north", 25], [1, 1, "north", 12]]
    rows += [[1, 0, "south", 20], [0, 1, "south", 28], [1, 1, "south", 9]]
    ws.put(
        RUN_KIND, {"capture_histories": {"lists": ["A", "B"], "strata": ["region"], "rows": rows}}
    )
    seen: list[tuple[str, int, int]] = []
    lcmcr = {"burnin": 2500, "samples": 50, "thinning": 2, "chains": 2}
    settings = EstimateSettings(method="lcmcr", strata=("region",), seed=4, lcmcr=lcmcr)
    run = estimate_workspace(ws, settings, progress=lambda w, d, t: seen.append((w, d, t)))
    total = 2 * (500 + 2500 + 100)
    for region in ("north", "south"):
        marks = [(d, t) for w, d, t in seen if w == f"MCMC (LCMCR) ({region})"]
        assert len(marks) > 1 and marks[-1] == (total, total)
        assert [d for d, _ in marks] == sorted(d for d, _ in marks)
    assert seen[-1] == ("strata", 2, 2)
    assert run.headline.ok and run.headline.observed == 124


def test_a_failed_write_leaves_the_previous_runs_outputs(ws: Workspace, tmp_path: Path) -> None:
    linked = link_workspace(ws, default_spec(), options=ONE, strata=["sex"])
    out = tmp_path / "out"
    write_run(linked.result, None, out, strata=["sex"])
    (out / "evaluation.json").write_text("{}", encoding="utf-8")  # an earlier run's
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.name != "evaluation.json"}
    # Another run's stratum fails after its clusters.csv and pairs.csv are written: nothing
    # may change.
    other = dataclasses.replace(linked.result, pairs=linked.result.pairs.head(3))
    with pytest.raises(ConfigError, match="the input has no column 'no_such_column'"):
        write_run(other, None, out, strata=["no_such_column"])
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != "evaluation.json"} == before
    assert (out / "evaluation.json").exists()  # untouched too
    # A run that succeeds replaces the set, and takes away the evaluation of other clusters.
    written = write_run(linked.result, None, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "capture_histories.csv", "clusters.csv", "model.json", "pairs.csv",
    ]  # fmt: skip
    assert [Path(f).name for f in written][:2] == ["clusters.csv", "pairs.csv"]
