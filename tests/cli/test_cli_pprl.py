"""`unseen pprl` end to end with real crypto and real files: two organisations, one secret."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parents[1] / "pprl"))
from pprlkit import two_lists, write  # noqa: E402

from unseen.cli import build_app  # noqa: E402

KEY_PW = "linkage key passphrase words"
WS_PW = "workspace admin passphrase words"


def run(*args: str, passphrase: str = KEY_PW, user: str = "admin"):  # noqa: ANN201
    env = {"UNSEEN_PASSPHRASE": passphrase, "UNSEEN_USER": user}
    return CliRunner().invoke(build_app(), list(args), env=env)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_keygen_encode_match_rotate(tmp_path: Path) -> None:
    a, b, _ = two_lists(30, 20, 12)
    fa, fb = write(tmp_path / "a.csv", a), write(tmp_path / "b.csv", b)
    key = tmp_path / "shared.pprlkey"
    made = run("pprl", "keygen", str(key))
    assert made.exit_code == 0, made.output
    assert "generation 1" in made.output
    for f, out in ((fa, "a.pprl"), (fb, "b.pprl")):
        done = run("pprl", "encode", str(f), "--key-file", str(key), "--out", str(tmp_path / out))
        assert done.exit_code == 0, done.output
    text = (tmp_path / "a.pprl").read_text(encoding="utf-8")
    assert not any(v in text for v in [*a["record_id"], *a["name_hangul"], *a["birth_date"]])
    key_text = key.read_text(encoding="utf-8")
    linked = run("pprl", "match", str(tmp_path / "a.pprl"), str(tmp_path / "b.pprl"),
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert linked.exit_code == 0, linked.output
    hist = {(r["ngo-a"], r["ngo-b"]): int(r["count"])
            for r in _rows(tmp_path / "out" / "capture_histories.csv")}  # fmt: skip
    # keygen draws a fresh secret and encode fresh flips, so an exact answer would be luck. Every
    # record is in exactly one cluster, and the counts are near the truth: over 30 fresh draws
    # the shared count was 12 in 28, 11 once and 13 once, and in 6 draws one false link joined
    # two records (so a list may count one person fewer). The library's known-answer test fixes
    # the secret and the flips and finds exactly the 12.
    clustered = [(r["list"], r["record_id"]) for r in _rows(tmp_path / "out" / "clusters.csv")]
    assert len(clustered) == len(set(clustered)) == 50
    assert 29 <= hist[("1", "0")] + hist[("1", "1")] <= 30
    assert 19 <= hist[("0", "1")] + hist[("1", "1")] <= 20
    assert abs(hist[("1", "1")] - 12) <= 2
    shown = run("pprl", "key", "show", str(key))
    fp = shown.output.split("linkage secret ")[1].split()[0]
    # Rotation: the key file gets a new generation and the old files are refused.
    assert run("pprl", "key", "rotate", str(key)).exit_code == 0
    assert key.read_text(encoding="utf-8") != key_text
    new_fp = run("pprl", "key", "show", str(key)).output.split("linkage secret ")[1].split()[0]
    assert new_fp != fp
    refused = run("pprl", "match", str(tmp_path / "a.pprl"), str(tmp_path / "b.pprl"),
                  "--out", str(tmp_path / "o2"), "--expect-key", new_fp)  # fmt: skip
    assert refused.exit_code == 1 and "rotated" in refused.output
    fresh = run(
        "pprl", "encode", str(fa), "--key-file", str(key), "--out", str(tmp_path / "a2.pprl")
    )
    assert fresh.exit_code == 0
    mixed = run("pprl", "match", str(tmp_path / "a2.pprl"), str(tmp_path / "b.pprl"),
                "--out", str(tmp_path / "o3"))  # fmt: skip
    assert mixed.exit_code == 1 and "different linkage secrets" in mixed.output
    wrong = run("pprl", "encode", str(fa), "--key-file", str(key), "--out", str(tmp_path / "x"),
                passphrase="not the passphrase")  # fmt: skip
    assert wrong.exit_code == 1 and "wrong passphrase" in wrong.output
    assert KEY_PW not in wrong.output


def test_workspace_secret_share_encode_and_resolve(tmp_path: Path) -> None:
    a, b, _ = two_lists(20, 14, 9)
    fa, fb = write(tmp_path / "a.csv", a), write(tmp_path / "b.csv", b)
    ws_a, ws_b = tmp_path / "ws-a", tmp_path / "ws-b"
    for ws, f in ((ws_a, fa), (ws_b, fb)):
        assert run("init", str(ws), passphrase=WS_PW).exit_code == 0
        got = run("import", str(ws), str(f), passphrase=WS_PW)
        assert got.exit_code == 0, got.output
    key = tmp_path / "a.pprlkey"
    assert run("pprl", "keygen", str(key)).exit_code == 0
    pw = tmp_path / "ws.txt"
    pw.write_text(WS_PW + "\n", encoding="utf-8")
    imported = run("pprl", "key", "import", str(ws_a), str(key), "--passphrase-file", str(pw))
    assert imported.exit_code == 0, imported.output
    # B publishes its bundle key; A seals the secret to it; B receives it.
    assert run("keys", "recipient", str(ws_b), "--out", str(tmp_path / "b.pub"),
               passphrase=WS_PW).exit_code == 0  # fmt: skip
    shared = run("pprl", "key", "share", "--workspace", str(ws_a), "--to", str(tmp_path / "b.pub"),
                 "--out", str(tmp_path / "for-b.share"), passphrase=WS_PW)  # fmt: skip
    assert shared.exit_code == 0, shared.output
    got = run("pprl", "key", "receive", str(ws_b), str(tmp_path / "for-b.share"), passphrase=WS_PW)
    assert got.exit_code == 0, got.output
    for ws, out in ((ws_a, "a.pprl"), (ws_b, "b.pprl")):
        enc = run("pprl", "encode", str(ws), "--out", str(tmp_path / out), passphrase=WS_PW)
        assert enc.exit_code == 0, enc.output
    linked = run("pprl", "match", str(tmp_path / "a.pprl"), str(tmp_path / "b.pprl"),
                 "--out", str(tmp_path / "out"))  # fmt: skip
    assert linked.exit_code == 0, linked.output
    mine = tmp_path / "mine.csv"
    res = run("pprl", "resolve", str(ws_a), str(tmp_path / "out" / "clusters.csv"),
              "--out", str(mine), passphrase=WS_PW)  # fmt: skip
    assert res.exit_code == 0, res.output
    rows = _rows(mine)
    assert len(rows) == 20  # all of A's people, none of B's
    assert sum(1 for r in rows if r["cluster_size"] == "2") == 9  # the 9 shared people
    assert run("audit", "verify", str(ws_a), passphrase=WS_PW).exit_code == 0
    tampered = tmp_path / "b.pprl"
    tampered.write_text(
        tampered.read_text(encoding="utf-8").replace('"records":14', '"records":13')
    )
    bad = run(
        "pprl", "match", str(tmp_path / "a.pprl"), str(tampered), "--out", str(tmp_path / "o")
    )
    assert bad.exit_code == 1 and "signature does not verify" in bad.output
