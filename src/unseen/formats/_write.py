"""``write_person_list_csv``: the canonical person-list CSV, which reads back to equal rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from unseen.errors import InputError

from ._columns import OUR_COLUMN_KEYS, PERSON_LIST_COLUMNS, column_key
from ._model import PersonRow
from ._problems import both


def _cell(row: PersonRow, column: str) -> str:
    value = getattr(row, column)
    if value is None:
        return ""
    if column == "aliases":
        return ";".join(value)
    if isinstance(value, str):
        return value
    return str(value.to_edtf())


def write_person_list_csv(
    rows: Iterable[PersonRow], path: str | Path, *, bom: bool = False
) -> None:
    """Write rows in :data:`PERSON_LIST_COLUMNS` order, then their kept columns (``extra``).

    ``bom=True`` adds a UTF-8 byte-order mark so that Excel shows Hangul correctly. Reading the
    file back (with a mapping that keeps the extra columns, if any) gives equal rows, numbered
    from 2 in the order written.
    """
    rows = list(rows)
    extra_columns: dict[str, None] = {}
    for row in rows:
        extra_columns.update(dict.fromkeys(row.extra))
    for key in extra_columns:
        if column_key(key) in OUR_COLUMN_KEYS:
            raise InputError(
                both(
                    f"an extra attribute is named like the person-list column {column_key(key)}",
                    f"추가 속성의 이름이 명단 열 {column_key(key)}과(와) 같습니다",
                )
            )
    path = Path(path)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow((*PERSON_LIST_COLUMNS, *extra_columns))
        for row in rows:
            writer.writerow(
                (
                    *(_cell(row, c) for c in PERSON_LIST_COLUMNS),
                    *(row.extra.get(k, "") for k in extra_columns),
                )
            )
