"""Calendar arithmetic for fuzzy dates: units (day ... century), their bounds and EDTF endpoints.

A *unit* is one day, month, season, year, decade or century, identified by the date it starts
on (its anchor). Everything here is total over ``date.min .. date.max`` or raises ``ValueError``
/ ``OverflowError``, which the public layer turns into :class:`ValueNotUnderstood`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import IntEnum, StrEnum


class Precision(StrEnum):
    """How precisely a fuzzy date is known.

    ``century`` (EDTF ``19XX``) is an addition to the contract's list. Lower-case aliases
    (``Precision.year``) are the contract's spelling; both spellings name the same member.
    """

    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    INTERVAL = "interval"
    BEFORE = "before"
    AFTER = "after"
    UNKNOWN = "unknown"
    day = "day"
    month = "month"
    season = "season"
    year = "year"
    decade = "decade"
    century = "century"
    interval = "interval"
    before = "before"
    after = "after"
    unknown = "unknown"


class Season(IntEnum):
    """EDTF level-1 season codes, northern hemisphere (Korea and China)."""

    SPRING = 21  # March - May
    SUMMER = 22  # June - August
    AUTUMN = 23  # September - November
    WINTER = 24  # December of the year - February of the next


SEASON_START_MONTH = {Season.SPRING: 3, Season.SUMMER: 6, Season.AUTUMN: 9, Season.WINTER: 12}
SEASON_OF_START_MONTH = {m: s for s, m in SEASON_START_MONTH.items()}

#: Precisions that are one whole calendar unit (and so can be "about").
UNIT_PRECISIONS = frozenset(
    {
        Precision.DAY,
        Precision.MONTH,
        Precision.SEASON,
        Precision.YEAR,
        Precision.DECADE,
        Precision.CENTURY,
    }
)


def add_months(first_of_month: date, n: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + n
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, 1)


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def end_of_month(d: date) -> date:
    return date(d.year, d.month, last_day_of_month(d.year, d.month))


def is_unit_start(precision: Precision, d: date) -> bool:
    """Whether ``d`` is the first day of a unit of ``precision``."""
    if precision is Precision.DAY:
        return True
    if d.day != 1:
        return False
    if precision is Precision.MONTH:
        return True
    if precision is Precision.SEASON:
        return d.month in SEASON_OF_START_MONTH
    if d.month != 1:
        return False
    if precision is Precision.YEAR:
        return True
    if precision is Precision.DECADE:
        return d.year % 10 == 0
    if precision is Precision.CENTURY:
        return d.year % 100 == 0
    raise ValueError("not a unit precision")


def shift_unit(precision: Precision, start: date, n: int) -> date:
    """Anchor of the unit ``n`` units after (``n < 0``: before) the one starting at ``start``."""
    if precision is Precision.DAY:
        return start + timedelta(days=n)
    if precision is Precision.MONTH:
        return add_months(start, n)
    if precision is Precision.SEASON:
        return add_months(start, 3 * n)
    step = {Precision.YEAR: 1, Precision.DECADE: 10, Precision.CENTURY: 100}[precision]
    return date(start.year + step * n, 1, 1)


def unit_end(precision: Precision, start: date) -> date:
    """The last day of the unit starting at ``start`` (computed directly: no overflow at 9999)."""
    if precision is Precision.DAY:
        return start
    if precision is Precision.MONTH:
        return end_of_month(start)
    if precision is Precision.SEASON:
        return end_of_month(add_months(start, 2))
    span = {Precision.YEAR: 0, Precision.DECADE: 9, Precision.CENTURY: 99}[precision]
    return date(start.year + span, 12, 31)


def unit_bounds(precision: Precision, start: date, approximate: bool) -> tuple[date, date]:
    """(earliest, latest) of a unit; "about" widens it by one unit on each side."""
    if not approximate:
        return start, unit_end(precision, start)
    return shift_unit(precision, start, -1), unit_end(precision, shift_unit(precision, start, 1))


def edtf_start(d: date) -> str:
    """The shortest EDTF text whose first day is ``d``."""
    if d.month == 1 and d.day == 1:
        return f"{d.year:04d}"
    if d.day == 1:
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def edtf_end(d: date) -> str:
    """The shortest EDTF text whose last day is ``d``."""
    if d.month == 12 and d.day == 31:
        return f"{d.year:04d}"
    if d.day == last_day_of_month(d.year, d.month):
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def edtf_interval(start: date, end: date) -> str:
    """``start/end`` with both ends at the same, coarsest exact precision (2010-01/2010-04)."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year:04d}/{end.year:04d}"
    if start.day == 1 and end.day == last_day_of_month(end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}/{end.year:04d}-{end.month:02d}"
    return f"{start.isoformat()}/{end.isoformat()}"
