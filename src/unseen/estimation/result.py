"""The frozen result every estimator returns, and ``estimates.json`` (FORMATS.md s6)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["OK", "NOT_ESTIMABLE", "Estimate", "estimates_json_dict", "write_estimates_json"]

OK = "ok"
NOT_ESTIMABLE = "not_estimable"


def _freeze(value: Any) -> Any:
    """Diagnostics as plain, immutable, JSON-ready values (numpy scalars/arrays included)."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, np.ndarray):
        return tuple(_freeze(v) for v in value.tolist())
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no inf/nan
    return value


def _number(x: float | None) -> float | None:
    if x is None:
        return None
    f = float(x)
    return f if math.isfinite(f) else None


@dataclass(frozen=True)
class Estimate:
    """A population-size estimate with its interval, or an explicit "not estimable".

    ``estimate`` is the total population (observed + unseen). When ``status`` is
    ``"not_estimable"``, ``estimate``/``lower``/``upper`` are ``None`` and ``message`` says
    why in words. ``upper`` may be ``None`` with status ``"ok"`` only when the diagnostics say
    the interval is unbounded above (``diagnostics["upper_unbounded"]``).
    """

    method: str
    observed: int
    estimate: float | None
    lower: float | None
    upper: float | None
    level: float
    lists: tuple[str, ...]
    status: str = OK
    message: str = ""
    diagnostics: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    seed: int | None = None
    stratum: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.status not in (OK, NOT_ESTIMABLE):
            raise ValueError(f"status must be {OK!r} or {NOT_ESTIMABLE!r}")
        if self.status == NOT_ESTIMABLE and not self.message:
            raise ValueError("a not-estimable result needs a message saying why")
        object.__setattr__(self, "diagnostics", _freeze(self.diagnostics))
        object.__setattr__(self, "lists", tuple(self.lists))
        object.__setattr__(self, "stratum", tuple((str(a), str(b)) for a, b in self.stratum))
        for name in ("estimate", "lower", "upper"):
            object.__setattr__(self, name, _number(getattr(self, name)))
        object.__setattr__(self, "observed", int(self.observed))

    @property
    def ok(self) -> bool:
        return self.status == OK

    @classmethod
    def not_estimable(
        cls,
        method: str,
        observed: int,
        lists: Sequence[str],
        message: str,
        *,
        level: float = 0.95,
        diagnostics: Mapping[str, Any] | None = None,
        seed: int | None = None,
        stratum: tuple[tuple[str, str], ...] = (),
    ) -> Estimate:
        return cls(
            method=method,
            observed=observed,
            estimate=None,
            lower=None,
            upper=None,
            level=level,
            lists=tuple(lists),
            status=NOT_ESTIMABLE,
            message=message,
            diagnostics=diagnostics or {},
            seed=seed,
            stratum=stratum,
        )

    def to_json_dict(self) -> dict[str, Any]:
        """FORMATS.md s6 fields, plus ``status``, ``message`` and ``stratum``."""
        return {
            "method": self.method,
            "observed": self.observed,
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "level": self.level,
            "lists": list(self.lists),
            "status": self.status,
            "message": self.message,
            "diagnostics": _jsonable(self.diagnostics),
            "seed": self.seed,
            "stratum": dict(self.stratum),
        }

    def summary(self) -> str:
        if not self.ok:
            return f"{self.method}: not estimable ({self.message})"
        hi = "unbounded" if self.upper is None else f"{self.upper:,.0f}"
        lo = "?" if self.lower is None else f"{self.lower:,.0f}"
        return (
            f"{self.method}: {self.estimate:,.0f} [{lo}, {hi}] "
            f"({self.level:.0%}), observed {self.observed:,}"
        )


def stratum_key(stratum: tuple[tuple[str, str], ...]) -> str:
    """Key of a stratum in ``estimates.json``: the value for one column, else ``col=value``
    pairs joined by ``", "``."""
    if len(stratum) == 1:
        return stratum[0][1]
    return ", ".join(f"{c}={v}" for c, v in stratum)


def estimates_json_dict(estimates: Sequence[Estimate], total: Estimate | None) -> dict[str, Any]:
    strata: dict[str, Any] = {}
    for e in estimates:
        key = stratum_key(e.stratum)
        if key in strata:
            raise ValueError(f"two estimates for the same stratum {key!r}")
        strata[key] = e.to_json_dict()
    return {"total": None if total is None else total.to_json_dict(), "strata": strata}


def write_estimates_json(
    path: str | Path, estimates: Sequence[Estimate], total: Estimate | None
) -> Path:
    """Write ``estimates.json``: ``{"total": {...} | null, "strata": {key: {...}}}``."""
    p = Path(path)
    text = json.dumps(
        estimates_json_dict(estimates, total), ensure_ascii=False, indent=2, allow_nan=False
    )
    p.write_text(text + "\n", encoding="utf-8")
    return p
