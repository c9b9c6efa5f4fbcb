"""Frozen, JSON-serialisable settings of the simulator: what to simulate, never how.

Every number of the generative model lives here (defaults and their sources are in
:mod:`unseen.simulate._defaults` and ``docs/simulation.md``), so a ``truth.json`` carries the
whole model that produced its lists and ``SimulationSettings.from_dict`` rebuilds it exactly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from unseen.simulate._schedules import Schedule, Weights, WeightsSchedule, _bad, _finite, _prob
from unseen.simulate._tables import violation_codes

PRESETS: tuple[str, ...] = ("small", "realistic", "stress")

# The ways a list can choose whom it may capture (see ListSettings.eligible).
ELIGIBILITY: tuple[str, ...] = ("all", "in_china", "reached_sk", "arrested")

# How a list writes a person's name.
NAME_SYSTEMS: tuple[str, ...] = ("hangul", "rr", "mr", "mr_plain", "dprk", "passport", "hanzi")

DATE_STYLES: tuple[str, ...] = (
    "day",  # 2010-03-15
    "month",  # 2010-03
    "season",  # 2010-21 (EDTF season)
    "year",  # 2010
    "approx",  # 2010~
    "interval",  # 2009/2011
    "before",  # ..2010
    "decade",  # 201X
    "dotted",  # 2010.3
    "ko_season",  # 2010년 봄
    "ko_month",  # 2010년 3월
    "ko_about",  # 2010년경
    "en_season",  # spring 2010
    "en_about",  # about 2010
)
BIRTH_STYLES: tuple[str, ...] = ("day", "year", "approx", "ko_about", "en_about", "month")
PLACE_STYLES: tuple[str, ...] = (
    "hangul_s",  # South Korean standard (옌지, 양강도)
    "hangul_n",  # DPRK / Korean-Chinese (연길, 량강도)
    "sino_s",  # older South Korean Sino-Korean reading (연길 / 용정)
    "hanzi",  # 延吉市, 两江道
    "pinyin",  # Yanji
    "english",  # Yanji / Ryanggang Province
    "gazetteer_id",  # CN-222401 / KP-10
)
PLACE_LEVELS: tuple[str, ...] = ("county", "prefecture", "province")
ALIAS_KINDS: tuple[str, ...] = ("sk", "chinese", "any")
NOTE_LANGUAGES: tuple[str, ...] = ("ko", "en", "zh")
# Covariates a list's ``effects`` may name (0/1 unless said otherwise).
COVARIATES: tuple[str, ...] = (
    "female",
    "child",
    "trafficked",
    "marriage",
    "prostitution",
    "cybersex",
    "work",
    "transit",
    "reached_sk",
    "third_country",
    "in_china_end",
    "repatriated",  # returned to the DPRK at least once
    "arrests",  # number of arrests
    "years_in_china",  # tens of years
    "crossed_after_2012",
    "mass_return",  # returned in the mass return of October 2023
    "has_children",
    "southern_route",
    "died",
    "region_yanbian",
    "region_jilin",  # Jilin outside Yanbian
    "region_liaoning",
    "region_heilongjiang",
    "region_shandong",
    "region_other",
    "origin_north_hamgyong",
    "origin_ryanggang",
)
# Columns a list may leave empty (RecordHabit.missing).
MISSABLE_COLUMNS: tuple[str, ...] = (
    "sex",
    "birth_date",
    "origin_place",
    "china_place",
    "first_exit_date",
    "event_date",
    "event_place",
    "perpetrator_type",
    "violation",
)
PATHWAYS: tuple[str, ...] = ("marriage", "prostitution", "cybersex", "work", "transit", "child")


@dataclass(frozen=True)
class RecordHabit:
    """How one organisation writes a record: scripts, romanisation, errors and gaps.

    Probabilities are per record. ``missing`` gives, per column of FORMATS.md s1, the chance that
    the list leaves it empty. ``birth_offset`` is a distribution over years added to the true
    birth year (keys are integers written as text, JSON needs string keys).
    """

    name_systems: Weights = field(default_factory=lambda: Weights.of(hangul=1.0))
    alias_kind: str = "any"  # which aliases the list knows: "sk", "chinese" or "any"
    hangul_south: float = 0.0  # Hangul written in South Korean spelling (이/리, 연/련)
    hangul_column: float = 0.0  # fill name_hangul beside a Latin or Hanzi name
    hanzi_column: float = 0.0  # fill name_hanzi when the Hanja of the name are known
    split_names: float = 1.0  # family/given columns rather than full_name only
    given_first: float = 0.0  # Latin full name written given-name first
    hyphen_drop: float = 0.0  # Sun-hui -> Sunhui / Sun hui
    typo: float = 0.0  # one keyboard-adjacent slip in a name
    alias: float = 0.5  # write known aliases
    alias_as_name: float = 0.0  # record the person under an alias (Chinese identity, SK name)
    pseudonym: float = 0.0  # a made-up name to protect the person (media)
    missing: Weights = field(default_factory=lambda: Weights(()))
    birth_offset: Weights = field(default_factory=lambda: Weights.of({"0": 1.0}))
    birth_style: Weights = field(default_factory=lambda: Weights.of(year=1.0))
    date_style: Weights = field(default_factory=lambda: Weights.of(year=1.0))
    place_style: Weights = field(default_factory=lambda: Weights.of(hangul_s=1.0))
    place_level: Weights = field(default_factory=lambda: Weights.of(county=1.0))
    notes: float = 0.0
    notes_language: str = "ko"
    record_id_prefix: str = "R"

    def __post_init__(self) -> None:
        if set(self.name_systems.keys()) - set(NAME_SYSTEMS):
            raise _bad(f"name_systems must be among {', '.join(NAME_SYSTEMS)}")
        self.name_systems.probabilities()
        if self.alias_kind not in ALIAS_KINDS:
            raise _bad(f"alias_kind must be one of {', '.join(ALIAS_KINDS)}")
        if self.notes_language not in NOTE_LANGUAGES:
            raise _bad(f"notes_language must be one of {', '.join(NOTE_LANGUAGES)}")
        for name in (
            "hangul_south",
            "hangul_column",
            "hanzi_column",
            "split_names",
            "given_first",
            "hyphen_drop",
            "typo",
            "alias",
            "alias_as_name",
            "pseudonym",
            "notes",
        ):
            _prob(getattr(self, name), name)
        for name, allowed in (
            ("birth_style", BIRTH_STYLES),
            ("date_style", DATE_STYLES),
            ("place_style", PLACE_STYLES),
            ("place_level", PLACE_LEVELS),
        ):
            w: Weights = getattr(self, name)
            unknown = set(w.keys()) - set(allowed)
            if unknown:
                raise _bad(f"{name} has unknown styles; allowed: {', '.join(allowed)}")
            w.probabilities()
        for key, value in self.missing.items:
            if key not in MISSABLE_COLUMNS:
                raise _bad(f"missing may name only {', '.join(MISSABLE_COLUMNS)}")
            _prob(value, f"missing[{key}]")
        for key, _ in self.birth_offset.items:
            try:
                int(key)
            except ValueError:
                raise _bad("birth_offset keys must be whole numbers of years") from None
        self.birth_offset.probabilities()
        if not self.record_id_prefix.isascii() or not self.record_id_prefix.strip():
            raise _bad("record_id_prefix must be non-empty ASCII")


@dataclass(frozen=True)
class ListSettings:
    """One documentation list: whom it can see, how likely it captures them, how it writes.

    Capture is logistic: ``logit p = intercept + sum(effects[c] * covariate_c)
    + frailty_loadings . frailty + sum(depends_on[l] * captured_by_l)`` among eligible people;
    ``depends_on`` may only name lists that come earlier in ``SimulationSettings.lists``.
    Each captured person gets ``1 + Poisson(duplicate_rate)`` records (at most 4); a captured
    mother's children each get a record with probability ``child_capture``.
    """

    name: str
    label_en: str
    label_ko: str
    eligible: str = "all"
    window: tuple[int, int] = (1998, 2025)
    intercept: float = -3.0
    effects: Weights = field(default_factory=lambda: Weights(()))
    frailty_loadings: tuple[float, ...] = (1.0, 0.0)
    depends_on: Weights = field(default_factory=lambda: Weights(()))
    duplicate_rate: float = 0.05
    child_capture: float = 0.0
    act_weights: Weights = field(default_factory=lambda: Weights(()))
    habit: RecordHabit = field(default_factory=RecordHabit)

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("_", "").isalnum() or not self.name.isascii():
            raise _bad("a list name must be ASCII letters, digits and underscores")
        if self.name == "truth":
            raise _bad("a list may not be called 'truth' (the truth files use that name)")
        if set(self.effects.keys()) - set(COVARIATES):
            raise _bad(f"effects may name only the covariates {', '.join(COVARIATES)}")
        if set(self.act_weights.keys()) - set(violation_codes()):
            raise _bad("act_weights may name only codes of violation_types.csv")
        if self.eligible not in ELIGIBILITY:
            raise _bad(f"eligible must be one of {', '.join(ELIGIBILITY)}")
        lo, hi = int(self.window[0]), int(self.window[1])
        if lo > hi:
            raise _bad("a list's window must run forwards")
        object.__setattr__(self, "window", (lo, hi))
        object.__setattr__(
            self, "frailty_loadings", tuple(_finite(x, "loading") for x in self.frailty_loadings)
        )
        _finite(self.intercept, "intercept")
        if not 0.0 <= _finite(self.duplicate_rate, "duplicate_rate") <= 3.0:
            raise _bad("duplicate_rate must lie in [0, 3]")
        _prob(self.child_capture, "child_capture")


@dataclass(frozen=True)
class PopulationSettings:
    """The hidden population of North Koreans in China and what happens to them.

    Rates are per person-year; schedules are by calendar year. ``scale`` multiplies every count
    (crossings and the MOU arrivals), so ``scale=1`` reproduces the MOU flow to South Korea.
    """

    start_year: int
    end_year: int
    scale: float
    crossings: Schedule
    women_share: Schedule
    arrivals: tuple[tuple[int, int, int], ...]  # (year, men, women) at scale 1
    direct_share: Schedule
    direct_max_years: float
    resident_median_years: float
    resident_sigma: float
    age_at_crossing: Mapping[str, tuple[float, float, float, float]]
    trafficked_share: Weights  # women: by "direct" / "resident" / "stayer"
    trafficking_split: WeightsSchedule  # marriage / prostitution / cybersex by crossing year
    kp_broker_share: float
    resale_prob: float
    origin: WeightsSchedule  # KP province ISO code by crossing year
    origin_county: Weights  # weight of a KP city/county (by Hangul name) within its province
    china_places: Mapping[str, Weights]  # pathway -> CN gb code -> weight
    arrest_hazard: Schedule
    arrest_multiplier: Weights  # by pathway
    recross_prob: Schedule
    return_hazard: Schedule
    death_hazard: float
    third_country_hazard: Schedule
    mass_return: tuple[float, float, float]  # (from, to, share): held arrests returned on one day
    mass_return_day: str
    child_rate: float
    max_children: int
    child_with_mother: float
    new_name_in_sk: float
    chinese_alias: Weights  # by pathway
    act_probability: Mapping[str, Weights]  # pathway or stage -> violation code -> probability
    perpetrator_pool: Weights  # perpetrator type -> victims per perpetrator (mean)

    def __post_init__(self) -> None:
        if self.start_year >= self.end_year:
            raise _bad("start_year must come before end_year")
        if not 0 < _finite(self.scale, "scale") <= 1000:
            raise _bad("scale must lie in (0, 1000]")
        for name in (
            "kp_broker_share",
            "resale_prob",
            "death_hazard",
            "child_with_mother",
            "new_name_in_sk",
        ):
            _prob(getattr(self, name), name)
        if self.max_children < 0 or self.child_rate < 0:
            raise _bad("child_rate and max_children must not be negative")
        codes = set(violation_codes())
        for weights in self.act_probability.values():
            if set(weights.keys()) - codes:
                raise _bad("act_probability may name only codes of violation_types.csv")
        unknown = set(self.china_places) - set(PATHWAYS)
        if unknown:
            raise _bad(f"china_places keys must be pathways: {', '.join(PATHWAYS)}")


def _to_json(value: Any) -> Any:
    if isinstance(value, Weights | Schedule | WeightsSchedule):
        return value.to_json()
    if isinstance(value, RecordHabit | ListSettings | PopulationSettings):
        return {f.name: _to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    return value


_HABIT_WEIGHTS = (
    "name_systems",
    "missing",
    "birth_offset",
    "birth_style",
    "date_style",
    "place_style",
    "place_level",
)


def _habit_from(obj: Mapping[str, Any]) -> RecordHabit:
    kw: dict[str, Any] = {}
    for f in fields(RecordHabit):
        if f.name not in obj:
            continue
        v = obj[f.name]
        if isinstance(f.default, Weights) or f.name in _HABIT_WEIGHTS:
            v = Weights.from_json(v)
        kw[f.name] = v
    return RecordHabit(**kw)


def _list_from(obj: Mapping[str, Any]) -> ListSettings:
    kw: dict[str, Any] = {}
    for f in fields(ListSettings):
        if f.name not in obj:
            continue
        v = obj[f.name]
        if f.name in ("effects", "depends_on", "act_weights"):
            v = Weights.from_json(v)
        elif f.name == "habit":
            v = _habit_from(v)
        elif f.name in ("window", "frailty_loadings"):
            v = tuple(v)
        kw[f.name] = v
    return ListSettings(**kw)


_SCHEDULES = (
    "crossings",
    "women_share",
    "direct_share",
    "arrest_hazard",
    "recross_prob",
    "return_hazard",
    "third_country_hazard",
)
_WEIGHTS = (
    "trafficked_share",
    "origin_county",
    "arrest_multiplier",
    "chinese_alias",
    "perpetrator_pool",
)


def _population_from(obj: Mapping[str, Any]) -> PopulationSettings:
    kw: dict[str, Any] = {}
    for f in fields(PopulationSettings):
        if f.name not in obj:
            raise _bad(f"population settings lack {f.name!r}")
        v = obj[f.name]
        if f.name in _SCHEDULES:
            v = Schedule.from_json(v)
        elif f.name in _WEIGHTS:
            v = Weights.from_json(v)
        elif f.name in ("trafficking_split", "origin"):
            v = WeightsSchedule.from_json(v)
        elif f.name in ("china_places", "act_probability"):
            v = {str(k): Weights.from_json(w) for k, w in v.items()}
        elif f.name == "age_at_crossing":
            v = {str(k): tuple(float(x) for x in w) for k, w in v.items()}
        elif f.name == "arrivals":
            v = tuple((int(y), int(m), int(w)) for y, m, w in v)
        elif f.name == "mass_return":
            v = tuple(float(x) for x in v)
        kw[f.name] = v
    return PopulationSettings(**kw)


@dataclass(frozen=True)
class SimulationSettings:
    """Everything :func:`unseen.simulate.simulate` needs: the seed, the population model and the
    lists, in capture order. Build one with :meth:`preset` and adjust with
    :func:`dataclasses.replace`; ``to_dict``/``from_dict`` round-trip through JSON."""

    seed: int
    name: str
    population: PopulationSettings
    lists: tuple[ListSettings, ...]
    frailty_dims: int = 2

    def __post_init__(self) -> None:
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise _bad("seed must be a non-negative whole number")
        if not self.lists:
            raise _bad("at least one list is needed")
        if not 1 <= self.frailty_dims <= 8:
            raise _bad("frailty_dims must lie in 1..8")
        seen: set[str] = set()
        for lst in self.lists:
            if lst.name in seen:
                raise _bad(f"list {lst.name!r} appears twice")
            for dep in lst.depends_on.keys():
                if dep not in seen:
                    raise _bad(f"list {lst.name!r} depends on {dep!r}, which must come earlier")
            if len(lst.frailty_loadings) > self.frailty_dims:
                raise _bad(f"list {lst.name!r} has more frailty loadings than frailty_dims")
            seen.add(lst.name)

    @classmethod
    def preset(cls, name: str, seed: int, *, lists: int | None = None) -> SimulationSettings:
        """``small`` (about 2,000 people), ``realistic`` (about 100,000 people, 10-20k records)
        or ``stress`` (about 1,000,000 records); ``lists`` keeps the first K default lists (or
        adds variants of them beyond six)."""
        from unseen.simulate._defaults import preset_settings

        if name not in PRESETS:
            raise _bad(f"unknown preset; choose one of {', '.join(PRESETS)}")
        return preset_settings(name, seed, lists)

    def list_names(self) -> tuple[str, ...]:
        return tuple(lst.name for lst in self.lists)

    def with_seed(self, seed: int) -> SimulationSettings:
        return replace(self, seed=seed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "name": self.name,
            "frailty_dims": self.frailty_dims,
            "population": _to_json(self.population),
            "lists": [_to_json(lst) for lst in self.lists],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> SimulationSettings:
        try:
            return cls(
                seed=int(obj["seed"]),
                name=str(obj["name"]),
                frailty_dims=int(obj.get("frailty_dims", 2)),
                population=_population_from(obj["population"]),
                lists=tuple(_list_from(x) for x in obj["lists"]),
            )
        except KeyError as exc:
            raise _bad(f"missing key {exc.args[0]!r}") from None
        except (TypeError, ValueError, AttributeError):
            raise _bad("a value has the wrong type") from None

    @classmethod
    def from_json(cls, text: str) -> SimulationSettings:
        try:
            obj = json.loads(text)
        except json.JSONDecodeError:
            raise _bad("not valid JSON") from None
        if not isinstance(obj, Mapping):
            raise _bad("settings JSON must be an object")
        return cls.from_dict(obj)
