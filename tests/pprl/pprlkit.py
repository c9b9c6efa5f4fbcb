"""Made-up person lists for the pprl tests: two organisations that share some people, the second
writing names in another romanisation (synthetic only)."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pandas as pd

from unseen.names import romanize

COLUMNS = ["record_id", "list", "family_name", "given_name", "name_hangul", "sex",
           "birth_date", "origin_place"]  # fmt: skip
FAMILY = ["김", "리", "박", "최", "정", "강", "조", "윤", "장", "림", "한", "오"]
GIVEN = ["순희", "영옥", "명숙", "은정", "혜련", "미향", "철수", "광명", "성민", "금순", "정호",
         "은희", "영철", "춘화", "명철", "옥순"]  # fmt: skip
PLACES = ["Hyesan", "Musan", "Chongjin", "Hoeryong", "Onsong"]


def people(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    names = list(itertools.product(FAMILY, GIVEN))
    rng.shuffle(names)
    out = []
    for k, (f, g) in enumerate(names[:n]):
        out.append({"person": f"P{k:04d}", "family": f, "given": g,
                    "sex": "F" if k % 3 else "M",
                    "birth": f"{1960 + rng.randrange(35)}-{1 + rng.randrange(12):02d}-"
                             f"{1 + rng.randrange(28):02d}",
                    "origin": rng.choice(PLACES)})  # fmt: skip
    return out


def two_lists(
    n_a: int = 60, n_b: int = 40, shared: int = 25, seed: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """List A writes Hangul; list B writes DPRK-style romanisation, year-only dates for some.
    Returns (a, b, truth) with truth in FORMATS.md s2 form."""
    folk = people(n_a + n_b - shared, seed)
    a_people, b_people = folk[:n_a], folk[n_a - shared :]
    a = pd.DataFrame(
        [
            {
                "record_id": f"A{k:04d}",
                "list": "ngo-a",
                "family_name": p["family"],
                "given_name": p["given"],
                "name_hangul": p["family"] + p["given"],
                "sex": p["sex"],
                "birth_date": p["birth"],
                "origin_place": p["origin"],
            }
            for k, p in enumerate(a_people)
        ]
    )
    b_rows = []
    for k, p in enumerate(b_people):
        latin = romanize(p["family"] + p["given"], "dprk" if k % 2 else "passport")
        family, _, given = latin.partition(" ")
        b_rows.append(
            {
                "record_id": f"B{k:04d}",
                "list": "ngo-b",
                "family_name": family,
                "given_name": given,
                "name_hangul": "",
                "sex": p["sex"],
                "birth_date": p["birth"] if k % 4 else p["birth"][:4],
                "origin_place": p["origin"],
            }
        )
    b = pd.DataFrame(b_rows)
    truth = pd.DataFrame(
        [{"record_id": f"A{k:04d}", "list": "ngo-a", "person_id": p["person"]}
         for k, p in enumerate(a_people)]
        + [{"record_id": f"B{k:04d}", "list": "ngo-b", "person_id": p["person"]}
           for k, p in enumerate(b_people)]
    )  # fmt: skip
    return a, b, truth


def write(path: Path, frame: pd.DataFrame) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(frame.to_dict("records"))
    return path


def seeded_noise(seed: int):  # noqa: ANN201 - a callable for encode(noise=...)
    rng = random.Random(seed)

    def noise(n: int) -> bytes:
        return rng.randbytes(n)

    return noise
