"""What linkage reads of a person beyond the person record: the first act and the mother.

:func:`events_by_victim` reads every person's first act at once (for the linkage table);
:func:`person_event` and :func:`person_mother` read one person's, for the pair a reviewer
looks at, and give the same answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from unseen.errors import RecordNotFound
from unseen.store import StoredRecord, Workspace

__all__ = ["events_by_victim", "person_event", "person_mother"]


def events_by_victim(ws: Workspace) -> dict[str, dict[str, Any]]:
    """The first act of each person (as an imported row holds one): its event's date and
    place, the violation, the first perpetrator type."""
    events = {e.record_id: e.attributes for e in ws.iter_current("event")}
    perpetrators: dict[str, str] = {}
    for inv in ws.iter_current("involvement"):
        act_id, ptype = inv.attributes.get("act_id"), inv.attributes.get("perpetrator_type")
        if act_id and ptype:
            perpetrators.setdefault(act_id, ptype)
    out: dict[str, dict[str, Any]] = {}
    for act in ws.iter_current("act"):
        victim = act.attributes.get("victim_id")
        if victim and victim not in out:
            event = events.get(act.attributes.get("event_id") or "", {})
            out[victim] = _act_facts(act, event, perpetrators.get(act.record_id))
    return out


def _act_facts(
    act: StoredRecord, event: Mapping[str, Any], perpetrator: str | None
) -> dict[str, Any]:
    a = act.attributes
    return {
        "event_date": event.get("date") or a.get("date"),
        "event_place": event.get("place_text"),
        "violation": a.get("violation"),
        "perpetrator_type": perpetrator,
    }


def person_event(ws: Workspace, person_id: str) -> dict[str, Any]:
    """What linkage compares of one person's first act (as :func:`events_by_victim` reads it
    for all): its event's date and place, the violation, the first perpetrator type; {} for
    a person with no act. Read by query, for one pair a reviewer looks at."""
    for act in ws.query("act", victim_id=person_id):
        event: Mapping[str, Any] = {}
        if event_id := act.attributes.get("event_id"):
            found = _current(ws, "event", str(event_id))
            event = found.attributes if found is not None else {}
        ptypes = (
            i.attributes.get("perpetrator_type")
            for i in ws.query("involvement", act_id=act.record_id)
        )
        return _act_facts(act, event, next((t for t in ptypes if t), None))
    return {}


def person_mother(ws: Workspace, person_id: str) -> StoredRecord | None:
    """The person recorded as this person's mother (a ``mother_of`` relationship), if any."""
    for rel in ws.query("relationship", other_id=person_id, relationship_type="mother_of"):
        found = _current(ws, "person", str(rel.attributes.get("person_id")))
        if found is not None:
            return found
    return None


def _current(ws: Workspace, kind: str, record_id: str) -> StoredRecord | None:
    try:
        found = ws.get(kind, record_id)
    except RecordNotFound:
        return None
    return None if found.deleted else found
