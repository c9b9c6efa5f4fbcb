"""Per-value normalisers with per-read caches, so 100,000 rows cost little more than 1,000 forms.

Each ``*Reader`` lives for one file: the caches are local values, never module state.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from unseen.domain.dates import FuzzyDate, parse_fuzzy_date
from unseen.errors import ValueNotUnderstood

SEX_VALUES: Mapping[str, str | None] = {
    **dict.fromkeys(("f", "female", "woman", "girl", "여", "여성", "여자", "女", "女性"), "F"),
    **dict.fromkeys(("m", "male", "man", "boy", "남", "남성", "남자", "男", "男性"), "M"),
    **dict.fromkeys(("x", "other", "기타", "其他"), "X"),
    **dict.fromkeys(("unknown", "?", "모름", "미상", "不详"), None),
}

_DATE_LAYOUTS: Mapping[str, tuple[re.Pattern[str], tuple[int, int, int]]] = {
    # layout -> (pattern, group numbers of year, month, day)
    "YYYY-MM-DD": (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
    "YYYY/MM/DD": (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), (1, 2, 3)),
    "YYYY.MM.DD": (re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})\.?"), (1, 2, 3)),
    "DD/MM/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (3, 2, 1)),
    "DD.MM.YYYY": (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), (3, 2, 1)),
    "DD-MM-YYYY": (re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})"), (3, 2, 1)),
    "MM/DD/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (3, 1, 2)),
    "MM-DD-YYYY": (re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})"), (3, 1, 2)),
}


def reformat_day(text: str, layout: str | None) -> str:
    """Rewrite a whole-day date in the spreadsheet's ``layout`` as ISO; other text unchanged."""
    if layout is None:
        return text
    pattern, (y, m, d) = _DATE_LAYOUTS[layout]
    found = pattern.fullmatch(text)
    if found is None:
        return text
    return f"{found[y]}-{int(found[m]):02d}-{int(found[d]):02d}"


@dataclass(frozen=True, slots=True)
class DateResult:
    value: FuzzyDate | None
    form: str = ""
    understood_as: str = ""
    understood_as_ko: str = ""
    error: str = ""  # the domain's message: says why and which forms work, never the value


class DateReader:
    """Parses each distinct date text once through :func:`unseen.domain.dates.parse_fuzzy_date`."""

    def __init__(self) -> None:
        self._cache: dict[str, DateResult] = {}

    def read(self, text: str) -> DateResult:
        found = self._cache.get(text)
        if found is None:
            try:
                parsed = parse_fuzzy_date(text)
            except ValueNotUnderstood as exc:
                found = DateResult(None, error=str(exc))
            else:
                found = DateResult(
                    parsed.value,
                    parsed.form,
                    parsed.understood_as,
                    getattr(parsed, "understood_as_ko", ""),
                )
            self._cache[text] = found
        return found


class VocabReader:
    """Finds a vocabulary code for a cell: the code itself (any case) or an exact label."""

    def __init__(self, vocabulary: Mapping[str, Any], label_fields: tuple[str, ...]) -> None:
        self._codes = tuple(vocabulary)
        index: dict[str, str] = {}
        for code, entry in vocabulary.items():
            for name in label_fields:
                label = getattr(entry, name, None)
                if isinstance(label, str) and label.strip():
                    index.setdefault(label.strip().casefold(), code)
        for code in self._codes:
            index[code.casefold()] = code
        self._index = index
        self._cache: dict[str, str | None] = {}

    def code(self, text: str) -> str | None:
        if text in self._cache:
            return self._cache[text]
        found = self._index.get(text.casefold())
        self._cache[text] = found
        return found

    def closest(self, text: str, n: int = 3) -> list[str]:
        upper = text.upper()
        by_code = difflib.get_close_matches(upper, self._codes, n=n, cutoff=0.5)
        if by_code:
            return by_code
        # A prefix ("TIP" for "TIP.SALEX") is a good hint when nothing is similar overall.
        head = re.split(r"[.\-_ ]", upper, maxsplit=1)[0]
        return [c for c in self._codes if c.startswith(head)][:n] if head else []
