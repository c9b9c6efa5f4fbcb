"""CSV files: UTF-8 only (a BOM is dropped), RFC 4180 quoting through the ``csv`` module."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from unseen.errors import InputError, Problem

from ._problems import SAVE_AS_UTF8_EN, SAVE_AS_UTF8_KO, input_error, problem
from ._table import RawRow, RawTable


def _encoding_hint(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return 'it is UTF-16 ("Unicode text")', "UTF-16(유니코드 텍스트) 형식입니다"
    try:
        data.decode("cp949")
    except UnicodeDecodeError:
        return "it is not UTF-8", "UTF-8 형식이 아닙니다"
    return (
        "it looks like Korean Windows encoding (CP949/EUC-KR), not UTF-8",
        "한국어 Windows 인코딩(CP949/EUC-KR)으로 보이며 UTF-8이 아닙니다",
    )


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text of a file, or an :class:`InputError` that says how to re-save it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        en, ko = _encoding_hint(data)
        raise input_error(
            name,
            f"cannot be read: {en}",
            f"읽을 수 없습니다: {ko}",
            SAVE_AS_UTF8_EN,
            SAVE_AS_UTF8_KO,
        )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise input_error(
            name,
            f"contains NUL bytes (line {line}): it is not a UTF-8 text file",
            f"NUL 바이트가 있습니다({line}번째 줄). UTF-8 텍스트 파일이 아닙니다",
            SAVE_AS_UTF8_EN,
            SAVE_AS_UTF8_KO,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        en, ko = _encoding_hint(data)
        raise input_error(
            name,
            f"cannot be read at line {line}: {en}",
            f"{line}번째 줄을 읽을 수 없습니다: {ko}",
            SAVE_AS_UTF8_EN,
            SAVE_AS_UTF8_KO,
        ) from None


def read_bytes(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror}) / 읽을 수 없습니다") from None


def read_csv_table(path: Path, name: str, problems: list[Problem]) -> RawTable:
    text = decode_text(read_bytes(path, name), name)
    return csv_table_from_text(text, name, problems)


def csv_table_from_text(text: str, name: str, problems: list[Problem]) -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""))
    row_number = 1
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(_broken(name, 1, exc))
        return RawTable(name, "csv", [], iter(()))

    def rows() -> Iterator[RawRow]:
        nonlocal row_number
        while True:
            row_number += 1
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                # The reader cannot resynchronise reliably after this: stop here.
                problems.append(_broken(name, row_number, exc))
                return
            if cells is None:
                return
            yield row_number, cells

    return RawTable(name, "csv", header, rows())


def _broken(name: str, row: int, exc: csv.Error) -> Problem:
    # csv.Error messages describe the structure ("field larger than field limit"), not content.
    return problem(
        name,
        row,
        None,
        (
            f"the CSV cannot be read from here on ({exc})",
            f"이 행부터 CSV를 읽을 수 없습니다 ({exc})",
        ),
        (
            "check the quoting of this row; a cell may be too long",
            "이 행의 따옴표를 확인하세요. 셀이 너무 길 수 있습니다",
        ),
    )
