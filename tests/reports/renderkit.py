"""A hand-built ReportData with synthetic numbers, for the renderer tests (no workspace needed).

The numbers are made up and already "published": some cells are suppressed as disclosure control
would leave them (primary below the threshold, secondary to protect the margins).
"""

from __future__ import annotations

import datetime as dt
import math
from types import MappingProxyType

from unseen.estimation import Estimate
from unseen.reports.model import (
    Cell,
    CountTable,
    DisclosureSettings,
    EstimateView,
    MapLayer,
    MethodsAppendix,
    ReportData,
    ViolationLaw,
)

P = Cell(None, "primary")
S = Cell(None, "secondary")

VIOLATIONS = (
    ("TIP", "Trafficking in persons", "인신매매"),
    ("FMAR", "Forced marriage / sale into marriage", "강제 결혼(매매혼)"),
    ("SV", "Sexual violence", "성폭력"),
    ("REFOUL", "Forced repatriation / refoulement", "강제송환(강제북송)"),
    ("TORT", "Torture / ill-treatment after return (DPRK)", "송환 후 고문·가혹행위"),
)
# Values nobody could mistake for a real count; suppressed cells are None.
BY_VIOLATION = (412, 388, 97, 151, None)
YEARS = tuple(str(y) for y in range(2012, 2024))


def c(v: int | None, flag: str = "") -> Cell:
    if v is None:
        return P
    return Cell(v, flag)  # type: ignore[arg-type]


def one_way(
    key: str,
    en: str,
    ko: str,
    codes: tuple[str, ...],
    labels: tuple[str, ...],
    cells: tuple[Cell, ...],
    total: Cell,
) -> CountTable:
    return CountTable(
        key=key,
        title_en=en,
        title_ko=ko,
        rows=codes,
        cols=("count",),
        row_labels=labels,
        col_labels=("count",),
        cells=tuple((x,) for x in cells),
        row_totals=cells,
        col_totals=(total,),
        total=total,
    )


def timeline(lang: str) -> CountTable:
    codes = tuple(v[0] for v in VIOLATIONS[:4])
    labels = tuple(v[2] if lang == "ko" else v[1] for v in VIOLATIONS[:4])
    rows = []
    for i, _ in enumerate(YEARS):
        row = []
        for j in range(4):
            v = int(20 + 15 * j + 8 * i + 10 * math.sin(i + j))
            row.append(c(v))
        rows.append(row)
    rows[0][2] = P  # an early year with few cases
    rows[0][3] = S
    rows[1][2] = P
    cells = tuple(tuple(r) for r in rows)
    return CountTable(
        key="acts_by_year_violation",
        title_en="Acts by year and violation type",
        title_ko="연도·피해 유형별 행위",
        rows=YEARS,
        cols=codes,
        row_labels=YEARS,
        col_labels=labels,
        cells=cells,
        row_totals=tuple(c(200 + 30 * i) for i in range(len(YEARS))),
        col_totals=tuple(c(600 + 100 * j) for j in range(4)),
        total=c(4000),
        unit_en="acts",
        unit_ko="건",
    )


def sex_by_age(lang: str) -> CountTable:
    ages = ("0-17", "18-29", "30-44", "45+")
    sexes = ("F", "M")
    sl = ("여성", "남성") if lang == "ko" else ("female", "male")
    cells = (
        (c(41), P),
        (c(388), c(29)),
        (c(301), c(38)),
        (c(96), S),
    )
    return CountTable(
        key="sex_by_age",
        title_en="People by age band and sex",
        title_ko="연령대·성별 사람 수",
        rows=ages,
        cols=sexes,
        row_labels=ages,
        col_labels=sl,
        cells=cells,
        row_totals=(c(44), c(417), c(339), c(99)),
        col_totals=(c(826), c(73)),
        total=c(899),
    )


def tables(lang: str) -> tuple[CountTable, ...]:
    ko = lang == "ko"
    vio = one_way(
        "people_by_violation",
        "People by violation type",
        "피해 유형별 사람 수",
        tuple(v[0] for v in VIOLATIONS),
        tuple(v[2] if ko else v[1] for v in VIOLATIONS),
        tuple(c(v) for v in BY_VIOLATION),
        c(899),
    )
    year_cells = tuple(c(v) for v in (None, 12, 35, 61, 80, 95, 110, 128, 122, 104, 90, 60))
    year_cells = (P, S) + year_cells[2:]
    years = one_way(
        "people_by_year", "People by year", "연도별 사람 수", YEARS, YEARS, year_cells, c(899)
    )
    cn_codes = ("CN-JL", "CN-LN", "CN-HL", "CN-SD", "CN-NM", "CN-BJ", "CN-YN")
    cn_en = ("Jilin", "Liaoning", "Heilongjiang", "Shandong", "Inner Mongolia", "Beijing", "Yunnan")
    cn_ko = ("지린성", "랴오닝성", "헤이룽장성", "산둥성", "네이멍구자치구", "베이징시", "윈난성")
    cn_cells = (c(431), c(187), c(122), c(61), P, S, c(58))
    cn = one_way(
        "people_by_cn_province",
        "People by province of residence in China",
        "중국 내 거주 성(省)별 사람 수",
        cn_codes,
        cn_ko if ko else cn_en,
        cn_cells,
        c(899),
    )
    kp_codes = ("KP-09", "KP-10", "KP-08", "KP-04", "KP-03", "KP-01")
    kp_en = (
        "North Hamgyong",
        "Ryanggang",
        "South Hamgyong",
        "Chagang",
        "North Pyongan",
        "Pyongyang",
    )
    kp_ko = ("함경북도", "양강도", "함경남도", "자강도", "평안북도", "평양")
    kp_cells = (c(502), c(211), c(96), c(48), P, S)
    kp = one_way(
        "people_by_kp_province",
        "People by province of origin in North Korea",
        "북한 출신 도별 사람 수",
        kp_codes,
        kp_ko if ko else kp_en,
        kp_cells,
        c(899),
    )
    sex = one_way(
        "people_by_sex",
        "People by sex",
        "성별 사람 수",
        ("F", "M"),
        ("여성", "남성") if ko else ("female", "male"),
        (c(826), c(73)),
        c(899),
    )
    return (vio, years, cn, kp, sex, sex_by_age(lang))


def maps(t: tuple[CountTable, ...]) -> tuple[MapLayer, ...]:
    cn, kp = t[2], t[3]
    return (
        MapLayer(
            "china_residence",
            "Province of residence in China",
            "중국 내 거주 성(省)",
            MappingProxyType({k: r[0] for k, r in zip(cn.rows, cn.cells, strict=True)}),
        ),
        MapLayer(
            "origin_kp",
            "Province of origin in North Korea",
            "북한 출신 도",
            MappingProxyType({k: r[0] for k, r in zip(kp.rows, kp.cells, strict=True)}),
        ),
    )


def curve(mean: float, sd: float) -> tuple[tuple[float, float], ...]:
    pts = []
    for i in range(121):
        n = mean - 4 * sd + i * (8 * sd / 120)
        pts.append((n, math.exp(-0.5 * ((n - mean) / sd) ** 2)))
    return tuple(pts)


def estimates(lang: str, *, truth: bool) -> tuple[EstimateView, ...]:
    ko = lang == "ko"
    total = Estimate(
        method="lcmcr",
        observed=899,
        estimate=2731.0,
        lower=2104.0,
        upper=3652.0,
        level=0.95,
        lists=("NGO-A", "NGO-B", "Church network"),
        diagnostics={"rhat_max": 1.004, "ess_min": 812.0, "chains": 4},
        seed=7,
    )
    women = Estimate(
        method="lcmcr",
        observed=826,
        estimate=2480.0,
        lower=1890.0,
        upper=3390.0,
        level=0.95,
        lists=total.lists,
        stratum=(("sex", "F"),),
    )
    men = Estimate.not_estimable(
        "lcmcr", 73, total.lists, "too few people on two or more lists", stratum=(("sex", "M"),)
    )
    open_top = Estimate(
        method="stepwise",
        observed=344,
        estimate=1210.0,
        lower=720.0,
        upper=None,
        level=0.95,
        lists=total.lists,
        diagnostics={"upper_unbounded": True},
        stratum=(("period", "2012-2017"),),
    )
    return (
        EstimateView(total, "전체" if ko else "all", 2900 if truth else None, curve(2731, 390)),
        EstimateView(women, "여성" if ko else "women", 2611 if truth else None, curve(2480, 370)),
        EstimateView(men, "남성" if ko else "men", 310 if truth else None),
        EstimateView(open_top, "2012-2017", 1402 if truth else None),
    )


def laws(lang: str) -> tuple[ViolationLaw, ...]:
    ko = lang == "ko"
    return (
        ViolationLaw(
            "TIP",
            "인신매매" if ko else "Trafficking in persons",
            "Recruitment, transport, transfer, harbouring or receipt of a person by threat, force, "
            "deception, abuse of vulnerability or payment, for exploitation.",
            ("PALERMO art. 3(a),(b),(c)", "CEDAW art. 6", "CRC art. 35"),
            "7(1)(c) enslavement (7(2)(c) incl. trafficking)",
        ),
        ViolationLaw(
            "REFOUL",
            "강제송환(강제북송)" if ko else "Forced repatriation / refoulement",
            "Return of a person to a country where they face persecution or torture.",
            ("CAT art. 3", "RC1951 art. 33"),
            "7(1)(d) deportation or forcible transfer (COI: in part)",
        ),
    )


def methods(lang: str) -> MethodsAppendix:
    return MethodsAppendix(
        lists=(("NGO-A", 512), ("NGO-B", 390), ("Church network", 233)),
        linkage=MappingProxyType(
            {
                "records": 1135,
                "clusters": 899,
                "threshold": 0.92,
                "engine": "duckdb",
                "quality": MappingProxyType({"precision": 0.981, "recall": 0.962}),
            }
        ),
        review=MappingProxyType({"match": 61, "non-match": 44, "unsure": 7}),
        estimation=MappingProxyType(
            {
                "method": "lcmcr",
                "why": "three lists, heterogeneous capture",
                "diagnostics": MappingProxyType({"rhat_max": 1.004, "ess_min": 812.0}),
            }
        ),
        notes=(
            "합성 자료로 만든 시험용 보고서입니다."
            if lang == "ko"
            else "A test report built from synthetic numbers.",
        ),
    )


def sample_report(
    lang: str = "en",
    *,
    scope: str = "public",
    demo: bool = True,
    disclosure: DisclosureSettings | None = None,
) -> ReportData:
    t = tables(lang)
    return ReportData(
        lang=lang,  # type: ignore[arg-type]
        scope=scope,
        workspace_label="synthetic test workspace",
        generated_on=dt.date(2026, 12, 2),
        people_in_scope=899,
        left_out_by_consent=37,
        tables=t,
        timeline=timeline(lang),
        maps=maps(t),
        estimates=estimates(lang, truth=demo),
        laws=laws(lang),
        methods=methods(lang),
        disclosure=disclosure or DisclosureSettings(),
        demo=demo,
    )
