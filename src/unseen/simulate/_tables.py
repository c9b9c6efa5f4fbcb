"""Reference tables of the simulator, read once from the package's ``data/`` copies.

Only loaders and immutable values live here (``functools.cache``); nothing random.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from unseen.errors import ConfigError

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("unseen.simulate").joinpath("data").joinpath(name).read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# -- vocabularies ---------------------------------------------------------------------------


@functools.cache
def violation_codes() -> tuple[str, ...]:
    """Codes of ``violation_types.csv``, in file order."""
    return tuple(r["code"] for r in _read("violation_types.csv"))


@functools.cache
def perpetrator_codes() -> tuple[str, ...]:
    return tuple(r["code"] for r in _read("perpetrator_types.csv"))


def violation_index(code: str) -> int:
    try:
        return violation_codes().index(code)
    except ValueError:
        raise ConfigError(
            "simulation settings: a violation code is not in the vocabulary"
        ) from None


def perpetrator_index(code: str) -> int:
    try:
        return perpetrator_codes().index(code)
    except ValueError:
        raise ConfigError(
            "simulation settings: a perpetrator code is not in the vocabulary"
        ) from None


# -- arrivals --------------------------------------------------------------------------------


@functools.cache
def mou_arrivals() -> tuple[tuple[int, int, int], ...]:
    """(year, men, women) of MOU arrivals in South Korea, 1999-2025.

    1999-2001 is published as one row with yearly totals in its note (148, 312, 583) and one sex
    split; the split is applied pro rata to each year. The "-1998" row (arrivals before the
    simulated period) is left out.
    """
    out: list[tuple[int, int, int]] = []
    for r in _read("defector_arrivals_kr.csv"):
        period = r["period"]
        men, women = int(r["male"]), int(r["female"])
        if period == "1999-2001":
            totals = {1999: 148, 2000: 312, 2001: 583}
            share_w = women / (men + women)
            for year, total in totals.items():
                w = round(total * share_w)
                out.append((year, total - w, w))
        elif period.isdigit():
            out.append((int(period), men, women))
    return tuple(out)


# -- names -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class KoreanSurnames:
    hangul_n: tuple[str, ...]  # DPRK spelling (first form)
    hangul_s: tuple[str, ...]
    hanja: tuple[str, ...]  # principal clan's characters ("" when none)
    pinyin: tuple[str, ...]  # Mandarin reading of that hanja (朴 Piao)
    share: F64  # normalised


@functools.cache
def korean_surnames() -> KoreanSurnames:
    rows = _read("korean_surnames.csv")
    shares = []
    for r in rows:
        s = r["share_pct_approx"].strip()
        shares.append(float(s) if s else 0.01)  # unranked surnames: rare, not impossible
    share = np.array(shares, dtype=np.float64)
    return KoreanSurnames(
        hangul_n=tuple(r["hangul_n"].split("/")[0] for r in rows),
        hangul_s=tuple(r["hangul_s"] for r in rows),
        hanja=tuple(r["hanja"].split("/")[0] for r in rows),
        pinyin=tuple(r["pinyin_of_hanja"].split("/")[0] for r in rows),
        share=share / share.sum(),
    )


@dataclass(frozen=True, eq=False)
class GivenNames:
    """Every given name the simulator can draw: two syllables (or one listed full name)."""

    hangul_n: tuple[str, ...]
    hangul_s: tuple[str, ...]
    hanja: tuple[str, ...]  # "" when a syllable has no hanja (native words such as 별)
    female: npt.NDArray[np.bool_]
    male: npt.NDArray[np.bool_]
    cohort_lo: I64
    cohort_hi: I64
    weight: F64


@dataclass(frozen=True)
class _Syllable:
    n: str
    s: str
    hanja: str
    sex: str
    position: str
    lo: int
    hi: int
    weight: float


@functools.cache
def given_names() -> GivenNames:
    sylls = []
    for r in _read("korean_given_name_syllables.csv"):
        lo, hi = (int(x) for x in r["birth_cohort"].split("-"))
        hanja = r["hanja_common"].split("/")[0]
        sylls.append(
            _Syllable(
                n=r["syllable_n"],
                s=r["syllable_s"],
                hanja="" if hanja.startswith("(") else hanja,
                sex=r["sex"],
                position=r["position"],
                lo=lo,
                hi=hi,
                weight=float(r["heuristic_weight_1to5"]),
            )
        )
    first = [x for x in sylls if x.position in ("1", "any")]
    second = [x for x in sylls if x.position in ("2", "any")]
    entries: list[tuple[str, str, str, bool, bool, int, int, float]] = []
    for a in first:
        for b in second:
            if a.n == b.n:
                continue
            sexes = {a.sex, b.sex} - {"U"}
            if len(sexes) > 1:
                continue
            lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
            if lo > hi:
                continue
            sex = next(iter(sexes)) if sexes else "U"
            hanja = a.hanja + b.hanja if a.hanja and b.hanja else ""
            entries.append(
                (a.n + b.n, a.s + b.s, hanja, sex != "M", sex != "F", lo, hi, a.weight * b.weight)
            )
    for x in sylls:
        if x.position == "full":
            entries.append((x.n, x.s, x.hanja, x.sex != "M", x.sex != "F", x.lo, x.hi, x.weight))
    return GivenNames(
        hangul_n=tuple(e[0] for e in entries),
        hangul_s=tuple(e[1] for e in entries),
        hanja=tuple(e[2] for e in entries),
        female=np.array([e[3] for e in entries]),
        male=np.array([e[4] for e in entries]),
        cohort_lo=np.array([e[5] for e in entries], dtype=np.int64),
        cohort_hi=np.array([e[6] for e in entries], dtype=np.int64),
        weight=np.array([e[7] for e in entries], dtype=np.float64),
    )


@dataclass(frozen=True, eq=False)
class ChineseSurnames:
    hanzi: tuple[str, ...]
    pinyin: tuple[str, ...]
    korean: tuple[str, ...]
    share: F64  # normalised; northeastern/Shandong surnames weighted up


@functools.cache
def chinese_surnames() -> ChineseSurnames:
    rows = _read("chinese_surnames.csv")
    # Buyers and registrars are mostly in the Northeast and Shandong: surnames marked typical
    # there count 1.5 times their national share (a modelling choice, see docs/simulation.md).
    w = np.array(
        [
            float(r["share_pct_model"]) * (1.5 if r["common_in_northeast_or_shandong"] else 1.0)
            for r in rows
        ]
    )
    return ChineseSurnames(
        hanzi=tuple(r["hanzi"] for r in rows),
        pinyin=tuple(r["pinyin"] for r in rows),
        korean=tuple(r["korean_reading"] for r in rows),
        share=w / w.sum(),
    )


@dataclass(frozen=True, eq=False)
class ChineseGivenChars:
    hanzi: tuple[str, ...]
    pinyin: tuple[str, ...]
    korean: tuple[str, ...]
    weight: F64  # normalised


@functools.cache
def chinese_given_chars(sex: str) -> ChineseGivenChars:
    if sex == "M":
        rows = _read("chinese_male_given_name_chars.csv")
        readings = {
            r["hanzi"]: r["korean_reading"] for r in _read("chinese_male_given_name_readings.csv")
        }
        korean = tuple(readings[r["hanzi"]] for r in rows)
    else:
        rows = _read("chinese_female_given_name_chars.csv")
        korean = tuple(r["korean_reading"] for r in rows)
    w = np.array([float(r["heuristic_weight_1to5"]) for r in rows])
    return ChineseGivenChars(
        hanzi=tuple(r["hanzi"] for r in rows),
        pinyin=tuple(r["pinyin"] for r in rows),
        korean=korean,
        weight=w / w.sum(),
    )


@functools.cache
def hanja_forms() -> dict[str, tuple[str, str]]:
    """Traditional hanja -> (simplified form, toneless pinyin)."""
    return {r["hanja"]: (r["simplified"], r["pinyin"]) for r in _read("hanja_simplified.csv")}


def simplified(hanja: str) -> str:
    forms = hanja_forms()
    return "".join(forms.get(c, (c, ""))[0] for c in hanja)


def pinyin_of(hanja: str) -> tuple[str, ...]:
    forms = hanja_forms()
    return tuple(forms[c][1] if c in forms else c for c in hanja)


# -- places ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Places:
    """China's and the DPRK's gazetteer units in one index (China first).

    ``names[style][i]`` is place ``i`` written in a :data:`PLACE_STYLES` style; ``parent`` and
    ``province`` are indices (a province is its own province, -1 has no parent).
    """

    ids: tuple[str, ...]
    country: tuple[str, ...]
    level: tuple[str, ...]  # province / prefecture / county
    parent: I64
    province: I64
    names: dict[str, tuple[str, ...]]
    index: dict[str, int]  # gb code / ISO code / DPRK Hangul name -> index

    def __len__(self) -> int:
        return len(self.ids)

    def at_level(self, i: int, level: str) -> int:
        """Place ``i`` or the ancestor that a record at ``level`` would name."""
        if level == "province":
            return int(self.province[i])
        if level == "prefecture" and self.level[i] == "county":
            p = int(self.parent[i])
            return p if p >= 0 else i
        return i


def cn_place_id(gb_code: str) -> str:
    return f"CN-{gb_code}"


def kp_place_id(iso: str, parent_iso: str, rr: str) -> str:
    """The id :mod:`unseen.places` gives a DPRK unit (``KP-10``, ``KP-10-hyesan-si``)."""
    return iso or f"{parent_iso}-{re.sub('[^a-z-]', '', rr.lower())}"


@functools.cache
def places() -> Places:
    ids: list[str] = []
    country: list[str] = []
    level: list[str] = []
    parent_key: list[str] = []
    names: dict[str, list[str]] = {
        k: [] for k in ("hangul_s", "hangul_n", "sino_s", "hanzi", "pinyin", "english")
    }
    index: dict[str, int] = {}
    for r in _read("gazetteer_cn.csv"):
        index[r["gb_code"]] = len(ids)
        ids.append(cn_place_id(r["gb_code"]))
        country.append("CN")
        level.append(r["level"])
        parent_code = r["parent_gb_code"]
        if parent_code == r["gb_code"]:  # Dongguan, Zhongshan: cities without counties
            parent_code = r["gb_code"][:2] + "0000"
        parent_key.append(parent_code)
        names["hangul_s"].append(r["name_ko_kr"])
        names["hangul_n"].append(r["name_ko_cxz"])
        names["sino_s"].append(r["name_ko_sino_s"])
        names["hanzi"].append(r["name_zh"])
        names["pinyin"].append(r["pinyin"])
        names["english"].append(r["name_en"])
    for r in _read("gazetteer_kp.csv"):
        key = r["iso_3166_2"] or r["hangul_n"]
        index[key] = len(ids)
        ids.append(kp_place_id(r["iso_3166_2"], r["parent_iso"], r["rr"]))
        country.append("KP")
        level.append("province" if r["level"] == "province" else "county")
        parent_key.append(r["parent_iso"])
        names["hangul_s"].append(r["hangul_s"])
        names["hangul_n"].append(r["hangul_n"])
        names["sino_s"].append(r["hangul_s"])
        hanzi = simplified(r["hanja"]) if r["hanja"] else r["hangul_n"]
        names["hanzi"].append(hanzi)
        names["pinyin"].append(r["kp_common_en"])
        names["english"].append(r["name_en"])
    n = len(ids)
    parent = np.full(n, -1, dtype=np.int64)
    for i, key in enumerate(parent_key):
        if key:
            parent[i] = index[key]
    province = np.arange(n, dtype=np.int64)
    for i in range(n):
        j = i
        while level[j] != "province" and parent[j] >= 0:
            j = int(parent[j])
        province[i] = j
    return Places(
        ids=tuple(ids),
        country=tuple(country),
        level=tuple(level),
        parent=parent,
        province=province,
        names={k: tuple(v) for k, v in names.items()},
        index=index,
    )


def place_index(key: str) -> int:
    try:
        return places().index[key]
    except KeyError:
        raise ConfigError("simulation settings: a place is not in the gazetteer") from None


def kp_counties_by_province() -> dict[int, tuple[int, ...]]:
    p = places()
    out: dict[int, list[int]] = {}
    for i, c in enumerate(p.country):
        if c == "KP" and p.level[i] == "county":
            out.setdefault(int(p.province[i]), []).append(i)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def prefecture_of() -> I64:
    """For every place, the index a record at prefecture level would name."""
    p = places()
    return np.array([p.at_level(i, "prefecture") for i in range(len(p))], dtype=np.int64)


@functools.cache
def violation_labels() -> dict[str, tuple[str, ...]]:
    """Labels of the violation codes by language ("en", "ko", "zh"), in code order."""
    rows = _read("violation_types.csv")
    return {lang: tuple(r[f"label_{lang}"] for r in rows) for lang in ("en", "ko", "zh")}
