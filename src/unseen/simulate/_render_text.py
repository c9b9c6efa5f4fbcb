"""Small pure renderers: fuzzy dates, places and typing slips, driven by given uniforms.

Every function takes the uniform numbers it needs instead of a random generator, so the same
simulation always writes the same text.
"""

from __future__ import annotations

import datetime as dt

from unseen.names import (
    HANGUL_INITIALS,
    HANGUL_VOWELS,
    JAMO_NEIGHBOURS,
    compose_syllable,
    decompose_syllable,
    is_syllable,
)
from unseen.simulate._schedules import Weights
from unseen.simulate._tables import places

_KO_SEASON = {21: "봄", 22: "여름", 23: "가을", 24: "겨울"}
_EN_SEASON = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}


def pick(weights: Weights, u: float) -> str:
    """The key of ``weights`` (a distribution) at cumulative position ``u`` in [0, 1)."""
    total = sum(v for _, v in weights.items)
    acc = 0.0
    target = u * total
    for k, v in weights.items:
        acc += v
        if target < acc:
            return k
    return weights.items[-1][0]


def to_date(t: float) -> dt.date:
    """Decimal year to a calendar day (2009.5 -> early July 2009)."""
    year = int(t // 1)
    start = dt.date(year, 1, 1).toordinal()
    days = dt.date(year + 1, 1, 1).toordinal() - start
    # the epsilon keeps 2010 + 75/365 on day 75 despite rounding
    return dt.date.fromordinal(start + min(int((t - year) * days + 1e-6), days - 1))


def _season(d: dt.date) -> tuple[int, int]:
    """(year, EDTF season code); January and February belong to the previous winter."""
    if d.month in (12, 1, 2):
        return (d.year if d.month == 12 else d.year - 1), 24
    return d.year, 21 + (d.month - 3) // 3


def render_date(t: float, style: str, u: float) -> str:
    """``t`` written in a DATE_STYLES style; ``u`` decides the width of intervals."""
    d = to_date(t)
    y = d.year
    if style == "day":
        return d.isoformat()
    if style == "month":
        return f"{y:04d}-{d.month:02d}"
    if style == "season":
        sy, code = _season(d)
        return f"{sy:04d}-{code}"
    if style == "year":
        return f"{y:04d}"
    if style == "approx":
        return f"{y:04d}~"
    if style == "interval":
        lo = y - (1 if u < 0.7 else 0)
        hi = y + (1 if u >= 0.3 else 0)
        return f"{lo:04d}/{hi:04d}"
    if style == "before":
        return f"..{y + (1 if u < 0.5 else 0):04d}"
    if style == "decade":
        return f"{y // 10:03d}X"
    if style == "dotted":
        return f"{y}.{d.month}"
    if style == "ko_season":
        sy, code = _season(d)
        return f"{sy}년 {_KO_SEASON[code]}"
    if style == "ko_month":
        return f"{y}년 {d.month}월"
    if style == "ko_about":
        return f"{y}년경"
    if style == "en_season":
        sy, code = _season(d)
        return f"{_EN_SEASON[code]} {sy}"
    if style == "en_about":
        return f"about {y}"
    raise AssertionError(style)  # styles are checked when settings are built


def render_birth(t: float, offset: int, style: str) -> str:
    d = to_date(t)
    y = d.year + offset
    if style == "day":
        day = min(d.day, 28) if d.month == 2 else d.day
        return f"{y:04d}-{d.month:02d}-{day:02d}"
    if style == "month":
        return f"{y:04d}-{d.month:02d}"
    if style == "approx":
        return f"{y:04d}~"
    if style == "ko_about":
        return f"{y}년경"
    if style == "en_about":
        return f"about {y}"
    return f"{y:04d}"


def render_place(i: int, style: str, level: str) -> str:
    """Place ``i`` named at ``level`` in a PLACE_STYLES style."""
    if i < 0:
        return ""
    pl = places()
    j = pl.at_level(i, level)
    if style == "gazetteer_id":
        return pl.ids[j]
    if pl.country[j] == "KP" and style == "hanzi":
        prov = int(pl.province[j])
        head = "朝鲜" + pl.names["hanzi"][prov]
        return head if prov == j else head + pl.names["hanzi"][j]
    return pl.names[style][j]


# -- typing slips ------------------------------------------------------------------------------

_QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_LATIN_NEIGHBOURS: dict[str, str] = {}
for _row in _QWERTY:
    for _i, _ch in enumerate(_row):
        _LATIN_NEIGHBOURS[_ch] = _row[max(0, _i - 1) : _i] + _row[_i + 1 : _i + 2]


def typo(text: str, u_pos: float, u_key: float) -> str:
    """One slip of a neighbouring key: a Latin letter, or a Hangul syllable's initial consonant
    or vowel on the two-set keyboard. Text without such a letter comes back unchanged."""
    slots: list[tuple[int, int]] = []  # (position, 0 letter / 1 initial / 2 vowel)
    for i, c in enumerate(text):
        if c.lower() in _LATIN_NEIGHBOURS:
            slots.append((i, 0))
        elif is_syllable(c):
            ini, vow, _ = decompose_syllable(c)
            if JAMO_NEIGHBOURS.get(HANGUL_INITIALS[ini]):
                slots.append((i, 1))
            if JAMO_NEIGHBOURS.get(HANGUL_VOWELS[vow]):
                slots.append((i, 2))
    if not slots:
        return text
    i, kind = slots[min(int(u_pos * len(slots)), len(slots) - 1)]
    c = text[i]
    if kind == 0:
        near = _LATIN_NEIGHBOURS[c.lower()]
        new = near[min(int(u_key * len(near)), len(near) - 1)]
        new = new.upper() if c.isupper() else new
    else:
        ini, vow, fin = decompose_syllable(c)
        jamo = HANGUL_INITIALS[ini] if kind == 1 else HANGUL_VOWELS[vow]
        near = JAMO_NEIGHBOURS[jamo]
        k = near[min(int(u_key * len(near)), len(near) - 1)]
        if kind == 1:
            new = compose_syllable(HANGUL_INITIALS.index(k), vow, fin)
        else:
            new = compose_syllable(ini, HANGUL_VOWELS.index(k), fin)
    return text[:i] + new + text[i + 1 :]
