"""docs/estimation.md documents the deterministic and bootstrap methods and its known-answer
table carries the reference values."""

from __future__ import annotations

from pathlib import Path

import pytest
from msekit import Reference, references

DOC = Path(__file__).resolve().parents[2] / "docs" / "estimation.md"

DOCUMENTED = [
    "read_capture_histories",
    "collapse",
    "CaptureHistories",
    "Estimate",
    "write_estimates_json",
    "estimate_lincoln_petersen",
    "estimate_chapman",
    "estimate_loglinear",
    "select_loglinear",
    "estimate_closed_model",
    "estimate_closedp",
    "estimate_stepwise",
    "hierarchical_models",
    "mle_exists",
    "estimate_strata",
    "collapse_strata",
    "total_estimate",
    "sparsity",
    "estimate_auto",
    "choose_method",
    "capture_history_table",
    "list_overlap",
    "n_curve",
    "diagnose",
]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_public_name_is_documented(name: str) -> None:
    assert f"`{name}" in DOC.read_text(encoding="utf-8")


def fmt(x: float | None) -> str:
    assert x is not None
    return f"{x:,.1f}"


@pytest.mark.parametrize(
    "ref",
    [
        r
        for r in references()
        if r.method in ("rcapture_mt", "rcapture_ms_bic")
        and r.dataset != "artificial3"
        or (r.dataset == "artificial3" and r.method == "rcapture_mt")
    ],
    ids=lambda r: f"{r.dataset}-{r.method}",
)
def test_known_answer_table_quotes_the_reference(ref: Reference) -> None:
    quoted = f"{fmt(ref.estimate)} [{fmt(ref.lower)}, {fmt(ref.upper)}]"
    assert quoted in DOC.read_text(encoding="utf-8")


def test_benchmark_is_named() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "bench/mse_speed.py" in text and "--mc 10" in text


def test_simulation_study_names_its_command() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "nice -n 10 .venv/bin/python bench/mse_simulation.py" in text
    assert "SIMULATION_TABLE" not in text
