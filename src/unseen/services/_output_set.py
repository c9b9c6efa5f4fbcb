"""A run's output files, written as a set: all of them or none.

Each file is written into a hidden folder inside the output folder, and only when every one
is written are they moved into place (``os.replace``, same file system), so a run that fails
half way (bad input found late, a full disk) leaves the previous run's files as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["write_together"]


def write_together(
    out_dir: Path,
    writers: Mapping[str, Callable[[Path], object]],
    *,
    stale: Sequence[str] = (),
) -> tuple[str, ...]:
    """Call each ``writers[name](path)`` on a path in a hidden folder of ``out_dir``, then move
    the files into ``out_dir``; remove the files named in ``stale`` (an earlier run's, which
    would not match this one). Returns the paths written, in ``writers``' order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".unseen-partial-", dir=out_dir))
    try:
        for name, write in writers.items():
            write(partial / name)
        for name in writers:
            os.replace(partial / name, out_dir / name)
        for name in stale:
            (out_dir / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return tuple(str(out_dir / name) for name in writers)
