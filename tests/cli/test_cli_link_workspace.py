"""`unseen link --workspace`: usage, roles, outputs without names, and the review loop feeding the
next link, through the whole command line (real encrypted workspace, simulator `small` preset)."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from svckit import CANARY_HANGUL, CANARY_LATIN  # noqa: E402

from unseen.cli import build_app  # noqa: E402
from unseen.crypto import KdfParams  # noqa: E402
from unseen.services.ingest import import_person_list  # noqa: E402
from unseen.services.linking import read_decisions  # noqa: E402
from unseen.simulate import SimulationSettings, simulate, write_simulation  # noqa: E402
from unseen.store import Role, Workspace  # noqa: E402

PW = "link admin passphrase words"
ANALYST_PW = "link analyst passphrase words"


def run(*args: str, user: str = "admin", pw: str = PW, stdin: str | None = None):  # type: ignore[no-untyped-def]
    env = {"UNSEEN_PASSPHRASE": pw, "UNSEEN_USER": user}
    return CliRunner().invoke(build_app(), list(args), env=env, input=stdin)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("linkws")
    files = write_simulation(simulate(SimulationSettings.preset("small", 11)), root / "lists")
    path = root / "ws"
    with Workspace.create(path, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()) as ws:
        ws.add_user("analyst-1", ANALYST_PW, Role.ANALYST)
        for n, f in enumerate(files.lists.values()):
            rows = _rows(f)
            for i in range(n, len(rows), 7):  # canary names in some records of every list
                rows[i]["full_name"] = f"{CANARY_LATIN} Sun-hui"
                rows[i]["name_hangul"] = CANARY_HANGUL
                rows[i]["notes"] = CANARY_LATIN
            with f.open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            import_person_list(ws, f)
    shutil.rmtree(root / "lists")
    return path


@pytest.fixture
def ws(imported: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ws"
    shutil.copytree(imported, copy)
    return copy


def test_files_or_workspace_exactly_one(ws: Path, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("record_id,list,full_name\n1,a,Kim\n", encoding="utf-8")
    out = str(tmp_path / "out")
    for args in (
        ("link", "--out", out),
        ("link", str(table), "--workspace", str(ws), "--out", out),
        ("link", str(table), "--out", out, "--review"),
        ("link", "--workspace", str(ws), "--out", out, "--list", "x"),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
    assert not (tmp_path / "out").exists()


def test_an_analyst_is_told_which_role_links_on_names(ws: Path, tmp_path: Path) -> None:
    refused = run(
        "link", "--workspace", str(ws), "--out", str(tmp_path / "out"),
        user="analyst-1", pw=ANALYST_PW,
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "reviewer, documenter or admin" in refused.output
    assert "검토자" in refused.output and "Traceback" not in refused.output
    assert not (tmp_path / "out").exists()


def _scan(paths: list[Path], *texts: str) -> list[str]:
    needles = [CANARY_LATIN, CANARY_LATIN.lower(), CANARY_HANGUL]
    found = [f"{p.name}: {n}" for p in paths for n in needles if n.encode() in p.read_bytes()]
    return found + [f"stdout: {n}" for t in texts for n in needles if n in t]


def test_link_review_and_link_again(ws: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    linked = run(
        "link", "--workspace", str(ws), "--out", str(first), "--review", "--band", "0.5", "0.95",
        "--threads", "1",
    )  # fmt: skip
    assert linked.exit_code == 0, linked.output
    assert (
        "queued for review / 검토 대기" in linked.output
        and "audited as linkage run" in linked.output
    )
    files = sorted(p for p in first.iterdir())
    assert [p.name for p in files] == [
        "capture_histories.csv", "clusters.csv", "model.json", "pairs.csv",
    ]  # fmt: skip
    assert _scan(files, linked.output) == []
    pairs = [r for r in _rows(first / "pairs.csv") if 0.5 <= float(r["match_probability"]) < 0.95]
    assert len(pairs) >= 4
    assert f"{len(pairs)}" in linked.output.split("queued for review / 검토 대기")[1].split("\n")[0]
    # A reviewer decides three pairs (one skipped), then quits; decisions are exported.
    reviewed = run("review", str(ws), stdin="n\ny\ns\nu\nq\n")
    assert reviewed.exit_code == 0, reviewed.output
    assert reviewed.output.count("different people / 다른 사람") == 1
    assert reviewed.output.count("skipped / 건너뜀") == 1
    exported = tmp_path / "decisions.csv"
    assert run("review", str(ws), "--export", str(exported)).exit_code == 0
    decided = read_decisions(exported)
    assert sorted(d.decision for d in decided) == ["match", "non-match"]
    # The next link of the workspace obeys them without being told.
    second = tmp_path / "second"
    relinked = run("link", "--workspace", str(ws), "--out", str(second), "--threads", "1")
    assert relinked.exit_code == 0, relinked.output
    assert "1 match, 1 non-match" in relinked.output
    cluster = {(r["list"], r["record_id"]): r["cluster_id"] for r in _rows(second / "clusters.csv")}
    for d in decided:
        same = cluster[(d.list_l, d.record_id_l)] == cluster[(d.list_r, d.record_id_r)]
        assert same == (d.decision == "match"), d
    marks = {r["decision"] for r in _rows(second / "pairs.csv")}
    assert {"review:match", "review:non-match"} <= marks
    assert _scan(sorted(second.iterdir()), relinked.output) == []
    assert run("audit", "verify", str(ws)).exit_code == 0
