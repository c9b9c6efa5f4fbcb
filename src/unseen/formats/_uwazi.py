"""Uwazi (HURIDOCS) CSV exports and import files.

Uwazi's CSV has ``Title`` plus one column per template property (by label on export, by
property name on import), the system columns ``Date added``, ``Template``, ``Geolocation``,
``Documents``, ``Attachments`` and ``Published``, multiple values separated by ``|``, date
ranges as ``from~to`` (export) or ``from:to`` (import), geolocation as ``lat|lon``, dates as
formatted text or Unix timestamps, and language versions as ``Title__es``, ``Title__en``.

Built in: ``Title`` -> ``full_name``, the entity's system columns are ignored; everything else
comes from a column-mapping file (``record_id`` usually from a Generated-ID property).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ._columns import DATE_COLUMNS, PLACE_COLUMNS, column_key
from ._mapping import ColumnMapping

SYSTEM_COLUMNS: tuple[str, ...] = (
    "Date added",
    "Date modified",
    "Template",
    "Documents",
    "Attachments",
    "Published",
)
_SIGNATURE = frozenset(column_key(c) for c in (*SYSTEM_COLUMNS, "Geolocation"))
_LANGUAGE = re.compile(r"(.+?)__([a-z]{2,3})")
_TIMESTAMP = re.compile(r"-?\d{9,12}")
_GEO = re.compile(r"(-?\d{1,3}(?:\.\d+)?)\s*\|\s*(-?\d{1,3}(?:\.\d+)?)")
_MULTI_CHECKED = frozenset({"sex", "violation", "perpetrator_type", *DATE_COLUMNS})


def default_mapping() -> ColumnMapping:
    return ColumnMapping(
        columns={"Title": "full_name"}, ignore=SYSTEM_COLUMNS, source="Uwazi default mapping"
    )


def looks_like_uwazi(header: Sequence[str]) -> bool:
    if any((lang := _language(h)) and lang[0] == "title" for h in header):
        return True
    keys = [column_key(h) for h in header]
    return "title" in keys and len(_SIGNATURE.intersection(keys)) >= 2


def resolve_languages(header: Sequence[str], mapping: ColumnMapping) -> list[str | None]:
    """Each column's header with the chosen language's suffix removed; None: another language.

    The chosen language is ``language:`` in the mapping, else that of the first ``Title__xx``.
    A header the mapping names in full (``Title__en: full_name``) is left as it is.
    """
    languages = [_language(h) for h in header]
    chosen = mapping.language.casefold() if mapping.language else None
    if chosen is None:
        for lang in languages:
            if lang and lang[0] == "title":
                chosen = lang[1]
                break
    if chosen is None:
        chosen = next((lang[1] for lang in languages if lang), None)
    out: list[str | None] = []
    for h, lang in zip(header, languages, strict=True):
        if lang is None or mapping.target(h) or mapping.keeps(h) or mapping.ignores(h):
            out.append(h)
        elif lang[1] == chosen:
            out.append(h.strip()[: -len(lang[1]) - 2])
        else:
            out.append(None)
    return out


def _language(header: str) -> tuple[str, str] | None:
    # Not column_key(): that folds the "__" of "Title__es" into "_".
    found = _LANGUAGE.fullmatch(header.strip().casefold())
    return None if found is None else (found[1], found[2])


@dataclass(frozen=True, slots=True)
class UwaziValue:
    text: str
    trouble: str = ""  # "several" | "geolocation" | ""


def _date_part(text: str, reformat: Callable[[str], str]) -> str:
    text = text.strip()
    if _TIMESTAMP.fullmatch(text):
        try:
            day = dt.datetime.fromtimestamp(int(text), tz=dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return text
        return day.isoformat()
    return reformat(text)


def transform(column: str, text: str, reformat: Callable[[str], str]) -> UwaziValue:
    """Uwazi's conventions for one value of our ``column`` rewritten into ours."""
    if column == "aliases":
        return UwaziValue(text.replace("|", ";"))
    if column in PLACE_COLUMNS:
        geo = _GEO.fullmatch(text)
        if geo is not None:
            lat, lon = float(geo[1]), float(geo[2])
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                return UwaziValue(f"geo:{geo[1]},{geo[2]}")
            return UwaziValue(text, "geolocation")
        return UwaziValue(text)
    if column in _MULTI_CHECKED and "|" in text:
        return UwaziValue(text, "several")
    if column in DATE_COLUMNS:
        for sep in ("~", ":"):
            if sep in text:
                start, _, end = text.partition(sep)
                start, end = _date_part(start, reformat), _date_part(end, reformat)
                if sep == "~" and not (start and end):
                    break  # "2010~" is EDTF "about 2010", not an open range
                if start and end:
                    return UwaziValue(f"{start}/{end}")
                if end:
                    return UwaziValue(f"..{end}")
                if start:
                    return UwaziValue(f"{start}..")
        return UwaziValue(_date_part(text, reformat))
    return UwaziValue(text)
