"""Write a simulation as FORMATS.md files: one person list per list, truth.csv, truth.json.

Files are streamed in chunks (rows are rendered as they are written) and appear atomically:
each is written to a temporary file in the output folder and renamed into place.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from unseen.errors import InputError
from unseen.simulate._rows import PERSON_LIST_COLUMNS, record_id
from unseen.simulate._simulation import Progress, Simulation

TRUTH_COLUMNS: tuple[str, ...] = ("record_id", "list", "person_id")
CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class SimulationFiles:
    """Where :func:`write_simulation` put each file."""

    lists: Mapping[str, Path]
    truth_csv: Path
    truth_json: Path

    def all(self) -> tuple[Path, ...]:
        return (*self.lists.values(), self.truth_csv, self.truth_json)


class _Atomic:
    """A text file written beside its target and renamed over it on success."""

    def __init__(self, target: Path) -> None:
        self.target = target
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def __enter__(self) -> _Atomic:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)


def _write_csv(
    target: Path,
    header: tuple[str, ...],
    chunks: Iterable[Iterable[tuple[str, ...]]],
) -> None:
    with _Atomic(target) as out:
        writer = csv.writer(out.fh, lineterminator="\r\n")  # RFC 4180 line breaks
        writer.writerow(header)
        for chunk in chunks:
            writer.writerows(chunk)


def write_simulation(
    sim: Simulation, outdir: str | os.PathLike[str], *, progress: Progress | None = None
) -> SimulationFiles:
    """Write ``sim`` under ``outdir`` (created if needed); existing files of the same names are
    replaced. Returns the paths written."""
    report = progress or (lambda stage, done, total: None)
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise InputError(
            "the output folder cannot be created / 출력 폴더를 만들 수 없습니다"
        ) from None
    names = sim.settings.list_names()
    total = sum(len(sim.records[n]) for n in names) * 2
    done = 0
    paths: dict[str, Path] = {}

    def chunks(name: str, truth: bool) -> Iterable[list[tuple[str, ...]]]:
        nonlocal done
        n = len(sim.records[name])
        for start in range(0, n, CHUNK_ROWS):
            stop = min(n, start + CHUNK_ROWS)
            if truth:
                rows: list[tuple[str, ...]] = list(_truth_slice(sim, name, start, stop))
            else:
                rows = list(sim.rows(name, start=start, stop=stop))
            done += stop - start
            report(f"write:{name}" if not truth else "write:truth", done, total)
            yield rows

    for name in names:
        paths[name] = out / f"{name}.csv"
        _write_csv(paths[name], PERSON_LIST_COLUMNS, chunks(name, truth=False))
    truth_csv = out / "truth.csv"
    _write_csv(truth_csv, TRUTH_COLUMNS, (c for n in names for c in chunks(n, truth=True)))
    truth_json = out / "truth.json"
    with _Atomic(truth_json) as fh:
        fh.fh.write(json.dumps(dict(sim.manifest), ensure_ascii=False, indent=1))
        fh.fh.write("\n")
    report("done", total, total)
    return SimulationFiles(
        lists=MappingProxyType(paths), truth_csv=truth_csv, truth_json=truth_json
    )


def _truth_slice(sim: Simulation, name: str, start: int, stop: int) -> Iterable[tuple[str, ...]]:
    lst, rec = sim.list_settings(name), sim.records[name]
    n = len(rec)
    for r in range(start, stop):
        yield record_id(lst, r, n), name, sim.person_id(int(rec.person[r]))
