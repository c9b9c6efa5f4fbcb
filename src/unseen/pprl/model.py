"""A Fellegi-Sunter model of field similarity levels, trained by EM without labels (numpy).

Each candidate pair has one level per field: 0 when either record lacks the field, 1 for the
strongest similarity bin, ..., ``len(levels) + 1`` for "below every bin". Fields are assumed
conditionally independent given match status (Fellegi and Sunter 1969). u (the level
distribution among non-matches) starts from random pairs, which are almost all non-matches;
EM (Winkler 1988; Jaro 1989) then re-estimates the share of matches among the candidates
(lambda), m and u on the candidates (candidates are selected by similarity, so their
non-matches are not like random pairs). m is floored at ``M_FLOOR`` and u at ``U_FLOOR`` so
that no level is ever infinitely telling. Level 0 (missing) carries no weight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FSModel", "fit_fs", "fit_sessions"]

M_FLOOR = 0.002
M_PSEUDO = 1.0
U_FLOOR = 1e-6
# A session with fewer pairs than this estimates nothing.
_MIN_SESSION = 10
Levels = npt.NDArray[np.int16] | npt.NDArray[np.int8]


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


def _distribution(levels: Levels, n_levels: int, weights: Any = None) -> Any:
    counts = np.bincount(levels, weights=weights, minlength=n_levels + 1)[1:].astype(np.float64)
    total = counts.sum()
    return counts / total if total > 0 else np.full(n_levels, 1.0 / n_levels)


def _smoothed(levels: Levels, n_levels: int, weights: Any) -> Any:
    """m with one pseudo-match spread over the levels (a Dirichlet prior): with few matches
    (small lists), a level no match reached yet is not taken as proof of a non-match."""
    counts = np.bincount(levels, weights=weights, minlength=n_levels + 1)[1:].astype(np.float64)
    counts += M_PSEUDO / n_levels
    return counts / counts.sum()


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
    fit_u: tuple[bool, ...] | None = None,
    anchor: npt.NDArray[np.bool_] | None = None,
    u: tuple[npt.NDArray[np.float64], ...] | None = None,
    em_fields: tuple[bool, ...] | None = None,
) -> FSModel:
    """Fit m, u and lambda on candidate pairs' ``levels`` (pairs x fields).

    u starts from ``random_levels`` (random pairs). ``fit_u[f]`` says whether EM re-estimates
    field f's u on the candidates: needed for the fields that selected the candidates (their
    non-matches there are similar by construction), harmful for the others, whose non-matches
    among candidates look like random pairs and which EM would otherwise bend to explain the
    selection. Default: every field. ``u`` given: those distributions instead of
    ``random_levels``'

    ``em_fields[f]`` false leaves field f out of the E step; its m comes from the last
    posteriors. For fields whose agreement is common by chance (sex), which carry little
    evidence but depend on the name among non-matches (given names are gendered): EM would
    otherwise take "same sex" for the match class.
    """
    n_fields = levels.shape[1]
    if u is None:
        u_now = [
            _floored(_distribution(random_levels[:, f], n_levels[f]), U_FLOOR)
            for f in range(n_fields)
        ]
    else:
        u_now = [_floored(x, U_FLOOR) for x in u]
    use = em_fields if em_fields is not None else (True,) * n_fields
    # m starts with most of its mass on the strongest levels, or, given ``anchor`` pairs
    # (near-certain matches by a strict rule), as their level distribution.
    m = [_floored(np.geomspace(1.0, 1e-3, n_levels[f]), M_FLOOR) for f in range(n_fields)]
    lam = 0.01
    if anchor is not None and anchor.sum() >= 10:
        m = [_floored(_distribution(levels[anchor, f], n_levels[f]), M_FLOOR)
             for f in range(n_fields)]  # fmt: skip
        lam = float(np.clip(anchor.mean(), 1e-6, 0.5))
    # EM runs on the distinct level vectors, weighted by how many pairs have each.
    patterns, counts = _patterns(levels, n_levels)
    weight = counts.astype(np.float64)
    it = 0
    while it < max_iterations:
        it += 1
        z = np.full(patterns.shape[0], np.log(lam) - np.log1p(-lam))
        for f in range(n_fields):
            if use[f]:
                table = np.concatenate([[0.0], np.log(m[f]) - np.log(u_now[f])])
                z += table[patterns[:, f]]
        g = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
        new_lam = float(np.clip((g * weight).sum() / weight.sum(), 1e-9, 1 - 1e-9))
        new_m = [
            _floored(_smoothed(patterns[:, f], n_levels[f], g * weight), M_FLOOR)
            for f in range(n_fields)
        ]
        new_u = [
            _floored(_distribution(patterns[:, f], n_levels[f], (1.0 - g) * weight), U_FLOOR)
            if fit_u is None or fit_u[f]
            else u_now[f]
            for f in range(n_fields)
        ]
        delta = abs(new_lam - lam) + max(
            float(np.abs(a - b).max()) for a, b in zip(new_m + new_u, m + u_now, strict=True)
        )
        lam, m, u_now = new_lam, new_m, new_u
        if delta < tolerance:
            break
    return FSModel(fields, tuple(m), tuple(u_now), lam, it)


def _patterns(levels: Levels, n_levels: tuple[int, ...]) -> tuple[Levels, Any]:
    """The distinct rows of ``levels`` and how often each occurs."""
    if levels.shape[0] == 0:
        return levels, np.zeros(0, dtype=np.int64)
    code = np.zeros(levels.shape[0], dtype=np.int64)
    for f in range(levels.shape[1]):
        code = code * (n_levels[f] + 1) + levels[:, f].astype(np.int64)
    uniq, first, counts = np.unique(code, return_index=True, return_counts=True)
    return levels[first], counts


def fit_sessions(
    levels: Levels,
    n_levels: tuple[int, ...],
    fields: tuple[str, ...],
    sessions: tuple[tuple[int, ...], ...],
    prior_rule: tuple[int, ...],
    prior_recall: float,
    top: tuple[int, ...] | None = None,
) -> FSModel:
    """EM in training sessions, as Splink trains: each session takes the candidates at the
    strongest level of every comparison of its rule and fits, by EM with u fixed, the m of the
    other comparisons (mean over sessions); the pairs the ``prior_rule`` finds, divided by
    ``prior_recall``, give the share of matches among the candidates. ``top[c]``: comparison
    c's strongest level (default 1).

    u is the level distribution of all candidates: matches are a small share of them, and
    unlike random pairs the candidates' non-matches have similar names, which ties sex to the
    name (given names are gendered). Within a session the rule's pairs are a mixture with a
    large share of matches (a fifth on the realistic preset, against a thousandth of all
    candidates), which EM separates where on all candidates it found another class. Taking
    the session's pairs as all matches instead (Splink's deterministic training) mixed their
    non-matches into m: on the realistic preset "lives elsewhere in China" weighed -0.2
    against -7.8 (-4.7 to -6.7 here)."""
    n_comps = levels.shape[1]
    best = top if top is not None else (1,) * n_comps
    u = tuple(_floored(_distribution(levels[:, c], n_levels[c]), U_FLOOR) for c in range(n_comps))
    estimates: list[list[npt.NDArray[np.float64]]] = [[] for _ in range(n_comps)]
    for rule in sessions:
        anchor = np.ones(levels.shape[0], dtype=bool)
        for c in rule:
            anchor &= levels[:, c] == best[c]
        if anchor.sum() < _MIN_SESSION:
            continue
        session = fit_fs(levels[anchor], levels[anchor], n_levels, fields,
                         fit_u=(False,) * n_comps, u=u,
                         em_fields=tuple(c not in rule for c in range(n_comps)),
                         max_iterations=500)  # fmt: skip
        for c in range(n_comps):
            if c not in rule:
                estimates[c].append(session.m[c])
    m = [
        _floored(np.mean(e, axis=0), M_FLOOR)
        if e
        else _floored(np.geomspace(1.0, 1e-3, n_levels[c]), M_FLOOR)
        for c, e in enumerate(estimates)
    ]
    found = np.ones(levels.shape[0], dtype=bool)
    for c in prior_rule:
        found &= levels[:, c] == best[c]
    matches = max(float(found.sum()) / max(prior_recall, 1e-6), 1.0)
    lam = float(np.clip(matches / max(levels.shape[0], 1), 1e-9, 0.5))
    return FSModel(fields, tuple(m), u, lam, 0)
