"""Lists capture people with the configured probabilities: sizes and overlaps within sampling
error of the values computed here, independently, from the settings and the covariates."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import poisson

from unseen.simulate import Simulation, eligible, logit_of

Z = 4.0  # standard errors allowed


def _model_probabilities(sim: Simulation) -> dict[str, np.ndarray]:
    """p_i for every list, recomputed from ListSettings (given the realised earlier captures)."""
    pop = sim.population
    child = pop.pathway == 5
    kids = np.flatnonzero(child)
    out: dict[str, np.ndarray] = {}
    caught = {k: v.captured.astype(float) for k, v in sim.captures.items()}
    for lst in sim.settings.lists:
        eta = logit_of(lst, sim.covariates, pop.frailty, caught)
        ok = eligible(lst, sim.settings.population, pop)
        p = np.where(ok & ~child, 1 / (1 + np.exp(-eta)), 0.0)
        mother_caught = sim.captures[lst.name].captured[pop.mother[kids]]
        p[kids] = np.where(ok[kids] & mother_caught, lst.child_capture, 0.0)
        out[lst.name] = p
    return out


def test_stored_probabilities_are_the_model(medium: Simulation) -> None:
    model = _model_probabilities(medium)
    for name, p in model.items():
        np.testing.assert_allclose(medium.captures[name].probability, p, rtol=1e-9, atol=1e-12)


def test_list_sizes_within_sampling_error(medium: Simulation) -> None:
    model = _model_probabilities(medium)
    for name, p in model.items():
        got = int(medium.captures[name].captured.sum())
        mean, sd = p.sum(), np.sqrt((p * (1 - p)).sum())
        assert got > 50, name
        assert abs(got - mean) < Z * sd, (name, got, mean, sd)


def test_record_counts_follow_duplicate_rates(medium: Simulation) -> None:
    pop = medium.population
    k = np.arange(4)
    for lst in medium.settings.lists:
        cap = medium.captures[lst.name].captured
        adults = int((cap & (pop.pathway != 5)).sum())
        children = int((cap & (pop.pathway == 5)).sum())
        # extra records ~ min(Poisson(rate), 3)
        pmf = poisson.pmf(k, lst.duplicate_rate)
        pmf[3] = 1 - pmf[:3].sum()
        mean_x, var_x = (k * pmf).sum(), ((k**2) * pmf).sum() - (k * pmf).sum() ** 2
        got = len(medium.records[lst.name]) - adults - children
        assert abs(got - adults * mean_x) < Z * np.sqrt(adults * var_x) + 1, lst.name


def test_pairwise_overlaps_within_sampling_error(medium: Simulation) -> None:
    model = _model_probabilities(medium)
    child = medium.population.pathway == 5
    names = medium.settings.list_names()
    for a, b in itertools.combinations(names, 2):
        lst_b = medium.list_settings(b)
        ca = medium.captures[a].captured
        if a in lst_b.depends_on.keys():
            # B's probabilities already condition on A's realised captures
            q = np.where(child, model[a] * model[b], ca * model[b])
        else:
            q = model[a] * model[b]
        got = int((ca & medium.captures[b].captured).sum())
        sd = np.sqrt((q * (1 - q)).sum())
        assert abs(got - q.sum()) < Z * sd + 2, (a, b, got, q.sum())


def test_dependence_raises_overlap(medium: Simulation) -> None:
    un, interviews = medium.captures["un"].captured, medium.captures["interviews"].captured
    p_with = un[interviews].mean()
    p_without = un[~interviews & medium.captures["un"].probability.astype(bool)].mean()
    assert p_with > 5 * p_without


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("interviews", "reached_sk"),
        ("repatriation", "repatriated"),
    ],
)
def test_eligibility_rules(medium: Simulation, name: str, who: str) -> None:
    people = medium.records[name].person
    assert (medium.covariates[who][people] == 1).all()


def test_frailty_makes_capture_heterogeneous(medium: Simulation) -> None:
    """People captured by one NGO list are more visible to the other NGO lists (frailty)."""
    f = medium.population.frailty[:, 0]
    cap = medium.captures["interviews"].captured
    assert f[cap].mean() > f[medium.covariates["reached_sk"] == 1].mean() + 0.2
