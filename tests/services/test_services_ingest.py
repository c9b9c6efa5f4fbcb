"""Importing person lists: counts, all-or-nothing, re-import refusal, name search."""

from __future__ import annotations

from pathlib import Path

import pytest
from svckit import ANALYST, ANALYST_PW, person_rows, write_csv

from unseen.errors import PermissionDenied, ValidationFailed
from unseen.services.ingest import import_person_list
from unseen.services.search import SearchQuery, find_people
from unseen.store import Workspace


def _counts(ws: Workspace) -> dict[str, int]:
    kinds = ("source", "person", "event", "act", "involvement", "relationship", "consent")
    return {k: ws.count(k) for k in kinds}


def test_import_writes_people_events_acts(ws: Workspace, tmp_path: Path) -> None:
    rows = person_rows(40)
    rows[1]["mother_record_id"] = rows[0]["record_id"]
    summary = import_person_list(ws, write_csv(tmp_path / "a.csv", rows))
    assert (summary.people, summary.events, summary.acts) == (40, 40, 40)
    assert summary.involvements == 20  # every other row names a perpetrator type
    assert summary.relationships == 1
    assert _counts(ws) == {
        "source": 1, "person": 40, "event": 40, "act": 40, "involvement": 20,
        "relationship": 1, "consent": 0,
    }  # fmt: skip
    mother = ws.query("person", source_record_id="R000000")[0]
    rel = next(ws.iter_current("relationship"))
    assert rel.attributes["person_id"] == mother.record_id
    assert rel.attributes["relationship_type"] == "mother_of"
    assert ws.verify().ok


def test_places_resolve_to_gazetteer_ids(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(6)))
    people = list(ws.iter_current("person"))
    china = {p.attributes["china_place_text"]: p.attributes["china_place_id"] for p in people}
    # "Yanji" and "연길" are the same city: one gazetteer id.
    assert china["Yanji"] is not None and china["Yanji"] == china["연길"]


def test_reimport_is_refused_and_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", person_rows(10))
    import_person_list(ws, path)
    before, entries = _counts(ws), ws.verify().entries
    with pytest.raises(ValidationFailed) as err:
        import_person_list(ws, path)
    assert len(err.value.problems) == 10
    assert {p.column for p in err.value.problems} == {"record_id"}
    assert _counts(ws) == before
    assert ws.verify().entries == entries


def test_invalid_file_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    rows = person_rows(10)
    rows[3]["violation"] = "NOT-A-CODE"
    rows[7]["sex"] = "Q"
    entries = ws.verify().entries
    with pytest.raises(ValidationFailed) as err:
        import_person_list(ws, write_csv(tmp_path / "bad.csv", rows))
    assert {(p.row, p.column) for p in err.value.problems} == {(5, "violation"), (9, "sex")}
    assert ws.count("person") == 0 and ws.count("source") == 0
    assert ws.verify().entries == entries


def test_crash_inside_transaction_rolls_back(ws: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", person_rows(30))

    def boom(done: int, total: int) -> None:
        raise KeyboardInterrupt  # what Ctrl-C half-way through does

    with pytest.raises(KeyboardInterrupt):
        import_person_list(ws, path, progress=boom)
    assert ws.count("person") == 0 and ws.count("event") == 0
    assert ws.verify().ok


def test_find_by_name_in_another_spelling(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(30)))
    # Row 6 is Ri Yong-ok / 리영옥 (family index 6 % 5 = 1, given index 6 // 5 = 1).
    for spelling in ("Ri Yong-ok", "리영옥", "Lee Young-ok", "이영옥", "YONG OK RI"):
        hits = find_people(ws, SearchQuery(name=spelling))
        assert "R000006" in {h.source_record_id for h in hits}, spelling
        assert all(h.name for h in hits)
    assert find_people(ws, SearchQuery(name="Pak Chol-su")) == []  # no Chol-su in the list
    assert find_people(ws, SearchQuery(name="Gim Myeong-suk")) != []
    assert {h.source_record_id for h in find_people(ws, SearchQuery(name="Pak Mi-hyang"))} == {
        "R000027"
    }


def test_find_by_violation_year_and_place(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(40)))
    fmar = find_people(ws, SearchQuery(violation="FMAR"))
    assert len(fmar) == 20 and all(h.violations == ("FMAR",) for h in fmar)
    spring = find_people(ws, SearchQuery(year=2010))
    # event_date is "2010년 봄" for i % 4 == 0, else 2000 + i % 20 (2010 for i = 10, 30).
    expected = {f"R{i:06d}" for i in range(40) if i % 4 == 0 or (2000 + i % 20) == 2010}
    assert {h.source_record_id for h in spring} == expected
    hyesan = find_people(ws, SearchQuery(place="혜산"))
    assert {h.source_record_id for h in hyesan} >= {f"R{i:06d}" for i in range(1, 40, 2)}


def test_analyst_cannot_search_or_see_names(ws: Workspace, tmp_path: Path) -> None:
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(5)))
    with Workspace.open(ws.path, user=ANALYST, passphrase=ANALYST_PW) as analyst:
        with pytest.raises(PermissionDenied):
            find_people(analyst, SearchQuery(name="Ri Yong-ok"))
        hits = find_people(analyst, SearchQuery(violation="FMAR"))
        assert hits and all(h.name is None for h in hits)
