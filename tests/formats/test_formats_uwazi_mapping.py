"""Uwazi CSV exports, and column-mapping files (YAML and JSON) with their errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from formats_samples import write_csv

from unseen.domain.dates import FuzzyDate
from unseen.errors import ConfigError, ValidationFailed
from unseen.formats import ColumnMapping, read_person_list

# An Uwazi export of a "Victim" template: Title, Date added, Template, the template's
# properties by label, then Geolocation, Documents, Attachments, Published.
UWAZI_HEADER = [
    "Title",
    "Date added",
    "Template",
    "Case ID",
    "Sex",
    "Date of birth",
    "Violation",
    "Other names",
    "Place of arrest",
    "Geolocation",
    "Documents",
    "Attachments",
    "Published",
]
UWAZI_ROWS = [
    [
        "김순희",
        "2024-05-01",
        "Victim",
        "V-1",
        "Female",
        "1985-03-15",
        "Trafficking in persons",
        "순이|Suni",
        "Tumen",
        "42.96|129.84",
        "/files/a.pdf",
        "",
        "Published",
    ],
    [
        "리영철",
        "2024-05-02",
        "Victim",
        "V-2",
        "Male",
        "479692800",
        "",
        "",
        "",
        "",
        "",
        "",
        "Unpublished",
    ],
    [
        "박철희",
        "2024-05-02",
        "Victim",
        "V-3",
        "",
        "1990-01-01~1990-12-31",
        "",
        "",
        "",
        "",
        "",
        "",
        "Published",
    ],
]
UWAZI_MAPPING = (
    "columns:\n  Case ID: record_id\n  Sex: sex\n  Date of birth: birth_date\n"
    "  Violation: violation\n  Other names: aliases\n  Geolocation: event_place\n"
    "keep: [Place of arrest]\nlist: Uwazi-Victims\n"
    "values:\n  sex: {Female: F, Male: M}\n  violation: {Trafficking in persons: TIP}\n"
)


def test_uwazi_export_detected_and_read(tmp_path: Path) -> None:
    mapping = tmp_path / "uwazi.yaml"
    mapping.write_text(UWAZI_MAPPING, encoding="utf-8")
    path = write_csv(tmp_path / "export.csv", [UWAZI_HEADER, *UWAZI_ROWS])
    result = read_person_list(path, mapping=mapping)
    assert result.format == "uwazi"
    a, b, c = result.rows
    assert (a.record_id, a.list, a.full_name, a.sex) == ("V-1", "Uwazi-Victims", "김순희", "F")
    assert a.birth_date == FuzzyDate.from_day(1985, 3, 15)
    assert a.violation == "TIP"
    assert a.aliases == ("순이", "Suni")  # Uwazi's multi-value separator
    assert a.event_place == "geo:42.96,129.84"  # lat|lon as an RFC 5870 geo URI
    assert dict(a.extra) == {"Place of arrest": "Tumen"}
    assert b.birth_date == FuzzyDate.from_day(1985, 3, 15)  # Unix timestamp 479692800
    assert c.birth_date == FuzzyDate.between(date(1990, 1, 1), date(1990, 12, 31))  # from~to


def test_uwazi_without_mapping_names_what_is_missing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", [UWAZI_HEADER, *UWAZI_ROWS])
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(path)
    problems = caught.value.problems
    unknown = next(p for p in problems if p.reason.startswith("unknown columns"))
    # Title is mapped by default, the system columns are ignored, 'Sex' and 'Violation' match
    # our columns by name; the rest of the template needs the mapping.
    assert unknown.reason.split(" / ")[0] == (
        "unknown columns: 'Case ID', 'Date of birth', 'Other names', 'Place of arrest', "
        "'Geolocation'"
    )
    assert {(p.row, p.column) for p in problems} >= {(1, "record_id"), (1, "list")}


def test_uwazi_format_forced_and_import_conventions(tmp_path: Path) -> None:
    header = ["title", "record_id", "list", "sex", "event_date", "violation", "first_exit_date"]
    rows = [
        header,
        ["김영희", "1", "A", "F", "2001-01-01:2003-12-31", "TIP", ":2005-06-30"],
        ["리순영", "2", "A", "F|M", "2001|2002", "TIP|TIP.SALE", "1999-01-01:"],
    ]
    path = write_csv(tmp_path / "import.csv", rows)
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(path, format="uwazi")
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "sex"),
        (3, "event_date"),
        (3, "violation"),
    ]
    assert caught.value.problems[0].reason.startswith("several values separated by '|'")
    ok = write_csv(tmp_path / "ok.csv", rows[:2])
    (row,) = read_person_list(ok, format="uwazi").rows
    assert row.full_name == "김영희"
    assert row.event_date == FuzzyDate.between(date(2001, 1, 1), date(2003, 12, 31))
    assert row.first_exit_date == FuzzyDate.on_or_before(date(2005, 6, 30))  # ":to"


def test_uwazi_language_versions(tmp_path: Path) -> None:
    header = ["Title__ko", "Title__en", "Case ID", "Notes__ko", "Notes__en"]
    rows = [header, ["김순희", "Kim Sun-hui", "V-1", "메모", "memo"]]
    path = write_csv(tmp_path / "langs.csv", rows)
    base = {"Case ID": "record_id", "Notes": "notes"}
    (row,) = read_person_list(path, list_name="U", mapping=ColumnMapping(columns=base)).rows
    assert (row.full_name, row.notes) == ("김순희", "메모")  # the first title's language
    english = ColumnMapping(columns=base, language="en")
    (row,) = read_person_list(path, list_name="U", mapping=english).rows
    assert (row.full_name, row.notes) == ("Kim Sun-hui", "memo")
    both = ColumnMapping(columns={**base, "Title__ko": "name_hangul", "Title__en": "full_name"})
    (row,) = read_person_list(path, list_name="U", mapping=both).rows
    assert (row.name_hangul, row.full_name, row.notes) == ("김순희", "Kim Sun-hui", "메모")


def test_uwazi_bad_geolocation(tmp_path: Path) -> None:
    rows = [
        ["Title", "Date added", "Template", "Case ID", "Geolocation"],
        ["김순희", "", "", "V-1", "142.9|129.8"],
    ]
    mapping = ColumnMapping(
        columns={"Case ID": "record_id", "Geolocation": "event_place"}, list_name="U"
    )
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(write_csv(tmp_path / "g.csv", rows), mapping=mapping)
    (p,) = caught.value.problems
    assert (p.row, p.column) == (2, "Geolocation (event_place)")
    assert p.reason.startswith("coordinates outside latitude -90..90")


def test_plain_csv_with_a_title_column_is_not_uwazi(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [["record_id", "list", "full_name", "title"], ["1", "A", "김순희", "Dr"]],
    )
    with pytest.raises(ValidationFailed, match="unknown columns: 'title'"):
        read_person_list(path)


# -- mapping files ------------------------------------------------------------------------------
def test_mapping_from_yaml_and_json_agree(tmp_path: Path) -> None:
    data = {
        "columns": {
            "성": "family_name",
            "이름": "given_name",
            "성별": "sex",
            "생년월일": "birth_date",
        },
        "keep": ["면담자"],
        "list": "NGO-A",
        "sheet": "명단",
        "values": {"sex": {"여": "F", "남": "M"}},
    }
    y = tmp_path / "m.yaml"
    y.write_text(
        "columns: {성: family_name, 이름: given_name, 성별: sex, 생년월일: birth_date}\n"
        "keep: [면담자]\nlist: NGO-A\nsheet: 명단\nvalues: {sex: {여: F, 남: M}}\n",
        encoding="utf-8",
    )
    j = tmp_path / "m.json"
    j.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    from_yaml, from_json = ColumnMapping.from_file(y), ColumnMapping.from_file(j)
    assert from_yaml == from_json == ColumnMapping.from_dict(data)
    assert from_yaml.list_name == "NGO-A" and from_yaml.sheet == "명단"
    assert from_yaml.target(" 성 ") == "family_name" and from_yaml.target("x") is None
    assert from_yaml.translate_value("sex", "여") == "F"
    assert from_yaml.translate_value("sex", "?") == "?"
    with pytest.raises(AttributeError):
        from_yaml.list_name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("columns: {성: surname}\n", "'columns.성': 'surname' is not a person-list column"),
        ("columns: {a: full_name, b: full_name}\n", "'columns.b': 'full_name' is already"),
        ("column: {a: full_name}\n", "'column': unknown key"),
        ("keep: {a: 1}\n", "'keep': must be a list"),
        ("keep: [a]\ncolumns: {a: notes}\n", "'keep.a': is also mapped"),
        ("values: {gender: {여: F}}\n", "'values.gender': is not a person-list column"),
        ("values: {sex: [F]}\n", "'values.sex': must be a mapping"),
        ("values: {sex: {yes: F}}\n", "'values.sex.True': write this value as quoted text"),
        ("list: ''\n", "'list': must be non-empty text"),
        ("format: xls\n", "'format': must be one of csv, xlsx, json, uwazi"),
        ("date_format: DD/MM/YY\n", "'date_format': must be one of"),
        ("- a\n- b\n", "must be a mapping with keys"),
        ("columns: {a: [b\n", "invalid YAML at line"),
    ],
)
def test_bad_mapping_files(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        ColumnMapping.from_file(path)
    message = str(caught.value)
    assert message.startswith("bad.yaml: ") and needle in message, message
    assert " / " in message  # English / Korean


def test_bad_json_mapping_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"columns": ', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json: invalid JSON at line 1"):
        ColumnMapping.from_file(path)
    with pytest.raises(ConfigError, match="nope.yaml: mapping file not found"):
        ColumnMapping.from_file(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="mapping file not found"):
        read_person_list(tmp_path / "x.csv", mapping=tmp_path / "nope.yaml")
