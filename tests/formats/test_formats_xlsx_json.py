"""XLSX workbooks and JSON lists: known-good files, faithful cell conversion, damaged files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from formats_samples import good_rows, write_json, write_xlsx

from unseen.domain.dates import FuzzyDate
from unseen.errors import InputError, ValidationFailed
from unseen.formats import ColumnMapping, ReadLimits, read_person_list


def test_known_good_xlsx_with_numbers_and_dates(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["record_id", "list", "full_name", "birth_date", "first_exit_date", "notes"],
        [1001, "NGO-A", "김순희", dt.datetime(1985, 3, 15), 1998.0, 2.5],
        [1002.0, "NGO-A", "리영철", dt.date(1990, 1, 2), "2010년 봄", None],
        [None, None, None, None, None, None],
        ["x3", "NGO-A", "박철희", "1985년경", 2001, "=SUM(A1:A2)"],
    ]
    path = write_xlsx(tmp_path / "list.xlsx", rows)
    result = read_person_list(path)
    assert result.format == "xlsx"
    a, b, c = result.rows
    assert (a.record_id, a.row, b.record_id, b.row, c.record_id, c.row) == (
        "1001",
        2,
        "1002",
        3,
        "x3",
        5,
    )
    assert a.birth_date == FuzzyDate.from_day(1985, 3, 15)
    assert a.first_exit_date == FuzzyDate.from_year(1998)  # 1998.0 -> '1998'
    assert a.notes == "2.5"
    assert b.birth_date == FuzzyDate.from_day(1990, 1, 2)
    assert b.first_exit_date == FuzzyDate.from_season(2010, 21)
    assert c.birth_date == FuzzyDate.from_year(1985, approximate=True)
    assert c.notes is None  # a formula without a cached value reads as empty


def test_sheet_named_in_mapping(tmp_path: Path) -> None:
    cover: list[list[object]] = [["this sheet is a cover page"]]
    path = write_xlsx(
        tmp_path / "book.xlsx",
        cover,
        title="표지",
        others={"명단": [list(r) for r in good_rows(2)]},
    )
    with pytest.raises(ValidationFailed):
        read_person_list(path)  # the first sheet is not the list
    result = read_person_list(path, mapping=ColumnMapping(sheet="명단"))
    assert [r.record_id for r in result.rows] == ["r1", "r2"]
    with pytest.raises(
        InputError, match="has no sheet named 'Missing' \\(sheets: '표지', '명단'\\)"
    ):
        read_person_list(path, mapping=ColumnMapping(sheet="Missing"))


def test_empty_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(path)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [
        ("empty.xlsx", None, None)
    ]


def test_xlsx_problems_use_spreadsheet_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["record_id", "list", "full_name", "sex"],
        [1, "A", "김순희", "F"],
        [None] * 4,
        [1, "A", "박영희", "W"],
    ]
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(write_xlsx(tmp_path / "p.xlsx", rows))
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "record_id"), (4, "sex")]


@pytest.mark.parametrize("cut", [0, 10, 100, 1000, -50])
def test_truncated_or_corrupt_xlsx(tmp_path: Path, cut: int) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [list(r) for r in good_rows(3)]).read_bytes()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good[:cut] if cut else b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError) as caught:
        read_person_list(bad)
    assert not isinstance(caught.value, ValidationFailed)
    assert str(caught.value).startswith("bad.xlsx: cannot be read as an Excel workbook")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="cannot be read as an Excel workbook"):
        read_person_list(path)


def test_xlsx_size_limit(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", [list(r) for r in good_rows(3)])
    with pytest.raises(InputError, match="unpacks to more than 1,000 bytes"):
        read_person_list(path, limits=ReadLimits(max_xlsx_bytes=1000))


# -- JSON -------------------------------------------------------------------------------------
def test_known_good_json_array_and_records_object(tmp_path: Path) -> None:
    records = [
        {
            "record_id": "1",
            "list": "A",
            "full_name": "김순희",
            "aliases": ["순이", "Suni"],
            "birth_date": 1985,
            "sex": None,
        },
        {
            "record_id": 2,
            "list": "A",
            "family_name": "리",
            "given_name": "영철",
            "birth_date": "1990.3",
            "notes": 1.5,
        },
    ]
    for data in (records, {"records": records, "exported": "2026"}):
        result = read_person_list(write_json(tmp_path / "l.json", data))
        a, b = result.rows
        assert result.format == "json"
        assert (a.aliases, a.birth_date, a.sex, a.row) == (
            ("순이", "Suni"),
            FuzzyDate.from_year(1985),
            None,
            2,
        )
        assert (b.record_id, b.family_name, b.notes, b.row) == ("2", "리", "1.5", 3)
        assert b.birth_date == FuzzyDate.from_month(1990, 3)


def test_json_mapping_applies_to_keys(tmp_path: Path) -> None:
    data = [{"id": "1", "이름": "김순희", "별명": ["순이"]}]
    mapping = ColumnMapping(
        columns={"id": "record_id", "이름": "full_name", "별명": "aliases"}, list_name="A"
    )
    (row,) = read_person_list(write_json(tmp_path / "l.json", data), mapping=mapping).rows
    assert (row.record_id, row.full_name, row.aliases) == ("1", "김순희", ("순이",))


def test_json_bad_values_reported_per_cell(tmp_path: Path) -> None:
    data = [
        {"record_id": "1", "list": "A", "full_name": {"secret": "김캐나리"}},
        "just text",
        {"record_id": "3", "list": "A", "full_name": "박영희", "sex": True, "notes": ["a list"]},
    ]
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(write_json(tmp_path / "l.json", data))
    got = [(p.file, p.row, p.column) for p in caught.value.problems]
    assert got == [
        ("l.json", 2, "full_name"),
        ("l.json", 2, None),
        ("l.json", 3, None),
        ("l.json", 4, "sex"),
        ("l.json", 4, "notes"),
    ]
    assert caught.value.problems[0].reason.startswith(
        "must be text, a number or empty, not an object"
    )
    assert "김캐나리" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[{"record_id": "1",', "is not valid JSON (line 1"),
        ('{"people": []}', "not a list of records"),
        ('"hello"', "not a list of records"),
        ('[{"record_id": NaN}]', "not valid JSON for a person list"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ('[{"record_id": ' + "9" * 5000 + "}]", "not valid JSON for a person list"),
    ],
)
def test_broken_json(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_person_list(path)
    assert not isinstance(caught.value, ValidationFailed)
    assert str(caught.value).startswith("b.json: ") and needle in str(caught.value)


def test_empty_json_list(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(write_json(tmp_path / "e.json", []))
    assert caught.value.problems[0].reason.startswith("the file is empty")


def test_json_must_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "u.json"
    path.write_bytes(json.dumps([{"full_name": "김순희"}], ensure_ascii=False).encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        read_person_list(path)
