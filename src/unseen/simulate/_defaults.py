"""Default parameters of the simulator and the three presets.

Each value cites its basis: ``facts §n`` is a section of
``shared/data/domain/calibration_facts.md`` (copied figures are in ``docs/simulation.md``);
``MOU`` is ``defector_arrivals_kr.csv``; ``[model]`` marks a modelling choice with no published
figure behind it, to be checked by someone who knows the field.
"""

from __future__ import annotations

from unseen.simulate._default_lists import default_lists
from unseen.simulate._schedules import Schedule, Weights, WeightsSchedule
from unseen.simulate._settings import PopulationSettings, SimulationSettings
from unseen.simulate._tables import mou_arrivals

W = Weights.of

# -- population ---------------------------------------------------------------------------

# First crossings per year at scale 1, everyone who crossed (later arrivals in South Korea
# included). [model] shaped by facts §1-2: large flows after the famine, a fall with the border
# tightening of 2012, near zero in the COVID closure; sized so that the stock of 2000-2012 lies
# at the low end of the 30,000-200,000 prior (facts §1) with about 100,000 people in all.
CROSSINGS = Schedule(
    (
        (1998, 6000.0),
        (1999, 6500.0),
        (2000, 6000.0),
        (2006, 5600.0),
        (2012, 1900.0),
        (2017, 1500.0),
        (2020, 40.0),
    )
)
# Share of women among first crossers. facts §1 (about 2/3 in 2008, 80% in 2010) and the MOU
# shares among arrivals (46% 1999-2001 ... 80-85% 2015-2019); suggested default 0.75 (facts §8).
WOMEN_SHARE = Schedule(((1998, 0.60), (2002, 0.70), (2006, 0.78), (2010, 0.82), (2015, 0.85)))
# Share of South Korea arrivals who crossed recently and moved on quickly (brokered "direct"
# escapes), by arrival year. facts §6: about 1.5 years between exit and arrival in 2009; after
# 2020 fewer than ten a year came straight from the North (facts §2).
DIRECT_SHARE = Schedule(((1999, 0.80), (2012, 0.55), (2016, 0.40), (2020, 0.04)))

AGE_AT_CROSSING = {
    # (mean, sd, min, max) years. facts §3: trafficked women mostly aged 12-29; [model] others.
    "trafficked": (23.0, 6.0, 12.0, 45.0),
    "women": (31.0, 9.0, 14.0, 65.0),
    "men": (30.0, 9.0, 14.0, 65.0),
}
# Women ever trafficked, by how long they stayed. facts §3 and §8: 60% (range 0.5-0.9) of women;
# [model] fewer among quick "direct" transits, more among long residents.
TRAFFICKED_SHARE = W(direct=0.30, resident=0.72, stayer=0.75)
# facts §3 and §8: prostitution/marriage/cybersex 0.5/0.33/0.15 in 2015-18; marriage dominant
# before about 2012 [model shares before 2012].
TRAFFICKING_SPLIT = WeightsSchedule(
    (
        (1998, W(marriage=0.75, prostitution=0.22, cybersex=0.03)),
        (2008, W(marriage=0.60, prostitution=0.32, cybersex=0.08)),
        (2012, W(marriage=0.34, prostitution=0.51, cybersex=0.15)),
    )
)
# Province of origin by crossing year (ISO 3166-2:KP). facts §5: North Hamgyong 71.9% of 2003
# arrivals; 60.7/16.0/8.8% (NH/Ryanggang/SH) of the cumulative to 2018; Ryanggang 59.1% and NH
# 17.3% of 2017-2022 leavers; about 3% from North Pyongan and Chagang; Pyongyang 2.5% of the
# cumulative and 12.8% of 2023 arrivals.
ORIGIN = WeightsSchedule(
    (
        (
            1998,
            W(
                {
                    "KP-09": 0.70,
                    "KP-10": 0.12,
                    "KP-08": 0.08,
                    "KP-04": 0.015,
                    "KP-03": 0.015,
                    "KP-02": 0.02,
                    "KP-01": 0.01,
                    "KP-13": 0.01,
                    "KP-05": 0.01,
                    "KP-06": 0.01,
                    "KP-07": 0.01,
                }
            ),
        ),
        (
            2005,
            W(
                {
                    "KP-09": 0.58,
                    "KP-10": 0.18,
                    "KP-08": 0.09,
                    "KP-04": 0.015,
                    "KP-03": 0.015,
                    "KP-02": 0.035,
                    "KP-01": 0.02,
                    "KP-13": 0.015,
                    "KP-05": 0.015,
                    "KP-06": 0.015,
                    "KP-07": 0.02,
                }
            ),
        ),
        (
            2017,
            W(
                {
                    "KP-10": 0.59,
                    "KP-09": 0.17,
                    "KP-08": 0.08,
                    "KP-01": 0.05,
                    "KP-04": 0.015,
                    "KP-03": 0.015,
                    "KP-02": 0.03,
                    "KP-13": 0.01,
                    "KP-05": 0.01,
                    "KP-06": 0.01,
                    "KP-07": 0.02,
                }
            ),
        ),
    )
)
# [model] weight of a city or county within its province (others weigh 1): the border cities
# facing China (gazetteer_kp.csv notes) and the provincial capitals.
ORIGIN_COUNTY = W(
    {
        "회령시": 6.0,
        "무산군": 6.0,
        "온성군": 5.0,
        "청진시": 6.0,
        "새별군": 2.0,
        "은덕군": 1.5,
        "혜산시": 10.0,
        "삼지연시": 1.5,
        "김정숙군": 1.5,
        "김형직군": 1.5,
        "대홍단군": 1.5,
        "함흥시": 5.0,
        "단천시": 2.0,
        "강계시": 3.0,
        "만포시": 3.0,
        "신의주시": 4.0,
        "평성시": 2.0,
    }
)
# Main place in China by pathway: NBS codes of gazetteer_cn.csv (county, prefecture or
# province). [model] after facts §1, §3 and the gazetteer notes: Yanbian and the Tumen border
# first; women sold as wives into rural Jilin, Heilongjiang, Liaoning, Shandong and inland
# provinces; brothels and cybersex dens in Shenyang, Yanji, Dalian and Qingdao.
CHINA_PLACES = {
    "marriage": W(
        {
            "222405": 4.0,
            "222406": 4.0,
            "222424": 4.0,
            "222426": 4.0,
            "222403": 3.0,
            "222401": 2.0,
            "222402": 2.0,
            "222404": 2.0,
            "220623": 2.0,
            "220681": 1.0,
            "220582": 1.0,
            "220500": 2.0,
            "220200": 2.0,
            "220300": 2.0,
            "220700": 2.0,
            "230100": 4.0,
            "231000": 4.0,
            "230300": 3.0,
            "230800": 3.0,
            "231200": 3.0,
            "230200": 3.0,
            "210600": 2.0,
            "210624": 2.0,
            "211200": 2.0,
            "210400": 1.0,
            "210900": 2.0,
            "370700": 3.0,
            "371300": 3.0,
            "371400": 2.0,
            "370800": 2.0,
            "130000": 4.0,
            "150000": 3.0,
            "410000": 3.0,
            "340000": 2.0,
            "420000": 1.0,
            "510000": 1.0,
        }
    ),
    "prostitution": W(
        {
            "210100": 8.0,
            "222401": 6.0,
            "210200": 4.0,
            "370200": 4.0,
            "230100": 3.0,
            "220100": 3.0,
            "110000": 2.0,
            "310000": 1.0,
            "440100": 1.0,
            "210600": 2.0,
            "370600": 1.0,
        }
    ),
    "cybersex": W({"210100": 8.0, "222401": 5.0, "210200": 3.0, "220100": 1.0, "370200": 1.0}),
    "work": W(
        {
            "222401": 4.0,
            "222406": 3.0,
            "222405": 3.0,
            "222402": 2.0,
            "222404": 2.0,
            "220623": 3.0,
            "210600": 3.0,
            "222424": 2.0,
            "222426": 2.0,
            "210100": 2.0,
            "370200": 1.0,
            "231000": 1.0,
        }
    ),
    "transit": W(
        {
            "222401": 4.0,
            "222406": 2.0,
            "222402": 2.0,
            "220623": 2.0,
            "210600": 2.0,
            "210100": 3.0,
            "220100": 1.0,
            "370200": 2.0,
            "110000": 1.0,
            "530100": 1.0,
        }
    ),
}
# Arrests per person-year in China, by calendar year. facts §7 and §8 (share ever repatriated
# 0.3-0.8): [model] crackdowns 2000-2002 and 2008, tighter surveillance from 2012, few returns
# during the COVID closure (held until the mass returns of 2023).
ARREST_HAZARD = Schedule(
    (
        (1998, 0.12),
        (2000, 0.16),
        (2003, 0.10),
        (2008, 0.13),
        (2009, 0.10),
        (2012, 0.12),
        (2020, 0.013),
        (2023, 0.025),
    )
)
# [model] women kept in buyers' homes or dens are less exposed than workers in towns.
ARREST_MULTIPLIER = W(
    marriage=0.6, prostitution=1.2, cybersex=0.8, work=1.3, transit=0.8, child=0.0
)
# Chance of crossing again after a forced return. facts §7 (81.5% of a sample of defectors had
# been returned at least once); [model] harder after 2012 and after 2020.
RECROSS_PROB = Schedule(((1998, 0.60), (2005, 0.50), (2012, 0.25), (2020, 0.02)))
# [model] voluntary return to the North (famine-era back-and-forth crossing).
RETURN_HAZARD = Schedule(((1998, 0.08), (2002, 0.04), (2008, 0.02), (2012, 0.01), (2020, 0.0)))
# [model] resettlement in third countries (UK, US, Canada, Japan ...), per person-year.
THIRD_COUNTRY_HAZARD = Schedule(((1998, 0.002), (2004, 0.006), (2012, 0.004), (2020, 0.001)))
# facts §7: about 500 returned on 9 Oct 2023 after being held through the COVID closure.
MASS_RETURN = (2020.0, 2023.77, 0.8)
MASS_RETURN_DAY = "2023-10-09"

# [model] Chinese identities (bought hukou, names used at work) by pathway.
CHINESE_ALIAS = W(marriage=0.6, prostitution=0.35, cybersex=0.3, work=0.1, transit=0.02, child=0.0)
# Probability of each act given the pathway or the stage (codes of violation_types.csv).
# facts §3, §4 and §7 name the acts; [model] the probabilities, except where noted.
ACT_PROBABILITY = {
    "crossing": W({"EXTORT": 0.30}),
    "sale": W({"TIP.ABDUCT": 0.15}),
    "marriage": W(
        {"SV": 0.35, "DV": 0.40, "CONF": 0.35, "FLAB": 0.45, "THREAT": 0.40, "HEALTH": 0.10}
    ),
    "prostitution": W({"CONF": 0.50, "SV": 0.30, "HEALTH": 0.15, "EXTORT": 0.20, "THREAT": 0.30}),
    "cybersex": W({"CONF": 0.70, "THREAT": 0.30}),
    "work": W({"FLAB": 0.35, "THREAT": 0.20, "EXTORT": 0.15}),
    "transit": W({"EXTORT": 0.40}),
    # facts §7: torture after arrest reported by 46.6% of a (biased) sample; punishment harsher
    # for contact with South Koreans or churches; forced abortion of pregnant returnees.
    "return": W(
        {
            "TORT": 0.55,
            "TORT.SEARCH": 0.50,
            "TORT.ABORT": 0.12,
            "IMPRIS": 0.70,
            "EXIT": 0.35,
            "PERSEC": 0.10,
            "KILL": 0.005,
        }
    ),
    "child": W({"BIRTHREG": 0.90}),
    "death": W({"KILL": 0.40}),
}
# Mean number of victims per perpetrator (sharing across victims). [model]
PERPETRATOR_POOL = W(
    {
        "BROKER-KP": 6.0,
        "BROKER-CN": 10.0,
        "TRAFFICKING-RING": 40.0,
        "BUYER-HUSBAND": 1.05,
        "BROTHEL-OPERATOR": 8.0,
        "CYBERSEX-OPERATOR": 6.0,
        "EMPLOYER": 3.0,
        "INFORMANT": 2.0,
        "SMUGGLER-TRANSIT": 15.0,
    }
)


def population_settings(scale: float) -> PopulationSettings:
    return PopulationSettings(
        start_year=1998,
        end_year=2025,
        scale=scale,
        crossings=CROSSINGS,
        women_share=WOMEN_SHARE,
        arrivals=mou_arrivals(),
        direct_share=DIRECT_SHARE,
        direct_max_years=1.0,  # facts §6: "months" for brokered direct escapes
        resident_median_years=6.0,  # facts §6: log-normal, median about 5-8 years
        resident_sigma=0.8,  # [model]
        age_at_crossing=AGE_AT_CROSSING,
        trafficked_share=TRAFFICKED_SHARE,
        trafficking_split=TRAFFICKING_SPLIT,
        kp_broker_share=0.16,  # facts §3: 84% coerced or sold inside China, the rest from the DPRK
        resale_prob=0.35,  # facts §3: "many are sold more than once" [model value]
        origin=ORIGIN,
        origin_county=ORIGIN_COUNTY,
        china_places=CHINA_PLACES,
        arrest_hazard=ARREST_HAZARD,
        arrest_multiplier=ARREST_MULTIPLIER,
        recross_prob=RECROSS_PROB,
        return_hazard=RETURN_HAZARD,
        death_hazard=0.004,  # [model]
        third_country_hazard=THIRD_COUNTRY_HAZARD,
        mass_return=MASS_RETURN,
        mass_return_day=MASS_RETURN_DAY,
        child_rate=0.08,  # [model] births per year of forced marriage, mothers aged 16-42
        max_children=3,
        child_with_mother=0.3,  # facts §6: many children born in China stay behind [model]
        new_name_in_sk=0.3,  # [model] resettled defectors often change their given name
        chinese_alias=CHINESE_ALIAS,
        act_probability=ACT_PROBABILITY,
        perpetrator_pool=PERPETRATOR_POOL,
    )


# Scale of each preset: `realistic` is the MOU flow itself (scale 1, about 100,000 people);
# `small` about 2,000 people; `stress` about 1,000,000 records.
PRESET_SCALE = {"small": 0.02, "realistic": 1.0, "stress": 60.0}


def preset_settings(name: str, seed: int, lists: int | None) -> SimulationSettings:
    return SimulationSettings(
        seed=seed,
        name=name,
        population=population_settings(PRESET_SCALE[name]),
        lists=default_lists(lists),
    )
