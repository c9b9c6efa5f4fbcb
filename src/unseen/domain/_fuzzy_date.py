"""The FuzzyDate value: a date known to lie between two days, and how precisely it is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from unseen.domain._calendar import (
    SEASON_OF_START_MONTH,
    SEASON_START_MONTH,
    UNIT_PRECISIONS,
    Precision,
    Season,
    edtf_end,
    edtf_interval,
    edtf_start,
    is_unit_start,
    shift_unit,
    unit_bounds,
)
from unseen.domain._date_errors import date_not_understood
from unseen.errors import ValueNotUnderstood

# Messages here never contain the dates themselves: a birth date is identity data.
_BAD_PARTS = (
    "fuzzy date parts do not agree: {why} / 모호한 날짜의 구성 요소가 서로 맞지 않습니다: {why_ko}"
)


def _bad(why: str, why_ko: str) -> ValueNotUnderstood:
    return ValueNotUnderstood(_BAD_PARTS.format(why=why, why_ko=why_ko))


def _out_of_range() -> ValueNotUnderstood:
    return date_not_understood("range")


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date known to lie in ``earliest .. latest`` (both inclusive).

    * unit precisions (day, month, season, year, decade, century): ``earliest`` and ``latest``
      are the first and last day of that unit; when ``approximate`` the range is widened by one
      unit on each side ("about 1985" = 1984-01-01 .. 1986-12-31);
    * ``interval``: any range; ``before``: ``earliest`` is None (on or before ``latest``);
      ``after``: ``latest`` is None (on or after ``earliest``); ``unknown``: both None.
      These are never ``approximate``: an approximate endpoint is widened into the range.

    Build values with the ``from_*`` / ``between`` / ``on_or_*`` constructors or
    :func:`unseen.domain.dates.parse_fuzzy_date`; the constructor checks that the parts agree.
    """

    earliest: date | None
    latest: date | None
    precision: Precision
    approximate: bool = False

    def __post_init__(self) -> None:
        try:
            precision = Precision(self.precision)
        except ValueError:
            raise _bad("unknown precision", "알 수 없는 정밀도") from None
        object.__setattr__(self, "precision", precision)
        for value in (self.earliest, self.latest):
            if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
                raise _bad("earliest and latest must be dates", "시작과 끝은 날짜여야 합니다")
        if not isinstance(self.approximate, bool):
            raise _bad("approximate must be true or false", "approximate는 참/거짓이어야 합니다")
        self._check(precision)

    def _check(self, precision: Precision) -> None:
        e, lt = self.earliest, self.latest
        if precision in UNIT_PRECISIONS:
            if e is None or lt is None:
                raise _bad(
                    "a unit date needs both ends", "단위 날짜에는 시작과 끝이 모두 필요합니다"
                )
            try:
                anchor = shift_unit(precision, e, 1) if self.approximate else e
                ok = is_unit_start(precision, anchor) and unit_bounds(
                    precision, anchor, self.approximate
                ) == (e, lt)
            except (ValueError, OverflowError):
                ok = False
            if not ok:
                raise _bad(
                    f"the range is not one whole {precision.value}",
                    "범위가 정밀도 단위와 맞지 않습니다",
                )
            return
        if self.approximate:
            raise _bad(
                "only a day, month, season, year, decade or century can be approximate",
                "일·월·계절·연·10년·100년 단위만 '경'으로 표시할 수 있습니다",
            )
        needs = {
            Precision.INTERVAL: (True, True),
            Precision.BEFORE: (False, True),
            Precision.AFTER: (True, False),
            Precision.UNKNOWN: (False, False),
        }[precision]
        if (e is not None, lt is not None) != needs:
            raise _bad(f"wrong open ends for {precision.value}", "열린 끝이 정밀도와 맞지 않습니다")
        if e is not None and lt is not None and e > lt:
            raise _bad("the range ends before it starts", "범위의 끝이 시작보다 앞섭니다")

    # -- constructors ------------------------------------------------------------------------

    @classmethod
    def from_unit(
        cls, precision: Precision, start: date, *, approximate: bool = False
    ) -> FuzzyDate:
        """The unit of ``precision`` starting on ``start`` (which must be a unit start)."""
        precision = Precision(precision)
        if precision not in UNIT_PRECISIONS or not is_unit_start(precision, start):
            raise _bad("not the start of a unit", "단위의 시작일이 아닙니다")
        try:
            earliest, latest = unit_bounds(precision, start, approximate)
        except (ValueError, OverflowError):
            raise _out_of_range() from None
        return cls(earliest, latest, precision, approximate)

    @classmethod
    def from_day(cls, year: int, month: int, day: int, *, approximate: bool = False) -> FuzzyDate:
        return cls.from_unit(Precision.DAY, _date(year, month, day), approximate=approximate)

    @classmethod
    def from_month(cls, year: int, month: int, *, approximate: bool = False) -> FuzzyDate:
        return cls.from_unit(Precision.MONTH, _date(year, month, 1), approximate=approximate)

    @classmethod
    def from_season(cls, year: int, season: int, *, approximate: bool = False) -> FuzzyDate:
        """``season`` is an EDTF code 21-24 (:class:`Season`); winter starts in December."""
        try:
            code = Season(season)
        except ValueError:
            raise _bad("season must be 21-24", "계절 코드는 21-24입니다") from None
        start = _date(year, SEASON_START_MONTH[code], 1)
        return cls.from_unit(Precision.SEASON, start, approximate=approximate)

    @classmethod
    def from_year(cls, year: int, *, approximate: bool = False) -> FuzzyDate:
        return cls.from_unit(Precision.YEAR, _date(year, 1, 1), approximate=approximate)

    @classmethod
    def from_decade(cls, first_year: int, *, approximate: bool = False) -> FuzzyDate:
        """The decade starting in ``first_year`` (a multiple of 10: 2010 = 2010-2019)."""
        if first_year % 10:
            raise _bad(
                "a decade starts in a year ending in 0", "10년 단위는 0으로 끝나는 해에 시작합니다"
            )
        return cls.from_unit(Precision.DECADE, _date(first_year, 1, 1), approximate=approximate)

    @classmethod
    def from_century(cls, first_year: int, *, approximate: bool = False) -> FuzzyDate:
        """The hundred years starting in ``first_year`` (a multiple of 100: 1900 = 1900-1999)."""
        if first_year % 100:
            raise _bad(
                "a century starts in a year ending in 00",
                "100년 단위는 00으로 끝나는 해에 시작합니다",
            )
        return cls.from_unit(Precision.CENTURY, _date(first_year, 1, 1), approximate=approximate)

    @classmethod
    def between(cls, earliest: date, latest: date) -> FuzzyDate:
        return cls(earliest, latest, Precision.INTERVAL)

    @classmethod
    def on_or_before(cls, latest: date) -> FuzzyDate:
        return cls(None, latest, Precision.BEFORE)

    @classmethod
    def on_or_after(cls, earliest: date) -> FuzzyDate:
        return cls(earliest, None, Precision.AFTER)

    @classmethod
    def unknown(cls) -> FuzzyDate:
        return cls(None, None, Precision.UNKNOWN)

    # -- reading -----------------------------------------------------------------------------

    @property
    def anchor(self) -> date | None:
        """First day of the unit itself (before widening); None unless a unit precision."""
        if self.precision not in UNIT_PRECISIONS or self.earliest is None:
            return None
        if self.approximate:
            return shift_unit(self.precision, self.earliest, 1)
        return self.earliest

    def to_edtf(self) -> str:
        """Canonical EDTF (ISO 8601-2) text; ``parse_fuzzy_date(d.to_edtf()).value == d``."""
        p, e, lt = self.precision, self.earliest, self.latest
        a = self.anchor
        if a is not None:
            if p is Precision.DAY:
                text = a.isoformat()
            elif p is Precision.MONTH:
                text = f"{a.year:04d}-{a.month:02d}"
            elif p is Precision.SEASON:
                text = f"{a.year:04d}-{int(SEASON_OF_START_MONTH[a.month])}"
            elif p is Precision.YEAR:
                text = f"{a.year:04d}"
            elif p is Precision.DECADE:
                text = f"{a.year // 10:03d}X"
            else:
                text = f"{a.year // 100:02d}XX"
            return text + ("~" if self.approximate else "")
        if p is Precision.INTERVAL and e is not None and lt is not None:
            return edtf_interval(e, lt)
        if p is Precision.BEFORE and lt is not None:
            return ".." + edtf_end(lt)
        if p is Precision.AFTER and e is not None:
            return edtf_start(e) + ".."
        return "XXXX"

    def __str__(self) -> str:
        return self.to_edtf()

    def overlaps(self, other: FuzzyDate) -> bool:
        """Whether both could be the same day. Open ends (and unknown) reach to the end of time."""
        lo_a, hi_a = self._bounds()
        lo_b, hi_b = other._bounds()
        return lo_a <= hi_b and lo_b <= hi_a

    def distance_days(self, other: FuzzyDate) -> int:
        """Days between the closest possible days: 0 when they overlap, else the gap (>= 1)."""
        lo_a, hi_a = self._bounds()
        lo_b, hi_b = other._bounds()
        if lo_a <= hi_b and lo_b <= hi_a:
            return 0
        if hi_a < lo_b:
            return (lo_b - hi_a).days
        return (lo_a - hi_b).days

    def contains(self, day: date) -> bool:
        lo, hi = self._bounds()
        return lo <= day <= hi

    def year_range(self) -> tuple[int | None, int | None]:
        """(earliest year, latest year); None for an open end."""
        return (
            None if self.earliest is None else self.earliest.year,
            None if self.latest is None else self.latest.year,
        )

    def _bounds(self) -> tuple[date, date]:
        return (self.earliest or date.min, self.latest or date.max)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError, TypeError):
        raise date_not_understood("calendar") from None
