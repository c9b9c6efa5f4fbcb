"""`unseen estimate`: the table (English and Korean), estimates.json, exit codes 0/1/2, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unseen.cli import build_app
from unseen.crypto import KdfParams
from unseen.store import Workspace

MSE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mse"
PW = "estimate admin passphrase words"


def run(*args: str):  # type: ignore[no-untyped-def]
    env = {"UNSEEN_PASSPHRASE": PW, "UNSEEN_USER": "admin", "COLUMNS": "160"}
    return CliRunner().invoke(build_app(), list(args), env=env)


def test_help_teaches_which_method_when() -> None:
    r = run("estimate", "--help")
    assert r.exit_code == 0
    for text in (
        "Which method when / 어떤 방법을 언제",
        "chapman       exactly two lists",
        "lcmcr",
        "Exit codes: 0 estimated",
        "unseen estimate linked/capture_histories.csv",
    ):
        assert text in r.output


def test_a_table_in_english_and_korean_and_estimates_json(tmp_path: Path) -> None:
    out = tmp_path / "estimates.json"
    r = run("estimate", str(MSE / "kosovo1999.csv"), "--method", "mt", "--json", str(out))
    assert r.exit_code == 0, r.output
    for head in ("estimate / 추정", "observed / 관측", "95% interval / 95% 구간", "ok / 추정함"):
        assert head in r.stdout
    assert "7,393" in r.stdout  # Rcapture's Mt: 7,392.9
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["strata"] == {}
    assert doc["total"]["estimate"] == pytest.approx(7392.9, rel=1e-4)
    assert doc["total"]["level"] == 0.95 and doc["total"]["lists"] == ["EXH", "ABA", "OSCE", "HRW"]


def test_strata_rows_and_the_total(tmp_path: Path) -> None:
    out = tmp_path / "e.json"
    r = run("estimate", str(MSE / "scotland_pwid2006_stratified.csv"), "--method", "mt",
            "--strata", "region", "--json", str(out))  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "stratum / 층" in r.stdout and "total / 합계" in r.stdout
    assert "GGC" in r.stdout and "Rest" in r.stdout and "MOVER" in r.stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc["strata"]) == {"GGC", "Rest"}
    assert doc["total"]["observed"] == 5670


def test_auto_says_why_and_prints_the_seed() -> None:
    r = run("estimate", str(MSE / "artificial3.csv"), "--bootstrap", "50", "--seed", "4")
    assert r.exit_code == 0, r.output
    assert "auto chose / 자동 선택: no sign of heterogeneous capture" in r.stdout
    assert "seed / 시드: 4" in r.stdout
    assert "too sparse to trust / 너무 희소해" in r.stdout


def test_not_estimable_exits_1_with_the_reason(tmp_path: Path) -> None:
    f = tmp_path / "apart.csv"
    f.write_text("A,B,C,count\n1,0,0,30\n0,1,0,20\n0,0,1,25\n", encoding="utf-8")
    r = run("estimate", str(f), "--method", "mt")
    assert r.exit_code == 1
    assert "not estimable / 추정 불가" in r.stdout
    assert "not estimable / 추정 불가:" in r.stderr and "does not exist" in r.stderr


def test_a_bad_file_names_row_and_column(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("A,B,count\n1,0,5\n1,x,3\n0,1,4\n1,1,2\n", encoding="utf-8")
    r = run("estimate", str(f))
    assert r.exit_code == 1
    assert "bad.csv, row 3, column 'B'" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["estimate"],  # neither a file nor --workspace
        ["estimate", str(MSE / "kosovo1999.csv"), "--method", "bic"],
        ["estimate", str(MSE / "no-such-file.csv")],
        ["estimate", str(MSE / "kosovo1999.csv"), "--bootstrap", "-1"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_a_workspace_without_a_linkage_run_says_what_to_run(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    Workspace.create(path, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()).close()
    r = run("estimate", "--workspace", str(path))
    assert r.exit_code == 1
    assert "has no linkage run yet: run `unseen link --workspace ws --out DIR`" in r.stderr


def test_the_command_is_in_the_cli_reference() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "`unseen estimate" in doc
