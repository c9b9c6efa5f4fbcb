"""Blocking that scales: count each rule's pairs before Splink runs, tighten the rules that
would pair too many records, and drop those that tightening cannot save.

A rule on a name key pairs every two records with that key, so its pairs grow with the square
of the number of records: on the realistic preset (17,600 records) ``name.keys`` gives 55,000
pairs, on the stress preset (1.05M) about 175M. :func:`plan_blocking` counts, for every
blocking rule, the pairs it would give (the sum over its blocks of n(n-1)/2, an upper bound
since rules overlap), from the feature table alone. A rule above ``spec.rule_pair_limit`` is
joined with ``spec.tighten`` (default: a shared possible birth year); if it still exceeds the
limit, or already uses those features, it is dropped. Small data keep their rules unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from unseen.errors import ConfigError
from unseen.linkage.spec import LIST_PARTS, Comparison, LinkageSpec, Rule, resolve_ref

__all__ = ["BlockingPlan", "RulePlan", "count_rule_pairs", "plan_blocking"]


@dataclass(frozen=True)
class RulePlan:
    """One rule as given, its estimated pairs, and what became of it (``kept``,
    ``tightened`` into ``rule`` with ``pairs_after``, or ``dropped``; raw SQL rules cannot be
    counted and are ``kept`` with ``pairs`` None)."""

    given: Rule
    pairs: int | None
    action: str
    rule: Rule | None
    pairs_after: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": " & ".join(self.given.on) if self.given.on else "sql",
            "pairs": self.pairs,
            "action": self.action,
            "pairs_after": self.pairs_after,
        }


@dataclass(frozen=True)
class BlockingPlan:
    spec: LinkageSpec
    rules: tuple[RulePlan, ...]

    @property
    def changed(self) -> bool:
        return any(r.action != "kept" for r in self.rules)


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


def _tightened(rule: Rule, tighten: Sequence[str]) -> Rule | None:
    extra = tuple(t for t in tighten if t not in rule.on)
    return Rule(on=(*rule.on, *extra)) if extra else None


def plan_blocking(frame: pd.DataFrame, spec: LinkageSpec) -> BlockingPlan:
    """The spec with its blocking rules fitted to ``frame`` (see the module's docstring)."""
    plans: list[RulePlan] = []
    for rule in spec.blocking:
        if rule.sql is not None:
            plans.append(RulePlan(rule, None, "kept", rule))
            continue
        pairs = count_rule_pairs(frame, rule, spec)
        if pairs <= spec.rule_pair_limit:
            plans.append(RulePlan(rule, pairs, "kept", rule))
            continue
        tighter = _tightened(rule, spec.tighten)
        after = None if tighter is None else count_rule_pairs(frame, tighter, spec)
        if tighter is None or after is None or after > spec.rule_pair_limit:
            plans.append(RulePlan(rule, pairs, "dropped", None, after))
        else:
            plans.append(RulePlan(rule, pairs, "tightened", tighter, after))
    kept = tuple(p.rule for p in plans if p.rule is not None)
    if not kept:
        raise ConfigError(
            f"every blocking rule pairs more than rule_pair_limit ({spec.rule_pair_limit:,}) "
            "records, even tightened: add stricter rules or raise rule_pair_limit"
        )
    return BlockingPlan(replace(spec, blocking=kept), tuple(plans))
