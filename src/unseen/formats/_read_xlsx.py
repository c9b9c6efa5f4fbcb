"""XLSX workbooks through openpyxl in read-only mode, cells converted to text faithfully."""

from __future__ import annotations

import datetime as dt
import math
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from unseen.errors import InputError

from ._problems import both, input_error
from ._table import RawRow, RawTable

_NOT_A_WORKBOOK = (
    "cannot be read as an Excel workbook (the file is damaged or not .xlsx)",
    "Excel 통합 문서(.xlsx)로 읽을 수 없습니다(파일이 손상되었거나 .xlsx가 아님)",
)
_REOPEN = (
    "open it in Excel or LibreOffice and save it again as .xlsx, or as 'CSV UTF-8'",
    "Excel이나 LibreOffice에서 열어 .xlsx 또는 'CSV UTF-8'로 다시 저장하세요",
)


def cell_text(value: Any) -> str:
    """The text a person sees in the cell: 1985.0 -> '1985', a date -> '1985-03-15'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _check_zip(path: Path, name: str, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise input_error(name, *_NOT_A_WORKBOOK, *_REOPEN) from None
    if total > max_bytes:
        raise input_error(
            name,
            f"unpacks to more than {max_bytes:,} bytes: refusing to read it",
            f"압축을 풀면 {max_bytes:,}바이트를 넘습니다. 읽지 않습니다",
            "split the workbook, or save it as 'CSV UTF-8'",
            "파일을 나누거나 'CSV UTF-8'로 저장하세요",
        )


def read_xlsx_table(path: Path, name: str, *, sheet: str | None, max_bytes: int) -> RawTable:
    _check_zip(path, name, max_bytes)
    # openpyxl raises many exception types on damaged parts (KeyError, ValueError, XML errors):
    # all of them mean the same thing to the user, so all become one InputError.
    # We own the file handle: openpyxl leaves its own open when loading fails half-way.
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror}) / 읽을 수 없습니다") from None

    def close() -> None:
        try:
            book.close()
        finally:
            handle.close()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception:
            handle.close()
            raise input_error(name, *_NOT_A_WORKBOOK, *_REOPEN) from None
    try:
        if sheet is None:
            if not book.worksheets:
                raise input_error(
                    name,
                    "has no worksheet",
                    "워크시트가 없습니다",
                    "add a sheet with the list",
                    "명단이 있는 시트를 추가하세요",
                )
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            names = ", ".join(repr(s) for s in book.sheetnames)
            raise InputError(
                f"{name}: "
                + both(
                    f"has no sheet named {sheet!r} (sheets: {names}); fix 'sheet:' in the mapping",
                    f"{sheet!r} 시트가 없습니다 (시트: {names}). 매핑의 'sheet:'를 고치세요",
                )
            )
        if not hasattr(ws, "iter_rows"):
            raise input_error(
                name,
                "the chosen sheet is a chart, not a table",
                "선택한 시트는 표가 아니라 차트입니다",
                "name the sheet with the list in 'sheet:'",
                "'sheet:'에 명단이 있는 시트를 쓰세요",
            )
        rows = _rows(ws, name)
        first = next(rows, None)
    except BaseException:
        close()
        raise
    if first is None:
        close()
        return RawTable(name, "xlsx", None, iter(()))
    return RawTable(name, "xlsx", first[1], rows, close=close)


def _rows(ws: Any, name: str) -> Iterator[RawRow]:
    iterator = ws.iter_rows(min_row=1, values_only=True)
    number = 0
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                values = next(iterator, None)
            except Exception:
                raise input_error(name, *_NOT_A_WORKBOOK, *_REOPEN) from None
        if values is None:
            return
        number += 1
        yield number, [cell_text(v) for v in values]
