"""Made-up Korean person lists with known truth, for linkage tests and benches (seeded).

Every name is a random combination of common syllables (no real person). Each person appears
on one to three lists, each list writing names its own way: Hangul with exact dates (NGO-A),
split Latin names in a random romanisation with years or "about" (NGO-B), full Latin names
with vaguer or missing dates (MEDIA). Some records carry North/South initial-sound variants,
a typo, or an alias; some people are siblings of another (same family name, sex and place,
born a few years apart, a given name one syllable off) so that false merges cost something.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from unseen.names import romanize
from unseen.places import gazetteer

# One table in tests/names serves tests and benches; the hand-built people of conftest.py use
# given-name syllables outside this pool.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "names"))
from namekit import syllables  # noqa: E402

FAMILY = syllables("family", "linkage")
GIVEN = syllables("given", "linkage")
SYSTEMS = ("rr", "mr", "mr_plain", "dprk", "passport")
NORTH_SOUTH = {"리": "이", "림": "임", "류": "유", "량": "양", "로": "노", "련": "연"}
LISTS = ("NGO-A", "NGO-B", "MEDIA")
# The FORMATS.md s1 columns these lists fill, in the order of the tables made here.
COLUMNS = ("record_id", "list", "full_name", "family_name", "given_name", "aliases", "sex",
           "birth_date", "origin_place")  # fmt: skip


def _places() -> list[tuple[str, str]]:
    g = gazetteer()
    return sorted(
        (p.name_en, p.name_local) for p in g.values() if p.country == "KP" and p.level == "county"
    )


def _typo(rng: np.random.Generator, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = int(rng.choice(letters[1:]))
    return text[:i] + text[i + 1 :]


def people(rng: np.random.Generator, n: int) -> list[dict[str, object]]:
    places = _places()
    out: list[dict[str, object]] = []
    while len(out) < n:
        fam = str(rng.choice(FAMILY))
        given = "".join(rng.choice(GIVEN, size=2))
        year = int(rng.integers(1950, 2004))
        month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
        person = {
            "person_id": f"P{len(out):05d}",
            "family": fam,
            "given": given,
            "sex": str(rng.choice(["F", "F", "F", "M"])),
            "year": year,
            "month": month,
            "day": day,
            "place": places[int(rng.integers(len(places)))],
            "alias": "".join(rng.choice(GIVEN, size=2)) if rng.random() < 0.1 else None,
        }
        out.append(person)
        if rng.random() < 0.08 and len(out) < n:
            # A sibling: same family name, sex and place, born a few years apart, with a given
            # name one syllable off (순희 and 순화).
            twin = dict(person)
            syl = str(rng.choice([g for g in GIVEN if g != given[1]]))
            twin.update(
                person_id=f"P{len(out):05d}",
                given=given[0] + syl,
                alias=None,
                year=year + int(rng.choice([-4, -3, -2, -1, 1, 2, 3, 4])),
                month=int(rng.integers(1, 13)),
                day=int(rng.integers(1, 29)),
            )
            out.append(twin)
    return out


def _record(rng: np.random.Generator, p: dict[str, object], lst: str, n: int) -> dict[str, str]:
    fam, given = str(p["family"]), str(p["given"])
    if fam in NORTH_SOUTH and rng.random() < 0.5:
        fam = NORTH_SOUTH[fam]  # the South Korean spelling of a North Korean name
    en, local = p["place"]  # type: ignore[misc]
    y, m, d = int(p["year"]), int(p["month"]), int(p["day"])  # type: ignore[call-overload]
    rec = {"record_id": f"{lst}-{n:05d}", "list": lst, "sex": str(p["sex"])}
    if lst == "NGO-A":
        rec["full_name"] = fam + given
        rec["birth_date"] = f"{y}-{m:02d}-{d:02d}" if rng.random() < 0.8 else f"{y}-{m:02d}"
        rec["origin_place"] = str(local)
    elif lst == "NGO-B":
        latin = romanize(f"{fam}{given}", str(rng.choice(SYSTEMS)))
        family, _, giv = latin.partition(" ")
        if rng.random() < 0.05:
            giv = _typo(rng, giv)
        rec["family_name"], rec["given_name"] = family, giv
        rec["birth_date"] = f"{y}" if rng.random() < 0.7 else f"{y}~"
        rec["origin_place"] = str(en)
    else:
        latin = romanize(f"{fam}{given}", str(rng.choice(SYSTEMS)))
        if rng.random() < 0.05:
            latin = _typo(rng, latin)
        rec["full_name"] = latin
        r = rng.random()
        rec["birth_date"] = f"{y}" if r < 0.5 else (f"{y - 1}/{y + 1}" if r < 0.8 else "")
        rec["origin_place"] = str(en) if rng.random() < 0.7 else ""
    if p["alias"] and rng.random() < 0.7:
        rec["aliases"] = str(p["alias"])
    return rec


def person_lists(seed: int, n_people: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records, truth): a person-list table (FORMATS.md s1 columns) and its truth (s2)."""
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    counter = dict.fromkeys(LISTS, 0)
    for p in people(rng, n_people):
        on = [lst for lst in LISTS if rng.random() < 0.55] or [str(rng.choice(LISTS))]
        for lst in on:
            for _ in range(2 if rng.random() < 0.05 else 1):  # a list's own duplicate
                counter[lst] += 1
                rec = _record(rng, p, lst, counter[lst])
                rows.append(rec)
                truth.append((rec["record_id"], lst, p["person_id"]))
    table = pd.DataFrame(rows).reindex(columns=list(COLUMNS)).fillna("")
    return table, pd.DataFrame(truth, columns=["record_id", "list", "person_id"])
