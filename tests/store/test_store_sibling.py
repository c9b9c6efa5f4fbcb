"""``Workspace.sibling``: a second handle for another thread, with the same user and keys and its
own connection. Writes from two threads keep one unbroken audit chain; a long read does not stop
a write; closing one handle leaves the other open; the role's limits come along."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from storekit import ANALYST, ANALYST_PW, DOC, DOC_PW

from unseen.errors import PermissionDenied, WorkspaceError
from unseen.store import Workspace


def test_two_threads_write_through_two_handles_into_one_chain(team: Workspace) -> None:
    other = team.sibling()
    assert (other.user, other.role) == (team.user, team.role)
    errors: list[BaseException] = []

    def write(ws: Workspace, tag: str) -> None:
        try:
            for i in range(40):
                ws.put("event", {"tag": tag, "n": i})
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(other, "sibling")),
        threading.Thread(target=write, args=(team, "first")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert errors == []
    tags = sorted(r.attributes["tag"] for r in team.iter_current("event"))
    assert tags == ["first"] * 40 + ["sibling"] * 40
    report = team.verify()
    assert report.ok, report.reason
    assert team.put("event", {"n": -1}).version == 1  # the first handle is still open


def test_a_read_in_progress_does_not_stop_a_write(team: Workspace) -> None:
    for i in range(5):
        team.put("person", {"n": i})
    reader = team.sibling()
    rows = reader.iter_current("person")
    first = next(rows)  # a read transaction is now open on the sibling's connection
    done = threading.Event()

    def write() -> None:
        team.put("person", {"n": 99})
        done.set()

    t = threading.Thread(target=write)
    t.start()
    assert done.wait(timeout=30)  # WAL: the writer did not wait for the reader
    t.join()
    rest = list(rows)
    assert first.attributes["n"] == 0
    assert [r.attributes["n"] for r in rest] == [1, 2, 3, 4]  # the reader's own snapshot
    reader.close()
    assert team.count("person") == 6


def test_a_sibling_keeps_the_role_and_closes_alone(team: Workspace, ws_path: Path) -> None:
    record = team.put("person", {"sex": "F"}, {"given_name": "가상인"})
    with Workspace.open(ws_path, user=ANALYST, passphrase=ANALYST_PW) as analyst:
        twin = analyst.sibling()
        with pytest.raises(PermissionDenied):
            twin.get("person", record.record_id, reveal=True)
        assert twin.get("person", record.record_id).attributes == {"sex": "F"}
        twin.close()
        with pytest.raises(WorkspaceError):
            twin.count("person")
        assert analyst.count("person") == 1  # the first handle still works
    with Workspace.open(ws_path, user=DOC, passphrase=DOC_PW) as doc:
        twin = doc.sibling()
        twin.put("event", {"n": 1})  # written under her name, not the admin's
        twin.close()
    assert [e.author for e in team.iter_current("event")] == [DOC]
