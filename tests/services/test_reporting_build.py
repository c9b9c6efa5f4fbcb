"""build_report_data on real (small, encrypted) workspaces: counts, the consent gate, roles,
estimates and the methods appendix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from svckit import ANALYST, ANALYST_PW, person_rows, write_csv

from unseen.domain.model import ConsentScope
from unseen.errors import InputError
from unseen.reports.model import Cell, CountTable, DisclosureSettings
from unseen.services.estimating import RUN_KIND, EstimateSettings
from unseen.services.ingest import ConsentGrant, import_person_list
from unseen.services.reporting import build_report_data, in_language, read_facts
from unseen.store import Workspace

DAY = dt.date(2026, 1, 15)
EXACT = DisclosureSettings(threshold=1)
MT = EstimateSettings(method="mt")


def table(d: object, key: str) -> CountTable:
    return next(t for t in d.tables if t.key == key)  # type: ignore[attr-defined]


def column(t: CountTable) -> dict[str, int | None]:
    return {code: row[0].value for code, row in zip(t.rows, t.cells, strict=True)}


def grant(*scopes: ConsentScope, partners: frozenset[str] = frozenset()) -> ConsentGrant:
    return ConsentGrant(frozenset(scopes), dt.date(2025, 5, 1), partners)


def test_internal_counts_everyone_by_code(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(30, list_name="A")))
    d = build_report_data(ws, scope="internal", lang="en", today=DAY, disclosure=EXACT,
                          estimate=MT)  # fmt: skip
    assert d.people_in_scope == 30 and d.left_out_by_consent == 0
    # svckit: odd rows FMAR from Hyesan (Ryanggang), even rows TIP.SALE from Musan (N Hamgyong)
    assert column(table(d, "people_by_violation")) == {"FMAR": 15, "TIP": 15}
    assert column(table(d, "people_by_kp_province")) == {"KP-09": 15, "KP-10": 15, "unknown": 0}
    assert column(table(d, "people_by_cn_province")) == {"CN-JL": 30, "unknown": 0}
    assert column(table(d, "people_by_sex")) == {"F": 30, "M": 0, "X": 0, "unknown": 0}
    assert table(d, "people_by_age").total == Cell(30)
    assert d.timeline is not None and d.timeline.total == Cell(30)
    assert {law.code for law in d.laws} == {"FMAR", "TIP"}
    tip = next(law for law in d.laws if law.code == "TIP")
    assert any(i.startswith("PALERMO") for i in tip.instruments)
    assert d.methods.lists == (("A", 30),)
    assert d.estimates == () and "no linkage run yet" in d.methods.estimation["why"]
    assert d.workspace_label == "ws" and not d.demo


def test_age_band_is_the_age_at_the_first_act(ws: Workspace, tmp_path: Path) -> None:
    rows = person_rows(2)
    rows[0].update(birth_date="1990", event_date="2010")  # 20
    rows[1].update(birth_date="1985~", event_date="2002")  # about 1985: 16 or 17 or 18
    import_person_list(ws, write_csv(tmp_path / "a.csv", rows))
    d = build_report_data(ws, scope="internal", lang="en", today=DAY, disclosure=EXACT,
                          estimate=MT)  # fmt: skip
    ages = column(table(d, "people_by_age"))
    assert ages["18-29"] == 1 and ages["unknown"] == 1


def test_public_and_un_reports_count_only_consented_people(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(8, list_name="A")),
                       consent=grant(ConsentScope.PUBLIC))  # fmt: skip
    import_person_list(ws, write_csv(tmp_path / "b.csv", person_rows(6, list_name="B", start=50)),
                       consent=grant(ConsentScope.UN, ConsentScope.INTERNAL))  # fmt: skip
    import_person_list(ws, write_csv(tmp_path / "c.csv", person_rows(5, list_name="C", start=90)))
    kw = dict(lang="en", today=DAY, disclosure=EXACT, estimate=MT)
    public = build_report_data(ws, scope="public", **kw)  # type: ignore[arg-type]
    assert (public.people_in_scope, public.left_out_by_consent) == (8, 11)
    assert public.methods.lists == (("A", 8),)
    assert any("11 people whose consent" in n for n in public.methods.notes)
    un = build_report_data(ws, scope="un", **kw)  # type: ignore[arg-type]
    assert (un.people_in_scope, un.left_out_by_consent) == (6, 13)
    internal = build_report_data(ws, scope="internal", **kw)  # type: ignore[arg-type]
    assert internal.people_in_scope == 19
    early = build_report_data(ws, scope="public", lang="en", today=dt.date(2025, 4, 30),
                              disclosure=EXACT, estimate=MT)  # fmt: skip
    assert early.people_in_scope == 0  # consent given later than the report's day


def test_partner_reports_need_the_partner_named_in_consent(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(4)),
                       consent=grant(ConsentScope.PARTNER, partners=frozenset({"Shelter North"})))  # fmt: skip # noqa: E501
    with pytest.raises(InputError, match="--partner"):
        build_report_data(ws, scope="partner", lang="en", today=DAY)
    ok = build_report_data(ws, scope="partner", partner="shelter  north", lang="en", today=DAY,
                           estimate=MT)  # fmt: skip
    other = build_report_data(ws, scope="partner", partner="Other", lang="en", today=DAY,
                              estimate=MT)  # fmt: skip
    assert (ok.people_in_scope, other.people_in_scope) == (4, 0)
    with pytest.raises(InputError, match="unknown scope"):
        build_report_data(ws, scope="press", lang="en", today=DAY)


def test_an_analyst_builds_the_same_report_and_nothing_is_revealed(
    ws: Workspace, tmp_path: Path
) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(12)),
                       consent=grant(ConsentScope.PUBLIC))  # fmt: skip
    with ws._c.db.read() as conn:
        before = conn.exec_driver_sql("SELECT count(*) FROM audit_log WHERE action='reveal'")
        n0 = before.scalar_one()
    mine = build_report_data(ws, scope="public", lang="ko", today=DAY, estimate=MT)
    with Workspace.open(ws.path, user=ANALYST, passphrase=ANALYST_PW) as analyst:
        theirs = build_report_data(analyst, scope="public", lang="ko", today=DAY, estimate=MT)
    assert theirs.tables == mine.tables and theirs.people_in_scope == 12
    with ws._c.db.read() as conn:
        after = conn.exec_driver_sql("SELECT count(*) FROM audit_log WHERE action='reveal'")
        assert after.scalar_one() == n0


def test_people_linked_across_lists_count_once(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(6, list_name="A")))
    import_person_list(ws, write_csv(tmp_path / "b.csv", person_rows(6, list_name="B")))
    ids = {(r.attributes["list_name"], r.attributes["source_record_id"]): r.record_id
           for r in ws.iter_current("person")}  # fmt: skip
    # the same six people on both lists, and one more pair made up of two people
    clusters = {pid: f"c{rid}" for (_, rid), pid in ids.items()}
    facts = read_facts(ws, scope="internal", today=DAY, clusters=clusters)
    assert len(facts.people) == 6 and facts.deduplicated
    assert all(len(p.acts) == 1 for p in facts.people)  # the same act on two lists: once
    (h,) = facts.histories
    assert h.lists == ("A", "B") and h.observed == 6
    d = build_report_data(ws, scope="internal", lang="en", today=DAY, disclosure=EXACT,
                          clusters=clusters, estimate=MT)  # fmt: skip
    assert d.people_in_scope == 6 and table(d, "people_by_year").total == Cell(6)
    assert not any("once per list" in n for n in d.methods.notes)


def _histories_run(ws: Workspace) -> None:
    rows = [[1, 0, 0, 60], [0, 1, 0, 50], [0, 0, 1, 40], [1, 1, 0, 20], [1, 0, 1, 15],
            [0, 1, 1, 12], [1, 1, 1, 6]]  # fmt: skip
    ws.put(RUN_KIND, {"records": 250, "clusters": 203, "lists": ["A", "B", "C"],
                      "threshold": 0.9, "engine": "duckdb",
                      "decisions": {"match": 2, "non-match": 1, "unsure": 0},
                      "capture_histories": {"lists": ["A", "B", "C"], "strata": [], "rows": rows}})  # fmt: skip # noqa: E501


def test_internal_estimates_come_from_the_latest_linkage_run(ws: Workspace) -> None:
    _histories_run(ws)
    d = build_report_data(ws, scope="internal", lang="en", today=DAY, truth=400, estimate=MT)
    (view,) = d.estimates
    assert (
        view.estimate.observed == 203 and view.estimate.method == "loglinear" and view.truth == 400
    )
    assert view.estimate.estimate is not None and view.estimate.estimate > 203
    assert len(view.curve) > 10 and max(y for _, y in view.curve) == pytest.approx(1.0)
    assert d.methods.linkage["clusters"] == 203 and d.methods.linkage["threshold"] == 0.9
    assert d.methods.linkage["decisions"] == {"match": 2, "non-match": 1, "unsure": 0}
    assert d.methods.estimation["method"] == "loglinear" and d.demo


def test_other_scopes_never_estimate_from_people_outside_them(
    ws: Workspace, tmp_path: Path
) -> None:
    _histories_run(ws)  # the run counts everyone: a public report must not use it
    nobody = build_report_data(ws, scope="public", lang="en", today=DAY, estimate=MT)
    assert nobody.estimates == () and nobody.people_in_scope == 0
    assert "no documented person's consent covers" in nobody.methods.estimation["why"]
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(8, list_name="A")),
                       consent=grant(ConsentScope.PUBLIC))  # fmt: skip
    d = build_report_data(ws, scope="public", lang="ko", today=DAY, estimate=MT)
    assert d.estimates == () and d.people_in_scope == 8
    assert "클러스터" in d.methods.estimation["why"]  # in scope, but not linked


def test_review_decisions_are_counted_by_kind(ws: Workspace) -> None:
    for decision, status in (("match", "decided"), ("match", "decided"), (None, "open"),
                             ("unsure", "decided")):  # fmt: skip
        ws.put("review_pair", {"list_l": "A", "record_id_l": "1", "list_r": "B",
                               "record_id_r": "2", "match_probability": 0.6, "status": status,
                               "decision": decision})  # fmt: skip
    d = build_report_data(ws, scope="internal", lang="en", today=DAY, estimate=MT)
    assert dict(d.methods.review) == {"match": 2, "non-match": 0, "unsure": 1, "open": 1}


def test_messages_are_given_in_the_report_language() -> None:
    text = "no linkage run yet: run `unseen link` / 아직 연결 실행이 없습니다 / 다시"
    assert in_language(text, "en") == "no linkage run yet: run `unseen link`"
    assert in_language(text, "ko") == "아직 연결 실행이 없습니다 / 다시"
    assert in_language("Mh / Mth", "ko") == "Mh / Mth"


def test_dp_reports_noise_the_headline_and_never_carry_the_seed(
    ws: Workspace, tmp_path: Path
) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(40)))
    dp = DisclosureSettings(epsilon=0.5, seed=11)
    a = build_report_data(ws, scope="internal", lang="en", today=DAY, disclosure=dp, estimate=MT)
    b = build_report_data(ws, scope="internal", lang="en", today=DAY, disclosure=dp, estimate=MT)
    assert a.tables == b.tables and a.people_in_scope == b.people_in_scope  # one seed, one release
    assert a.disclosure.seed is None and a.disclosure.epsilon == 0.5
    flags = {c.flag for t in a.tables for row in t.cells for c in row}
    assert "noisy" in flags and flags <= {"noisy", "primary", "secondary"}
    assert a.people_in_scope >= 0
    assert any("4 for this report" in n for n in a.methods.notes)  # 0.5 x (6 tables + 2)
    fresh = DisclosureSettings(epsilon=0.5)
    runs = {build_report_data(ws, scope="internal", lang="en", today=DAY, disclosure=fresh,
                              estimate=MT).tables for _ in range(3)}  # fmt: skip
    assert len(runs) > 1  # no seed: fresh noise each release


def test_clusters_kept_by_the_linkage_run_are_used(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(6, list_name="A")))
    import_person_list(ws, write_csv(tmp_path / "b.csv", person_rows(6, list_name="B")))
    kept = {r.record_id: f"c{r.attributes['source_record_id']}" for r in ws.iter_current("person")}
    ws.put(RUN_KIND, {"records": 12, "clusters": 6, "person_clusters": kept})
    d = build_report_data(ws, scope="internal", lang="en", today=DAY, disclosure=EXACT,
                          estimate=MT)  # fmt: skip
    assert d.people_in_scope == 6


def test_facts_read_once_make_both_languages(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(20)))
    facts = read_facts(ws, scope="internal", today=DAY)
    en = build_report_data(ws, scope="internal", lang="en", today=DAY, facts=facts, estimate=MT)
    ko = build_report_data(ws, scope="internal", lang="ko", today=DAY, facts=facts, estimate=MT)
    again = build_report_data(ws, scope="internal", lang="en", today=DAY, estimate=MT)
    assert en.tables == again.tables and ko.people_in_scope == en.people_in_scope == 20
    assert ko.tables[0].row_labels != en.tables[0].row_labels
    with pytest.raises(InputError, match="read them again"):
        build_report_data(ws, scope="public", lang="en", today=DAY, facts=facts)
