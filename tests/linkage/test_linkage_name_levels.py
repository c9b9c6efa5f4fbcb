"""Which level of the default name comparison a pair of records falls in, on DuckDB itself."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from unseen.linkage import build_features, default_spec
from unseen.linkage.model import splink_comparison


def _level(a: dict[str, str], b: dict[str, str]) -> str:
    spec = default_spec()
    rows = [{"record_id": "1", "list": "A", **a}, {"record_id": "2", "list": "B", **b}]
    frame = build_features(pd.DataFrame(rows), spec).frame
    cols = [c for c in frame.columns if c.startswith("name__")]
    pair = pd.DataFrame(
        {f"{c}_{side}": [frame[c][i]] for c in cols for side, i in (("l", 0), ("r", 1))}
    )
    comparison = splink_comparison(spec.comparison("name")).get_comparison("duckdb")
    con = duckdb.connect()
    con.register("pair", pair)
    for level in comparison.comparison_levels:
        sql = level.sql_condition
        # the model's own level SQL over one row of features, not outside input
        if sql == "ELSE" or con.execute(f"SELECT ({sql}) FROM pair").fetchone()[0]:  # noqa: S608
            return str(level.label_for_charts)
    raise AssertionError("no level matched")


SLIP = "same family name, given name one keyboard slip off (Hangul)"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("김명형", "김명향"),  # ㅕ / ㅑ: keys side by side
        ("문성희", "문겅희"),  # ㅅ / ㄱ
        ("박은희", "박는희"),  # ㅇ / ㄴ
    ],
)
def test_a_keyboard_slip_in_hangul_is_its_own_level(a: str, b: str) -> None:
    assert _level({"full_name": a}, {"full_name": b}) == SLIP
    assert _level({"full_name": b}, {"full_name": a}) == SLIP


def test_a_slip_is_read_from_the_name_written_in_hangul() -> None:
    # A Latin name first and a Hangul one after: the Hangul one is the name as written.
    both = {"family_name": "Kim", "given_name": "Son-hui", "name_hangul": "김명향"}
    frame = build_features(pd.DataFrame([{"record_id": "1", "list": "A", **both}]), default_spec())
    assert frame.frame["name__written"][0] == "김명향"
    assert _level(both, {"full_name": "김명형"}) == SLIP


def test_a_slip_against_a_latin_spelling_either_way_round() -> None:
    hangul, latin = {"full_name": "김명형"}, {"family_name": "Kim", "given_name": "Myong-hyang"}
    assert _level(hangul, latin) == SLIP
    assert _level(latin, hangul) == SLIP


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("김보람", "김보란"),  # another final consonant: not a slip
        ("김명희", "김영희"),  # ㅁ and ㅇ are two keys apart (and 녕 is 영 in the North)
        ("김명형", "박명향"),  # another family
    ],
)
def test_other_one_letter_gaps_are_not_slips(a: str, b: str) -> None:
    assert _level({"full_name": a}, {"full_name": b}) != SLIP


def test_the_same_name_is_not_a_slip() -> None:
    assert _level({"full_name": "김명형"}, {"full_name": "김명형"}) == "same name"
