"""Shared simulations for the simulator's tests (built once per session: they are pure)."""

from __future__ import annotations

import pytest
from simkit import tiny_settings

from unseen.simulate import Simulation, SimulationSettings, simulate


@pytest.fixture(scope="session")
def small() -> Simulation:
    return simulate(SimulationSettings.preset("small", 11))


@pytest.fixture(scope="session")
def medium() -> Simulation:
    """About 22,000 people: enough records for the statistical checks to have power."""
    return simulate(tiny_settings(5, scale=0.2))
