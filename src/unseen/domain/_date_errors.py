"""The one message a documenter sees when a date cannot be read: what went wrong, what works.

It never contains the value itself (a birth date is identity data).
"""

from __future__ import annotations

from unseen.errors import ValueNotUnderstood

ACCEPTED_FORMS_EN = (
    "2010, 2010-03, 2010-03-15, 2010-21 (spring; 22 summer, 23 autumn, 24 winter), 201X (decade), "
    "19XX, 2010~ (about), 2008/2011 (interval), ..2010 (on or before), 2010.. (on or after), "
    "2010.03.15, 3/2010, March 2010, 15 March 2010, spring 2010, early/mid/late 2010, "
    "late 2000s, the 1990s, about 1985, c. 1985, before 2010, after 2010, "
    "between 2008 and 2011, unknown"
)
ACCEPTED_FORMS_KO = (
    "2010, 2010-03, 2010-03-15, 2010.3, 2010년, 2010년 3월, 2010년 3월 15일, 2010년 봄, "
    "2010년 초/중반/말, 2000년대, 2000년대 후반, 1985년경, 1985년쯤, 2010년 이전, 2010년 이후, "
    "2008년부터 2011년까지, 2008~2011, 모름"
)

REASONS = {
    "form": ("not a date form we know", "알 수 있는 날짜 형식이 아닙니다"),
    "empty": ("the text is empty", "값이 비어 있습니다"),
    "calendar": ("no such calendar date", "달력에 없는 날짜입니다"),
    "order": ("the range ends before it starts", "범위의 끝이 시작보다 앞섭니다"),
    "two_digit": (
        "a two-digit year from '00 to '29 could be 19xx or 20xx: write four digits",
        "00-29로 끝나는 두 자리 연도는 19xx인지 20xx인지 알 수 없습니다: 네 자리로 쓰십시오",
    ),
    "range": ("outside the years 0001-9999", "0001-9999년 범위를 벗어났습니다"),
    "approximate": (
        "'about' applies only to a day, month, season, year, decade or century",
        "'경/쯤'은 일·월·계절·연·연대 단위에만 쓸 수 있습니다",
    ),
    "long": ("the text is too long for a date", "날짜로 보기에는 너무 깁니다"),
}


def date_not_understood(reason: str = "form") -> ValueNotUnderstood:
    """The error for a date that could not be read; ``reason`` is a key of :data:`REASONS`."""
    en, ko = REASONS.get(reason, REASONS["form"])
    return ValueNotUnderstood(
        f"date not understood: {en}. Accepted forms: {ACCEPTED_FORMS_EN}. / "
        f"날짜를 이해하지 못했습니다: {ko}. 사용할 수 있는 형식: {ACCEPTED_FORMS_KO}."
    )
