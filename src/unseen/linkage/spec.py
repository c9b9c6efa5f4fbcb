"""What to compare and how: a frozen, JSON-serialisable description of a linkage model.

A :class:`LinkageSpec` only *describes* the model (comparisons, blocking, training, thresholds);
:func:`unseen.linkage.link` runs it. Specs come from :func:`default_spec` (Korean refugee person
lists, FORMATS.md s1) or from a YAML/JSON config file (:meth:`LinkageSpec.from_config`,
documented in ``docs/linkage.md``) that maps *any* columns to comparison types, so other data link
without code changes.

Blocking and training rules refer to *features* as ``comparison.part``: ``name.hangul``,
``birth.years``, ``origin.province``. Parts that hold lists (:data:`LIST_PARTS`) are exploded, so
a rule on ``name.keys`` pairs two records that share any key of any of their names or aliases.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from unseen.errors import ConfigError
from unseen.linkage.clustering import FLOOR_SHARE

__all__ = [
    "COMPARISON_TYPES",
    "LIST_PARTS",
    "PARTS",
    "Comparison",
    "LinkageSpec",
    "Rule",
    "default_spec",
]

#: Comparison types and what each compares.
COMPARISON_TYPES: Mapping[str, str] = {
    "exact": "equal after trimming (and lower-casing unless lowercase: false)",
    "string": "string similarity at thresholds: jaro_winkler, jaro, levenshtein, "
    "damerau_levenshtein",
    "name": "Korean-aware names: Hangul readings, romanisation keys, Mandarin readings, aliases",
    "date": "fuzzy-date overlap, then gaps within thresholds (days)",
    "numeric": "absolute difference within thresholds",
    "place": "gazetteer hierarchy: same place, county, prefecture, province, country",
    "mother": "for children: their mothers' names (the record a mother_record_id names, in "
    "the same list), compared as the spec's name comparison compares names",
}

#: Feature parts each comparison type offers to blocking and training rules.
PARTS: Mapping[str, tuple[str, ...]] = {
    "exact": ("value",),
    "string": ("value", "prefix"),
    "numeric": ("value",),
    "name": ("key", "given", "family", "keys", "hangul", "all", "prefix", "written"),
    "date": ("lo", "hi", "day", "year", "years"),
    "place": ("id", "county", "prefecture", "province", "country"),
    "mother": ("keys", "hangul"),
}

#: Parts whose feature column holds a list (exploded when used in a blocking rule).
LIST_PARTS = frozenset(
    {
        "name.family",
        "name.keys",
        "name.hangul",
        "name.all",
        "name.prefix",
        "date.years",
        "mother.keys",
        "mother.hangul",
    }
)

_METRICS = ("jaro_winkler", "jaro", "levenshtein", "damerau_levenshtein")
#: How scored pairs become clusters (:mod:`unseen.linkage.clustering`).
CLUSTERING = ("components", "average")
# Settings added after specs were first hashed (a PPRL schema holds its spec's SHA-256, and
# the field keys hang on it): left out of to_dict at their defaults, so a spec that does not
# use them serialises, and encodes, as before.
_OMITTED_AT_DEFAULT = frozenset({"clustering", "cluster_threshold", "list_prior", "prior_when"})
_IDENT = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# A feature column in a rule's SQL: <comparison>__<part>.
SQL_FEATURE = re.compile(r"\b([a-z][a-z0-9_]{0,39}?)__[a-z]+\b")
_DEFAULT_THRESHOLDS: Mapping[str, tuple[float, ...]] = {
    "jaro_winkler": (0.92, 0.8),
    "jaro": (0.9, 0.75),
    "levenshtein": (1, 2),
    "damerau_levenshtein": (1, 2),
    "date": (366, 1830),
    "numeric": (0, 1),
}


@dataclass(frozen=True)
class Comparison:
    """One comparison of two records.

    - ``name``: identifier used in rules and output (``[a-z][a-z0-9_]*``).
    - ``type``: one of :data:`COMPARISON_TYPES`.
    - ``columns``: input columns. ``name`` takes several (full names in any script, or family
      then given name: see :mod:`unseen.linkage.features`); the other types take one.
    - ``aliases``: for ``name``, a column of ``;``-separated other names; ``family`` and
      ``given``: for ``name``, columns holding the family and the given name apart.
    - ``metric`` / ``thresholds``: for ``string`` (similarity >= t, or edit distance <= t),
      ``date`` (gap in days <= t) and ``numeric`` (absolute difference <= t); strictest first.
    - ``term_frequency``: adjust the exact-match level for how common the value is; for
      ``name``, the other-spelling levels too (by the name key's frequency, at half weight).
    - ``country``: for ``place``, ``CN`` or ``KP`` when the column is known to be in one.
    - ``date_format``: for ``date``, a ``strptime`` format for generic data (``%Y%m%d``);
      without it dates are read as FORMATS.md s4 fuzzy dates.
    - ``lowercase``: for ``exact`` and ``string``.
    - ``swapped_with``: for ``exact`` and ``string``, another such comparison whose value may
      have been written in this one's place (given name and surname swapped): a level "equal
      to the other record's ``swapped_with``" comes after the exact one.
    - ``pseudonym``: for ``name``, a column of free text (the notes) that may say the name is
      made up ("name changed", "pseudonym", 가명, 化名): the main name of such a record is
      treated as unknown (its aliases are kept), so that it neither blocks with nor counts
      against the person's other records.
    """

    name: str
    type: str
    columns: tuple[str, ...]
    aliases: str | None = None
    family: str | None = None
    given: str | None = None
    metric: str = "jaro_winkler"
    thresholds: tuple[float, ...] = ()
    term_frequency: bool = False
    country: str | None = None
    date_format: str | None = None
    lowercase: bool = True
    swapped_with: str | None = None
    pseudonym: str | None = None

    @property
    def effective_thresholds(self) -> tuple[float, ...]:
        if self.thresholds:
            return self.thresholds
        key = self.metric if self.type == "string" else self.type
        return _DEFAULT_THRESHOLDS.get(key, ())


@dataclass(frozen=True)
class Rule:
    """A blocking or training rule: records pair when every ``on`` feature is equal.

    ``on`` names features as ``comparison.part`` (see :data:`PARTS`); a bare comparison name
    means its first part. ``sql`` is a raw Splink condition over feature columns
    (``l.name__key = r.name__key``) for what ``on`` cannot say; give one or the other.
    ``missing`` (with ``on``, in blocking rules): only pairs where at least one of the two
    records has no value in one of these features (the fallback of a tightened rule).
    ``tighten``: False drops the rule, rather than tightening it, when it pairs more than
    its limit (a rule for small data only).
    ``pair_limit``: this rule's limit instead of the spec's ``rule_pair_limit``, for a rule
    whose pairs grow with the square of the data while what it finds does not.
    """

    on: tuple[str, ...] = ()
    sql: str | None = None
    missing: tuple[str, ...] = ()
    tighten: bool = True
    pair_limit: int | None = None


@dataclass(frozen=True)
class LinkageSpec:
    """The whole model: comparisons, blocking, training and decision thresholds.

    - ``record_id`` / ``list_column``: the columns that identify a record (FORMATS.md s1).
    - ``blocking``: rules generating candidate pairs (their union is scored).
    - ``training``: plain rules (no list parts) for EM estimation of the m probabilities; each
      session estimates the comparisons its rule does not use.
    - ``prior``: deterministic rules whose pairs are taken as near-certain matches, with the
      share of all matches they are thought to find (``prior_recall``), to estimate the
      probability that two random records match.
    - ``prior_when``: an SQL condition on one record's features (``birth__hi - birth__lo <
      31``: a precise birth date) that both records of a pair must meet for the prior rules
      to find it. ``prior_recall`` is then the share of such matches they find, and the
      share of all matches is ``prior_recall`` times the square of the share of records
      that meet it, measured on the data being linked: the prior follows how often a list
      writes what the rules need, instead of assuming the lists it was set on.
    - ``threshold``: the model's own decision: a pair at or above it is a match (``auto`` in
      ``pairs.csv``); with ``clustering: components`` these pairs join clusters.
    - ``clustering``: ``components`` (pairs at or above ``threshold`` join, chained: Splink's
      connected components) or ``average`` (average linkage: two clusters merge while the
      mean match probability over all their record pairs, unscored pairs counting as 0, is
      at least ``cluster_threshold``; see :mod:`unseen.linkage.clustering`).
    - ``cluster_threshold``: the least mean probability at which ``average`` merges
      (default: ``threshold``). Pairs under a third of it are not scored for clustering:
      they would move no mean across it.
    - ``review_band``: ``(low, high)`` match probabilities of pairs a reviewer should see.
    - ``list_prior``: give each pair of lists its own prior probability of a match, from the
      trained model's expected matches between them (:mod:`unseen.linkage.list_prior`);
      ``False`` keeps one prior for all pairs (Splink's model).
    - ``max_pairs``: refuse to score more candidate pairs than this (tighten blocking instead).
    - ``u_max_pairs``: random pairs sampled to estimate the u probabilities.
    - ``em_max_pairs``: an EM session whose rule pairs more records than this trains on a
      deterministic (hash-based) sample of about that many of its pairs (None: all). On the
      stress preset 1M lowered pairwise F1 from 0.429 to 0.420, so the default is None.
    - ``strict_columns``: a column the spec names must be in the input (else the comparison,
      and every rule using it, is left out when the input lacks its columns or has no value
      in them: person lists leave most columns optional).
    - ``input``: how the command line reads files: ``person-list`` (FORMATS.md s1, validated,
      any format :func:`unseen.formats.read_person_list` reads) or ``table`` (a plain CSV whose
      columns the comparisons name).
    - ``min_labels``: with at least this many reviewers' match decisions, they also train the
      m probabilities (see :mod:`unseen.linkage.engine`); with fewer they only constrain
      clustering.
    - ``rule_pair_limit`` / ``tighten``: a blocking rule that would pair more records than
      the limit becomes one rule per ``tighten`` alternative (a feature, or features joined)
      that brings it under the limit, the rule joined with it; dropped when none does
      (:mod:`unseen.linkage.blocking`): blocking that scales to a million records.
    - ``train_records``: EM and u sampling run on a seeded random sample of at most this
      many records; the whole table is scored with the model they give.
    """

    comparisons: tuple[Comparison, ...]
    blocking: tuple[Rule, ...]
    training: tuple[Rule, ...]
    prior: tuple[Rule, ...] = ()
    prior_recall: float = 0.7
    prior_when: str | None = None
    threshold: float = 0.9
    review_band: tuple[float, float] = (0.5, 0.9)
    clustering: str = "components"
    cluster_threshold: float | None = None
    list_prior: bool = True
    max_pairs: int = 50_000_000
    u_max_pairs: int = 2_000_000
    em_max_iterations: int = 25
    em_max_pairs: int | None = None
    seed: int = 42
    record_id: str = "record_id"
    list_column: str = "list"
    min_labels: int = 10
    rule_pair_limit: int = 25_000_000
    tighten: tuple[tuple[str, ...], ...] = ()
    train_records: int = 150_000
    strict_columns: bool = True
    input: str = "table"
    version: int = 1

    def __post_init__(self) -> None:
        _check(self)

    # --- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict that :meth:`from_dict` reads back to an equal spec."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name.startswith("_"):
                continue
            value = getattr(self, f.name)
            if f.name in _OMITTED_AT_DEFAULT and value == f.default:
                continue
            if f.name in ("comparisons", "blocking", "training", "prior"):
                out[f.name] = [_item_dict(v) for v in value]
            elif f.name == "tighten":
                out[f.name] = [x[0] if len(x) == 1 else list(x) for x in value]
            elif isinstance(value, tuple):
                out[f.name] = list(value)
            else:
                out[f.name] = value
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "config") -> LinkageSpec:
        """Build and check a spec; every problem raises :class:`ConfigError` naming the key."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: the top level must be a mapping of settings")
        known = {f.name for f in fields(cls) if not f.name.startswith("_")}
        _no_unknown(data, known, source, "")
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name.startswith("_") or f.name not in data:
                continue
            raw = data[f.name]
            if f.name == "comparisons":
                kwargs[f.name] = tuple(
                    _comparison(c, f"{source}: comparisons[{i}]") for i, c in enumerate(_seq(raw))
                )
            elif f.name in ("blocking", "training", "prior"):
                kwargs[f.name] = tuple(
                    _rule(r, f"{source}: {f.name}[{i}]") for i, r in enumerate(_seq(raw))
                )
            elif f.name == "tighten":
                kwargs[f.name] = tuple(_alternative(x, f"{source}: tighten") for x in _seq(raw))
            elif f.name == "review_band":
                band = tuple(_number(x, f"{source}: review_band") for x in _seq(raw))
                if len(band) != 2:
                    raise ConfigError(f"{source}: review_band needs two numbers [low, high]")
                kwargs[f.name] = band
            else:
                kwargs[f.name] = _scalar(raw, f.type, f"{source}: {f.name}")
        for required in ("comparisons", "blocking"):
            if required not in kwargs:
                raise ConfigError(f"{source}: '{required}' is required")
        if "training" not in kwargs:
            kwargs["training"] = _default_training(kwargs["comparisons"])
        try:
            return cls(**kwargs)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None

    @classmethod
    def from_config(cls, path: str | Path) -> LinkageSpec:
        """Read a YAML (``.yaml``/``.yml``) or JSON linkage config; see ``docs/linkage.md``."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            why = type(exc).__name__
            raise ConfigError(f"{p.name}: cannot read the linkage config ({why})") from None
        try:
            data = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            line = getattr(exc, "lineno", None) if line is None else line + 1
            where = f", line {line}" if line else ""
            raise ConfigError(f"{p.name}{where}: not valid YAML/JSON") from None
        return cls.from_dict(data, source=p.name)

    def comparison(self, name: str) -> Comparison:
        for c in self.comparisons:
            if c.name == name:
                return c
        raise ConfigError(f"no comparison named '{name}'")

    def restricted_to(self, names: set[str]) -> LinkageSpec:
        """The spec without the comparisons not in ``names`` and the rules that use them."""
        keep = tuple(c for c in self.comparisons if c.name in names)

        def usable(rule: Rule) -> bool:
            if rule.sql is not None:
                return all(ref in names for ref in SQL_FEATURE.findall(rule.sql))
            return all(r.partition(".")[0] in names for r in (*rule.on, *rule.missing))

        keep = tuple(
            replace(c, swapped_with=None) if c.swapped_with not in (None, *names) else c
            for c in keep
        )
        prior = tuple(r for r in self.prior if usable(r))
        return replace(
            self,
            comparisons=keep,
            tighten=tuple(t for t in self.tighten if all(x.partition(".")[0] in names for x in t)),
            blocking=tuple(r for r in self.blocking if usable(r)),
            training=tuple(r for r in self.training if usable(r)),
            prior=prior,
            prior_when=self.prior_when
            if prior
            and self.prior_when is not None
            and all(ref in names for ref in SQL_FEATURE.findall(self.prior_when))
            else None,
        )

    def with_threshold(self, threshold: float) -> LinkageSpec:
        """The spec deciding, and clustering, at ``threshold`` (average linkage merges at a
        mean of ``threshold``)."""
        lo, _hi = self.review_band
        return replace(
            self,
            threshold=threshold,
            review_band=(min(lo, threshold), threshold),
            cluster_threshold=None,
        )

    @property
    def merge_threshold(self) -> float:
        """The bar clustering applies: ``threshold``, or ``cluster_threshold`` for average
        linkage."""
        if self.clustering == "average" and self.cluster_threshold is not None:
            return self.cluster_threshold
        return self.threshold

    @property
    def scoring_floor(self) -> float:
        """The least probability a scored pair needs to be kept: the review band's low end,
        the decision threshold, and for average linkage a third of its bar."""
        floor = min(self.review_band[0], self.threshold)
        if self.clustering == "average":
            floor = min(floor, self.merge_threshold * FLOOR_SHARE)
        return floor


# --- checking ------------------------------------------------------------------------------


def _check(spec: LinkageSpec) -> None:
    if not spec.comparisons:
        raise ConfigError("a spec needs at least one comparison")
    if not spec.blocking:
        raise ConfigError("a spec needs at least one blocking rule")
    names = [c.name for c in spec.comparisons]
    if len(set(names)) != len(names):
        raise ConfigError("comparison names must be unique")
    for c in spec.comparisons:
        _check_comparison(c)
    by_name = {c.name: c for c in spec.comparisons}
    if any(c.type == "mother" for c in spec.comparisons) and not any(
        c.type == "name" for c in spec.comparisons
    ):
        raise ConfigError("a 'mother' comparison needs a 'name' comparison to compare by")
    for c in spec.comparisons:
        other = by_name.get(c.swapped_with) if c.swapped_with else None
        if c.swapped_with and (other is None or other.type not in ("exact", "string")):
            raise ConfigError(
                f"comparison '{c.name}': swapped_with must name another exact or string comparison"
            )
        if c.swapped_with == c.name:
            raise ConfigError(f"comparison '{c.name}': swapped_with names itself")
    for kind in ("blocking", "training", "prior"):
        for i, rule in enumerate(getattr(spec, kind)):
            _check_rule(rule, by_name, f"{kind}[{i}]", plain=kind != "blocking")
    if not 0.0 < spec.threshold < 1.0:
        raise ConfigError("threshold must be between 0 and 1 (exclusive)")
    if spec.clustering not in CLUSTERING:
        raise ConfigError(
            f"clustering must be one of {', '.join(CLUSTERING)}, not '{spec.clustering}'"
        )
    if spec.cluster_threshold is not None and not 0.0 < spec.cluster_threshold < 1.0:
        raise ConfigError("cluster_threshold must be between 0 and 1 (exclusive)")
    lo, hi = spec.review_band
    if not 0.0 <= lo <= hi <= 1.0:
        raise ConfigError("review_band must be [low, high] with 0 <= low <= high <= 1")
    if not 0.0 < spec.prior_recall <= 1.0:
        raise ConfigError("prior_recall must be in (0, 1]")
    if spec.prior_when is not None:
        if not spec.prior:
            raise ConfigError("prior_when needs prior rules, whose pairs it qualifies")
        for ref in SQL_FEATURE.findall(spec.prior_when):
            if ref not in by_name:
                raise ConfigError(f"prior_when: '{ref}__...' names no comparison")
    for alternative in spec.tighten:
        if not alternative:
            raise ConfigError("tighten: an alternative names no feature")
        for ref in alternative:
            resolve_ref(ref, by_name, "tighten")
        if len(set(alternative)) != len(alternative):
            raise ConfigError("tighten: a feature is named twice in one alternative")
    if len(set(spec.tighten)) != len(spec.tighten):
        raise ConfigError("tighten: an alternative is given twice")
    for name in (
        "max_pairs",
        "u_max_pairs",
        "em_max_iterations",
        "min_labels",
        "rule_pair_limit",
        "train_records",
    ):
        if getattr(spec, name) < 1:
            raise ConfigError(f"{name} must be a positive integer")
    if spec.em_max_pairs is not None and spec.em_max_pairs < 1:
        raise ConfigError("em_max_pairs must be a positive integer")
    if spec.input not in ("person-list", "table"):
        raise ConfigError("input must be person-list or table")
    if spec.version != 1:
        raise ConfigError(f"unknown spec version {spec.version}; this unseen reads version 1")


def _check_comparison(c: Comparison) -> None:
    where = f"comparison '{c.name}'"
    if not _IDENT.match(c.name):
        raise ConfigError(f"{where}: names are lower-case letters, digits and _ (a-z first)")
    if c.type not in COMPARISON_TYPES:
        raise ConfigError(f"{where}: type must be one of {', '.join(COMPARISON_TYPES)}")
    if any(not isinstance(x, str) or not x for x in c.columns):
        raise ConfigError(f"{where}: column names must be non-empty text")
    if c.type == "name":
        if not c.columns and not (c.family or c.given):
            raise ConfigError(f"{where}: give name 'columns', or 'family' and 'given' columns")
    elif len(c.columns) != 1:
        raise ConfigError(f"{where}: type '{c.type}' compares exactly one column")
    for opt in ("aliases", "family", "given", "pseudonym"):
        if getattr(c, opt) is not None and c.type != "name":
            raise ConfigError(f"{where}: only 'name' comparisons take '{opt}'")
    if c.swapped_with is not None and c.type not in ("exact", "string"):
        raise ConfigError(f"{where}: only 'exact' and 'string' comparisons take 'swapped_with'")
    if c.type == "string" and c.metric not in _METRICS:
        raise ConfigError(f"{where}: metric must be one of {', '.join(_METRICS)}")
    if c.country not in (None, "CN", "KP"):
        raise ConfigError(f"{where}: country must be CN or KP")
    if c.date_format is not None and c.type != "date":
        raise ConfigError(f"{where}: only 'date' comparisons take 'date_format'")
    if c.type in ("string", "date", "numeric"):
        ts = c.effective_thresholds
        if not ts or any(not math.isfinite(t) or t < 0 for t in ts):
            raise ConfigError(f"{where}: thresholds must be non-negative numbers")
        similarity = c.type == "string" and c.metric in ("jaro_winkler", "jaro")
        if similarity and any(t > 1 for t in ts):
            raise ConfigError(f"{where}: {c.metric} thresholds lie between 0 and 1")
        ordered = sorted(ts, reverse=similarity)
        if list(ts) != ordered or len(set(ts)) != len(ts):
            raise ConfigError(f"{where}: thresholds go from strictest to loosest, no repeats")
    elif c.thresholds:
        raise ConfigError(f"{where}: type '{c.type}' takes no thresholds")


def _check_rule(rule: Rule, by_name: Mapping[str, Comparison], where: str, plain: bool) -> None:
    if bool(rule.on) == bool(rule.sql):
        raise ConfigError(f"{where}: give either 'on' (features) or 'sql', not both or neither")
    if rule.missing and (plain or not rule.on):
        raise ConfigError(f"{where}: 'missing' is for blocking rules with 'on' only")
    if rule.pair_limit is not None and (plain or not rule.on):
        raise ConfigError(f"{where}: 'pair_limit' is for blocking rules with 'on' only")
    for ref in rule.missing:
        resolve_ref(ref, by_name, where)
    for ref in rule.on:
        comp, part = resolve_ref(ref, by_name, where)
        if plain and f"{comp.type}.{part}" in LIST_PARTS:
            raise ConfigError(
                f"{where}: '{ref}' is a list; training and prior rules need plain parts "
                f"(e.g. {comp.name}.{PARTS[comp.type][0]})"
            )


def resolve_ref(ref: str, by_name: Mapping[str, Comparison], where: str) -> tuple[Comparison, str]:
    """``name.part`` (or ``name``) -> (comparison, part); ConfigError when unknown."""
    comp_name, _, part = ref.partition(".")
    comp = by_name.get(comp_name)
    if comp is None:
        raise ConfigError(f"{where}: '{ref}' names no comparison")
    part = part or PARTS[comp.type][0]
    if part not in PARTS[comp.type]:
        raise ConfigError(
            f"{where}: '{ref}': a {comp.type} comparison offers {', '.join(PARTS[comp.type])}"
        )
    return comp, part


def _default_training(comparisons: Sequence[Comparison]) -> tuple[Rule, ...]:
    """One session per comparison: block on its first part, so every other one is trained."""
    rules = []
    for c in comparisons[:3]:
        part = PARTS.get(c.type, ("value",))[0]  # an unknown type is refused just after
        rules.append(Rule(on=(f"{c.name}.{part}",)))
    return tuple(rules)


# --- parsing helpers -----------------------------------------------------------------------


def _item_dict(item: Comparison | Rule) -> dict[str, Any]:
    out: dict[str, Any] = {}
    defaults = type(item)(**_minimal(item))
    for f in fields(item):
        value = getattr(item, f.name)
        if f.name not in ("name", "type", "columns") and value == getattr(defaults, f.name):
            continue
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def _minimal(item: Comparison | Rule) -> dict[str, Any]:
    if isinstance(item, Comparison):
        return {"name": item.name, "type": item.type, "columns": item.columns}
    return {}


def _seq(raw: Any) -> Sequence[Any]:
    if isinstance(raw, (list, tuple)):
        return raw
    raise ConfigError("expected a list")


def _no_unknown(data: Mapping[str, Any], known: set[str], source: str, what: str) -> None:
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        where = f"{source}{': ' + what if what else ''}"
        raise ConfigError(
            f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )


def _comparison(raw: Any, where: str) -> Comparison:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: a comparison is a mapping with name, type and columns")
    known = {f.name for f in fields(Comparison)} | {"column"}
    _no_unknown(raw, known, where, "")
    data = dict(raw)
    if "column" in data:
        if "columns" in data:
            raise ConfigError(f"{where}: give 'column' or 'columns', not both")
        data["columns"] = [data.pop("column")]
    data.setdefault("columns", [])
    for key in ("name", "type"):
        if key not in data:
            raise ConfigError(f"{where}: '{key}' is required")
    kwargs: dict[str, Any] = {}
    for f in fields(Comparison):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "columns":
            cols = [value] if isinstance(value, str) else _seq(value)
            kwargs[f.name] = tuple(_text(c, f"{where}: columns") for c in cols)
        elif f.name == "thresholds":
            kwargs[f.name] = tuple(_number(x, f"{where}: thresholds") for x in _seq(value))
        else:
            kwargs[f.name] = _scalar(value, f.type, f"{where}: {f.name}")
    return Comparison(**kwargs)


def _rule(raw: Any, where: str) -> Rule:
    if isinstance(raw, str):
        return Rule(on=(raw,))
    if isinstance(raw, (list, tuple)):
        return Rule(on=tuple(_text(x, where) for x in raw))
    if isinstance(raw, Mapping):
        _no_unknown(raw, {"on", "sql", "missing", "tighten", "pair_limit"}, where, "")
        on = raw.get("on", ())
        on_t = (on,) if isinstance(on, str) else tuple(_text(x, where) for x in _seq(on))
        miss = raw.get("missing", ())
        miss_t = (miss,) if isinstance(miss, str) else tuple(_text(x, where) for x in _seq(miss))
        sql = raw.get("sql")
        tighten = raw.get("tighten", True)
        if not isinstance(tighten, bool):
            raise ConfigError(f"{where}: tighten: expected true or false")
        limit = raw.get("pair_limit")
        if limit is not None and (type(limit) is not int or limit < 1):
            raise ConfigError(f"{where}: pair_limit: expected a whole number of pairs, 1 or more")
        return Rule(
            on=on_t,
            sql=None if sql is None else _text(sql, f"{where}: sql"),
            missing=miss_t,
            tighten=tighten,
            pair_limit=limit,
        )
    raise ConfigError(f"{where}: a rule is a feature, a list of features, or {{on: ..., sql: ...}}")


def _alternative(raw: Any, where: str) -> tuple[str, ...]:
    """A ``tighten`` alternative: one feature, or a list of features joined."""
    if isinstance(raw, (list, tuple)):
        return tuple(_text(x, where) for x in raw)
    return (_text(raw, where),)


def _text(raw: Any, where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(f"{where}: expected text")
    return raw.strip()


def _number(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ConfigError(f"{where}: expected a number")
    return float(raw)


def _scalar(raw: Any, annotation: Any, where: str) -> Any:
    kind = str(annotation)
    if kind in ("bool",):
        if not isinstance(raw, bool):
            raise ConfigError(f"{where}: expected true or false")
        return raw
    if kind == "int | None" and raw is None:
        return None
    if kind in ("int", "int | None"):
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw != int(raw):
            raise ConfigError(f"{where}: expected a whole number")
        return int(raw)
    if kind == "float" or (kind == "float | None" and raw is not None):
        return _number(raw, where)
    if raw is None and "None" in kind:
        return None
    return _text(raw, where)


# --- the default model ---------------------------------------------------------------------


def default_spec() -> LinkageSpec:
    """The model for Korean refugee person lists (FORMATS.md s1).

    Names in any script and romanisation (with aliases), birth date, sex, place of origin in
    the DPRK, place of residence in China, date of first exit, for children their mother's
    name, and the date and place of the act the record documents. Blocking pairs records that
    share any Hangul reading or romanisation key of any name or alias, or a birth year with
    the family or the given name, or a family name and the first three letters of the given
    name (typos late in a name).
    """
    name = Comparison(
        name="name",
        type="name",
        columns=("full_name", "name_hangul", "name_hanzi"),
        family="family_name",
        given="given_name",
        aliases="aliases",
        term_frequency=True,
        pseudonym="notes",
    )
    comparisons = (
        name,
        Comparison(name="birth", type="date", columns=("birth_date",)),
        Comparison(name="sex", type="exact", columns=("sex",)),
        Comparison(name="origin", type="place", columns=("origin_place",), country="KP"),
        Comparison(name="china", type="place", columns=("china_place",), country="CN"),
        Comparison(name="exit", type="date", columns=("first_exit_date",)),
        Comparison(name="mother", type="mother", columns=("mother_record_id",)),
        # The act a record documents: two lists often document the same arrest or sale, and
        # its date and place tell two women of one name apart when neither gives a birth date
        # (realistic preset: pairwise F1 0.829 -> 0.848). Violation and perpetrator codes
        # were tried as well and lowered F1 (0.841): they say again what date and place say.
        Comparison(name="event", type="date", columns=("event_date",)),
        Comparison(name="event_place", type="place", columns=("event_place",)),
    )
    return LinkageSpec(
        comparisons=comparisons,
        blocking=(
            Rule(on=("name.hangul",)),
            Rule(on=("name.keys",)),
            # Any alias or guessed reading against any name or alias, both ways: married and
            # Chinese names are often the only name a second list holds.
            Rule(on=("name.all",)),
            Rule(on=("name.prefix",)),
            Rule(on=("birth.years", "name.family")),
            Rule(on=("birth.years", "name.given")),
            # A record whose name is unknown (none written, or the notes say it is made up: a
            # pseudonym that shares nothing with the person's real name) pairs with records of
            # the same sex by birth, event or exit year, or place in China. Realistic preset:
            # these catch 194 of the 223 pseudonym pairs that no name rule finds.
            # These and the next four are for lists of realistic size: at a million records
            # each pairs 90M-840M records, and they are dropped rather than tightened (not
            # measured there yet).
            *(
                Rule(on=("sex", part), missing=("name.all",), tighten=False)
                for part in ("birth.years", "event.years", "exit.years", "china.prefecture")
            ),
            # The same act (day and place), the same exit (day and place in China), or the
            # same origin county and place in China: two records of one person under names
            # that share no key (another Chinese name each time in police records).
            Rule(on=("event.lo", "event_place.id"), tighten=False),
            Rule(on=("exit.lo", "china.id"), tighten=False),
            Rule(on=("origin.county", "china.id"), tighten=False),
            Rule(on=("name.family", "china.id", "event.years"), tighten=False),
            # The same day of birth and sex, whatever the names: the pairs of names that share
            # no key which a full date still finds. Realistic preset, seed 7: 1,223 pairs,
            # pair completeness 0.9775 -> 0.9791; lists that write every birth date in full,
            # 0.9915 -> 1.0000. Its pairs grow with the square of the records while what it
            # finds does not: on the stress preset 2.8M pairs took peak memory over 6 GB for
            # +0.005 pair completeness, so above 1M pairs it is dropped.
            Rule(on=("birth.day", "sex"), tighten=False, pair_limit=1_000_000),
        ),
        training=(
            Rule(on=("name.key",)),
            # Same day of birth and sex; a year-only date ("1985") would pair every such
            # record of a year with every other, too many to train on at scale.
            Rule(
                sql="l.birth__lo = r.birth__lo AND l.birth__hi = r.birth__hi "
                "AND l.birth__hi - l.birth__lo < 31 AND l.sex__value = r.sex__value"
            ),
        ),
        # Near-certain matches for the prior: same name, sex and day of birth (a precise
        # date). "Same name and birth year" is not near-certain: on the realistic preset only
        # 69% of its pairs match, and far fewer among a million records, which made the prior,
        # and so every probability, too high at scale. This rule's pairs match 99.7% of the
        # time there, and it finds 6.6% of all true pairs (the share of records with a full
        # date of birth on both sides), so the prior it gives is the true one (3.3e-5).
        prior=(
            Rule(
                sql="l.name__key = r.name__key AND l.sex__value = r.sex__value "
                "AND l.birth__lo = r.birth__lo AND l.birth__hi = r.birth__hi "
                "AND l.birth__hi - l.birth__lo < 31"
            ),
        ),
        # Both records need a precise birth date for the rule to find a match: on the
        # realistic preset 0.65-0.73 of such matches also share the name key and sex (0.78
        # when every list writes full dates), so the share of all matches it finds is 0.7
        # times the square of the share of records with a precise date, measured on the
        # lists linked (0.31 there: 0.069, the 6.6% it finds). A fixed 0.07 made the prior
        # 7 times too high on lists that write full dates, and precision fell (0.87).
        prior_recall=0.7,
        prior_when="birth__hi - birth__lo < 31",
        # Join when a match is more likely than not (the Bayes rule for equal costs): missed
        # links bias an estimate of the undocumented as much as false ones. Reviewers see
        # the pairs the model is least sure of.
        threshold=0.5,
        review_band=(0.3, 0.9),
        # Average linkage at a mean of 0.3 rather than chains of single pairs at 0.5: one
        # strong link no longer joins two people, and a record that links moderately to
        # several records of one person joins her. Realistic preset, seeds 7/11/23: pairwise
        # F1 0.859/0.859/0.848 -> 0.876/0.880/0.870 (0.3 chosen on seed 7; 0.25-0.35 all
        # within 0.005 there).
        clustering="average",
        cluster_threshold=0.3,
        # At scale (rule_pair_limit) a name rule is split by a shared possible birth year,
        # and a record without a birth date is paired by name with the records that share its
        # event year, exit year or place in China (the later alternatives pair only records
        # where one lacks a birth year). On a quarter of the stress preset's people (limit
        # scaled by 1/16): pair completeness 0.445 -> 0.632 and F1 0.469 -> 0.558 for 1.7x
        # the pairs. Applying the later alternatives to every pair found more (0.754, F1
        # 0.617) for 3.8x the pairs, too many to fit in 4 GB at a million records.
        tighten=(("birth.years",), ("event.years",), ("exit.years",), ("china.id",)),
        strict_columns=False,
        input="person-list",
    )
