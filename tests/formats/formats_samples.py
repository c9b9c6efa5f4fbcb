"""Made-up person lists for the formats tests (names built from common syllables only)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl

FAMILY = ("김", "리", "박")
GIVEN = ("순희", "영철", "철희", "순영", "영희", "철순")
HEADER = ("record_id", "list", "family_name", "given_name", "sex", "birth_date", "violation")


def made_up_name(i: int) -> tuple[str, str]:
    return FAMILY[i % 3], GIVEN[(i // 3) % 6]


def csv_text(rows: list[list[str]] | list[tuple[str, ...]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[Any], *, encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def write_xlsx(
    path: Path,
    rows: list[list[Any]],
    *,
    title: str = "Sheet1",
    others: dict[str, list[list[Any]]] | None = None,
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, more in (others or {}).items():
        extra = book.create_sheet(name)
        for row in more:
            extra.append(row)
    book.save(path)
    return path


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def good_rows(n: int = 3) -> list[list[str]]:
    rows: list[list[str]] = [list(HEADER)]
    for i in range(n):
        family, given = made_up_name(i)
        rows.append([f"r{i + 1}", "NGO-A", family, given, "FM"[i % 2], f"{1980 + i}", "TIP"])
    return rows
