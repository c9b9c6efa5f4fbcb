"""CSV person lists: known-good files, encodings, quoting, and what the reader makes of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from formats_samples import csv_text, good_rows, write_csv

from unseen.domain.dates import FuzzyDate, Precision
from unseen.errors import InputError, ValidationFailed
from unseen.formats import ColumnMapping, PersonRow, read_person_list


def test_known_good_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", good_rows(3))
    result = read_person_list(path)
    assert result.file == path
    assert result.format == "csv"
    assert result.list_names == ("NGO-A",)
    assert len(result) == 3
    first = result.rows[0]
    assert first == PersonRow(
        record_id="r1",
        list="NGO-A",
        family_name="김",
        given_name="순희",
        sex="F",
        birth_date=FuzzyDate.from_year(1980),
        violation="TIP",
        row=2,
    )
    assert [r.row for r in result.rows] == [2, 3, 4]
    assert result.date_forms == {"edtf": 3}


def test_every_column_read(tmp_path: Path) -> None:
    header = [
        "record_id",
        "list",
        "family_name",
        "given_name",
        "full_name",
        "name_hangul",
        "name_hanzi",
        "aliases",
        "sex",
        "birth_date",
        "origin_place",
        "china_place",
        "first_exit_date",
        "event_date",
        "event_place",
        "violation",
        "perpetrator_type",
        "mother_record_id",
        "notes",
    ]
    mother = [
        "m1",
        "L",
        "Kim",
        "Sun-hui",
        "Kim Sun-hui",
        "김순희",
        "金順姬",
        "순이; Suni ;",
        "f",
        "1970-03-15",
        "함경북도 무산",
        "연길",
        "1998-24",
        "2010년 봄",
        "Yanji",
        "tip.sale",
        "BROKER-CN",
        "",
        "line one\nline two",
    ]
    child = [
        "c1",
        "L",
        "",
        "",
        "Pak Yong-chol",
        "",
        "",
        "",
        "M",
        "2005",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "m1",
        "",
    ]
    path = write_csv(tmp_path / "all.csv", [header, mother, child])
    m, c = read_person_list(path).rows
    assert (m.family_name, m.given_name, m.full_name) == ("Kim", "Sun-hui", "Kim Sun-hui")
    assert (m.name_hangul, m.name_hanzi) == ("김순희", "金順姬")
    assert m.aliases == ("순이", "Suni")
    assert m.sex == "F"
    assert m.birth_date == FuzzyDate.from_day(1970, 3, 15)
    assert (m.origin_place, m.china_place, m.event_place) == ("함경북도 무산", "연길", "Yanji")
    assert m.first_exit_date == FuzzyDate.from_season(1998, 24)
    assert m.event_date == FuzzyDate.from_season(2010, 21)
    assert m.violation == "TIP.SALE"  # codes are matched in any case and written canonically
    assert m.perpetrator_type == "BROKER-CN"
    assert m.notes == "line one\nline two"
    assert m.mother_record_id is None and c.mother_record_id == "m1"
    assert c.aliases == () and c.family_name is None


def test_bom_is_dropped_and_crlf_quoting_follows_rfc4180(tmp_path: Path) -> None:
    text = csv_text(
        [
            ["record_id", "list", "full_name", "notes"],
            ["1", "A", "박, 영희", 'she said "yes"\r\nthen left'],
        ]
    )
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    (row,) = read_person_list(path).rows
    assert row.record_id == "1"
    assert row.full_name == "박, 영희"
    assert row.notes == 'she said "yes"\nthen left'  # CR LF inside a cell becomes LF


def test_row_numbers_count_records_not_lines(tmp_path: Path) -> None:
    text = 'record_id,list,full_name,notes\r\n1,A,김영희,"a\nb\nc"\r\n\r\n,,,\r\n2,A,리철순,\r\n'
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8", newline="")
    rows = read_person_list(path).rows
    assert [(r.record_id, r.row) for r in rows] == [("1", 2), ("2", 5)]


def test_whitespace_trimmed_and_headers_matched_loosely(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "h.csv", [[" Record ID ", "LIST", "Full Name"], ["  7 ", " A ", " 김철희 "]]
    )
    (row,) = read_person_list(path).rows
    assert (row.record_id, row.list, row.full_name) == ("7", "A", "김철희")


def test_list_name_fills_missing_or_empty_list(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "l.csv",
        [["record_id", "list", "full_name"], ["1", "", "김순희"], ["2", "Shelter", "박영철"]],
    )
    rows = read_person_list(path, list_name="NGO-B").rows
    assert [r.list for r in rows] == ["NGO-B", "Shelter"]
    path2 = write_csv(tmp_path / "l2.csv", [["record_id", "full_name"], ["1", "김순희"]])
    assert read_person_list(path2, list_name="NGO-B").list_names == ("NGO-B",)
    mapping = ColumnMapping(list_name="From-Mapping")
    assert read_person_list(path2, mapping=mapping).list_names == ("From-Mapping",)
    # an explicit list_name wins over the mapping's default
    assert read_person_list(path2, list_name="Arg", mapping=mapping).list_names == ("Arg",)


def test_korean_header_mapping(tmp_path: Path) -> None:
    mapping_file = tmp_path / "ngo.yaml"
    mapping_file.write_text(
        "columns:\n  번호: record_id\n  성: family_name\n  이름: given_name\n"
        "  성별: sex\n  생년월일: birth_date\n  피해: violation\n"
        "keep: [면담자]\nlist: NGO-한빛\n"
        "values:\n  sex: {여: F, 남: M, female: F}\n  violation: {인신매매: TIP}\n",
        encoding="utf-8",
    )
    path = write_csv(
        tmp_path / "명단.csv",
        [
            ["번호", "성", "이름", "성별", "생년월일", "피해", "면담자"],
            ["1", "김", "순희", "여", "1985년경", "인신매매", "면담자 가"],
            ["2", "리", "영철", "남", "1990.3", "TIP.SALE", ""],
            ["3", "박", "철희", "Female", "", "", ""],
        ],
    )
    result = read_person_list(path, mapping=mapping_file)
    a, b, c = result.rows
    assert (a.record_id, a.list, a.family_name, a.given_name) == ("1", "NGO-한빛", "김", "순희")
    assert (a.sex, b.sex, c.sex) == ("F", "M", "F")
    assert a.birth_date == FuzzyDate.from_year(1985, approximate=True)
    assert b.birth_date == FuzzyDate.from_month(1990, 3)
    assert (a.violation, b.violation, c.violation) == ("TIP", "TIP.SALE", None)
    assert dict(a.extra) == {"면담자": "면담자 가"} and dict(b.extra) == {}
    assert result.date_forms == {"korean": 1, "numeric": 1}
    uses = {u.example: u for u in result.date_form_uses}
    assert uses["1985년경"].form == "korean" and uses["1985년경"].count == 1
    assert "1985" in uses["1985년경"].understood_as


def test_date_form_uses_are_counted_per_text(tmp_path: Path) -> None:
    rows = [["record_id", "list", "full_name", "event_date"]]
    rows += [[str(i), "A", "김순희", "2010년 봄"] for i in range(12)]
    rows += [["x", "A", "김순희", "2010-21"]]
    result = read_person_list(write_csv(tmp_path / "d.csv", rows))
    assert result.date_forms == {"korean": 12, "edtf": 1}
    (use,) = result.date_form_uses  # EDTF needs no explaining
    assert (use.example, use.count, use.form) == ("2010년 봄", 12, "korean")
    assert use.understood_as.startswith("spring 2010")
    assert repr(use) == "DateFormUse(form='korean', count=12)"  # the dates are data
    assert all(
        r.event_date == FuzzyDate(date(2010, 3, 1), date(2010, 5, 31), Precision.SEASON)
        for r in result.rows
    )


def test_date_format_in_mapping_reads_day_first_dates(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [["record_id", "list", "full_name", "birth_date"], ["1", "A", "김순희", "03/01/1985"]],
    )
    mapping = ColumnMapping(date_format="DD/MM/YYYY")
    (row,) = read_person_list(path, mapping=mapping).rows
    assert row.birth_date == FuzzyDate.from_day(1985, 1, 3)
    mapping = ColumnMapping(date_format="MM/DD/YYYY")
    (row,) = read_person_list(path, mapping=mapping).rows
    assert row.birth_date == FuzzyDate.from_day(1985, 3, 1)


@pytest.mark.parametrize(
    ("encoding", "needle"),
    [("utf-16", "UTF-16"), ("cp949", "CP949"), ("latin-1", "not UTF-8")],
)
def test_other_encodings_rejected_with_advice(tmp_path: Path, encoding: str, needle: str) -> None:
    name = "Müller" if encoding == "latin-1" else "김순희"
    path = write_csv(
        tmp_path / "enc.csv",
        [["record_id", "list", "full_name"], ["1", "A", name]],
        encoding=encoding,
    )
    with pytest.raises(InputError) as caught:
        read_person_list(path)
    message = str(caught.value)
    assert not isinstance(caught.value, ValidationFailed)
    assert message.startswith("enc.csv: ")
    assert needle in message
    assert "CSV UTF-8" in message and "다시 저장" in message
    assert name not in message


def test_nul_bytes_rejected(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"record_id,list,full_name\r\n1,A,ab\x00cd\r\n")
    with pytest.raises(InputError, match=r"nul\.csv: contains NUL bytes \(line 2\)"):
        read_person_list(path)


def test_utf16_without_bom_is_caught_by_its_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes("record_id,list,full_name\r\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="NUL"):
        read_person_list(path)


@pytest.mark.parametrize(
    ("name", "setup", "needle"),
    [
        ("missing.csv", None, "file not found"),
        ("folder.csv", "dir", "is a folder"),
        ("list.xls", "file", "old Excel format"),
        ("list.docx", "file", "'.docx'"),
        ("noext", "file", "(no extension)"),
    ],
)
def test_unreadable_paths(tmp_path: Path, name: str, setup: str | None, needle: str) -> None:
    path = tmp_path / name
    if setup == "dir":
        path.mkdir()
    elif setup == "file":
        path.write_bytes(b"record_id\r\n1\r\n")
    with pytest.raises(InputError) as caught:
        read_person_list(path)
    assert str(caught.value).startswith(f"{name}: ")
    assert needle in str(caught.value)


def test_format_argument_overrides_extension(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.txt", good_rows(1))
    assert len(read_person_list(path, format="csv")) == 1
