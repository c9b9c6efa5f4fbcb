"""The shipped gazetteer of China and the DPRK, with every name form we index.

Ids (stable; see docs/names-and-places.md):

- China: ``CN-<gb_code>``, the 6-digit GB/T 2260 code (``CN-220000`` Jilin, ``CN-222401`` Yanji).
- DPRK provinces and special cities: their ISO 3166-2 code (``KP-10`` Ryanggang).
- DPRK cities and counties: ``<parent ISO>-<slug>``, the slug being the Revised Romanization of
  the South Korean form, lower case (``KP-10-hyesan-si``, ``KP-09-musan-gun``).

Levels: ``province`` (provincial-level units of both countries, including the DPRK's special
cities), ``prefecture`` (China only) and ``county`` (China's county-level units, the DPRK's
cities and counties).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from pypinyin import Style, lazy_pinyin

from unseen.places._text import base_name, hangul_mr_plain, hangul_rr

# Traditional/Korean forms of the characters in DPRK names -> the simplified forms PRC
# documents use (會寧 -> 会宁, 淸津 -> 清津).
_SIMPLIFIED = dict(
    zip(
        "兩別園寧會榮樂權淵淸滿漁澗穩紅義臺興虛豊轄邊郞鏡鐵長開雲靑順黃龍龜峴戰時羅",
        "两别园宁会荣乐权渊清满渔涧稳红义台兴虚丰辖边郎镜铁长开云青顺黄龙龟岘战时罗",
        strict=True,
    )
)


@dataclass(frozen=True)
class Place:
    """One administrative unit. ``forms`` lists every name it is known by (kind, text)."""

    gazetteer_id: str
    country: str  # "CN" or "KP"
    level: str  # province / prefecture / county
    type: str
    name_en: str
    name_local: str  # 延吉市, 혜산시 (DPRK spelling)
    parent_id: str | None
    province_id: str
    borders: bool  # on the China-DPRK border
    noted: bool  # curated or annotated in the source (crossings, transit hubs, facilities)
    lat: float | None
    lon: float | None
    forms: tuple[tuple[str, str], ...]


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("unseen.places").joinpath("data").joinpath(name)
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _float(v: str) -> float | None:
    return float(v) if v else None


def _ko_forms(kind: str, hangul: str) -> list[tuple[str, str]]:
    """A Korean name, and its bare form romanised both ways (옌지시 -> Yenji, 연변 -> Yonpyon)."""
    if not hangul:
        return []
    bare = base_name(hangul)
    return [(kind, hangul), (f"{kind}_rr", hangul_rr(bare)), (f"{kind}_mr", hangul_mr_plain(bare))]


def _cn_places() -> list[Place]:
    out = []
    for r in _read("gazetteer_cn.csv"):
        if r["parent_gb_code"] == r["gb_code"]:
            # Dongguan and Zhongshan have no districts; the source repeats each as its own
            # county-level child. One entry (the prefecture-level city) is enough.
            continue
        forms = [
            ("zh", r["name_zh"]),
            ("zh_trad", r["name_zh_trad"]),
            ("zh_base", r["base_zh"]),
            ("pinyin", r["pinyin"]),
            ("pinyin_tone", r["pinyin_tone"]),
            ("pinyin_full", r["pinyin_syllables"]),
            ("en", r["name_en"]),
        ]
        if r["iso_3166_2"]:
            forms.append(("iso", r["iso_3166_2"]))
        for kind in ("name_ko_cxz", "name_ko_kr", "name_ko_sino_s"):
            forms += _ko_forms(kind.removeprefix("name_"), r[kind])
        # "Tibet (Xizang) Autonomous Region": both names.
        for inner in re.findall(r"\((.*?)\)", r["name_en"]):
            forms.append(("en", inner))
            forms.append(("en", re.sub(r"\s*\(.*?\)", "", r["name_en"])))
        parent = f"CN-{r['parent_gb_code']}" if r["parent_gb_code"] else None
        province = next(
            (f"CN-{p['gb_code']}" for p in _cn_provinces() if p["iso_3166_2"] == r["province_iso"]),
            f"CN-{r['gb_code']}",
        )
        out.append(
            Place(
                gazetteer_id=f"CN-{r['gb_code']}",
                country="CN",
                level=r["level"],
                type=r["type"],
                name_en=r["name_en"],
                name_local=r["name_zh"],
                parent_id=parent,
                province_id=province,
                borders=r["borders_kp"] == "Y",
                noted=r["ko_source"] == "curated" or bool(r["notes"]),
                lat=_float(r["lat"]),
                lon=_float(r["lon"]),
                forms=tuple(dict.fromkeys((k, v) for k, v in forms if v)),
            )
        )
    return out


@functools.cache
def _cn_provinces() -> tuple[dict[str, str], ...]:
    return tuple(r for r in _read("gazetteer_cn.csv") if r["level"] == "province")


def _pinyin(chars: str) -> str:
    return "".join(lazy_pinyin(chars, style=Style.NORMAL)).capitalize()


def kp_slug(row: Mapping[str, str]) -> str:
    return f"{row['parent_iso']}-{re.sub('[^a-z-]', '', row['rr'].lower())}"


def _kp_places() -> list[Place]:
    out = []
    for r in _read("gazetteer_kp.csv"):
        is_province = r["level"] == "province"
        pid = r["iso_3166_2"] if is_province else kp_slug(r)
        simplified = "".join(_SIMPLIFIED.get(c, c) for c in r["hanja"])
        forms = [
            ("zh_trad", r["hanja"]),
            ("zh", simplified),
            ("pinyin", _pinyin(base_name(simplified)) if simplified else ""),
            ("rr", r["rr"]),
            ("mr", r["mr"]),
            ("iso_name", r["iso_name"]),
            ("en", r["kp_common_en"]),
            ("en", r["name_en"]),
        ]
        forms += _ko_forms("ko_n", r["hangul_n"]) + _ko_forms("ko_s", r["hangul_s"])
        if is_province:
            forms.append(("iso", r["iso_3166_2"]))
        for inner in re.findall(r"\((.*?)\)", r["name_en"]):
            forms += [("en", inner), ("en", re.sub(r"\s*\(.*?\)", "", r["name_en"]))]
        for part in re.split(r"[;/,←]", r["former_names"]):
            part = part.strip()
            if not part:
                continue
            for hangul in re.findall("[\uac00-\ud7a3]+", part):
                if len(hangul) > 1 and "county" not in hangul:
                    forms += [("former", hangul), ("former_rr", hangul_rr(hangul))]
            for latin in re.findall(r"\(([A-Za-z]+)\)", part):
                forms.append(("former", latin))
        out.append(
            Place(
                gazetteer_id=pid,
                country="KP",
                level="province" if is_province else "county",
                type=r["type"],
                name_en=r["name_en"],
                name_local=r["hangul_n"],
                parent_id=None if is_province else r["parent_iso"],
                province_id=pid if is_province else r["parent_iso"],
                borders=r["borders_cn"] == "Y",
                noted=bool(r["notes"]) or is_province,
                lat=_float(r["lat"]),
                lon=_float(r["lon"]),
                forms=tuple(dict.fromkeys((k, v) for k, v in forms if v)),
            )
        )
    return out


def _aliases() -> list[tuple[str, str, str]]:
    return [(r["gazetteer_id"], r["kind"], r["alias"]) for r in _read("aliases.csv")]


@functools.cache
def gazetteer() -> Mapping[str, Place]:
    """Every place by id (read-only)."""
    places = {p.gazetteer_id: p for p in _cn_places() + _kp_places()}
    extra: dict[str, list[tuple[str, str]]] = {}
    for pid, kind, alias in _aliases():
        extra.setdefault(pid, []).append((kind, alias))
    for pid, forms in extra.items():
        p = places[pid]
        places[pid] = Place(**{**p.__dict__, "forms": tuple(dict.fromkeys(p.forms + tuple(forms)))})
    return MappingProxyType(places)
