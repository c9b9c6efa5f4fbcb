"""How many reviewer decisions the realistic lists need: F1 against the number of pairs reviewed.

    .venv/bin/python bench/linkage_review.py                          # realistic preset, seed 7
    .venv/bin/python bench/linkage_review.py --counts 0 500 2000 --errors 0.05

The model alone stops near pairwise F1 0.88 on the realistic preset (docs/linkage.md, "How far
the realistic lists let any model go"); the review loop is how a team goes further. This bench
plays the loop of ``unseen review`` with the simulator's truth as the reviewer:

1. ``link`` once with the default model (the anchor row: no decisions).
2. The scored pairs are put in the order ``unseen review`` shows them (match probability
   closest to 0.5 first, ``unseen.services.review.next_pair``), from 0.01 up to 0.999.
3. For each count N, the first N pairs a reviewer is asked are decided by the truth
   (``match`` / ``non-match``); a pair the decisions before it already settle (A = B and
   B = C settle A and C) is passed over, as ``unseen review`` does, and the ``settled``
   column counts them. The lists are linked again with those decisions and the first run's
   model (``--model``: the decisions only constrain clustering) and, for ``--retrain``
   counts, also trained again with the decisions as labels (Splink's
   ``estimate_m_from_pairwise_labels``).

``--errors P`` gives the reviewer a wrong answer on a seeded share P of the pairs, and adds
the columns of the same decisions after ``unseen review --second-look``: each decision against
a confident model (same person at 0.1 or below, different people at 0.9 or above) decided
again by a second reviewer who errs as often; it stands when they agree, and is dropped
(``unsure``) when they differ. Since a settled pair is never asked, even wrong decisions
never contradict each other. A real reviewer sees the same fields as the model, plus the testimonies
behind them: the truth is an upper bound on what a person decides, and ``--errors`` a way to
see how much a reviewer's mistakes cost.

Ratios are against the anchor run (no decisions).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_quality import _simulated  # noqa: E402  (a bench script beside this one)
from unseen.linkage import (  # noqa: E402
    Decision,
    DecisionGraph,
    EngineOptions,
    Evaluation,
    default_spec,
    evaluate,
    link,
)
from unseen.services.review import SECOND_LOOK  # noqa: E402

REVIEW_RANGE = (0.01, 0.999)


def review_order(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs in the order ``unseen review`` offers them: closest to 0.5 first."""
    p = pairs["match_probability"].astype(float)
    inside = pairs[(p >= REVIEW_RANGE[0]) & (p < REVIEW_RANGE[1])]
    gap = (inside["match_probability"].astype(float) - 0.5).abs()
    return inside.assign(_gap=gap).sort_values(["_gap", "uid_l", "uid_r"], kind="stable")


def oracle(
    ordered: pd.DataFrame,
    person: dict[tuple[str, str], str],
    n: int,
    errors: float,
    seed: int,
    second_look: bool = False,
) -> tuple[list[Decision], int]:
    """The first ``n`` pairs a reviewer is asked, decided by the truth, a seeded share
    ``errors`` of them wrongly, and how many pairs were passed over on the way because the
    decisions already settled them (``unseen.services.review.next_pair`` does not offer
    them: A = B and B = C settle A and C). With ``second_look``, each decision against a
    confident model (``SECOND_LOOK``) is decided again by a second reviewer who errs as
    often, independently: the decision stands when the two agree and becomes ``unsure``
    (dropped) when they differ, as ``unseen review --second-look`` does."""
    wrong = np.random.default_rng(seed).random(len(ordered)) < errors
    wrong_again = np.random.default_rng(seed + 1).random(len(ordered)) < errors
    low, high = SECOND_LOOK
    graph, out, asked, passed = DecisionGraph(), [], 0, 0
    rows = ordered.itertuples(index=False)
    for row, flip, flip2 in zip(rows, wrong, wrong_again, strict=True):
        if asked == n:
            break
        left, right = (row.list_l, row.record_id_l), (row.list_r, row.record_id_r)
        if graph.says(left, right) is not None:
            passed += 1
            continue
        asked += 1
        said = "match" if (person[left] == person[right]) != flip else "non-match"
        graph.add(left, right, said)
        p = float(row.match_probability)
        against = (said == "match" and p <= low) or (said == "non-match" and p >= high)
        if second_look and against and flip != flip2:
            continue  # the two reviewers differ: unsure, no constraint
        out.append(Decision(row.record_id_l, row.list_l, row.record_id_r, row.list_r, said))
    return out, passed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--preset", default="realistic")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--counts", type=int, nargs="+", default=[250, 500, 1000, 2000, 4000, 8000])
    ap.add_argument("--retrain", type=int, nargs="*", default=[2000])
    ap.add_argument("--errors", type=float, default=0.0)
    args = ap.parse_args()

    table, truth = _simulated(args.preset, args.seed)
    person = {
        (str(lst), str(rid)): str(pid)
        for rid, lst, pid in zip(truth["record_id"], truth["list"], truth["person_id"], strict=True)
    }
    # pairs.csv keeps the pairs at or above the review band's lower end: widen it to 0.01.
    spec = replace(default_spec(), review_band=(REVIEW_RANGE[0], default_spec().review_band[1]))
    options = EngineOptions(memory_limit="4GB", keep_candidates=True)
    t0 = time.perf_counter()
    anchor = link(table, spec, options=options)
    anchor_s = time.perf_counter() - t0
    ordered = review_order(anchor.pairs)
    band = ordered["match_probability"].between(*default_spec().review_band, inclusive="left")
    print(
        f"# {args.preset} preset, seed {args.seed}: {len(table):,} records, "
        f"{len(ordered):,} pairs between {REVIEW_RANGE[0]} and {REVIEW_RANGE[1]} "
        f"({int(band.sum()):,} in the default review band {default_spec().review_band}); "
        f"reviewer errors {args.errors:.0%}"
    )
    print(
        f"{'reviewed':>9} {'trained':>8} {'settled':>8} {'precision':>10} {'recall':>7} "
        f"{'F1':>7} {'B3 F1':>7} {'F1/anchor':>10} {'seconds':>8}"
        + (f" {'2nd look F1':>12} {'B3 F1':>7}" if args.errors else "")
    )
    base = evaluate(anchor, truth)
    _row(0, "EM", 0, base, base.f1, anchor_s)
    for n in args.counts:
        decisions, passed = oracle(ordered, person, n, args.errors, args.seed)
        for retrain in (False, True) if n in args.retrain else (False,):
            t0 = time.perf_counter()
            run = link(
                table,
                spec,
                decisions=decisions,
                options=options,
                model=None if retrain else anchor.model,
            )
            seconds = time.perf_counter() - t0
            extra = ""
            if args.errors and not retrain:
                checked, _ = oracle(ordered, person, n, args.errors, args.seed, True)
                again = evaluate(
                    link(table, spec, decisions=checked, options=options, model=anchor.model),
                    truth,
                )
                extra = f" {again.f1:>12.4f} {again.bcubed_f1:>7.4f}"
            _row(n, "labels" if retrain else "-", passed, evaluate(run, truth), base.f1, seconds,
                 extra)  # fmt: skip


def _row(
    n: int,
    trained: str,
    passed: int,
    e: Evaluation,
    anchor: float,
    seconds: float,
    extra: str = "",
) -> None:
    ratio = e.f1 / anchor if anchor else math.nan
    print(
        f"{n:>9,} {trained:>8} {passed:>8} {e.precision:>10.4f} {e.recall:>7.4f} "
        f"{e.f1:>7.4f} {e.bcubed_f1:>7.4f} {ratio:>10.3f} {seconds:>8.1f}{extra}",
        flush=True,
    )


if __name__ == "__main__":
    main()
