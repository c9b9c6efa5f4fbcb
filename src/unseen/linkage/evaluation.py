"""How good a linkage is, against a truth table (FORMATS.md s2: ``record_id,list,person_id``).

- Pairwise: a pair is predicted when both records share a cluster, true when they share a
  person; precision, recall and F1 over all such pairs.
- B-cubed: per record, precision = |its cluster ∩ its person| / |its cluster| and recall =
  ... / |its person|, averaged over records; F1 of the two averages.
- Clusters: the share of true people whose records form exactly one cluster and nothing else.
- Blocking: pair completeness, the share of true pairs among the candidate pairs (needs
  ``EngineOptions(keep_candidates=True)``), and the number of candidate pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from unseen.errors import InputError
from unseen.linkage.result import LinkResult

__all__ = ["Evaluation", "evaluate", "pairwise_counts"]


@dataclass(frozen=True)
class Evaluation:
    records: int
    true_pairs: int
    predicted_pairs: int
    true_positive_pairs: int
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    people: int
    clusters: int
    exact_clusters: float
    candidate_pairs: int | None
    pair_completeness: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_counts(cluster: list[str], person: list[str]) -> tuple[int, int, int]:
    """(true pairs, predicted pairs, true positives) of two labellings of the same records."""
    both = Counter(zip(cluster, person, strict=True))
    tp = sum(_pairs(c) for c in both.values())
    predicted = sum(_pairs(c) for c in Counter(cluster).values())
    true = sum(_pairs(c) for c in Counter(person).values())
    return true, predicted, tp


def evaluate(result: LinkResult, truth: pd.DataFrame) -> Evaluation:
    """Compare ``result`` with ``truth``; every linked record must appear in the truth."""
    need = {"record_id", "list", "person_id"}
    if not need <= set(truth.columns):
        raise InputError("the truth table needs the columns record_id, list, person_id")
    key = {
        (str(lst), str(rid)): str(pid)
        for rid, lst, pid in zip(truth["record_id"], truth["list"], truth["person_id"], strict=True)
    }
    clusters = result.clusters
    person = []
    missing = 0
    for rid, lst in zip(clusters["record_id"], clusters["list"], strict=True):
        pid = key.get((str(lst), str(rid)))
        if pid is None:
            missing += 1
        person.append(pid or "")
    if missing:
        raise InputError(f"{missing} linked record(s) are not in the truth table")
    cluster = [str(c) for c in clusters["cluster_id"]]
    true, predicted, tp = pairwise_counts(cluster, person)
    precision = tp / predicted if predicted else 1.0
    recall = tp / true if true else 1.0

    both = Counter(zip(cluster, person, strict=True))
    c_size, p_size = Counter(cluster), Counter(person)
    n = len(cluster)
    b_p = sum(both[(c, p)] / c_size[c] for c, p in zip(cluster, person, strict=True)) / n
    b_r = sum(both[(c, p)] / p_size[p] for c, p in zip(cluster, person, strict=True)) / n
    exact = sum(1 for (c, p), k in both.items() if k == c_size[c] == p_size[p])

    candidates = result.stats.get("candidates")
    completeness = None
    n_candidates = result.stats.get("candidate_pairs")
    if isinstance(candidates, pd.DataFrame):
        hit = sum(
            1
            for a, b in zip(candidates["uid_l"], candidates["uid_r"], strict=True)
            if person[int(a)] == person[int(b)]
        )
        completeness = hit / true if true else 1.0
    return Evaluation(
        records=n,
        true_pairs=true,
        predicted_pairs=predicted,
        true_positive_pairs=tp,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        bcubed_precision=b_p,
        bcubed_recall=b_r,
        bcubed_f1=_f1(b_p, b_r),
        people=len(p_size),
        clusters=len(c_size),
        exact_clusters=exact / len(p_size) if p_size else 1.0,
        candidate_pairs=None if n_candidates is None else int(n_candidates),
        pair_completeness=completeness,
    )
