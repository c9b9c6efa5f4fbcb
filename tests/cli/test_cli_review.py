"""`unseen review`: queue from pairs.csv, the y/n/q loop, export (real workspace)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from svckit import person_rows, write_csv  # noqa: E402

from unseen.cli.review import register  # noqa: E402
from unseen.crypto import KdfParams  # noqa: E402
from unseen.services.ingest import import_person_list  # noqa: E402
from unseen.services.linking import read_decisions  # noqa: E402
from unseen.store import Workspace  # noqa: E402

PW = "review admin passphrase words"
LIST = "NGO interviews"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("noop", hidden=True)
    def noop() -> None:  # a second command keeps `review` a named subcommand
        """Nothing."""

    return app


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    env = {"UNSEEN_PASSPHRASE": PW, "UNSEEN_USER": "admin"}
    return CliRunner().invoke(_app(), ["review", *args], env=env, input=stdin)


def test_review_loop_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    with Workspace.create(path, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()) as ws:
        import_person_list(ws, write_csv(tmp_path / "l.csv", person_rows(4, list_name=LIST)))
    pairs = tmp_path / "pairs.csv"
    with pairs.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["record_id_l", "list_l", "record_id_r", "list_r", "match_probability", "decision"]
        )
        for left, right, p in [("R000000", "R000001", 0.7), ("R000002", "R000003", 0.55),
                               ("R000001", "R000002", 0.6)]:  # fmt: skip
            w.writerow([left, LIST, right, LIST, p, ""])
    queued = run(str(path), "--pairs", str(pairs), "--band", "0.5", "0.95")
    assert queued.exit_code == 0, queued.output
    assert "3 pairs queued" in queued.output
    looped = run(str(path), stdin="y\nn\nq\n")
    assert looped.exit_code == 0, looped.output
    assert "p = 0.55" in looped.output and "p = 0.60" in looped.output
    assert "p = 0.70" in looped.output  # shown, then quit without a decision
    out = tmp_path / "decisions.csv"
    exported = run(str(path), "--export", str(out))
    assert exported.exit_code == 0 and "2 decisions" in exported.output
    got = {(d.record_id_l, d.record_id_r, d.decision) for d in read_decisions(out)}
    assert got == {("R000002", "R000003", "match"), ("R000001", "R000002", "non-match")}
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        assert ws.verify().ok
