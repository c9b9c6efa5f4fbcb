"""Link the people currently in a workspace, with the reviewers' stored decisions.

:func:`workspace_table` rebuilds, from the current ``person`` records, the table that
:func:`unseen.services.linking.read_tables` builds from the imported files (FORMATS.md s1
columns): a record's ``list`` is the list it was imported from and its ``record_id`` its id in
that list, so ``clusters.csv`` and ``pairs.csv`` name records exactly as a link of the files
would. Names and birth dates are sealed under the identity key: they are read (each reveal
audited by the store) only when the spec needs them, and only by roles that hold the key.

:func:`link_workspace` links that table with every stored review decision as a constraint and
a label, and records the run as a ``linkage_run`` record (counts only), whose write is the
audit entry that says who linked how many records, and when.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from unseen.crypto import sha256_hex
from unseen.domain.dates import FuzzyDate, parse_fuzzy_date
from unseen.domain.model import Person, PersonIdentity, Sex
from unseen.errors import InputError, PermissionDenied
from unseen.formats import PersonRow
from unseen.linkage import (
    DECISIONS,
    Decision,
    DecisionGraph,
    EngineOptions,
    Evaluation,
    LinkageSpec,
    LinkResult,
    capture_histories,
    check_strata,
)
from unseen.services import review
from unseen.services.linking import link_table, read_truth
from unseen.services.person_acts import events_by_victim
from unseen.store import StoredRecord, Workspace

__all__ = [
    "IDENTITY_COLUMNS",
    "RUN_KIND",
    "WorkspaceLink",
    "link_workspace",
    "needs_identities",
    "person_origins",
    "stored_decisions",
    "workspace_table",
]

RUN_KIND = "linkage_run"
# The person-list columns sealed in a person's identity (PersonIdentity), never in attributes.
IDENTITY_COLUMNS = frozenset(f.name for f in dataclasses.fields(PersonIdentity))
# A person stored without a list (typed in, not imported) is linked under this list name.
NO_LIST = "workspace"
Record = tuple[str, str]  # (list, record id in that list)
_EVENT_COLUMNS = frozenset({"event_date", "event_place", "violation", "perpetrator_type"})

_ROW_FIELDS = [f.name for f in dataclasses.fields(PersonRow) if f.name not in ("extra", "row")]
_ROLE_NEEDED = (
    "linking on names and birth dates needs a role that may read identities: reviewer, "
    "documenter or admin (you are signed in as {role}); ask one of them to run it / "
    "이름과 생년월일로 연결하려면 신원 정보를 볼 수 있는 역할(검토자, 기록자, 관리자)이 "
    "필요합니다 (현재 역할: {role})"
)


@dataclass(frozen=True)
class WorkspaceLink:
    """One link of a workspace: the result, what the reviewers' decisions did, the audit record.

    ``person_ids`` are the workspace record ids of the linked people, row for row with
    ``result.clusters``; ``decisions_not_applied`` counts stored decisions naming a record that
    is no longer in the workspace (deleted since), which are left out.
    """

    result: LinkResult
    evaluation: Evaluation | None
    person_ids: tuple[str, ...] = dataclasses.field(repr=False)
    decisions_applied: int
    decisions_not_applied: int
    names_read: bool
    run_id: str


def _columns_used(spec: LinkageSpec, strata: Iterable[str]) -> set[str]:
    used: set[str] = {s.partition(":")[0] for s in strata}
    for c in spec.comparisons:
        used.update(c.columns)
        used.update(x for x in (c.aliases, c.family, c.given) if x)
    return used


def needs_identities(spec: LinkageSpec, strata: Iterable[str] = ()) -> bool:
    """True when the spec (or a stratum) reads a column sealed in the identity."""
    return bool(_columns_used(spec, strata) & IDENTITY_COLUMNS)


def person_origins(ws: Workspace, *, extras: set[str] | None = None) -> dict[str, Record]:
    """Each current person's (list, record id in that list), by workspace id; read without
    the identity key. Two people holding the same record of one list are refused. The names
    of the imported extra columns seen are added to ``extras`` when it is given."""
    lists = _source_lists(ws)
    origins: dict[str, Record] = {}
    holder: dict[Record, str] = {}
    for rec in ws.iter_current(Person.KIND):
        key = _origin(rec, lists)
        if key in holder:
            raise InputError(
                f"people {holder[key][:8]} and {rec.record_id[:8]} both hold record "
                f"'{key[1]}' of list '{key[0]}' (imported twice, e.g. through two bundles); "
                f"delete one and link again / 같은 목록의 같은 기록이 두 번 있습니다"
            )
        holder[key] = rec.record_id
        origins[rec.record_id] = key
        if extras is not None:
            extras.update(rec.attributes.get("extra") or ())
    return origins


def workspace_table(
    ws: Workspace,
    spec: LinkageSpec,
    *,
    strata: Sequence[str] = (),
    origins: Mapping[str, Record] | None = None,
    complete: bool = True,
) -> tuple[pd.DataFrame, tuple[str, ...], bool]:
    """The person-list table of every current person, their workspace ids, and whether names
    were read. Raises :class:`PermissionDenied` when the spec needs names and the role may not
    read them. ``origins`` (from :func:`person_origins`) saves reading them again.
    ``complete=False`` leaves the act and mother columns empty unless the spec or a stratum
    uses them (reading acts and events costs as much as reading the people)."""
    reveal = needs_identities(spec, strata)
    if reveal and not ws.role.can_reveal:
        raise PermissionDenied(_ROLE_NEEDED.format(role=ws.role.value))
    ids = dict(origins) if origins is not None else person_origins(ws)
    used = None if complete else _columns_used(spec, strata)
    events = events_by_victim(ws) if used is None or used & _EVENT_COLUMNS else {}
    mothers = _mothers(ws, ids) if used is None or "mother_record_id" in used else {}
    rows: list[dict[str, Any]] = []
    person_ids: list[str] = []
    dates: dict[str, FuzzyDate | None] = {}
    for rec in ws.iter_current(Person.KIND, reveal=reveal):
        key = ids.get(rec.record_id)
        if key is None:  # written since the origins were read
            raise InputError("the workspace changed while it was read: link again")
        event = events.get(rec.record_id, {})
        rows.append(_row(rec, key, event, mothers.get(rec.record_id), dates))
        person_ids.append(rec.record_id)
    if len(person_ids) != len(ids):
        raise InputError("the workspace changed while it was read: link again")
    frame = pd.DataFrame(rows, columns=[*_ROW_FIELDS, *_extra_columns(rows)])
    if spec.record_id != "record_id":
        frame[spec.record_id] = frame["record_id"]
    if spec.list_column != "list":
        frame[spec.list_column] = frame["list"]
    return frame, tuple(person_ids), reveal


def _source_lists(ws: Workspace) -> dict[str, str]:
    return {
        s.record_id: s.attributes["list_name"]
        for s in ws.iter_current("source")
        if s.attributes.get("list_name")
    }


def _origin(rec: StoredRecord, lists: Mapping[str, str]) -> Record:
    a = rec.attributes
    list_name = a.get("list_name") or lists.get(a.get("source_id") or "") or NO_LIST
    return str(list_name), str(a.get("source_record_id") or rec.record_id)


def _mothers(ws: Workspace, ids: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for rel in ws.iter_current("relationship"):
        a = rel.attributes
        mother, child = str(a.get("person_id")), str(a.get("other_id"))
        if a.get("relationship_type") != "mother_of" or mother not in ids or child not in ids:
            continue
        if ids[mother][0] == ids[child][0]:  # the column names a record of the same list
            out.setdefault(child, ids[mother][1])
    return out


def _row(
    rec: StoredRecord,
    key: Record,
    event: Mapping[str, Any],
    mother: str | None,
    dates: dict[str, FuzzyDate | None],
) -> dict[str, Any]:
    # Read as the domain codec wrote it (Person.to_record); the store checked it on write.
    a, ident = rec.attributes, rec.identity or {}
    sex = a.get("sex")
    row: dict[str, Any] = {
        "record_id": key[1],
        "list": key[0],
        "family_name": ident.get("family_name"),
        "given_name": ident.get("given_name"),
        "full_name": ident.get("full_name"),
        "name_hangul": ident.get("name_hangul"),
        "name_hanzi": ident.get("name_hanzi"),
        "aliases": tuple(ident.get("aliases") or ()),
        "sex": None if sex in (None, Sex.UNKNOWN.value) else sex,
        "birth_date": _date(ident.get("birth_date"), dates),
        "origin_place": a.get("origin_place_text"),
        "china_place": a.get("china_place_text"),
        "first_exit_date": _date(a.get("first_exit_date"), dates),
        "event_date": _date(event.get("event_date"), dates),
        "event_place": event.get("event_place"),
        "violation": event.get("violation"),
        "perpetrator_type": event.get("perpetrator_type"),
        "mother_record_id": mother,
        "notes": ident.get("notes"),
    }
    row.update({k: v for k, v in (a.get("extra") or {}).items() if k not in row})
    return row


def _date(value: Any, seen: dict[str, FuzzyDate | None]) -> FuzzyDate | None:
    # Stored as EDTF, which the fuzzy-date parser reads back exactly; lists repeat dates.
    if not value:
        return None
    text = str(value)
    if text not in seen:
        seen[text] = parse_fuzzy_date(text).value
    return seen[text]


def _extra_columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    known = set(_ROW_FIELDS)
    return list(dict.fromkeys(k for r in rows for k in r if k not in known))


def stored_decisions(
    ws: Workspace, present: Iterable[tuple[str, str]]
) -> tuple[tuple[Decision, ...], int]:
    """The reviewers' decisions whose two records are both in ``present`` (list, record id),
    and how many were left out because a record is gone. Decisions that contradict each
    other (a "different people" pair joined by "same person" decisions, directly or through
    other records) are refused, naming the review pairs to look at again."""
    have = set(present)
    kept: list[tuple[str, Decision]] = []
    gone = 0
    for pair_id, d in review.decided_pairs(ws):
        if {(d.list_l, d.record_id_l), (d.list_r, d.record_id_r)} <= have:
            kept.append((pair_id, d))
        else:
            gone += 1
    _refuse_contradictions(kept)
    return tuple(d for _, d in kept), gone


def _refuse_contradictions(decided: Sequence[tuple[str, Decision]]) -> None:
    graph = DecisionGraph(
        ((d.list_l, d.record_id_l), (d.list_r, d.record_id_r), d.decision) for _, d in decided
    )
    for pair_id, d in decided:
        if d.decision != "non-match":
            continue
        path = graph.against((d.list_l, d.record_id_l), (d.list_r, d.record_id_r), d.decision)
        if path:
            codes = ", ".join(decided[k][0][:8] for k in path[:5])
            codes += " ..." if len(path) > 5 else ""
            raise InputError(
                f"review pair {pair_id[:8]} says record '{d.record_id_l}' of list "
                f"'{d.list_l}' and record '{d.record_id_r}' of list '{d.list_r}' are "
                f"different people, but the 'same person' decision(s) {codes} join them; "
                f"decide one of these pairs again with `unseen review WS --pair CODE` and link "
                "again / '다른 사람' 결정과 '같은 사람' 결정이 서로 맞지 않습니다: "
                "`unseen review WS --pair 코드`로 다시 결정하십시오"
            )


def link_workspace(
    ws: Workspace,
    spec: LinkageSpec,
    *,
    engine: str = "duckdb",
    options: EngineOptions | None = None,
    decisions: Sequence[Decision] = (),
    use_stored_decisions: bool = True,
    truth: Path | None = None,
    strata: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
    model: Mapping[str, Any] | None = None,
) -> WorkspaceLink:
    """Link every current person of ``ws``; the stored review decisions (and ``decisions``,
    e.g. from a file) constrain the clusters and label the model. Audited as a
    ``linkage_run`` record holding counts only."""
    if engine not in ("duckdb", "spark"):
        raise InputError("engine must be duckdb or spark")
    if needs_identities(spec, strata) and not ws.role.can_reveal:
        raise PermissionDenied(_ROLE_NEEDED.format(role=ws.role.value))
    truth_table = read_truth(truth) if truth is not None else None
    if progress:
        progress("reading")
    # Decisions are checked before any name is read: a refused link reveals nothing.
    # Strata too: imported extra columns are in the people's plain attributes, so a stratum
    # no list has is refused here, before any name is read.
    extras: set[str] = set()
    origins = person_origins(ws, extras=extras)
    check_strata([*_ROW_FIELDS, *extras], {lst for lst, _rid in origins.values()}, strata)
    chosen, gone = stored_decisions(ws, origins.values()) if use_stored_decisions else ((), 0)
    table, person_ids, names_read = workspace_table(
        ws, spec, strata=strata, origins=origins, complete=False
    )
    everything = tuple(dict.fromkeys([*chosen, *decisions]))
    result, evaluation = link_table(
        table, spec, engine, everything, options, progress, model, truth_table, strata=strata
    )
    attributes = _run_attributes(result, spec, everything, gone, names_read, strata)
    if evaluation is not None:
        # Rates against a labelled file: no record id, for the report's methods appendix.
        attributes["quality"] = {
            k: round(float(v), 4)
            for k, v in evaluation.as_dict().items()
            if k in ("precision", "recall", "f1", "bcubed_f1", "pair_completeness")
            and v is not None
        }
    # Which linked person each person record is (opaque ids only), so reports made later
    # count a person on several lists once.
    attributes["person_clusters"] = dict(
        zip(person_ids, result.clusters["cluster_id"].astype(str), strict=True)
    )
    run = ws.put(RUN_KIND, attributes)
    return WorkspaceLink(
        result, evaluation, person_ids, len(everything), gone, names_read, run.record_id
    )


def _run_attributes(
    result: LinkResult,
    spec: LinkageSpec,
    decisions: Sequence[Decision],
    gone: int,
    names_read: bool,
    strata: Sequence[str] = (),
) -> dict[str, Any]:
    stats = result.stats
    counts = {k: sum(1 for d in decisions if d.decision == k) for k in DECISIONS}
    out: dict[str, Any] = {
        "records": int(stats["records"]),
        "lists": list(result.lists),
        "clusters": int(stats["clusters"]),
        "candidate_pairs": int(stats["candidate_pairs"]),
        "threshold": float(result.threshold),
        "engine": str(stats["engine"]),
        "decisions": counts,
        "decisions_not_applied": gone,
        "names_read": names_read,
        "spec_sha256": sha256_hex(spec.to_json().encode("utf-8")),
    }
    # For `unseen estimate --workspace`: the table capture_histories.csv holds, as counts. A
    # stratum that is a sealed identity column as it stands (a name, an exact birth date)
    # would put identities in plain attributes, so such a run keeps none.
    sealed = [s for s in strata if s in IDENTITY_COLUMNS]
    if sealed:
        out["capture_histories_withheld"] = sealed
    else:
        table = capture_histories(result, strata=strata)
        t = len(result.lists)
        out["capture_histories"] = {
            "lists": list(result.lists),
            "strata": list(strata),
            "rows": [
                [*(int(v) for v in row[:t]), *(str(v) for v in row[t:-1]), int(row[-1])]
                for row in table.itertuples(index=False)
            ],
        }
    return out
