"""Malformed inputs never raise an unhandled exception and never write anything."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from svckit import HEADER, person_rows

from unseen.errors import UnseenError
from unseen.services.ingest import import_person_list
from unseen.store import Workspace

_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "F", "M", "Q", "FMAR", "NOPE", "2010-21", "2010-02-30", "\x00", "R1"]),
    st.integers(min_value=10_001, max_value=10_050).map(lambda n: "가" * n),  # over the limit
)


def _state(ws: Workspace) -> tuple[int, ...]:
    kinds = ("source", "person", "event", "act", "involvement", "relationship")
    return (*(ws.count(k) for k in kinds), ws.chain_head[0])


def _attempt(ws: Workspace, path: Path) -> None:
    before = _state(ws)
    try:
        import_person_list(ws, path, list_name="L")
    except UnseenError:
        assert _state(ws) == before, "a failed import wrote something"


@_SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(ws: Workspace, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    _attempt(ws, path)


@_SETTINGS
@given(
    header=st.lists(st.sampled_from([*HEADER, "bogus", ""]), min_size=1, max_size=8),
    rows=st.lists(st.lists(cells, min_size=0, max_size=9), max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp949", "latin-1", "utf-8-sig"]),
)
def test_random_csv(
    ws: Workspace, tmp_path: Path, header: list[str], rows: list[list[str]], encoding: str
) -> None:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "x.csv"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    _attempt(ws, path)


@_SETTINGS
@given(
    doc=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
        ),
        max_leaves=20,
    )
)
def test_random_json(ws: Workspace, tmp_path: Path, doc: object) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _attempt(ws, path)


@_SETTINGS
@given(duplicate=st.integers(min_value=1, max_value=9))
def test_duplicate_ids_write_nothing(ws: Workspace, tmp_path: Path, duplicate: int) -> None:
    rows = person_rows(10)
    rows[duplicate]["record_id"] = rows[0]["record_id"]
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    before = _state(ws)
    try:
        import_person_list(ws, path)
    except UnseenError as exc:
        assert "duplicate" in str(exc)
    else:
        raise AssertionError("duplicate ids were accepted")
    assert _state(ws) == before


@_SETTINGS
@given(
    header=st.lists(st.sampled_from([*HEADER, "bogus"]), min_size=1, max_size=6),
    rows=st.lists(
        st.lists(
            st.one_of(cells, st.integers(), st.floats(allow_nan=False), st.none()), max_size=7
        ),
        max_size=5,
    ),
    truncate=st.one_of(st.none(), st.integers(min_value=1, max_value=2000)),
)
def test_random_xlsx(
    ws: Workspace, tmp_path: Path, header: list[str], rows: list[list[object]], truncate: int | None
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        # openpyxl itself refuses control characters in cells: strip them to build the file.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    path = tmp_path / "x.xlsx"
    book.save(path)
    if truncate is not None:
        path.write_bytes(path.read_bytes()[:truncate])
    _attempt(ws, path)
