"""The shared syllable table (name_syllables.csv) is well formed: every pool a draw order."""

from __future__ import annotations

import csv
import typing

import pytest
from namekit import SYLLABLES_CSV, Part, Pool, labelled_pairs, syllables

from unseen.names._hangul import is_syllable

ROWS = list(csv.DictReader(SYLLABLES_CSV.read_text(encoding="utf-8").splitlines()))
POOLS: tuple[Pool, ...] = typing.get_args(Pool)


def test_each_syllable_once_per_part() -> None:
    keys = [(r["part"], r["syllable"]) for r in ROWS]
    assert len(keys) == len(set(keys))
    assert {r["part"] for r in ROWS} == {"family", "given"}


def test_only_hangul_syllables() -> None:
    for r in ROWS:
        assert all(is_syllable(ch) for ch in r["syllable"]), r
        assert len(r["syllable"]) <= (2 if r["part"] == "family" else 1), r


@pytest.mark.parametrize("pool", POOLS)
@pytest.mark.parametrize("part", typing.get_args(Part))
def test_a_pool_numbers_its_syllables_one_to_n(pool: Pool, part: Part) -> None:
    places = sorted(int(r[pool]) for r in ROWS if r["part"] == part and r[pool])
    assert places == list(range(1, len(places) + 1))
    drawn = syllables(part, pool)
    assert len(drawn) == len(places) >= 20
    assert len(set(drawn)) == len(drawn)


def test_pair_table_columns() -> None:
    rows = labelled_pairs()
    assert set(rows[0]) == {"a", "b", "same", "variant_class"}
    assert {r["same"] for r in rows} == {"0", "1"}
