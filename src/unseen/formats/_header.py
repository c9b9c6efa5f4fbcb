"""Match a file's header against our columns, a mapping's and Uwazi's conventions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from unseen.errors import Problem

from . import _uwazi
from ._columns import NAME_COLUMNS, OUR_COLUMN_KEYS, column_key
from ._mapping import ColumnMapping
from ._problems import UNKNOWN_COLUMNS_FIX, echo, fixed, problem, quoted_list

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class ColumnPlan:
    """Where each of our columns and each kept column sits in the file."""

    width: int
    slots: list[tuple[int, str]] = field(default_factory=list)  # (index, our column)
    extras: list[tuple[int, str]] = field(default_factory=list)  # (index, their header)
    unnamed: list[int] = field(default_factory=list)
    ours: set[str] = field(default_factory=set)
    # How problems name our columns: their header, with ours in brackets when it differs.
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, column: str | None) -> str | None:
        return None if column is None else self.labels.get(column, column)


def clean_header(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\ufeff", "")).strip()


def plan_columns(
    header: list[str],
    mapping: ColumnMapping,
    *,
    uwazi: bool,
    has_default_list: bool,
    file: str,
    problems: list[Problem],
) -> ColumnPlan:
    cleaned = [clean_header(h) for h in header]
    names = _uwazi.resolve_languages(cleaned, mapping) if uwazi else list[str | None](cleaned)
    plan = ColumnPlan(width=len(header))
    seen: dict[str, str] = {}
    target_of: dict[str, str] = {}
    unknown: list[str] = []
    for index, name in enumerate(names):
        if name is None:
            continue  # another language version of an Uwazi property
        if not name:
            plan.unnamed.append(index)
            continue
        if CONTROL.search(name):
            problems.append(fixed(file, 1, f"#{index + 1}", "header_control"))
            continue
        key = column_key(name)
        if key in seen:
            other = echo(seen[key], 60)
            problems.append(
                problem(
                    file,
                    1,
                    name,
                    (
                        f"the column appears twice (also as {other})",
                        f"같은 열이 두 번 있습니다({other})",
                    ),
                    ("delete or rename one of them", "하나를 지우거나 이름을 바꾸세요"),
                )
            )
            continue
        seen[key] = name
        ours = mapping.target(name) or (key if key in OUR_COLUMN_KEYS else None)
        if ours is not None:
            if ours in target_of:
                other = echo(target_of[ours], 60)
                problems.append(
                    problem(
                        file,
                        1,
                        name,
                        (
                            f"both {other} and this column give {ours}",
                            f"{other} 열과 이 열이 모두 {ours}입니다",
                        ),
                        (
                            "keep one of them, or map one to another column",
                            "하나만 남기거나 다른 열에 연결하세요",
                        ),
                    )
                )
                continue
            target_of[ours] = name
            plan.slots.append((index, ours))
            plan.ours.add(ours)
            plan.labels[ours] = ours if key == ours else f"{name} ({ours})"
        elif mapping.keeps(name):
            plan.extras.append((index, name))
        elif not mapping.ignores(name):
            unknown.append(name)
    if unknown:
        listed = quoted_list(unknown)
        problems.append(
            problem(
                file,
                1,
                None,
                (f"unknown columns: {listed}", f"알 수 없는 열: {listed}"),
                UNKNOWN_COLUMNS_FIX,
            )
        )
    _require(
        plan,
        has_default_list,
        file,
        problems,
        lone_cell=len(header) == 1 and any(sep in header[0] for sep in ";\t"),
    )
    return plan


def _require(
    plan: ColumnPlan, has_default_list: bool, file: str, problems: list[Problem], *, lone_cell: bool
) -> None:
    if "record_id" not in plan.ours:
        found = fixed(file, 1, "record_id", "missing_record_id")
        if lone_cell:  # one column holding ';' or tabs: the file uses another separator
            found = problem(
                file,
                1,
                "record_id",
                (
                    "required column record_id is missing, and the file seems not to be separated "
                    "by commas",
                    "필수 열 record_id가 없고, 파일이 쉼표로 구분되지 않은 것 같습니다",
                ),
                (
                    "save it as 'CSV UTF-8 (Comma delimited)'",
                    "'CSV UTF-8(쉼표로 분리)'로 저장하세요",
                ),
            )
        problems.append(found)
    if "list" not in plan.ours and not has_default_list:
        problems.append(fixed(file, 1, "list", "missing_list"))
    if not plan.ours.intersection(NAME_COLUMNS):
        problems.append(fixed(file, 1, None, "missing_name"))
