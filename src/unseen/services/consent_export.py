"""Plain person-list exports restricted to what people consented to.

Only people with a consent record in force today that covers the scope (and, for ``partner``, the
named partner) are written; everyone else is left out and counted. The file is a person list
(FORMATS.md s1), so a partner can import it into their own workspace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from unseen.domain.dates import parse_fuzzy_date
from unseen.domain.model import Consent, ConsentScope, PersonIdentity
from unseen.errors import InputError, PermissionDenied
from unseen.formats import PersonRow, write_person_list_csv
from unseen.store import StoredRecord, Workspace


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    scope: str
    written: int
    left_out: int


def export_consented(
    ws: Workspace,
    out: Path,
    *,
    scope: ConsentScope,
    partner: str | None = None,
    today: dt.date,
) -> ExportSummary:
    """Write the people whose consent covers ``scope`` on ``today`` to the CSV ``out``."""
    if not ws.role.can_reveal:
        raise PermissionDenied("a person-list export carries names: your role cannot make one")
    if scope is ConsentScope.PARTNER and not partner:
        raise InputError("a partner export needs --partner NAME (the partner named in consent)")
    covered = {
        c.person_id
        for c in (
            Consent.from_record(rec.record_id, rec.attributes, None)
            for rec in ws.iter_current("consent")
            if not rec.deleted
        )
        if c.covers(scope, partner, on=today)
    }
    acts = _first_acts(ws)
    rows: list[PersonRow] = []
    left_out = 0
    for rec in ws.iter_current("person"):
        if rec.deleted:
            continue
        if rec.record_id not in covered:
            left_out += 1
            continue
        full = ws.get("person", rec.record_id, reveal=True)
        rows.append(_row(full, acts.get(rec.record_id)))
    write_person_list_csv(rows, out)
    return ExportSummary(out, scope.value, len(rows), left_out)


def _first_acts(ws: Workspace) -> dict[str, StoredRecord]:
    first: dict[str, StoredRecord] = {}
    for rec in ws.iter_current("act"):
        if not rec.deleted:
            first.setdefault(rec.attributes["victim_id"], rec)
    return first


def _row(rec: StoredRecord, act: StoredRecord | None) -> PersonRow:
    a = rec.attributes
    ident = PersonIdentity.from_dict(rec.record_id, rec.identity or {})
    sex = a.get("sex")
    exit_date = a.get("first_exit_date")
    act_date = act.attributes.get("date") if act else None
    return PersonRow(
        record_id=rec.record_id,
        list=a.get("list_name") or "unseen",
        family_name=ident.family_name,
        given_name=ident.given_name,
        full_name=ident.full_name,
        name_hangul=ident.name_hangul,
        name_hanzi=ident.name_hanzi,
        aliases=ident.aliases,
        sex=sex if sex in {"F", "M", "X"} else None,
        birth_date=ident.birth_date,
        origin_place=a.get("origin_place_text") or a.get("origin_place_id"),
        china_place=a.get("china_place_text") or a.get("china_place_id"),
        first_exit_date=parse_fuzzy_date(exit_date).value if exit_date else None,
        event_date=parse_fuzzy_date(act_date).value if act_date else None,
        violation=act.attributes.get("violation") if act else None,
    )
