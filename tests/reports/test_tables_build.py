"""The report's tables from plain facts: known counts, margins, labels, codes, and that every
table goes through disclosure control."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unseen.reports.model import Cell, CountTable, DisclosureSettings
from unseen.reports.tables import (
    AGE_BANDS,
    NOISED_TABLES,
    SEXES,
    ActFact,
    PersonFact,
    admin1_code,
    age_band,
    build_tables,
    top_violation,
)

EXACT = DisclosureSettings(threshold=1)  # no suppression: the counts themselves


def by_key(tables: tuple[CountTable, ...]) -> dict[str, CountTable]:
    return {t.key: t for t in tables}


def column(t: CountTable) -> dict[str, int | None]:
    return {code: row[0].value for code, row in zip(t.rows, t.cells, strict=True)}


def people() -> list[PersonFact]:
    women = [
        PersonFact(sex="F", age_band="18-29", cn_admin1="CN-JL", kp_admin1="KP-09",
                   acts=(ActFact("TIP.SALE", 2010), ActFact("FMAR", 2010)))
        for _ in range(12)
    ]  # fmt: skip
    men = [
        PersonFact(sex="M", age_band="30-44", cn_admin1="CN-LN", kp_admin1="KP-10",
                   acts=(ActFact("REFOUL", 2015),))
        for _ in range(7)
    ]  # fmt: skip
    odd = [PersonFact(sex="F", acts=(ActFact("TIP", None),)), PersonFact()]
    return women + men + odd


def test_known_counts_of_every_table() -> None:
    r = build_tables(people(), EXACT)
    t = by_key(r.tables)
    assert column(t["people_by_violation"]) == {"FMAR": 12, "REFOUL": 7, "TIP": 13}
    # person-types add up to nothing worth publishing: no total, so no cell needs a partner
    assert t["people_by_violation"].total == Cell(None, "secondary")
    assert column(t["people_by_year"]) == {"2010": 12, "2015": 7, "unknown": 2}
    assert column(t["people_by_cn_province"]) == {"CN-JL": 12, "CN-LN": 7, "unknown": 2}
    assert column(t["people_by_kp_province"]) == {"KP-09": 12, "KP-10": 7, "unknown": 2}
    assert column(t["people_by_sex"]) == {"F": 13, "M": 7, "X": 0, "unknown": 1}
    assert column(t["people_by_age"]) == {"0-17": 0, "18-29": 12, "30-44": 7, "45+": 0,
                                          "unknown": 2}  # fmt: skip
    tl = r.timeline
    assert tl.rows == ("2010", "2015", "unknown") and tl.cols == ("FMAR", "REFOUL", "TIP")
    assert [[c.value for c in row] for row in tl.cells] == [[12, 0, 12], [0, 7, 0], [0, 0, 1]]
    assert tl.total == Cell(32) and tl.unit_en == "acts"
    assert r.violations == ("FMAR", "REFOUL", "TIP")


def test_the_1d_sex_and_age_tables_are_the_margins_of_sex_by_age() -> None:
    t = by_key(build_tables(people()).tables)  # default threshold 5: some cells hidden
    both = t["sex_by_age"]
    assert both.rows == (*AGE_BANDS, "unknown") and both.cols == SEXES
    assert tuple(r[0] for r in t["people_by_sex"].cells) == both.col_totals
    assert tuple(r[0] for r in t["people_by_age"].cells) == both.row_totals
    assert t["people_by_sex"].total == both.total == Cell(21)
    assert t["people_by_sex"].cells[3][0].suppressed  # the 1 person of unknown sex


def test_maps_are_the_province_cells_without_unknown() -> None:
    r = build_tables(people())
    t = by_key(r.tables)
    cn, kp = r.maps
    assert cn.key == "china_residence" and kp.key == "origin_kp"
    assert dict(cn.counts) == {"CN-JL": t["people_by_cn_province"].cells[0][0],
                               "CN-LN": t["people_by_cn_province"].cells[1][0]}  # fmt: skip
    assert set(kp.counts) == {"KP-09", "KP-10"}


def test_small_cells_are_hidden_in_every_table() -> None:
    r = build_tables(people(), DisclosureSettings(threshold=5))
    for t in (*r.tables, r.timeline):
        every = [c for row in t.cells for c in row] + [*t.row_totals, *t.col_totals, t.total]
        assert not [c.value for c in every if c.value is not None and 0 < c.value < 5], t.key
    assert by_key(r.tables)["people_by_year"].cells[2][0] == Cell(None, "primary")


def test_labels_follow_the_language() -> None:
    en = by_key(build_tables(people(), lang="en").tables)
    ko = by_key(build_tables(people(), lang="ko").tables)
    assert en["people_by_cn_province"].row_labels == ("Jilin Province", "Liaoning Province",
                                                      "not known")  # fmt: skip
    assert ko["people_by_cn_province"].row_labels == ("지린성", "랴오닝성", "모름")
    assert ko["people_by_kp_province"].row_labels[0] == "함경북도"
    assert ko["people_by_violation"].row_labels[0] == "강제 결혼(매매혼)"
    assert ko["people_by_sex"].row_labels == ("여성", "남성", "기타", "기록 없음")


def test_dp_rows_do_not_depend_on_the_data() -> None:
    dp = DisclosureSettings(epsilon=1.0, seed=1)
    a = build_tables(people(), dp, year=2020)
    b = build_tables(people()[:3], dp, year=2020)
    for ta, tb in zip((*a.tables, a.timeline), (*b.tables, b.timeline), strict=True):
        assert (ta.rows, ta.cols) == (tb.rows, tb.cols)
    assert a.timeline.rows[0] == "1990" and a.timeline.rows[-2] == "2020"
    assert "CN-XZ" in by_key(a.tables)["people_by_cn_province"].rows  # no one in Tibet
    # the tables that draw noise: the others are their margins (people_by_sex, _age) or cells
    keys = {t.key for t in (*a.tables, a.timeline)}
    assert set(NOISED_TABLES) <= keys and keys - set(NOISED_TABLES) == {"people_by_sex",
                                                                       "people_by_age"}  # fmt: skip


def test_codes_of_places_ages_and_violations() -> None:
    assert admin1_code("CN-222401") == "CN-JL"  # Yanji, Yanbian, Jilin
    assert admin1_code("KP-10-hyesan-si") == "KP-10"
    assert admin1_code("KP-09") == "KP-09"
    assert admin1_code("nowhere") is None and admin1_code(None) is None
    assert [age_band(a) for a in (None, -1, 0, 17, 18, 29, 30, 44, 45, 90)] == [
        None, None, "0-17", "0-17", "18-29", "18-29", "30-44", "30-44", "45+", "45+",
    ]  # fmt: skip
    assert top_violation("TIP.SALE") == "TIP" and top_violation("CYBERSEX") == "FPROST"
    assert top_violation("FMAR") == "FMAR"


facts = st.builds(
    PersonFact,
    sex=st.sampled_from(SEXES),
    age_band=st.sampled_from([*AGE_BANDS, None]),
    cn_admin1=st.sampled_from(["CN-JL", "CN-LN", None]),
    kp_admin1=st.sampled_from(["KP-09", None]),
    acts=st.lists(
        st.builds(ActFact, st.sampled_from(["TIP.SALE", "FMAR", "SV"]),
                  st.sampled_from([2010, 2011, None])),
        max_size=3,
    ).map(tuple),
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(facts, max_size=40))
def test_everyone_counts_once_in_each_people_table(group: list[PersonFact]) -> None:
    t = by_key(build_tables(group, EXACT).tables)
    for key in ("people_by_year", "people_by_cn_province", "people_by_kp_province",
                "people_by_sex", "people_by_age", "sex_by_age"):  # fmt: skip
        assert t[key].total == Cell(len(group)), key
    per_type = t["people_by_violation"]
    assert sum(r[0].value or 0 for r in per_type.cells) == sum(
        len({top_violation(a.violation) for a in p.acts}) for p in group
    )


def test_people_by_type_and_year_hide_what_the_timeline_hides() -> None:
    # one act per person: people by type and by first year are the timeline's totals
    group = [PersonFact(acts=(ActFact(v, y),)) for v, y, n in
             (("FMAR", 2010, 9), ("TIP", 2010, 8), ("SV", 2011, 3), ("FMAR", 2011, 30),
              ("TIP", 2012, 6), ("SV", 2012, 7)) for _ in range(n)]  # fmt: skip
    r = build_tables(group, DisclosureSettings(threshold=5))
    t = by_key(r.tables)
    tl = r.timeline
    for code, cell in zip(tl.cols, tl.col_totals, strict=True):
        assert cell == t["people_by_violation"].cells[t["people_by_violation"].rows.index(code)][0]
    for code, cell in zip(tl.rows, tl.row_totals, strict=True):
        assert (
            cell.suppressed
            == t["people_by_year"].cells[t["people_by_year"].rows.index(code)][0].suppressed
        )  # noqa: E501
    assert tl.cols == ("FMAR", "SV", "TIP") and tl.cells[1][1].flag == "primary"  # SV 2011: 3
