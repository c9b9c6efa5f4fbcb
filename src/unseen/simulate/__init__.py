"""A seeded, documented simulator of North Koreans in China (1998-2025) and of the lists that
document them, with ground truth (pure: no I/O except :func:`write_simulation`).

>>> settings = SimulationSettings.preset("small", seed=7)
>>> sim = simulate(settings)
>>> files = write_simulation(sim, "out/")  # doctest: +SKIP

The model, its parameters and their sources are in ``docs/simulation.md``.
"""

from __future__ import annotations

from unseen.simulate._capture import Capture, ListRecords, eligible, logit_of
from unseen.simulate._population import FATES, GROUPS, Population
from unseen.simulate._schedules import Schedule, Weights, WeightsSchedule
from unseen.simulate._settings import (
    COVARIATES,
    PRESETS,
    ListSettings,
    PopulationSettings,
    RecordHabit,
    SimulationSettings,
)
from unseen.simulate._simulation import Progress, Simulation, simulate
from unseen.simulate._write import SimulationFiles, write_simulation

__all__ = [
    "COVARIATES",
    "FATES",
    "GROUPS",
    "PRESETS",
    "Capture",
    "ListRecords",
    "ListSettings",
    "Population",
    "PopulationSettings",
    "Progress",
    "RecordHabit",
    "Schedule",
    "Simulation",
    "SimulationFiles",
    "SimulationSettings",
    "Weights",
    "WeightsSchedule",
    "eligible",
    "logit_of",
    "simulate",
    "write_simulation",
]
