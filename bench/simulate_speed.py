"""Records generated per second and peak memory of ``unseen.simulate`` for each preset.

    .venv/bin/python bench/simulate_speed.py                    # small, realistic, stress
    .venv/bin/python bench/simulate_speed.py --presets small realistic

Each preset runs in a fresh subprocess (simulate + write_simulation into a temporary folder
that is removed afterwards), so the peak RSS (``resource.getrusage``) is that run's alone.
Records per second counts every row written to the person lists, end to end.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT_GB = 24.0  # the project's reference machine


def _one(preset: str, seed: int) -> None:
    from unseen.simulate import SimulationSettings, simulate, write_simulation

    t0 = time.perf_counter()
    sim = simulate(SimulationSettings.preset(preset, seed))
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="unseen-bench-") as out:
        files = write_simulation(sim, out)
        size = sum(p.stat().st_size for p in files.all())
    t2 = time.perf_counter()
    records = sum(len(r) for r in sim.records.values())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "preset": preset,
                "people": len(sim.population),
                "records": records,
                "simulate_s": t1 - t0,
                "write_s": t2 - t1,
                "bytes": size,
                "peak_rss_mib": peak_kib / 1024,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presets", nargs="+", default=["small", "realistic", "stress"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        _one(args.one, args.seed)
        return
    rows = []
    for preset in args.presets:
        done = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--one",
                preset,
                "--seed",
                str(args.seed),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    head = (
        f"{'preset':<10} {'people':>10} {'records':>10} {'simulate s':>11} {'write s':>8} "
        f"{'records/s':>10} {'MB written':>11} {'peak RSS MiB':>13}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        total = r["simulate_s"] + r["write_s"]
        print(
            f"{r['preset']:<10} {r['people']:>10,} {r['records']:>10,} {r['simulate_s']:>11.2f} "
            f"{r['write_s']:>8.2f} {r['records'] / total:>10,.0f} {r['bytes'] / 1e6:>11.1f} "
            f"{r['peak_rss_mib']:>13,.0f}"
        )
    worst = max(r["peak_rss_mib"] for r in rows) / 1024
    verdict = "within" if worst < LIMIT_GB else "OVER"
    print(f"\npeak RSS {worst:.2f} GiB: {verdict} the {LIMIT_GB:.0f} GB of the reference machine")


if __name__ == "__main__":
    main()
