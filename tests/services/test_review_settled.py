"""Decisions bind beyond their pair: what they settle is not asked, what they contradict is
refused with the pairs it contradicts (real store)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from svckit import person_rows, write_csv

from unseen.errors import InputError
from unseen.services import review
from unseen.services.ingest import import_person_list
from unseen.store import Role, Workspace

LIST = "NGO interviews"
A, B, C = "R000000", "R000001", "R000002"


@pytest.fixture
def triangle(ws: Workspace, tmp_path: Path) -> dict[str, str]:
    """Three records, their three pairs queued; pair ids by name ("AB", "BC", "AC")."""
    import_person_list(ws, write_csv(tmp_path / "list.csv", person_rows(3, list_name=LIST)))
    path = tmp_path / "pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id_l", "list_l", "record_id_r", "list_r", "match_probability"])
        for left, right, p in ((A, B, 0.5), (B, C, 0.55), (A, C, 0.6)):
            w.writerow([left, LIST, right, LIST, p])
    assert review.queue_from_pairs(ws, path, band=(0.3, 0.9)) == 3
    names = {A: "A", B: "B", C: "C"}
    return {
        names[r.attributes["record_id_l"]] + names[r.attributes["record_id_r"]]: r.record_id
        for r in ws.iter_current(review.KIND)
    }


def _next(ws: Workspace) -> str | None:
    pair = review.next_pair(ws)
    return None if pair is None else pair.record_id


def test_two_matches_settle_the_third_pair(ws: Workspace, triangle: dict[str, str]) -> None:
    assert _next(ws) == triangle["AB"] and review.queue_counts(ws).settled == 0
    review.decide(ws, triangle["AB"], "match")
    assert _next(ws) == triangle["BC"]
    review.decide(ws, triangle["BC"], "match")
    assert _next(ws) is None  # A = B = C: nobody is asked A, C
    assert review.queue_counts(ws) == review.QueueCounts(open=0, settled=1, decided=2)
    assert ws.get(review.KIND, triangle["AC"]).attributes["status"] == "open"
    # A changed decision reopens it: A != B and B = C leave A and C apart, still settled.
    review.decide(ws, triangle["AB"], "non-match")
    assert _next(ws) is None and review.queue_counts(ws).settled == 1
    # Unsure settles nothing: A and C are asked again.
    review.decide(ws, triangle["BC"], "unsure")
    assert _next(ws) == triangle["AC"] and review.queue_counts(ws).settled == 0


def test_a_contradiction_is_refused_naming_the_pairs(
    ws: Workspace, triangle: dict[str, str]
) -> None:
    review.decide(ws, triangle["AB"], "match")
    review.decide(ws, triangle["BC"], "match")
    before = len(ws.history(review.KIND, triangle["AC"]))
    ab, bc = triangle["AB"][:8], triangle["BC"][:8]
    with pytest.raises(InputError) as caught:
        review.decide(ws, triangle["AC"], "non-match")
    assert str(caught.value) == (
        f"this decision contradicts pairs already decided ({ab} same person, {bc} same "
        f"person): change one of them first (unseen review WS --pair {ab}), or answer "
        f"unsure / 이 결정은 이미 결정된 쌍과 맞지 않습니다 ({ab} 같은 사람, {bc} 같은 사람): "
        f"먼저 그중 하나를 바꾸거나 (unseen review WS --pair {ab}), 모름으로 답하세요"
    )
    assert len(ws.history(review.KIND, triangle["AC"])) == before  # nothing written
    review.decide(ws, triangle["AC"], "match")  # agrees: fine
    review.decide(ws, triangle["AC"], "unsure")  # says nothing: fine
    # A match across a non-match: A != B, then B = C and A = C would join A and B.
    review.decide(ws, triangle["AB"], "non-match")
    with pytest.raises(InputError, match=f"{ab} different people, {bc} same person"):
        review.decide(ws, triangle["AC"], "match")
    # Changing the pair itself is not a contradiction with its own old decision.
    review.decide(ws, triangle["AB"], "match")
    review.decide(ws, triangle["AB"], "non-match")
    assert ws.verify().ok


def test_a_second_look_is_asked_though_other_decisions_settle_it(
    ws: Workspace, triangle: dict[str, str]
) -> None:
    ws.add_user("rev-2", "second reviewer words", Role.REVIEWER)
    review.decide(ws, triangle["AC"], "match")
    assert review.second_look(ws, band=(0.6, 0.99)) == 1  # same person at 0.6: look again
    review.decide(ws, triangle["AB"], "match")
    review.decide(ws, triangle["BC"], "match")
    assert review.queue_counts(ws).settled == 0
    with Workspace.open(ws.path, user="rev-2", passphrase="second reviewer words") as other:
        assert _next(other) == triangle["AC"]
