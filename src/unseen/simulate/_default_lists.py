"""The six default documentation lists: whom each sees, how it captures, how it writes.

Capture effects and habits are modelling choices ([model]) written to resemble each kind of
organisation (docs/simulation.md section 3); intercepts are set so that the realistic preset
holds about 17,000 records in all.
"""

from __future__ import annotations

from dataclasses import replace

from unseen.simulate._schedules import Weights, _bad
from unseen.simulate._settings import ListSettings, RecordHabit

W = Weights.of

# -- lists ---------------------------------------------------------------------------------

_BIRTH_CAREFUL = W({"0": 0.86, "1": 0.05, "-1": 0.05, "2": 0.02, "-2": 0.02})
_BIRTH_LOOSE = W({"0": 0.70, "1": 0.12, "-1": 0.12, "2": 0.03, "-2": 0.03})

INTERVIEWS = ListSettings(
    name="interviews",
    label_en="Interviews of resettled survivors (South Korea)",
    label_ko="탈북민 면접 기록(한국)",
    eligible="reached_sk",
    window=(2002, 2025),
    intercept=-2.95,
    effects=W(female=0.5, trafficked=0.6, repatriated=1.0, years_in_china=0.3),
    frailty_loadings=(0.8, 0.0),
    duplicate_rate=0.04,
    child_capture=0.5,
    act_weights=W(
        {
            "TIP.SALE": 3,
            "FMAR": 3,
            "FPROST": 2,
            "CYBERSEX": 2,
            "REFOUL": 2,
            "TORT": 2,
            "IMPRIS": 1.5,
            "DV": 1,
            "SV": 1,
            "ARREST": 1,
            "FLAB": 1,
            "TIP.DECEPT": 1,
            "EXTORT": 0.5,
            "CONF": 0.5,
            "THREAT": 0.5,
            "BIRTHREG": 1,
            "FAMSEP": 1,
            "TORT.SEARCH": 1,
            "TORT.ABORT": 1,
            "EXIT": 0.5,
            "CHILD-SEX": 1,
        }
    ),
    habit=RecordHabit(
        name_systems=W(hangul=1.0),
        alias_kind="sk",
        hangul_south=0.6,
        split_names=0.7,
        typo=0.02,
        alias=0.6,
        alias_as_name=0.5,
        missing=W(
            birth_date=0.05,
            origin_place=0.10,
            china_place=0.15,
            first_exit_date=0.10,
            event_place=0.20,
            perpetrator_type=0.20,
        ),
        birth_offset=_BIRTH_CAREFUL,
        birth_style=W(day=0.6, year=0.3, ko_about=0.1),
        date_style=W(month=0.3, year=0.2, ko_season=0.2, ko_month=0.15, season=0.05, approx=0.1),
        place_style=W(hangul_s=0.6, sino_s=0.3, hangul_n=0.1),
        place_level=W(county=0.7, prefecture=0.2, province=0.1),
        notes=0.6,
        notes_language="ko",
        record_id_prefix="INT-",
    ),
)
SHELTER = ListSettings(
    name="shelter",
    label_en="A shelter's case files (China)",
    label_ko="쉼터 사례 기록(중국)",
    eligible="in_china",
    window=(2003, 2025),
    intercept=-6.2,
    effects=W(
        female=1.5,
        marriage=0.8,
        prostitution=0.5,
        region_yanbian=1.0,
        region_jilin=0.6,
        region_liaoning=0.5,
        has_children=0.5,
        in_china_end=0.4,
    ),
    frailty_loadings=(0.6, 0.4),
    duplicate_rate=0.15,
    child_capture=0.7,
    act_weights=W(
        {
            "FMAR": 3,
            "DV": 3,
            "CONF": 2,
            "TIP.SALE": 2,
            "SV": 1,
            "HEALTH": 1,
            "FLAB": 1,
            "BIRTHREG": 2,
            "THREAT": 1,
            "FPROST": 1,
            "FAMSEP": 1,
        }
    ),
    habit=RecordHabit(
        name_systems=W(hangul=1.0),
        alias_kind="chinese",
        hangul_south=0.1,
        hanzi_column=0.3,
        split_names=0.5,
        typo=0.04,
        alias=0.8,
        alias_as_name=0.1,
        missing=W(
            birth_date=0.15,
            origin_place=0.25,
            first_exit_date=0.30,
            event_place=0.10,
            perpetrator_type=0.30,
            sex=0.02,
        ),
        birth_offset=_BIRTH_LOOSE,
        birth_style=W(year=0.6, approx=0.2, ko_about=0.2),
        date_style=W(ko_season=0.35, ko_month=0.2, ko_about=0.15, year=0.2, dotted=0.1),
        place_style=W(hangul_n=0.6, hanzi=0.3, sino_s=0.1),
        place_level=W(county=0.6, prefecture=0.3, province=0.1),
        notes=0.5,
        notes_language="ko",
        record_id_prefix="SH",
    ),
)
MEDIA = ListSettings(
    name="media",
    label_en="Media reports",
    label_ko="언론 보도",
    eligible="all",
    window=(1999, 2025),
    intercept=-5.6,
    effects=W(reached_sk=1.0, repatriated=0.7, mass_return=2.5, cybersex=1.2, prostitution=0.5),
    frailty_loadings=(0.5, 0.5),
    duplicate_rate=0.30,
    child_capture=0.1,
    act_weights=W(
        {
            "REFOUL": 3,
            "TIP.SALE": 3,
            "CYBERSEX": 3,
            "FPROST": 2,
            "FMAR": 2,
            "TORT": 2,
            "KILL": 2,
            "CHILD-SEX": 2,
            "TORT.ABORT": 1,
            "IMPRIS": 1,
        }
    ),
    habit=RecordHabit(
        name_systems=W(passport=0.7, mr_plain=0.2, rr=0.1),
        alias_kind="any",
        hangul_column=0.2,
        split_names=0.3,
        given_first=0.3,
        hyphen_drop=0.2,
        typo=0.03,
        alias=0.2,
        pseudonym=0.2,
        missing=W(
            birth_date=0.30,
            origin_place=0.40,
            first_exit_date=0.50,
            china_place=0.20,
            perpetrator_type=0.30,
            event_place=0.15,
        ),
        birth_offset=W({"0": 0.6, "1": 0.15, "-1": 0.15, "2": 0.05, "-2": 0.05}),
        birth_style=W(en_about=0.6, year=0.4),
        date_style=W(year=0.3, en_season=0.2, month=0.2, en_about=0.1, approx=0.1, before=0.1),
        place_style=W(english=0.6, pinyin=0.3, hangul_s=0.1),
        place_level=W(prefecture=0.5, province=0.4, county=0.1),
        notes=0.7,
        notes_language="en",
        record_id_prefix="MED-",
    ),
)
REPATRIATION = ListSettings(
    name="repatriation",
    label_en="Repatriation records (Chinese police)",
    label_ko="중국 공안 송환 기록",
    eligible="arrested",
    window=(1998, 2025),
    intercept=-4.15,
    effects=W(arrests=0.3, region_yanbian=0.5, work=0.3),
    frailty_loadings=(0.0, 1.0),
    duplicate_rate=0.30,
    child_capture=0.0,
    act_weights=W({"ARREST": 5, "REFOUL": 3}),
    habit=RecordHabit(
        name_systems=W(hanzi=1.0),
        alias_kind="chinese",
        hanzi_column=1.0,
        split_names=0.8,
        typo=0.01,
        alias=0.3,
        alias_as_name=0.4,
        missing=W(origin_place=0.20, first_exit_date=0.60, birth_date=0.10, china_place=0.10),
        birth_offset=W({"0": 0.8, "1": 0.08, "-1": 0.08, "2": 0.02, "-2": 0.02}),
        birth_style=W(day=0.7, year=0.3),
        date_style=W(day=0.9, month=0.1),
        place_style=W(hanzi=1.0),
        place_level=W(county=0.7, prefecture=0.3),
        notes=0.2,
        notes_language="zh",
        record_id_prefix="GA",
    ),
)
CHURCH = ListSettings(
    name="church",
    label_en="A church network",
    label_ko="교회 네트워크",
    eligible="in_china",
    window=(2000, 2025),
    intercept=-5.75,
    effects=W(
        female=0.6,
        reached_sk=1.2,
        transit=0.5,
        trafficked=0.4,
        region_yanbian=0.5,
        region_shandong=0.8,
        region_liaoning=0.4,
    ),
    frailty_loadings=(0.7, -0.3),
    duplicate_rate=0.10,
    child_capture=0.4,
    act_weights=W(
        {
            "TIP.SALE": 2,
            "FMAR": 2,
            "REFOUL": 2,
            "PERSEC": 3,
            "TORT": 1,
            "EXTORT": 1,
            "DV": 1,
            "FPROST": 1,
            "ARREST": 1,
        }
    ),
    habit=RecordHabit(
        name_systems=W(dprk=0.6, mr=0.3, hangul=0.1),
        alias_kind="any",
        hangul_column=0.5,
        given_first=0.2,
        hyphen_drop=0.3,
        typo=0.05,
        alias=0.5,
        missing=W(
            birth_date=0.20,
            origin_place=0.30,
            first_exit_date=0.30,
            event_place=0.30,
            perpetrator_type=0.40,
        ),
        birth_offset=_BIRTH_LOOSE,
        birth_style=W(year=0.5, approx=0.3, day=0.2),
        date_style=W(year=0.3, approx=0.2, en_season=0.2, month=0.2, interval=0.1),
        place_style=W(english=0.4, hangul_s=0.3, pinyin=0.3),
        place_level=W(county=0.4, prefecture=0.4, province=0.2),
        notes=0.5,
        notes_language="en",
        record_id_prefix="CH",
    ),
)
UN = ListSettings(
    name="un",
    label_en="UN submissions",
    label_ko="유엔 제출 자료",
    eligible="all",
    window=(2004, 2025),
    intercept=-6.6,
    effects=W(reached_sk=1.0, repatriated=0.8),
    frailty_loadings=(0.5, 0.2),
    depends_on=W(interviews=3.5, church=1.5),
    duplicate_rate=0.10,
    child_capture=0.2,
    act_weights=W(
        {
            "REFOUL": 3,
            "TORT": 3,
            "IMPRIS": 2,
            "TIP.SALE": 2,
            "FMAR": 2,
            "TORT.ABORT": 2,
            "TORT.SEARCH": 2,
            "PERSEC": 2,
            "EXIT": 1,
        }
    ),
    habit=RecordHabit(
        name_systems=W(rr=0.6, passport=0.3, mr=0.1),
        alias_kind="sk",
        hangul_column=0.4,
        split_names=0.5,
        hyphen_drop=0.1,
        typo=0.02,
        alias=0.4,
        missing=W(first_exit_date=0.30, birth_date=0.20, perpetrator_type=0.10),
        birth_offset=_BIRTH_CAREFUL,
        birth_style=W(year=0.6, day=0.3, approx=0.1),
        date_style=W(month=0.4, year=0.3, interval=0.1, before=0.1, decade=0.1),
        place_style=W(english=0.7, gazetteer_id=0.3),
        place_level=W(province=0.4, prefecture=0.4, county=0.2),
        notes=0.4,
        notes_language="en",
        record_id_prefix="UN",
    ),
)
DEFAULT_LISTS: tuple[ListSettings, ...] = (INTERVIEWS, SHELTER, MEDIA, REPATRIATION, CHURCH, UN)

# Extra lists beyond six are variants of these, with other habits (names end in _2, _3 ...).
_VARIANT_SYSTEMS = (
    W(mr_plain=1.0),
    W(mr=1.0),
    W(rr=0.5, hangul=0.5),
    W(passport=1.0),
    W(dprk=1.0),
    W(hanzi=1.0),
)


def default_lists(k: int | None) -> tuple[ListSettings, ...]:
    if k is None:
        return DEFAULT_LISTS
    if not 1 <= k <= 24:
        raise _bad("the number of lists must lie in 1..24")
    out = list(DEFAULT_LISTS[:k])
    i = 0
    while len(out) < k:
        base = DEFAULT_LISTS[i % 6]
        copy_no = i // 6 + 2
        systems = _VARIANT_SYSTEMS[i % len(_VARIANT_SYSTEMS)]
        if base.habit.name_systems.keys() == ("hanzi",):
            systems = base.habit.name_systems
        out.append(
            replace(
                base,
                name=f"{base.name}_{copy_no}",
                label_en=f"{base.label_en} ({copy_no})",
                label_ko=f"{base.label_ko} ({copy_no})",
                intercept=base.intercept - 0.3,
                depends_on=Weights(()),
                habit=replace(
                    base.habit,
                    name_systems=systems,
                    record_id_prefix=f"{base.habit.record_id_prefix}{copy_no}-",
                ),
            )
        )
        i += 1
    return tuple(out)
