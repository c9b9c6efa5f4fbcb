"""Shared test material for service tests: made-up people and list files (synthetic only)."""

from __future__ import annotations

import csv
from pathlib import Path

ADMIN, ADMIN_PW = "admin-1", "correct horse battery staple"
ANALYST, ANALYST_PW = "analyst-1", "analyst passphrase words"

HEADER = [
    "record_id", "list", "family_name", "given_name", "name_hangul", "aliases", "sex",
    "birth_date", "origin_place", "china_place", "event_date", "event_place", "violation",
    "perpetrator_type", "mother_record_id", "notes",
]  # fmt: skip

# Canary names: made up, and unlikely to occur by chance anywhere on disk.
CANARY_HANGUL = "뷁쫣햏"
CANARY_LATIN = "Qvxzorplanck"

FAMILY = ["김", "리", "박", "최", "정"]
FAMILY_LATIN = ["Kim", "Ri", "Pak", "Choe", "Jong"]
GIVEN = ["순희", "영옥", "명숙", "은정", "혜련", "미향"]
GIVEN_LATIN = ["Sun-hui", "Yong-ok", "Myong-suk", "Un-jong", "Hye-ryon", "Mi-hyang"]


def person_rows(
    n: int, *, list_name: str = "NGO interviews", start: int = 0
) -> list[dict[str, str]]:
    rows = []
    for i in range(start, start + n):
        f, g = i % len(FAMILY), (i // len(FAMILY)) % len(GIVEN)
        rows.append(
            {
                "record_id": f"R{i:06d}",
                "list": list_name,
                "family_name": FAMILY_LATIN[f],
                "given_name": GIVEN_LATIN[g],
                "name_hangul": FAMILY[f] + GIVEN[g],
                "aliases": "",
                "sex": "F",
                "birth_date": str(1970 + i % 30),
                "origin_place": "Hyesan" if i % 2 else "Musan",
                "china_place": "Yanji" if i % 3 else "연길",
                "event_date": "2010년 봄" if i % 4 == 0 else str(2000 + i % 20),
                "event_place": "Yanji",
                "violation": "FMAR" if i % 2 else "TIP.SALE",
                "perpetrator_type": "BROKER-CN" if i % 2 else "",
                "mother_record_id": "",
                "notes": "",
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path
