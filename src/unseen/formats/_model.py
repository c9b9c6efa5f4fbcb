"""Frozen values the person-list readers return.

Identity fields (names, aliases, birth date, notes, kept extra columns) are left out of every
repr, so a row can be logged or shown in a traceback without revealing who it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from unseen.domain.dates import FuzzyDate

from ._columns import DEFAULT_MAX_CHARS, DEFAULT_MAX_ROWS, NOTES_MAX_CHARS

EMPTY_EXTRA: Mapping[str, str] = MappingProxyType({})


def _no_extra() -> Mapping[str, str]:
    return EMPTY_EXTRA


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One record of a person list (FORMATS.md s1); ``row`` is the spreadsheet row (header = 1)."""

    record_id: str
    list: str
    family_name: str | None = field(default=None, repr=False)
    given_name: str | None = field(default=None, repr=False)
    full_name: str | None = field(default=None, repr=False)
    name_hangul: str | None = field(default=None, repr=False)
    name_hanzi: str | None = field(default=None, repr=False)
    aliases: tuple[str, ...] = field(default=(), repr=False)
    sex: str | None = None
    birth_date: FuzzyDate | None = field(default=None, repr=False)
    origin_place: str | None = field(default=None, repr=False)
    china_place: str | None = field(default=None, repr=False)
    first_exit_date: FuzzyDate | None = None
    event_date: FuzzyDate | None = None
    event_place: str | None = field(default=None, repr=False)
    violation: str | None = None
    perpetrator_type: str | None = None
    mother_record_id: str | None = None
    notes: str | None = field(default=None, repr=False)
    extra: Mapping[str, str] = field(default_factory=_no_extra, repr=False)
    row: int = 0


@dataclass(frozen=True, slots=True)
class DateFormUse:
    """One free-text date the reader understood, and in how many cells, for the documenter
    to check: "understood '2010년 봄' as spring 2010 (12 cells)".

    ``example`` is the text from the file (it may be a birth date); it and its readings stay out
    of the repr.
    ``form`` is :attr:`unseen.domain.dates.ParsedDate.form` (numeric, english, korean).
    """

    form: str
    count: int
    understood_as: str = field(repr=False)
    understood_as_ko: str = field(repr=False)
    example: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class PersonList:
    """A whole, valid person list: every row passed validation."""

    file: Path
    list_names: tuple[str, ...]
    rows: tuple[PersonRow, ...]
    date_forms: Mapping[str, int]  # ParsedDate.form -> number of date cells in that form
    date_form_uses: tuple[DateFormUse, ...] = ()
    format: str = "csv"

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Bounds that protect the reader from absurd or hostile files.

    A CSV cell longer than Python's csv field limit (131,072 characters unless the application
    raised it) is reported as too long whatever ``max_chars`` says.
    """

    max_rows: int = DEFAULT_MAX_ROWS
    max_chars: int = DEFAULT_MAX_CHARS
    max_notes_chars: int = NOTES_MAX_CHARS
    # Sum of the uncompressed sizes of an XLSX's parts: refuses zip bombs before parsing.
    max_xlsx_bytes: int = 1 << 30
