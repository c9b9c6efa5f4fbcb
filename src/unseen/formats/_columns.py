"""The person-list columns of FORMATS.md section 1 and the groups the readers treat alike."""

from __future__ import annotations

import re
import unicodedata

# FORMATS.md s1, in the order a written file uses.
PERSON_LIST_COLUMNS: tuple[str, ...] = (
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
)

NAME_COLUMNS: tuple[str, ...] = (
    "family_name",
    "given_name",
    "full_name",
    "name_hangul",
    "name_hanzi",
    "aliases",
)
DATE_COLUMNS: tuple[str, ...] = ("birth_date", "first_exit_date", "event_date")
PLACE_COLUMNS: tuple[str, ...] = ("origin_place", "china_place", "event_place")
VOCAB_COLUMNS: tuple[str, ...] = ("violation", "perpetrator_type")

DEFAULT_MAX_CHARS = 10_000
NOTES_MAX_CHARS = 100_000
DEFAULT_MAX_ROWS = 2_000_000

_SEPARATORS = re.compile(r"[\s_]+")


def column_key(header: str) -> str:
    """Compare headers loosely: `Record ID`, `record_id` and ` RECORD_ID ` are one column."""
    text = unicodedata.normalize("NFC", header).strip().casefold()
    return _SEPARATORS.sub("_", text)


OUR_COLUMN_KEYS: frozenset[str] = frozenset(PERSON_LIST_COLUMNS)
