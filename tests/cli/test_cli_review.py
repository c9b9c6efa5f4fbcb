"""`unseen review`: queue from pairs.csv, the y/n/q loop, export (real workspace)."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from svckit import person_rows, write_csv  # noqa: E402

from unseen.cli.review import read_key, register  # noqa: E402
from unseen.crypto import KdfParams  # noqa: E402
from unseen.errors import InputError, RecordNotFound  # noqa: E402
from unseen.linkage import PAIR_COLUMNS, Decision, Reason, format_reasons  # noqa: E402
from unseen.services.ingest import import_person_list  # noqa: E402
from unseen.services.linking import read_decisions  # noqa: E402
from unseen.services.review import decided_pairs, decisions, queue_from_pairs  # noqa: E402
from unseen.store import Role, Workspace  # noqa: E402

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


def _workspace(tmp_path: Path, people: int) -> Path:
    """A workspace of the admin's with ``people`` records of one list (svckit's)."""
    path = tmp_path / "ws"
    with Workspace.create(path, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()) as ws:
        import_person_list(ws, write_csv(tmp_path / "l.csv", person_rows(people, list_name=LIST)))
    return path


def test_review_loop_end_to_end(tmp_path: Path) -> None:
    path = _workspace(tmp_path, 4)
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
    assert "3 pairs with 0.5 <= p < 0.95 queued" in queued.output
    looped = run(str(path), stdin="y\nn\nq\n")
    assert looped.exit_code == 0, looped.output
    assert "p = 0.55" in looped.output and "p = 0.60" in looped.output
    assert "p = 0.70" in looped.output  # shown, then quit without a decision
    out = tmp_path / "decisions.csv"
    exported = run(str(path), "--export", str(out))
    assert exported.exit_code == 0 and "2 decisions" in exported.output
    got = {(d.record_id_l, d.record_id_r, d.decision) for d in read_decisions(out)}
    assert got == {("R000002", "R000003", "match"), ("R000001", "R000002", "non-match")}
    # A decision is changed by showing its pair again by code.
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        code = next(p for p, d in decided_pairs(ws) if d.decision == "match")[:8]
    again = run(str(path), "--pair", code, stdin="n\n")
    assert again.exit_code == 0, again.output
    assert "decided / 결정됨: same person" in again.output and "n: different people" in again.output
    short, unknown = run(str(path), "--pair", code[:3]), run(str(path), "--pair", "ffffffff")
    assert isinstance(short.exception, InputError) and "at least 6" in str(short.exception)
    assert isinstance(unknown.exception, RecordNotFound)
    assert "no review pair ffffffff" in str(unknown.exception)
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        assert sorted(d.decision for d in decisions(ws)) == ["non-match", "non-match"]
        assert ws.verify().ok


def test_what_decisions_settle_is_not_asked_and_a_contradiction_is_asked_again(
    tmp_path: Path,
) -> None:
    path = _workspace(tmp_path, 3)
    pairs = tmp_path / "pairs.csv"
    with pairs.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id_l", "list_l", "record_id_r", "list_r", "match_probability"])
        for left, right, p in [("R000000", "R000001", 0.5), ("R000001", "R000002", 0.55),
                               ("R000000", "R000002", 0.6)]:  # fmt: skip
            w.writerow([left, LIST, right, LIST, p])
    assert run(str(path), "--pairs", str(pairs), "--band", "0.3", "0.9").exit_code == 0
    looped = run(str(path), stdin="y\ny\n")
    assert looped.exit_code == 0, looped.output
    assert "p = 0.60" not in looped.output  # the third pair follows from the two
    assert "no open pairs left" in looped.output
    assert "3 to review, 0 decided / 검토할 쌍 3개, 결정 0개" in looped.output  # at the start
    flat = " ".join(looped.output.split())
    assert (
        "0 to review, 2 decided / 검토할 쌍 0개, 결정 2개; 1 more settled by the decisions" in flat
    )
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        third = next(
            r.record_id for r in ws.iter_current("review_pair")
            if r.attributes["status"] == "open"
        )  # fmt: skip
    again = run(str(path), "--pair", third[:8], stdin="n\nu\n")
    assert again.exit_code == 0, again.output
    assert "this decision contradicts pairs already decided" in again.output
    assert again.output.count("p = 0.60") == 2 and "u: unsure" in again.output
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        assert sorted(d.decision for d in decisions(ws)) == ["match", "match", "unsure"]


def test_the_reasons_of_a_pair_are_shown_in_both_languages(tmp_path: Path) -> None:
    path = _workspace(tmp_path, 4)
    why = format_reasons(
        [
            Reason("start", "any two records", -12.4),
            Reason("name", "same name", 11.8),
            Reason("name", "how common", -0.6),
            Reason("birth", "within 366 days", 1.9),
            Reason("height", "my own level", -0.3),  # a config's own: shown as it is
        ]
    )
    pairs = tmp_path / "pairs.csv"
    with pairs.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([*PAIR_COLUMNS, "reasons"])
        w.writerow(["R000000", LIST, "R000001", LIST, 0.6, "", why])
        w.writerow(["R000002", LIST, "R000003", LIST, 0.35, "", ""])  # an older run's: none
    # The run's clusters beside it: R000001 with two records the queue does not show.
    (tmp_path / "clusters.csv").write_text(
        "record_id,list,cluster_id,cluster_size,match_probability\n"
        f"R000000,{LIST},C1,1,\nR000001,{LIST},C2,3,0.8\nR000002,{LIST},C3,2,0.5\n"
        f"R000003,{LIST},C3,2,0.5\n",
        encoding="utf-8",
    )
    assert run(str(path), "--pairs", str(pairs), "--band", "0.3", "0.9").exit_code == 0
    shown = run(str(path), stdin="s\ns\nq\n")
    assert shown.exit_code == 0, shown.output
    first, second = shown.output.split("skipped", 1)
    assert "why the model says so / 모델의 근거" in first
    for text in ("start / 출발점", "any two records / 임의의 두 기록", "-12.4",
                 "name / 이름", "same name / 같은 이름", "+11.8",
                 "how common / 얼마나 흔한지", "-0.6", "birth date / 생년월일",
                 "within 366 days / 366일 이내", "height ", "my own level",
                 "total / 합계", "+0.4"):  # fmt: skip
        assert text in first, text
    assert "모델의 근거" not in second
    assert "height / height" not in first  # a config's own name, shown once
    flat = " ".join(shown.output.split())  # rich wraps long lines
    assert (
        "the last link counted two people (other records with the left: 0, with the right: 2)"
        in flat
    )
    assert "same person makes all 4 records one person" in flat
    assert "지난 연결은 이 둘을 한 사람으로 셌습니다 (다른 기록 0개와 함께)" in flat


def test_the_other_records_of_each_group_are_listed(tmp_path: Path) -> None:
    rows = person_rows(14, list_name=LIST)
    path = _workspace(tmp_path, 14)
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        f"{','.join(PAIR_COLUMNS)}\nR000000,{LIST},R000001,{LIST},0.6,\n", encoding="utf-8"
    )
    # The run put R000001 with the twelve records R000002..R000013, and R000000 alone.
    (tmp_path / "clusters.csv").write_text(
        "record_id,list,cluster_id,cluster_size,match_probability\n"
        f"R000000,{LIST},C1,1,\n" + "".join(f"R{i:06d},{LIST},C2,13,0.8\n" for i in range(1, 14)),
        encoding="utf-8",
    )
    assert run(str(path), "--pairs", str(pairs), "--band", "0.3", "0.9").exit_code == 0
    shown = run(str(path), stdin="q\n")
    assert shown.exit_code == 0, shown.output
    flat = " ".join(shown.output.split())
    assert "other records in these groups / 이 묶음의 다른 기록" in flat
    members = shown.output.split("이 묶음의 다른 기록")[1]
    # Ten are kept with the pair, by record id; the other two are counted.
    for i in range(2, 12):
        assert f"R{i:06d}" in members and rows[i]["name_hangul"] in members
    assert "R000012" not in members
    assert "right / 오른쪽: 2 more / 외 2개" in " ".join(members.split())
    assert "right / 오른쪽" in members and "left / 왼쪽" not in members


def test_pairs_are_queued_in_the_band_of_the_run_that_wrote_them(tmp_path: Path) -> None:
    path = _workspace(tmp_path, 5)
    run_dir = tmp_path / "linked"
    run_dir.mkdir()
    pairs = run_dir / "pairs.csv"
    with pairs.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["record_id_l", "list_l", "record_id_r", "list_r", "match_probability", "decision"]
        )
        rows = [("R000000", "R000001", 0.35), ("R000001", "R000002", 0.55),
                ("R000002", "R000003", 0.95), ("R000003", "R000004", 0.2)]  # fmt: skip
        for left, right, p in rows:
            w.writerow([left, LIST, right, LIST, p, ""])
    # No model.json beside it: the default model's band, 0.3 to 0.9.
    first = run(str(path), "--pairs", str(pairs))
    assert first.exit_code == 0, first.output
    assert "2 pairs with 0.3 <= p < 0.9 queued" in first.output
    model = run_dir / "model.json"
    model.write_text(json.dumps({"splink": {}, "stats": {"review_band": [0.5, 1.0]}}))
    second = run(str(path), "--pairs", str(pairs))
    assert second.exit_code == 0, second.output
    assert "1 pairs with 0.5 <= p < 1 queued" in second.output  # 0.55 is queued already
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        queued = sorted(r.attributes["match_probability"] for r in ws.iter_current("review_pair"))
    assert queued == [0.35, 0.55, 0.95]
    model.write_text(json.dumps({"splink": {}, "stats": ["not", "a", "mapping"]}))
    older = run(str(path), "--pairs", str(pairs))  # no band recorded: the default model's
    assert older.exit_code == 0 and "0 pairs with 0.3 <= p < 0.9 queued" in older.output
    model.write_text(json.dumps({"splink": {}, "stats": {"review_band": "wide"}}))
    bad = run(str(path), "--pairs", str(pairs))
    assert isinstance(bad.exception, InputError)
    assert str(bad.exception) == (
        "model.json: stats.review_band must be two numbers [low, high]; link again to write "
        "it, or give --band"
    )


def test_second_look_goes_to_another_reviewer(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    with Workspace.create(path, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()) as ws:
        import_person_list(ws, write_csv(tmp_path / "l.csv", person_rows(4, list_name=LIST)))
        ws.add_user("rev-2", "second reviewer words", Role.REVIEWER)
    pairs = tmp_path / "pairs.csv"
    with pairs.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["record_id_l", "list_l", "record_id_r", "list_r", "match_probability", "decision"]
        )
        w.writerow(["R000000", LIST, "R000001", LIST, 0.05, ""])
        w.writerow(["R000002", LIST, "R000003", LIST, 0.6, ""])
    assert run(str(path), "--pairs", str(pairs), "--band", "0.0", "1.0").exit_code == 0
    assert run(str(path), stdin="y\ny\n").exit_code == 0  # both: same person (0.05 and 0.6)
    reopened = run(str(path), "--second-look")
    assert reopened.exit_code == 0, reopened.output
    assert "1 pairs reopened for a second reviewer" in reopened.output
    mine = run(str(path), stdin="y\n")  # the first reviewer is not offered it
    assert "no open pairs left" in mine.output and "p = 0.05" not in mine.output
    env = {"UNSEEN_PASSPHRASE": "second reviewer words", "UNSEEN_USER": "rev-2"}
    theirs = CliRunner().invoke(_app(), ["review", str(path)], env=env, input="n\n")
    assert theirs.exit_code == 0, theirs.output
    assert "p = 0.05" in theirs.output and "second look / 재검토" in theirs.output
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        assert sorted(d.decision for d in decisions(ws)) == ["match", "unsure"]
        assert ws.verify().ok


# --- single keystrokes on a real pseudo-terminal ---------------------------------------------


def _is_raw(fd: int) -> bool:
    return not termios.tcgetattr(fd)[3] & termios.ICANON


def _key_from_pty(typed_early: bytes, typed: bytes) -> tuple[str, list[Any], list[Any]]:
    """read_key on the slave side of a pty while the test types on the master side."""
    master, slave = pty.openpty()
    try:
        with os.fdopen(os.dup(slave), "r", encoding="utf-8") as stream:
            before = termios.tcgetattr(slave)
            got: list[str] = []
            reader = threading.Thread(target=lambda: got.append(read_key(stream)), daemon=True)
            os.write(master, typed_early)  # before raw mode: must be thrown away
            reader.start()
            deadline = time.monotonic() + 10
            while not _is_raw(slave) and reader.is_alive() and time.monotonic() < deadline:
                time.sleep(0.005)
            # A key typed before raw mode (still in flight in the kernel) must not answer.
            assert not got, f"read_key answered {got} from a key typed before raw mode"
            assert _is_raw(slave), "read_key did not put the terminal in raw mode"
            os.write(master, typed)  # no Enter
            reader.join(timeout=10)
            assert not reader.is_alive(), "read_key waited for more than one key"
            return got[0], before, termios.tcgetattr(slave)
    finally:
        os.close(master)
        os.close(slave)


def test_one_keystroke_without_enter_and_the_terminal_restored() -> None:
    for typed, want in [(b"y", "y"), (b"N", "n"), ("ㅛ".encode(), "y"), ("ㅂ".encode(), "q"),
                        (b"\x03", "q"), (b"s", "s")]:  # fmt: skip
        key, before, after = _key_from_pty(b"n", typed)
        assert key == want, typed
        assert after == before  # echo and line mode back as they were


def test_the_terminal_is_restored_when_reading_fails() -> None:
    master, slave = pty.openpty()

    def interrupt(signum: int, frame: object) -> None:
        raise RuntimeError("interrupted while waiting for a key")

    old = signal.signal(signal.SIGALRM, interrupt)
    try:
        with os.fdopen(os.dup(slave), "r", encoding="utf-8") as stream:
            before = termios.tcgetattr(slave)
            signal.setitimer(signal.ITIMER_REAL, 0.2)
            with pytest.raises(RuntimeError, match="interrupted"):
                read_key(stream)
            assert termios.tcgetattr(slave) == before and not _is_raw(slave)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        os.close(master)
        os.close(slave)


def test_line_input_when_not_a_terminal() -> None:
    assert [read_key(io.StringIO(t)) for t in ("yes\n", "\n", "", " Q\n", "ㅜ\n")] == [
        "y", "", "q", "q", "n",
    ]  # fmt: skip


def _read_until(master: int, text: str, seen: bytearray, start: int = 0) -> int:
    """Read the child's output into ``seen`` until ``text`` appears after ``start``."""
    deadline = time.monotonic() + 60
    while (at := seen.find(text.encode(), start)) < 0:
        left = deadline - time.monotonic()
        assert left > 0, f"no {text!r} in the output: {seen.decode(errors='replace')[-500:]}"
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                chunk = b""
            assert chunk, f"output ended before {text!r}"
            seen += chunk
    return at + len(text)


def _type_when_raw(master: int, key: bytes) -> None:
    # Keys typed before read_key switches to raw mode are discarded by design; the master
    # side of a Linux pty reports the terminal's modes.
    deadline = time.monotonic() + 60
    while not _is_raw(master):
        assert time.monotonic() < deadline, "the review never waited for a key"
        time.sleep(0.005)
    os.write(master, key)


def test_review_on_a_terminal_decides_with_single_keys(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    with Workspace.create(path, user="admin", passphrase=PW, kdf=KdfParams.fast_for_tests()) as ws:
        import_person_list(ws, write_csv(tmp_path / "l.csv", person_rows(4, list_name=LIST)))
        rows = [("R000000", "R000001", 0.7), ("R000002", "R000003", 0.55)]
        pairs = tmp_path / "pairs.csv"
        with pairs.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["record_id_l", "list_l", "record_id_r", "list_r", "match_probability"])
            w.writerows([(a, LIST, b, LIST, p) for a, b, p in rows])
        assert queue_from_pairs(ws, pairs) == 2
    master, slave = pty.openpty()
    env = {**os.environ, "UNSEEN_PASSPHRASE": PW, "UNSEEN_USER": "admin", "COLUMNS": "120"}
    child = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "unseen", "review", str(path)],
        stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen = bytearray()
    try:
        at = _read_until(master, "> ", seen)
        assert b"p = 0.55" in seen
        _type_when_raw(master, b"y")  # one key, no Enter
        at = _read_until(master, "y: same person / ", seen, at)
        at = _read_until(master, "p = 0.70", seen, at)
        at = _read_until(master, "> ", seen, at)
        _type_when_raw(master, b"q")
        _read_until(master, "quit / ", seen, at)
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
    with Workspace.open(path, user="admin", passphrase=PW) as ws:
        assert decisions(ws) == (Decision("R000002", LIST, "R000003", LIST, "match"),)
        assert ws.verify().ok
