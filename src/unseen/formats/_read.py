"""``read_person_list``: pick the reader for a file, decode it, validate every row."""

from __future__ import annotations

from pathlib import Path

from unseen.errors import ConfigError, InputError, Problem

from . import _uwazi
from ._columns import column_key
from ._mapping import FORMATS, ColumnMapping
from ._model import PersonList, ReadLimits
from ._problems import both
from ._read_csv import read_csv_table
from ._read_json import read_json_table
from ._read_xlsx import read_xlsx_table
from ._table import RawTable
from ._validate import build_person_list

_BY_SUFFIX = {".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json"}
_RESAVE = {
    ".xls": "the old Excel format (.xls)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".numbers": "a Numbers spreadsheet",
    ".tsv": "tab-separated text",
    ".txt": "plain text",
}


def _format_of(path: Path, name: str, requested: str | None) -> str:
    if requested is not None:
        if requested not in FORMATS:
            raise ConfigError(
                both(
                    f"unknown format {requested!r}; use one of " + ", ".join(FORMATS),
                    f"알 수 없는 형식 {requested!r}. 다음 중 하나: " + ", ".join(FORMATS),
                )
            )
        return requested
    suffix = path.suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    what = _RESAVE.get(suffix, f"a '{suffix or '(no extension)'}' file")
    raise InputError(
        f"{name}: "
        + both(
            f"is {what}, which cannot be read: save it as .xlsx or 'CSV UTF-8 (.csv)', "
            "or export .json",
            "읽을 수 없는 파일 형식입니다. .xlsx나 'CSV UTF-8(.csv)'로 저장하거나 "
            ".json으로 내보내세요",
        )
    )


def read_person_list(
    path: str | Path,
    *,
    list_name: str | None = None,
    mapping: ColumnMapping | str | Path | None = None,
    format: str | None = None,
    limits: ReadLimits | None = None,
) -> PersonList:
    """Read and validate a person list (FORMATS.md s1) from CSV, XLSX, JSON or an Uwazi CSV.

    Every problem in the file is collected and raised together as
    :class:`~unseen.errors.ValidationFailed`; a file that cannot be read at all raises
    :class:`~unseen.errors.InputError`. Nothing partial is ever returned.
    """
    path = Path(path)
    name = path.name or str(path)
    if isinstance(mapping, ColumnMapping):
        rules = mapping
    else:
        rules = ColumnMapping() if mapping is None else ColumnMapping.from_file(mapping)
    limits = limits or ReadLimits()
    if not path.exists():
        raise InputError(
            f"{name}: "
            + both("file not found; check the path", "파일을 찾을 수 없습니다. 경로를 확인하세요")
        )
    if path.is_dir():
        raise InputError(
            f"{name}: "
            + both(
                "is a folder, not a file; give the list's file",
                "파일이 아니라 폴더입니다. 명단 파일을 지정하세요",
            )
        )
    kind = _format_of(path, name, format or rules.format)
    problems: list[Problem] = []
    table: RawTable
    uwazi = False
    if kind == "xlsx":
        table = read_xlsx_table(path, name, sheet=rules.sheet, max_bytes=limits.max_xlsx_bytes)
    elif kind == "json":

        def is_list_column(header: str) -> bool:
            return (rules.target(header) or column_key(header)) == "aliases"

        table = read_json_table(path, name, problems, is_list_column)
    else:
        table = read_csv_table(path, name, problems)
        uwazi = kind == "uwazi" or (
            format is None
            and rules.format is None
            and table.header is not None
            and _uwazi.looks_like_uwazi(table.header)
        )
        if uwazi:
            rules = rules.with_defaults(_uwazi.default_mapping())
    try:
        return build_person_list(
            table,
            path,
            mapping=rules,
            list_name=list_name,
            limits=limits,
            uwazi=uwazi,
            problems=problems,
        )
    finally:
        table.close()
