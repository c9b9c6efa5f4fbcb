"""Versioned records: versions, history, tombstones, queries, transactions, the blind index."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from storekit import table_counts

from unseen.errors import InputError, RecordNotFound, WorkspaceError
from unseen.store import RecordRef, StoredRecord, Workspace

PERSON = {"sex": "F", "birth_year": 1985, "province": "north_hamgyong"}
IDENTITY = {"family_name": "리", "given_name": "순옥", "aliases": ["Ri Sun-ok"]}


def test_put_creates_version_one_with_generated_id(ws: Workspace) -> None:
    ref = ws.put("person", PERSON, IDENTITY, name_tokens=["ri", "sunok"])
    assert ref.version == 1 and ref.kind == "person" and len(ref.record_id) == 36
    rec = ws.get("person", ref.record_id)
    assert rec.attributes == PERSON
    assert rec.identity is None and rec.has_identity  # not revealed unless asked
    assert rec.author == "admin-1" and not rec.deleted
    assert len(rec.content_hash) == 64


def test_new_versions_never_overwrite(ws: Workspace) -> None:
    ref = ws.put("person", PERSON, IDENTITY, record_id="case-17")
    v2 = ws.put("person", {**PERSON, "birth_year": 1986}, IDENTITY, record_id="case-17")
    v3 = ws.put("person", {**PERSON, "birth_year": 1987}, IDENTITY, record_id="case-17")
    assert (ref.version, v2.version, v3.version) == (1, 2, 3)
    assert ws.get("person", "case-17").attributes["birth_year"] == 1987
    assert ws.get("person", "case-17", version=1).attributes["birth_year"] == 1985
    history = ws.history("person", "case-17")
    assert [r.version for r in history] == [1, 2, 3]
    assert [r.attributes["birth_year"] for r in history] == [1985, 1986, 1987]
    assert len({r.content_hash for r in history}) == 3
    assert ws.count("person") == 1


def test_tombstone_hides_the_record_but_keeps_history(ws: Workspace) -> None:
    ws.put("person", PERSON, IDENTITY, record_id="p1", name_tokens=["ri"])
    ws.put("person", PERSON, record_id="p2")
    tomb = ws.delete("person", "p1")
    assert tomb == RecordRef("person", "p1", 2)
    current = ws.get("person", "p1")
    assert current.deleted and current.attributes == {} and not current.has_identity
    assert ws.count("person") == 1
    assert [r.record_id for r in ws.iter_current("person")] == ["p2"]
    assert ws.find_by_name_tokens(["ri"]) == []
    assert [r.deleted for r in ws.history("person", "p1")] == [False, True]
    assert ws.get("person", "p1", version=1, reveal=True).identity == IDENTITY
    with pytest.raises(RecordNotFound):
        ws.delete("person", "p1")  # already deleted
    with pytest.raises(RecordNotFound):
        ws.delete("person", "never")
    revived = ws.put("person", PERSON, record_id="p1")
    assert revived.version == 3 and ws.count("person") == 2


def test_missing_records(ws: Workspace) -> None:
    with pytest.raises(RecordNotFound, match="person record nope"):
        ws.get("person", "nope")
    ws.put("person", PERSON, record_id="p1")
    with pytest.raises(RecordNotFound):
        ws.get("person", "p1", version=2)
    with pytest.raises(RecordNotFound):
        ws.history("person", "nope")


def test_query_by_attribute_equality(ws: Workspace) -> None:
    ws.put("person", {"sex": "F", "year": 2010, "minor": True}, record_id="a")
    ws.put("person", {"sex": "M", "year": 2010, "minor": False}, record_id="b")
    ws.put("person", {"sex": "F", "year": 2011, "minor": 1}, record_id="c")
    ws.put("person", {"sex": "F", "year": 2011, "note": None}, record_id="d")
    ws.put("event", {"sex": "F"}, record_id="e")
    ids = lambda recs: sorted(r.record_id for r in recs)  # noqa: E731
    assert ids(ws.query("person", sex="F")) == ["a", "c", "d"]
    assert ids(ws.query("person", sex="F", year=2011)) == ["c", "d"]
    assert ids(ws.query("person", minor=True)) == ["a"]  # 1 is not true
    assert ids(ws.query("person", minor=1)) == ["c"]
    assert ids(ws.query("person", note=None)) == ["d"]  # present and null only
    assert ws.query("person", sex="X") == []
    ws.put("person", {"sex": "M", "year": 2010}, record_id="a")
    assert ids(ws.query("person", sex="F")) == ["c", "d"]  # current versions only


def test_iter_current_in_write_order(ws: Workspace) -> None:
    with ws.transaction():
        for i in range(1200):  # more than one page
            ws.put("event", {"n": i}, record_id=f"e{i:04d}")
    ws.put("event", {"n": -1}, record_id="e0000")
    seen = [r.attributes["n"] for r in ws.iter_current("event")]
    assert len(seen) == 1200 and seen[-1] == -1 and seen[:3] == [1, 2, 3]


def test_transaction_rollback_leaves_nothing(ws: Workspace) -> None:
    ws.put("person", PERSON, IDENTITY, record_id="keep", name_tokens=["keep"])
    before = table_counts(ws)
    head = ws.chain_head
    with pytest.raises(RuntimeError), ws.transaction():
        ws.put("person", PERSON, IDENTITY, record_id="gone", name_tokens=["ri", "sunok"])
        ws.put("person", PERSON, IDENTITY, record_id="keep", name_tokens=["other"])
        assert ws.count("person") == 2  # visible inside the transaction
        raise RuntimeError("import failed")
    assert table_counts(ws) == before
    assert ws.chain_head == head
    with pytest.raises(RecordNotFound):
        ws.get("person", "gone")
    assert ws.get("person", "keep").version == 1
    assert ws.find_by_name_tokens(["other"]) == []
    assert ws.verify().ok


def test_nested_transactions_join_the_outer_one(ws: Workspace) -> None:
    before = table_counts(ws)
    with pytest.raises(WorkspaceError, match="none of it was saved"), ws.transaction():
        ws.put("event", {"n": 1}, record_id="e1")
        try:
            with ws.transaction():
                ws.put("event", {"n": 2}, record_id="e2")
                raise ValueError("inner failure")
        except ValueError:
            pass  # swallowing an inner failure must not commit half the work
        ws.put("event", {"n": 3}, record_id="e3")
    assert table_counts(ws) == before
    with ws.transaction():
        with ws.transaction():
            ws.put("event", {"n": 1}, record_id="e1")
        ws.put("event", {"n": 2}, record_id="e2")
    assert ws.count("event") == 2


def test_reveal_inside_a_failed_transaction_is_still_audited(ws: Workspace) -> None:
    ws.put("person", PERSON, IDENTITY, record_id="p1")
    entries = ws.verify().entries
    with pytest.raises(RuntimeError), ws.transaction():
        ws.put("event", {"n": 1})
        assert ws.get("person", "p1", reveal=True).identity == IDENTITY
        raise RuntimeError("abort")
    report = ws.verify()
    assert report.ok and report.entries == entries + 1
    with ws._c.db.read() as conn:
        last = conn.exec_driver_sql(
            "SELECT action, record_id FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).one()
    assert tuple(last) == ("reveal", "p1")


def test_blind_index_ranks_by_shared_tokens(ws: Workspace) -> None:
    a = ws.put("person", PERSON, IDENTITY, name_tokens=["ri", "sunok", "lee"])
    b = ws.put("person", PERSON, {"given_name": "영철"}, name_tokens=["ri", "yongchol"])
    ws.put("person", PERSON, {"given_name": "미란"}, name_tokens=["kim", "miran"])
    assert ws.find_by_name_tokens(["Ri", " SUNOK "]) == [a, b]
    assert ws.find_by_name_tokens(["yongchol"]) == [b]
    assert ws.find_by_name_tokens(["nobody"]) == []
    assert ws.find_by_name_tokens(["ri"], kind="event") == []
    # a new version without name_tokens keeps the old ones; () clears them
    a2 = ws.put("person", {**PERSON, "birth_year": 1990}, IDENTITY, record_id=a.record_id)
    assert ws.find_by_name_tokens(["sunok"]) == [a2]
    ws.put("person", PERSON, IDENTITY, record_id=a.record_id, name_tokens=())
    assert ws.find_by_name_tokens(["sunok"]) == []


def test_blind_index_stores_no_token_text(ws: Workspace) -> None:
    ws.put("person", PERSON, IDENTITY, name_tokens=["sunok"])
    with ws._c.db.read() as conn:
        hashes = [r[0] for r in conn.exec_driver_sql("SELECT token_hash FROM blind_index")]
    assert len(hashes) == 1 and len(hashes[0]) == 64 and "sunok" not in hashes[0]


def test_input_validation(ws: Workspace) -> None:
    with pytest.raises(InputError):
        ws.put("Person", PERSON)
    with pytest.raises(InputError):
        ws.put("person", PERSON, record_id=" padded")
    with pytest.raises(InputError):
        ws.put("person", {"when": object()})
    with pytest.raises(InputError):
        ws.put("person", {"x": float("nan")})
    with pytest.raises(InputError, match="list"):
        ws.put("person", PERSON, name_tokens="kim")  # a string would index k, i, m
    with pytest.raises(InputError, match="list"):
        ws.find_by_name_tokens("kim")
    with pytest.raises(InputError):
        ws.put("person", PERSON, {"name": {1, 2}})
    assert table_counts(ws)["records"] == 0


def test_stored_record_repr_hides_content(ws: Workspace) -> None:
    ref = ws.put("person", {"note": "secret-note-text"}, {"given_name": "순옥"})
    rec = ws.get("person", ref.record_id, reveal=True)
    text = repr(rec) + str(rec)
    assert "순옥" not in text and "secret-note-text" not in text
    assert ref.record_id in text


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    attributes=st.dictionaries(st.text(max_size=10), _json, max_size=5),
    identity=st.none() | st.dictionaries(st.text(max_size=10), _json, max_size=5),
)
def test_round_trip_any_json(
    ws: Workspace, attributes: dict[str, object], identity: dict[str, object] | None
) -> None:
    ref = ws.put("thing", attributes, identity)
    rec: StoredRecord = ws.get("thing", ref.record_id, reveal=True)
    assert rec.attributes == attributes
    assert rec.identity == identity
