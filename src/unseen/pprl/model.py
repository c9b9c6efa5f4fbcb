"""A Fellegi-Sunter model of field similarity levels, trained by EM without labels (numpy).

Each candidate pair has one level per field: 0 when either record lacks the field, 1 for the
strongest similarity bin, ..., ``len(levels) + 1`` for "below every bin". Fields are assumed
conditionally independent given match status (Fellegi and Sunter 1969). u (the level
distribution among non-matches) starts from random pairs, which are almost all non-matches;
EM (Winkler 1988; Jaro 1989) then re-estimates the share of matches among the candidates
(lambda), m and u on the candidates, since candidates are selected by similarity and their
non-matches are not random pairs. m is floored at ``M_FLOOR`` and u at ``U_FLOOR`` so that no
level is ever infinitely telling. Level 0 (missing) carries no weight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FSModel", "fit_fs"]

M_FLOOR = 0.002
U_FLOOR = 1e-6
Levels = npt.NDArray[np.int8]


@dataclass(frozen=True)
class FSModel:
    """``m[f]`` / ``u[f]``: probabilities of levels 1.. of field f; ``lam``: share of matches
    among the candidate pairs; ``iterations`` EM ran."""

    fields: tuple[str, ...]
    m: tuple[npt.NDArray[np.float64], ...] = field(repr=False)
    u: tuple[npt.NDArray[np.float64], ...] = field(repr=False)
    lam: float
    iterations: int

    def weights(self) -> tuple[npt.NDArray[np.float64], ...]:
        """log2(m/u) per level, with 0 prepended for the missing level."""
        return tuple(
            np.concatenate([[0.0], np.log2(m / u)]) for m, u in zip(self.m, self.u, strict=True)
        )

    def log2_odds(self, levels: Levels) -> npt.NDArray[np.float64]:
        """Sum of the fields' match weights of each pair (without the prior)."""
        total = np.zeros(levels.shape[0], dtype=np.float64)
        for f, w in enumerate(self.weights()):
            total += w[levels[:, f]]
        return total

    def probability(self, levels: Levels) -> npt.NDArray[np.float64]:
        prior = np.log2(self.lam / (1.0 - self.lam))
        z = np.clip(prior + self.log2_odds(levels), -60, 60)
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp2(-z))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "lambda": self.lam,
            "iterations": self.iterations,
            "fields": {
                name: {
                    "m": [round(float(x), 6) for x in m],
                    "u": [float(f"{x:.6g}") for x in u],
                    "weight": [round(float(x), 3) for x in np.log2(m / u)],
                }
                for name, m, u in zip(self.fields, self.m, self.u, strict=True)
            },
        }


def _distribution(levels: npt.NDArray[np.int8], n_levels: int, weights: Any = None) -> Any:
    counts = np.bincount(levels, weights=weights, minlength=n_levels + 1)[1:].astype(np.float64)
    total = counts.sum()
    return counts / total if total > 0 else np.full(n_levels, 1.0 / n_levels)


def _floored(p: npt.NDArray[np.float64], floor: float) -> npt.NDArray[np.float64]:
    q: npt.NDArray[np.float64] = np.maximum(p, floor)
    out: npt.NDArray[np.float64] = q / q.sum()
    return out


def fit_fs(
    levels: Levels,
    random_levels: Levels,
    n_levels: tuple[int, ...],
    fields: tuple[str, ...],
    *,
    max_iterations: int = 60,
    tolerance: float = 1e-6,
    fit_u: bool = True,
) -> FSModel:
    """Fit m, u and lambda on candidate pairs' ``levels`` (pairs x fields, int8), starting u
    from ``random_levels`` (random pairs)."""
    n_fields = levels.shape[1]
    u = [
        _floored(_distribution(random_levels[:, f], n_levels[f]), U_FLOOR) for f in range(n_fields)
    ]
    # m starts with most of its mass on the strongest levels.
    m = [_floored(np.geomspace(1.0, 1e-3, n_levels[f]), M_FLOOR) for f in range(n_fields)]
    lam = 0.1
    it = 0
    while it < max_iterations:
        it += 1
        log_m = np.zeros(levels.shape[0])
        log_u = np.zeros(levels.shape[0])
        for f in range(n_fields):
            lv = levels[:, f]
            has = lv > 0
            idx = np.where(has, lv - 1, 0)
            log_m += np.where(has, np.log(m[f])[idx], 0.0)
            log_u += np.where(has, np.log(u[f])[idx], 0.0)
        z = np.clip(np.log(lam) - np.log1p(-lam) + log_m - log_u, -700, 700)
        g = 1.0 / (1.0 + np.exp(-z))
        new_lam = float(np.clip(g.mean(), 1e-9, 1 - 1e-9))
        new_m = [
            _floored(_distribution(levels[:, f], n_levels[f], g), M_FLOOR) for f in range(n_fields)
        ]
        new_u = [
            _floored(_distribution(levels[:, f], n_levels[f], 1.0 - g), U_FLOOR)
            for f in range(n_fields)
        ] if fit_u else u  # fmt: skip
        delta = abs(new_lam - lam) + max(
            float(np.abs(a - b).max()) for a, b in zip(new_m + new_u, m + u, strict=True)
        )
        lam, m, u = new_lam, new_m, new_u
        if delta < tolerance:
            break
    return FSModel(fields, tuple(m), tuple(u), lam, it)
