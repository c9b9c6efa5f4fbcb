"""Find people in a workspace by name (keyed blind index), violation, place and year.

A name search never decrypts the whole workspace: the query's name tokens are keyed with the
blind-index key and looked up; only the hits are opened, and only for roles that may read
identities (each opening is audited by the store).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from unseen.domain.dates import FuzzyDate, parse_fuzzy_date
from unseen.domain.model import ENTITY_TYPES
from unseen.errors import InputError, PermissionDenied, RecordNotFound
from unseen.names import name_tokens
from unseen.places import place_distance, resolve_place
from unseen.store import StoredRecord, Workspace

_PERSON = "person"


@dataclass(frozen=True, repr=False)
class PersonHit:
    """One person record found; ``name`` is None unless the role may read identities."""

    record_id: str
    list_name: str | None
    source_record_id: str | None
    sex: str
    birth_years: tuple[int, int] | None
    violations: tuple[str, ...]
    name: str | None

    def __repr__(self) -> str:
        return f"PersonHit(record_id={self.record_id!r})"


@dataclass(frozen=True)
class SearchQuery:
    name: str | None = None
    violation: str | None = None
    place: str | None = None
    year: int | None = None
    limit: int = 100


SHORT_ID = 8  # how many characters of a record id the CLI shows; enough to be unique in practice


def locate(ws: Workspace, record_id: str) -> tuple[str, str] | None:
    """(kind, full id) of the record with this id, or with this unique id prefix, or None."""
    for kind in ENTITY_TYPES:
        try:
            ws.get(kind, record_id)
        except RecordNotFound:
            continue
        return kind, record_id
    if len(record_id) < 6:
        return None
    found = {
        (kind, rec.record_id)
        for kind in ENTITY_TYPES
        for rec in ws.iter_current(kind)
        if rec.record_id.startswith(record_id)
    }
    if len(found) > 1:
        raise InputError(
            f"{len(found)} records start with {record_id}: give more of the id "
            "/ 여러 레코드가 일치합니다"
        )
    return found.pop() if found else None


def find_people(
    ws: Workspace, query: SearchQuery, *, reveal: Callable[[StoredRecord], bool] | None = None
) -> list[PersonHit]:
    """People matching every criterion given; by name through the blind index only.

    ``reveal`` narrows whose names are opened (the web app's per-source rule for documenters);
    by default every hit's, when the role may read identities."""
    candidates: set[str] | None = None
    if query.name:
        if not ws.role.can_reveal:
            raise PermissionDenied(
                "your role cannot search by name: names are sealed from analysts and "
                "coordinators / 이 역할은 이름으로 검색할 수 없습니다"
            )
        candidates = _by_name(ws, query.name)
    acts = _acts_by_victim(ws)
    if query.violation:
        wanted = {pid for pid, rows in acts.items() if any(a[0] == query.violation for a in rows)}
        candidates = wanted if candidates is None else candidates & wanted
    if query.year is not None:
        year = parse_fuzzy_date(f"{query.year:04d}").value
        wanted = {
            pid for pid, rows in acts.items() if any(d is not None and d.overlaps(year)
                                                     for _, d, _ in rows)
        }  # fmt: skip
        candidates = wanted if candidates is None else candidates & wanted
    place_id = None
    if query.place:
        match = resolve_place(query.place)
        place_id = match.gazetteer_id if match is not None else None
        if place_id is None:
            return []
    hits: list[PersonHit] = []
    for rec in _people(ws, candidates):
        if place_id is not None and not _near(rec, acts.get(rec.record_id, ()), place_id):
            continue
        shown = ws.role.can_reveal and (reveal is None or reveal(rec))
        hits.append(_hit(ws, rec, acts.get(rec.record_id, ()), shown))
        if len(hits) >= query.limit:
            break
    return hits


def _by_name(ws: Workspace, name: str) -> set[str]:
    tokens = name_tokens(name)
    full = [t for t in tokens if t.startswith("n:")]
    refs = ws.find_by_name_tokens(full, kind=_PERSON) if full else []
    found = {r.record_id for r in refs}
    if found:
        return found
    # No whole-name match: people who share both the family and the given name tokens, or the
    # one part given when the query has only one.
    parts = [
        {r.record_id for r in ws.find_by_name_tokens(group, kind=_PERSON)}
        for group in ([t for t in tokens if t.startswith(p)] for p in ("f:", "g:"))
        if group
    ]
    return set.intersection(*parts) if parts else set()


Act = tuple[str, FuzzyDate | None, str | None]  # violation, date, place id


def _acts_by_victim(ws: Workspace) -> dict[str, list[Act]]:
    acts: dict[str, list[Act]] = defaultdict(list)
    for rec in ws.iter_current("act"):
        if rec.deleted:
            continue
        a = rec.attributes
        date = parse_fuzzy_date(a["date"]).value if a.get("date") else None
        acts[a["victim_id"]].append((a["violation"], date, a.get("place_id")))
    return acts


def _people(ws: Workspace, ids: set[str] | None) -> Iterable[StoredRecord]:
    if ids is None:
        yield from (r for r in ws.iter_current(_PERSON) if not r.deleted)
        return
    for record_id in sorted(ids):
        rec = ws.get(_PERSON, record_id)
        if not rec.deleted:
            yield rec


def _near(rec: StoredRecord, acts: Iterable[Act], place_id: str) -> bool:
    """Within the place asked for: the same unit or one inside it (a county in a province)."""
    ids = [rec.attributes.get("origin_place_id"), rec.attributes.get("china_place_id")]
    ids += [p for _, _, p in acts]
    return any(p and place_distance(p, place_id).common_id == place_id for p in ids)


def _hit(ws: Workspace, rec: StoredRecord, acts: Iterable[Act], shown: bool) -> PersonHit:
    a = rec.attributes
    name = None
    if shown and rec.has_identity:
        identity = ws.get(_PERSON, rec.record_id, reveal=True).identity or {}
        parts = [identity.get("family_name"), identity.get("given_name")]
        name = (
            identity.get("full_name")
            or " ".join(p for p in parts if p)
            or identity.get("name_hangul")
            or identity.get("name_hanzi")
        )
    years = a.get("birth_year_range")
    return PersonHit(
        record_id=rec.record_id,
        list_name=a.get("list_name"),
        source_record_id=a.get("source_record_id"),
        sex=a.get("sex", "unknown"),
        birth_years=tuple(years) if years else None,
        violations=tuple(sorted({v for v, _, _ in acts})),
        name=name,
    )
