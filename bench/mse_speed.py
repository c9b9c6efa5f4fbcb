"""Our deterministic and bootstrap MSE methods side by side with the R packages' outputs.

    nice -n 10 .venv/bin/python bench/mse_speed.py                 # every reference row
    nice -n 10 .venv/bin/python bench/mse_speed.py --datasets uk2013 new_orleans
    nice -n 10 .venv/bin/python bench/mse_speed.py --mc 10         # + Monte Carlo spread

For each row of ``shared/data/mse/reference_results.csv`` that one of our methods reproduces
(``rcapture_mt``, ``rcapture_ms_bic``, ``sparsemse_stepwise``) it runs the same call (same
model family, same max order, same number of bootstrap replicates; our seed 1234, not R's
stream) and prints both results, the relative differences and the times. ``ratio`` is R's
time over ours: above 1, we are faster. ``--mc K`` reruns each bootstrap row with K seeds and
prints the mean and sd of our bounds: the Monte Carlo error that the differences from R's
bounds should be judged against. A last table times a single log-linear fit per table.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "estimation"))

from msekit import Reference, references, table  # noqa: E402

from unseen.estimation import (  # noqa: E402
    Estimate,
    estimate_loglinear,
    estimate_stepwise,
    select_loglinear,
)
from unseen.estimation.glm import fit_poisson  # noqa: E402
from unseen.estimation.models import design, main_effects  # noqa: E402

METHODS = ("rcapture_mt", "rcapture_ms_bic", "sparsemse_stepwise")
SEED = 1234


def run(ref: Reference, seed: int = SEED) -> tuple[Estimate, float]:
    h = table(ref.dataset)
    t0 = time.perf_counter()
    if ref.method == "rcapture_mt":
        e = estimate_loglinear(h)
    elif ref.method == "rcapture_ms_bic":
        order = int(re.search(r"maxorder=(\d+)", ref.call).group(1))  # type: ignore[union-attr]
        e = select_loglinear(h, max_order=order, criterion="bic")
    else:
        nboot = int(re.search(r"nboot=(\d+)", ref.call).group(1))  # type: ignore[union-attr]
        e = estimate_stepwise(h, nboot=nboot, pthresh=0.02, seed=seed)
    return e, time.perf_counter() - t0


def rel(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "   -  "
    return f"{100 * (a - b) / b:+6.2f}"


def num(x: float | None) -> str:
    return "-" if x is None else (f"{x:.3g}" if x > 1e7 else f"{x:,.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", nargs="*", default=None)
    ap.add_argument("--mc", type=int, default=0, help="seeds per bootstrap row for MC spread")
    args = ap.parse_args()
    rows = [
        r
        for r in references()
        if r.method in METHODS and (args.datasets is None or r.dataset in args.datasets)
    ]
    head = (
        f"{'dataset':<30} {'method':<19} {'ours: estimate [lower, upper]':<36} "
        f"{'R: estimate [lower, upper]':<36} {'d_est%':>6} {'d_lo%':>6} {'d_hi%':>6} "
        f"{'ours_s':>7} {'R_s':>7} {'ratio':>7}  note"
    )
    print(head)
    print("-" * len(head))
    for ref in rows:
        e, secs = run(ref)
        ours = f"{num(e.estimate)} [{num(e.lower)}, {num(e.upper)}]" if e.ok else "not estimable"
        theirs = f"{num(ref.estimate)} [{num(ref.lower)}, {num(ref.upper)}]"
        ratio = f"{ref.runtime_s / secs:7.1f}" if ref.runtime_s else "      -"
        note = (
            e.diagnostics.get("model", "")
            if ref.method != "sparsemse_stepwise"
            else ("[" + ",".join(e.diagnostics.get("model", ())) + "]")
        )
        if not e.ok:
            note = e.message[:70]
        print(
            f"{ref.dataset:<30} {ref.method:<19} {ours:<36} {theirs:<36} "
            f"{rel(e.estimate, ref.estimate)} {rel(e.lower, ref.lower)} "
            f"{rel(e.upper, ref.upper)} {secs:7.2f} {ref.runtime_s or 0:7.1f} {ratio}  {note}",
            flush=True,
        )
    if args.mc:
        print(f"\nMonte Carlo spread of our BCa bounds over {args.mc} seeds (same nboot as R)")
        print(
            f"{'dataset':<30} {'nboot':>5} {'lower mean':>10} {'sd%':>5} {'R lower':>9} "
            f"{'z':>5} {'upper mean':>10} {'sd%':>5} {'R upper':>9} {'z':>5} {'s/run':>6}"
        )
        for ref in rows:
            if ref.method != "sparsemse_stepwise":
                continue
            lo, hi, secs = [], [], []
            for s in range(args.mc):
                e, t = run(ref, seed=100 + s)
                if e.ok and e.lower is not None and e.upper is not None:
                    lo.append(e.lower)
                    hi.append(e.upper)
                    secs.append(t)
            ml, sl = statistics.mean(lo), statistics.stdev(lo)
            mh, sh = statistics.mean(hi), statistics.stdev(hi)
            nboot = re.search(r"nboot=(\d+)", ref.call).group(1)  # type: ignore[union-attr]
            rl, rh = ref.lower or 0.0, ref.upper or 0.0
            print(
                f"{ref.dataset:<30} {nboot:>5} {ml:10,.0f} {100 * sl / ml:5.1f} {rl:9,.0f} "
                f"{(rl - ml) / sl:+5.1f} {mh:10,.0f} {100 * sh / mh:5.1f} {rh:9,.0f} "
                f"{(rh - mh) / sh:+5.1f} {statistics.mean(secs):6.2f}",
                flush=True,
            )
    print("\nOne log-linear fit (independence, all 2^t - 1 cells; budget 20 ms)")
    for name in ("artificial3", "kosovo1999", "uk2013_5list", "uk2013", "new_orleans"):
        h = table(name)
        x = design(h.n_lists, main_effects(h.n_lists))
        y = h.full_counts().astype(np.float64)
        fit_poisson(x, y)
        t0 = time.perf_counter()
        for _ in range(50):
            fit_poisson(x, y)
        print(f"  {name:<14} t={h.n_lists}  {1000 * (time.perf_counter() - t0) / 50:6.2f} ms")


if __name__ == "__main__":
    main()
