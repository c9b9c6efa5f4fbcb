"""What the lists' own evidence allows: pairwise F1 of the default model on the realistic
preset as simulated, and with one documentation habit changed at a time in every list.

    .venv/bin/python bench/linkage_evidence.py                 # realistic preset, seed 7
    .venv/bin/python bench/linkage_evidence.py --seed 11 --only anchor no-pseudonyms

The model alone stops near pairwise F1 0.90 on the realistic preset, and the learner taught
by the truth near 0.91 (docs/linkage.md, "How far the realistic lists let any model go"):
the lists, not the model, set the limit. This bench tests that directly. The same people
(same seed) are written by the same organisations, except that every list:

- ``no-pseudonyms``: never gives a made-up name (the media list does for 20% of its records);
- ``birth-dates``: writes a birth date on every record (lists leave it out on 5-30%);
- ``exact-birth-dates``: writes it as a full date (day, month and year), without the year
  off by one or two that recall gives;
- ``hangul-beside``: writes the Hangul beside every romanised or Chinese-character name;
- ``all``: all four.

Each scenario is linked with the default model, untouched (no setting tuned to it), and
measured against the simulator's truth. The anchor is the preset as simulated; ratios are
F1 / the anchor's F1. The figures say what a documentation habit is worth to linkage, and
whether the model reaches the targets when the evidence is there.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_quality import simulated_lists  # noqa: E402  (a bench script beside this one)
from unseen.linkage import EngineOptions, default_spec, evaluate, link  # noqa: E402
from unseen.simulate import SimulationSettings  # noqa: E402
from unseen.simulate._schedules import Weights  # noqa: E402
from unseen.simulate._settings import RecordHabit  # noqa: E402

Change = Callable[[RecordHabit], RecordHabit]


def _no_pseudonyms(h: RecordHabit) -> RecordHabit:
    return replace(h, pseudonym=0.0)


def _birth_dates(h: RecordHabit) -> RecordHabit:
    return replace(h, missing=Weights(tuple(i for i in h.missing.items if i[0] != "birth_date")))


def _exact_birth_dates(h: RecordHabit) -> RecordHabit:
    return replace(h, birth_style=Weights.of(day=1.0), birth_offset=Weights.of({"0": 1.0}))


def _hangul_beside(h: RecordHabit) -> RecordHabit:
    return replace(h, hangul_column=1.0)


def _all(h: RecordHabit) -> RecordHabit:
    return _hangul_beside(_exact_birth_dates(_birth_dates(_no_pseudonyms(h))))


SCENARIOS: dict[str, Change] = {
    "anchor": lambda h: h,
    "no-pseudonyms": _no_pseudonyms,
    "birth-dates": _birth_dates,
    "exact-birth-dates": _exact_birth_dates,
    "hangul-beside": _hangul_beside,
    "all": _all,
}


def settings_for(scenario: str, seed: int) -> SimulationSettings:
    base = SimulationSettings.preset("realistic", seed)
    change = SCENARIOS[scenario]
    lists = tuple(replace(lst, habit=change(lst.habit)) for lst in base.lists)
    return replace(base, lists=lists)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only", nargs="+", choices=list(SCENARIOS), default=list(SCENARIOS))
    args = ap.parse_args()
    print(f"# realistic preset, seed {args.seed}: the default model on each scenario's lists")
    print(
        f"{'scenario':<18} {'records':>8} {'true pairs':>10} {'precision':>9} {'recall':>7} "
        f"{'F1':>7} {'B3 F1':>7} {'PC':>7} {'pairs':>10} {'F1/anchor':>9} {'seconds':>8}"
    )
    anchor = None
    for name in args.only:
        table, truth = simulated_lists(settings_for(name, args.seed))
        t0 = time.perf_counter()
        result = link(
            table, default_spec(), options=EngineOptions(memory_limit="4GB", keep_candidates=True)
        )
        seconds = time.perf_counter() - t0
        e = evaluate(result, truth)
        if name == "anchor":
            anchor = e.f1
        ratio = f"{e.f1 / anchor:>9.3f}" if anchor else f"{'-':>9}"
        print(
            f"{name:<18} {len(table):>8,} {e.true_pairs:>10,} {e.precision:>9.4f} "
            f"{e.recall:>7.4f} {e.f1:>7.4f} {e.bcubed_f1:>7.4f} {e.pair_completeness:>7.4f} "
            f"{e.candidate_pairs:>10,} {ratio} {seconds:>8.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
