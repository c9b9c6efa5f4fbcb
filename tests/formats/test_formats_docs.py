"""docs/formats.md: its examples read as documented, and it names every column and code."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import unseen.formats as formats
from unseen.domain.dates import FuzzyDate
from unseen.domain.vocab import perpetrator_types, violation_types
from unseen.formats import PERSON_LIST_COLUMNS, ColumnMapping, read_person_list

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def example(doc: str, name: str) -> str:
    found = re.search(rf"<!-- example: {re.escape(name)} -->\n```\w*\n(.*?)```", doc, re.S)
    assert found, name
    return found.group(1)


def test_public_api_is_exactly_all() -> None:
    public = {n for n in vars(formats) if not n.startswith("_")}
    assert public == set(formats.__all__)


def test_every_column_and_code_is_documented(doc: str) -> None:
    for column in PERSON_LIST_COLUMNS:
        assert f"`{column}`" in doc, column
    for code in (*violation_types(), *perpetrator_types()):
        assert f"| `{code}` |" in doc, code
    for section in (
        "## 2. Truth files",
        "## 3. Capture histories",
        "## 4. Fuzzy dates",
        "## 5. Linkage output",
        "## 6. Estimates",
        "(data-model.md#4-fuzzy-dates)",
    ):
        assert section in doc


def test_person_list_example(doc: str, tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(example(doc, "persons.csv"), encoding="utf-8")
    a, b, c = read_person_list(path).rows
    assert (a.family_name, a.given_name, a.aliases, a.violation) == (
        "김",
        "순희",
        ("순이", "Suni"),
        "TIP.SALE",
    )
    assert a.birth_date == FuzzyDate.from_year(1985, approximate=True)
    assert a.notes == "면담 2회, 통역 있음"
    assert (b.name_hangul, b.first_exit_date) == (
        "리영철",
        FuzzyDate.between(date(2008, 1, 1), date(2011, 12, 31)),
    )
    assert (c.full_name, c.sex, c.mother_record_id, c.birth_date) == (
        "Pak Chol-hui",
        "X",
        "NK-001",
        FuzzyDate.from_decade(2010),
    )


def test_json_example(doc: str, tmp_path: Path) -> None:
    path = tmp_path / "persons.json"
    path.write_text(example(doc, "persons.json"), encoding="utf-8")
    a, b = read_person_list(path).rows
    assert (a.aliases, a.birth_date, a.violation) == (("영이",), FuzzyDate.from_year(1990), "FMAR")
    assert (b.record_id, b.mother_record_id, b.sex) == ("102", "NK-101", None)


def test_korean_header_example(doc: str, tmp_path: Path) -> None:
    mapping_file = tmp_path / "ngo.yaml"
    mapping_file.write_text(example(doc, "ngo.yaml"), encoding="utf-8")
    lines = [ln for ln in doc.splitlines() if ln.startswith("| 번호") or re.match(r"\| \d \|", ln)]
    table = [[cell.strip() for cell in ln.strip("|").split("|")] for ln in lines]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "명단"
    for row in table:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    path = tmp_path / "명단.xlsx"
    book.save(path)
    a, b = read_person_list(path, mapping=mapping_file).rows
    assert (a.record_id, a.list, a.family_name, a.sex, a.violation) == (
        "1",
        "NGO-한빛",
        "김",
        "F",
        "TIP",
    )
    assert (b.sex, b.birth_date, dict(b.extra)) == (
        "M",
        FuzzyDate.from_month(1990, 3),
        {"면담자": "나"},
    )


def test_uwazi_example(doc: str, tmp_path: Path) -> None:
    (tmp_path / "uwazi.csv").write_text(example(doc, "uwazi.csv"), encoding="utf-8")
    mapping = ColumnMapping.from_file(_write(tmp_path / "uwazi.yaml", example(doc, "uwazi.yaml")))
    result = read_person_list(tmp_path / "uwazi.csv", mapping=mapping)
    a, b = result.rows
    assert result.format == "uwazi"
    assert (a.full_name, a.sex, a.violation, a.aliases, a.event_place) == (
        "김순희",
        "F",
        "TIP",
        ("순이", "Suni"),
        "geo:42.96,129.84",
    )
    assert b.birth_date == FuzzyDate.from_day(1985, 3, 15)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
