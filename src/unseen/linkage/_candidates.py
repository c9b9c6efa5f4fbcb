"""Candidate pairs of the blocking rules, computed in DuckDB on the few columns each rule uses.

Splink blocks a rule on list features (``name.keys``: any shared key) by unnesting every
column of the input table, once per rule, before it joins. On the stress preset (1.05M
records, 12 rules, 14.5M pairs) that took 112 s of 179. Here each rule unnests only the
record id and its own features, joins, and the pairs of all rules are made distinct in one
pass: the same pairs (``uid_l < uid_r``, tested against Splink's), in the table Splink scores
(``match_key``, ``join_key_l``, ``join_key_r``; registered with
``register_blocked_pairs_for_predict``). Raw SQL rules are left to Splink (see
:func:`supported`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from unseen.linkage.spec import LIST_PARTS, Comparison, LinkageSpec, Rule, resolve_ref

__all__ = ["BLOCKED", "blocked_pairs_sql", "rule_columns", "rule_count_sql", "supported"]


def supported(spec: LinkageSpec) -> bool:
    """Every blocking rule is a list of features (no raw SQL)."""
    return bool(spec.blocking) and all(r.sql is None for r in spec.blocking)


def _columns(rule: Rule, by_name: Mapping[str, Comparison]) -> list[tuple[str, bool]]:
    out = []
    for ref in rule.on:
        comp, part = resolve_ref(ref, by_name, "rule")
        out.append((f"{comp.name}__{part}", f"{comp.type}.{part}" in LIST_PARTS))
    return out


def _keyed_sql(
    cols: list[tuple[str, bool]], table: str, flag: str = "false", where: str = "true"
) -> str:
    """Distinct rows (uid, lacks, k0, k1, ...) of ``table``'s rows that pass ``where``, one per
    key the record has (list features unnested), every key present."""
    # One unnest per level of nesting: two unnests in one SELECT would zip the lists.
    inner = (
        f"SELECT uid, {flag} AS lacks, "  # noqa: S608 - names are checked feature columns
        + ", ".join(f'"{c}" AS k{i}' for i, (c, _) in enumerate(cols))
        + f" FROM {table} WHERE {where}"
    )
    for i, (_, is_list) in enumerate(cols):
        if not is_list:
            continue
        keep = ", ".join(f"k{j}" for j in range(len(cols)) if j != i)
        inner = (
            f"SELECT uid, lacks, {keep + ', ' if keep else ''}unnest(k{i}) AS k{i} FROM ({inner})"  # noqa: S608
        )
    present = " AND ".join(f"k{i} IS NOT NULL" for i in range(len(cols)))
    return f"SELECT DISTINCT * FROM ({inner}) WHERE {present}"  # noqa: S608


def _rule_sql(rule: Rule, index: int, table: str, by_name: Mapping[str, Comparison]) -> str:
    cols = _columns(rule, by_name)
    lacking = [f'"{c}" IS NULL' for c, _ in _columns(Rule(on=rule.missing), by_name)]
    flag = f"({' OR '.join(lacking)})" if lacking else "false"
    keyed = _keyed_sql(cols, table, flag)
    on = " AND ".join(f"l.k{i} = r.k{i}" for i in range(len(cols)))
    need = " AND (l.lacks OR r.lacks)" if lacking else ""
    # A pair is one BIGINT (uid_l, uid_r in its halves): tens of millions of them are made
    # distinct in a fraction of the memory two columns take.
    return (
        f"INSERT INTO {PAIRS} WITH k AS MATERIALIZED ({keyed}) "  # noqa: S608
        f"SELECT {index}, (l.uid::BIGINT << 32) | r.uid::BIGINT "
        f"FROM k l JOIN k r ON {on} AND l.uid < r.uid{need}"
    )


def rule_count_sql(rule: Rule, spec: LinkageSpec, table: str) -> str:
    """A query of one value: the pairs ``rule`` gives on ``table``, counted as
    :func:`unseen.linkage.blocking.count_rule_pairs` counts them (the sum of n(n-1)/2 over
    the blocks of distinct (record, key) rows; with ``missing``, less the pairs whose two
    records both have every missing feature)."""
    by_name = {c.name: c for c in spec.comparisons}
    cols = _columns(rule, by_name)
    keys = ", ".join(f"k{i}" for i in range(len(cols)))

    def pairs(where: str) -> str:
        blocks = (
            f"SELECT count(*) AS n FROM ({_keyed_sql(cols, table, where=where)}) GROUP BY {keys}"  # noqa: S608
        )
        return f"(SELECT coalesce(sum(n * (n - 1) // 2), 0)::HUGEINT FROM ({blocks}))"  # noqa: S608

    if not rule.missing:
        return f"SELECT {pairs('true')}"
    have = " AND ".join(f'"{c}" IS NOT NULL' for c, _ in _columns(Rule(on=rule.missing), by_name))
    return f"SELECT {pairs('true')} - {pairs(have)}"


def rule_columns(rules: Sequence[Rule], spec: LinkageSpec) -> list[str]:
    """The feature columns ``rules`` read (``on`` and ``missing``), each once."""
    by_name = {c.name: c for c in spec.comparisons}
    return list(
        dict.fromkeys(c for r in rules for c, _ in _columns(Rule(on=(*r.on, *r.missing)), by_name))
    )


#: Working tables (the rules' features, pair keys), and the blocked-pairs table Splink scores.
PAIRS = "__unseen_pair_keys"
KEYS = "__unseen_blocking_keys"
BLOCKED = "__unseen_blocked"


def blocked_pairs_sql(spec: LinkageSpec, table: str) -> list[str]:
    """Statements that make table :data:`BLOCKED`, every candidate pair of ``spec.blocking``
    once over the feature table ``table`` (``uid`` and the feature columns), in the form of
    Splink's blocked-pairs table."""
    by_name = {c.name: c for c in spec.comparisons}
    mask = (1 << 32) - 1
    keys = ", ".join(["uid", *(f'"{c}"' for c in rule_columns(spec.blocking, spec))])
    return [
        # The features the rules use, read once from the input (a pandas frame is scanned
        # value by value).
        f"CREATE TEMP TABLE {KEYS} AS SELECT {keys} FROM {table}",  # noqa: S608
        f"CREATE TEMP TABLE {PAIRS} (rule INTEGER, pair BIGINT)",
        *(_rule_sql(r, i, KEYS, by_name) for i, r in enumerate(spec.blocking)),
        f"CREATE TEMP TABLE {BLOCKED} AS SELECT CAST(min(rule) AS VARCHAR) AS match_key, "  # noqa: S608
        f"pair >> 32 AS join_key_l, pair & {mask} AS join_key_r FROM {PAIRS} GROUP BY pair",
        f"DROP TABLE {PAIRS}",
        f"DROP TABLE {KEYS}",
    ]
