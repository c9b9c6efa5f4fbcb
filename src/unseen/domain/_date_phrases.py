"""Short English and Korean phrases saying what a fuzzy date means, for the documenter to check."""

from __future__ import annotations

from datetime import date

from unseen.domain._calendar import (
    SEASON_OF_START_MONTH,
    Precision,
    Season,
    add_months,
    last_day_of_month,
)
from unseen.domain._fuzzy_date import FuzzyDate

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_SEASON_EN = {Season.SPRING: "spring", Season.SUMMER: "summer", Season.AUTUMN: "autumn",
              Season.WINTER: "winter"}  # fmt: skip
_SEASON_KO = {Season.SPRING: "봄", Season.SUMMER: "여름", Season.AUTUMN: "가을",
              Season.WINTER: "겨울"}  # fmt: skip
_YEAR_PARTS = {  # (first month, last month) -> (English, Korean)
    (1, 4): ("early", "초"), (5, 8): ("mid", "중반"), (9, 12): ("late", "말"),
    (1, 6): ("first half of", "상반기"), (7, 12): ("second half of", "하반기"),
}  # fmt: skip
_DECADE_PARTS = {(0, 3): ("early", "초반"), (4, 6): ("mid", "중반"), (7, 9): ("late", "후반")}
_MONTH_PARTS = {1: ("early", "초순"), 11: ("mid", "중순"), 21: ("late", "하순")}


def describe(value: FuzzyDate, language: str = "en") -> str:
    """ "spring 2010 (March-May)" / "2010년 봄(3-5월)"; ``language`` is ``en`` or ``ko``."""
    ko = language == "ko"
    p, e, lt, a = value.precision, value.earliest, value.latest, value.anchor
    if a is not None and e is not None and lt is not None:
        unit = (
            _unit_ko(p, a, not value.approximate) if ko else _unit_en(p, a, not value.approximate)
        )
        if not value.approximate:
            return unit
        span = f"{_start_ko(e)}–{_end_ko(lt)}" if ko else f"{_start_en(e)} to {_end_en(lt)}"
        return f"{unit}경({span})" if ko else f"about {unit} ({span})"
    if p is Precision.INTERVAL and e is not None and lt is not None:
        return _interval(e, lt, ko)
    if p is Precision.BEFORE and lt is not None:
        return f"{_end_ko(lt)} 또는 그 이전" if ko else f"{_end_en(lt)} or earlier"
    if p is Precision.AFTER and e is not None:
        return f"{_start_ko(e)} 또는 그 이후" if ko else f"{_start_en(e)} or later"
    return "날짜 미상" if ko else "date unknown"


def _unit_en(p: Precision, a: date, detail: bool = True) -> str:
    if p is Precision.DAY:
        return f"{a.day} {MONTHS_EN[a.month - 1]} {a.year}"
    if p is Precision.MONTH:
        return f"{MONTHS_EN[a.month - 1]} {a.year}"
    if p is Precision.SEASON:
        season = SEASON_OF_START_MONTH[a.month]
        end = add_months(a, 2)
        if season is Season.WINTER:
            months = f"December {a.year} to February {end.year}"
        else:
            months = f"{MONTHS_EN[a.month - 1]} to {MONTHS_EN[end.month - 1]}"
        return (
            f"{_SEASON_EN[season]} {a.year} ({months})"
            if detail
            else f"{_SEASON_EN[season]} {a.year}"
        )
    if p is Precision.YEAR:
        return str(a.year)
    if p is Precision.DECADE:
        return f"the {a.year}s"
    return f"the years {a.year}–{a.year + 99}"


def _unit_ko(p: Precision, a: date, detail: bool = True) -> str:
    if p is Precision.DAY:
        return f"{a.year}년 {a.month}월 {a.day}일"
    if p is Precision.MONTH:
        return f"{a.year}년 {a.month}월"
    if p is Precision.SEASON:
        season = SEASON_OF_START_MONTH[a.month]
        end = add_months(a, 2)
        if season is Season.WINTER:
            months = f"{a.year}년 12월–{end.year}년 2월"
        else:
            months = f"{a.month}–{end.month}월"
        return (
            f"{a.year}년 {_SEASON_KO[season]}({months})"
            if detail
            else f"{a.year}년 {_SEASON_KO[season]}"
        )
    if p is Precision.YEAR:
        return f"{a.year}년"
    if p is Precision.DECADE:
        return f"{a.year}년대"
    return f"{a.year}–{a.year + 99}년"


def _interval(e: date, lt: date, ko: bool) -> str:
    if e.year == lt.year and e.day == 1 and lt.day == last_day_of_month(lt.year, lt.month):
        part = _YEAR_PARTS.get((e.month, lt.month))
        if part:
            if ko:
                return f"{e.year}년 {part[1]}({e.month}–{lt.month}월)"
            months = f"{MONTHS_EN[e.month - 1]} to {MONTHS_EN[lt.month - 1]}"
            return f"{part[0]} {e.year} ({months})"
    if (e.year, e.month) == (lt.year, lt.month) and e.day in _MONTH_PARTS:
        last = 10 if e.day == 1 else 20 if e.day == 11 else last_day_of_month(lt.year, lt.month)
        if lt.day == last:
            en, kor = _MONTH_PARTS[e.day]
            if ko:
                return f"{e.year}년 {e.month}월 {kor}({e.day}–{lt.day}일)"
            month = MONTHS_EN[e.month - 1]
            return f"{en} {month} {e.year} ({e.day}–{lt.day} {month})"
    if (e.month, e.day, lt.month, lt.day) == (1, 1, 12, 31) and e.year // 10 == lt.year // 10:
        decade = e.year - e.year % 10
        dpart = _DECADE_PARTS.get((e.year - decade, lt.year - decade))
        if dpart:
            if ko:
                return f"{decade}년대 {dpart[1]}({e.year}–{lt.year}년)"
            return f"{dpart[0]} {decade}s ({e.year} to {lt.year})"
    if ko:
        return f"{_start_ko(e)}부터 {_end_ko(lt)}까지"
    return f"between {_start_en(e)} and {_end_en(lt)}"


def _start_en(d: date) -> str:
    if (d.month, d.day) == (1, 1):
        return str(d.year)
    if d.day == 1:
        return f"{MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _end_en(d: date) -> str:
    if (d.month, d.day) == (12, 31):
        return str(d.year)
    if d.day == last_day_of_month(d.year, d.month):
        return f"{MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _start_ko(d: date) -> str:
    if (d.month, d.day) == (1, 1):
        return f"{d.year}년"
    if d.day == 1:
        return f"{d.year}년 {d.month}월"
    return f"{d.year}년 {d.month}월 {d.day}일"


def _end_ko(d: date) -> str:
    if (d.month, d.day) == (12, 31):
        return f"{d.year}년"
    if d.day == last_day_of_month(d.year, d.month):
        return f"{d.year}년 {d.month}월"
    return f"{d.year}년 {d.month}월 {d.day}일"
