"""docs/crypto.md covers the public API; only unseen.crypto imports crypto libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import unseen.crypto as crypto

ROOT = Path(__file__).resolve().parents[2]
CRYPTO_LIBS = {"cryptography", "hashlib", "hmac"}


def test_every_export_is_documented() -> None:
    doc = (ROOT / "docs" / "crypto.md").read_text(encoding="utf-8")
    missing = [name for name in crypto.__all__ if f"`{name}" not in doc and name not in doc]
    assert missing == []


def test_documented_kdf_default_matches_code() -> None:
    doc = (ROOT / "docs" / "crypto.md").read_text(encoding="utf-8")
    d = crypto.KdfParams.default()
    assert f"t = {d.time_cost}" in doc and f"p = {d.parallelism}" in doc
    assert f"{d.memory_cost_kib:,} KiB" in doc


def test_only_unseen_crypto_imports_crypto_libraries() -> None:
    src = ROOT / "src" / "unseen"
    offenders = []
    for path in sorted(src.rglob("*.py")):
        if (src / "crypto") in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            if any(n.split(".")[0] in CRYPTO_LIBS for n in names):
                offenders.append(f"{path.relative_to(ROOT)}: {', '.join(names)}")
    assert offenders == []
