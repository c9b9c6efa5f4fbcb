"""docs/simulation.md documents every parameter, every list and the command."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from unseen.simulate import COVARIATES, PopulationSettings, SimulationSettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulation.md"


def test_every_population_parameter_has_a_documented_source() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("### 2.1") : text.index("## 3.")]
    for f in fields(PopulationSettings):
        assert f"`{f.name}`" in table, f.name


def test_every_default_list_and_the_command_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in SimulationSettings.preset("small", 1).list_names():
        assert f"`{name}`" in text, name
    assert "unseen simulate out/ --preset" in text
    assert "bench/simulate_calibration.py" in text and "bench/simulate_speed.py" in text
    assert "COVARIATES" in text and len(COVARIATES) > 20
