"""Helpers for the simulator's tests."""

from __future__ import annotations

from dataclasses import replace

from unseen.simulate import SimulationSettings


def tiny_settings(seed: int, scale: float = 0.005) -> SimulationSettings:
    """The default model at a small scale (a few hundred people): fast enough for hypothesis."""
    base = SimulationSettings.preset("small", seed)
    return replace(base, population=replace(base.population, scale=scale))
