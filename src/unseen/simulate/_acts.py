"""What was done to each person, when, where and by whom: the acts and their perpetrators.

Acts use only the codes of ``violation_types.csv`` and perpetrator types of
``perpetrator_types.csv`` (an unknown code is a :class:`~unseen.errors.ConfigError`).
Perpetrators are shared across victims: brokers, brothel and cybersex operators, employers and
smugglers are drawn from pools per prefecture (a few handle many victims), a buyer usually buys
one woman and sometimes more, and police and DPRK units are one per place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unseen.simulate._population import FATES, Population
from unseen.simulate._settings import PATHWAYS, PopulationSettings
from unseen.simulate._tables import (
    chinese_given_chars,
    chinese_surnames,
    perpetrator_index,
    place_index,
    places,
    prefecture_of,
    violation_index,
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_P = {name: i for i, name in enumerate(PATHWAYS)}
_F = {name: i for i, name in enumerate(FATES)}

# Where people first cross into China, by province of origin (gazetteer notes; NKDB routes,
# facts §7): the Tumen faces North Hamgyong, Changbai faces Hyesan, Ji'an faces Manpo.
_CROSSING = {
    "KP-09": ("222406", "222405", "222402", "222404"),
    "KP-13": ("222404",),
    "KP-10": ("220623", "220681"),
    "KP-04": ("220582", "220681"),
    "KP-03": ("210600", "210681", "210624"),
}
_CROSSING_OTHER = ("222406", "222402", "220623", "210600")
# Border-defence detention facilities that hand people over (NKDB's six routes, facts §7).
_FACILITY = {
    "KP-09": ("222402", "222406", "222405"),
    "KP-13": ("222402",),
    "KP-10": ("220623",),
    "KP-04": ("220582",),
}
_FACILITY_OTHER = ("210600",)
_TRANSIT = ("530100", "532823")  # Kunming, Mengla: the southern route (gazetteer notes)


@dataclass(frozen=True, eq=False)
class Perpetrators:
    ptype: I64  # index into perpetrator_codes()
    place: I64
    cn_surname: I64  # -1 unless a named Chinese man (buyers, brokers)
    cn_given1: I64
    cn_given2: I64

    def __len__(self) -> int:
        return int(self.ptype.shape[0])


@dataclass(frozen=True, eq=False)
class Acts:
    """Acts sorted by person and time; person ``i`` has rows ``start[i]:start[i+1]``."""

    person: I64
    code: I64  # index into violation_codes()
    time: F64
    place: I64
    perp: I64  # -1 when unknown
    ptype: I64  # -1 when no perpetrator type applies
    start: I64

    def __len__(self) -> int:
        return int(self.person.shape[0])


class _Builder:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.parts: list[tuple[I64, I64, F64, I64, I64, I64]] = []
        self.p_type: list[I64] = []
        self.p_place: list[I64] = []
        self.p_named: list[B] = []
        self.n_perps = 0
        self.units: dict[tuple[str, int], int] = {}

    # -- perpetrators ------------------------------------------------------------------------
    def _new(self, ptype: str, place: I64, named: bool) -> I64:
        k = place.shape[0]
        ids = np.arange(self.n_perps, self.n_perps + k, dtype=np.int64)
        self.n_perps += k
        self.p_type.append(np.full(k, perpetrator_index(ptype), dtype=np.int64))
        self.p_place.append(place.astype(np.int64))
        self.p_named.append(np.full(k, named))
        return ids

    def pooled(
        self, ptype: str, group: I64, mean: float, *, named: bool = False, skewed: bool = True
    ) -> I64:
        """Perpetrator id for each victim-role; victims in one place share a pool of
        ``ceil(victims / mean)`` entities, skewed so that a few entities have many victims
        (brokers), or spread evenly (buyers: mostly one woman each, sometimes two)."""
        out = np.full(group.shape[0], -1, dtype=np.int64)
        if group.size == 0:
            return out
        keys, inverse, counts = np.unique(group, return_inverse=True, return_counts=True)
        sizes = np.maximum(1, np.ceil(counts / max(mean, 1e-9))).astype(np.int64)
        offsets = self._new(ptype, np.repeat(keys, sizes), named)[0] + np.concatenate(
            [[0], np.cumsum(sizes)[:-1]]
        )
        if skewed:
            # P(rank < r) = sqrt(r / size): rank 0 is the busiest
            rank = np.floor(sizes[inverse] * self.rng.random(group.size) ** 2).astype(np.int64)
        else:
            # a random order within each place, cut into runs of ``mean`` victims
            order = np.lexsort((self.rng.random(group.size), inverse))
            pos = np.empty(group.size, dtype=np.int64)
            first = np.concatenate([[0], np.cumsum(counts)[:-1]])
            pos[order] = np.arange(group.size) - np.repeat(first, counts)
            rank = np.floor(pos / max(mean, 1e-9)).astype(np.int64)
        out[:] = offsets[inverse] + np.minimum(rank, sizes[inverse] - 1)
        return out

    def unit(self, ptype: str, place: I64) -> I64:
        """One perpetrator (a police unit, a holding centre) per place."""
        if place.size == 0:
            return np.zeros(0, dtype=np.int64)
        keys, inverse = np.unique(place, return_inverse=True)
        fresh = [int(k) for k in keys if (ptype, int(k)) not in self.units]
        if fresh:
            new_ids = self._new(ptype, np.array(fresh, dtype=np.int64), False)
            self.units.update(zip(((ptype, k) for k in fresh), new_ids.tolist(), strict=True))
        ids = np.array([self.units[(ptype, int(k))] for k in keys], dtype=np.int64)
        out: I64 = ids[inverse]
        return out

    # -- acts ---------------------------------------------------------------------------------
    def add(
        self,
        person: I64,
        code: str,
        time: F64,
        place: I64,
        perp: I64 | None = None,
        ptype: str | I64 | None = None,
    ) -> None:
        k = person.shape[0]
        if k == 0:
            return
        if isinstance(ptype, str):
            pt = np.full(k, perpetrator_index(ptype), dtype=np.int64)
        elif ptype is None:
            pt = np.full(k, -1, dtype=np.int64)
        else:
            pt = ptype
        pp = np.full(k, -1, dtype=np.int64) if perp is None else perp
        self.parts.append(
            (
                person.astype(np.int64),
                np.full(k, violation_index(code), dtype=np.int64),
                time.astype(np.float64),
                place.astype(np.int64),
                pp,
                pt,
            )
        )

    def maybe(self, people: I64, p: float) -> I64:
        out: I64 = people[self.rng.random(people.size) < p]
        return out


def _choose(rng: np.random.Generator, options: tuple[str, ...], k: int) -> I64:
    idx = np.array([place_index(c) for c in options], dtype=np.int64)
    out: I64 = idx[rng.integers(0, idx.size, k)]
    return out


def _by_origin(
    rng: np.random.Generator,
    origin_prov: I64,
    table: dict[str, tuple[str, ...]],
    other: tuple[str, ...],
) -> I64:
    out = _choose(rng, other, origin_prov.size)
    for iso, options in table.items():
        sel = np.flatnonzero(origin_prov == place_index(iso))
        out[sel] = _choose(rng, options, sel.size)
    return out


def _named_perps(rng: np.random.Generator, named: B) -> tuple[I64, I64, I64]:
    n = named.shape[0]
    cs = chinese_surnames()
    cg = chinese_given_chars("M")
    sur = np.where(named, rng.choice(len(cs.hanzi), n, p=cs.share), -1)
    g1 = np.where(named, rng.choice(len(cg.hanzi), n, p=cg.weight), -1)
    two = named & (rng.random(n) < 0.55)  # [model] about half of men's given names have 2 chars
    g2 = np.where(two, rng.choice(len(cg.hanzi), n, p=cg.weight), -1)
    return sur.astype(np.int64), g1.astype(np.int64), g2.astype(np.int64)


@dataclass(frozen=True, eq=False)
class ActsResult:
    acts: Acts
    perpetrators: Perpetrators
    buyer: I64  # per person: the buyer ("husband") perpetrator, -1 if none


def build_acts(ps: PopulationSettings, pop: Population, rng: np.random.Generator) -> ActsResult:
    b = _Builder(rng)
    pl = places()
    pref = prefecture_of()
    n = len(pop)
    prob = ps.act_probability
    pool = ps.perpetrator_pool
    end_t = float(ps.end_year + 1)
    end = np.minimum(pop.exit, end_t)
    adult = np.flatnonzero(pop.pathway != _P["child"])
    origin_prov = np.where(pop.origin >= 0, pl.province[np.maximum(pop.origin, 0)], -1)
    china_pref = pref[np.maximum(pop.china, 0)]

    # -- crossing: broker fees, deception by DPRK-side brokers --------------------------------
    trafficked = np.flatnonzero(
        np.isin(pop.pathway, [_P[k] for k in ("marriage", "prostitution", "cybersex")])
    )
    deceived = b.maybe(trafficked, ps.kp_broker_share)
    paid = np.union1d(b.maybe(adult, prob["crossing"].get("EXTORT")), deceived)
    kp_broker = np.full(n, -1, dtype=np.int64)
    kp_broker[paid] = b.pooled("BROKER-KP", origin_prov[paid], pool.get("BROKER-KP", 6.0))
    t_pre = pop.cross[deceived] - rng.uniform(0.0, 0.2, deceived.size)
    b.add(deceived, "TIP.DECEPT", t_pre, pop.origin[deceived], kp_broker[deceived], "BROKER-KP")
    extorted = np.setdiff1d(paid, deceived)
    b.add(
        extorted,
        "EXTORT",
        pop.cross[extorted],
        pop.origin[extorted],
        kp_broker[extorted],
        "BROKER-KP",
    )

    # -- sales ----------------------------------------------------------------------------------
    border = _by_origin(rng, origin_prov[trafficked], _CROSSING, _CROSSING_OTHER)
    ring = rng.random(trafficked.size) < 0.2  # [model] organised rings rather than lone brokers
    broker1 = np.where(
        ring,
        b.pooled(
            "TRAFFICKING-RING",
            np.zeros(trafficked.size, dtype=np.int64),
            pool.get("TRAFFICKING-RING", 40.0),
        ),
        b.pooled("BROKER-CN", pref[border], pool.get("BROKER-CN", 10.0), named=True),
    )
    ring_t = np.where(ring, perpetrator_index("TRAFFICKING-RING"), perpetrator_index("BROKER-CN"))
    ring_t = ring_t.astype(np.int64)
    abducted = rng.random(trafficked.size) < prob["sale"].get("TIP.ABDUCT")
    ab = trafficked[abducted]
    b.add(
        ab,
        "TIP.ABDUCT",
        pop.first_sale[ab] - 0.01,
        border[abducted],
        broker1[abducted],
        ring_t[abducted],
    )
    b.add(trafficked, "TIP.SALE", pop.first_sale[trafficked], border, broker1, ring_t)
    resold = trafficked[~np.isnan(pop.second_sale[trafficked])]
    broker2 = b.pooled("BROKER-CN", china_pref[resold], pool.get("BROKER-CN", 10.0), named=True)
    b.add(resold, "TIP.SALE", pop.second_sale[resold], pop.china[resold], broker2, "BROKER-CN")
    exploit_t = np.where(np.isnan(pop.second_sale), pop.first_sale, pop.second_sale)

    # -- exploitation by pathway -------------------------------------------------------------
    buyer = np.full(n, -1, dtype=np.int64)
    wives = np.flatnonzero(pop.pathway == _P["marriage"])
    buyer[wives] = b.pooled(
        "BUYER-HUSBAND",
        china_pref[wives],
        pool.get("BUYER-HUSBAND", 1.05),
        named=True,
        skewed=False,
    )
    # one buyer's family per buyer, living where he does
    ub, inv = np.unique(buyer[wives], return_inverse=True)
    fam_ids = b._new("BUYER-FAMILY", pop.china[wives][np.unique(inv, return_index=True)[1]], False)
    family = fam_ids[inv] if wives.size else np.zeros(0, dtype=np.int64)

    def during(people: I64, start: F64, span: float = 3.0) -> F64:
        stop = np.minimum(end[people], start + span)
        out: F64 = start + rng.random(people.size) * np.clip(stop - start, 0.0, None)
        return out

    b.add(wives, "FMAR", exploit_t[wives], pop.china[wives], buyer[wives], "BUYER-HUSBAND")
    for code, p in prob["marriage"].items:
        sel = rng.random(wives.size) < p
        who = wives[sel]
        by_family = sel & (rng.random(wives.size) < (0.6 if code == "FLAB" else 0.3))
        perp = np.where(by_family[sel], family[sel], buyer[who])
        ptype = np.where(
            by_family[sel], perpetrator_index("BUYER-FAMILY"), perpetrator_index("BUYER-HUSBAND")
        ).astype(np.int64)
        b.add(who, code, during(who, exploit_t[who]), pop.china[who], perp, ptype)
    for path, ptype_name in (
        ("prostitution", "BROTHEL-OPERATOR"),
        ("cybersex", "CYBERSEX-OPERATOR"),
    ):
        who_all = np.flatnonzero(pop.pathway == _P[path])
        op = b.pooled(ptype_name, china_pref[who_all], pool.get(ptype_name, 8.0))
        main = "FPROST" if path == "prostitution" else "CYBERSEX"
        b.add(who_all, main, exploit_t[who_all], pop.china[who_all], op, ptype_name)
        for code, p in prob[path].items:
            sel = rng.random(who_all.size) < p
            who = who_all[sel]
            b.add(who, code, during(who, exploit_t[who]), pop.china[who], op[sel], ptype_name)
    # exploitation of girls (facts §3: victims as young as 9 in cybersex)
    minors = trafficked[(exploit_t[trafficked] - pop.birth[trafficked]) < 18.0]
    b.add(minors, "CHILD-SEX", exploit_t[minors], pop.china[minors], None, None)
    workers = np.flatnonzero(pop.pathway == _P["work"])
    emp = b.pooled("EMPLOYER", china_pref[workers], pool.get("EMPLOYER", 3.0))
    for code, p in prob["work"].items:
        sel = rng.random(workers.size) < p
        who = workers[sel]
        b.add(who, code, during(who, pop.cross[who] + 0.1), pop.china[who], emp[sel], "EMPLOYER")
    docs = wives[rng.random(wives.size) < ps.chinese_alias.get("marriage")]
    b.add(
        docs,
        "DOCS",
        during(docs, exploit_t[docs] + 0.5),
        pop.china[docs],
        buyer[docs],
        "BUYER-HUSBAND",
    )

    # -- leaving for South Korea or a third country ------------------------------------------
    movers = np.flatnonzero(pop.southern_route & (pop.pathway != _P["child"]))
    sel = rng.random(movers.size) < prob["transit"].get("EXTORT")
    who = movers[sel]
    smug = b.pooled(
        "SMUGGLER-TRANSIT", np.zeros(who.size, dtype=np.int64), pool.get("SMUGGLER-TRANSIT", 15.0)
    )
    b.add(
        who,
        "EXTORT",
        pop.exit[who] - rng.uniform(0.0, 0.1, who.size),
        _choose(rng, _TRANSIT, who.size),
        smug,
        "SMUGGLER-TRANSIT",
    )

    # -- arrest, forced return and punishment -------------------------------------------------
    ap = pop.arrest_person
    a_place = pop.china[ap]
    border_unit = rng.random(ap.size) < 0.3
    psb = b.unit("CN-PSB", pref[a_place])
    bdu_place = _by_origin(rng, origin_prov[ap], _FACILITY, _FACILITY_OTHER)
    bdu = b.unit("CN-BORDER-DEFENCE", bdu_place)
    b.add(
        ap,
        "ARREST",
        pop.arrest_time,
        a_place,
        np.where(border_unit, bdu, psb),
        np.where(
            border_unit, perpetrator_index("CN-BORDER-DEFENCE"), perpetrator_index("CN-PSB")
        ).astype(np.int64),
    )
    b.add(ap, "REFOUL", pop.return_time, bdu_place, bdu, "CN-BORDER-DEFENCE")
    prov = origin_prov[ap]
    units = {
        "KP-MSS": b.unit("KP-MSS", prov),
        "KP-MPS": b.unit("KP-MPS", prov),
        "KP-DETENTION-STAFF": b.unit("KP-DETENTION-STAFF", prov),
        "KP-PROSECUTOR-COURT": b.unit("KP-PROSECUTOR-COURT", prov),
    }
    by_code = {
        "TORT": "KP-MSS",
        "TORT.SEARCH": "KP-DETENTION-STAFF",
        "TORT.ABORT": "KP-DETENTION-STAFF",
        "IMPRIS": "KP-MPS",
        "EXIT": "KP-PROSECUTOR-COURT",
        "PERSEC": "KP-MSS",
        "KILL": "KP-DETENTION-STAFF",
    }
    women = pop.sex[ap] == 1
    partnered = np.isin(pop.pathway[ap], [_P["marriage"], _P["prostitution"]])
    for code, p in prob["return"].items:
        sel = rng.random(ap.size) < p
        if code == "TORT.SEARCH":
            sel &= women
        elif code == "TORT.ABORT":
            sel &= women & partnered
        unit_name = by_code.get(code, "KP-MSS")
        t = pop.return_time[sel] + rng.uniform(0.0, 0.5, int(sel.sum()))
        b.add(ap[sel], code, t, prov[sel], units[unit_name][sel], unit_name)

    # -- deaths in China -----------------------------------------------------------------------
    dead = np.flatnonzero(pop.fate == _F["died"])
    killed = b.maybe(dead, prob["death"].get("KILL"))
    by_buyer = (buyer[killed] >= 0) & (rng.random(killed.size) < 0.5)
    b.add(
        killed,
        "KILL",
        pop.exit[killed],
        pop.china[killed],
        np.where(by_buyer, buyer[killed], -1),
        np.where(by_buyer, perpetrator_index("BUYER-HUSBAND"), perpetrator_index("UNKNOWN")),
    )

    # -- children born in China ----------------------------------------------------------------
    kids = np.flatnonzero(pop.pathway == _P["child"])
    unreg = b.maybe(kids, prob["child"].get("BIRTHREG"))
    b.add(
        unreg,
        "BIRTHREG",
        pop.birth[unreg] + rng.uniform(0.0, 1.0, unreg.size),
        pop.china[unreg],
        b.unit("CN-PSB", pref[pop.china[unreg]]),
        "CN-PSB",
    )
    mom = pop.mother[kids]
    left = kids[np.isfinite(pop.exit[mom]) & ~np.isfinite(pop.exit[kids]) & (pop.exit[mom] < end_t)]
    lm = pop.mother[left]
    by_police = pop.fate[lm] == _F["repatriated"]
    sep_perp = np.where(by_police, b.unit("CN-PSB", pref[pop.china[left]]), buyer[lm])
    sep_type = np.where(
        by_police, perpetrator_index("CN-PSB"), perpetrator_index("BUYER-HUSBAND")
    ).astype(np.int64)
    b.add(left, "FAMSEP", pop.exit[lm], pop.china[left], sep_perp, sep_type)
    b.add(lm, "FAMSEP", pop.exit[lm], pop.china[left], sep_perp, sep_type)

    acts = _assemble(b, n, end_t)
    named = np.concatenate(b.p_named) if b.p_named else np.zeros(0, dtype=bool)
    sur, g1, g2 = _named_perps(rng, named)
    perps = Perpetrators(
        ptype=np.concatenate(b.p_type) if b.p_type else np.zeros(0, dtype=np.int64),
        place=np.concatenate(b.p_place) if b.p_place else np.zeros(0, dtype=np.int64),
        cn_surname=sur,
        cn_given1=g1,
        cn_given2=g2,
    )
    return ActsResult(acts=acts, perpetrators=perps, buyer=buyer)


def _assemble(b: _Builder, n: int, end_t: float) -> Acts:
    cols = [np.concatenate([p[i] for p in b.parts]) for i in range(6)]
    person, code, time, place, perp, ptype = cols
    keep = time < end_t  # acts after the simulated period are not part of it
    person, code, time, place, perp, ptype = (
        c[keep] for c in (person, code, time, place, perp, ptype)
    )
    # by person, then time (to about five minutes), as one int64 key: far faster than lexsort
    # on tens of millions of acts, and as deterministic
    tick = np.clip(np.round((time - 1900.0) * 1e5), 0, 2**24 - 1).astype(np.int64)
    order = np.argsort((person << 24) | tick)
    person, code, time, place, perp, ptype = (
        c[order] for c in (person, code, time, place, perp, ptype)
    )
    start = np.searchsorted(person, np.arange(n + 1, dtype=np.int64), side="left")
    return Acts(
        person=person,
        code=code,
        time=time,
        place=place,
        perp=perp,
        ptype=ptype,
        start=start.astype(np.int64),
    )
