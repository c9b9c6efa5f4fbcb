"""Precision and recall of "same name" on the labelled pairs in tests/names/name_pairs.csv.

    .venv/bin/python bench/names_pairs.py [--threshold 0.9] [--show-errors]

Prints one row per variant class and the totals.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from pathlib import Path

from unseen.names import SAME_NAME_THRESHOLD, similarity

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "names" / "name_pairs.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threshold", type=float, default=SAME_NAME_THRESHOLD)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    rows = list(csv.DictReader(PAIRS.read_text(encoding="utf-8").splitlines()))
    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp fp fn tn
    start = time.perf_counter()
    for r in rows:
        s = similarity(r["a"], r["b"])
        predicted, truth = s.score >= args.threshold, r["same"] == "1"
        cell = (0 if truth else 1) if predicted else (2 if truth else 3)
        by_class[r["variant_class"]][cell] += 1
        if args.show_errors and predicted != truth:
            print(f"  {'FP' if predicted else 'FN'} {r['a']} | {r['b']}: {s.score} {s.reason}")
    elapsed = time.perf_counter() - start
    print(f"{'variant class':32} {'pairs':>5} {'same':>5} {'correct':>8}")
    total = [0, 0, 0, 0]
    for cls in sorted(by_class):
        tp, fp, fn, tn = by_class[cls]
        total = [x + y for x, y in zip(total, by_class[cls], strict=True)]
        print(f"{cls:32} {tp + fp + fn + tn:5d} {tp + fn:5d} {tp + tn:8d}")
    tp, fp, fn, tn = total
    print(f"\nthreshold {args.threshold}: {len(rows)} pairs, tp={tp} fp={fp} fn={fn} tn={tn}")
    print(f"precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, tp + fn):.3f}  "
          f"({len(rows) / elapsed:.0f} pairs/s)")


if __name__ == "__main__":
    main()
