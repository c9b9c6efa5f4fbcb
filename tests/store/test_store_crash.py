"""Crashes and concurrency: kill -9 during writes leaves a workspace that opens and verifies;
two handles on one workspace keep one unbroken audit chain."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from storekit import ADMIN, ADMIN_PW, DOC, DOC_PW

from unseen.store import Workspace

_CHILD = """
import sys
from unseen.store import Workspace
ws = Workspace.open(sys.argv[1], user="admin-1", passphrase="admin passphrase one")
if sys.argv[2] == "bulk":
    with ws.transaction():
        for i in range(1_000_000):
            ws.put("person", {"n": i}, {"given_name": "순희"}, name_tokens=["sunhui"])
            if i == 2000:
                print("inside", flush=True)
else:
    for i in range(1_000_000):
        ws.put("event", {"n": i})
        print(i, flush=True)
"""


def _run_and_kill(ws_path: Path, mode: str, lines: int, extra_s: float) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(ws_path), mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for _ in range(lines):
        assert child.stdout.readline()
    time.sleep(extra_s)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()


def test_kill_during_a_bulk_import_leaves_nothing(ws: Workspace, ws_path: Path) -> None:
    ws.put("person", {"n": -1}, record_id="before")
    ws.close()
    _run_and_kill(ws_path, "bulk", lines=1, extra_s=0.3)
    with Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW) as again:
        assert again.count("person") == 1  # all or nothing: nothing
        report = again.verify()
        assert report.ok, report.reason
        assert again.put("person", {"n": 0}).version == 1  # and it is writable


def test_kill_between_commits_always_reopens(ws: Workspace, ws_path: Path) -> None:
    ws.close()
    for attempt in range(3):
        _run_and_kill(ws_path, "single", lines=20 + 15 * attempt, extra_s=0.01 * attempt)
        with Workspace.open(ws_path, user=ADMIN, passphrase=ADMIN_PW) as again:
            assert again.count("event") >= 20
            report = again.verify()
            assert report.ok, report.reason
        assert not list(ws_path.glob(".tmp-*"))  # leftovers of a cut keys.json write are gone


def test_two_handles_share_one_chain(team: Workspace, ws_path: Path) -> None:
    with Workspace.open(ws_path, user=DOC, passphrase=DOC_PW) as doc:
        a1 = team.put("person", {"n": 1}, record_id="p1")
        d1 = doc.put("person", {"n": 2}, record_id="p1")
        a2 = team.put("person", {"n": 3}, record_id="p1")
        assert (a1.version, d1.version, a2.version) == (1, 2, 3)
        team.add_user("rev-1", "reviewer passphrase", "reviewer")
        doc.put("event", {"n": 4})  # rewrites keys.json's head: must keep the new slot
        assert [r.author for r in doc.history("person", "p1")] == [ADMIN, DOC, ADMIN]
        assert doc.verify().ok and team.verify().ok
    Workspace.open(ws_path, user="rev-1", passphrase="reviewer passphrase").close()
