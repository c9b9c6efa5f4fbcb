"""Review loop on a real workspace: queue, decide (versioned, audited), view, export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from svckit import ANALYST, ANALYST_PW, person_rows, write_csv

from unseen.errors import InputError
from unseen.linkage import Decision
from unseen.services import review
from unseen.services.ingest import import_person_list
from unseen.services.linking import read_decisions
from unseen.store import Workspace

LIST = "NGO interviews"


def _pairs(path: Path) -> Path:
    rows = [
        ("R000000", "R000001", 0.7),
        ("R000002", "R000003", 0.55),
        ("R000000", "R000002", 0.99),
        ("R000001", "R000003", 0.1),
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["record_id_l", "list_l", "record_id_r", "list_r", "match_probability", "decision"]
        )
        for left, right, p in rows:
            w.writerow([left, LIST, right, LIST, p, ""])
    return path


@pytest.fixture
def queued(ws: Workspace, tmp_path: Path) -> Workspace:
    import_person_list(ws, write_csv(tmp_path / "list.csv", person_rows(4, list_name=LIST)))
    assert review.queue_from_pairs(ws, _pairs(tmp_path / "pairs.csv"), band=(0.5, 0.95)) == 2
    return ws


def test_queue_band_and_no_duplicates(queued: Workspace, tmp_path: Path) -> None:
    assert queued.count(review.KIND) == 2
    assert review.queue_from_pairs(queued, tmp_path / "pairs.csv") == 0
    first = review.next_pair(queued)
    assert first is not None and first.attributes["match_probability"] == 0.55


def test_decide_is_versioned_and_audited(queued: Workspace, tmp_path: Path) -> None:
    pair = review.next_pair(queued)
    assert pair is not None
    review.decide(queued, pair.record_id, "match")
    hist = queued.history(review.KIND, pair.record_id)
    assert [h.version for h in hist] == [1, 2]
    assert hist[-1].author == queued.user and hist[-1].attributes["reviewer"] == queued.user
    assert hist[-1].attributes["decision"] == "match"
    assert queued.verify().ok
    nxt = review.next_pair(queued)
    assert nxt is not None and nxt.record_id != pair.record_id
    review.decide(queued, nxt.record_id, "non-match")
    assert review.next_pair(queued) is None
    got = set(review.decisions(queued))
    assert got == {
        Decision("R000002", LIST, "R000003", LIST, "match"),
        Decision("R000000", LIST, "R000001", LIST, "non-match"),
    }
    out = tmp_path / "decisions.csv"
    assert review.export_decisions(queued, out) == 2
    assert set(read_decisions(out)) == got
    with pytest.raises(InputError):
        review.decide(queued, nxt.record_id, "maybe")


def test_pair_view_reveals_only_to_key_holders(queued: Workspace, tmp_path: Path) -> None:
    pair = review.next_pair(queued)
    assert pair is not None
    view = review.pair_view(queued, pair.record_id)
    values = {f.left for f in view.fields} | {f.right for f in view.fields}
    assert view.revealed and any("Kim" in v or "Ri" in v or "Pak" in v for v in values)
    assert any(f.differs for f in view.fields)
    path = tmp_path / "ws"
    queued.close()
    with Workspace.open(path, user=ANALYST, passphrase=ANALYST_PW) as analyst:
        view = review.pair_view(analyst, pair.record_id)
        values = {f.left for f in view.fields} | {f.right for f in view.fields}
        assert not view.revealed
        assert not any(n in v for v in values for n in ("Kim", "Ri ", "Pak", "김", "박"))
        assert "list_name" in {f.name for f in view.fields}
