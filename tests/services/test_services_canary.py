"""No plaintext identity anywhere on disk: database, WAL, journal, temp files, exports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from svckit import CANARY_HANGUL, CANARY_LATIN, person_rows, write_csv

PASS = "canary test passphrase words"


def _needles() -> list[bytes]:
    out = []
    for text in (CANARY_HANGUL, CANARY_LATIN, CANARY_LATIN.lower()):
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append(text.encode(enc))
    return out


def _scan(root: Path) -> list[str]:
    found = []
    needles = _needles()
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n!r}" for n in needles if n in data]
    return found


def _unseen(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unseen", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_canaries_never_reach_disk(tmp_path: Path) -> None:
    rows = person_rows(300)
    for i in range(0, 300, 7):
        rows[i]["family_name"] = CANARY_LATIN
        rows[i]["name_hangul"] = CANARY_HANGUL + "순희"
        rows[i]["aliases"] = f"{CANARY_LATIN} Li;{CANARY_HANGUL}"
        rows[i]["notes"] = f"met {CANARY_LATIN} in {CANARY_HANGUL}"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    source = write_csv(inputs / "list.csv", rows)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    ws = tmp_path / "ws"
    env = {
        **os.environ,
        "TMPDIR": str(tmp),
        "SQLITE_TMPDIR": str(tmp),
        "UNSEEN_PASSPHRASE": PASS,
        "HOME": str(tmp_path / "home"),
    }
    steps = [
        ("init", str(ws)),
        ("import", str(ws), str(source)),
        ("find", str(ws), "--name", CANARY_LATIN + " Sun-hui"),
        ("show", str(ws), "--help"),
        ("audit", "verify", str(ws)),
        ("keys", "recipient", str(ws), "--out", str(tmp_path / "ws.pub")),
        ("export", str(ws), "--to", str(tmp_path / "ws.pub"), "--out", str(tmp_path / "b.unseen")),
    ]
    for step in steps:
        done = _unseen(*step, env=env)
        assert done.returncode == 0, (step, done.stderr[-2000:])
        if step[0] == "find":
            assert "found" in done.stdout
    source.unlink()  # the input itself holds the canaries by design
    assert _scan(tmp_path) == []
