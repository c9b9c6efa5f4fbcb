"""services.estimating: from a capture-histories file or a workspace's linkage run to
estimates.json, with strata, progress and the reasons when it cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unseen.errors import ConfigError, InputError, ValidationFailed
from unseen.estimation import estimate_loglinear, read_capture_histories
from unseen.services.estimating import (
    RUN_KIND,
    EstimateSettings,
    estimate_file,
    estimate_workspace,
)
from unseen.store import Workspace

MSE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mse"
SCOTLAND = MSE / "scotland_pwid2006_stratified.csv"
S6 = {"method", "observed", "estimate", "lower", "upper", "level", "lists", "diagnostics", "seed"}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_estimated_overall_writes_estimates_json(tmp_path: Path) -> None:
    run = estimate_file(MSE / "kosovo1999.csv", EstimateSettings(method="mt"))
    assert not run.stratified and run.headline.ok
    assert run.headline.estimate == pytest.approx(
        estimate_loglinear(read_capture_histories(MSE / "kosovo1999.csv")[0]).estimate
    )
    report = run.headline.diagnostics["report"]
    assert report["capture_histories"]["observed"] == 4400
    assert report["n_curve"]["kind"] == "profile_likelihood"
    out = json.loads(run.write_json(tmp_path / "estimates.json").read_text(encoding="utf-8"))
    assert out["strata"] == {} and S6 <= set(out["total"])
    assert out["total"]["diagnostics"]["report"]["list_overlap"]["lists"] == [
        "EXH", "ABA", "OSCE", "HRW"
    ]  # fmt: skip


def test_strata_named_are_estimated_and_the_others_summed_over() -> None:
    run = estimate_file(SCOTLAND, EstimateSettings(method="mt", strata=("region",)))
    keys = [e.stratum for e in run.result.strata]
    assert keys == [(("region", "GGC"),), (("region", "Rest"),)]
    assert run.stratum_columns == ("region", "gender", "age")
    total = run.result.total
    assert total.estimate == pytest.approx(sum(e.estimate or 0 for e in run.result.strata))
    assert total.observed == 5670
    everyone = estimate_file(SCOTLAND, EstimateSettings(method="mt"))
    assert not everyone.stratified and everyone.headline.observed == 5670
    assert "everyone is estimated together (use --strata" in everyone.notes[0]


def test_a_stratum_coded_zero_one_is_a_stratum_only_when_named(tmp_path: Path) -> None:
    rows = ["A,B,C,urban,count"]
    for urban in (0, 1):
        for i in range(1, 8):
            bits = [(i >> j) & 1 for j in range(3)]
            rows.append(",".join(map(str, [*bits, urban, 10 + i + 5 * urban])))
    f = write(tmp_path / "h.csv", "\n".join(rows) + "\n")
    as_list = estimate_file(f, EstimateSettings(method="mt"))
    assert len(as_list.headline.lists) == 4
    by_urban = estimate_file(f, EstimateSettings(method="mt", strata=("urban",)))
    assert [e.stratum for e in by_urban.result.strata] == [(("urban", "0"),), (("urban", "1"),)]
    assert by_urban.headline.lists == ("A", "B", "C")


def test_unknown_columns_and_methods_are_named() -> None:
    with pytest.raises(ValidationFailed, match="column 'sex': no such stratum column"):
        estimate_file(SCOTLAND, EstimateSettings(strata=("sex",)))
    with pytest.raises(ConfigError, match="unknown method 'bic'"):
        EstimateSettings(method="bic")


def test_two_list_methods_on_more_lists_say_so() -> None:
    run = estimate_file(MSE / "kosovo1999.csv", EstimateSettings(method="chapman"))
    assert run.headline.status == "not_estimable"
    assert run.headline.message.startswith("chapman needs exactly two lists and this table has 4")


def test_auto_with_progress_and_a_seed_repeats(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    settings = EstimateSettings(method="auto", nboot=60, seed=5)
    a = estimate_file(
        MSE / "kosovo1999.csv", settings, progress=lambda w, d, t: seen.append((w, d, t))
    )
    assert a.headline.diagnostics["auto"]["chose"] == "stepwise"
    assert seen and seen[-1] == ("bootstrap", 60, 60)
    assert all(d <= t for _, d, t in seen)
    b = estimate_file(MSE / "kosovo1999.csv", settings)
    assert (a.headline.lower, a.headline.upper) == (b.headline.lower, b.headline.upper)
    assert a.settings.seed == 5


def test_a_drawn_seed_is_recorded_and_reproduces() -> None:
    settings = EstimateSettings(method="stepwise", nboot=40)
    a = estimate_file(MSE / "artificial3.csv", settings)
    assert isinstance(a.settings.seed, int)
    b = estimate_file(MSE / "artificial3.csv", a.settings)
    assert a.headline.upper == b.headline.upper


def test_workspace_without_a_linkage_run_says_what_to_run(ws: Workspace) -> None:
    with pytest.raises(InputError, match="has no linkage run yet: run `unseen link --workspace"):
        estimate_workspace(ws, EstimateSettings(method="mt"))


def test_workspace_run_without_histories_points_to_the_file(ws: Workspace) -> None:
    ws.put(RUN_KIND, {"records": 10, "lists": ["A", "B"], "clusters": 8})
    with pytest.raises(InputError, match="did not keep its capture histories"):
        estimate_workspace(ws, EstimateSettings(method="mt"))


def test_workspace_run_with_histories_is_estimated(ws: Workspace) -> None:
    rows = []
    for region in ("north", "south"):
        for i in range(1, 8):
            bits = [(i >> j) & 1 for j in range(3)]
            rows.append([*bits, region, 20 + 3 * i + (7 if region == "south" else 0)])
    ws.put(RUN_KIND, {"records": 10, "lists": ["A", "B"], "clusters": 8})  # an older run
    ws.put(
        RUN_KIND,
        {"capture_histories": {"lists": ["A", "B", "C"], "strata": ["region"], "rows": rows}},
    )
    run = estimate_workspace(ws, EstimateSettings(method="mt", strata=("region",)))
    assert run.source.startswith(f"workspace {ws.path.name}, linkage run ")
    assert [e.stratum for e in run.result.strata] == [
        (("region", "north"),),
        (("region", "south"),),
    ]
    assert run.headline.observed == sum(r[-1] for r in rows)
