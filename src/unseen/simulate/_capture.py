"""Who each list captures, how many records it holds about them, and which act each documents.

Capture is logistic in the person's covariates and latent frailty (see
:class:`~unseen.simulate.ListSettings`); lists are drawn in order, so a list may depend on the
captures of earlier lists. Everything a record's text needs later is drawn here as uniform
numbers (``noise``), which keeps rendering a pure function of the simulation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unseen.simulate._acts import Acts
from unseen.simulate._population import FATES, Population
from unseen.simulate._settings import COVARIATES, PATHWAYS, ListSettings, PopulationSettings
from unseen.simulate._tables import place_index, places, prefecture_of, violation_codes

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_P = {name: i for i, name in enumerate(PATHWAYS)}
_F = {name: i for i, name in enumerate(FATES)}
MAX_EXTRA_RECORDS = 3
NOISE_COLUMNS = 40


def covariates(ps: PopulationSettings, pop: Population) -> dict[str, F64]:
    """The covariates of :data:`COVARIATES`, one float array each."""
    pl = places()
    n = len(pop)
    f = np.float64
    end = pop.stay_end(ps.end_year)
    arrests = pop.n_arrests
    mass = np.zeros(n, dtype=bool)
    mass[pop.arrest_person[pop.mass_return]] = True
    china_prov = pl.province[np.maximum(pop.china, 0)]
    china_pref = prefecture_of()[np.maximum(pop.china, 0)]
    yanbian = china_pref == place_index("222400")
    prov = {k: china_prov == place_index(k) for k in ("220000", "210000", "230000", "370000")}
    origin_prov = np.where(pop.origin >= 0, pl.province[np.maximum(pop.origin, 0)], -1)
    trafficked = np.isin(pop.pathway, [_P["marriage"], _P["prostitution"], _P["cybersex"]])
    named = {
        "female": pop.sex == 1,
        "child": pop.pathway == _P["child"],
        "trafficked": trafficked,
        "marriage": pop.pathway == _P["marriage"],
        "prostitution": pop.pathway == _P["prostitution"],
        "cybersex": pop.pathway == _P["cybersex"],
        "work": pop.pathway == _P["work"],
        "transit": pop.pathway == _P["transit"],
        "reached_sk": pop.fate == _F["reached_sk"],
        "third_country": pop.fate == _F["third_country"],
        "in_china_end": ~np.isfinite(pop.exit),
        "repatriated": arrests > 0,
        "arrests": arrests.astype(f),
        "years_in_china": (end - pop.cross) / 10.0,
        "crossed_after_2012": pop.cross >= 2012,
        "mass_return": mass,
        "has_children": pop.n_children > 0,
        "southern_route": pop.southern_route,
        "died": pop.fate == _F["died"],
        "region_yanbian": yanbian,
        "region_jilin": prov["220000"] & ~yanbian,
        "region_liaoning": prov["210000"],
        "region_heilongjiang": prov["230000"],
        "region_shandong": prov["370000"],
        "region_other": ~(prov["220000"] | prov["210000"] | prov["230000"] | prov["370000"]),
        "origin_north_hamgyong": origin_prov == place_index("KP-09"),
        "origin_ryanggang": origin_prov == place_index("KP-10"),
    }
    return {k: np.asarray(named[k], dtype=f) for k in COVARIATES}


def eligible(lst: ListSettings, ps: PopulationSettings, pop: Population) -> B:
    """People the list could see at all, in its window (children included)."""
    lo, hi = float(lst.window[0]), float(lst.window[1] + 1)
    end = pop.stay_end(ps.end_year)
    in_china = (pop.cross < hi) & (end > lo)
    arrived = (pop.arrival >= lo) & (pop.arrival < hi)
    if lst.eligible == "reached_sk":
        out: B = arrived
    elif lst.eligible == "arrested":
        t = pop.arrest_time
        hit = (t >= lo) & (t < hi)
        out = np.zeros(len(pop), dtype=bool)
        out[pop.arrest_person[hit]] = True
    elif lst.eligible == "in_china":
        out = in_china
    else:
        out = in_china | arrived
    return out


def logit_of(
    lst: ListSettings,
    cov: Mapping[str, F64],
    frailty: npt.NDArray[np.float32],
    captured: Mapping[str, B],
) -> F64:
    """The linear predictor of a list's capture model (see ListSettings)."""
    n = frailty.shape[0]
    eta = np.full(n, lst.intercept, dtype=np.float64)
    for name, beta in lst.effects.items:
        eta += beta * cov[name]
    for d, loading in enumerate(lst.frailty_loadings):
        eta += loading * frailty[:, d].astype(np.float64)
    for name, delta in lst.depends_on.items:
        eta += delta * captured[name]
    return eta


@dataclass(frozen=True, eq=False)
class Capture:
    """Per person: the probability of capture given everything drawn before, and the draw."""

    probability: F64
    captured: B


@dataclass(frozen=True, eq=False)
class ListRecords:
    """The records of one list, in file order (record ``r`` is row ``r``)."""

    name: str
    person: I64
    copy: npt.NDArray[np.int8]  # 0 for a person's first record, 1.. for duplicates
    act: I64  # index into Acts, -1 when the record documents no act
    mother_row: I64  # row of the mother's record in this list, -1
    noise: npt.NDArray[np.float32]  # (records, NOISE_COLUMNS) uniforms for rendering

    def __len__(self) -> int:
        return int(self.person.shape[0])


def capture_all(
    lists: tuple[ListSettings, ...],
    ps: PopulationSettings,
    pop: Population,
    cov: Mapping[str, F64],
    rngs: Mapping[str, np.random.Generator],
) -> dict[str, Capture]:
    out: dict[str, Capture] = {}
    captured: dict[str, B] = {}
    child = pop.pathway == _P["child"]
    kids = np.flatnonzero(child)
    for lst in lists:
        rng = rngs[lst.name]
        ok = eligible(lst, ps, pop)
        eta = logit_of(
            lst, cov, pop.frailty, {k: v.astype(np.float64) for k, v in captured.items()}
        )
        p = np.where(ok & ~child, 1.0 / (1.0 + np.exp(-eta)), 0.0)
        got = rng.random(len(pop)) < p
        # children are recorded with their mothers, never alone
        pk = np.where(ok[kids] & got[pop.mother[kids]], lst.child_capture, 0.0)
        p[kids] = pk
        got[kids] = rng.random(kids.size) < pk
        captured[lst.name] = got
        out[lst.name] = Capture(probability=p, captured=got)
    return out


def _choose_acts(lst: ListSettings, acts: Acts, person: I64, rng: np.random.Generator) -> I64:
    """For each record, one act of its person, by the list's preferences (Gumbel-max)."""
    table = np.zeros(len(violation_codes()), dtype=np.float64)
    for code, w in lst.act_weights.items:
        table[violation_codes().index(code)] = w
    counts = acts.start[person + 1] - acts.start[person]
    total = int(counts.sum())
    out = np.full(person.shape[0], -1, dtype=np.int64)
    if total == 0:
        return out
    rec = np.repeat(np.arange(person.shape[0], dtype=np.int64), counts)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    idx = acts.start[person][rec] + (np.arange(total) - np.repeat(first, counts))
    w = table[acts.code[idx]] * (acts.time[idx] < lst.window[1] + 1)
    with np.errstate(divide="ignore"):
        key = np.log(w) + rng.gumbel(size=total)
    order = np.lexsort((key, rec))
    last = np.cumsum(counts)[counts > 0] - 1
    best = order[last]
    chosen = np.where(np.isfinite(key[best]), idx[best], -1)
    out[counts > 0] = chosen
    return out


def records_for(
    lst: ListSettings,
    pop: Population,
    acts: Acts,
    capture: Capture,
    rng: np.random.Generator,
) -> ListRecords:
    who = np.flatnonzero(capture.captured)
    child = pop.pathway[who] == _P["child"]
    extra = np.minimum(rng.poisson(lst.duplicate_rate, who.size), MAX_EXTRA_RECORDS)
    extra[child] = 0
    reps = 1 + extra
    person = np.repeat(who, reps)
    copy = (np.arange(person.size) - np.repeat(np.cumsum(reps) - reps, reps)).astype(np.int8)
    act = _choose_acts(lst, acts, person, rng)
    order = rng.permutation(person.size)
    person, copy, act = person[order], copy[order], act[order]
    first_row = np.full(len(pop), -1, dtype=np.int64)
    firsts = np.flatnonzero(copy == 0)
    first_row[person[firsts]] = firsts
    mother = pop.mother[person]
    mother_row = np.where(mother >= 0, first_row[np.maximum(mother, 0)], -1)
    noise = rng.random((person.size, NOISE_COLUMNS), dtype=np.float32)
    return ListRecords(
        name=lst.name, person=person, copy=copy, act=act, mother_row=mother_row, noise=noise
    )
