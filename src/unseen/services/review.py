"""Store-backed clerical review of uncertain linkage pairs (docs/linkage.md, "Review loop").

Pairs in the uncertain band are stored as ``review_pair`` records that name the two records as the
linkage outputs do (list + record id); they carry no name. With them goes the run's
``reasons`` for the pair (:mod:`unseen.linkage.explanation`: each comparison's level and
bits, never a value), which :func:`pair_view` gives the reviewer. A decision is a new
version of that record, so the store keeps who decided what, when, and audits every write.

A decision that goes against a confident model (``same person`` for a pair the model put
at 0.1 or below, ``different people`` at 0.9 or above) binds clustering as firmly as any
other, and a wrong one there costs more than the review gains (``bench/linkage_review.py``).
:func:`second_look` reopens such pairs for another reviewer: when the two agree the decision
stands, when they differ the pair becomes ``unsure`` (no constraint: the model decides).

Decisions bind beyond their own pair (:mod:`unseen.linkage.decided`): a pair they already
settle (A = B and B = C settle A and C) is not offered, and a decision that contradicts
them is refused, naming the pairs it contradicts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unseen.errors import InputError, RecordNotFound
from unseen.linkage import (
    DECISIONS,
    PAIR_COLUMNS,
    REASONS,
    Decision,
    DecisionGraph,
    LinkResult,
    Reason,
    default_spec,
    parse_reasons,
)
from unseen.services.access import display_name
from unseen.services.linking import read_model
from unseen.services.person_acts import person_event, person_mother
from unseen.store import StoredRecord, Workspace

__all__ = [
    "KIND",
    "MEMBERS_KEPT",
    "FieldView",
    "MemberView",
    "PairView",
    "decide",
    "decided_pairs",
    "decisions",
    "export_decisions",
    "find_pair",
    "next_pair",
    "pair_view",
    "pairs_band",
    "queue_from_pairs",
    "queue_pairs",
    "second_look",
    "QueueCounts",
    "queue_counts",
]

KIND = "review_pair"
#: A decision against the model beyond these probabilities gets a second reviewer.
SECOND_LOOK = (0.1, 0.9)


@dataclass(frozen=True)
class FieldView:
    """One row of the side-by-side display."""

    name: str
    left: str
    right: str
    differs: bool


@dataclass(frozen=True)
class MemberView:
    """Another record of one side's group in the run that queued the pair: where it comes
    from and what tells people apart at a glance (name and birth date only for roles that
    hold the key; empty where the workspace no longer has the record)."""

    list_name: str
    record_id: str
    name: str = ""
    birth: str = ""
    sex: str = ""
    origin: str = ""
    china: str = ""

    def __repr__(self) -> str:  # the name is an identity
        return f"MemberView(list_name={self.list_name!r}, record_id={self.record_id!r})"


@dataclass(frozen=True)
class PairView:
    pair_id: str
    match_probability: float
    status: str
    fields: tuple[FieldView, ...]
    revealed: bool
    decision: str | None = None
    second_look: bool = False  # waits for a reviewer other than the first (never says what)
    #: Why the model scored the pair so: the run's levels and bits (``pairs.csv`` reasons).
    reasons: tuple[Reason, ...] = ()
    #: In the run that queued the pair: how many records each side's cluster held (the
    #: record itself included), and whether the two were in one; None where not known.
    groups: tuple[int, int] | None = None
    together: bool | None = None
    #: Up to ``MEMBERS_KEPT`` other records of the left's and the right's group (the same
    #: records on both sides when ``together``).
    members: tuple[tuple[MemberView, ...], tuple[MemberView, ...]] = ((), ())

    def __repr__(self) -> str:  # fields may hold identities
        return f"PairView(pair_id={self.pair_id!r}, fields={len(self.fields)})"


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        raise InputError(f"{Path(path).name}: not a readable pairs CSV") from None


def _check_band(band: tuple[float, float]) -> tuple[float, float]:
    low, high = band
    if not 0 <= low <= high <= 1:
        raise InputError("band: 0 <= low <= high <= 1 / 범위: 0 <= 하한 <= 상한 <= 1")
    return low, high


def pairs_band(pairs: Path) -> tuple[float, float]:
    """The review band of the run that wrote ``pairs`` (``stats.review_band`` of the
    ``model.json`` beside it); the default model's where there is none, or the run is older
    than that setting."""
    model = Path(pairs).parent / "model.json"
    if not model.is_file():
        return default_spec().review_band
    stats = read_model(model).get("stats")
    band = stats.get("review_band") if isinstance(stats, dict) else None
    if band is None:
        return default_spec().review_band
    try:
        low, high = (float(x) for x in band)
    except (TypeError, ValueError):
        raise InputError(
            f"{model.name}: stats.review_band must be two numbers [low, high]; link again to "
            "write it, or give --band"
        ) from None
    return _check_band((low, high))


def queue_pairs(
    ws: Workspace, result: LinkResult, *, band: tuple[float, float] | None = None
) -> int:
    """Queue the pairs of a linkage result with ``low <= match_probability < high`` for
    review (default: the run's review band); returns how many were added. A pair already
    queued (in either order) or already decided by a reviewer (``decision`` ``review:...``)
    is not added again; one still open (and not waiting for its second look) takes this
    run's probability, reasons and groups, as a new version.

    ``result.pairs`` holds the pairs from ``min(review_band[0], threshold)`` of the spec up,
    so a ``low`` below that finds nothing more."""
    if band is None:
        recorded = result.stats.get("review_band")
        band = (recorded[0], recorded[1]) if recorded else default_spec().review_band
    rows = [
        r
        for r in result.pairs.to_dict("records")
        if not str(r.get("decision") or "").startswith("review:")
    ]
    groups = _groups(result.clusters.to_dict("records"), where="clusters")
    return _queue(ws, rows, _check_band(band), where="pair", groups=groups)


def queue_from_pairs(
    ws: Workspace, pairs: Path | LinkResult, *, band: tuple[float, float] | None = None
) -> int:
    """Store the pairs with ``low <= match_probability < high`` of a ``pairs.csv`` (or a
    :class:`LinkResult`, as :func:`queue_pairs`) as open review pairs; returns how many were
    added (pairs already queued, in either order, are not added twice; open ones are
    updated, as :func:`queue_pairs` says). The band defaults to
    the one of the run that wrote them (:func:`pairs_band`)."""
    if isinstance(pairs, LinkResult):
        return queue_pairs(ws, pairs, band=band)
    band = band or pairs_band(pairs)
    beside = Path(pairs).parent / "clusters.csv"
    groups = (
        _groups(_csv_rows(beside), where="clusters.csv, row", first=2) if beside.is_file() else None
    )
    return _queue(
        ws, _csv_rows(pairs), _check_band(band), where=f"{pairs.name}, row", first=2, groups=groups
    )


Key = tuple[str, str]  # (list, record id)
#: At most this many other records of each side's group are kept with a pair, to show.
MEMBERS_KEPT = 10


@dataclass(frozen=True)
class Groups:
    """A run's clusters: each record's (cluster id, cluster size), and each cluster's
    records in (list, record id) order."""

    of: Mapping[Key, tuple[str, int]]
    members: Mapping[str, tuple[Key, ...]]


def _groups(rows: Iterable[Mapping[str, Any]], *, where: str, first: int = 1) -> Groups:
    of: dict[Key, tuple[str, int]] = {}
    members: dict[str, list[Key]] = {}
    for n, row in enumerate(rows, start=first):
        try:
            key, cluster = (str(row["list"]), str(row["record_id"])), str(row["cluster_id"])
            of[key] = (cluster, int(row["cluster_size"]))
        except (KeyError, TypeError, ValueError):
            raise InputError(
                f"{where} {n}: needs record_id, list, cluster_id and a whole cluster_size; link "
                "again, or move clusters.csv away from pairs.csv"
            ) from None
        if of[key][1] > 1:
            members.setdefault(cluster, []).append(key)
    return Groups(of, {c: tuple(sorted(keys)) for c, keys in members.items()})


def _queue(
    ws: Workspace,
    rows: Iterable[Mapping[str, Any]],
    band: tuple[float, float],
    *,
    where: str,
    first: int = 1,
    groups: Groups | None = None,
) -> int:
    low, high = band
    queued = {_key(r.attributes): r for r in ws.iter_current(KIND)}
    new: set[frozenset[tuple[str, str]]] = set()
    added = 0
    with ws.transaction():
        for n, row in enumerate(rows, start=first):
            try:
                prob = float(row["match_probability"])
                attrs: dict[str, Any] = {
                    "list_l": str(row["list_l"]),
                    "record_id_l": str(row["record_id_l"]),
                    "list_r": str(row["list_r"]),
                    "record_id_r": str(row["record_id_r"]),
                    "match_probability": prob,
                }
            except (KeyError, TypeError, ValueError):
                raise InputError(
                    f"{where} {n}: needs record_id_l, list_l, record_id_r, list_r, "
                    "match_probability"
                ) from None
            if not low <= prob < high:
                continue
            why = str(row.get(REASONS) or "")
            parse_reasons(why, where=f"{where} {n}")  # a bad one is refused, not stored
            key = _key(attrs)
            if key in new:  # twice in this input: the first stands
                continue
            if (before := queued.get(key)) is not None:
                _refresh(ws, before, attrs, why, groups)
                continue
            attrs.update(_run_facts(attrs, why, groups))
            attrs.update(status="open", decision=None, reviewer=None, decided_at=None)
            ws.put(KIND, attrs)
            new.add(key)
            added += 1
    return added


def _run_facts(pair: Mapping[str, Any], why: str, groups: Groups | None) -> dict[str, Any]:
    """What a run says of a pair besides its probability: its reasons and what the run made
    of the two (each side's cluster size, together or not, and up to ``MEMBERS_KEPT`` other
    records of each side's cluster), for ``pair``'s left and right."""
    out: dict[str, Any] = {REASONS: why} if why else {}
    ends = _ends(pair)
    left, right = (groups.of.get(e) if groups else None for e in ends)
    if groups is not None and left is not None and right is not None:
        out.update(group_l=left[1], group_r=right[1], together=left[0] == right[0])
        for side, (cluster, _) in (("l", left), ("r", right)):
            others = [k for k in groups.members.get(cluster, ()) if k not in ends]
            if others:
                out[f"members_{side}"] = [list(k) for k in others[:MEMBERS_KEPT]]
    return out


#: What a run adds to a pair, replaced as a whole by a newer run's.
_RUN_FACTS = (REASONS, "group_l", "group_r", "together", "members_l", "members_r")


def _refresh(
    ws: Workspace,
    before: StoredRecord,
    row: Mapping[str, Any],
    why: str,
    groups: Groups | None,
) -> None:
    """A pair queued before and still open (not waiting for its second look) takes the
    newer run's probability, reasons and groups, so the queue's order and its explanations
    are the latest run's; a decided pair keeps what it was decided on."""
    a = before.attributes
    if a.get("status") != "open" or a.get("first_decision") is not None:
        return
    facts = _run_facts(a, why, groups)  # in the stored pair's left and right
    if row["match_probability"] == a["match_probability"]:
        kept = {**a, **facts}  # the same run (or its file again): what it adds
    else:  # another run: nothing of the one before, whose reasons add up to another p
        kept = {k: v for k, v in a.items() if k not in _RUN_FACTS}
        kept.update(facts, match_probability=row["match_probability"])
    if kept != a:
        ws.put(KIND, kept, record_id=before.record_id)


def _key(a: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
    # A pair is the same whichever record a run put on the left.
    return frozenset(_ends(a))


def next_pair(ws: Workspace, *, skip: Iterable[str] = ()) -> StoredRecord | None:
    """The most uncertain open pair (probability closest to 0.5), except those in ``skip``
    and those the decisions already settle (:class:`QueueCounts`)."""
    skipped = set(skip)
    pairs = list(ws.iter_current(KIND))
    graph, _ = _graph(pairs)
    open_ = [
        r
        for r in pairs
        if r.attributes.get("status") == "open"
        and r.record_id not in skipped
        and r.attributes.get("first_reviewer") != ws.user  # a second look is someone else's
        and not _settled_by(graph, r.attributes)
    ]
    if not open_:
        return None
    return min(open_, key=lambda r: (abs(r.attributes["match_probability"] - 0.5), r.record_id))


@dataclass(frozen=True)
class QueueCounts:
    """Where the review queue stands. ``open``: pairs someone is still to be asked (those
    waiting for a second look included); ``settled``: open pairs the decisions already
    settle, so that no one is asked: match decisions join the two records (A = B and B = C
    settle A and C), or a non-match lies between their groups (A = B and B != C settle A
    and C apart); clustering binds them so whatever the model says, and a changed decision
    reopens them. ``decided``: pairs with a decision (unsure included)."""

    open: int
    settled: int
    decided: int


def queue_counts(ws: Workspace) -> QueueCounts:
    pairs = list(ws.iter_current(KIND))
    graph, _ = _graph(pairs)
    waiting = [r.attributes for r in pairs if r.attributes.get("status") == "open"]
    settled = sum(_settled_by(graph, a) for a in waiting)
    return QueueCounts(len(waiting) - settled, settled, len(pairs) - len(waiting))


def _ends(a: Mapping[str, Any]) -> tuple[tuple[str, str], tuple[str, str]]:
    return (a["list_l"], a["record_id_l"]), (a["list_r"], a["record_id_r"])


def _settled_by(graph: DecisionGraph, a: Mapping[str, Any]) -> bool:
    # A pair reopened for a second look is asked again, whatever else was decided.
    return "first_decision" not in a and graph.says(*_ends(a)) is not None


def _graph(
    pairs: Iterable[StoredRecord], *, without: str | None = None
) -> tuple[DecisionGraph, list[str]]:
    """The decided pairs (but ``without``) as a graph, and each decision's pair id by number."""
    graph, ids = DecisionGraph(), []
    for pair_id, d in _decided(pairs):
        if pair_id != without:
            graph.add((d.list_l, d.record_id_l), (d.list_r, d.record_id_r), d.decision)
            ids.append(pair_id)
    return graph, ids


def _contradiction(graph: DecisionGraph, ids: list[str], chain: tuple[int, ...]) -> str:
    said = {"match": ("same person", "같은 사람"), "non-match": ("different people", "다른 사람")}
    en = ", ".join(f"{ids[k][:8]} {said[graph.decision(k)[2]][0]}" for k in chain)
    ko = ", ".join(f"{ids[k][:8]} {said[graph.decision(k)[2]][1]}" for k in chain)
    return (
        f"this decision contradicts pairs already decided ({en}): change one of them first "
        f"(unseen review WS --pair {ids[chain[0]][:8]}), or answer unsure / "
        f"이 결정은 이미 결정된 쌍과 맞지 않습니다 ({ko}): 먼저 그중 하나를 바꾸거나 "
        f"(unseen review WS --pair {ids[chain[0]][:8]}), 모름으로 답하세요"
    )


def decide(ws: Workspace, pair_id: str, decision: str, *, now: str | None = None) -> StoredRecord:
    if decision not in DECISIONS:
        raise InputError(f"a decision is one of {', '.join(DECISIONS)}")
    current = ws.get(KIND, pair_id)
    attrs = dict(current.attributes)
    first = attrs.get("first_decision")
    if first is not None and attrs.get("status") == "open":
        if attrs.get("first_reviewer") == ws.user:
            raise InputError(
                "this pair waits for a second reviewer: someone other than its first "
                "reviewer decides it / 이 쌍은 다른 검토자가 다시 결정해야 합니다"
            )
        attrs["second_decision"] = decision
        if decision != first:
            decision = "unsure"  # two people disagree: no constraint, the model decides
    if decision != "unsure":
        # Clustering would refuse a contradiction at the next link: say so while the
        # reviewer still has the pair in front of them.
        graph, ids = _graph(ws.iter_current(KIND), without=pair_id)
        if chain := graph.against(*_ends(attrs), decision):
            raise InputError(_contradiction(graph, ids, chain))
    attrs.update(status="decided", decision=decision, reviewer=ws.user)
    if now is not None:
        attrs["decided_at"] = now
    ref = ws.put(KIND, attrs, record_id=pair_id)
    return ws.get(KIND, pair_id, version=ref.version)


def second_look(ws: Workspace, *, band: tuple[float, float] = SECOND_LOOK) -> int:
    """Reopen, for a reviewer other than the first, every decided pair whose decision goes
    against a confident model: ``match`` at ``band[0]`` or below, ``non-match`` at ``band[1]``
    or above (the probability the pair was queued with). Returns how many were reopened; a pair
    that already had its second look is not reopened."""
    low, high = _check_band(band)
    reopened = 0
    with ws.transaction():
        for r in ws.iter_current(KIND):
            a = r.attributes
            if a.get("status") != "decided" or "first_decision" in a:
                continue
            p, decision = float(a["match_probability"]), a.get("decision")
            if (decision == "match" and p <= low) or (decision == "non-match" and p >= high):
                attrs = dict(a)
                attrs.update(
                    status="open",
                    first_decision=decision,
                    first_reviewer=a.get("reviewer"),
                    decision=None,
                    reviewer=None,
                    decided_at=None,
                )
                ws.put(KIND, attrs, record_id=r.record_id)
                reopened += 1
    return reopened


def decided_pairs(ws: Workspace) -> tuple[tuple[str, Decision], ...]:
    """Every decided pair as (pair id, decision), by pair id."""
    return _decided(ws.iter_current(KIND))


def _decided(pairs: Iterable[StoredRecord]) -> tuple[tuple[str, Decision], ...]:
    out = []
    for r in sorted(pairs, key=lambda r: r.record_id):
        a = r.attributes
        if a.get("status") == "decided" and a.get("decision") in DECISIONS:
            out.append(
                (
                    r.record_id,
                    Decision(
                        a["record_id_l"], a["list_l"], a["record_id_r"], a["list_r"], a["decision"]
                    ),
                )
            )
    return tuple(out)


def decisions(ws: Workspace) -> tuple[Decision, ...]:
    return tuple(d for _, d in decided_pairs(ws))


def find_pair(ws: Workspace, prefix: str) -> StoredRecord:
    """The review pair whose id starts with ``prefix`` (at least 6 characters, unique)."""
    prefix = prefix.strip().lower()
    if len(prefix) < 6:
        raise InputError("give at least 6 characters of the pair's code / 쌍 코드는 6자 이상")
    found = [r for r in ws.iter_current(KIND) if r.record_id.startswith(prefix)]
    if not found:
        raise RecordNotFound(f"no review pair {prefix} / 검토 쌍 {prefix}이(가) 없습니다")
    if len(found) > 1:
        raise InputError(f"{prefix} fits {len(found)} pairs: give more of the code")
    return found[0]


def export_decisions(ws: Workspace, path: Path) -> int:
    """Write match / non-match decisions as a pairs CSV (FORMATS.md s5, ``review:...``)."""
    rows = [
        r.attributes
        for r in sorted(ws.iter_current(KIND), key=lambda r: r.record_id)
        if r.attributes.get("decision") in ("match", "non-match")
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(PAIR_COLUMNS)  # what pairs.csv holds, so a reviewer's file reads the same
        for a in rows:
            w.writerow(
                [a["record_id_l"], a["list_l"], a["record_id_r"], a["list_r"],
                 a["match_probability"], f"review:{a['decision']}"]
            )  # fmt: skip
    return len(rows)


def _find(ws: Workspace, list_name: str, record_id: str, reveal: bool) -> StoredRecord | None:
    # ingest stores each person with the list name and its id in that list.
    for found in ws.query("person", list_name=list_name, source_record_id=record_id):
        return ws.get("person", found.record_id, reveal=reveal)
    return None


def _flat(rec: StoredRecord | None) -> dict[str, str]:
    if rec is None:
        return {}
    out: dict[str, str] = {}
    for source in (rec.identity or {}, rec.attributes):
        for k, v in source.items():
            if k in ("source_id", "extra") or v in (None, "", [], {}):
                continue
            out.setdefault(k, v if isinstance(v, str) else str(v))
    return out


def _compared(ws: Workspace, rec: StoredRecord | None) -> dict[str, str]:
    if rec is None:
        return {}
    out = {k: str(v) for k, v in person_event(ws, rec.record_id).items() if v not in (None, "")}
    mother = person_mother(ws, rec.record_id)
    if mother is not None:
        m = mother.attributes
        out["mother"] = " ".join(
            str(x) for x in (m.get("list_name"), m.get("source_record_id") or mother.record_id) if x
        )
    return out


def pair_view(ws: Workspace, pair_id: str) -> PairView:
    """Both records' fields side by side; identity fields only for roles that hold the key."""
    pair = ws.get(KIND, pair_id)
    a = pair.attributes
    reveal = ws.role.can_reveal
    left = _find(ws, a["list_l"], a["record_id_l"], reveal)
    right = _find(ws, a["list_r"], a["record_id_r"], reveal)
    if left is None and right is None:
        raise RecordNotFound("neither record of this pair is in the workspace")
    # What the model compared beyond the person record: the first act's event and the mother.
    lf = {**_flat(left), **_compared(ws, left)}
    rf = {**_flat(right), **_compared(ws, right)}
    names = list(dict.fromkeys([*lf, *rf]))
    fields = tuple(
        FieldView(n, lf.get(n, ""), rf.get(n, ""), lf.get(n, "") != rf.get(n, "")) for n in names
    )
    second = a["status"] == "open" and a.get("first_decision") is not None
    return PairView(
        pair_id,
        a["match_probability"],
        a["status"],
        fields,
        reveal,
        a.get("decision"),
        second,
        parse_reasons(str(a.get(REASONS) or ""), where=f"review pair {pair_id[:8]}"),
        (int(a["group_l"]), int(a["group_r"])) if "group_l" in a else None,
        bool(a["together"]) if "together" in a else None,
        (_members(ws, a.get("members_l"), reveal), _members(ws, a.get("members_r"), reveal)),
    )


def _members(ws: Workspace, keys: Any, reveal: bool) -> tuple[MemberView, ...]:
    out = []
    for list_name, record_id in keys or ():
        rec = _find(ws, list_name, record_id, reveal)
        if rec is None:  # deleted since the run
            out.append(MemberView(list_name, record_id))
            continue
        who, a = rec.identity or {}, rec.attributes
        years = a.get("birth_year_range") or ()
        birth = str(who.get("birth_date") or "") or "-".join(str(y) for y in dict.fromkeys(years))
        out.append(
            MemberView(
                list_name, record_id, display_name(who) or "", birth, str(a.get("sex") or ""),
                str(a.get("origin_place_text") or ""), str(a.get("china_place_text") or ""),
            )
        )  # fmt: skip
    return tuple(out)
