"""Every province of both countries in every script of the gazetteer, every border county,
and the variants from the issue."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

import unseen.places as places
from unseen.errors import ValueNotUnderstood
from unseen.places import gazetteer, resolve_place


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("unseen.places").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


CN = _rows("gazetteer_cn.csv")
KP = _rows("gazetteer_kp.csv")
CN_COLUMNS = (
    "name_zh",
    "name_zh_trad",
    "base_zh",
    "pinyin",
    "pinyin_tone",
    "name_en",
    "name_ko_cxz",
    "name_ko_kr",
    "name_ko_sino_s",
)
KP_COLUMNS = ("hangul_n", "hangul_s", "hanja", "rr", "mr", "iso_name", "kp_common_en", "name_en")

# Forms that name two places in the gazetteer itself; the test then asks for the right one
# among the alternatives and a confidence that admits the doubt.
SHARED = {
    ("CN-610000", "name_ko_kr"),  # 산시성 is both Shanxi and Shaanxi in South Korean usage
    ("CN-140000", "name_ko_kr"),
}


def _cases(rows: list[dict[str, str]], columns: tuple[str, ...], pick, ident) -> list:
    out = []
    for r in rows:
        if not pick(r):
            continue
        for col in columns:
            if r[col]:
                out.append(pytest.param(ident(r), col, r[col], id=f"{ident(r)}-{col}"))
    return out


def _kp_id(r: dict[str, str]) -> str:
    if r["level"] == "province":
        return r["iso_3166_2"]
    return f"{r['parent_iso']}-{''.join(c for c in r['rr'].lower() if c.isalpha() or c == '-')}"


def _check(expected: str, column: str, text: str) -> None:
    m = resolve_place(text)
    assert m is not None, (expected, column)
    if (expected, column) in SHARED:
        assert expected == m.gazetteer_id or expected in m.alternatives
        assert m.confidence <= 0.7
    else:
        assert m.gazetteer_id == expected, (column, m)
        assert 0.0 < m.confidence <= 1.0


@pytest.mark.parametrize(
    ("expected", "column", "text"),
    _cases(CN, CN_COLUMNS, lambda r: r["level"] == "province", lambda r: f"CN-{r['gb_code']}"),
)
def test_every_cn_province_in_every_script(expected: str, column: str, text: str) -> None:
    _check(expected, column, text)


@pytest.mark.parametrize(
    ("expected", "column", "text"),
    _cases(KP, KP_COLUMNS, lambda r: r["level"] == "province", _kp_id),
)
def test_every_kp_province_in_every_script(expected: str, column: str, text: str) -> None:
    _check(expected, column, text)


@pytest.mark.parametrize(
    ("expected", "column", "text"),
    _cases(CN, CN_COLUMNS, lambda r: r["borders_kp"] == "Y", lambda r: f"CN-{r['gb_code']}"),
)
def test_every_cn_border_county(expected: str, column: str, text: str) -> None:
    _check(expected, column, text)


@pytest.mark.parametrize(
    ("expected", "column", "text"),
    _cases(KP, KP_COLUMNS, lambda r: r["borders_cn"] == "Y" and r["level"] != "province", _kp_id),
)
def test_every_kp_border_county(expected: str, column: str, text: str) -> None:
    _check(expected, column, text)


def test_border_flags_survive_loading() -> None:
    g = gazetteer()
    assert sum(p.borders for p in g.values() if p.country == "CN") == 12
    assert {p.gazetteer_id for p in g.values() if p.country == "KP" and p.borders} >= {
        "KP-10-hyesan-si",
        "KP-09-musan-gun",
        "KP-03-sinuiju-si",
    }


ISSUE = [
    ("Yanji", "CN-222401"),
    ("연길", "CN-222401"),
    ("延吉", "CN-222401"),
    ("옌지", "CN-222401"),
    ("Yenji", "CN-222401"),
    ("Yanji City", "CN-222401"),
    ("延吉市", "CN-222401"),
    ("Yanbian", "CN-222400"),
    ("연변", "CN-222400"),
    ("Dandong", "CN-210600"),
    ("단둥", "CN-210600"),
    ("丹东", "CN-210600"),
    ("Hyesan", "KP-10-hyesan-si"),
    ("혜산", "KP-10-hyesan-si"),
    ("Hyesan-si", "KP-10-hyesan-si"),
    ("Musan", "KP-09-musan-gun"),
    ("무산군", "KP-09-musan-gun"),
    ("Ryanggang", "KP-10"),
    ("량강도", "KP-10"),
    ("양강도", "KP-10"),
    ("Yanggang", "KP-10"),
    ("Yánjí", "CN-222401"),
    ("延邊", "CN-222400"),
    ("단동", "CN-210600"),
    ("Tandong", "CN-210600"),
    ("Yonbyon", "CN-222400"),
    ("신의주", "KP-03-sinuiju-si"),
    ("Sinŭiju-si", "KP-03-sinuiju-si"),
    ("Hoeryŏng", "KP-09-hoeryeong-si"),
    ("会宁", "KP-09-hoeryeong-si"),
    ("Huishan", "KP-10-hyesan-si"),
    ("Sinpha", "KP-10-gimjeongsuk-gun"),
    ("흑룡강성", "CN-230000"),
    ("헤이룽장", "CN-230000"),
    ("할빈", "CN-230100"),
    ("하얼빈시", "CN-230100"),
    ("심양", "CN-210100"),
    ("선양", "CN-210100"),
    ("홍콩", "CN-810000"),
    ("Yanji, Jilin", "CN-222401"),
    ("吉林省延吉市", "CN-222401"),
    ("량강도 혜산시", "KP-10-hyesan-si"),
    ("  YANJI  CITY ", "CN-222401"),
    # Chinese records write Rason in simplified characters; the gazetteer holds the Hanja.
    ("罗先特别市", "KP-13"),
    ("羅先特別市", "KP-13"),
]


@pytest.mark.parametrize(("text", "expected"), ISSUE)
def test_issue_examples(text: str, expected: str) -> None:
    m = resolve_place(text)
    assert m is not None and m.gazetteer_id == expected


def test_exact_beats_normalised_beats_fuzzy() -> None:
    exact, norm, fuzzy = resolve_place("延吉市"), resolve_place("연길"), resolve_place("Yanjji")
    assert exact and norm and fuzzy
    assert (exact.method, norm.method, fuzzy.method) == ("exact", "normalised", "fuzzy")
    assert exact.confidence > norm.confidence > fuzzy.confidence
    assert fuzzy.gazetteer_id == "CN-222401"


def test_ambiguous_names_lower_confidence_and_alternatives() -> None:
    m = resolve_place("朝阳区")
    assert m is not None
    assert {m.gazetteer_id, *m.alternatives} == {"CN-110105", "CN-220104"}
    assert m.confidence <= 0.5
    m = resolve_place("Chaoyang")
    assert m is not None and m.gazetteer_id == "CN-211300"  # the prefecture-level city
    assert len(m.alternatives) >= 3 and m.confidence < 1.0
    m = resolve_place("Chaoyang District, Jilin")
    assert m is not None and m.gazetteer_id == "CN-220104" and m.alternatives == ()
    m = resolve_place("Jilin")
    assert m is not None and m.gazetteer_id == "CN-220000" and "CN-220200" in m.alternatives
    m = resolve_place("Jilin City")
    assert m is not None and m.gazetteer_id == "CN-220200"


def test_country_filter() -> None:
    m = resolve_place("용천", country="KP")
    assert m is not None and m.gazetteer_id == "KP-03-yongcheon-gun" and m.alternatives == ()
    assert resolve_place("Hyesan", country="CN") is None
    with pytest.raises(ValueNotUnderstood, match="CN"):
        resolve_place("Yanji", country="China")


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "xyzzy", "somewhere near the river"])
def test_nothing_fits(text: str) -> None:
    assert resolve_place(text) is None


def test_exports_match_all() -> None:
    public = {n for n in vars(places) if not n.startswith("_")} - {"annotations"}
    assert public == set(places.__all__)


def test_ids_are_unique_and_well_formed() -> None:
    g = gazetteer()
    assert len(g) == len(CN) + len(KP) - 2  # Dongguan and Zhongshan are listed twice
    for pid, p in g.items():
        assert pid.startswith(f"{p.country}-")
        assert p.level in ("province", "prefecture", "county")
        assert p.parent_id is None or p.parent_id in g
