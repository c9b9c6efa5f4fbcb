"""The hidden population: who crossed, when, from where, to where, and how their stay ended.

Everything is columnar (one numpy array per attribute) so that millions of people cost seconds.
Times are decimal years (2009.5 = early July 2009). The generative steps, in order:

1. arrivals in South Korea by year and sex are the MOU counts times ``scale``; each arrival's
   time in China is a "direct" transit (months) or a long residence (log-normal), which fixes
   the crossing time;
2. everyone else ("stayers") crosses as the crossing schedule minus the arrivals' crossings;
3. women are trafficked (marriage, prostitution, cybersex) or work or pass through; ages,
   origins and places in China follow the pathway;
4. stayers leave China by competing risks (final forced return, voluntary return, death, a third
   country) or are still there at the end; everyone is arrested and returned, and crosses again,
   at the arrest rate of the year;
5. women sold as wives bear children in China, linked to them, who may follow their mothers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unseen.simulate._settings import PATHWAYS, PopulationSettings
from unseen.simulate._tables import kp_counties_by_province, place_index, places

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
B = npt.NDArray[np.bool_]

FATES: tuple[str, ...] = (
    "in_china",
    "reached_sk",
    "third_country",
    "repatriated",
    "returned",
    "died",
)
GROUPS: tuple[str, ...] = ("direct", "resident", "stayer", "child")
SEXES: tuple[str, ...] = ("M", "F")
_P = {name: i for i, name in enumerate(PATHWAYS)}
_F = {name: i for i, name in enumerate(FATES)}
_G = {name: i for i, name in enumerate(GROUPS)}
MAX_ARRESTS = 4  # arrests per person, the final one included


@dataclass(frozen=True, eq=False)
class Population:
    """One row per person (index ``i``); ``exit`` is ``inf`` for people still in China.

    ``arrest_time[k]`` belongs to person ``arrest_person[k]``; ``arrest_final`` marks the arrest
    that ended a stay (a forced return without a new crossing) and ``return_time`` when the
    person was handed over to the DPRK (the mass return of October 2023 for some).
    """

    key: I64  # opaque number behind person_id
    sex: I8  # 0 = M, 1 = F
    birth: F64
    group: I8
    pathway: I8
    fate: I8
    cross: F64  # first crossing (for children: birth)
    exit: F64  # left China (inf: still there at the end)
    arrival: F64  # arrival in South Korea (nan otherwise)
    origin: I64  # place index (KP), -1 for children born in China
    china: I64  # main place in China (CN)
    first_sale: F64  # nan unless trafficked
    second_sale: F64  # nan unless sold again
    southern_route: B
    mother: I64  # -1 unless born in China
    n_children: I64
    frailty: npt.NDArray[np.float32]  # (n, frailty_dims)
    arrest_person: I64
    arrest_time: F64
    arrest_final: B
    return_time: F64
    mass_return: B  # per arrest

    def __len__(self) -> int:
        return int(self.sex.shape[0])

    @property
    def n_arrests(self) -> I64:
        return np.bincount(self.arrest_person, minlength=len(self)).astype(np.int64)

    def stay_end(self, end_year: int) -> F64:
        out: F64 = np.minimum(self.exit, float(end_year + 1))
        return out


def _round_stochastic(rng: np.random.Generator, x: float) -> int:
    base = int(np.floor(x))
    return base + int(rng.random() < x - base)


def _trunc_normal(rng: np.random.Generator, mean: F64, sd: F64, lo: F64, hi: F64) -> F64:
    out = rng.normal(mean, sd)
    for _ in range(20):
        bad = (out < lo) | (out > hi)
        if not bad.any():
            break
        out[bad] = rng.normal(mean[bad], sd[bad])
    out = np.clip(out, lo, hi)
    return out


def _categorical(rng: np.random.Generator, probs: F64) -> I64:
    """One draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(int(probs.shape[0]))[:, None] * cum[:, -1:]
    idx: I64 = (u >= cum).sum(axis=1).astype(np.int64)
    out: I64 = np.minimum(idx, int(probs.shape[1]) - 1)
    return out


def _arrivers(ps: PopulationSettings, rng: np.random.Generator) -> tuple[I8, F64, F64, F64, I8]:
    sex: list[int] = []
    arrival: list[float] = []
    for year, men, women in ps.arrivals:
        if not ps.start_year <= year <= ps.end_year:
            continue
        for s, count in ((0, men), (1, women)):
            k = _round_stochastic(rng, count * ps.scale)
            sex.extend([s] * k)
            arrival.extend((year + rng.random(k)).tolist())
    arr = np.array(arrival, dtype=np.float64)
    n = arr.shape[0]
    direct = rng.random(n) < ps.direct_share.values(np.floor(arr))
    transit = rng.uniform(0.02, 0.25, n)  # through a third country to Seoul
    t_exit = arr - transit
    delay = np.where(
        direct,
        rng.uniform(0.05, ps.direct_max_years, n),
        rng.lognormal(np.log(ps.resident_median_years), ps.resident_sigma, n),
    )
    cross = t_exit - delay
    early = cross < ps.start_year
    cross[early] = ps.start_year + rng.random(int(early.sum())) * (t_exit[early] - ps.start_year)
    group = np.where(direct, _G["direct"], _G["resident"]).astype(np.int8)
    return np.array(sex, dtype=np.int8), cross, t_exit, arr, group


def _stayers(
    ps: PopulationSettings, rng: np.random.Generator, a_sex: I8, a_cross: F64
) -> tuple[I8, F64]:
    sex: list[npt.NDArray[np.int8]] = []
    cross: list[F64] = []
    a_year = np.floor(a_cross).astype(np.int64)
    for year in range(ps.start_year, ps.end_year + 1):
        total = ps.crossings.at(year) * ps.scale
        in_year = a_year == year
        expected = max(total - float(in_year.sum()), 0.0)
        women_target = ps.women_share.at(year) * total - float((a_sex[in_year] == 1).sum())
        share_w = min(max(women_target / expected, 0.0), 1.0) if expected > 0 else 0.0
        k = int(rng.poisson(expected))
        sex.append((rng.random(k) < share_w).astype(np.int8))
        cross.append(year + rng.random(k))
    return np.concatenate(sex), np.concatenate(cross)


def _pathways(
    ps: PopulationSettings, rng: np.random.Generator, sex: I8, group: I8, cross: F64
) -> I8:
    n = sex.shape[0]
    share = np.array([ps.trafficked_share.get(g) for g in GROUPS], dtype=np.float64)
    trafficked = (sex == 1) & (rng.random(n) < share[group])
    split_keys = ("marriage", "prostitution", "cybersex")
    kind = _categorical(rng, ps.trafficking_split.matrix(np.floor(cross), split_keys))
    path = np.where(group == _G["direct"], _P["transit"], _P["work"]).astype(np.int8)
    codes = np.array([_P[k] for k in split_keys], dtype=np.int8)
    path[trafficked] = codes[kind[trafficked]]
    return path


def _ages(ps: PopulationSettings, rng: np.random.Generator, sex: I8, path: I8) -> F64:
    trafficked = np.isin(path, [_P["marriage"], _P["prostitution"], _P["cybersex"]])
    kind = np.where(trafficked, 0, np.where(sex == 1, 1, 2))
    table = np.array(
        [ps.age_at_crossing[k] for k in ("trafficked", "women", "men")], dtype=np.float64
    )
    p = table[kind]
    return _trunc_normal(rng, p[:, 0], p[:, 1], p[:, 2], p[:, 3])


def _origins(ps: PopulationSettings, rng: np.random.Generator, cross: F64) -> I64:
    keys = ps.origin.keys()
    prov_idx = np.array([place_index(k) for k in keys], dtype=np.int64)
    prov = prov_idx[_categorical(rng, ps.origin.matrix(np.floor(cross), keys))]
    out = prov.copy()
    pl = places()
    for p, counties in kp_counties_by_province().items():
        sel = np.flatnonzero(prov == p)
        if sel.size == 0:
            continue
        w = np.array([ps.origin_county.get(pl.names["hangul_n"][c], 1.0) for c in counties])
        out[sel] = np.array(counties, dtype=np.int64)[
            rng.choice(len(counties), size=sel.size, p=w / w.sum())
        ]
    return out


def _china_places(ps: PopulationSettings, rng: np.random.Generator, path: I8) -> I64:
    out = np.full(path.shape[0], -1, dtype=np.int64)
    for name, weights in ps.china_places.items():
        sel = np.flatnonzero(path == _P[name])
        if sel.size == 0:
            continue
        idx = np.array([place_index(k) for k in weights.keys()], dtype=np.int64)
        out[sel] = idx[rng.choice(idx.size, size=sel.size, p=weights.probabilities())]
    return out


@dataclass(frozen=True)
class _Stays:
    exit: F64
    fate: I8
    arrest_person: I64
    arrest_time: F64
    arrest_final: B


def _stays(
    ps: PopulationSettings,
    rng: np.random.Generator,
    cross: F64,
    exit_known: F64,
    path: I8,
    stayer: B,
) -> _Stays:
    """Competing risks for stayers, and arrests for everyone, one calendar year at a time."""
    n = cross.shape[0]
    mult = np.array([ps.arrest_multiplier.get(p, 1.0) for p in PATHWAYS])[path]
    exit_ = exit_known.copy()
    fate = np.where(stayer, _F["in_china"], _F["reached_sk"]).astype(np.int8)
    persons: list[I64] = []
    times: list[F64] = []
    finals: list[B] = []
    open_ = stayer.copy()  # stayers whose exit is not yet drawn
    exit_[stayer] = np.inf
    causes = (_F["repatriated"], _F["returned"], _F["died"], _F["third_country"])
    for year in range(ps.start_year, ps.end_year + 1):
        y0, y1 = float(year), float(year + 1)
        start = np.maximum(cross, y0)
        h_arrest = ps.arrest_hazard.at(year) * mult
        recross = ps.recross_prob.at(year)
        # stayers: first the end of their stay within this year, if any
        s = np.flatnonzero(open_ & (cross < y1))
        if s.size:
            hz = np.stack(
                [
                    h_arrest[s] * (1.0 - recross),
                    np.full(s.size, ps.return_hazard.at(year)),
                    np.full(s.size, ps.death_hazard),
                    np.full(s.size, ps.third_country_hazard.at(year)),
                ],
                axis=1,
            )
            lam = hz.sum(axis=1)
            expo = y1 - start[s]
            p_exit = 1.0 - np.exp(-lam * expo)
            leave = rng.random(s.size) < p_exit
            if leave.any():
                li = s[leave]
                u = rng.random(li.size)
                lam_l = lam[leave]
                dt = -np.log1p(-u * p_exit[leave]) / np.where(lam_l > 0, lam_l, 1.0)
                exit_[li] = start[li] + np.minimum(dt, expo[leave])
                cause = _categorical(rng, hz[leave] / lam_l[:, None])
                fate[li] = np.array(causes, dtype=np.int8)[cause]
                open_[li] = False
                final = li[fate[li] == _F["repatriated"]]
                persons.append(final)
                times.append(exit_[final])
                finals.append(np.ones(final.size, dtype=bool))
        # arrests followed by a new crossing, for everyone present this year
        end = np.minimum(exit_, y1)
        expo_all = np.clip(end - start, 0.0, None)
        rate = h_arrest * expo_all
        rate[stayer] *= recross
        k = rng.poisson(rate)
        who = np.repeat(np.arange(n, dtype=np.int64), k)
        if who.size:
            persons.append(who)
            times.append(start[who] + rng.random(who.size) * expo_all[who])
            finals.append(np.zeros(who.size, dtype=bool))
    a_person = np.concatenate(persons) if persons else np.zeros(0, dtype=np.int64)
    a_time = np.concatenate(times) if times else np.zeros(0)
    a_final = np.concatenate(finals) if finals else np.zeros(0, dtype=bool)
    order = np.lexsort((a_time, a_person))
    a_person, a_time, a_final = a_person[order], a_time[order], a_final[order]
    # at most MAX_ARRESTS per person: keep the final arrest and the earliest others
    rank = np.arange(a_person.size) - np.searchsorted(a_person, a_person, side="left")
    count = np.bincount(a_person, minlength=n)[a_person]
    keep = a_final | (rank < MAX_ARRESTS - 1) | (count <= MAX_ARRESTS)
    return _Stays(exit_, fate, a_person[keep], a_time[keep], a_final[keep])


def build_population(
    ps: PopulationSettings, rng: np.random.Generator, frailty_dims: int
) -> Population:
    a_sex, a_cross, a_exit, a_arrival, a_group = _arrivers(ps, rng)
    s_sex, s_cross = _stayers(ps, rng, a_sex, a_cross)
    ns = s_sex.size
    sex = np.concatenate([a_sex, s_sex])
    cross = np.concatenate([a_cross, s_cross])
    group = np.concatenate([a_group, np.full(ns, _G["stayer"], dtype=np.int8)])
    arrival = np.concatenate([a_arrival, np.full(ns, np.nan)])
    exit_known = np.concatenate([a_exit, np.full(ns, np.inf)])
    stayer = group == _G["stayer"]
    path = _pathways(ps, rng, sex, group, cross)
    birth = cross - _ages(ps, rng, sex, path)
    origin = _origins(ps, rng, cross)
    china = _china_places(ps, rng, path)
    stays = _stays(ps, rng, cross, exit_known, path, stayer)
    exit_ = stays.exit
    end = np.minimum(exit_, float(ps.end_year + 1))
    n = sex.size

    trafficked = np.isin(path, [_P["marriage"], _P["prostitution"], _P["cybersex"]])
    first_sale = np.full(n, np.nan)
    t = np.flatnonzero(trafficked)
    # facts §3: many are sexually exploited within a year of leaving the North
    first_sale[t] = np.minimum(cross[t] + rng.exponential(0.3, t.size), end[t] - 1e-3)
    second_sale = np.full(n, np.nan)
    resold = t[rng.random(t.size) < ps.resale_prob]
    later = first_sale[resold] + rng.uniform(0.5, 3.0, resold.size)
    ok = later < end[resold]
    second_sale[resold[ok]] = later[ok]
    southern = (~stayer | (stays.fate == _F["third_country"])) & (rng.random(n) < 0.7)
    southern &= cross > 2003  # [model] the Southeast Asian route took over in the 2000s

    # -- children born in China to women sold as wives ---------------------------------------
    wives = np.flatnonzero(path == _P["marriage"])
    m_start = np.maximum(first_sale[wives] + 0.75, birth[wives] + 16)
    m_end = np.minimum(end[wives], birth[wives] + 42)
    dur = np.clip(m_end - m_start, 0.0, None)
    kids = np.minimum(rng.poisson(ps.child_rate * dur), ps.max_children)
    mother = np.repeat(wives, kids)
    nc = mother.size
    c_birth = np.repeat(m_start, kids) + rng.random(nc) * np.repeat(dur, kids)
    follows = (stays.fate[mother] == _F["reached_sk"]) & (rng.random(nc) < ps.child_with_mother)
    c_exit = np.where(follows, exit_[mother], np.inf)
    c_fate = np.where(follows, _F["reached_sk"], _F["in_china"]).astype(np.int8)
    c_arrival = np.where(follows, arrival[mother], np.nan)
    n_children = np.bincount(mother, minlength=n).astype(np.int64)

    frailty = rng.standard_normal((n, frailty_dims)).astype(np.float32)
    c_frailty = (
        0.7 * frailty[mother] + np.sqrt(1 - 0.49) * rng.standard_normal((nc, frailty_dims))
    ).astype(np.float32)
    total = n + nc
    key = rng.permutation(total).astype(np.int64)
    mass = _mass(ps, rng, stays)
    # [model] handed over within weeks to months of the arrest, or on the day of a mass return
    ret = stays.arrest_time + rng.uniform(0.03, 0.3, stays.arrest_time.size)
    ret[mass] = mass_return_time(ps)
    return Population(
        key=key,
        sex=np.concatenate([sex, rng.integers(0, 2, nc).astype(np.int8)]),
        birth=np.concatenate([birth, c_birth]),
        group=np.concatenate([group, np.full(nc, _G["child"], dtype=np.int8)]),
        pathway=np.concatenate([path, np.full(nc, _P["child"], dtype=np.int8)]),
        fate=np.concatenate([stays.fate, c_fate]),
        cross=np.concatenate([cross, c_birth]),
        exit=np.concatenate([exit_, c_exit]),
        arrival=np.concatenate([arrival, c_arrival]),
        origin=np.concatenate([origin, np.full(nc, -1, dtype=np.int64)]),
        china=np.concatenate([china, china[mother]]),
        first_sale=np.concatenate([first_sale, np.full(nc, np.nan)]),
        second_sale=np.concatenate([second_sale, np.full(nc, np.nan)]),
        southern_route=np.concatenate([southern, np.zeros(nc, dtype=bool)]),
        mother=np.concatenate([np.full(n, -1, dtype=np.int64), mother]),
        n_children=np.concatenate([n_children, np.zeros(nc, dtype=np.int64)]),
        frailty=np.concatenate([frailty, c_frailty]),
        arrest_person=stays.arrest_person,
        arrest_time=stays.arrest_time,
        arrest_final=stays.arrest_final,
        return_time=ret,
        mass_return=mass,
    )


def _mass(ps: PopulationSettings, rng: np.random.Generator, stays: _Stays) -> B:
    lo, hi, share = ps.mass_return
    held = stays.arrest_final & (stays.arrest_time >= lo) & (stays.arrest_time < hi)
    out: B = held & (rng.random(held.size) < share)
    return out


def mass_return_time(ps: PopulationSettings) -> float:
    y, m, d = (int(x) for x in ps.mass_return_day.split("-"))
    return y + (m - 1) / 12 + (d - 1) / 365
