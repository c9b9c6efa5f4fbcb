"""Synthetic names for the population, as table indices (strings are made only when written).

Korean names: a surname by its census share and a given name of two syllables (or one listed
full name) drawn by weight among those fitting the person's sex and birth cohort. Resettled
people may take a new given name in South Korea. Some women (and a few men) carry a Chinese
identity: a Chinese surname with either the Mandarin reading of their own given-name hanja or
common Chinese given-name characters. Children born in China carry their father's (the
buyer's) Chinese surname and, for Korean-language records, their mother's Korean surname.
All names are synthetic: independent draws from syllable and surname tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from unseen.simulate._acts import ActsResult
from unseen.simulate._population import Population
from unseen.simulate._settings import PATHWAYS, PopulationSettings
from unseen.simulate._tables import (
    chinese_given_chars,
    chinese_surnames,
    given_names,
    korean_surnames,
    violation_index,
)

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
_P = {name: i for i, name in enumerate(PATHWAYS)}
_COHORT_SLACK = 5  # years a syllable's cohort is stretched when nothing else fits


@dataclass(frozen=True, eq=False)
class Names:
    surname: I64  # korean_surnames() index
    given: I64  # given_names() index
    sk_given: I64  # new given name taken in South Korea, -1 if none
    cn_surname: I64  # chinese_surnames() index of a Chinese identity, -1 if none
    cn_given1: I64  # chinese_given_chars(sex) index, -1 if none
    cn_given2: I64
    cn_own_given: B  # the Chinese identity keeps the Mandarin reading of the given hanja


def _draw_given(rng: np.random.Generator, sex: npt.NDArray[np.int8], birth_year: I64) -> I64:
    g = given_names()
    out = np.zeros(sex.shape[0], dtype=np.int64)
    bins = (birth_year // 5) * 5
    for s in (0, 1):
        ok_sex = g.female if s == 1 else g.male
        for b in np.unique(bins[sex == s]):
            sel = np.flatnonzero((sex == s) & (bins == b))
            mid = int(b) + 2
            fits = ok_sex & (g.cohort_lo <= mid) & (g.cohort_hi >= mid)
            if not fits.any():
                fits = (
                    ok_sex
                    & (g.cohort_lo - _COHORT_SLACK <= mid)
                    & (g.cohort_hi + _COHORT_SLACK >= mid)
                )
            if not fits.any():
                fits = ok_sex
            w = np.where(fits, g.weight, 0.0)
            out[sel] = rng.choice(w.size, size=sel.size, p=w / w.sum())
    return out


def _draw_chars(rng: np.random.Generator, sex: npt.NDArray[np.int8], who: I64) -> tuple[I64, I64]:
    g1 = np.full(sex.shape[0], -1, dtype=np.int64)
    g2 = np.full(sex.shape[0], -1, dtype=np.int64)
    for s, key in ((0, "M"), (1, "F")):
        sel = who[sex[who] == s]
        chars = chinese_given_chars(key)
        g1[sel] = rng.choice(len(chars.hanzi), sel.size, p=chars.weight)
        two = sel[rng.random(sel.size) < 0.55]
        g2[two] = rng.choice(len(chars.hanzi), two.size, p=chars.weight)
        same = two[g2[two] == g1[two]]
        g2[same] = -1  # 丽丽-style doubled names exist but are not modelled
    return g1, g2


def build_names(
    ps: PopulationSettings, pop: Population, acts: ActsResult, rng: np.random.Generator
) -> Names:
    n = len(pop)
    ks = korean_surnames()
    cs = chinese_surnames()
    child = pop.pathway == _P["child"]
    surname = rng.choice(len(ks.hangul_n), n, p=ks.share).astype(np.int64)
    kids = np.flatnonzero(child)
    surname[kids] = surname[pop.mother[kids]]
    birth_year = np.floor(pop.birth).astype(np.int64)
    given = _draw_given(rng, pop.sex, birth_year)
    sk = np.flatnonzero(np.isfinite(pop.arrival) & ~child)
    renamed = sk[rng.random(sk.size) < ps.new_name_in_sk]
    sk_given = np.full(n, -1, dtype=np.int64)
    sk_given[renamed] = _draw_given(rng, pop.sex[renamed], birth_year[renamed])
    same = renamed[sk_given[renamed] == given[renamed]]
    sk_given[same] = -1

    alias_p = np.array([ps.chinese_alias.get(p) for p in PATHWAYS])[pop.pathway]
    has_alias = (rng.random(n) < alias_p) & ~child
    # the marriage pathway's DOCS acts already decided who holds a bought identity
    docs = np.zeros(n, dtype=bool)
    wives = pop.pathway == _P["marriage"]
    docs[acts.acts.person[acts.acts.code == violation_index("DOCS")]] = True
    has_alias = np.where(wives, docs, has_alias)
    cn_surname = np.full(n, -1, dtype=np.int64)
    who = np.flatnonzero(has_alias)
    cn_surname[who] = rng.choice(len(cs.hanzi), who.size, p=cs.share)
    own = np.zeros(n, dtype=bool)
    own[who] = rng.random(who.size) < 0.5
    gn = given_names()
    no_hanja = np.array([h == "" for h in gn.hanja])[given]
    own &= ~no_hanja
    fresh = np.flatnonzero(has_alias & ~own | child)
    g1, g2 = _draw_chars(rng, pop.sex, fresh)
    # children: the father's surname
    fathers = acts.buyer[pop.mother[kids]]
    cn_surname[kids] = np.where(
        fathers >= 0,
        acts.perpetrators.cn_surname[np.maximum(fathers, 0)],
        rng.choice(len(cs.hanzi), kids.size, p=cs.share),
    )
    return Names(
        surname=surname,
        given=given,
        sk_given=sk_given,
        cn_surname=cn_surname,
        cn_given1=g1,
        cn_given2=g2,
        cn_own_given=own,
    )
