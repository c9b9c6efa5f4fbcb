"""clusters.csv / pairs.csv (FORMATS.md s5), capture histories (s3), review decisions."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import unseen.linkage as linkage
from conftest import cluster_of
from unseen.errors import ConfigError, InputError
from unseen.linkage import (
    PAIR_COLUMNS,
    Decision,
    EngineOptions,
    LinkResult,
    capture_histories,
    default_spec,
    link,
    write_capture_histories_csv,
    write_clusters_csv,
    write_pairs_csv,
)


def _small() -> LinkResult:
    clusters = pd.DataFrame(
        {
            "uid": [0, 1, 2, 3],
            "record_id": ["NK-001", "V-1", "NK-002", "S-9"],
            "list": ["NGO-A", "Uwazi", "NGO-A", "SHELTER"],
            "cluster_id": ["C0001", "C0001", "C0002", "C0001"],
            "cluster_size": [3, 3, 1, 3],
            "match_probability": [0.97, 0.97, None, 0.912345678],
        }
    )
    pairs = pd.DataFrame(
        {
            "uid_l": [0, 0, 1],
            "uid_r": [1, 3, 2],
            "record_id_l": ["NK-001", "NK-001", "V-1"],
            "list_l": ["NGO-A", "NGO-A", "Uwazi"],
            "record_id_r": ["V-1", "S-9", "NK-002"],
            "list_r": ["Uwazi", "SHELTER", "NGO-A"],
            "match_probability": [0.97, 0.912345678, 0.6],
            "decision": ["auto", "review:match", ""],
        }
    )
    records = pd.DataFrame(
        {
            "sex": ["F", "F", "M", ""],
            "first_exit_date": ["2010-03", "2010", "", "2011"],
            "origin_place": ["혜산시", "Hyesan", "Musan", ""],
        }
    )
    return LinkResult(clusters, pairs, {}, {}, 0.9, records=records)


def test_clusters_csv_exactly(tmp_path: Path) -> None:
    path = write_clusters_csv(_small(), tmp_path / "clusters.csv")
    assert path.read_bytes().decode("utf-8").split("\r\n") == [
        "record_id,list,cluster_id,cluster_size,match_probability",
        "NK-001,NGO-A,C0001,3,0.97",
        "V-1,Uwazi,C0001,3,0.97",
        "NK-002,NGO-A,C0002,1,",
        "S-9,SHELTER,C0001,3,0.912346",
        "",
    ]


def test_pairs_csv_exactly(tmp_path: Path) -> None:
    path = write_pairs_csv(_small(), tmp_path / "pairs.csv", min_probability=0.9)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        [*PAIR_COLUMNS, "reasons"],
        ["NK-001", "NGO-A", "V-1", "Uwazi", "0.97", "auto", ""],
        ["NK-001", "NGO-A", "S-9", "SHELTER", "0.912346", "review:match", ""],
    ]


def test_capture_histories_known_answer(tmp_path: Path) -> None:
    result = _small()
    table = capture_histories(result)
    assert list(table.columns) == ["NGO-A", "SHELTER", "Uwazi", "count"]
    assert table.values.tolist() == [[1, 0, 0, 1], [1, 1, 1, 1]]
    strat = capture_histories(result, strata=["sex", "first_exit_date:year"])
    assert strat.values.tolist() == [
        [1, 0, 0, "M", "unknown", 1],
        [1, 1, 1, "F", "2010", 1],  # F twice, unknown once; 2010 twice, 2011 once
    ]
    path = write_capture_histories_csv(strat, tmp_path / "h.csv")
    assert path.read_text(encoding="utf-8").splitlines()[0] == (
        "NGO-A,SHELTER,Uwazi,sex,first_exit_date:year,count"
    )
    derived = capture_histories(result, strata=["origin_place:province", "first_exit_date:decade"])
    assert derived.values.tolist() == [
        [1, 0, 0, "KP-09", "unknown", 1],  # Musan is in North Hamgyong (KP-09)
        [1, 1, 1, "KP-10", "2010s", 1],  # Hyesan is in Ryanggang (KP-10)
    ]
    with pytest.raises(ConfigError, match="no column 'province'"):
        capture_histories(result, strata=["province"])


def test_capture_histories_of_a_real_run(korean) -> None:  # type: ignore[no-untyped-def]
    table, _truth, result = korean
    h = capture_histories(result, strata=["sex"])
    assert int(h["count"].sum()) == result.n_clusters
    assert (h[list(result.lists)].sum(axis=1) > 0).all()  # never the all-zero pattern
    assert set(h["sex"]) <= {"F", "M", "unknown"}
    assert not h.duplicated([*result.lists, "sex"]).any()


def test_review_decisions_split_and_join(korean) -> None:  # type: ignore[no-untyped-def]
    table, _truth, before = korean
    assert cluster_of(before, "x1a") == cluster_of(before, "x1b")
    assert cluster_of(before, "x1a") != cluster_of(before, "n1a")
    decisions = [
        Decision("x1a", "NGO-A", "x1b", "NGO-B", "non-match"),
        Decision("x2a", "NGO-A", "n2a", "NGO-A", "match"),
        Decision("x1c", "MEDIA", "n1a", "NGO-A", "unsure"),
    ]
    after = link(table, decisions=decisions, options=EngineOptions(threads=1))
    assert cluster_of(after, "x1a") != cluster_of(after, "x1b")
    assert cluster_of(after, "x2a") == cluster_of(after, "n2a")
    assert cluster_of(after, "x1c") != cluster_of(after, "n1a")  # unsure changes nothing
    decided = after.pairs.set_index(["record_id_l", "record_id_r"])["decision"]
    assert decided[("x1a", "x1b")] == "review:non-match"
    assert decided[("x2a", "n2a")] == "review:match"
    n2a = after.clusters[after.clusters["record_id"] == "n2a"]["match_probability"].iloc[0]
    assert n2a == 1.0
    assert after.stats["decisions"] == {"match": 1, "non-match": 1}
    assert after.stats["labels_trained"] is False  # one match label < min_labels


def test_match_labels_train_the_model(korean) -> None:  # type: ignore[no-untyped-def]
    table, truth, before = korean
    people = truth.groupby("person_id")
    labels = []
    for _pid, group in people:
        if len(group) >= 2 and len(labels) < 15:
            a, b = group.iloc[0], group.iloc[1]
            labels.append(Decision(a.record_id, a.list, b.record_id, b.list, "match"))
    spec = replace(default_spec(), min_labels=10)
    after = link(table, spec, decisions=labels, options=EngineOptions(threads=1))
    assert after.stats["labels_trained"] is True
    m_before = before.model["comparisons"][0]["levels"][0]["m"]
    m_after = after.model["comparisons"][0]["levels"][0]["m"]
    assert m_before != m_after
    for d in labels:
        assert cluster_of(after, d.record_id_l) == cluster_of(after, d.record_id_r)


def test_decision_errors(korean) -> None:  # type: ignore[no-untyped-def]
    table, _truth, _result = korean
    with pytest.raises(InputError, match="not in the input"):
        link(table, decisions=[Decision("nope", "NGO-A", "x1a", "NGO-A", "match")])
    with pytest.raises(InputError, match="both match and non-match"):
        link(
            table,
            decisions=[
                Decision("x1a", "NGO-A", "x1b", "NGO-B", "match"),
                Decision("x1b", "NGO-B", "x1a", "NGO-A", "non-match"),
            ],
        )
    with pytest.raises(InputError, match="a decision is one of"):
        Decision("a", "A", "b", "B", "maybe")


def test_exports_are_exactly_all() -> None:
    public = {n for n in vars(linkage) if not n.startswith("_")} - {"annotations"}
    modules = {
        "blocking",
        "clustering",
        "decided",
        "engine",
        "evaluation",
        "explanation",
        "features",
        "list_prior",
        "result",
        "spec",
        "model",
    }
    assert public - modules == set(linkage.__all__)
