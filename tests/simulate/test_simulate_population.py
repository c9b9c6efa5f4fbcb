"""The population follows its settings: MOU arrivals, share of women, origins, pathways,
children, and shared perpetrators."""

from __future__ import annotations

import numpy as np

from unseen.simulate import FATES, Simulation
from unseen.simulate._settings import PATHWAYS
from unseen.simulate._tables import mou_arrivals, perpetrator_codes, place_index, places

CHILD = PATHWAYS.index("child")
Z = 4.0


def test_mou_arrivals_known_answer() -> None:
    rows = dict((y, (m, w)) for y, m, w in mou_arrivals())
    assert rows[2009] == (662, 2252)  # defector_arrivals_kr.csv
    assert rows[2025] == (25, 198)
    assert sum(m + w for y, (m, w) in rows.items() if y <= 2001) == 1043
    # the rows add up to the MOU's published cumulative total for 2025, minus the -1998 row
    assert sum(m + w for m, w in rows.values()) == 34537 - 947
    assert sum(w for _, w in rows.values()) == 24944 - 116


def test_arrivals_by_year_and_sex_are_the_mou_counts(medium: Simulation) -> None:
    scale = medium.settings.population.scale
    by_year = medium.manifest["population"]["arrivals_in_south_korea"]
    for year, men, women in mou_arrivals():
        got = by_year[str(year)]
        # stochastic rounding: each cell is floor or ceil of count * scale
        assert abs(got["M"] - men * scale) < 1, year
        assert abs(got["F"] - women * scale) < 1, year


def test_share_of_women_among_crossers(medium: Simulation) -> None:
    pop, ps = medium.population, medium.settings.population
    adult = pop.pathway != CHILD
    year = np.floor(pop.cross).astype(int)
    for lo, hi in ((2002, 2006), (2006, 2010), (2010, 2015), (2015, 2020)):
        sel = adult & (year >= lo) & (year < hi)
        target = np.average(
            [ps.women_share.at(y) for y in year[sel]],
        )
        share = pop.sex[sel].mean()
        se = np.sqrt(target * (1 - target) / sel.sum())
        assert abs(share - target) < Z * se, (lo, share, target)
    overall = pop.sex[adult].mean()
    assert 0.65 <= overall <= 0.85  # facts §8: 0.75 (range 0.65-0.85)


def test_origin_province_shares(medium: Simulation) -> None:
    pop, ps = medium.population, medium.settings.population
    pl = places()
    adult = pop.pathway != CHILD
    prov = pl.province[np.maximum(pop.origin, 0)]
    year = np.floor(pop.cross)
    for lo, hi in ((1998, 2005), (2005, 2017), (2017, 2026)):
        sel = adult & (year >= lo) & (year < hi)
        weights = dict(ps.origin.steps)[lo]
        probs = weights.probabilities()
        for key, p in zip(weights.keys(), probs, strict=True):
            got = (prov[sel] == place_index(key)).mean()
            se = np.sqrt(p * (1 - p) / sel.sum())
            assert abs(got - p) < Z * se + 1e-9, (lo, key, got, p)


def test_trafficking_and_pathways(medium: Simulation) -> None:
    pop = medium.population
    women = (pop.sex == 1) & (pop.pathway != CHILD)
    trafficked = np.isin(pop.pathway, [0, 1, 2])
    assert 0.5 <= trafficked[women].mean() <= 0.9  # facts §8: 0.6 (range 0.5-0.9)
    assert not trafficked[pop.sex == 0].any()
    late = women & trafficked & (pop.cross >= 2012)
    split = np.bincount(pop.pathway[late], minlength=3)[:3] / late.sum()
    # KFI 2019: prostitution about 0.5, marriage about 0.33, cybersex about 0.15
    assert split[1] > split[0] > split[2] > 0.08


def test_china_places_follow_the_pathway_tables(medium: Simulation) -> None:
    pop, ps = medium.population, medium.settings.population
    for name, weights in ps.china_places.items():
        allowed = {place_index(k) for k in weights.keys()}
        sel = pop.pathway == PATHWAYS.index(name)
        assert sel.any()
        assert set(np.unique(pop.china[sel]).tolist()) <= allowed, name


def test_children_are_born_in_china_to_their_mothers(medium: Simulation) -> None:
    pop = medium.population
    kids = np.flatnonzero(pop.pathway == CHILD)
    assert kids.size > 100
    mom = pop.mother[kids]
    assert (pop.sex[mom] == 1).all()
    assert (pop.pathway[mom] == PATHWAYS.index("marriage")).all()
    assert (pop.birth[kids] >= pop.first_sale[mom]).all()
    assert (pop.birth[kids] <= np.minimum(pop.exit[mom], 2026)).all()
    assert (pop.birth[kids] - pop.birth[mom] >= 16).all()
    assert (pop.china[kids] == pop.china[mom]).all()
    assert (np.bincount(mom) <= medium.settings.population.max_children).all()
    # a child who reached South Korea went with the mother
    went = kids[pop.fate[kids] == FATES.index("reached_sk")]
    assert (pop.fate[pop.mother[went]] == FATES.index("reached_sk")).all()


def test_arrests_and_stays(medium: Simulation) -> None:
    pop = medium.population
    t, who = pop.arrest_time, pop.arrest_person
    assert (t >= pop.cross[who]).all() and (t <= pop.exit[who]).all()
    assert (pop.return_time >= t).all()
    final = who[pop.arrest_final]
    assert (pop.fate[final] == FATES.index("repatriated")).all()
    repatriated = np.flatnonzero(pop.fate == FATES.index("repatriated"))
    assert set(final.tolist()) == set(repatriated.tolist())
    ever = np.zeros(len(pop), dtype=bool)
    ever[who] = True
    adult = pop.pathway != CHILD
    assert 0.3 <= ever[adult].mean() <= 0.8  # facts §8: share ever repatriated 0.3-0.8
    assert not ever[~adult].any()


def test_time_in_china_of_2009_arrivals(medium: Simulation) -> None:
    pop = medium.population
    sel = (np.floor(pop.arrival) == 2009) & (pop.pathway != CHILD)
    mean = (pop.exit[sel] - pop.cross[sel]).mean()
    assert 1.0 <= mean <= 2.0  # facts §6: about 1.5 years in 2009


def test_perpetrators_are_shared(medium: Simulation) -> None:
    acts, perps = medium.acts, medium.perpetrators
    codes = perpetrator_codes()
    victims: dict[str, list[int]] = {}
    for code in ("BROKER-CN", "BUYER-HUSBAND", "CN-PSB"):
        ids = np.flatnonzero(perps.ptype == codes.index(code))
        hit = np.isin(acts.perp, ids)
        pairs = np.unique(np.stack([acts.perp[hit], acts.person[hit]]), axis=1)
        victims[code] = np.bincount(pairs[0], minlength=len(perps))[ids].tolist()
    assert max(victims["BROKER-CN"]) >= 5
    buyers = np.array(victims["BUYER-HUSBAND"])
    assert (buyers[buyers > 0] == 1).mean() > 0.8 and buyers.max() >= 2
    assert max(victims["CN-PSB"]) > 100  # one police unit per prefecture
