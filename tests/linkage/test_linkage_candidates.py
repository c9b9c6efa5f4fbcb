"""Candidate pairs computed on each rule's own features are Splink's pairs, exactly."""

from __future__ import annotations

import tempfile
from dataclasses import replace

import pandas as pd
import pytest
from splink import Linker

from unseen.linkage import EngineOptions, build_features, default_spec
from unseen.linkage._candidates import BLOCKED, blocked_pairs_sql, supported
from unseen.linkage.blocking import plan_blocking
from unseen.linkage.engine import _duckdb_api, _query
from unseen.linkage.model import splink_settings
from unseen.simulate import SimulationSettings, simulate, write_simulation


def _simulated(seed: int) -> pd.DataFrame:
    with tempfile.TemporaryDirectory(prefix="unseen-test-") as tmp:
        files = write_simulation(simulate(SimulationSettings.preset("small", seed)), tmp)
        frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in files.lists.values()]
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("limit", [None, 200])
def test_pairs_are_splinks(limit: int | None) -> None:
    """Every rule of the default model (names, birth years, the name-less fallbacks; with a
    small ``rule_pair_limit`` the tightened rules with their "one lacks" conditions too)."""
    table = _simulated(3)
    spec = default_spec()
    frame = build_features(table, spec).frame
    if limit is not None:
        spec = replace(spec, rule_pair_limit=limit)
    spec = plan_blocking(frame, spec).spec
    assert supported(spec)
    if limit is not None:
        assert any(r.missing and r.on[0].startswith("name") for r in spec.blocking)
    with _duckdb_api(EngineOptions(threads=1)) as api:
        records = api.register(frame)
        linker = Linker(records, splink_settings(spec), log_level=None)
        theirs = linker.inference.compute_blocked_pairs_for_predict()
        sql = f"select join_key_l, join_key_r from {theirs.physical_name}"  # noqa: S608
        want = _query(linker, sql)
        for statement in blocked_pairs_sql(spec, records.physical_name):
            api._con.execute(statement)  # type: ignore[attr-defined]
        got = _query(linker, f"select * from {BLOCKED}")  # noqa: S608
    pairs = {tuple(sorted(p)) for p in zip(want["join_key_l"], want["join_key_r"], strict=True)}
    ours = list(zip(got["join_key_l"], got["join_key_r"], strict=True))
    assert len(pairs) > 100
    assert all(a < b for a, b in ours) and len(set(ours)) == len(ours)
    assert set(ours) == pairs


def test_raw_sql_rules_are_left_to_splink() -> None:
    from unseen.linkage import Rule

    spec = replace(default_spec(), blocking=(Rule(sql="l.sex__value = r.sex__value"),))
    assert not supported(spec)
