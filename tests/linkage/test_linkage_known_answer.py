"""Real Splink on DuckDB: made-up Korean lists with known truth, hand-built hard cases."""

from __future__ import annotations

import pandas as pd

from conftest import SAME, cluster_of
from unseen.linkage import LinkResult, default_spec, evaluate


def test_spelling_variants_and_aliases_cluster(korean) -> None:  # type: ignore[no-untyped-def]
    _table, _truth, result = korean
    for person, records in SAME.items():
        clusters = {cluster_of(result, r) for r in records}
        assert len(clusters) == 1, person


def test_hard_negatives_stay_apart(korean) -> None:  # type: ignore[no-untyped-def]
    _table, _truth, result = korean
    # sisters one sound apart (김지현 / 김지연), same place, two years apart
    assert cluster_of(result, "x1a") != cluster_of(result, "n1a")
    # twins of different sex, given names one sound apart (최주원 / 최주연)
    assert cluster_of(result, "n2a") != cluster_of(result, "n3a")
    # the romanised records of the sister join her, not X1
    assert cluster_of(result, "n1b") == cluster_of(result, "n1a")


def test_quality_on_the_background_lists(korean) -> None:  # type: ignore[no-untyped-def]
    _table, truth, result = korean
    e = evaluate(result, truth)
    # Measured on seeds 5, 11, 23 (400 people, 740-770 records) at the default threshold
    # 0.5: precision 1.0 on all three, pairwise F1 0.976 / 0.964 / 0.974, B-cubed F1
    # 0.989 / 0.984 / 0.989, pair completeness >= 0.993.
    assert e.precision >= 0.98
    assert e.f1 >= 0.95
    assert e.bcubed_f1 >= 0.98
    assert e.pair_completeness is not None and e.pair_completeness >= 0.99
    assert e.candidate_pairs == result.stats["candidate_pairs"]
    assert e.candidate_pairs < 2_000  # blocking keeps 0.5% of the 270k possible pairs


def test_result_is_consistent(korean) -> None:  # type: ignore[no-untyped-def]
    table, _truth, result = korean
    assert isinstance(result, LinkResult)
    clusters = result.clusters
    assert len(clusters) == len(table)
    assert list(clusters["record_id"]) == list(table["record_id"])
    sizes = clusters.groupby("cluster_id")["record_id"].transform("size")
    assert (sizes == clusters["cluster_size"]).all()
    single = clusters["cluster_size"] == 1
    assert clusters.loc[single, "match_probability"].isna().all()
    joined = clusters.loc[~single, "match_probability"]
    spec = default_spec()
    assert spec.clustering == "average" and result.stats["clustering"] == {
        "method": "average",
        "threshold": spec.cluster_threshold,
    }
    # Average linkage: a record joins at the mean of the merge that took it in.
    assert (joined >= spec.cluster_threshold).all() and (joined <= 1).all()
    pairs = result.pairs
    assert (pairs["uid_l"] < pairs["uid_r"]).all()
    assert not pairs.duplicated(["uid_l", "uid_r"]).any()
    assert set(pairs["decision"]) <= {"auto", ""}
    # ``auto``: the clusters join the pair.
    cluster = dict(zip(clusters["uid"], clusters["cluster_id"], strict=True))
    same = [cluster[a] == cluster[b] for a, b in zip(pairs["uid_l"], pairs["uid_r"], strict=True)]
    assert (pd.Series(same, index=pairs.index) == (pairs["decision"] == "auto")).all()
    assert (pairs["match_probability"] >= min(spec.review_band[0], spec.threshold)).all()
    assert repr(result).startswith("LinkResult(records=")
    levels = {c["name"]: c["levels"] for c in result.model["comparisons"]}
    assert set(levels) == {"name", "birth", "sex", "origin"}  # china and exit have no values
    assert levels["name"][0]["label"] == "same name" and levels["name"][0]["match_weight"] > 5
