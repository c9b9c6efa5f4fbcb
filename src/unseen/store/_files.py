"""Small files of a workspace: atomic replacement and an advisory lock for read-modify-write.

``atomic_write``: write a temp file in the same directory, fsync it, ``os.replace`` it over the
target, fsync the directory; a crash leaves either the old or the new file, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, one writer assumed
    fcntl = None  # type: ignore[assignment]

from unseen.errors import IntegrityError

TMP_PREFIX = ".tmp-"


def fsync_dir(path: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, sync_dir: bool = True) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{secrets.token_hex(6)}")
    try:
        # Owner-only, like the workspace folder itself (0700): defence in depth on shared machines.
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    if sync_dir:
        fsync_dir(path.parent)


def write_json(path: Path, value: Any, *, sync_dir: bool = True) -> None:
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
    atomic_write(path, text.encode("ascii"), sync_dir=sync_dir)


def read_json(path: Path, what: str) -> dict[str, Any]:
    """Parse a workspace JSON file; anything but a JSON object is damage (IntegrityError)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise IntegrityError(
            f"{what} is damaged or was altered / {what} 파일이 손상되었습니다"
        ) from None
    if not isinstance(data, dict):
        raise IntegrityError(f"{what} is damaged or was altered / {what} 파일이 손상되었습니다")
    return data


def remove_stale_temps(directory: Path) -> None:
    """Temp files left by a crash hold nothing secret (ciphertext or public JSON); drop them."""
    for leftover in directory.glob(f"{TMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Exclusive advisory lock (blocking) around a read-modify-write of a shared file."""
    with open(lock_path, "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
