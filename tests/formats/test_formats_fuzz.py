"""Hypothesis-made malformed files: the reader returns a PersonList or raises ValidationFailed /
InputError, never anything else, and identity values never reach a message."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from formats_samples import good_rows, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from unseen.errors import InputError, ValidationFailed
from unseen.formats import PERSON_LIST_COLUMNS, PersonList, ReadLimits, read_person_list

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CANARY = "박카나리아"  # made up; must never appear in an exception message
IDENTITY = (
    "family_name",
    "given_name",
    "full_name",
    "name_hangul",
    "name_hanzi",
    "aliases",
    "birth_date",
    "notes",
    "origin_place",
    "china_place",
    "event_place",
)
SMALL = ReadLimits(max_rows=50, max_chars=500, max_notes_chars=2000)


def attempt(path: Path, **kwargs: Any) -> PersonList | InputError:
    try:
        result = read_person_list(path, limits=SMALL, **kwargs)
    except InputError as exc:  # ValidationFailed is an InputError
        text = str(exc)
        assert text.startswith(path.name) or isinstance(exc, ValidationFailed)
        if isinstance(exc, ValidationFailed):
            assert exc.problems and all(p.file == path.name for p in exc.problems)
        return exc
    ids = [r.record_id for r in result.rows]
    assert len(ids) == len(set(ids)) and ids
    numbers = [r.row for r in result.rows]
    assert numbers == sorted(numbers) and numbers[0] >= 2
    return result


def assert_no_canary(outcome: PersonList | InputError) -> None:
    if isinstance(outcome, InputError):
        assert CANARY not in str(outcome)
        for p in getattr(outcome, "problems", ()):
            assert CANARY not in f"{p.reason}{p.fix}{p.column}"


# -- CSV ----------------------------------------------------------------------------------------
@FUZZ
@given(data=st.binary(max_size=2000))
def test_csv_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    attempt(path)


HEADER_NAMES = st.sampled_from(PERSON_LIST_COLUMNS) | st.text(max_size=8)
CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            "F",
            "여",
            "1985",
            "2010년 봄",
            "TIP",
            "BROKER-CN",
            "r1",
            "A",
            '"',
            "\x07",
            "a\r\nb",
            "1985-02-30",
            "x" * 600,
            "|",
            "42.1|129.2",
        ]
    ),
)


@FUZZ
@given(
    header=st.lists(HEADER_NAMES, max_size=8),
    rows=st.lists(st.lists(CELL, max_size=9), max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp949", "latin-1", "utf-16-le"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    stray=st.lists(
        st.tuples(st.integers(0, 4000), st.sampled_from(['"', ",", "\n", "\r", '""'])), max_size=4
    ),
    uwazi=st.booleans(),
)
def test_csv_random_text_in_random_encodings(
    tmp_path: Path,
    header: list[str],
    rows: list[list[str]],
    encoding: str,
    quoting: int,
    stray: list[tuple[int, str]],
    uwazi: bool,
) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=quoting, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    for at, piece in stray:  # break the quoting in random places
        at = min(at, len(text))
        text = text[:at] + piece + text[at:]
    path = tmp_path / "t.csv"
    data = text.encode(encoding, errors="replace")
    path.write_bytes(data)
    outcome = attempt(path, list_name="L", format="uwazi" if uwazi else None)
    try:
        readable = (
            b"\x00" not in data and not data.startswith(b"\xff\xfe") and bool(data.decode("utf-8"))
        )
    except UnicodeDecodeError:
        readable = False
    if not readable:
        assert isinstance(outcome, InputError) and not isinstance(outcome, ValidationFailed)


@FUZZ
@given(
    ids=st.lists(st.sampled_from(["1", "2", "3", "", " 1 "]), min_size=1, max_size=8),
    codes=st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=8, max_size=8),
    long_at=st.none() | st.integers(0, 7),
    long_size=st.sampled_from([499, 501, 2001, 140_000]),
    extra_cells=st.lists(CELL, max_size=3),
)
def test_csv_identity_canaries_never_echoed(
    tmp_path: Path,
    ids: list[str],
    codes: list[tuple[str, str, str, str]],
    long_at: int | None,
    long_size: int,
    extra_cells: list[str],
) -> None:
    header = [
        "record_id",
        "list",
        "sex",
        "violation",
        "perpetrator_type",
        "birth_date",
        *IDENTITY[:-4],
        "notes",
        "mother_record_id",
    ]
    rows: list[list[str]] = [header]
    for index, record_id in enumerate(ids):
        sex, violation, perpetrator, mother = codes[index]
        names = [f"{CANARY}{index}" for _ in IDENTITY[:-4]]
        notes = CANARY * (long_size // len(CANARY) + 1) if long_at == index else CANARY
        row = [record_id, "L", sex, violation, perpetrator, f"{CANARY} 1985", *names, notes, mother]
        rows.append(row + (extra_cells if index == 0 else []))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "c.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    outcome = attempt(path)
    assert isinstance(outcome, InputError)  # a NUL byte makes the file unreadable
    assert_no_canary(outcome)
    if isinstance(outcome, ValidationFailed):  # a birth date of CANARY never parses
        assert "birth_date" in {p.column for p in outcome.problems}


# -- XLSX ---------------------------------------------------------------------------------------
XLSX_CELL = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(max_size=15).filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(["=SUM(A1:A3)", "=1/0", "#N/A", "TIP", "F", "1985.0", CANARY]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.lists(st.sampled_from(PERSON_LIST_COLUMNS) | XLSX_CELL, max_size=7),
    rows=st.lists(st.lists(XLSX_CELL, max_size=8), max_size=8),
)
def test_xlsx_random_cells(tmp_path: Path, header: list[Any], rows: list[list[Any]]) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [header, *rows] if header or rows else [])
    outcome = attempt(path, list_name="L")
    if isinstance(outcome, PersonList):
        assert all(r.list for r in outcome.rows)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(0, 20_000), flips=st.lists(st.integers(0, 20_000), max_size=3))
def test_xlsx_truncated_or_flipped_bytes(tmp_path: Path, cut: int, flips: list[int]) -> None:
    source = tmp_path / "good.xlsx"
    if not source.exists():
        write_xlsx(source, [list(r) for r in good_rows(20)])
    data = bytearray(source.read_bytes())
    for at in flips:
        if data:
            data[at % len(data)] ^= 0x5A
    path = tmp_path / "broken.xlsx"
    path.write_bytes(bytes(data[: cut % (len(data) + 1)]))
    attempt(path)


def test_xlsx_with_only_a_chart_like_part(tmp_path: Path) -> None:
    path = tmp_path / "odd.xlsx"
    book = openpyxl.Workbook()
    book.save(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/junk.bin", b"\x00" * 10)
    outcome = attempt(path)
    assert isinstance(outcome, ValidationFailed)  # an empty sheet: "the file is empty"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    codes=st.lists(st.tuples(XLSX_CELL, XLSX_CELL, XLSX_CELL), min_size=1, max_size=6),
    ids=st.lists(st.sampled_from([1, 1.0, "1", None, "2"]), min_size=6, max_size=6),
)
def test_xlsx_identity_canaries_never_echoed(
    tmp_path: Path, codes: list[tuple[Any, Any, Any]], ids: list[Any]
) -> None:
    header = ["record_id", "list", "sex", "violation", "birth_date", *IDENTITY[:-4], "notes"]
    rows: list[list[Any]] = [header]
    for index, (sex, violation, birth) in enumerate(codes):
        if birth == CANARY or sex == CANARY or violation == CANARY:
            continue  # code columns may echo their value: keep the canary out of them
        rows.append(
            [
                ids[index],
                "L",
                sex,
                violation,
                birth,
                *([CANARY] * (len(IDENTITY) - 4)),
                CANARY + "\n" + CANARY * 3,
            ]
        )
    outcome = attempt(write_xlsx(tmp_path / "c.xlsx", rows))
    assert_no_canary(outcome)


# -- JSON ---------------------------------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)
RECORD = st.dictionaries(
    st.sampled_from(PERSON_LIST_COLUMNS) | st.text(max_size=6),
    JSON_VALUES | st.sampled_from(["1", "A", CANARY, "TIP", "F"]),
    max_size=8,
)


@FUZZ
@given(
    data=JSON_VALUES
    | st.lists(RECORD, max_size=8)
    | st.fixed_dictionaries({"records": st.lists(RECORD, max_size=6)})
)
def test_json_random_values(tmp_path: Path, data: Any) -> None:
    path = tmp_path / "j.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    attempt(path, list_name="L")


@FUZZ
@given(
    data=st.lists(RECORD, min_size=1, max_size=5), cut=st.integers(0, 400), junk=st.text(max_size=5)
)
def test_json_broken_text(tmp_path: Path, data: list[Any], cut: int, junk: str) -> None:
    text = json.dumps(data, ensure_ascii=False)
    path = tmp_path / "b.json"
    path.write_text(text[:cut] + junk, encoding="utf-8")
    attempt(path)


@FUZZ
@given(values=st.lists(st.tuples(JSON_VALUES, JSON_VALUES), min_size=1, max_size=5))
def test_json_identity_canaries_never_echoed(tmp_path: Path, values: list[Any]) -> None:
    records = [
        {
            "record_id": "1",
            "list": "L",
            "full_name": {"x": CANARY},
            "notes": [CANARY],
            "sex": sex,
            "violation": violation,
            "aliases": [CANARY, 1],
            "birth_date": CANARY,
        }
        for sex, violation in values
    ]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    outcome = attempt(path)
    assert isinstance(outcome, InputError)  # ValidationFailed, or invalid JSON (Infinity)
    assert_no_canary(outcome)
