"""Splink settings built from a :class:`~unseen.linkage.spec.LinkageSpec` (describe, not run).

Every comparison becomes a Splink ``CustomComparison`` over the feature columns of
:mod:`unseen.linkage.features`, with levels from strongest to weakest evidence. Level SQL is
written once in DuckDB's dialect (or through Splink's level library) and Splink translates it
for Spark, so both engines score the same pairs the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.column_expression import ColumnExpression
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

from unseen.linkage.spec import LIST_PARTS, Comparison, LinkageSpec, Rule, resolve_ref

__all__ = [
    "LEVELS",
    "blocking_rule",
    "column",
    "scored_columns",
    "splink_comparison",
    "splink_settings",
]

# Day-widths that make an overlap of two fuzzy dates strong evidence (a day or a month, a year).
_PRECISE_DAYS = 31
_YEAR_DAYS = 400
# One edit in the given-name key is a typo; a different syllable (a sister's name) is more.
_NAME_GIVEN_EDITS = 1


def column(comparison: str, part: str) -> str:
    """The feature column of ``comparison.part``."""
    return f"{comparison}__{part}"


def _q(name: str, side: str) -> str:
    return f'"{name}_{side}"'


class _Overlap(ComparisonLevelCreator):
    """Two lists share an element. Splink's ``ArrayIntersectLevel`` builds the intersection
    and measures it; ``list_has_any`` (DuckDB) and ``arrays_overlap`` (Spark) stop at the
    first shared element, which makes scoring name-blocked pairs ~1.8x cheaper per test."""

    def __init__(self, col_name: str) -> None:
        self.col_expression = ColumnExpression.instantiate_if_str(col_name)
        self._fallback = cll.ArrayIntersectLevel(col_name, 1)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.col_expression.sql_dialect = sql_dialect
        left, right = self.col_expression.name_l, self.col_expression.name_r
        if sql_dialect.sql_dialect_str == "duckdb":
            return f"list_has_any({left}, {right})"
        if sql_dialect.sql_dialect_str == "spark":
            return f"arrays_overlap({left}, {right})"
        return self._fallback.create_sql(sql_dialect)

    def create_label_for_charts(self) -> str:
        return f"{self.col_expression.raw_sql_expression} share an element"


class _Slip(ComparisonLevelCreator):
    """One side's keyboard slips (``slips``, a list) hold the other's Hangul as written or
    read (``written``, a text), either way round: only names written in Hangul have slips."""

    def __init__(self, slips: str, written: str) -> None:
        self.slips = ColumnExpression.instantiate_if_str(slips)
        self.written = ColumnExpression.instantiate_if_str(written)

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        self.slips.sql_dialect = sql_dialect
        self.written.sql_dialect = sql_dialect
        test = "list_contains" if sql_dialect.sql_dialect_str == "duckdb" else "array_contains"
        s, w = self.slips, self.written
        return f"({test}({s.name_l}, {w.name_r}) OR {test}({s.name_r}, {w.name_l}))"

    def create_label_for_charts(self) -> str:
        return "same family name, given name one keyboard slip off (Hangul)"


_SPELT_TF_WEIGHT = 0.5


def _name_levels(c: Comparison) -> list[ComparisonLevelCreator]:
    parts = ("key", "given", "family", "hangul", "keys", "all", "written", "slips")
    col = {p: column(c.name, p) for p in parts}
    # Levels, strongest first: same name; same Hangul in another spelling; a shared key; an
    # alias or a guessed reading; a one-letter slip in the given name; the family name only.
    same = cll.And(
        cll.ExactMatchLevel(col["key"]),
        cll.Or(_Overlap(col["hangul"]), cll.NullLevel(col["hangul"])),
    )
    same.configure(label_for_charts="same name", is_null_level=False)
    if c.term_frequency:
        same.configure(
            tf_adjustment_column=col["key"],
            tf_adjustment_weight=1.0,
            disable_tf_exact_match_detection=True,
        )
    one_off = [
        _Overlap(col["family"]),
        cll.LevenshteinLevel(col["given"], _NAME_GIVEN_EDITS),
    ]
    # Only when one side has no Hangul reading: with known Hangul on both sides that differs,
    # a one-letter gap (보람 and 보란) is a sister's name more often than a typo, and such
    # pairs fall to "same family name".
    typo = cll.And(*one_off, cll.NullLevel(col["hangul"]))
    typo.configure(
        label_for_charts="same family name, given name one letter off", is_null_level=False
    )
    spelt = [
        _Overlap(col["hangul"]).configure(
            label_for_charts="same Hangul (other spelling or North/South form)"
        ),
        _Overlap(col["keys"]).configure(label_for_charts="same romanisation or Mandarin key"),
        _Overlap(col["all"]).configure(label_for_charts="an alias or a guessed reading matches"),
        typo,
        # Hangul as written that differs by one key beside the intended one (김명형, 김명향)
        # is a typo far more often than a sister. Realistic preset, seed 7: 6.4% of true pairs
        # and 1 in 46,500 other pairs are one slip apart; any one-letter gap (보람, 보란) is
        # 15x as common among other pairs. Pairwise F1, seeds 7 / 11 / 23: 0.892 / 0.890 /
        # 0.881 -> 0.896 / 0.891 / 0.883.
        _Slip(col["slips"], col["written"]),
    ]
    if c.term_frequency:
        # A common name is as common in another spelling: the frequency of the records' name
        # keys adjusts these levels too, at half weight since the key is only a proxy for the
        # shared element. Realistic preset, seeds 7 / 11 / 23: pairwise F1 0.849 / 0.844 /
        # 0.834 -> 0.859 / 0.859 / 0.848. (The family-name level is not adjusted: a full
        # name's frequency says nothing of a shared surname, and F1 fell to 0.04.)
        for level in spelt:
            level.configure(
                tf_adjustment_column=col["key"],
                tf_adjustment_weight=_SPELT_TF_WEIGHT,
                disable_tf_exact_match_detection=True,
            )
    return [
        cll.NullLevel(col["all"]).configure(label_for_charts="no name on one side"),
        same,
        *spelt,
        _Overlap(col["family"]).configure(label_for_charts="same family name"),
        cll.ElseLevel().configure(label_for_charts="other names"),
    ]


def _date_levels(c: Comparison) -> list[ComparisonLevelCreator]:
    lo, hi = column(c.name, "lo"), column(c.name, "hi")
    ll, lr, hl, hr = _q(lo, "l"), _q(lo, "r"), _q(hi, "l"), _q(hi, "r")
    overlap = f"({ll} <= {hr} AND {lr} <= {hl})"

    def widths(days: int) -> str:
        return f"({hl} - {ll} <= {days} AND {hr} - {lr} <= {days})"

    levels: list[ComparisonLevelCreator] = [
        cll.NullLevel(lo).configure(label_for_charts="unknown on one side"),
        cll.CustomLevel(f"{overlap} AND {widths(_PRECISE_DAYS)}", "same day or month", "duckdb"),
        cll.CustomLevel(f"{overlap} AND {widths(_YEAR_DAYS)}", "same year", "duckdb"),
        cll.CustomLevel(overlap, "vague dates that overlap", "duckdb"),
    ]
    gap = f"greatest({ll} - {hr}, {lr} - {hl})"
    for t in c.effective_thresholds:
        levels.append(cll.CustomLevel(f"{gap} <= {int(t)}", f"within {int(t)} days", "duckdb"))
    levels.append(cll.ElseLevel().configure(label_for_charts="further apart"))
    return levels


def _place_levels(c: Comparison) -> list[ComparisonLevelCreator]:
    levels: list[ComparisonLevelCreator] = [
        cll.NullLevel(column(c.name, "id")).configure(label_for_charts="unknown on one side")
    ]
    for part, label in (
        ("id", "same place"),
        ("county", "same county"),
        ("prefecture", "same prefecture"),
        ("province", "same province"),
    ):
        level = cll.ExactMatchLevel(column(c.name, part)).configure(label_for_charts=label)
        if part == "id" and c.term_frequency:
            level.configure(tf_adjustment_column=column(c.name, part))
        levels.append(level)
    levels.append(cll.ElseLevel().configure(label_for_charts="other places"))
    return levels


def _value_levels(c: Comparison) -> list[ComparisonLevelCreator]:
    value = column(c.name, "value")
    # Labels a reviewer reads (unseen review shows each pair's levels), not Splink's defaults.
    exact = cll.ExactMatchLevel(value, term_frequency_adjustments=c.term_frequency)
    exact.configure(label_for_charts="same")
    levels: list[ComparisonLevelCreator] = [
        cll.NullLevel(value).configure(label_for_charts="unknown on one side"),
        exact,
    ]
    if c.swapped_with:
        # This record's value written in the other one's swapped column, either way round.
        other = column(c.swapped_with, "value")
        levels.append(
            cll.CustomLevel(
                f"({_q(value, 'l')} = {_q(other, 'r')} OR {_q(value, 'r')} = {_q(other, 'l')})",
                f"equal to the other record's {c.swapped_with}",
                "duckdb",
            )
        )
    thresholds = c.effective_thresholds
    level: ComparisonLevelCreator
    if c.type == "string":
        for t in thresholds:
            if c.metric == "jaro_winkler":
                level = cll.JaroWinklerLevel(value, t)
                level.configure(label_for_charts=f"similar (Jaro-Winkler {t:g} or more)")
            elif c.metric == "jaro":
                level = cll.JaroLevel(value, t)
                level.configure(label_for_charts=f"similar (Jaro {t:g} or more)")
            elif c.metric == "levenshtein":
                level = cll.LevenshteinLevel(value, int(t))
                level.configure(label_for_charts=f"{int(t)} or fewer letters off")
            else:
                level = cll.DamerauLevenshteinLevel(value, int(t))
                level.configure(label_for_charts=f"{int(t)} or fewer letters off or swapped")
            levels.append(level)
    elif c.type == "numeric":
        for t in thresholds:
            if t > 0:
                level = cll.AbsoluteDifferenceLevel(value, t)
                levels.append(level.configure(label_for_charts=f"within {t:g}"))
    levels.append(cll.ElseLevel().configure(label_for_charts="different"))
    return levels


def _mother_levels(c: Comparison) -> list[ComparisonLevelCreator]:
    keys, hangul = column(c.name, "keys"), column(c.name, "hangul")
    return [
        cll.NullLevel(keys).configure(label_for_charts="not a child of a known mother"),
        cll.Or(_Overlap(hangul), _Overlap(keys)).configure(
            label_for_charts="mothers with the same name"
        ),
        cll.ElseLevel().configure(label_for_charts="mothers with other names"),
    ]


#: Comparison type -> builder of its Splink levels.
LEVELS = {
    "name": _name_levels,
    "date": _date_levels,
    "place": _place_levels,
    "exact": _value_levels,
    "string": _value_levels,
    "numeric": _value_levels,
    "mother": _mother_levels,
}


# Starting m and u per non-null level (strongest first; the last is the else level). EM and
# random sampling replace them; a level neither sees (rare on small data) keeps them, which
# beats Splink's generic defaults for these levels.
_PRIORS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "name": (
        (0.55, 0.2, 0.08, 0.07, 0.05, 0.02, 0.03, 0.02),
        (0.002, 0.001, 0.002, 0.003, 0.002, 0.0001, 0.15, 0.84),
    ),
    "date": ((0.5, 0.3, 0.1), (0.005, 0.03, 0.1)),
    "place": ((0.7, 0.1, 0.1, 0.05, 0.05), (0.05, 0.05, 0.1, 0.3, 0.5)),
    "exact": ((0.99, 0.01), (0.1, 0.9)),  # a recorded sex or state rarely differs
    "string": ((0.8,), (0.01,)),
    "numeric": ((0.8,), (0.01,)),
    "mother": ((0.9,), (0.01,)),
}


def _with_priors(c: Comparison, levels: list[ComparisonLevelCreator | dict[str, Any]]) -> None:
    """Set starting m/u on the non-null levels; types with thresholds spread the rest."""
    body = levels[1:]
    m0, u0 = _PRIORS[c.type]
    m, u = list(m0), list(u0)
    if c.swapped_with:
        m.insert(1, 0.03)  # a swap: rare in matches, rarer by chance
        u.insert(1, 0.0005)
    while len(m) < len(body):
        # Threshold levels, then else: evidence thins and chance agreement grows.
        room_m, room_u = 1.0 - sum(m), 1.0 - sum(u)
        m.append(room_m / 2 if len(m) < len(body) - 1 else room_m)
        u.append(room_u / 4 if len(u) < len(body) - 1 else room_u)
    total_m, total_u = sum(m[: len(body)]), sum(u[: len(body)])
    for level, mi, ui in zip(body, m, u, strict=False):
        assert isinstance(level, ComparisonLevelCreator)  # noqa: S101 - built just above
        level.configure(m_probability=mi / total_m, u_probability=ui / total_u)


def splink_comparison(c: Comparison) -> ComparisonCreator:
    levels: list[ComparisonLevelCreator | dict[str, Any]] = list(LEVELS[c.type](c))
    _with_priors(c, levels)
    return cl.CustomComparison(
        comparison_levels=levels,
        output_column_name=c.name,
        comparison_description=f"{c.type} comparison of {c.name}",
    )


def blocking_rule(rule: Rule, spec: LinkageSpec) -> BlockingRuleCreator:
    """A Splink blocking rule; list features are exploded."""
    if rule.sql is not None:
        return CustomRule(rule.sql, sql_dialect="duckdb")
    by_name: Mapping[str, Comparison] = {c.name: c for c in spec.comparisons}
    cols, explode = [], []
    for ref in rule.on:
        comp, part = resolve_ref(ref, by_name, "rule")
        cols.append(column(comp.name, part))
        if f"{comp.type}.{part}" in LIST_PARTS:
            explode.append(column(comp.name, part))
    if not rule.missing:
        return block_on(*cols, arrays_to_explode=explode or None)
    lacking = []
    for ref in rule.missing:
        comp, part = resolve_ref(ref, by_name, "rule")
        name = column(comp.name, part)
        lacking.append(f'l."{name}" IS NULL OR r."{name}" IS NULL')
    equal = " AND ".join(f'l."{c}" = r."{c}"' for c in cols)
    return CustomRule(
        f"{equal} AND ({' OR '.join(lacking)})",
        sql_dialect="duckdb",
        arrays_to_explode=explode or None,
    )


def splink_settings(spec: LinkageSpec, *, probability: float | None = None) -> SettingsCreator:
    """The Splink model of ``spec`` (dedupe over all lists at once: one table, one uid)."""
    kwargs: dict[str, Any] = {}
    if probability is not None:
        kwargs["probability_two_random_records_match"] = probability
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        comparisons=[splink_comparison(c) for c in spec.comparisons],
        blocking_rules_to_generate_predictions=[blocking_rule(r, spec) for r in spec.blocking],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=spec.em_max_iterations,
        **kwargs,
    )


def scored_columns(spec: LinkageSpec) -> list[str]:
    """The feature columns Splink's comparisons (and their term frequencies) read."""
    out: dict[str, None] = {}
    for c in spec.comparisons:
        comparison = splink_comparison(c).get_comparison("duckdb")
        for col in comparison._input_columns_used_by_case_statement:
            out[col.input_name] = None
        for name in comparison._tf_adjustment_input_col_names:
            out[name] = None
    return list(out)
