"""Canaries: identity text must never reach the disk in plaintext, in any file we or SQLite write.

Identities containing canary strings in Hangul and Latin are stored, searched, revealed, sorted
and evidence with a canary file name and content is added; then every file under the workspace
and under the temp directory (redirected for SQLite and Python) is searched for the canaries'
UTF-8, UTF-16-LE and UTF-16-BE bytes, while the workspace is open (WAL and -shm present) and
after it is closed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from unseen.crypto import KdfParams
from unseen.store import Role, Workspace

CANARIES = ("캐나리순희별", "Qzcanaryxolotl", "카나리아철수강", "Vexcanarymuir")
ATTRIBUTE_CANARY = "Attrcanaryplume"  # attributes are not sealed, but SQLCipher encrypts them


def _needles() -> list[tuple[str, bytes]]:
    out = []
    for text in (*CANARIES, ATTRIBUTE_CANARY):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append((f"{text}/{encoding}", text.encode(encoding)))
    return out


def _scan(*roots: Path) -> list[str]:
    found = []
    needles = _needles()
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found += [f"{path.name}: {name}" for name, needle in needles if needle in data]
    return found


def test_no_plaintext_identity_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setenv("SQLITE_TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # recomputed from TMPDIR
    assert Path(tempfile.gettempdir()) == scratch
    control = scratch / "control.bin"  # the scan must be able to fail
    control.write_bytes(b"xx" + CANARIES[0].encode("utf-16-be") + b"yy")
    assert _scan(scratch) == [f"control.bin: {CANARIES[0]}/utf-16-be"]
    control.unlink()
    root = tmp_path / "ws"
    ws = Workspace.create(
        root, user="admin-1", passphrase="canary passphrase", kdf=KdfParams.fast_for_tests()
    )
    try:
        with ws.transaction():
            for i in range(300):
                hangul, latin = CANARIES[i % 2 * 2], CANARIES[1 + i % 2 * 2]
                ws.put(
                    "person",
                    {"n": i, "note": f"{ATTRIBUTE_CANARY} {i}", "pad": "p" * (i % 50)},
                    {
                        "name_hangul": f"{hangul}{i}",
                        "name_latin": f"{latin} {i}",
                        "aliases": [hangul, latin],
                        "testimony": f"{latin} said {hangul}",
                    },
                    name_tokens=[hangul, latin.lower()],
                )
        ws.add_user("doc-1", "doc passphrase", Role.DOCUMENTER)
        ws.add_evidence(
            f"{CANARIES[0]} {CANARIES[1]} testimony".encode() * 50,
            media_type="text/plain",
            filename=f"{CANARIES[0]}_{CANARIES[1]}.txt",
        )
        assert len(ws.find_by_name_tokens([CANARIES[0]])) == 150
        revealed = list(ws.iter_current("person", reveal=True))
        assert revealed[0].identity is not None
        assert revealed[0].identity["aliases"] == [CANARIES[0], CANARIES[1]]
        list(ws.iter_all_versions(reveal=True))  # sorts every version (temp B-tree)
        assert len(ws.query("person", note=f"{ATTRIBUTE_CANARY} 7")) == 1
        assert (root / "store.db-wal").exists()
        assert _scan(root, scratch) == []
    finally:
        ws.close()
    assert _scan(root, scratch) == []
    with Workspace.open(root, user="doc-1", passphrase="doc passphrase") as doc:
        assert doc.verify().ok
        assert _scan(root, scratch) == []
