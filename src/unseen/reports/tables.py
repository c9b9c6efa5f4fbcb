"""The report's count tables, built from plain facts about people and acts, each through
:mod:`unseen.reports.disclosure`.

A :class:`PersonFact` holds codes only (sex, age band, the ISO 3166-2 codes of the province of
residence in China and of origin in North Korea) and the person's acts as
:class:`ActFact` (violation type, year): no name, no record id, nothing to find a person by.
:func:`build_tables` counts them:

* ``sex_by_age`` (age band x sex, 2-D) and, as its margins, ``people_by_sex`` and
  ``people_by_age``: the 1-D tables *are* the 2-D table's totals, so they publish nothing
  the 2-D table hides;
* ``people_by_violation``: people who suffered each violation type (a person counts once
  under each type; the total adds the rows up, so it counts person-types, not people);
* ``people_by_year`` (year of the person's first dated act), ``people_by_cn_province``,
  ``people_by_kp_province``: everyone once, with an ``unknown`` row, so their total is the
  number of people in the report, which is published: disclosure control treats it as known;
* the timeline ``acts_by_year_violation`` (year x violation type, in acts);
* the map layers ``china_residence`` and ``origin_kp``: the province tables' cells.

Violation codes are counted under their top-level type (``TIP.SALE`` under ``TIP``). Rows are
the codes seen, sorted, then ``unknown``; under differential privacy they are every code of the
vocabulary or gazetteer instead (and years ``DP_FIRST_YEAR`` to the report's year), because
which rows exist must not depend on who is in the data. Under differential privacy each person
adds at most ``DP_MAX_CONTRIBUTIONS`` violation types and acts (the earliest kept), which is the
sensitivity of those tables.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from unseen.domain.vocab import violation_types
from unseen.places import gazetteer
from unseen.reports.disclosure import ONE_D, protect
from unseen.reports.model import Cell, CountTable, DisclosureSettings, MapLayer

__all__ = [
    "AGE_BANDS",
    "DP_FIRST_YEAR",
    "DP_MAX_CONTRIBUTIONS",
    "NOISED_TABLES",
    "SEXES",
    "UNKNOWN",
    "ActFact",
    "PersonFact",
    "ReportTables",
    "admin1_code",
    "age_band",
    "build_tables",
    "top_violation",
]

UNKNOWN = "unknown"
SEXES = ("F", "M", "X", UNKNOWN)
AGE_BANDS = ("0-17", "18-29", "30-44", "45+")
DP_FIRST_YEAR = 1990
DP_MAX_CONTRIBUTIONS = 3
# Tables that draw their own noise (the others are their totals or cells): each spends epsilon.
NOISED_TABLES = ("people_by_violation", "people_by_year", "people_by_cn_province",
                 "people_by_kp_province", "sex_by_age", "acts_by_year_violation")  # fmt: skip

_SEX_LABELS = {
    "en": {"F": "women", "M": "men", "X": "other", UNKNOWN: "not recorded"},
    "ko": {"F": "여성", "M": "남성", "X": "기타", UNKNOWN: "기록 없음"},
}
_UNKNOWN_LABEL = {"en": "not known", "ko": "모름"}


@dataclass(frozen=True)
class ActFact:
    """One documented act: its top-level violation code and year (None when not known to
    the year)."""

    violation: str
    year: int | None = None


@dataclass(frozen=True)
class PersonFact:
    """One documented person, as codes only."""

    sex: str = UNKNOWN  # F, M, X or unknown
    age_band: str | None = None  # one of AGE_BANDS
    cn_admin1: str | None = None  # ISO 3166-2, e.g. CN-JL
    kp_admin1: str | None = None  # ISO 3166-2, e.g. KP-09
    acts: tuple[ActFact, ...] = ()

    @property
    def first_year(self) -> int | None:
        years = [a.year for a in self.acts if a.year is not None]
        return min(years) if years else None


@dataclass(frozen=True)
class ReportTables:
    tables: tuple[CountTable, ...]
    timeline: CountTable
    maps: tuple[MapLayer, ...]
    violations: tuple[str, ...]  # the top-level violation codes counted, in table order


def age_band(age: int | None) -> str | None:
    """The band of an age in whole years (None when not known or negative)."""
    if age is None or age < 0:
        return None
    if age < 18:
        return AGE_BANDS[0]
    if age < 30:
        return AGE_BANDS[1]
    if age < 45:
        return AGE_BANDS[2]
    return AGE_BANDS[3]


def top_violation(code: str) -> str:
    """The top-level type of a violation code (``TIP.SALE`` -> ``TIP``); unknown codes as is."""
    types = violation_types()
    seen = set()
    while code in types and types[code].parent and code not in seen:
        seen.add(code)
        code = types[code].parent or code
    return code


@functools.cache
def _iso_of_province() -> Mapping[str, str]:
    out = {}
    for pid, place in gazetteer().items():
        if place.level == "province":
            iso = next((v for k, v in place.forms if k == "iso"), None)
            out[pid] = iso or pid
    return MappingProxyType(out)


def admin1_code(place_id: str | None) -> str | None:
    """The ISO 3166-2 code of the province (admin-1 area) holding a gazetteer place, or None
    for no place or a place not in the gazetteer."""
    if not place_id:
        return None
    place = gazetteer().get(place_id)
    if place is None:
        return None
    return _iso_of_province().get(place.province_id)


@functools.cache
def _admin1_labels() -> Mapping[str, tuple[str, str]]:
    """(English, Korean) short names by ISO code."""
    out = {}
    for pid, iso in _iso_of_province().items():
        place = gazetteer()[pid]
        forms = dict(reversed(place.forms))  # first form of each kind wins
        ko = forms.get("ko_kr") or forms.get("ko_cxz") if place.country == "CN" else None
        out[iso] = (place.name_en, ko or place.name_local)
    return MappingProxyType(out)


def _label(code: str, lang: str, labels: Mapping[str, tuple[str, str]]) -> str:
    if code == UNKNOWN:
        return _UNKNOWN_LABEL["ko" if lang == "ko" else "en"]
    pair = labels.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "ko" else pair[0]


@functools.cache
def _violation_labels() -> Mapping[str, tuple[str, str]]:
    return MappingProxyType({c: (v.label_en, v.label_ko) for c, v in violation_types().items()})


def _codes(seen: Iterable[str | None], domain: Sequence[str], dp: bool) -> tuple[str, ...]:
    codes = set(domain) if dp else {c for c in seen if c is not None}
    return (*sorted(codes - {UNKNOWN}), UNKNOWN)


def _bounded(acts: Sequence[ActFact], dp: bool) -> Sequence[ActFact]:
    if not dp:
        return acts
    order = sorted(acts, key=lambda a: (a.year is None, a.year or 0, a.violation))
    return order[:DP_MAX_CONTRIBUTIONS]


def build_tables(
    people: Sequence[PersonFact],
    settings: DisclosureSettings = DisclosureSettings(),  # noqa: B008 (frozen, shared safely)
    *,
    lang: str = "en",
    year: int | None = None,
) -> ReportTables:
    """Every table of the report from ``people``, through disclosure control. ``year``: the
    report's year, the last row of the year tables under differential privacy."""
    ko = lang == "ko"
    dp = settings.epsilon is not None
    if dp and settings.seed is None:
        # fresh noise for this release, the same for every table built twice below
        settings = replace(settings, seed=int(np.random.SeedSequence().generate_state(1)[0]))
    sens = DP_MAX_CONTRIBUTIONS if dp else 1
    vlabels = _violation_labels()
    alabels = _admin1_labels()

    def lab(codes: Sequence[str], labels: Mapping[str, tuple[str, str]]) -> tuple[str, ...]:
        return tuple(_label(c, lang, labels) for c in codes)

    # -- sex x age, and its margins
    sexes = SEXES
    bands = (*AGE_BANDS, UNKNOWN)
    sex_age = Counter((p.age_band or UNKNOWN, p.sex if p.sex in SEXES else UNKNOWN) for p in people)
    sex_labels = tuple(_SEX_LABELS["ko" if ko else "en"][s] for s in sexes)
    band_labels = lab(bands, {})
    by_sex_age = protect(
        "sex_by_age", bands, sexes, dict(sex_age), settings,
        title_en="People by age band and sex", title_ko="연령대·성별 사람 수",
        row_labels=band_labels, col_labels=sex_labels, total_known=True,
    )  # fmt: skip
    by_sex = _margin_table(
        by_sex_age, "people_by_sex", "People by sex", "성별 사람 수", columns=True
    )
    by_age = _margin_table(
        by_sex_age, "people_by_age", "People by age band", "연령대별 사람 수", columns=False
    )

    # -- violation types (people), years, provinces
    kinds = {top_violation(a.violation) for p in people for a in p.acts}
    vdomain = [c for c, v in violation_types().items() if not v.parent]
    vcodes = _codes(kinds, vdomain, dp)[:-1]  # every act has a type: no unknown row
    per_type: Counter[str] = Counter()
    for p in people:
        per_type.update({top_violation(a.violation) for a in _bounded(p.acts, dp)})
    seen_years = [a.year for p in people for a in p.acts if a.year is not None]
    last = year if year is not None else max(seen_years, default=DP_FIRST_YEAR)
    ydomain = [str(y) for y in range(DP_FIRST_YEAR, last + 1)]
    years = _codes((str(p.first_year) if p.first_year else None for p in people), ydomain, dp)
    first = Counter(str(p.first_year) if p.first_year else UNKNOWN for p in people)
    acts = [a for p in people for a in _bounded(p.acts, dp)]
    tyears = _codes((str(a.year) if a.year else None for a in acts), ydomain, dp)
    cells = Counter((str(a.year) if a.year else UNKNOWN, top_violation(a.violation)) for a in acts)
    vrows = vcodes or (UNKNOWN,)
    vlab = lab(vcodes, vlabels) or lab((UNKNOWN,), {})

    # People by type and by first year are often the timeline's totals exactly (one act per
    # person): hide the same numbers in all three, until nothing changes. The timeline's
    # total is treated as known (it is the number of people when each has one act).
    hide_types: set[str] = set()
    hide_years: set[str] = set()
    while True:
        by_violation = protect(
            "people_by_violation", vrows, ONE_D, dict(per_type), settings,
            title_en="People by violation type", title_ko="피해 유형별 사람 수",
            row_labels=vlab, sensitivity=sens, publish_total=False, hide_row_totals=hide_types,
        )  # fmt: skip
        by_year = protect(
            "people_by_year", years, ONE_D, dict(first), settings,
            title_en="People by year of the first documented act",
            title_ko="처음 기록된 피해 연도별 사람 수", row_labels=lab(years, {}),
            total_known=True, hide_row_totals=hide_years,
        )  # fmt: skip
        timeline = protect(
            "acts_by_year_violation", tyears, vrows, dict(cells), settings,
            title_en="Acts by year and violation type", title_ko="연도·피해 유형별 행위",
            row_labels=lab(tyears, {}), col_labels=vlab, unit_en="acts", unit_ko="건",
            sensitivity=sens, total_known=True,
            hide_row_totals=hide_years | _hidden(by_year.rows, by_year.row_totals),
            hide_col_totals=hide_types | _hidden(by_violation.rows, by_violation.row_totals),
        )  # fmt: skip
        types = _hidden(timeline.cols, timeline.col_totals) | _hidden(
            by_violation.rows, by_violation.row_totals
        )
        yrs = _hidden(timeline.rows, timeline.row_totals) | _hidden(
            by_year.rows, by_year.row_totals
        )
        if types <= hide_types and yrs <= hide_years:
            break
        hide_types |= types
        hide_years |= yrs

    cn_domain = [c for c in alabels if c.startswith("CN-")]
    kp_domain = [c for c in alabels if c.startswith("KP-")]
    cn_codes = _codes((p.cn_admin1 for p in people), cn_domain, dp)
    kp_codes = _codes((p.kp_admin1 for p in people), kp_domain, dp)
    by_cn = protect(
        "people_by_cn_province", cn_codes, ONE_D,
        dict(Counter(p.cn_admin1 or UNKNOWN for p in people)), settings,
        title_en="People by province of residence in China",
        title_ko="중국 내 거주 성(省)별 사람 수", row_labels=lab(cn_codes, alabels),
        total_known=True,
    )  # fmt: skip
    by_kp = protect(
        "people_by_kp_province", kp_codes, ONE_D,
        dict(Counter(p.kp_admin1 or UNKNOWN for p in people)), settings,
        title_en="People by province of origin in North Korea",
        title_ko="북한 출신 도별 사람 수", row_labels=lab(kp_codes, alabels), total_known=True,
    )  # fmt: skip

    maps = (
        _layer(by_cn, "china_residence", "Province of residence in China", "중국 내 거주 성(省)"),
        _layer(by_kp, "origin_kp", "Province of origin in North Korea", "북한 출신 도"),
    )
    tables = (by_violation, by_year, by_cn, by_kp, by_sex, by_age, by_sex_age)
    return ReportTables(tables, timeline, maps, vcodes)


def _hidden(codes: Sequence[str], cells: Sequence[Cell]) -> set[str]:
    return {code for code, cell in zip(codes, cells, strict=True) if cell.suppressed}


def _margin_table(t: CountTable, key: str, en: str, ko: str, *, columns: bool) -> CountTable:
    """A 1-D table that is the column (or row) totals of the 2-D table ``t``."""
    cells = t.col_totals if columns else t.row_totals
    codes, labels = (t.cols, t.col_labels) if columns else (t.rows, t.row_labels)
    return CountTable(
        key=key,
        title_en=en,
        title_ko=ko,
        rows=codes,
        cols=ONE_D,
        row_labels=labels,
        col_labels=ONE_D,
        cells=tuple((c,) for c in cells),
        row_totals=cells,
        col_totals=(t.total,),
        total=t.total,
        unit_en=t.unit_en,
        unit_ko=t.unit_ko,
    )


def _layer(t: CountTable, key: str, en: str, ko: str) -> MapLayer:
    counts = {code: row[0] for code, row in zip(t.rows, t.cells, strict=True) if code != UNKNOWN}
    return MapLayer(key, en, ko, MappingProxyType(counts))
