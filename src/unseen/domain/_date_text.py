"""Reader for dates written as free text in Korean or English (case-insensitive).

Choices a documenter should know (also in docs/data-model.md):

* "early / mid / late 2010" and "2010년 초 / 중반 / 말" are January-April, May-August and
  September-December; "first / second half", 상반기 / 하반기, are January-June / July-December.
* "early / mid / late 2000s" and "2000년대 초반 / 중반 / 후반" are years 0-3, 4-6 and 7-9.
* "early / mid / late March", "3월 초순 / 중순 / 하순" are days 1-10, 11-20 and 21 to the end.
* "before 2010" / "2010년 이전" and "after 2010" / "2010년 이후" *include* 2010: testimonies
  are imprecise, and linkage must not rule out the boundary year.
* A two-digit year ('98, 98년, '90s, 90년대) is read as 19xx when it is 30-99. 00-29 could be
  either century and is refused: write four digits.
* "1900s" and "the 2000s" are decades (1900-1909, 2000-2009), as in "late 2000s"; a century is
  written 19XX.
* Day-month-year with numbers only (03/04/2010) is refused: day and month cannot be told apart.
* A trailing "~" after a Korean unit word is the Korean "from" (2010년~ = 2010 or later); a
  leading "~" is "until" (~2010년). Bare EDTF "2010~" stays "about 2010".
* Chinese date words (2010年3月, 1985年左右, 2010年以前, 90年代) are read through their Korean
  equivalents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from unseen.domain._calendar import UNIT_PRECISIONS, Season, last_day_of_month
from unseen.domain._date_errors import date_not_understood
from unseen.domain._edtf import read_edtf_unit, unit_range
from unseen.domain._fuzzy_date import FuzzyDate
from unseen.errors import ValueNotUnderstood

MAX_LENGTH = 80

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_SEASONS = {
    "spring": Season.SPRING, "summer": Season.SUMMER, "autumn": Season.AUTUMN,
    "fall": Season.AUTUMN, "winter": Season.WINTER,
    "봄": Season.SPRING, "여름": Season.SUMMER, "가을": Season.AUTUMN, "겨울": Season.WINTER,
}  # fmt: skip
# part of a year -> (first month, last month)
_YEAR_PARTS = {
    "early": (1, 4), "beginning of": (1, 4), "start of": (1, 4),
    "mid": (5, 8), "middle of": (5, 8),
    "late": (9, 12), "end of": (9, 12),
    "first half of": (1, 6), "second half of": (7, 12),
    "초": (1, 4), "초반": (1, 4), "연초": (1, 4), "초경": (1, 4),
    "중반": (5, 8), "중순": (5, 8), "중엽": (5, 8),
    "말": (9, 12), "후반": (9, 12), "연말": (9, 12), "말경": (9, 12),
    "상반기": (1, 6), "하반기": (7, 12),
}  # fmt: skip
# part of a month -> (first day, last day or None for the month's end)
_MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "early": (1, 10), "beginning of": (1, 10), "start of": (1, 10),
    "mid": (11, 20), "middle of": (11, 20),
    "late": (21, None), "end of": (21, None),
    "초": (1, 10), "초순": (1, 10), "상순": (1, 10),
    "중순": (11, 20),
    "말": (21, None), "말경": (21, None), "하순": (21, None),
}  # fmt: skip
# part of a decade -> (first year offset, last year offset)
_DECADE_PARTS = {
    "early": (0, 3), "mid": (4, 6), "late": (7, 9),
    "초": (0, 3), "초반": (0, 3), "중반": (4, 6), "후반": (7, 9), "말": (7, 9),
}  # fmt: skip
_UNKNOWN = frozenset(
    {"unknown", "unk", "not known", "n/a", "?", "??", "unknown date", "date unknown", "모름",
     "미상", "불명", "알 수 없음", "알수없음", "不详", "不明"}
)  # fmt: skip


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MON = rf"(?P<mon>{_alt(_MONTHS)})\.?"
_SEASON = rf"(?P<season>{_alt(_SEASONS)})"
_Y_EN = r"(?P<y>[0-9]{4}|'[0-9]{2})"
_Y_KO = r"(?P<y>[0-9]{4}|'?[0-9]{2})\s*년"
_DEC = r"(?P<dec>[0-9]{3}0|'?[0-9]0)"
_ORD = r"(?:st|nd|rd|th)?"
_EN_YEAR_PART = (
    r"(?P<part>early|mid|late|beginning of|start of|end of|middle of|first half of|second half of)"
)
_EN_MONTH_PART = r"(?P<mpart>early|mid|late|beginning of|start of|end of|middle of)"
_KO_YEAR_PART = rf"(?P<part>{_alt(k for k in _YEAR_PARTS if not k.isascii())})"
_KO_MONTH_PART = rf"(?P<mpart>{_alt(k for k in _MONTH_PARTS if not k.isascii())})"
_KO_DECADE_PART = rf"(?P<dpart>{_alt(k for k in _DECADE_PARTS if not k.isascii())})"


def _year(token: str) -> int:
    digits = token.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    if int(digits) < 30:
        raise date_not_understood("two_digit")
    return 1900 + int(digits)


def _month(m: re.Match[str]) -> int:
    mon = m.groupdict().get("mon")
    return _MONTHS[mon] if mon else int(m["m"])


def _day(m: re.Match[str]) -> FuzzyDate:
    return FuzzyDate.from_day(_year(m["y"]), _month(m), int(m["d"]))


def _month_unit(m: re.Match[str]) -> FuzzyDate:
    return FuzzyDate.from_month(_year(m["y"]), _month(m))


def _season(m: re.Match[str]) -> FuzzyDate:
    return FuzzyDate.from_season(_year(m["y"]), _SEASONS[m["season"]])


def _year_unit(m: re.Match[str]) -> FuzzyDate:
    return FuzzyDate.from_year(_year(m["y"]))


def _year_part(m: re.Match[str]) -> FuzzyDate:
    year = _year(m["y"])
    first, last = _YEAR_PARTS[m["part"]]
    start = FuzzyDate.from_month(year, first).earliest
    end = FuzzyDate.from_month(year, last).latest
    return _between(start, end)


def _month_part(m: re.Match[str]) -> FuzzyDate:
    month = FuzzyDate.from_month(_year(m["y"]), _month(m))
    start = month.earliest
    if start is None:  # pragma: no cover - a month always has both ends
        raise date_not_understood()
    first, last = _MONTH_PARTS[m["mpart"]]
    last_day = last_day_of_month(start.year, start.month) if last is None else last
    return _between(start.replace(day=first), start.replace(day=last_day))


def _decade(m: re.Match[str]) -> FuzzyDate:
    first = _year(m["dec"])
    part = m.groupdict().get("part") or m.groupdict().get("dpart")
    if not part:
        return FuzzyDate.from_decade(first)
    lo, hi = _DECADE_PARTS[part]
    return _between(date(first + lo, 1, 1), date(first + hi, 12, 31))


def _between(start: date | None, end: date | None) -> FuzzyDate:
    if start is None or end is None:  # pragma: no cover - units always have both ends
        raise date_not_understood()
    if start > end:
        raise date_not_understood("order")
    return FuzzyDate.between(start, end)


_Builder = Callable[[re.Match[str]], FuzzyDate]
_FORMS: tuple[tuple[re.Pattern[str], _Builder], ...] = tuple(
    (re.compile(pattern), builder)
    for pattern, builder in (
        # Korean
        (rf"{_Y_KO}\s*(?P<m>[0-9]{{1,2}})\s*월\s*(?P<d>[0-9]{{1,2}})\s*일", _day),
        (rf"{_Y_KO}\s*(?P<m>[0-9]{{1,2}})\s*월\s*{_KO_MONTH_PART}", _month_part),
        (rf"{_Y_KO}\s*(?P<m>[0-9]{{1,2}})\s*월", _month_unit),
        (rf"{_Y_KO}\s*(?:도\s*)?{_SEASON}철?", _season),
        (rf"{_Y_KO}\s*(?:도\s*)?{_KO_YEAR_PART}", _year_part),
        (rf"{_DEC}\s*년대\s*{_KO_DECADE_PART}?", _decade),
        (rf"{_Y_KO}\s*도?", _year_unit),
        # English
        (rf"(?:the\s+)?{_EN_YEAR_PART}[-\s]*(?:in\s+|of\s+)?{_Y_EN}", _year_part),
        (rf"(?:the\s+)?{_EN_MONTH_PART}[-\s]*{_MON},?\s+(?:of\s+)?{_Y_EN}", _month_part),
        (rf"(?P<d>[0-9]{{1,2}}){_ORD}\s+(?:of\s+)?{_MON},?\s+{_Y_EN}", _day),
        (rf"{_MON}\s+(?P<d>[0-9]{{1,2}}){_ORD},?\s+{_Y_EN}", _day),
        (rf"{_MON},?\s+(?:of\s+)?{_Y_EN}", _month_unit),
        (rf"{_Y_EN}\s+{_MON}", _month_unit),
        (rf"(?:the\s+)?{_SEASON},?\s+(?:of\s+)?{_Y_EN}", _season),
        (rf"{_Y_EN}\s+{_SEASON}", _season),
        (rf"(?:the\s+)?(?:(?P<part>early|mid|late)[-\s]*)?{_DEC}'?s", _decade),
        (rf"(?:the\s+)?(?:year\s+)?{_Y_EN}", _year_unit),
        # numbers
        (r"(?P<y>[0-9]{4})\s*[./-]\s*(?P<m>[0-9]{1,2})\s*[./-]\s*(?P<d>[0-9]{1,2})", _day),
        (r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})", _day),
        (r"(?P<y>[0-9]{4})\s*[./-]\s*(?P<m>[0-9]{1,2})", _month_unit),
        (r"(?P<m>[0-9]{1,2})\s*[./-]\s*(?P<y>[0-9]{4})", _month_unit),
    )
)

_FILLER = re.compile(r"(?:in|during|on|sometime in|some time in)\s+")
_APPROX_PREFIX = re.compile(
    r"(?:about|around|approximately|approx\.?|circa|ca\.|ca(?=\s)|c\.|c(?=\s)|roughly|약|대략)\s*"
)
_APPROX_SUFFIX = re.compile(
    r"\s*(?:경|쯤|께|무렵|즈음|정도|\?|~|\(\?\)|or so|\(approx\.?\)|approx\.?)$"
)
_RANGES: tuple[tuple[re.Pattern[str] | None, re.Pattern[str], re.Pattern[str] | None], ...] = (
    (re.compile(r"between\s+"), re.compile(r"\s+and\s+|\s*[-~]\s*"), None),
    (re.compile(r"from\s+"), re.compile(r"\s+(?:to|until|till|through|thru)\s+|\s*[-~]\s*"), None),
    (None, re.compile(r"\s+(?:to|until|till|through|thru)\s+"), None),
    (None, re.compile(r"\s*(?:부터|에서)\s*"), re.compile(r"\s*까지$")),
    (None, re.compile(r"\s*[-~]\s*"), re.compile(r"\s*까지$")),
)
_BEFORE_PREFIX = re.compile(
    r"(?:before|prior to|until|till|up to|no later than|not after|by)\s+|~\s*"
)
_AFTER_PREFIX = re.compile(r"(?:after|since|from|no earlier than|not before)\s+")
_BEFORE_SUFFIX = re.compile(r"\s*(?:이전|전|까지|or earlier|or before|and earlier)$")
_AFTER_SUFFIX = re.compile(
    r"\s*(?:이후|후|부터|or later|or after|and later|onwards?)$|(?<=[년월일])\s*~$"
)
# Chinese date words, read through their Korean equivalents (PRC records: 2010年3月, 1985年左右).
_CHINESE = (
    ("年代", "년대"), ("以前", " 이전"), ("以后", " 이후"), ("以後", " 이후"), ("左右", "경"),
    ("前后", "경"), ("前後", "경"), ("年", "년 "), ("月", "월 "), ("日", "일"), ("号", "일"),
    ("至", " 부터 "), ("到", " 부터 "),
    ("春", "봄"), ("夏", "여름"), ("秋", "가을"), ("冬", "겨울"),
)  # fmt: skip
_DASHES = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {"\u301c": "~"}
)


def normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).casefold().translate(_DASHES)
    for chinese, korean in _CHINESE:
        s = s.replace(chinese, korean)
    s = " ".join(s.split())
    # "2010. 3. 15." and Korean "2010년에": trailing dot after a number, trailing particle 에.
    if len(s) > 1 and s.endswith(".") and (s[-2].isdigit() or _is_hangul(s[-2])):
        s = s[:-1].rstrip()
    if len(s) > 1 and s.endswith("에") and _is_hangul(s[-2]):
        s = s[:-1].rstrip()
    return s


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def read_text(text: str) -> FuzzyDate | None:
    """A FuzzyDate for free text, or None if no form fits. Raises for impossible dates."""
    s = normalise(text)
    if not s:
        return None
    if s in _UNKNOWN:
        return FuzzyDate.unknown()
    errors: list[ValueNotUnderstood] = []
    result = _range(s, errors) or _open(s, errors) or _attempt(_single, s, errors)
    if result is None and errors:
        raise errors[0]
    return result


def _attempt(
    reader: Callable[[str], FuzzyDate | None], s: str, errors: list[ValueNotUnderstood]
) -> FuzzyDate | None:
    try:
        return reader(s)
    except ValueNotUnderstood as exc:
        errors.append(exc)
        return None


def _range(s: str, errors: list[ValueNotUnderstood]) -> FuzzyDate | None:
    for prefix, separator, suffix in _RANGES:
        body = s
        if prefix is not None:
            if not (m := prefix.match(body)):
                continue
            body = body[m.end() :]
        if suffix is not None:
            body = suffix.sub("", body)
        for sep in separator.finditer(body):
            left, right = body[: sep.start()], body[sep.end() :]
            if not left or not right:
                continue
            a = _attempt(_single, left, errors)
            b = _attempt(_single, right, errors) if a is not None else None
            if a is not None and b is not None:
                if a.earliest is None or b.latest is None:  # pragma: no cover - _single has ends
                    continue
                if a.earliest > b.latest:
                    raise date_not_understood("order")
                return FuzzyDate.between(a.earliest, b.latest)
    return None


def _open(s: str, errors: list[ValueNotUnderstood]) -> FuzzyDate | None:
    for before, match in (
        (True, _BEFORE_PREFIX.match(s)),
        (False, _AFTER_PREFIX.match(s)),
    ):
        if match and (inner := _attempt(_single, s[match.end() :], errors)):
            return _opened(inner, before)
    for before, pattern in ((True, _BEFORE_SUFFIX), (False, _AFTER_SUFFIX)):
        if (found := pattern.search(s)) and found.start() > 0:
            if inner := _attempt(_single, s[: found.start()], errors):
                return _opened(inner, before)
    return None


def _opened(inner: FuzzyDate, before: bool) -> FuzzyDate | None:
    if before:
        return None if inner.latest is None else FuzzyDate.on_or_before(inner.latest)
    return None if inner.earliest is None else FuzzyDate.on_or_after(inner.earliest)


def _single(s: str) -> FuzzyDate | None:
    """One unit (possibly "about") or one named part of a unit ("late 2010")."""
    s = s.strip()
    while m := _FILLER.match(s):
        s = s[m.end() :]
    found = _core(s)
    if found is not None:
        return found
    approximate = False
    while True:
        if m := _APPROX_PREFIX.match(s):
            s = s[m.end() :]
        elif (m2 := _APPROX_SUFFIX.search(s)) and m2.start() > 0:
            s = s[: m2.start()]
        else:
            break
        approximate = True
    if not approximate:
        return None
    found = _core(s.strip())
    if found is None:
        return None
    anchor = found.anchor
    if anchor is None or found.precision not in UNIT_PRECISIONS:
        raise date_not_understood("approximate")
    return FuzzyDate.from_unit(found.precision, anchor, approximate=True)


def _core(s: str) -> FuzzyDate | None:
    unit = read_edtf_unit(s) if s else None
    if unit is not None:
        unit_range(unit)
        return FuzzyDate.from_unit(unit[0], unit[1], approximate=unit[2])
    for pattern, builder in _FORMS:
        if m := pattern.fullmatch(s):
            return builder(m)
    return None
