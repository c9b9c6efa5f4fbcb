"""Shared linkage runs: real Splink on DuckDB, small data, computed once per session."""

from __future__ import annotations

import pandas as pd
import pytest
from linkagekit import COLUMNS, person_lists

from unseen.linkage import EngineOptions, LinkResult, link

# Hand-built people (made-up names from syllables the background never uses), each with its
# records' ids; HARD_NEGATIVES are pairs of records of different people that look alike.
HAND = [
    # person X1: 김지현 in Hangul, two romanisations, and under an alias
    ("x1a", "NGO-A", "김지현", "", "", "", "F", "1980-03-15", "혜산시"),
    ("x1b", "NGO-B", "", "Kim", "Chi-hyon", "", "F", "1980", "Hyesan"),
    ("x1c", "MEDIA", "Kim Ji-hyun", "", "", "", "F", "1980-03", "Hyesan-si"),
    ("x1d", "MEDIA", "Kim Mi-ran", "", "", "김지현", "F", "1980-03-15", "Hyesan"),
    # person X2: 리예진, North and South spellings
    ("x2a", "NGO-A", "리예진", "", "", "", "F", "1975-06-01", "무산군"),
    ("x2b", "NGO-B", "", "Lee", "Ye-jin", "", "F", "1975~", "Musan"),
    ("x2c", "MEDIA", "Ri Ye Jin", "", "", "", "F", "1975", "Musan"),
    # hard negative of X1: her sister 김지연, same place, two years younger, one sound apart
    ("n1a", "NGO-A", "김지연", "", "", "", "F", "1982-03-02", "혜산시"),
    ("n1b", "NGO-B", "", "Kim", "Ji-yeon", "", "F", "1982", "Hyesan"),
    # twins, brother and sister: same family name, birth date and place; given name and sex
    # differ
    ("n2a", "NGO-A", "최주원", "", "", "", "M", "1968-01-10", "청진시"),
    ("n3a", "NGO-A", "최주연", "", "", "", "F", "1968-01-10", "청진시"),
    ("n3b", "MEDIA", "Choe Ju Yon", "", "", "", "F", "1968", "Chongjin"),
]
SAME = {
    "X1": ("x1a", "x1b", "x1c", "x1d"),
    "X2": ("x2a", "x2b", "x2c"),
    "N1": ("n1a", "n1b"),
    "N3": ("n3a", "n3b"),
}


def korean_table(seed: int = 11, n_people: int = 400) -> tuple[pd.DataFrame, pd.DataFrame]:
    table, truth = person_lists(seed, n_people)
    hand = pd.DataFrame(HAND, columns=list(COLUMNS))
    owner = {rid: pid for pid, rids in SAME.items() for rid in rids}
    hand_truth = pd.DataFrame(
        [(r[0], r[1], owner.get(r[0], r[0])) for r in HAND],
        columns=["record_id", "list", "person_id"],
    )
    return (
        pd.concat([table, hand], ignore_index=True),
        pd.concat([truth, hand_truth], ignore_index=True),
    )


@pytest.fixture(scope="session")
def korean() -> tuple[pd.DataFrame, pd.DataFrame, LinkResult]:
    table, truth = korean_table()
    return table, truth, link(table, options=EngineOptions(keep_candidates=True, threads=1))


def cluster_of(result: LinkResult, record_id: str) -> str:
    rows = result.clusters[result.clusters["record_id"] == record_id]
    assert len(rows) == 1
    return str(rows["cluster_id"].iloc[0])
