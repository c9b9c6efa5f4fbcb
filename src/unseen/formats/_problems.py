"""Bilingual problem texts (English / Korean) for everything a reader can reject.

Messages name the file, row and column and never the value of an identity column. ``echo`` is
only called for code columns (sex, violation, perpetrator_type), and truncates what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from unseen.errors import InputError, Problem

Pair = tuple[str, str]  # (English, Korean)

SAVE_AS_UTF8_EN = "save it as 'CSV UTF-8 (Comma delimited)' and try again"
SAVE_AS_UTF8_KO = "'CSV UTF-8(쉼표로 분리)' 형식으로 다시 저장한 뒤 시도하세요"

# key -> (reason, fix) for problems whose text does not depend on the file.
FIXED: dict[str, tuple[Pair, Pair]] = {
    "empty_file": (
        ("the file is empty", "파일이 비어 있습니다"),
        ("export the list again", "명단을 다시 내보내세요"),
    ),
    "empty_header": (
        ("the first row (the header) is empty", "첫 행(머리글)이 비어 있습니다"),
        ("put the column names in row 1", "1행에 열 이름을 쓰세요"),
    ),
    "header_only": (
        ("the file has a header but no records", "머리글만 있고 레코드가 없습니다"),
        ("add the records below the header", "머리글 아래에 레코드를 추가하세요"),
    ),
    "header_control": (
        ("a column name contains a control character", "열 이름에 제어 문자가 있습니다"),
        ("retype the column name", "열 이름을 다시 입력하세요"),
    ),
    "missing_record_id": (
        ("required column record_id is missing", "필수 열 record_id가 없습니다"),
        (
            "add a record_id column with a unique id per row, or map yours to it",
            "행마다 고유한 번호가 있는 record_id 열을 추가하거나 기존 열을 연결하세요",
        ),
    ),
    "missing_list": (
        ("required column list is missing", "필수 열 list가 없습니다"),
        (
            "add a list column, or give the list name (--list NAME, or 'list:' in a mapping)",
            "list 열을 추가하거나 명단 이름을 지정하세요(--list 이름, 또는 매핑의 'list:')",
        ),
    ),
    "missing_name": (
        (
            "no name column: need at least one of family_name, given_name, full_name, "
            "name_hangul, name_hanzi, aliases",
            "이름 열이 없습니다. family_name, given_name, full_name, name_hangul, name_hanzi, "
            "aliases 중 하나 이상이 필요합니다",
        ),
        ("add or map a name column", "이름 열을 추가하거나 연결하세요"),
    ),
    "unnamed_value": (
        (
            "a value in a column with no name in the header",
            "머리글에 이름이 없는 열에 값이 있습니다",
        ),
        (
            "name the column in row 1 (and map or keep it), or delete the column",
            "1행에 열 이름을 쓰고 연결하거나 보존하세요. 아니면 열을 지우세요",
        ),
    ),
    "empty_record_id": (
        ("record_id is empty", "record_id가 비어 있습니다"),
        ("give every row a unique record_id", "모든 행에 고유한 record_id를 쓰세요"),
    ),
    "empty_list": (
        ("list is empty", "list가 비어 있습니다"),
        (
            "fill in the list, or give a default list name (--list NAME)",
            "list를 채우거나 기본 명단 이름을 지정하세요(--list 이름)",
        ),
    ),
    "no_name": (
        ("the row has no name at all", "행에 이름이 전혀 없습니다"),
        (
            "fill in at least one name column (full_name, family_name, ...)",
            "이름 열(full_name, family_name 등)을 하나 이상 채우세요",
        ),
    ),
    "several": (
        (
            "several values separated by '|'; this column takes one",
            "'|'로 구분된 값이 여러 개입니다. 이 열에는 하나만 쓸 수 있습니다",
        ),
        (
            "keep one value, or keep the column as an attribute ('keep:')",
            "값을 하나만 남기거나 열을 속성으로 보존하세요('keep:')",
        ),
    ),
    "geolocation": (
        (
            "coordinates outside latitude -90..90 / longitude -180..180",
            "좌표가 위도 -90..90 / 경도 -180..180 범위를 벗어났습니다",
        ),
        ("write latitude|longitude in decimal degrees", "위도|경도를 십진수 도 단위로 쓰세요"),
    ),
    "mother_self": (
        (
            "mother_record_id points to the record itself",
            "mother_record_id가 자기 자신을 가리킵니다",
        ),
        ("give the record_id of the mother's own row", "어머니 행의 record_id를 쓰세요"),
    ),
    "mother_missing": (
        (
            "mother_record_id is not a record_id in this file",
            "mother_record_id가 이 파일의 record_id가 아닙니다",
        ),
        ("the mother must be a record in the same file", "어머니는 같은 파일의 레코드여야 합니다"),
    ),
    "date": (
        ("date not understood", "날짜를 이해할 수 없습니다"),
        ("", ""),  # the domain parser's message says why and lists the accepted forms
    ),
}

UNKNOWN_COLUMNS_FIX: Pair = (
    "map each to a person-list column ('columns:') or keep it as an attribute ('keep:') in a "
    "column-mapping file, or delete it",
    "열 매핑 파일에서 명단 열에 연결(columns:)하거나 속성으로 보존(keep:)하거나, 열을 지우세요",
)
SEX_FIX: Pair = (
    "use F, M or X (여/남, female/male also work), or map your values under 'values: {sex: ...}'",
    "F, M, X를 쓰세요(여/남도 가능). 다른 값은 매핑의 'values: {sex: ...}'에 연결하세요",
)
CONTROL_FIX: Pair = (
    "remove it: only tabs and line breaks are allowed",
    "지우세요. 탭과 줄바꿈만 쓸 수 있습니다",
)
LONG_FIX: Pair = ("shorten it, or move long text to notes", "줄이거나 긴 글은 notes로 옮기세요")
WIDE_FIX: Pair = (
    "check for a stray comma, or give the extra column a name in row 1",
    "잘못 들어간 쉼표가 없는지 확인하거나 추가 열의 이름을 1행에 쓰세요",
)
TOO_MANY_FIX: Pair = ("split the file into smaller files", "파일을 작게 나누세요")


def both(en: str, ko: str) -> str:
    return f"{en} / {ko}" if en else ""


def problem(
    file: str, row: int | None, column: str | None, reason: Pair, fix: Pair = ("", "")
) -> Problem:
    return Problem(file, row, column, both(*reason), both(*fix))


def fixed(file: str, row: int | None, column: str | None, key: str) -> Problem:
    reason, fix = FIXED[key]
    return problem(file, row, column, reason, fix)


def input_error(file: str, en: str, ko: str, fix_en: str, fix_ko: str) -> InputError:
    return InputError(f"{file}: {en} ({fix_en}) / {ko} ({fix_ko})")


def echo(value: str, limit: int = 40) -> str:
    """A code value, safe to show: control characters escaped, cut to ``limit`` characters."""
    shown = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in value[:limit])
    return repr(shown + ("…" if len(value) > limit else ""))


def quoted_list(names: Sequence[str]) -> str:
    return ", ".join(echo(n, 60) for n in names)


def with_commas(n: int) -> str:
    return f"{n:,}"
