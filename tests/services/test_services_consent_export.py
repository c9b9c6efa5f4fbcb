"""Plain exports contain exactly the people whose consent covers the scope."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from svckit import person_rows, write_csv

from unseen.domain.model import ConsentScope
from unseen.services.consent_export import export_consented
from unseen.services.ingest import ConsentGrant, import_person_list
from unseen.store import Workspace

DAY = dt.date(2026, 1, 15)


def test_only_consented_people_are_written(ws: Workspace, tmp_path: Path) -> None:
    un = ConsentGrant(frozenset({ConsentScope.INTERNAL, ConsentScope.UN}), dt.date(2025, 5, 1))
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(7, list_name="A")), consent=un)
    import_person_list(ws, write_csv(tmp_path / "b.csv", person_rows(5, list_name="B", start=100)))
    out = tmp_path / "un.csv"
    summary = export_consented(ws, out, scope=ConsentScope.UN, today=DAY)
    assert (summary.written, summary.left_out) == (7, 5)
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["list"] for r in rows} == {"A"}
    assert {r["name_hangul"] for r in rows} == {p["name_hangul"] for p in person_rows(7)}
    public = export_consented(ws, tmp_path / "pub.csv", scope=ConsentScope.PUBLIC, today=DAY)
    assert public.written == 0 and public.left_out == 12


def test_consent_not_yet_given_does_not_count(ws: Workspace, tmp_path: Path) -> None:
    later = ConsentGrant(frozenset({ConsentScope.UN}), dt.date(2027, 1, 1))
    import_person_list(ws, write_csv(tmp_path / "a.csv", person_rows(3)), consent=later)
    summary = export_consented(ws, tmp_path / "un.csv", scope=ConsentScope.UN, today=DAY)
    assert summary.written == 0
