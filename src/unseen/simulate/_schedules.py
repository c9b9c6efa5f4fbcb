"""Named weights and calendar schedules: the building blocks of the simulator's settings.

Both are frozen and JSON-serialisable (see ``to_json``/``from_json``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from unseen.errors import ConfigError


def _bad(what: str) -> ConfigError:
    return ConfigError(f"simulation settings: {what}")


def _finite(value: float, what: str) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise _bad(f"{what} must be a finite number")
    return value


def _prob(value: float, what: str) -> float:
    value = _finite(value, what)
    if not 0.0 <= value <= 1.0:
        raise _bad(f"{what} must lie in [0, 1]")
    return value


@dataclass(frozen=True)
class Weights:
    """Named non-negative numbers: a categorical distribution (normalised when sampled) or a
    table of per-key values (probabilities, log-odds). JSON form: ``{"key": value}``."""

    items: tuple[tuple[str, float], ...]

    def __post_init__(self) -> None:
        keys = [k for k, _ in self.items]
        if len(set(keys)) != len(keys):
            raise _bad("a weights table names a key twice")
        items = tuple((str(k), _finite(v, f"weight of {k!r}")) for k, v in self.items)
        object.__setattr__(self, "items", items)

    @classmethod
    def of(cls, mapping: Mapping[str, float] | None = None, **kw: float) -> Weights:
        merged = dict(mapping or {})
        merged.update(kw)
        return cls(tuple(merged.items()))

    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.items)

    def values(self) -> tuple[float, ...]:
        return tuple(v for _, v in self.items)

    def get(self, key: str, default: float = 0.0) -> float:
        for k, v in self.items:
            if k == key:
                return v
        return default

    def as_dict(self) -> dict[str, float]:
        return dict(self.items)

    def probabilities(self, keys: Iterable[str] | None = None) -> npt.NDArray[np.float64]:
        """Weights of ``keys`` (default: own order) normalised to sum to one."""
        order = self.keys() if keys is None else tuple(keys)
        w = np.array([self.get(k) for k in order], dtype=np.float64)
        if (w < 0).any() or w.sum() <= 0:
            raise _bad("a distribution needs non-negative weights with a positive sum")
        out: npt.NDArray[np.float64] = w / w.sum()
        return out

    def to_json(self) -> dict[str, float]:
        return self.as_dict()

    @classmethod
    def from_json(cls, obj: Any) -> Weights:
        if not isinstance(obj, Mapping):
            raise _bad("a weights table must be an object")
        return cls(tuple((str(k), float(v)) for k, v in obj.items()))


@dataclass(frozen=True)
class Schedule:
    """A number that changes with the calendar year: ``steps`` are ``(from_year, value)``, each
    value holding until the next step. JSON form: ``[[year, value], ...]``."""

    steps: tuple[tuple[int, float], ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise _bad("a schedule needs at least one step")
        steps = tuple((int(y), _finite(v, "schedule value")) for y, v in self.steps)
        years = [y for y, _ in steps]
        if years != sorted(set(years)):
            raise _bad("schedule years must increase")
        object.__setattr__(self, "steps", steps)

    def at(self, year: float) -> float:
        value = self.steps[0][1]
        for y, v in self.steps:
            if year >= y:
                value = v
        return value

    def values(self, years: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Vectorised :meth:`at` (years before the first step take the first value)."""
        ys = np.array([y for y, _ in self.steps], dtype=np.float64)
        vs = np.array([v for _, v in self.steps], dtype=np.float64)
        idx = np.searchsorted(ys, np.asarray(years, dtype=np.float64), side="right") - 1
        return vs[np.clip(idx, 0, len(vs) - 1)]

    def to_json(self) -> list[list[float]]:
        return [[y, v] for y, v in self.steps]

    @classmethod
    def from_json(cls, obj: Any) -> Schedule:
        try:
            return cls(tuple((int(y), float(v)) for y, v in obj))
        except (TypeError, ValueError):
            raise _bad("a schedule must be a list of [year, value] pairs") from None


@dataclass(frozen=True)
class WeightsSchedule:
    """A categorical distribution that changes with the calendar year (see :class:`Schedule`)."""

    steps: tuple[tuple[int, Weights], ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise _bad("a schedule needs at least one step")
        years = [int(y) for y, _ in self.steps]
        if years != sorted(set(years)):
            raise _bad("schedule years must increase")

    def keys(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for _, w in self.steps:
            for k in w.keys():
                seen.setdefault(k, None)
        return tuple(seen)

    def matrix(self, years: npt.ArrayLike, keys: tuple[str, ...]) -> npt.NDArray[np.float64]:
        """One normalised probability row per year, columns in ``keys`` order."""
        table = np.stack([w.probabilities(keys) for _, w in self.steps])
        ys = np.array([y for y, _ in self.steps], dtype=np.float64)
        idx = np.searchsorted(ys, np.asarray(years, dtype=np.float64), side="right") - 1
        out: npt.NDArray[np.float64] = table[np.clip(idx, 0, len(ys) - 1)]
        return out

    def to_json(self) -> list[list[Any]]:
        return [[y, w.to_json()] for y, w in self.steps]

    @classmethod
    def from_json(cls, obj: Any) -> WeightsSchedule:
        try:
            return cls(tuple((int(y), Weights.from_json(w)) for y, w in obj))
        except (TypeError, ValueError):
            raise _bad("a schedule must be a list of [year, {key: weight}] pairs") from None
