"""Capture histories: canonical form, reading FORMATS.md s3 files, exact errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from msekit import MSE_DATA, table

from unseen.errors import InputError, ValidationFailed
from unseen.estimation import (
    CaptureHistories,
    Estimate,
    collapse,
    read_capture_histories,
    write_estimates_json,
)

ALL = sorted(p.stem for p in MSE_DATA.glob("*.csv") if p.stem != "reference_results")


@pytest.mark.parametrize(
    ("name", "t", "n"),
    [
        ("uk2013", 6, 2744),
        ("kosovo1999", 4, 4400),
        ("new_orleans", 8, 185),
        ("artificial3", 3, 96),
        ("scotland_pwid2006_stratified", 4, 5670),
        ("western_us", 5, 345),
    ],
)
def test_readme_sizes(name: str, t: int, n: int) -> None:
    h = table(name)
    assert (h.n_lists, h.observed) == (t, n)


@pytest.mark.parametrize("name", ALL)
def test_every_shared_table_reads(name: str) -> None:
    hs = read_capture_histories(MSE_DATA / f"{name}.csv")
    for h in hs:
        assert h.counts.min() > 0
        assert len(set(h.index.tolist())) == len(h.counts)
        assert h.full_counts().sum() == h.observed


def test_strata_are_split_in_order_of_appearance() -> None:
    hs = read_capture_histories(MSE_DATA / "scotland_pwid2006_stratified.csv")
    assert len(hs) == 8
    assert hs[0].stratum == (("region", "GGC"), ("gender", "Male"), ("age", "Young"))
    assert sum(h.observed for h in hs) == 5670
    assert collapse(hs).observed == 5670


def test_full_counts_index_is_the_bit_pattern() -> None:
    h = CaptureHistories.from_counts(["A", "B", "C"], [[1, 0, 0], [0, 1, 1], [1, 1, 1]], [4, 5, 6])
    # A -> index 1, B&C -> 2+4 = 6, all -> 7
    assert h.full_counts().tolist() == [4, 0, 0, 0, 0, 5, 6]


def test_from_counts_merges_duplicates_and_drops_zeros() -> None:
    h = CaptureHistories.from_counts(["A", "B"], [[0, 1], [1, 0], [0, 1], [1, 1]], [2, 3, 4, 0])
    assert h.patterns.tolist() == [[1, 0], [0, 1]]
    assert h.counts.tolist() == [3, 6]
    assert h.observed == 9
    with pytest.raises(ValueError):
        h.counts[0] = 1  # read-only


@pytest.mark.parametrize(
    ("patterns", "counts", "what"),
    [
        ([[1, 2]], [1], "0 or 1"),
        ([[1, 0, 1]], [1], "2 values"),
        ([[1, 0]], [-1], "non-negative integers"),
        ([[1, 0]], [1.5], "non-negative integers"),
        ([[0, 0]], [3], "all-zero pattern"),
    ],
)
def test_from_counts_rejects(patterns: list[list[int]], counts: list[float], what: str) -> None:
    with pytest.raises(InputError, match=what):
        CaptureHistories.from_counts(["A", "B"], patterns, counts)


@given(
    st.lists(st.tuples(st.integers(1, 15), st.integers(0, 50)), min_size=1, max_size=30),
    st.permutations(range(4)),
)
def test_permuting_lists_keeps_counts(rows: list[tuple[int, int]], order: list[int]) -> None:
    pats = [[(i >> j) & 1 for j in range(4)] for i, _ in rows]
    h = CaptureHistories.from_counts("ABCD", pats, [c for _, c in rows])
    p = h.permuted(order)
    assert p.observed == h.observed
    assert p.lists == tuple("ABCD"[i] for i in order)
    assert sorted(p.list_totals().tolist()) == sorted(h.list_totals().tolist())
    assert p.permuted(np.argsort(order).tolist()) == h


def write(tmp_path: Path, text: str, name: str = "h.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


def test_bom_crlf_and_explicit_zero_rows(tmp_path: Path) -> None:
    p = write(tmp_path, "\ufeffA,B,count\r\n1,0,3\r\n0,1,0\r\n1,1,2\r\n")
    (h,) = read_capture_histories(p)
    assert h.lists == ("A", "B") and h.full_counts().tolist() == [3, 0, 2]


def test_numeric_stratum_named_explicitly(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,sex,count\n1,0,0,3\n0,1,1,4\n1,1,1,2\n")
    hs = read_capture_histories(p, strata=["sex"])
    assert [h.stratum for h in hs] == [(("sex", "0"),), (("sex", "1"),)]
    # without strata= a 0/1 column is a list
    (h,) = read_capture_histories(p)
    assert h.lists == ("A", "B", "sex")


def problems_of(p: Path, **kw: object) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        read_capture_histories(p, **kw)  # type: ignore[arg-type]
    return [str(x) for x in info.value.problems]


def test_exact_problems(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,count\n1,0,3\n1,x,2\n0,0,1\n1,1,-2\n1,1\n", "bad.csv")
    assert problems_of(p) == [
        "bad.csv, row 6: 2 values, the header has 3 / 값이 2개인데 머리글은 3개입니다 "
        "(check for a missing or stray comma / 빠지거나 잘못 들어간 쉼표를 확인하세요)",
        "bad.csv, row 3, column 'B': a list column takes 0 or 1 / 명단 열에는 0 또는 1만 쓸 수 "
        "있습니다 (write 1 (on the list) or 0 (not on it); if the column is a stratum, name it "
        "as one (--strata) / 1(명단에 있음) 또는 0(없음)을 쓰세요. 층 열이라면 층으로 "
        "지정하세요(--strata))",
    ]


def test_count_and_all_zero_problems(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,count\n1,0,3\n0,0,1\n1,1,-2\n", "bad.csv")
    got = problems_of(p)
    assert len(got) == 2
    assert got[0].startswith("bad.csv, row 3: the all-zero pattern (on no list)")
    assert got[1].startswith("bad.csv, row 4, column 'count': count must be a non-negative")


def test_last_column_must_be_count(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,n\n1,0,3\n", "c.csv")
    assert problems_of(p) == [
        "c.csv, row 1, column 'n': the last column must be 'count' / 마지막 열은 'count'여야 "
        "합니다 (put the number of people with each pattern in a last column 'count' / 패턴별 "
        "인원 수를 마지막 열 'count'에 쓰세요)"
    ]


def test_one_list_is_not_enough(tmp_path: Path) -> None:
    p = write(tmp_path, "A,region,count\n1,north,3\n1,south,2\n", "one.csv")
    (msg,) = problems_of(p)
    assert "1 list column(s); estimation needs at least 2" in msg


def test_unknown_stratum_and_missing_file(tmp_path: Path) -> None:
    p = write(tmp_path, "A,B,count\n1,0,3\n", "s.csv")
    (msg,) = problems_of(p, strata=["sex"])
    assert msg.startswith("s.csv, row 1, column 'sex': no such stratum column")
    with pytest.raises(InputError, match="nope.csv: cannot be read"):
        read_capture_histories(tmp_path / "nope.csv")
    q = tmp_path / "latin1.csv"
    q.write_bytes("A,B,count\n1,0,3\n\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_capture_histories(q)


def test_estimates_json_round_trip(tmp_path: Path) -> None:
    h = table("uk2013")
    e = Estimate(
        "demo",
        h.observed,
        12000.0,
        11000.0,
        float("inf"),
        0.95,
        h.lists,
        diagnostics={"aic": np.float64(3.5), "terms": np.array([1, 2])},
        seed=7,
        stratum=(("sex", "F"),),
    )
    bad = Estimate.not_estimable("demo", 3, h.lists, "no overlap", stratum=(("sex", "M"),))
    out = write_estimates_json(tmp_path / "estimates.json", [e, bad], None)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["total"] is None
    assert data["strata"]["F"]["upper"] is None  # inf is not JSON
    assert data["strata"]["F"]["diagnostics"] == {"aic": 3.5, "terms": [1, 2]}
    assert data["strata"]["M"]["status"] == "not_estimable"
    assert data["strata"]["M"]["message"] == "no overlap"
    with pytest.raises(TypeError):
        e.diagnostics["aic"] = 1  # type: ignore[index]
