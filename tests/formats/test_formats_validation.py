"""Every validation rule, with the exact problem (file, row, column) it reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from formats_samples import write_csv

from unseen.errors import Problem, ValidationFailed
from unseen.formats import ColumnMapping, ReadLimits, read_person_list

BASE = ["record_id", "list", "full_name"]
CANARY = "김캐나리"  # a made-up name that must never appear in a message


def problems_of(path: Path, **kwargs: Any) -> list[Problem]:
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(path, **kwargs)
    problems = list(caught.value.problems)
    assert CANARY not in str(caught.value)
    for p in problems:
        assert CANARY not in p.reason and CANARY not in p.fix and CANARY not in (p.column or "")
    return problems


def where(problems: list[Problem]) -> list[tuple[str, int | None, str | None]]:
    return [(p.file, p.row, p.column) for p in problems]


def one(tmp_path: Path, rows: list[list[str]], **kwargs: Any) -> Problem:
    (found,) = problems_of(write_csv(tmp_path / "t.csv", rows), **kwargs)
    return found


def test_missing_record_id_column(tmp_path: Path) -> None:
    p = one(tmp_path, [["list", "full_name"], ["A", CANARY]])
    assert (p.file, p.row, p.column) == ("t.csv", 1, "record_id")
    assert p.reason == "required column record_id is missing / 필수 열 record_id가 없습니다"


def test_missing_list_column_unless_given(tmp_path: Path) -> None:
    rows = [["record_id", "full_name"], ["1", CANARY]]
    p = one(tmp_path, rows)
    assert (p.row, p.column) == (1, "list")
    assert "--list" in p.fix
    assert len(read_person_list(tmp_path / "t.csv", list_name="A")) == 1


def test_missing_name_column(tmp_path: Path) -> None:
    p = one(tmp_path, [["record_id", "list", "sex"], ["1", "A", "F"]])
    assert (p.row, p.column) == (1, None)
    assert p.reason.startswith("no name column: need at least one of family_name")


def test_semicolon_separated_file_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"record_id;list;full_name\r\n1;A;{CANARY}\r\n", encoding="utf-8")
    found = {p.column: p for p in problems_of(path)}
    assert found["record_id"].row == 1
    assert "not to be separated by commas" in found["record_id"].reason


def test_unknown_columns_listed_in_one_problem(tmp_path: Path) -> None:
    p = one(tmp_path, [[*BASE, "면담자", "comment", "extra 3"], ["1", "A", CANARY, "x", "y", "z"]])
    assert (p.file, p.row, p.column) == ("t.csv", 1, None)
    assert p.reason == (
        "unknown columns: '면담자', 'comment', 'extra 3' / "
        "알 수 없는 열: '면담자', 'comment', 'extra 3'"
    )
    assert "keep:" in p.fix and "columns:" in p.fix


def test_kept_and_ignored_columns_are_not_unknown(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv", [[*BASE, "면담자", "comment"], ["1", "A", "김순희", "x", "y"]]
    )
    (row,) = read_person_list(
        path, mapping=ColumnMapping(keep=("면담자",), ignore=("Comment",))
    ).rows
    assert dict(row.extra) == {"면담자": "x"}


def test_duplicate_header(tmp_path: Path) -> None:
    p = one(tmp_path, [[*BASE, "Full Name"], ["1", "A", CANARY, CANARY]])
    assert (p.row, p.column) == (1, "Full Name")
    assert p.reason.startswith("the column appears twice (also as 'full_name')")


def test_two_columns_mapped_to_one(tmp_path: Path) -> None:
    rows = [[*BASE, "이름"], ["1", "A", CANARY, CANARY]]
    p = one(tmp_path, rows, mapping=ColumnMapping(columns={"이름": "full_name"}))
    assert (p.row, p.column) == (1, "이름")
    assert p.reason.startswith("both 'full_name' and this column give full_name")


def test_empty_record_id(tmp_path: Path) -> None:
    p = one(tmp_path, [BASE, ["1", "A", "김순희"], [" ", "A", CANARY]])
    assert where([p]) == [("t.csv", 3, "record_id")]
    assert p.reason == "record_id is empty / record_id가 비어 있습니다"


def test_duplicate_record_id(tmp_path: Path) -> None:
    rows = [
        BASE,
        ["7", "A", "김순희"],
        ["8", "A", "리영철"],
        ["9", "A", "박철희"],
        ["10", "A", "김영희"],
        ["7", "A", CANARY],
    ]
    p = one(tmp_path, rows)
    assert where([p]) == [("t.csv", 6, "record_id")]
    assert p.reason == "duplicate record_id (already on row 2) / 중복된 record_id (2행에 이미 있음)"


def test_row_with_no_name(tmp_path: Path) -> None:
    rows = [
        ["record_id", "list", "family_name", "given_name", "aliases", "sex"],
        ["1", "A", "", "", "", "F"],
    ]
    p = one(tmp_path, rows)
    assert where([p]) == [("t.csv", 2, None)]
    assert p.reason == "the row has no name at all / 행에 이름이 전혀 없습니다"


def test_aliases_alone_are_a_name(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "t.csv",
        [["record_id", "list", "full_name", "aliases"], ["1", "A", "", "순이;;"]],
    )
    assert read_person_list(path).rows[0].aliases == ("순이",)


def test_bad_sex_echoes_the_code_truncated(tmp_path: Path) -> None:
    p = one(tmp_path, [[*BASE, "sex"], ["1", "A", CANARY, "woman?" * 10]])
    assert where([p]) == [("t.csv", 2, "sex")]
    assert p.reason.startswith(
        "sex must be F, M, X or empty, not 'woman?woman?woman?woman?woman?woman?woma…'"
    )


def test_sex_synonyms(tmp_path: Path) -> None:
    rows = [[*BASE, "sex"]] + [
        [str(i), "A", "김순희", s]
        for i, s in enumerate(["f", "Female", "여", "여성", "남자", "male", "x", "모름", ""])
    ]
    got = [r.sex for r in read_person_list(write_csv(tmp_path / "t.csv", rows)).rows]
    assert got == ["F", "F", "F", "F", "M", "M", "X", None, None]


def test_unparseable_date_lists_forms_without_the_value(tmp_path: Path) -> None:
    p = one(tmp_path, [[*BASE, "birth_date"], ["1", "A", CANARY, "19851315x"]])
    assert where([p]) == [("t.csv", 2, "birth_date")]
    assert p.reason == "date not understood / 날짜를 이해할 수 없습니다"
    assert "2010-21" in p.fix and "2010년 봄" in p.fix  # the accepted forms, both languages
    assert "19851315x" not in p.reason + p.fix


def test_impossible_calendar_date(tmp_path: Path) -> None:
    p = one(tmp_path, [[*BASE, "event_date"], ["1", "A", CANARY, "2010-02-30"]])
    assert where([p]) == [("t.csv", 2, "event_date")]
    assert "2010-02-30" not in str(p)


def test_violation_not_in_vocabulary_suggests_codes(tmp_path: Path) -> None:
    p = one(tmp_path, [[*BASE, "violation"], ["1", "A", CANARY, "TIP.SALEX"]])
    assert where([p]) == [("t.csv", 2, "violation")]
    assert (
        p.reason
        == "'TIP.SALEX' is not a violation code / 'TIP.SALEX'은(는) 침해 유형 코드가 아닙니다"
    )
    assert p.fix.startswith("closest codes: TIP.SALE")


def test_perpetrator_type_not_in_vocabulary(tmp_path: Path) -> None:
    p = one(tmp_path, [[*BASE, "perpetrator_type"], ["1", "A", CANARY, "BROKR-CN"]])
    assert where([p]) == [("t.csv", 2, "perpetrator_type")]
    assert "BROKER-CN" in p.fix


def test_vocabulary_labels_accepted(tmp_path: Path) -> None:
    rows = [
        [*BASE, "violation"],
        ["1", "A", "김순희", "인신매매"],
        ["2", "A", "리영철", "trafficking in persons"],
    ]
    got = [r.violation for r in read_person_list(write_csv(tmp_path / "t.csv", rows)).rows]
    assert got == ["TIP", "TIP"]


def test_mother_not_in_file_and_pointing_to_itself(tmp_path: Path) -> None:
    rows = [
        [*BASE, "mother_record_id"],
        ["m", "A", "김순희", ""],
        ["c1", "A", CANARY, "m"],
        ["c2", "A", CANARY, "nobody"],
        ["c3", "A", CANARY, "c3"],
        ["c4", "A", CANARY, "c9"],
        ["c9", "A", "박영희", ""],
    ]
    found = problems_of(write_csv(tmp_path / "t.csv", rows))
    assert where(found) == [("t.csv", 4, "mother_record_id"), ("t.csv", 5, "mother_record_id")]
    assert found[0].reason.startswith("mother_record_id is not a record_id in this file")
    assert found[1].reason.startswith("mother_record_id points to the record itself")


def test_field_length_limits(tmp_path: Path) -> None:
    rows = [
        [*BASE, "notes"],
        ["1", "A", CANARY * 3000, "n" * 100_000],
        ["2", "A", "김순희", "n" * 100_001],
    ]
    found = problems_of(write_csv(tmp_path / "t.csv", rows))
    assert where(found) == [("t.csv", 2, "full_name"), ("t.csv", 3, "notes")]
    assert found[0].reason.startswith("longer than the limit of 10,000 characters (12,000)")
    assert found[1].reason.startswith("longer than the limit of 100,000 characters (100,001)")
    limits = ReadLimits(max_chars=20_000, max_notes_chars=200_000)
    assert len(read_person_list(tmp_path / "t.csv", limits=limits)) == 2


def test_cells_beyond_the_csv_field_limit(tmp_path: Path) -> None:
    rows = [[*BASE, "notes"], ["1", "A", "김순희", "n" * 140_000], ["2", "A", CANARY, ""]]
    found = problems_of(write_csv(tmp_path / "t.csv", rows))
    assert where(found) == [("t.csv", 2, None)]
    assert "field larger than field limit" in found[0].reason


def test_control_characters(tmp_path: Path) -> None:
    rows = [
        [*BASE, "notes"],
        ["1", "A", CANARY + "\x07", "tab\tand\nnewline are fine"],
        ["2", "A", "김순희", "\x1b[31m"],
    ]
    found = problems_of(write_csv(tmp_path / "t.csv", rows))
    assert where(found) == [("t.csv", 2, "full_name"), ("t.csv", 3, "notes")]
    assert found[0].reason == "contains a control character (U+0007) / 제어 문자(U+0007)가 있습니다"


def test_too_many_rows(tmp_path: Path) -> None:
    rows = [BASE] + [[str(i), "A", "김순희"] for i in range(6)]
    found = problems_of(write_csv(tmp_path / "t.csv", rows), limits=ReadLimits(max_rows=5))
    assert where(found) == [("t.csv", 7, None)]
    assert found[0].reason == "more than 5 records / 레코드가 5개를 넘습니다"


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    (p,) = problems_of(empty)
    assert (p.file, p.row, p.column, p.reason) == (
        "empty.csv",
        None,
        None,
        "the file is empty / 파일이 비어 있습니다",
    )
    bom_only = tmp_path / "bom.csv"
    bom_only.write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    assert where(problems_of(bom_only)) == [("bom.csv", None, None)]
    (p,) = problems_of(write_csv(tmp_path / "h.csv", [BASE, ["", "", ""]]))
    assert (p.row, p.reason) == (
        None,
        "the file has a header but no records / 머리글만 있고 레코드가 없습니다",
    )


def test_cells_outside_the_header(tmp_path: Path) -> None:
    found = problems_of(
        write_csv(
            tmp_path / "t.csv", [[*BASE, ""], ["1", "A", CANARY, "x", "y"], ["2", "A", CANARY, "z"]]
        )
    )
    assert where(found) == [("t.csv", 2, None), ("t.csv", 2, "#4")]
    assert found[0].reason.startswith("the row has more cells than the header's 4 columns")
    assert found[1].reason.startswith("a value in a column with no name in the header")


def test_mapped_columns_are_named_as_in_the_file(tmp_path: Path) -> None:
    rows = [["번호", "이름", "성별"], ["1", CANARY, "?!"]]
    mapping = ColumnMapping(
        columns={"번호": "record_id", "이름": "full_name", "성별": "sex"}, list_name="A"
    )
    p = one(tmp_path, rows, mapping=mapping)
    assert (p.row, p.column) == (2, "성별 (sex)")


def test_five_different_errors_at_once(tmp_path: Path) -> None:
    rows = [
        [*BASE, "sex", "birth_date", "violation"],
        ["1", "A", CANARY, "F", "1985", "TIP"],
        ["1", "A", CANARY, "F", "", ""],  # duplicate record_id
        ["2", "A", CANARY, "Q", "", ""],  # bad sex
        ["3", "A", CANARY, "", "31/31/31", ""],  # bad date
        ["4", "A", CANARY, "", "", "TORTURE?"],  # unknown violation
        ["5", "A", "", "", "", ""],
    ]  # no name
    found = problems_of(write_csv(tmp_path / "t.csv", rows))
    assert where(found) == [
        ("t.csv", 3, "record_id"),
        ("t.csv", 4, "sex"),
        ("t.csv", 5, "birth_date"),
        ("t.csv", 6, "violation"),
        ("t.csv", 7, None),
    ]
    assert len({p.reason for p in found}) == 5


def test_validation_failed_message_is_bilingual_and_summarised(tmp_path: Path) -> None:
    rows = [BASE] + [["", "A", CANARY] for _ in range(5)]
    with pytest.raises(ValidationFailed) as caught:
        read_person_list(write_csv(tmp_path / "t.csv", rows))
    text = str(caught.value)
    assert text.startswith("5 problems: t.csv, row 2, column 'record_id': record_id is empty / ")
    assert "(and 2 more). Nothing was imported." in text
