"""Precision and recall of "same name" on the labelled pairs in tests/names/name_pairs.csv,
and on seeded random pairs that were not used while tuning.

    .venv/bin/python bench/names_pairs.py [--threshold 0.9] [--show-errors]
    .venv/bin/python bench/names_pairs.py --generated 2000 --seed 7

The table is hand-written and in-sample (it was used to tune the rules). The generated pairs
draw a made-up Hangul name from common syllables and compare it, or a rendering in a random
system with random order/hyphen/case habits, with (a) another rendering of the same name
(same=1) or (b) a near miss: one given syllable changed, the two given syllables swapped, or
another surname (same=0). Negatives that some system spells exactly like the original are
kept: they are the honest hard cases.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from unseen.names import SAME_NAME_THRESHOLD, SYSTEMS, romanization_variants, similarity

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "names"))
from namekit import labelled_pairs, syllables  # noqa: E402

FAMILIES = syllables("family", "bench")
SYLLABLES = syllables("given", "bench")


def _render(rng: random.Random, hangul: str) -> str:
    """The name as Hangul, or as one organisation's romanisation with its habits."""
    if rng.random() < 0.25:
        return hangul
    family = next(f for f in FAMILIES if hangul.startswith(f) and len(hangul) - len(f) == 2)
    system = rng.choice(SYSTEMS)
    variants = romanization_variants(
        f"{family} {hangul[len(family) :]}",
        system,
        hyphen=rng.random() < 0.6,
        family_first=rng.random() < 0.8,
    )
    text = rng.choice(variants[:6])
    return text.upper() if rng.random() < 0.15 else text


def generated_pairs(n: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        family = rng.choice(FAMILIES)
        given = rng.sample(SYLLABLES, 2)
        name = family + "".join(given)
        roll = rng.random()
        if roll < 0.5:
            other, same, cls = name, "1", "gen_same"
        elif roll < 0.75:
            changed = list(given)
            changed[rng.randrange(2)] = rng.choice([s for s in SYLLABLES if s not in given])
            other, same, cls = family + "".join(changed), "0", "gen_one_syllable"
        elif roll < 0.875:
            other, same, cls = family + given[1] + given[0], "0", "gen_swapped"
        else:
            fam2 = rng.choice(
                [
                    f
                    for f in FAMILIES
                    if f not in (family,)
                    and {f, family}
                    not in ({"리", "이"}, {"림", "임"}, {"류", "유"}, {"량", "양"}, {"로", "노"})
                ]
            )
            other, same, cls = fam2 + "".join(given), "0", "gen_family"
        rows.append(
            {"a": _render(rng, name), "b": _render(rng, other), "same": same, "variant_class": cls}
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threshold", type=float, default=SAME_NAME_THRESHOLD)
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--generated", type=int, default=0, help="random pairs instead of the table")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.generated:
        rows = generated_pairs(args.generated, args.seed)
    else:
        rows = labelled_pairs()
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
    print(
        f"precision {tp / max(1, tp + fp):.3f}  recall {tp / max(1, tp + fn):.3f}  "
        f"({len(rows) / elapsed:.0f} pairs/s)"
    )


if __name__ == "__main__":
    main()
