"""dga and LCMCR against the R packages' runs in ``shared/data/mse/reference_results.csv``.

    nice -n 10 .venv/bin/python bench/mse_bayes.py                  # both methods, all tables
    nice -n 10 .venv/bin/python bench/mse_bayes.py --methods dga
    nice -n 10 .venv/bin/python bench/mse_bayes.py --methods lcmcr --chains 1 4 --seed 1234
    nice -n 10 .venv/bin/python bench/mse_bayes.py --methods lcmcr --spread 8   # MC error of R

For every reference row: our estimate and interval next to R's, the relative differences,
our time and R's, and the ratio ours / R (below 1: faster). dga runs on the grid of the R
call (``Nmissing=1:max``). LCMCR runs at the R call's burnin/samples/thinning; with
``--chains 1`` that is the same number of Gibbs scans as the R run, with 4 it is four
chains of that length, one after the other (the ratio is then also given per chain). The
compiled sampler is loaded (or, the first time on a machine, compiled) by a short run before
the timed ones, and that time is printed apart. Times are wall clock and process CPU: on a
shared machine the CPU time is the fairer figure.

``--spread N`` runs N chains exactly as the R call (independent streams from one seed) and
reports, per dataset, the spread of their medians and 2.5/97.5% quantiles: the Monte Carlo
error of R's single-chain numbers, and how many of those standard deviations R's numbers lie
from the mean of ours (z).
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from unseen.estimation import _mcmc_diagnostics as mcmc
from unseen.estimation import collapse, read_capture_histories
from unseen.estimation._lcmcr_gibbs import run_chains
from unseen.estimation.dga import estimate_dga
from unseen.estimation.lcmcr import estimate_lcmcr

MSE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mse"


def _rows(method: str) -> list[dict[str, str]]:
    with (MSE / "reference_results.csv").open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["method"] == method]


def _rel(ours: float | None, ref: str) -> str:
    if ours is None or not ref:
        return "   -  "
    return f"{(ours / float(ref) - 1) * 100:+6.2f}%"


def _timed(fn: Any) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def _line(name: str, what: str, vals: tuple[float | None, ...], r: dict[str, str]) -> str:
    est, lo, hi = vals
    shown = " ".join(f"{v:>9,.0f}" if v is not None else f"{'-':>9}" for v in vals)
    ref = " ".join(f"{float(r[k]):>9,.0f}" for k in ("estimate", "lower95", "upper95"))
    diffs = " ".join(
        _rel(v, r[k])
        for v, k in zip((est, lo, hi), ("estimate", "lower95", "upper95"), strict=True)
    )
    return f"{name:<29} {what:<9} {shown} | R {ref} | {diffs}"


def bench_dga() -> None:
    print("dga (Nmissing grid of the R call; deterministic)")
    print(
        f"{'dataset':<29} {'status':<9} {'median':>9} {'2.5%':>9} {'97.5%':>9} |   "
        f"{'median':>9} {'2.5%':>9} {'97.5%':>9} | differences            | ours s (cpu) R s ratio"
    )
    for r in _rows("dga"):
        grid = re.search(r"Nmissing=(\d+):(\d+)", r["call"])
        assert grid, r["call"]
        h = collapse(read_capture_histories(MSE / f"{r['dataset']}.csv"))
        lo, hi = int(grid.group(1)), int(grid.group(2))
        e, wall, cpu = _timed(
            lambda h=h, lo=lo, hi=hi: estimate_dga(h, min_missing=lo, max_missing=hi)
        )
        d = e.diagnostics
        vals = (d["posterior_median"], d["posterior_lower"], d["posterior_upper"])
        r_s = float(r["runtime_s"])
        print(
            _line(r["dataset"], e.status[:9], vals, r)
            + f" | {wall:6.2f} ({cpu:5.2f}) {r_s:5.2f} {cpu / r_s:5.2f}"
        )


def bench_lcmcr(chains: list[int], seed: int) -> None:
    h0 = collapse(read_capture_histories(MSE / "artificial3.csv"))
    _, wall, cpu = _timed(
        lambda: estimate_lcmcr(h0, burnin=10, samples=4, thinning=1, chains=1, seed=seed)
    )
    print(f"\nLCMCR: loading (or compiling) the sampler took {wall:.2f} s ({cpu:.2f} s cpu)")
    print("LCMCR (burnin 10000, samples 1000, thinning 100 as the R call; + 500 warm-up scans)")
    print(
        f"{'dataset':<29} {'chains':<9} {'median':>9} {'2.5%':>9} {'97.5%':>9} |   "
        f"{'median':>9} {'2.5%':>9} {'97.5%':>9} | differences            | "
        "ours s (cpu) R s ratio ratio/chain  R-hat ESS bulk/tail"
    )
    for r in _rows("lcmcr"):
        call = r["call"]
        nums = {k: int(v) for k, v in re.findall(r"(burnin|samples|thinning)=(\d+)", call)}
        h = collapse(read_capture_histories(MSE / f"{r['dataset']}.csv"))
        for c in chains:
            e, wall, cpu = _timed(
                lambda h=h, c=c, nums=nums: estimate_lcmcr(
                    h,
                    k=10,
                    burnin=nums["burnin"],
                    samples=nums["samples"],
                    thinning=nums["thinning"],
                    chains=c,
                    seed=seed,
                )
            )
            d = e.diagnostics
            vals = (d["posterior_median"], d["posterior_lower"], d["posterior_upper"])
            r_s = float(r["runtime_s"])
            print(
                _line(r["dataset"], f"{c} {e.status[:6]}", vals, r)
                + f" | {wall:6.2f} ({cpu:5.2f}) {r_s:5.2f} {cpu / r_s:5.2f} {cpu / c / r_s:11.2f}"
                + f"  {d['rhat']:5.3f} {d['ess_bulk']:6.0f}/{d['ess_tail']:.0f}",
                flush=True,
            )


def spread_lcmcr(replicates: int, seed: int) -> None:
    print(f"\nLCMCR: {replicates} single chains as the R call (seed {seed})")
    print(
        f"{'dataset':<29} {'quantity':<7} {'R':>9} {'ours mean':>10} {'sd':>7} {'sd %':>6} "
        f"{'z of R':>7}   pooled R-hat, ESS bulk/tail, time"
    )
    for r in _rows("lcmcr"):
        nums = {k: int(v) for k, v in re.findall(r"(burnin|samples|thinning)=(\d+)", r["call"])}
        h = collapse(read_capture_histories(MSE / f"{r['dataset']}.csv"))
        draws, wall, cpu = _timed(
            lambda h=h, nums=nums: run_chains(
                h.patterns,
                h.counts,
                k=10,
                a_alpha=0.25,
                b_alpha=0.25,
                chains=replicates,
                rng=np.random.default_rng(seed),
                **nums,
            )
        )
        q = np.quantile(draws.n, [0.5, 0.025, 0.975], axis=1)
        conv = mcmc.summary(draws.n.astype(np.float64))
        for i, (label, key) in enumerate(
            (("median", "estimate"), ("2.5%", "lower95"), ("97.5%", "upper95"))
        ):
            mean, sd, ref = float(q[i].mean()), float(q[i].std(ddof=1)), float(r[key])
            tail = (
                f"   {conv['rhat']:.3f}, {conv['ess_bulk']:.0f}/{conv['ess_tail']:.0f}, "
                f"{wall:.0f} s ({cpu:.0f} s cpu)"
                if i == 0
                else ""
            )
            print(
                f"{r['dataset'] if i == 0 else '':<29} {label:<7} {ref:>9,.0f} {mean:>10,.0f} "
                f"{sd:>7,.0f} {100 * sd / mean:>5.1f}% {(ref - mean) / sd:>+7.2f}{tail}",
                flush=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--methods", nargs="+", default=["dga", "lcmcr"], choices=["dga", "lcmcr"])
    ap.add_argument("--chains", nargs="+", type=int, default=[1, 4])
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--spread", type=int, default=0, help="replicate R-like chains instead")
    args = ap.parse_args()
    if "dga" in args.methods:
        bench_dga()
    if "lcmcr" in args.methods and args.spread:
        spread_lcmcr(args.spread, args.seed)
    elif "lcmcr" in args.methods:
        bench_lcmcr(args.chains, args.seed)


if __name__ == "__main__":
    main()
