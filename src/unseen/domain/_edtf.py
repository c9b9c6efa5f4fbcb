"""Reader for the EDTF (ISO 8601-2) level 0/1 forms of FORMATS.md section 4.

``read_edtf`` returns None when the text does not have an EDTF shape (so the free-text reader
may try), and raises when it does but names no real date (``2010-02-30``, month 13).
``?`` (uncertain) and ``%`` (uncertain and approximate) are read like ``~``: unseen keeps one
"approximate" flag, so canonical output always writes ``~``.
"""

from __future__ import annotations

import re
from datetime import date

from unseen.domain._calendar import SEASON_START_MONTH, Precision, Season, unit_bounds
from unseen.domain._date_errors import date_not_understood
from unseen.domain._fuzzy_date import FuzzyDate

_FLAGS = re.ASCII
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", _FLAGS)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})(?:-XX)?", _FLAGS)
_YEAR = re.compile(r"([0-9]{4})(?:-XX(?:-XX)?)?", _FLAGS)
_DECADE = re.compile(r"([0-9]{3})X", _FLAGS)
_CENTURY = re.compile(r"([0-9]{2})XX", _FLAGS)
_OPEN = ("", "..")

Unit = tuple[Precision, date, bool]


def _calendar_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise date_not_understood("calendar") from None


def read_edtf_unit(text: str) -> Unit | None:
    """(precision, anchor, approximate) of one EDTF date such as ``2010-03~``, or None."""
    approximate = text[-1:] in ("~", "?", "%")
    body = (text[:-1] if approximate else text).upper()
    if m := _DAY.fullmatch(body):
        y, mo, d = (int(g) for g in m.groups())
        return Precision.DAY, _calendar_date(y, mo, d), approximate
    if m := _MONTH.fullmatch(body):
        y, mo = int(m[1]), int(m[2])
        if 21 <= mo <= 24 and not body.endswith("XX"):
            start = _calendar_date(y, SEASON_START_MONTH[Season(mo)], 1)
            return Precision.SEASON, start, approximate
        return Precision.MONTH, _calendar_date(y, mo, 1), approximate
    if m := _YEAR.fullmatch(body):
        return Precision.YEAR, _calendar_date(int(m[1]), 1, 1), approximate
    if m := _DECADE.fullmatch(body):
        return Precision.DECADE, _calendar_date(int(m[1]) * 10, 1, 1), approximate
    if m := _CENTURY.fullmatch(body):
        return Precision.CENTURY, _calendar_date(int(m[1]) * 100, 1, 1), approximate
    return None


def unit_range(unit: Unit) -> tuple[date, date]:
    precision, anchor, approximate = unit
    try:
        return unit_bounds(precision, anchor, approximate)
    except (ValueError, OverflowError):
        raise date_not_understood("range") from None


def read_edtf(text: str) -> FuzzyDate | None:
    """A FuzzyDate for EDTF ``text`` (already stripped), or None if it is not EDTF."""
    if text.upper() in ("XXXX", "../..", "/.."):
        return FuzzyDate.unknown()
    if "/" in text:
        left, _, right = text.partition("/")
        if "/" in right:
            return None
        return _interval(left, right)
    if text.startswith("..") and len(text) > 2:
        return _interval("..", text[2:])
    if text.endswith("..") and len(text) > 2:
        return _interval(text[:-2], "..")
    unit = read_edtf_unit(text)
    if unit is None:
        return None
    precision, anchor, approximate = unit
    unit_range(unit)  # range check before building
    return FuzzyDate.from_unit(precision, anchor, approximate=approximate)


def _interval(left: str, right: str) -> FuzzyDate | None:
    start = None if left in _OPEN else read_edtf_unit(left)
    end = None if right in _OPEN else read_edtf_unit(right)
    if (start is None and left not in _OPEN) or (end is None and right not in _OPEN):
        return None
    if start is None:
        return FuzzyDate.unknown() if end is None else FuzzyDate.on_or_before(unit_range(end)[1])
    if end is None:
        return FuzzyDate.on_or_after(unit_range(start)[0])
    earliest, latest = unit_range(start)[0], unit_range(end)[1]
    if earliest > latest:
        raise date_not_understood("order")
    return FuzzyDate.between(earliest, latest)
