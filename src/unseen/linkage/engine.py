"""Run a linkage: features, Splink on DuckDB (default) or Spark, training, scoring, clustering.

:func:`link` is the one entry point. Training is the usual Fellegi-Sunter recipe: the prior
probability of a match from the spec's deterministic ``prior`` rules, u probabilities by random
sampling (seeded), m probabilities by EM on each ``training`` rule. Reviewers' decisions
(:class:`Decision`) act twice:

- as a hard constraint in clustering (:mod:`unseen.linkage.clustering`): a ``match`` joins, a
  ``non-match`` keeps the two records' clusters apart;
- as labels: with at least ``spec.min_labels`` match decisions, Splink's
  ``estimate_m_from_pairwise_labels`` runs as one more training session, and each m
  probability becomes the median over all sessions that estimated it (Splink's rule), so
  labels refine EM's estimates rather than replace them. Non-match decisions are not used for
  u, which random sampling estimates well.

Security: DuckDB runs in memory with a memory limit and a thread count, and with spilling to
disk *off* unless ``EngineOptions.spill_dir`` names a directory (put it on an encrypted disk):
features carry names. DuckDB's access to files is disabled. Spark writes shuffle and
checkpoint files under ``EngineOptions.spark_dir`` (a fresh temporary directory by default,
removed afterwards).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import math
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
from splink import DuckDBAPI, Linker
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.database_api import DatabaseAPI
from splink.internals.exceptions import SplinkException

from unseen.errors import ConfigError, InputError, MissingExtra, UnseenError
from unseen.linkage._candidates import BLOCKED, blocked_pairs_sql, rule_columns, supported
from unseen.linkage.blocking import plan_blocking
from unseen.linkage.clustering import cluster_average, cluster_pairs
from unseen.linkage.explanation import FREQUENCY, START, START_LEVEL, join_parts, part_text
from unseen.linkage.features import build_features
from unseen.linkage.list_prior import ListPair, list_shifts, shift_matrix, shifts_as_records
from unseen.linkage.model import blocking_rule, scored_columns, splink_settings
from unseen.linkage.result import PAIR_COLUMNS, REASONS, LinkResult
from unseen.linkage.spec import SQL_FEATURE, LinkageSpec, Rule, default_spec

__all__ = ["DECISIONS", "Decision", "EngineOptions", "link"]

Engine = Literal["duckdb", "spark"]
DECISIONS = ("match", "non-match", "unsure")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on one pair of records (who and when live in the store)."""

    record_id_l: str
    list_l: str
    record_id_r: str
    list_r: str
    decision: str

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise InputError(f"a decision is one of {', '.join(DECISIONS)}")


@dataclass(frozen=True)
class EngineOptions:
    """Resource bounds. ``memory_limit`` is DuckDB's (``"2GB"``) and Spark's driver memory."""

    memory_limit: str = "2GB"
    threads: int = 2
    spill_dir: str | None = None
    spark_master: str | None = None
    spark_dir: str | None = None
    keep_candidates: bool = False


def _stage(progress: Progress | None, name: str) -> None:
    if progress is not None:
        progress(name)


@contextlib.contextmanager
def _quiet_splink() -> Iterator[None]:
    """Splink logs at INFO to stderr by default; keep only its errors, and restore."""
    logger = logging.getLogger("splink")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


@contextlib.contextmanager
def _duckdb_api(options: EngineOptions) -> Iterator[DatabaseAPI[Any]]:
    if options.threads < 1:
        raise ConfigError("threads must be at least 1")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET memory_limit = '{_memory(options.memory_limit)}'")
        con.execute(f"SET threads = {int(options.threads)}")
        if options.spill_dir is None:
            con.execute("SET temp_directory = ''")
        else:
            con.execute("SET temp_directory = ?", [options.spill_dir])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        yield DuckDBAPI(con)
    finally:
        con.close()


def _memory(text: str) -> str:
    t = text.strip().upper().replace(" ", "")
    digits = t.rstrip("KMGTIB")
    unit = t[len(digits) :]
    try:
        ok = float(digits) > 0 and unit in ("KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB")
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError("memory limit: a size such as 2GB, 512MB or 6GiB")
    return t


# Spark's own start-up notes go to the terminal as warnings, and Splink's long CASE
# expressions exceed the JVM's 64 KB method limit: Spark then logs the generated Java and a
# 200-line stack trace as an ERROR and evaluates the same expression without code generation
# (same results). Errors still show; those two do not.
_SPARK_LOGGING = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.codegen.name = org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator
logger.codegen.level = off
logger.stage.name = org.apache.spark.sql.execution.WholeStageCodegenExec
logger.stage.level = off
"""


@contextlib.contextmanager
def _spark_api(options: EngineOptions) -> Iterator[DatabaseAPI[Any]]:
    try:
        sql = importlib.import_module("pyspark.sql")
        spark_backend = importlib.import_module("splink.internals.spark.database_api")
    except ImportError:
        raise MissingExtra(
            "--engine spark needs pyspark and Java 17: pip install 'unseen[spark]' "
            "(Spark 엔진에는 pyspark와 Java 17이 필요합니다)"
        ) from None
    work = options.spark_dir or tempfile.mkdtemp(prefix="unseen-spark-")
    master = options.spark_master or f"local[{int(options.threads)}]"
    memory = _memory(options.memory_limit).replace("IB", "B")
    Path(work).mkdir(parents=True, exist_ok=True)
    log_config = Path(work).resolve() / "log4j2.properties"
    log_config.write_text(_SPARK_LOGGING, encoding="utf-8")
    log_uri = log_config.as_uri()
    spark = (
        sql.SparkSession.builder.master(master)
        .appName("unseen-link")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log_uri}")
        .config("spark.driver.memory", memory[:-1].lower())
        .config("spark.local.dir", work)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(2, 2 * options.threads)))
        .config("spark.default.parallelism", str(max(2, 2 * options.threads)))
        .getOrCreate()
    )
    # Splink checkpoints between stages; without a directory training fails (NOTES.md).
    spark.sparkContext.setCheckpointDir(work)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        api: DatabaseAPI[Any] = spark_backend.SparkAPI(
            spark_session=spark, break_lineage_method="checkpoint"
        )
        yield api
    finally:
        spark.stop()
        if options.spark_dir is None:
            shutil.rmtree(work, ignore_errors=True)


#: What the run keeps of each record once its features are in the engine.
ID_COLUMNS = ("uid", "list", "record_id")

#: DuckDB tables of the features: the whole table, and the training sample.
RECORDS = "__unseen_records"
SAMPLE = "__unseen_sample"


def _register(
    db_api: DatabaseAPI[Any],
    frame: pd.DataFrame,
    spec: LinkageSpec,
    engine: Engine,
    name: str = RECORDS,
) -> Any:
    """The feature table as Splink's input. On DuckDB it is copied once into table ``name``
    (the blocking SQL reads it), and Splink reads a view of the columns its comparisons use:
    a pandas frame is converted value by value (lists as Python objects) by every query that
    reads it, and Splink's scoring reads its input three times, all columns each time."""
    if engine == "spark":
        from unseen.linkage._spark_frame import spark_frame

        session = getattr(db_api, "spark", None)
        return db_api.register(spark_frame(session, frame, spec))
    con = db_api._con  # type: ignore[attr-defined]
    con.register(f"{name}_frame", frame)
    try:
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_frame")  # noqa: S608
    finally:
        con.unregister(f"{name}_frame")
    if any(r.sql is not None for r in (*spec.blocking, *spec.training, *spec.prior)):
        return db_api.register(name)  # raw SQL may read any column
    # The columns Splink reads: its comparisons', and those of the rules it blocks on itself
    # (training and prior; the blocking rules are ours, on table ``name``: _block_in_duckdb).
    used = [*scored_columns(spec), *rule_columns((*spec.training, *spec.prior), spec)]
    # "list": the list priors join the scored pairs to it (_list_shifts).
    cols = ", ".join(f'"{c}"' for c in dict.fromkeys(["uid", "list", *used]))
    con.execute(f"CREATE TEMP VIEW {name}_scored AS SELECT {cols} FROM {name}")  # noqa: S608
    return db_api.register(f"{name}_scored")


def _query(linker: Linker, sql: str) -> pd.DataFrame:
    """Run a query over tables Splink made (names from Splink, never from input)."""
    if linker._db_api.sql_dialect.sql_dialect_str == "spark":
        # pyspark 4.3's toPandas passes pandas 3 a removed keyword; collect rows instead.
        table = linker.misc.query_sql(sql, output_type="splink_df")  # type: ignore[no-untyped-call]
        return pd.DataFrame(table.as_record_list())
    return linker.misc.query_sql(sql, output_type="pandas")  # type: ignore[no-untyped-call]


def link(
    table: pd.DataFrame,
    spec: LinkageSpec | None = None,
    *,
    engine: Engine = "duckdb",
    decisions: Sequence[Decision] = (),
    options: EngineOptions | None = None,
    progress: Progress | None = None,
    model: Mapping[str, Any] | None = None,
) -> LinkResult:
    """Deduplicate and link the records of ``table`` (all lists at once) into clusters.

    ``table`` has one row per record (FORMATS.md s1 columns, or whatever ``spec`` names);
    ``progress`` is called with the name of each stage as it starts. ``model``, the
    ``model`` of an earlier :class:`LinkResult` of the same spec, skips training and scores
    with exactly that model (on any engine); decisions then only constrain clustering.
    """
    spec = spec or default_spec()
    options = options or EngineOptions()
    if engine not in ("duckdb", "spark"):
        raise ConfigError("engine must be duckdb or spark")
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    _stage(progress, "features")
    features = build_features(table, spec, workers=options.threads)
    frame = features.frame
    if set(features.present) != {c.name for c in spec.comparisons}:
        spec = _usable_spec(spec, set(features.present))
        kept = {c.name for c in spec.comparisons}
        frame = frame[[c for c in frame.columns if "__" not in c or c.split("__")[0] in kept]]
    must, cannot, labels = _decision_pairs(decisions, frame)
    if len(frame) < 2:
        raise InputError("linkage needs at least two records")
    times["features"] = time.perf_counter() - t0
    t = time.perf_counter()
    plan = plan_blocking(
        frame, spec, threads=options.threads, memory_limit=_memory(options.memory_limit)
    )
    spec = plan.spec
    if spec.prior_when is not None:
        spec = replace(spec, prior_recall=prior_recall_of(frame, spec), prior_when=None)
    times["planning"] = time.perf_counter() - t
    reused = model is not None
    pretrained = False
    skipped: list[str] = []  # training sessions that trained nothing
    try:
        if engine == "spark" and model is None:
            # Training runs in this process on DuckDB, on at most train_records records, for
            # every engine: the same data give the same model, so Spark's clusters are
            # DuckDB's. Spark scores the whole table.
            _stage(progress, "training")
            t = time.perf_counter()
            with _quiet_splink(), _duckdb_api(options) as duck:
                model, pretrained = _train_in_process(duck, frame, spec, labels, skipped)
            times["training_duckdb"] = time.perf_counter() - t
        api = _duckdb_api if engine == "duckdb" else _spark_api
        with _quiet_splink(), api(options) as db_api:
            _stage(progress, "blocking")
            started = time.perf_counter()
            records = _register(db_api, frame, spec, engine)
            sample = None
            if model is None and len(frame) > spec.train_records:
                sample = _training_sample(frame, spec, labels)
            # The features are in the engine now: from here on this process needs only each
            # record's ids (holding the rest beside the engine's copy: +0.3 GB peak at 1M).
            unreadable = dict(features.unreadable)
            frame = frame[list(ID_COLUMNS)].copy()
            del features
            scored, model, n_candidates, candidates, trained = _run_splink(
                db_api,
                records,
                frame,
                sample,
                started,
                spec,
                engine,
                labels,
                options,
                times,
                progress,
                model,
                skipped,
                explain={*must, *cannot},
            )
        trained = trained or pretrained
    except SplinkException as exc:
        raise _engine_error(str(exc), options) from None
    except duckdb.OutOfMemoryException:
        raise UnseenError(
            f"the linkage ran out of its memory limit ({options.memory_limit}): raise "
            "--memory-limit, tighten blocking, or give --spill-dir on an encrypted disk"
        ) from None
    if "training_duckdb" in times:
        times["training"] += times.pop("training_duckdb")
    _stage(progress, "clustering")
    t = time.perf_counter()
    triples = zip(
        scored["uid_l"].tolist(),
        scored["uid_r"].tolist(),
        scored["match_probability"].tolist(),
        strict=True,
    )
    if spec.clustering == "average":
        clustering = cluster_average(
            len(frame),
            triples,
            spec.merge_threshold,
            floor=spec.scoring_floor,
            must_link=must,
            cannot_link=cannot,
        )
    else:
        clustering = cluster_pairs(
            len(frame), triples, spec.threshold, must_link=must, cannot_link=cannot
        )
    clusters = _cluster_table(frame, clustering.cluster, clustering.joined_at)
    pairs = _pair_table(
        frame,
        scored,
        spec,
        decisions_by_pair=_decided(must, cannot),
        cluster=clustering.cluster if spec.clustering == "average" else None,
    )
    times["clustering"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0
    stats = {
        "engine": engine,
        "records": len(frame),
        "lists": int(frame["list"].nunique()),
        "candidate_pairs": n_candidates,
        "scored_pairs_kept": len(scored),
        "clusters": int(clusters["cluster_id"].nunique()),
        "decisions": {"match": len(must), "non-match": len(cannot)},
        "labels_trained": trained,
        "training_sessions_skipped": skipped,
        "refused_by_decisions": clustering.refused,
        "clustering": {"method": spec.clustering, "threshold": spec.merge_threshold},
        # `unseen review --pairs` queues this band of pairs.csv by default.
        "review_band": list(spec.review_band),
        # The share of all matches the prior rules were taken to find (prior_when: measured).
        "prior_recall": spec.prior_recall if spec.prior else None,
        "unreadable": unreadable,
        "blocking_rules": [r.to_dict() for r in plan.rules],
        "trained_on_records": 0 if reused else min(len(frame), spec.train_records),
        "seconds": {k: round(v, 3) for k, v in times.items()},
    }
    if candidates is not None:
        stats["candidates"] = candidates
    return LinkResult(clusters, pairs, model, stats, spec.threshold, records=table)


def _engine_error(text: str, options: EngineOptions) -> UnseenError:
    """Splink's message: the table it was making, its SQL, and the database's error, whose
    detail may quote a value (a failed cast). Keep the table and the kind of error only."""
    first = text.strip().splitlines()[0][:200] if text.strip() else ""
    cause = text.rpartition("Error was:")[2].strip()
    kind = cause.split(":", 1)[0][:60] if cause else ""
    if "out of memory" in kind.lower():
        return UnseenError(
            f"the linkage ran out of its memory limit ({options.memory_limit}): raise "
            "--memory-limit, tighten blocking, or give --spill-dir on an encrypted disk"
        )
    return UnseenError(f"the linkage engine failed: {first} ({kind or 'no detail'})")


def _usable_spec(spec: LinkageSpec, present: set[str]) -> LinkageSpec:
    if spec.strict_columns:
        empty = sorted({c.name for c in spec.comparisons} - present)
        raise InputError(
            f"comparison(s) {', '.join(empty)} have no value in any record; fix the columns "
            "or remove the comparison from the config"
        )
    try:
        return spec.restricted_to(present)
    except ConfigError:
        raise InputError(
            "the input has too few of the columns the model compares (names, birth dates, "
            "places) to link: no blocking rule can be used"
        ) from None


def _run_splink(
    db_api: DatabaseAPI[Any],
    records: Any,
    frame: pd.DataFrame,
    sample: pd.DataFrame | None,
    started: float,
    spec: LinkageSpec,
    engine: Engine,
    labels: list[tuple[int, int]],
    options: EngineOptions,
    times: dict[str, float],
    progress: Progress | None,
    model: Mapping[str, Any] | None,
    skipped: list[str],
    *,
    explain: set[tuple[int, int]],
) -> tuple[pd.DataFrame, dict[str, Any], int, pd.DataFrame | None, bool]:
    """Block, train and score ``records`` (the registered features; ``frame``: their
    :data:`ID_COLUMNS`; ``sample``: the training sample of a table larger than
    ``train_records``; blocking timed from ``started``); the scored pairs (one row each,
    uid_l < uid_r) carry the ``reasons`` of those that ``pairs.csv`` shows and of the pairs
    in ``explain``."""
    linker = Linker(records, splink_settings(spec), log_level=None)
    if engine == "duckdb" and supported(spec):
        blocked = _block_in_duckdb(db_api, linker, spec, RECORDS)
    else:
        blocked = linker.inference.compute_blocked_pairs_for_predict()
    n_candidates = _count(linker, blocked.physical_name)
    if n_candidates > spec.max_pairs:
        raise ConfigError(
            f"blocking gives {n_candidates:,} candidate pairs, more than max_pairs "
            f"({spec.max_pairs:,}): tighten the blocking rules or raise max_pairs"
        )
    times["blocking"] = time.perf_counter() - started
    candidates = None
    if options.keep_candidates:
        # For evaluation only (pair completeness): timed apart, as it is no part of linking.
        t = time.perf_counter()
        candidates = _candidate_uids(linker, blocked.physical_name)
        times["candidates"] = time.perf_counter() - t

    t = time.perf_counter()
    _stage(progress, "training")
    if model is not None:
        _apply_model(linker, model)
        trained = False
    elif sample is None:
        trained = _train(linker, db_api, spec, labels, len(frame), skipped)
    else:
        summary, trained = _train_in_process(db_api, sample, spec, labels, skipped)
        _apply_model(linker, summary)
    times["training"] = time.perf_counter() - t

    t = time.perf_counter()
    _stage(progress, "scoring")
    with_lists = spec.list_prior and frame["list"].nunique() > 1
    floor = spec.scoring_floor
    predictions = linker.inference.predict(
        threshold_match_probability=min(floor, LIST_PRIOR_FLOOR) if with_lists else floor,
        warning_mode="never",
    )
    shifts: dict[ListPair, float] = {}
    if with_lists:
        shifts = _list_shifts(linker, predictions.physical_name, records.physical_name, frame)
        scored = _shifted(linker, predictions.physical_name, frame, shifts, floor)
    else:
        scored = _query(
            linker,
            f"select uid_l, uid_r, match_probability from {predictions.physical_name}",  # noqa: S608
        )
    scored = _one_per_pair(scored)
    times["scoring"] = time.perf_counter() - t
    t = time.perf_counter()
    shown = min(spec.review_band[0], spec.threshold)
    scored["reasons"] = _reasons(linker, db_api, engine, frame, scored, shifts, shown, explain)
    times["reasons"] = time.perf_counter() - t
    model = _model_summary(linker)
    if shifts:
        model["list_prior"] = shifts_as_records(shifts)
    return scored, model, n_candidates, candidates, trained


def _reasons(
    linker: Linker,
    db_api: DatabaseAPI[Any],
    engine: Engine,
    frame: pd.DataFrame,
    scored: pd.DataFrame,
    shifts: Mapping[ListPair, float],
    least: float,
    explain: set[tuple[int, int]],
) -> list[str]:
    """The ``reasons`` text (:mod:`.explanation`) of each pair of ``scored`` at or above
    ``least`` or in ``explain``, "" for the others. Splink scores just those pairs again,
    keeping each comparison's level and bits (which scoring all candidates would hold for
    millions of pairs), so the parts are Splink's own and add up to the pair's weight."""
    n = len(frame)
    left = scored["uid_l"].to_numpy(dtype="int64")
    right = scored["uid_r"].to_numpy(dtype="int64")
    wanted = scored["match_probability"].to_numpy(dtype="float64") >= least
    if explain:  # uid_l < uid_r < n in both
        decided = np.array([a * n + b for a, b in explain], dtype="int64")
        wanted |= np.isin(left * n + right, decided)
    out = [""] * len(scored)
    if not wanted.any():
        return out
    pairs = pd.DataFrame(
        {"match_key": "0", "join_key_l": left[wanted], "join_key_r": right[wanted]}
    )
    linker.table_management.register_blocked_pairs_for_predict(
        _register_pairs(db_api, pairs, engine)
    )
    settings = linker._settings_obj
    saved = (
        settings._retain_matching_columns,
        settings._retain_intermediate_calculation_columns,
        settings._blocking_rules_to_generate_predictions,
    )
    # Splink keeps a comparison's level (gamma) only with its input columns; both stay in
    # the engine (where the features already are) and only the levels and bits are read.
    # With no blocking rules (the pairs are given) it keeps no column they would name.
    settings._retain_matching_columns = True
    settings._retain_intermediate_calculation_columns = True
    settings._blocking_rules_to_generate_predictions = []
    try:
        predictions = linker.inference.predict(warning_mode="never")
    finally:
        (
            settings._retain_matching_columns,
            settings._retain_intermediate_calculation_columns,
            settings._blocking_rules_to_generate_predictions,
        ) = saved
    columns = ["uid_l", "uid_r"]
    for c in settings.comparisons:
        columns += [c._gamma_column_name, *c._match_weight_columns_to_sum]
    got = _query(
        linker,
        f"select {', '.join(columns)} from {predictions.physical_name}",  # noqa: S608
    )
    a = got["uid_l"].to_numpy(dtype="int64")
    b = got["uid_r"].to_numpy(dtype="int64")
    a, b = np.minimum(a, b), np.maximum(a, b)
    texts = _reason_texts(linker, got, frame, shifts, a, b)
    rows = np.flatnonzero(wanted)
    row_of = dict(zip((left[rows] * n + right[rows]).tolist(), rows.tolist(), strict=True))
    for key, text in zip((a * n + b).tolist(), texts, strict=True):
        out[row_of[key]] = text
    return out


def _reason_texts(
    linker: Linker,
    got: pd.DataFrame,
    frame: pd.DataFrame,
    shifts: Mapping[ListPair, float],
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
) -> list[str]:
    """The ``reasons`` text of each row of ``got`` (uids ``a`` < ``b``; each comparison's
    gamma and match weight columns). A comparison's part follows from its level and that
    level's weight, and the start from the two lists: each distinct part is written once."""
    settings = linker._settings_obj
    prior = settings._probability_two_random_records_match
    base = math.log2(prior) - math.log2(1.0 - prior)
    codes, lists = pd.factorize(frame["list"].astype(str))  # uid is the row (features)
    shift = shift_matrix(shifts, [str(x) for x in lists]) if shifts else np.zeros((1, 1))
    if not shifts:
        codes = np.zeros(len(frame), dtype="int64")
    starts = np.array(
        [[part_text(START, START_LEVEL, base + float(v)) for v in row] for row in shift],
        dtype=object,
    )
    columns = [starts[codes[a], codes[b]].tolist()]
    for c in settings.comparisons:
        named = {lv.comparison_vector_value: str(lv.label_for_charts) for lv in c.comparison_levels}
        name = c.output_column_name
        seen: dict[tuple[int, float], str] = {}
        gamma = got[c._gamma_column_name].astype("int64").tolist()
        weight = got[c._mw_column_name].astype("float64").tolist()
        column = []
        for key in zip(gamma, weight, strict=True):
            text = seen.get(key)
            if text is None:
                text = seen[key] = part_text(name, named.get(key[0], str(key[0])), key[1])
            column.append(text)
        columns.append(column)
        if c._has_tf_adjustments:
            adjust = got[c._mw_tf_adj_column_name].astype("float64").to_numpy()
            columns.append(
                [
                    part_text(name, FREQUENCY, x) if math.isfinite(x) and x != 0.0 else ""
                    for x in adjust.tolist()
                ]
            )
    return [join_parts(parts) for parts in zip(*columns, strict=True)]


def _register_pairs(db_api: DatabaseAPI[Any], pairs: pd.DataFrame, engine: Engine) -> Any:
    """``pairs`` (``match_key``, ``join_key_l``, ``join_key_r``) as a table of the engine."""
    if engine == "spark":
        from unseen.linkage._spark_frame import spark_pairs

        return db_api.register(spark_pairs(getattr(db_api, "spark", None), pairs))
    con = db_api._con  # type: ignore[attr-defined]
    con.register(f"{EXPLAINED}_frame", pairs)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {EXPLAINED} AS SELECT * FROM {EXPLAINED}_frame"  # noqa: S608
        )
    finally:
        con.unregister(f"{EXPLAINED}_frame")
    return db_api.table_to_splink_dataframe(EXPLAINED, EXPLAINED)


#: The DuckDB table of the pairs whose reasons are kept (:func:`_reasons`).
EXPLAINED = "__unseen_explained"


# Pairs under this probability are left out of each pair of lists' expected matches: 99% of
# the scored pairs of the realistic preset, but 3% of the sum of their probabilities. At
# 0.001 (1%) F1 was the same within 0.001 and the stress preset peaked 0.2 GB higher.
LIST_PRIOR_FLOOR = 0.01


def _list_shifts(
    linker: Linker, predictions: str, records: str, frame: pd.DataFrame
) -> dict[ListPair, float]:
    """Each pair of lists' log2-odds shift (:mod:`unseen.linkage.list_prior`) from the
    expected matches of the scored pairs, summed by the engine (one row per pair of lists)."""
    sums = _query(
        linker,
        # Exploded blocking can score a pair twice: one row per pair (names from Splink).
        "select l.list as list_l, r.list as list_r, sum(p.p) as expected from ("  # noqa: S608
        "select least(uid_l, uid_r) as a, greatest(uid_l, uid_r) as b, "
        f"max(match_probability) as p from {predictions} "
        "group by least(uid_l, uid_r), greatest(uid_l, uid_r)) p "
        f"join {records} l on p.a = l.uid join {records} r on p.b = r.uid "
        "group by l.list, r.list",
    )
    counts = {str(k): int(v) for k, v in frame["list"].value_counts().items()}
    if sums.empty:  # nothing scored (Spark's empty result has no columns either)
        return list_shifts(counts, [])
    triples = zip(
        sums["list_l"].astype(str), sums["list_r"].astype(str), sums["expected"], strict=True
    )
    return list_shifts(counts, triples)


def _shifted(
    linker: Linker,
    predictions: str,
    frame: pd.DataFrame,
    shifts: Mapping[ListPair, float],
    floor: float,
) -> pd.DataFrame:
    """The scored pairs at or above ``floor`` once their lists' shift is added."""
    where = ""
    if floor > 0.0:  # a review band from 0 keeps every scored pair
        most = max(0.0, *shifts.values())
        least_weight = math.log2(floor) - math.log2(1.0 - floor) - most
        where = f" where match_weight >= {least_weight!r}"
    scored = _query(
        linker,
        f"select uid_l, uid_r, match_weight from {predictions}{where}",  # noqa: S608
    )
    if scored.empty:
        return pd.DataFrame({"uid_l": [], "uid_r": [], "match_probability": []})
    codes, labels = pd.factorize(frame["list"].astype(str))  # uid is the row (features)
    a = codes[scored["uid_l"].to_numpy(dtype="int64")]
    b = codes[scored["uid_r"].to_numpy(dtype="int64")]
    table = shift_matrix(shifts, [str(x) for x in labels])
    weight = scored["match_weight"].astype("float64").to_numpy() + table[a, b]
    probability = 1.0 / (1.0 + np.exp2(-np.clip(weight, -60.0, 60.0)))
    out = pd.DataFrame(
        {"uid_l": scored["uid_l"], "uid_r": scored["uid_r"], "match_probability": probability}
    )
    return out[out["match_probability"] >= floor]


def _block_in_duckdb(
    db_api: DatabaseAPI[Any], linker: Linker, spec: LinkageSpec, table: str
) -> Any:
    """The candidate pairs from the features each rule uses (:mod:`._candidates`), for
    Splink to score."""
    con = db_api._con  # type: ignore[attr-defined]
    for sql in blocked_pairs_sql(spec, table):
        con.execute(sql)
    pairs = db_api.table_to_splink_dataframe(BLOCKED, BLOCKED)
    return linker.table_management.register_blocked_pairs_for_predict(pairs)


# EM drives m to ~0 for a level no match fell in while training (a place spelled two ways, a
# typo in a date): a weight of -800 that no other evidence can outvote. Floor it so that such
# a level counts strongly against a match, never infinitely.
M_FLOOR = 0.002


def _floor_m(linker: Linker) -> None:
    # Splink's own training sets ComparisonLevel.m_probability the same way.
    for comparison in linker._settings_obj.comparisons:
        levels = comparison._comparison_levels_excluding_null
        ms = [lv.m_probability for lv in levels]
        if any(m is None for m in ms):
            continue
        floored = [max(float(m or 0.0), M_FLOOR) for m in ms]
        total = sum(floored)
        for lv, m in zip(levels, floored, strict=True):
            lv.m_probability = m / total


def prior_recall_of(frame: pd.DataFrame, spec: LinkageSpec) -> float:
    """``prior_recall`` times the square of the share of records that meet ``prior_when``:
    the share of all matches the prior rules find, when both records of a match must meet
    it (kept above 1e-4, so that lists that never meet it still get a prior)."""
    if spec.prior_when is None:
        return spec.prior_recall
    con = duckdb.connect()
    try:
        named = set(SQL_FEATURE.findall(spec.prior_when))  # the comparisons it reads
        con.register("records", frame[[c for c in frame.columns if c.split("__")[0] in named]])
        # The config's own SQL, as its rules are, on a private in-memory copy of the column.
        found = con.execute(
            f"SELECT avg(CASE WHEN {spec.prior_when} THEN 1.0 ELSE 0.0 END) FROM records"  # noqa: S608
        ).fetchone()
    except duckdb.Error:
        raise ConfigError(
            "prior_when: not a condition on one record's features (e.g. birth__hi - birth__lo < 31)"
        ) from None
    finally:
        con.close()
    share = float(found[0]) if found and found[0] is not None else 0.0
    return max(spec.prior_recall * share * share, 1e-4)


def _train(
    linker: Linker,
    db_api: DatabaseAPI[Any],
    spec: LinkageSpec,
    labels: list[tuple[int, int]],
    n: int,
    skipped: list[str],
) -> bool:
    """Prior, u, EM sessions, then labels; True when labels trained m. Each session that
    trains nothing is added to ``skipped`` (its rule, as the spec writes it)."""
    if spec.prior:
        rules: list[str | BlockingRuleCreator] = [blocking_rule(r, spec) for r in spec.prior]
        try:
            linker.training.estimate_probability_two_random_records_match(
                rules, recall=spec.prior_recall
            )
        except ValueError:
            raise ConfigError(
                "the prior rules find more pairs than their stated recall allows: make them "
                "stricter or raise prior_recall"
            ) from None
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(float(spec.u_max_pairs), n * (n - 1) / 2), seed=spec.seed
    )
    settings = linker._settings_obj
    for rule in spec.training:
        # A failed session can leave the linker without the comparisons its rule uses
        # (Splink takes them out while it trains): put them back.
        comparisons = list(settings.comparisons)
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                blocking_rule(rule, spec),
                estimate_without_term_frequencies=True,
                # Sampled by a hash of the record ids, so the same records give the same
                # pairs every run; the first pass counts the rule's pairs on 10% a side.
                max_pairs=None if spec.em_max_pairs is None else float(spec.em_max_pairs),
                record_sample_proportion=0.1,
                populate_probability_two_random_records_match_from_trained_values=not spec.prior,
            )
        except (SplinkException, ValueError) as exc:
            settings.comparisons = comparisons
            if "out of memory" in str(exc).lower():
                raise
            # A rule that pairs no records (small data), or whose EM drives an m to 0 (Splink
            # refuses it), trains nothing; the other sessions still do. The result's stats
            # say which (the error's text may quote SQL, so only the rule is kept).
            skipped.append(_rule_text(rule))
            continue
    trained = False
    _floor_m(linker)
    _check_prior(linker, n)
    if len(labels) >= spec.min_labels:
        label_frame = pd.DataFrame(labels, columns=["uid_l", "uid_r"])
        label_frame["clerical_match_score"] = 1.0
        registered = db_api.register(label_frame)
        linker.training.estimate_m_from_pairwise_labels(registered)  # type: ignore[no-untyped-call]
        trained = True
    if trained:
        _floor_m(linker)
    return trained


def _train_in_process(
    db_api: DatabaseAPI[Any],
    frame: pd.DataFrame,
    spec: LinkageSpec,
    labels: list[tuple[int, int]],
    skipped: list[str],
) -> tuple[dict[str, Any], bool]:
    """Train on (a sample of) ``frame`` in a linker of its own; (model summary, labels used)."""
    sample = frame if len(frame) <= spec.train_records else _training_sample(frame, spec, labels)
    inside = set(sample["uid"].tolist())
    sample_labels = [p for p in labels if p[0] in inside and p[1] in inside]
    registered = _register(db_api, sample, spec, "duckdb", SAMPLE)
    linker = Linker(registered, splink_settings(spec), log_level=None)
    trained = _train(linker, db_api, spec, sample_labels, len(sample), skipped)
    return _model_summary(linker), trained


def _rule_text(rule: Rule) -> str:
    if rule.sql is not None:
        return rule.sql
    text = " & ".join(rule.on)
    return f"{text} (missing {' or '.join(rule.missing)})" if rule.missing else text


def _training_sample(
    frame: pd.DataFrame, spec: LinkageSpec, labels: list[tuple[int, int]]
) -> pd.DataFrame:
    """A seeded random sample of ``spec.train_records`` records, with every record a
    reviewer labelled. The share of pairs that match is the same in a random sample as in
    the whole (both scale with the square of the sample's share), so the prior, m and u it
    gives hold for the whole table."""
    labelled = {uid for pair in labels for uid in pair}
    rest = frame[~frame["uid"].isin(labelled)]
    take = max(0, spec.train_records - len(labelled))
    picked = rest.sample(n=min(take, len(rest)), random_state=spec.seed)
    return pd.concat([frame[frame["uid"].isin(labelled)], picked]).sort_values("uid")


def _check_prior(linker: Linker, n: int) -> None:
    """EM on a table with almost no matches can leave the prior undefined (NaN); then take
    one duplicate per record as the prior rather than fail in scoring."""
    settings = linker._settings_obj
    prior = settings._probability_two_random_records_match
    if prior is None or not math.isfinite(prior) or not 0.0 < prior < 1.0:
        settings._probability_two_random_records_match = min(0.5, 1.0 / max(n, 2))


def _apply_model(linker: Linker, model: Mapping[str, Any]) -> None:
    """Set the m, u and prior of a model trained before (``LinkResult.model``) on a linker
    built from the same spec, so that another engine scores with exactly that model."""
    splink = model.get("splink")
    if not isinstance(splink, Mapping):
        raise ConfigError("model: expected LinkResult.model (with its 'splink' settings)")
    settings = linker._settings_obj
    given = splink.get("comparisons", [])
    ours = settings.comparisons
    if [c.get("output_column_name") for c in given] != [c.output_column_name for c in ours]:
        raise ConfigError("model: it was trained on other comparisons than this spec's")
    for theirs, comparison in zip(given, ours, strict=True):
        levels = comparison.comparison_levels
        their_levels = theirs.get("comparison_levels", [])
        if len(their_levels) != len(levels):
            raise ConfigError(
                f"model: comparison '{comparison.output_column_name}' has other levels"
            )
        for lv, tl in zip(levels, their_levels, strict=True):
            if lv.is_null_level:
                continue
            lv.m_probability = tl.get("m_probability")
            lv.u_probability = tl.get("u_probability")
    prior = splink.get("probability_two_random_records_match")
    if prior is not None:
        settings._probability_two_random_records_match = float(prior)


def _count(linker: Linker, table: str) -> int:
    out = _query(linker, f"select count(*) as n from {table}")  # noqa: S608
    return int(out["n"].iloc[0])


def _candidate_uids(linker: Linker, table: str) -> pd.DataFrame:
    cols = _query(linker, f"select * from {table} limit 0").columns  # noqa: S608
    left = "join_key_l" if "join_key_l" in cols else "uid_l"
    right = "join_key_r" if "join_key_r" in cols else "uid_r"
    out = _query(linker, f"select distinct {left} as uid_l, {right} as uid_r from {table}")  # noqa: S608
    return _normalise_uids(out)


def _normalise_uids(frame: pd.DataFrame) -> pd.DataFrame:
    a = frame["uid_l"].astype("int64")
    b = frame["uid_r"].astype("int64")
    out = pd.DataFrame({"uid_l": a.where(a < b, b), "uid_r": b.where(a < b, a)})
    return out.drop_duplicates().reset_index(drop=True)


def _one_per_pair(scored: pd.DataFrame) -> pd.DataFrame:
    """Exploded blocking can score a pair once per rule that finds it; keep one, uid_l < uid_r,
    strongest first."""
    a = scored["uid_l"].astype("int64")
    b = scored["uid_r"].astype("int64")
    out = pd.DataFrame(
        {
            "uid_l": a.where(a < b, b),
            "uid_r": b.where(a < b, a),
            "match_probability": scored["match_probability"].astype("float64"),
        }
    )
    out = out.groupby(["uid_l", "uid_r"], as_index=False)["match_probability"].max()
    return out.sort_values(
        ["match_probability", "uid_l", "uid_r"], ascending=[False, True, True]
    ).reset_index(drop=True)


def _decision_pairs(
    decisions: Sequence[Decision], frame: pd.DataFrame
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """The decided pairs as record uids of ``frame``: (match, non-match, training labels)."""
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    if not decisions:  # the lookup below holds 150 MB at 1M records (measured)
        return must, cannot, []
    uid_of = {
        (lst, rid): uid
        for uid, lst, rid in zip(frame["uid"], frame["list"], frame["record_id"], strict=True)
    }
    for i, d in enumerate(decisions):
        ends = []
        for lst, rid in ((d.list_l, d.record_id_l), (d.list_r, d.record_id_r)):
            uid = uid_of.get((lst, rid))
            if uid is None:
                raise InputError(
                    f"decision {i + 1} names record '{rid}' of list '{lst}', which is not in "
                    "the input"
                )
            ends.append(uid)
        a, b = min(ends), max(ends)
        if a == b:
            raise InputError(f"decision {i + 1} pairs a record with itself")
        if d.decision == "match":
            must.append((a, b))
        elif d.decision == "non-match":
            cannot.append((a, b))
    if set(must) & set(cannot):
        raise InputError("one pair is marked both match and non-match; settle it and link again")
    return must, cannot, list(dict.fromkeys(must))


def _decided(
    must: list[tuple[int, int]], cannot: list[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    out = {p: "review:match" for p in must}
    out.update({p: "review:non-match" for p in cannot})
    return out


def _cluster_table(
    frame: pd.DataFrame, cluster: Sequence[int], joined: Sequence[float | None]
) -> pd.DataFrame:
    # Cluster ids in order of first appearance in the input: stable across engines and runs.
    order: dict[int, int] = {}
    for label in cluster:
        order.setdefault(label, len(order))
    width = max(4, len(str(len(order))))
    ids = [f"C{order[label] + 1:0{width}d}" for label in cluster]
    sizes = pd.Series(ids).map(pd.Series(ids).value_counts())
    return pd.DataFrame(
        {
            "uid": frame["uid"].to_numpy(),
            "record_id": frame["record_id"].to_numpy(),
            "list": frame["list"].to_numpy(),
            "cluster_id": ids,
            "cluster_size": sizes.astype("int64").to_numpy(),
            "match_probability": [None if j is None or math.isnan(j) else float(j) for j in joined],
        }
    )


def _pair_table(
    frame: pd.DataFrame,
    scored: pd.DataFrame,
    spec: LinkageSpec,
    decisions_by_pair: dict[tuple[int, int], str],
    cluster: Sequence[int] | None = None,
) -> pd.DataFrame:
    """One row per pair at or above the review band's lower end or the threshold, and per
    decided pair (its probability when scored, else NaN). ``auto``: the model's match, which
    is a pair at or above the threshold, or with ``cluster`` (average linkage) a pair the
    clusters join. (Average linkage scores pairs lower than these, for its means.)"""
    shown = min(spec.review_band[0], spec.threshold)
    rid = frame["record_id"].tolist()
    lst = frame["list"].tolist()
    rows = []
    seen = set()
    reasons = scored["reasons"].tolist() if "reasons" in scored else [""] * len(scored)
    for a, b, p, why in zip(
        scored["uid_l"].tolist(),
        scored["uid_r"].tolist(),
        scored["match_probability"].tolist(),
        reasons,
        strict=True,
    ):
        if p < shown and (a, b) not in decisions_by_pair:
            continue
        seen.add((a, b))
        joined = p >= spec.threshold if cluster is None else cluster[a] == cluster[b]
        decision = decisions_by_pair.get((a, b)) or ("auto" if joined else "")
        rows.append((a, b, rid[a], lst[a], rid[b], lst[b], float(p), decision, why))
    for (a, b), decision in sorted(decisions_by_pair.items()):
        if (a, b) not in seen:  # decided pairs the model did not score (or scored low)
            rows.append((a, b, rid[a], lst[a], rid[b], lst[b], math.nan, decision, ""))
    return pd.DataFrame(
        rows,
        columns=["uid_l", "uid_r", *PAIR_COLUMNS, REASONS],
    )


def _model_summary(linker: Linker) -> dict[str, Any]:
    settings = linker.misc.save_model_to_json()
    comparisons = []
    for comp in settings.get("comparisons", []):
        levels = []
        for level in comp.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            levels.append(
                {
                    "label": level.get("label_for_charts", ""),
                    "m": m,
                    "u": u,
                    "match_weight": None if weight is None else round(weight, 3),
                }
            )
        comparisons.append({"name": comp.get("output_column_name"), "levels": levels})
    return {
        "probability_two_random_records_match": settings.get(
            "probability_two_random_records_match"
        ),
        "comparisons": comparisons,
        "splink": settings,
    }
