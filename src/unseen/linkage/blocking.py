"""Blocking that scales: count each rule's pairs before Splink runs, tighten the rules that
would pair too many records, and drop those that tightening cannot save.

A rule on a name key pairs every two records with that key, so its pairs grow with the square
of the number of records: on the realistic preset (17,600 records) ``name.keys`` gives 55,000
pairs, on the stress preset (1.05M) about 175M. :func:`plan_blocking` counts, for every
blocking rule, the pairs it would give (the sum over its blocks of n(n-1)/2, an upper bound
since rules overlap), from the feature table alone. A rule above ``spec.rule_pair_limit`` (or
its own ``pair_limit``) is replaced by one rule for each alternative of ``spec.tighten`` that
brings it under the limit: the rule joined with that alternative's features. Alternatives after
the first pair only records where one of the two lacks the first's features. The default model
splits a name rule by a shared possible birth year, and pairs a record without a birth date by
name and a shared event year, exit year or place in China: no record is lost to tightening for
having no birth date, and pairs whose birth years differ stay apart. A rule no alternative
saves is dropped. Small data keep their rules unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from unseen.errors import ConfigError
from unseen.linkage._candidates import rule_columns, rule_count_sql
from unseen.linkage.spec import LIST_PARTS, Comparison, LinkageSpec, Rule, resolve_ref

__all__ = ["BlockingPlan", "RulePlan", "count_rule_pairs", "plan_blocking"]


@dataclass(frozen=True)
class RulePlan:
    """One rule as given, its estimated pairs, and what became of it: ``kept``, ``tightened``
    into ``rules`` (one per alternative of ``spec.tighten`` that brings it under the limit,
    with their ``pairs_after``), or ``dropped``. Raw SQL rules cannot be counted and are
    ``kept`` with ``pairs`` None."""

    given: Rule
    pairs: int | None
    action: str
    rules: tuple[Rule, ...]
    pairs_after: tuple[int, ...] = ()

    @property
    def rule(self) -> Rule | None:
        """The first rule this one became (None when dropped)."""
        return self.rules[0] if self.rules else None

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": " & ".join(self.given.on) if self.given.on else "sql",
            "pairs": self.pairs,
            "action": self.action,
            "into": [_label(r) for r in self.rules] if self.action == "tightened" else [],
            "pairs_after": list(self.pairs_after) or None,
        }


@dataclass(frozen=True)
class BlockingPlan:
    spec: LinkageSpec
    rules: tuple[RulePlan, ...]

    @property
    def changed(self) -> bool:
        return any(r.action != "kept" for r in self.rules)


def _label(rule: Rule) -> str:
    text = " & ".join(rule.on)
    return f"{text} (one lacks {' & '.join(rule.missing)})" if rule.missing else text


def _column(ref: str, by_name: Mapping[str, Comparison]) -> tuple[str, bool]:
    comp, part = resolve_ref(ref, by_name, "rule")
    return f"{comp.name}__{part}", f"{comp.type}.{part}" in LIST_PARTS


def count_rule_pairs(frame: pd.DataFrame, rule: Rule, spec: LinkageSpec) -> int:
    """Pairs ``rule`` would give on the feature table ``frame``: the sum of n(n-1)/2 over its
    blocks, list features exploded (a pair sharing two keys counts twice: an upper bound)."""
    if rule.sql is not None:
        raise ConfigError("raw SQL rules cannot be counted")
    by_name = {c.name: c for c in spec.comparisons}
    cols = [_column(ref, by_name) for ref in rule.on]
    names = [c for c, _ in cols]
    total = _block_pairs(frame, cols)
    if not rule.missing:
        return total
    # Pairs where one record lacks a ``missing`` feature: all pairs of each block but those
    # whose two records both have every one of them.
    have = pd.Series(True, index=frame.index)
    for ref in rule.missing:
        column, _ = _column(ref, by_name)
        have &= frame[column].notna()
    return total - _block_pairs(frame[have], cols) if names else total


def _block_pairs(frame: pd.DataFrame, cols: Sequence[tuple[str, bool]]) -> int:
    names = [c for c, _ in cols]
    part = frame[["uid", *names]]
    for name, is_list in cols:
        if is_list:
            part = part.explode(name)
    part = part.dropna()
    if part.empty:
        return 0
    part = part.drop_duplicates()
    sizes = part.groupby(names, sort=False).size()
    return int((sizes * (sizes - 1) // 2).sum())


def _tightened(rule: Rule, alternative: Sequence[str], missing: Sequence[str]) -> Rule | None:
    extra = tuple(t for t in alternative if t not in rule.on)
    if not extra or any(m in (*rule.on, *extra) for m in missing):
        return None  # nothing to add, or pairs that must both have and lack a feature
    return Rule(on=(*rule.on, *extra), missing=tuple(missing))


@contextlib.contextmanager
def _counter(
    frame: pd.DataFrame, spec: LinkageSpec, threads: int, memory_limit: str
) -> Iterator[Callable[[Rule], int]]:
    """:func:`count_rule_pairs` in DuckDB, on a copy of the columns the rules (and their
    tightened forms) read: at a million records the pandas version took ~230 s. In memory,
    with the engine's limits, no spilling and no file access."""
    rules = [*spec.blocking, *(Rule(on=tuple(a)) for a in spec.tighten)]
    cols = ", ".join(["uid", *(f'"{c}"' for c in rule_columns(rules, spec))])
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET memory_limit = ?", [memory_limit])
        con.execute(f"SET threads = {int(threads)}")
        con.execute("SET temp_directory = ''")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_external_access = false")
        con.register("__unseen_frame", frame)
        con.execute(f"CREATE TABLE keys AS SELECT {cols} FROM __unseen_frame")  # noqa: S608
        con.unregister("__unseen_frame")

        def count(rule: Rule) -> int:
            row = con.execute(rule_count_sql(rule, spec, "keys")).fetchone()
            return int(row[0]) if row else 0

        yield count
    finally:
        con.close()


def plan_blocking(
    frame: pd.DataFrame, spec: LinkageSpec, *, threads: int = 1, memory_limit: str = "2GB"
) -> BlockingPlan:
    """The spec with its blocking rules fitted to ``frame`` (see the module's docstring);
    the pairs are counted in DuckDB with ``threads`` and ``memory_limit``."""
    if not any(r.sql is None for r in spec.blocking):
        return _plan(spec, lambda rule: 0)  # raw SQL rules are not counted
    with _counter(frame, spec, threads, memory_limit) as count:
        return _plan(spec, count)


def _plan(spec: LinkageSpec, count: Callable[[Rule], int]) -> BlockingPlan:
    plans: list[RulePlan] = []
    for rule in spec.blocking:
        if rule.sql is not None:
            plans.append(RulePlan(rule, None, "kept", (rule,)))
            continue
        pairs = count(rule)
        limit = spec.rule_pair_limit if rule.pair_limit is None else rule.pair_limit
        if pairs <= limit:
            plans.append(RulePlan(rule, pairs, "kept", (rule,)))
            continue
        into: list[Rule] = []
        after: list[int] = []
        for i, alternative in enumerate(spec.tighten if rule.tighten else ()):
            # The first alternative splits the rule; the others pair only records where one
            # of the two lacks the first's features, so none is lost for lacking them. A rule
            # too loose even for the first gets no fallbacks (at a million records, name.all
            # and name.prefix: their fallbacks would double the pairs).
            if i and not into:
                break
            if rule.missing:
                # A rule of its own for records lacking a feature (a name): each alternative
                # splits it alike, keeping that condition (two such conditions cannot be
                # joined in one rule).
                tighter = _tightened(rule, alternative, rule.missing)
            else:
                tighter = _tightened(rule, alternative, spec.tighten[0] if i else ())
            if tighter is None or tighter in into:
                continue
            n = count(tighter)
            if n <= limit:
                into.append(tighter)
                after.append(n)
        action = "tightened" if into else "dropped"
        plans.append(RulePlan(rule, pairs, action, tuple(into), tuple(after)))
    kept = tuple(dict.fromkeys(r for p in plans for r in p.rules))
    if not kept:
        raise ConfigError(
            f"every blocking rule pairs more than rule_pair_limit ({spec.rule_pair_limit:,}) "
            "records, even tightened: add stricter rules or raise rule_pair_limit"
        )
    return BlockingPlan(replace(spec, blocking=kept), tuple(plans))
