"""Fuzzy dates: what testimonies say about *when* ("spring 2010", "1985년경", "late 2000s").

A :class:`FuzzyDate` is stored as (earliest, latest, precision, approximate) and written as EDTF
(ISO 8601-2) text. :func:`parse_fuzzy_date` reads the EDTF forms of FORMATS.md section 4 and
common Korean and English free text, and says which form it understood, so a documenter can
check the reading before it is saved.

Seasons are northern-hemisphere (Korea and China): spring = March-May (EDTF ``-21``), summer =
June-August (``-22``), autumn = September-November (``-23``), winter = December of the year to
February of the next (``-24``). "About" widens a unit by one unit on each side: "about 1985"
(``1985~``) is 1984-01-01 .. 1986-12-31 with ``precision=year, approximate=True``. EDTF ``?``
and ``%`` are read like ``~``.
"""

from __future__ import annotations

from dataclasses import dataclass as _dataclass

from unseen.domain._calendar import Precision, Season
from unseen.domain._date_errors import ACCEPTED_FORMS_EN, ACCEPTED_FORMS_KO
from unseen.domain._date_errors import date_not_understood as _not_understood
from unseen.domain._date_phrases import describe as _describe
from unseen.domain._date_text import MAX_LENGTH
from unseen.domain._date_text import read_text as _read_text
from unseen.domain._edtf import read_edtf as _read_edtf
from unseen.domain._fuzzy_date import FuzzyDate

__all__ = [
    "ACCEPTED_FORMS_EN",
    "ACCEPTED_FORMS_KO",
    "FORMS",
    "MAX_LENGTH",
    "FuzzyDate",
    "ParsedDate",
    "Precision",
    "Season",
    "describe_date",
    "parse_fuzzy_date",
    "parse_optional_fuzzy_date",
]

#: Values of :attr:`ParsedDate.form`.
FORMS = ("edtf", "numeric", "english", "korean", "chinese")


@_dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as read, with the reader's account of it.

    ``form`` is ``edtf`` (ISO 8601-2 text), ``numeric`` (``2010.03.15``, ``3/2010``),
    ``english``, ``korean`` or ``chinese`` (free text with words of that language).
    ``understood_as`` and ``understood_as_ko`` describe the value, e.g.
    "about 1985 (1984 to 1986)" / "1985년경(1984년–1986년)".
    """

    value: FuzzyDate
    form: str
    understood_as: str
    understood_as_ko: str


def describe_date(value: FuzzyDate, language: str = "en") -> str:
    """A short phrase for ``value`` in English (``en``) or Korean (``ko``)."""
    return _describe(value, language)


def parse_fuzzy_date(text: str) -> ParsedDate:
    """Read one date. Raises :class:`~unseen.errors.ValueNotUnderstood` (message lists the
    accepted forms, never the text) when it is empty, not a known form, or not a real date."""
    if not isinstance(text, str) or not text.strip():
        raise _not_understood("empty")
    stripped = text.strip()
    if len(stripped) > MAX_LENGTH:
        raise _not_understood("long")
    try:
        value = _read_edtf(stripped)
        form = "edtf"
        if value is None:
            value = _read_text(stripped)
            form = _text_form(stripped)
    except (ValueError, OverflowError):  # date arithmetic at the ends of the calendar
        raise _not_understood("range") from None
    if value is None:
        raise _not_understood("form")
    return ParsedDate(value, form, _describe(value, "en"), _describe(value, "ko"))


def parse_optional_fuzzy_date(text: str | None) -> ParsedDate | None:
    """Like :func:`parse_fuzzy_date`, but empty or blank text (a missing value) gives None."""
    if text is None or not text.strip():
        return None
    return parse_fuzzy_date(text)


def _text_form(text: str) -> str:
    if any("\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e" for ch in text):
        return "korean"
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "chinese"
    if any(ch.isalpha() for ch in text):
        return "english"
    return "numeric"
