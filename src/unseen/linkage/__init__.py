"""Record linkage and deduplication of people across lists (pure: takes tables, never the store).

>>> result = link(table)                      # doctest: +SKIP
>>> write_clusters_csv(result, "clusters.csv")  # doctest: +SKIP

:func:`link` builds features (:mod:`~unseen.linkage.features`) from a table of person-list rows
(FORMATS.md s1) or any columns a :class:`LinkageSpec` names, trains a Fellegi-Sunter model with
Splink on DuckDB (default) or Spark, scores candidate pairs and clusters them, with reviewers'
:class:`Decision` s as hard constraints. :func:`evaluate` measures the result against a truth
table (FORMATS.md s2). This is the only package that imports Splink, DuckDB or pyspark.
"""

from __future__ import annotations

from unseen.linkage.clustering import FLOOR_SHARE, Clustering, cluster_average, cluster_pairs
from unseen.linkage.decided import DecisionGraph
from unseen.linkage.engine import DECISIONS, Decision, EngineOptions, link
from unseen.linkage.evaluation import Evaluation, evaluate
from unseen.linkage.explanation import Reason, format_reasons, parse_reasons, probability_of
from unseen.linkage.features import Features, build_features
from unseen.linkage.list_prior import list_shifts, shift_matrix, shifts_as_records
from unseen.linkage.result import (
    CLUSTER_COLUMNS,
    PAIR_COLUMNS,
    REASONS,
    LinkResult,
    capture_histories,
    check_strata,
    write_capture_histories_csv,
    write_clusters_csv,
    write_pairs_csv,
)
from unseen.linkage.spec import COMPARISON_TYPES, Comparison, LinkageSpec, Rule, default_spec

__all__ = [
    "CLUSTER_COLUMNS",
    "COMPARISON_TYPES",
    "DECISIONS",
    "FLOOR_SHARE",
    "PAIR_COLUMNS",
    "REASONS",
    "Clustering",
    "Comparison",
    "Decision",
    "DecisionGraph",
    "EngineOptions",
    "Evaluation",
    "Features",
    "LinkResult",
    "LinkageSpec",
    "Reason",
    "Rule",
    "build_features",
    "capture_histories",
    "check_strata",
    "cluster_average",
    "cluster_pairs",
    "default_spec",
    "evaluate",
    "format_reasons",
    "link",
    "list_shifts",
    "parse_reasons",
    "probability_of",
    "shift_matrix",
    "shifts_as_records",
    "write_capture_histories_csv",
    "write_clusters_csv",
    "write_pairs_csv",
]
