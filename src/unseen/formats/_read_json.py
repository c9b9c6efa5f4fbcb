"""JSON person lists: an array of objects, or ``{"records": [...]}``.

Values must be text, numbers or null; a column mapped to ``aliases`` may also hold a list of texts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from unseen.errors import Problem

from ._problems import input_error, problem
from ._read_csv import decode_text, read_bytes
from ._table import RawRow, RawTable

_SHAPE_EN = 'write an array of records, [{"record_id": "1", ...}], or {"records": [...]}'
_SHAPE_KO = '레코드 배열 [{"record_id": "1", ...}] 또는 {"records": [...]} 형식으로 쓰세요'


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not allowed")


def _number_text(value: int | float) -> str | None:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return None
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def read_json_table(
    path: Path, name: str, problems: list[Problem], is_list_column: Callable[[str], bool]
) -> RawTable:
    text = decode_text(read_bytes(path, name), name)
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise input_error(
            name,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            f"올바른 JSON이 아닙니다({exc.lineno}번째 줄 {exc.colno}번째 칸)",
            "fix the JSON or export the list again",
            "JSON을 고치거나 명단을 다시 내보내세요",
        ) from None
    except (ValueError, RecursionError):
        # NaN/Infinity, integers beyond Python's digit limit, or absurd nesting.
        raise input_error(
            name,
            "is not valid JSON for a person list",
            "명단용으로 올바른 JSON이 아닙니다",
            "numbers must be finite and nesting shallow",
            "숫자는 유한해야 하고 중첩은 얕아야 합니다",
        ) from None
    if isinstance(data, dict) and set(data) >= {"records"}:
        data = data["records"]
    if not isinstance(data, list):
        raise input_error(
            name,
            "is JSON but not a list of records",
            "JSON이지만 레코드 목록이 아닙니다",
            _SHAPE_EN,
            _SHAPE_KO,
        )
    if not data:
        return RawTable(name, "json", None, iter(()))
    header: dict[str, None] = {}
    for item in data:
        if isinstance(item, dict):
            header.update(dict.fromkeys(item))
    columns = list(header)
    return RawTable(name, "json", columns, _rows(data, columns, name, problems, is_list_column))


def _rows(
    data: list[Any],
    columns: list[str],
    name: str,
    problems: list[Problem],
    is_list_column: Callable[[str], bool],
) -> Iterator[RawRow]:
    list_columns = {c for c in columns if is_list_column(c)}
    for index, item in enumerate(data):
        number = index + 2
        if not isinstance(item, dict):
            problems.append(
                problem(
                    name,
                    number,
                    None,
                    (
                        f"record is {_kind(item)}, not an object",
                        f"레코드가 객체가 아니라 {_kind(item)}입니다",
                    ),
                    (_SHAPE_EN, _SHAPE_KO),
                )
            )
            continue
        cells: list[str] = []
        for column in columns:
            value = item.get(column)
            text = _value_text(value, column in list_columns)
            if text is None:
                problems.append(
                    problem(
                        name,
                        number,
                        column,
                        (
                            f"must be text, a number or empty, not {_kind(value)}",
                            f"글자, 숫자 또는 빈 값이어야 합니다({_kind(value)}은(는) 안 됨)",
                        ),
                        ("write the value as text", "값을 글자로 쓰세요"),
                    )
                )
                text = ""
            cells.append(text)
        yield number, cells


def _value_text(value: Any, may_be_list: bool) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _number_text(value)
    if may_be_list and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float):
        return "a number that is not finite"
    if value is None:
        return "null"
    return "text" if isinstance(value, str) else "a number"
