"""Shared helpers for the estimation tests: the real MSE tables and the R reference rows."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from unseen.estimation import CaptureHistories, collapse, read_capture_histories

# /work/main/tests/estimation/msekit.py -> /work/shared/data/mse
MSE_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mse"


def table(name: str) -> CaptureHistories:
    """A data set from ``shared/data/mse`` summed over any strata, e.g. ``table("uk2013")``."""
    return collapse(read_capture_histories(MSE_DATA / f"{name}.csv"))


@dataclass(frozen=True)
class Reference:
    dataset: str
    method: str
    estimate: float | None
    lower: float | None
    upper: float | None
    runtime_s: float | None
    call: str


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


def references() -> list[Reference]:
    with (MSE_DATA / "reference_results.csv").open(encoding="utf-8", newline="") as f:
        return [
            Reference(
                r["dataset"],
                r["method"],
                _num(r["estimate"]),
                _num(r["lower95"]),
                _num(r["upper95"]),
                _num(r["runtime_s"]),
                r["call"],
            )
            for r in csv.DictReader(f)
        ]


def reference(dataset: str, method: str) -> Reference:
    rows = [r for r in references() if r.dataset == dataset and r.method == method]
    assert len(rows) == 1, (dataset, method)
    return rows[0]
