"""Linking the people of a real encrypted workspace: the table, roles, audit, canaries, and the
review loop feeding the next link (simulator `small` preset, imported with the ingest service)."""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from svckit import ADMIN, ADMIN_PW, ANALYST, ANALYST_PW, CANARY_HANGUL, CANARY_LATIN

from unseen.crypto import KdfParams
from unseen.errors import ConfigError, InputError, PermissionDenied
from unseen.formats import ColumnMapping
from unseen.linkage import (
    Decision,
    EngineOptions,
    LinkageSpec,
    LinkResult,
    Reason,
    capture_histories,
    default_spec,
    format_reasons,
    parse_reasons,
)
from unseen.services import review
from unseen.services.ingest import import_person_list
from unseen.services.linking import link_files, read_tables, write_run
from unseen.services.person_acts import events_by_victim, person_event, person_mother
from unseen.services.workspace_linking import (
    RUN_KIND,
    link_workspace,
    stored_decisions,
    workspace_table,
)
from unseen.simulate import SimulationSettings, simulate, write_simulation
from unseen.store import Role, Workspace

ONE = EngineOptions(threads=1)
CANARY_EVERY = 9  # every 9th record of each list carries a canary name


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The small preset's lists, with canary names written into some records."""
    out = tmp_path_factory.mktemp("lists")
    files = list(
        write_simulation(simulate(SimulationSettings.preset("small", 7)), out).lists.values()
    )
    for path in files:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header, rows = list(reader.fieldnames or []), list(reader)
        for i in range(0, len(rows), CANARY_EVERY):
            rows[i]["family_name"] = CANARY_LATIN
            rows[i]["given_name"] = "Sun-hui"
            rows[i]["name_hangul"] = CANARY_HANGUL + "순희"
            rows[i]["aliases"] = f"{CANARY_LATIN} Li;{CANARY_HANGUL}"
            rows[i]["notes"] = f"met {CANARY_LATIN} in {CANARY_HANGUL}"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return files


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, lists: list[Path]) -> Path:
    path = tmp_path_factory.mktemp("ws") / "ws"
    with Workspace.create(
        path, user=ADMIN, passphrase=ADMIN_PW, kdf=KdfParams.fast_for_tests()
    ) as ws:
        ws.add_user(ANALYST, ANALYST_PW, Role.ANALYST)
        for f in lists:
            import_person_list(ws, f)
    return path


@pytest.fixture
def ws(imported: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A fresh copy of the imported workspace for each test (tests write decisions)."""
    copy = tmp_path / "ws"
    shutil.copytree(imported, copy)
    with Workspace.open(copy, user=ADMIN, passphrase=ADMIN_PW) as workspace:
        yield workspace


def _same(a: object, b: object) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    return a == b or bool(pd.isna(a) and pd.isna(b))


def _cluster_of(result: LinkResult) -> dict[tuple[str, str], str]:
    c = result.clusters
    return dict(zip(zip(c["list"], c["record_id"], strict=True), c["cluster_id"], strict=True))


def _audit(ws: Workspace, kind: str) -> list[tuple[str, str, str, str | None]]:
    with ws._c.db.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT action, actor, record_id, detail FROM audit_log WHERE kind = ? ORDER BY seq",
            (kind,),
        ).all()
    return [tuple(r) for r in rows]


def test_the_table_and_the_clusters_are_those_of_the_files(
    ws: Workspace, lists: list[Path]
) -> None:
    spec = default_spec()
    from_files = read_tables(lists, spec)
    table, person_ids, names_read = workspace_table(ws, spec)
    assert names_read and len(person_ids) == len(set(person_ids)) == ws.count("person")
    assert list(table.columns) == list(from_files.columns) and len(table) == len(from_files) == 335
    for col in from_files.columns:
        differ = [
            i
            for i, (a, b) in enumerate(zip(table[col], from_files[col], strict=True))
            if not _same(a, b)
        ]
        assert differ == [], col
    files_result, _ = link_files(lists, spec, options=ONE)
    run = link_workspace(ws, spec, options=ONE)
    assert run.result.clusters.equals(files_result.clusters)
    assert run.result.pairs.equals(files_result.pairs)


def test_a_stratum_the_lists_lack_is_refused_before_linking(
    ws: Workspace, lists: list[Path]
) -> None:
    for bad, message in [
        (["no_such_column"], "stratum 'no_such_column': the input has no column"),
        (["sex:month"], "stratum 'sex:month': use column, column:year, :decade or :province"),
        (["sex", "sex"], "each stratum may be named once"),
    ]:
        stages: list[str] = []
        with pytest.raises(ConfigError, match=re.escape(message)):
            link_files(lists, default_spec(), options=ONE, strata=bad, progress=stages.append)
        assert stages == ["reading"]  # no blocking, training or scoring was spent on it
        stages.clear()
        reads = len([e for e in _audit(ws, "person") if e[0] == "reveal"])
        with pytest.raises(ConfigError, match=re.escape(message)):
            link_workspace(ws, default_spec(), options=ONE, strata=bad, progress=stages.append)
        assert stages == ["reading"]
        # and no name was read for it: imported extra columns are known without names
        assert len([e for e in _audit(ws, "person") if e[0] == "reveal"]) == reads
    assert ws.count(RUN_KIND) == 0  # and nothing was recorded


def test_a_stratum_on_an_imported_extra_column_is_known_before_names(
    lists: list[Path], tmp_path: Path
) -> None:
    """A column beyond FORMATS.md s1 (here ``region``, on one list only) is a stratum."""
    with lists[0].open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    extra = tmp_path / lists[0].name
    with extra.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[*rows[0], "region"])
        writer.writeheader()
        writer.writerows({**r, "region": "north" if i % 2 else "south"} for i, r in enumerate(rows))
    with Workspace.create(
        tmp_path / "ws", user=ADMIN, passphrase=ADMIN_PW, kdf=KdfParams.fast_for_tests()
    ) as ws:
        import_person_list(ws, extra, mapping=ColumnMapping(keep=("region",)))
        for f in lists[1:]:
            import_person_list(ws, f)
        with pytest.raises(ConfigError, match="the input has no column 'regio'"):
            link_workspace(ws, default_spec(), options=ONE, strata=["regio"])
        assert [e for e in _audit(ws, "person") if e[0] == "reveal"] == []
        run = link_workspace(ws, default_spec(), options=ONE, strata=["region"])
    table = capture_histories(run.result, strata=["region"])
    # the other lists have no region: their people only are "unknown"
    assert set(table["region"]) == {"north", "south", "unknown"}


def test_outputs_hold_no_name_and_the_run_is_audited(ws: Workspace, tmp_path: Path) -> None:
    before = {r.record_id for r in ws.iter_current("person")}
    run = link_workspace(ws, default_spec(), options=ONE, strata=["sex", "first_exit_date:year"])
    out = tmp_path / "out"
    written = write_run(run.result, None, out, strata=["sex", "first_exit_date:year"])
    assert {Path(f).name for f in written} == {
        "clusters.csv", "pairs.csv", "capture_histories.csv", "model.json",
    }  # fmt: skip
    needles = [
        t.encode(enc)
        for t in (CANARY_LATIN, CANARY_LATIN.lower(), CANARY_HANGUL)
        for enc in ("utf-8", "utf-16-le", "utf-16-be")
    ]
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == 4
    assert [(p.name, n) for p in files for n in needles if n in p.read_bytes()] == []
    # The workspace's lists (import batches) each get a prior with every other: labels only.
    lists = set(run.result.clusters["list"])
    model = json.loads((out / "model.json").read_text(encoding="utf-8"))["model"]
    assert len(lists) > 1
    assert {x for p in model["list_prior"] for x in p["lists"]} == lists
    # One audit entry says a linkage ran, who ran it and (through its record) how many records.
    entries = _audit(ws, RUN_KIND)
    assert [(a, actor, rid) for a, actor, rid, _ in entries] == [("create", ADMIN, run.run_id)]
    record = ws.get(RUN_KIND, run.run_id)
    assert record.author == ADMIN and not record.has_identity
    assert record.attributes["records"] == 335 and record.attributes["names_read"] is True
    assert record.attributes["lists"] == sorted(run.result.lists)
    assert record.attributes["clusters"] == run.result.n_clusters
    text = json.dumps(record.attributes, ensure_ascii=False) + str(entries)
    assert CANARY_LATIN not in text and CANARY_HANGUL not in text
    # Every name read was a reveal the store logged, one per person.
    assert {e[2] for e in _audit(ws, "person") if e[0] == "reveal"} == before
    assert ws.verify().ok


def test_an_analyst_cannot_link_on_names_but_can_on_places(imported: Path, tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(imported, copy)
    with Workspace.open(copy, user=ANALYST, passphrase=ANALYST_PW) as analyst:
        with pytest.raises(PermissionDenied) as refused:
            link_workspace(analyst, default_spec(), options=ONE)
        message = str(refused.value)
        assert "reviewer, documenter or admin" in message and "analyst" in message
        assert "검토자" in message and "관리자" in message
        assert analyst.count(RUN_KIND) == 0
        places = LinkageSpec.from_dict(
            {
                "input": "person-list",
                "comparisons": [
                    {"name": "origin", "type": "place", "column": "origin_place", "country": "KP"},
                    {"name": "china", "type": "place", "column": "china_place", "country": "CN"},
                    {"name": "sex", "type": "exact", "column": "sex"},
                ],
                "blocking": ["origin.id", "china.id"],
            }
        )
        run = link_workspace(analyst, places, options=ONE)
        assert not run.names_read and len(run.result.clusters) == 335
        table, _, _ = workspace_table(analyst, places)
        assert table["family_name"].isna().all() and table["name_hangul"].isna().all()
        assert analyst.get(RUN_KIND, run.run_id).author == ANALYST
    with Workspace.open(copy, user=ADMIN, passphrase=ADMIN_PW) as admin:
        assert [e for e in _audit(admin, "person") if e[0] == "reveal"] == []


def test_queue_pairs_band_once_and_in_either_order(ws: Workspace, tmp_path: Path) -> None:
    result = link_workspace(ws, default_spec(), options=ONE).result
    p = result.pairs["match_probability"]
    expected = int(((p >= 0.5) & (p < 0.95)).sum())
    assert expected >= 5
    assert review.queue_pairs(ws, result, band=(0.5, 0.95)) == expected
    assert ws.count(review.KIND) == expected
    assert review.queue_pairs(ws, result, band=(0.5, 0.95)) == 0
    # the same pairs written right-to-left are not queued again
    flipped = tmp_path / "flipped.csv"
    with flipped.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id_l", "list_l", "record_id_r", "list_r", "match_probability"])
        for r in result.pairs.itertuples():
            w.writerow([r.record_id_r, r.list_r, r.record_id_l, r.list_l, r.match_probability])
    assert review.queue_from_pairs(ws, flipped, band=(0.5, 0.95)) == 0
    assert review.queue_from_pairs(ws, flipped, band=(0.95, 1.0)) == int(
        ((p >= 0.95) & (p < 1.0)).sum()
    )
    with pytest.raises(InputError, match="band"):
        review.queue_pairs(ws, result, band=(0.9, 0.5))
    # Without a band, the run's own: the default model's 0.3 to 0.9.
    assert result.stats["review_band"] == [0.3, 0.9]
    rest = int(((p >= 0.3) & (p < 0.5)).sum())
    assert rest >= 1
    assert review.queue_pairs(ws, result) == rest


def _unordered(a: dict[str, object]) -> frozenset[tuple[object, object]]:
    return frozenset({(a["list_l"], a["record_id_l"]), (a["list_r"], a["record_id_r"])})


def _pick(result: LinkResult, low: float, high: float, joined: bool) -> tuple[str, ...]:
    cluster = _cluster_of(result)
    for r in result.pairs.itertuples():
        same = cluster[(r.list_l, r.record_id_l)] == cluster[(r.list_r, r.record_id_r)]
        if low <= r.match_probability < high and same == joined:
            return (r.list_l, r.record_id_l, r.list_r, r.record_id_r)
    raise AssertionError("no such pair in the small preset")


def test_review_decisions_change_the_next_link(ws: Workspace) -> None:
    """All queued pairs decided one way, then the other: every one of them is obeyed."""
    spec = default_spec()
    first = link_workspace(ws, spec, options=ONE)
    assert first.decisions_applied == 0
    joined = _pick(first.result, spec.threshold, 1.0, joined=True)
    low = spec.review_band[0]
    apart = _pick(first.result, low, spec.threshold, joined=False)
    queued = review.queue_pairs(ws, first.result, band=(low, 1.0))
    pairs = list(ws.iter_current(review.KIND))
    assert queued == len(pairs) >= 10
    for verdict, together, changed in (("non-match", False, joined), ("match", True, apart)):
        if verdict == "match":
            # Turned one by one, "same person" beside the other pairs' "different people"
            # would contradict them (A = B, B = C, A != C): the review refuses that.
            for pair in pairs:
                review.decide(ws, pair.record_id, "unsure")
        for pair in pairs:
            review.decide(ws, pair.record_id, verdict)
        run = link_workspace(ws, spec, options=ONE)
        assert run.decisions_applied == len(pairs) and run.decisions_not_applied == 0
        cluster = _cluster_of(run.result)
        for pair in pairs:
            a = pair.attributes
            left, right = (a["list_l"], a["record_id_l"]), (a["list_r"], a["record_id_r"])
            assert (cluster[left] == cluster[right]) == together, (verdict, pair.record_id)
        assert (cluster[changed[:2]] == cluster[changed[2:]]) == together
        marks = {
            (r.list_l, r.record_id_l, r.list_r, r.record_id_r): r.decision
            for r in run.result.pairs.itertuples()
        }
        assert marks[changed] == f"review:{verdict}"
        # Queueing the new result adds only pairs nobody has seen: none twice, none decided.
        review.queue_pairs(ws, run.result, band=(0.0, 1.0))
        keys = [_unordered(r.attributes) for r in ws.iter_current(review.KIND)]
        assert len(keys) == len(set(keys)) and {_unordered(p.attributes) for p in pairs} <= set(
            keys
        )


def _decided(ws: Workspace, left: tuple[str, str], right: tuple[str, str], verdict: str) -> str:
    attrs = {"list_l": left[0], "record_id_l": left[1], "list_r": right[0],
             "record_id_r": right[1], "match_probability": 0.7, "status": "decided",
             "decision": verdict, "reviewer": ADMIN, "decided_at": None}  # fmt: skip
    return ws.put(review.KIND, attrs).record_id


def test_contradicting_decisions_are_refused_naming_the_pairs(ws: Workspace) -> None:
    people = [r.attributes for r in ws.iter_current("person")][:4]
    a, b, c, d = [(p["list_name"], p["source_record_id"]) for p in people]
    # Directly: one pair decided both ways (two reviews of it, e.g. from two offices).
    yes = _decided(ws, a, b, "match")
    no = _decided(ws, b, a, "non-match")
    with pytest.raises(InputError) as refused:
        stored_decisions(ws, [a, b, c, d])
    message = str(refused.value)
    assert no[:8] in message and yes[:8] in message and a[1] in message and b[1] in message
    assert "unseen review WS --pair" in message and "다시 결정" in message
    with pytest.raises(InputError):
        link_workspace(ws, default_spec(), options=ONE)
    assert ws.count(RUN_KIND) == 0
    assert [e for e in _audit(ws, "person") if e[0] == "reveal"] == []  # refused before reading
    # Settled: the non-match is decided again.
    review.decide(ws, no, "match")
    assert len(stored_decisions(ws, [a, b, c, d])[0]) == 2
    # Through other records: a = b, b = c, c = d, but a != d.
    bc, cd = _decided(ws, b, c, "match"), _decided(ws, c, d, "match")
    ad = _decided(ws, a, d, "non-match")
    with pytest.raises(InputError) as refused:
        stored_decisions(ws, [a, b, c, d])
    message = str(refused.value)
    assert ad[:8] in message and bc[:8] in message and cd[:8] in message
    assert set(review.decisions(ws)) >= {
        Decision(a[1], a[0], d[1], d[0], "non-match"),
        Decision(b[1], b[0], c[1], c[0], "match"),
    }
    # A record deleted since takes its decisions out, and the rest agree again.
    gone = ws.query("person", list_name=c[0], source_record_id=c[1])[0]
    ws.delete("person", gone.record_id)
    kept, left_out = stored_decisions(ws, [a, b, d])
    assert left_out == 2 and len(kept) == 3


def test_one_record_held_by_two_people_is_refused_naming_both(ws: Workspace) -> None:
    first = next(iter(ws.iter_current("person")))
    twin = ws.put("person", first.attributes)  # as a second bundle of the same list would
    with pytest.raises(InputError) as refused:
        link_workspace(ws, default_spec(), options=ONE)
    message = str(refused.value)
    assert first.record_id[:8] in message and twin.record_id[:8] in message
    assert first.attributes["source_record_id"] in message
    assert [e for e in _audit(ws, "person") if e[0] == "reveal"] == []


def test_a_queued_pair_shows_why_the_model_scored_it(ws: Workspace, tmp_path: Path) -> None:
    """The run's reasons go with each queued pair, from the result or from its pairs.csv,
    and add up to the probability it was queued with; a damaged reasons cell is refused,
    naming the file and row, and queues nothing."""
    result = link_workspace(ws, default_spec(), options=ONE).result
    assert review.queue_pairs(ws, result, band=(0.5, 0.95)) >= 5
    for pair in ws.iter_current(review.KIND):
        view = review.pair_view(ws, pair.record_id)
        assert view.reasons and view.reasons[0].comparison == "start"
        # Bits are written to 0.1: the sum is off by at most 0.05 a part.
        weight = math.log2(view.match_probability / (1 - view.match_probability))
        assert sum(r.bits for r in view.reasons) == pytest.approx(
            weight, abs=0.05 * len(view.reasons)
        )
    write_run(result, None, tmp_path / "out")
    pairs_csv = tmp_path / "out" / "pairs.csv"
    with pairs_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    band = [r for r in rows if 0.3 <= float(r["match_probability"]) < 0.5]
    assert band and all(r["reasons"] for r in band)
    at = rows.index(band[0])
    broken = [dict(r) for r in rows]
    broken[at]["reasons"] = "start: any two records"  # no bits
    damaged = tmp_path / "damaged.csv"
    with damaged.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(broken)
    before = ws.count(review.KIND)
    row = at + 2  # the header is row 1
    with pytest.raises(InputError, match=rf"damaged.csv, row {row}: part 1 is not"):
        review.queue_from_pairs(ws, damaged, band=(0.3, 0.5))
    assert ws.count(review.KIND) == before
    assert review.queue_from_pairs(ws, pairs_csv, band=(0.3, 0.5)) == len(band)
    shown = {
        frozenset({(a["list_l"], a["record_id_l"]), (a["list_r"], a["record_id_r"])}): a
        for a in (p.attributes for p in ws.iter_current(review.KIND))
    }
    for r in band:
        key = frozenset({(r["list_l"], r["record_id_l"]), (r["list_r"], r["record_id_r"])})
        assert shown[key]["reasons"] == r["reasons"]


def test_one_persons_act_and_mother_are_those_the_link_reads(ws: Workspace) -> None:
    """A review shows what the model compared beyond the person record (the first act's
    event, the mother); read for one person, it is what the whole table holds."""
    everyone = events_by_victim(ws)
    people = list(ws.iter_current("person"))
    assert sum(1 for p in people if p.record_id in everyone) >= 50
    mothers = 0
    for person in people:
        assert person_event(ws, person.record_id) == everyone.get(person.record_id, {})
        mother = person_mother(ws, person.record_id)
        rels = ws.query("relationship", other_id=person.record_id, relationship_type="mother_of")
        assert (mother is None) == (not rels)
        if mother is not None:
            assert mother.record_id == rels[0].attributes["person_id"]
            mothers += 1
    assert mothers >= 1
    result = link_workspace(ws, default_spec(), options=ONE).result
    assert review.queue_pairs(ws, result, band=(0.3, 0.95)) >= 5
    table, _, _ = workspace_table(ws, default_spec())
    by_key = {(r["list"], r["record_id"]): r for r in table.to_dict("records")}
    shown = 0
    for pair in ws.iter_current(review.KIND):
        a = pair.attributes
        view = {f.name: (f.left, f.right) for f in review.pair_view(ws, pair.record_id).fields}
        for side, (lst, rid) in enumerate(
            ((a["list_l"], a["record_id_l"]), (a["list_r"], a["record_id_r"]))
        ):
            place = by_key[(lst, rid)]["event_place"]
            assert view.get("event_place", ("", ""))[side] == (place or "")
            shown += bool(place)
    assert shown >= 1


def test_a_queued_pair_says_what_the_run_made_of_it(ws: Workspace, tmp_path: Path) -> None:
    """Each queued pair keeps the sizes of its two records' clusters in the run that queued
    it, and whether they were one; from the result, or from the clusters.csv beside
    pairs.csv (a damaged one is refused, naming the row, and queues nothing)."""
    result = link_workspace(ws, default_spec(), options=ONE).result
    c = result.clusters
    size = dict(zip(zip(c["list"], c["record_id"], strict=True), c["cluster_size"], strict=True))
    group = _cluster_of(result)
    records: dict[str, list[tuple[str, str]]] = {}
    for key, cluster in sorted(group.items()):
        records.setdefault(cluster, []).append(key)
    assert review.queue_pairs(ws, result, band=(0.5, 0.95)) >= 5
    seen, shown = set(), 0
    for pair in ws.iter_current(review.KIND):
        a = pair.attributes
        left, right = (a["list_l"], a["record_id_l"]), (a["list_r"], a["record_id_r"])
        view = review.pair_view(ws, pair.record_id)
        assert view.groups == (size[left], size[right])
        assert view.together == (group[left] == group[right])
        seen.add(view.together)
        # The other records of each side's group, by list and id, named for the admin.
        for side, end in enumerate((left, right)):
            others = [k for k in records[group[end]] if k not in (left, right)]
            got = view.members[side]
            assert [(m.list_name, m.record_id) for m in got] == others[: review.MEMBERS_KEPT]
            assert all(m.name and (m.birth or m.sex) for m in got)
            shown += len(got)
    assert seen == {True, False} and shown >= 1
    write_run(result, None, tmp_path / "out")
    clusters_csv = tmp_path / "out" / "clusters.csv"
    lines = clusters_csv.read_text(encoding="utf-8").splitlines()
    clusters_csv.write_text("\n".join([*lines[:3], "R1,NGO,C9,many", *lines[3:]]) + "\n")
    before = ws.count(review.KIND)
    with pytest.raises(InputError, match=r"clusters.csv, row 4: needs record_id, list"):
        review.queue_from_pairs(ws, tmp_path / "out" / "pairs.csv", band=(0.3, 0.5))
    assert ws.count(review.KIND) == before
    clusters_csv.write_text("\n".join(lines) + "\n")
    assert review.queue_from_pairs(ws, tmp_path / "out" / "pairs.csv", band=(0.3, 0.5)) >= 1
    for pair in ws.iter_current(review.KIND):
        a = pair.attributes
        left, right = (a["list_l"], a["record_id_l"]), (a["list_r"], a["record_id_r"])
        assert (a["group_l"], a["group_r"]) == (size[left], size[right])


def test_queueing_a_newer_run_updates_the_open_pairs_only(ws: Workspace) -> None:
    """An open pair takes the newer run's probability and reasons (the queue's order and its
    explanations are the latest run's); a decided pair keeps what it was decided on."""
    from dataclasses import replace

    first = link_workspace(ws, default_spec(), options=ONE).result
    assert review.queue_pairs(ws, first, band=(0.5, 0.95)) >= 5
    decided = review.next_pair(ws)
    assert decided is not None
    review.decide(ws, decided.record_id, "match")
    before = {r.record_id: r.attributes for r in ws.iter_current(review.KIND)}
    # A later run that scores every pair a little higher and says so in its reasons.
    pairs = first.pairs.copy()
    pairs["match_probability"] = (pairs["match_probability"] + 0.01).clip(upper=0.999)
    pairs["reasons"] = [
        format_reasons([*parse_reasons(t), Reason("sex", "same", 0.0)]) for t in pairs["reasons"]
    ]
    later = replace(first, pairs=pairs)
    p = first.pairs["match_probability"]
    entering = int(((p < 0.5) & (p + 0.01 >= 0.5)).sum())  # into the band: new in the queue
    assert review.queue_pairs(ws, later, band=(0.5, 0.95)) == entering
    after = {r.record_id: r.attributes for r in ws.iter_current(review.KIND)}
    moved = 0
    for pair_id, a in before.items():
        now = after[pair_id]
        if pair_id == decided.record_id or a["match_probability"] + 0.01 >= 0.95:
            assert now == a  # decided, or out of the band now: as it was
            continue
        assert now["match_probability"] == pytest.approx(a["match_probability"] + 0.01)
        assert now["reasons"] == a["reasons"] + "; sex: same +0.0"
        assert (now["group_l"], now["together"]) == (a["group_l"], a["together"])
        assert len(ws.history(review.KIND, pair_id)) == 2
        moved += 1
    assert moved >= 4
    # The same run queued again writes nothing more.
    assert review.queue_pairs(ws, later, band=(0.5, 0.95)) == 0
    assert {r.record_id: r.attributes for r in ws.iter_current(review.KIND)} == after
