"""DuckDB and Spark (local mode) on the same lists: do they give the same clusters?

    .venv/bin/python bench/linkage_engines.py                      # realistic preset, seed 7
    .venv/bin/python bench/linkage_engines.py --preset small --seed 3

Three runs on the simulator's lists: DuckDB (the anchor), ``unseen link --engine spark`` (which
trains in-process on DuckDB and scores on Spark), and Spark scoring with the DuckDB run's saved
model (``--model model.json``). For each Spark run it
prints the share of records whose cluster (the set of records it is in) is the same as
DuckDB's, the largest difference in match probability over the pairs both scored, and the
times. The issue's target: >= 99.9% of records agree. The anchor is DuckDB; ratios are
Spark / DuckDB.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings

import pandas as pd

from unseen.linkage import EngineOptions, LinkResult, link
from unseen.simulate import SimulationSettings, simulate, write_simulation


def _lists(preset: str, seed: int) -> pd.DataFrame:
    with tempfile.TemporaryDirectory(prefix="unseen-bench-") as tmp:
        files = write_simulation(simulate(SimulationSettings.preset(preset, seed)), tmp)
        frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in files.lists.values()]
    return pd.concat(frames, ignore_index=True)


def _partition(result: LinkResult) -> list[frozenset[int]]:
    members = result.clusters.groupby("cluster_id")["uid"].apply(frozenset)
    return [members[c] for c in result.clusters["cluster_id"]]


def agreement(a: LinkResult, b: LinkResult) -> tuple[float, float]:
    """(share of records in the same cluster, largest probability difference)."""
    pa, pb = _partition(a), _partition(b)
    same = sum(x == y for x, y in zip(pa, pb, strict=True)) / len(pa)
    merged = a.pairs.merge(b.pairs, on=["uid_l", "uid_r"])
    diff = (merged["match_probability_x"] - merged["match_probability_y"]).abs().max()
    return same, float(diff) if len(merged) else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="realistic")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--memory", default="6GB")
    args = ap.parse_args()
    table = _lists(args.preset, args.seed)
    opts = EngineOptions(threads=2, memory_limit=args.memory)
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    t = time.perf_counter()
    duck = link(table, options=opts)
    t_duck = time.perf_counter() - t
    t = time.perf_counter()
    spark_own = link(table, engine="spark", options=opts)
    t_own = time.perf_counter() - t
    t = time.perf_counter()
    spark_same = link(table, engine="spark", options=opts, model=duck.model)
    t_same = time.perf_counter() - t
    print(f"{args.preset} preset, seed {args.seed}: {len(table):,} records")
    print(f"{'run':<34}{'agree':>9}{'max |dp|':>11}{'sec':>8}{'x duckdb':>10}")
    print(f"{'duckdb (anchor)':<34}{'-':>9}{'-':>11}{t_duck:>8.1f}{1.0:>10.2f}")
    for name, run, sec in (
        ("spark (--engine spark)", spark_own, t_own),
        ("spark, --model of the duckdb run", spark_same, t_same),
    ):
        same, diff = agreement(duck, run)
        print(f"{name:<34}{same:>9.4%}{diff:>11.2e}{sec:>8.1f}{sec / t_duck:>10.2f}")


if __name__ == "__main__":
    main()
