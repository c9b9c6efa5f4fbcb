"""Second look: a decision against a confident model waits for another reviewer (real store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from svckit import person_rows, write_csv
from test_services_review import LIST, _pairs

from unseen.errors import InputError
from unseen.services import review
from unseen.services.ingest import import_person_list
from unseen.store import Role, Workspace

REVIEWER, REVIEWER_PW = "rev-2", "second reviewer words"


@pytest.fixture
def decided(ws: Workspace, tmp_path: Path) -> dict[float, str]:
    """All four pairs of ``_pairs`` queued and decided by the admin: the 0.1 pair 'match' and
    the 0.99 pair 'non-match' (both against the model), the others with the model."""
    import_person_list(ws, write_csv(tmp_path / "list.csv", person_rows(4, list_name=LIST)))
    assert review.queue_from_pairs(ws, _pairs(tmp_path / "pairs.csv"), band=(0.0, 1.0)) == 4
    ws.add_user(REVIEWER, REVIEWER_PW, Role.REVIEWER)
    said = {0.1: "match", 0.99: "non-match", 0.7: "match", 0.55: "non-match"}
    ids = {}
    for r in list(ws.iter_current(review.KIND)):
        p = r.attributes["match_probability"]
        review.decide(ws, r.record_id, said[p])
        ids[p] = r.record_id
    return ids


def _current(ws: Workspace, pair_id: str) -> dict[str, object]:
    return dict(ws.get(review.KIND, pair_id).attributes)


def test_only_decisions_against_a_confident_model_are_reopened(
    ws: Workspace, decided: dict[float, str]
) -> None:
    assert len(review.decisions(ws)) == 4
    assert review.second_look(ws) == 2
    for p in (0.1, 0.99):
        a = _current(ws, decided[p])
        assert a["status"] == "open" and a["decision"] is None
        assert a["first_reviewer"] == ws.user
    assert _current(ws, decided[0.1])["first_decision"] == "match"
    assert _current(ws, decided[0.99])["first_decision"] == "non-match"
    for p in (0.7, 0.55):
        assert _current(ws, decided[p])["status"] == "decided"
    # While they wait, they bind nothing; the first reviewer is not offered them again.
    assert len(review.decisions(ws)) == 2
    assert review.next_pair(ws) is None
    with pytest.raises(InputError, match="second reviewer"):
        review.decide(ws, decided[0.1], "match")
    assert review.second_look(ws) == 0
    assert ws.verify().ok


def test_a_second_reviewer_confirms_or_the_pair_becomes_unsure(
    ws: Workspace, decided: dict[float, str]
) -> None:
    review.second_look(ws)
    with Workspace.open(ws.path, user=REVIEWER, passphrase=REVIEWER_PW) as other:
        first = review.next_pair(other)
        assert first is not None and first.record_id in (decided[0.1], decided[0.99])
        assert review.pair_view(other, first.record_id).second_look
        review.decide(other, decided[0.1], "match")  # agrees
        review.decide(other, decided[0.99], "match")  # disagrees with "non-match"
        assert review.next_pair(other) is None
    agreed, differed = _current(ws, decided[0.1]), _current(ws, decided[0.99])
    assert agreed["decision"] == "match" and agreed["reviewer"] == REVIEWER
    assert differed["decision"] == "unsure" and differed["second_decision"] == "match"
    assert differed["first_decision"] == "non-match"
    got = {(d.record_id_l, d.record_id_r): d.decision for d in review.decisions(ws)}
    assert sorted(got.values()) == ["match", "match", "non-match", "unsure"]
    # Each step is a version of the pair: queued, decided, reopened, decided again.
    assert [h.version for h in ws.history(review.KIND, decided[0.99])] == [1, 2, 3, 4]
    assert review.second_look(ws) == 0  # a pair has one second look
    assert ws.verify().ok


def test_band_is_checked(ws: Workspace) -> None:
    with pytest.raises(InputError, match="band"):
        review.second_look(ws, band=(0.9, 0.1))
