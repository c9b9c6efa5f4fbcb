"""The outcome of a linkage run and its files (FORMATS.md s5 and s3).

:class:`LinkResult` holds pandas tables; treat them as read-only (writers and metrics copy).
They hold record ids and list names only, never names or dates; the input table kept for
strata (``records``) stays out of every repr.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from unseen.domain.dates import FuzzyDate, parse_optional_fuzzy_date
from unseen.errors import ConfigError, InputError, UnseenError
from unseen.linkage.features import date_bounds, place_chain
from unseen.places import gazetteer, resolve_place

__all__ = [
    "CLUSTER_COLUMNS",
    "PAIR_COLUMNS",
    "REASONS",
    "LinkResult",
    "check_strata",
    "capture_histories",
    "write_capture_histories_csv",
    "write_clusters_csv",
    "write_pairs_csv",
]

CLUSTER_COLUMNS = ("record_id", "list", "cluster_id", "cluster_size", "match_probability")
PAIR_COLUMNS = (
    "record_id_l",
    "list_l",
    "record_id_r",
    "list_r",
    "match_probability",
    "decision",
)
#: The optional last column of ``pairs.csv``: why the model scored the pair so
#: (:mod:`unseen.linkage.explanation`); names levels only, never a value.
REASONS = "reasons"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class LinkResult:
    """Clusters, scored pairs and the trained model of one run.

    - ``clusters``: one row per input record, in input order: ``uid``, then
      :data:`CLUSTER_COLUMNS`.
    - ``pairs``: scored candidate pairs at or above ``min(review_band[0], threshold)``:
      ``uid_l``, ``uid_r``, then :data:`PAIR_COLUMNS` and :data:`REASONS`; strongest
      first.
    - ``model``: JSON-safe summary: per comparison and level, label, m, u and match weight;
      ``probability_two_random_records_match``; the Splink settings (``splink``).
    - ``stats``: counts and timings (records, candidate pairs, clusters, labels used, pairs a
      decision kept apart, unreadable values per comparison, seconds per stage, engine).
    """

    clusters: pd.DataFrame = field(repr=False)
    pairs: pd.DataFrame = field(repr=False)
    model: Mapping[str, Any] = field(repr=False)
    stats: Mapping[str, Any]
    threshold: float
    records: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"LinkResult(records={len(self.clusters)}, clusters={self.n_clusters}, "
            f"pairs={len(self.pairs)}, threshold={self.threshold})"
        )

    @property
    def n_clusters(self) -> int:
        return int(self.clusters["cluster_id"].nunique())

    @property
    def lists(self) -> tuple[str, ...]:
        return tuple(sorted(str(x) for x in self.clusters["list"].unique()))


def _probability_cell(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):.6g}"


def write_clusters_csv(result: LinkResult, path: str | Path) -> Path:
    """``clusters.csv`` exactly per FORMATS.md s5, in input order."""
    p = Path(path)
    with p.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CLUSTER_COLUMNS)
        for row in result.clusters.itertuples(index=False):
            writer.writerow(
                (
                    row.record_id,
                    row.list,
                    row.cluster_id,
                    int(row.cluster_size),
                    _probability_cell(row.match_probability),
                )
            )
    return p


def write_pairs_csv(
    result: LinkResult, path: str | Path, *, min_probability: float | None = None
) -> Path:
    """``pairs.csv`` per FORMATS.md s5, with the optional :data:`REASONS` column last: the
    pairs of ``result.pairs`` (or those at or above ``min_probability``), strongest first."""
    p = Path(path)
    pairs = result.pairs
    if min_probability is not None:
        pairs = pairs[pairs["match_probability"] >= min_probability]
    with p.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow((*PAIR_COLUMNS, REASONS))
        for row in pairs.itertuples(index=False):
            writer.writerow(
                (
                    row.record_id_l,
                    row.list_l,
                    row.record_id_r,
                    row.list_r,
                    _probability_cell(row.match_probability),
                    row.decision or "",
                    getattr(row, REASONS, "") or "",
                )
            )
    return p


# --- capture histories ---------------------------------------------------------------------


def check_strata(columns: Iterable[str], lists: Iterable[str], strata: Sequence[str]) -> None:
    """Refuse strata that :func:`capture_histories` cannot make from a table with these
    ``columns`` and ``lists``: callers check before a long linkage run, not after it."""
    if len(set(strata)) != len(strata):
        raise ConfigError("each stratum may be named once")
    clash = set(strata) & {*lists, "count"}
    if clash:
        raise ConfigError(f"stratum name(s) {', '.join(sorted(clash))} clash with list names")
    have = set(columns)
    for ref in strata:
        col, _, how = ref.partition(":")
        if col not in have:
            raise ConfigError(f"stratum '{ref}': the input has no column '{col}'")
        if how not in ("", "year", "decade", "province"):
            raise ConfigError(f"stratum '{ref}': use column, column:year, :decade or :province")


def _stratum_values(records: pd.DataFrame, ref: str) -> list[str]:
    """One text value per record for a stratum ``column`` or ``column:year|decade|province``."""
    col, _, how = ref.partition(":")
    out = []
    for value in records[col].tolist():
        out.append(_stratum_value(value, how))
    return out


def _stratum_value(value: Any, how: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return UNKNOWN
    if how in ("year", "decade"):
        fuzzy = value if isinstance(value, FuzzyDate) else _fuzzy(value)
        year = date_bounds(fuzzy)["year"] if fuzzy is not None else None
        if year is None and fuzzy is not None and fuzzy.earliest and fuzzy.latest:
            # A vague date still has a decade when both ends fall in it.
            d0, d1 = fuzzy.earliest.year // 10, fuzzy.latest.year // 10
            if how == "decade" and d0 == d1:
                return f"{d0 * 10}s"
        if year is None:
            return UNKNOWN
        return str(year) if how == "year" else f"{year // 10 * 10}s"
    if how == "province":
        text = str(value).strip()
        if not text:
            return UNKNOWN
        pid = text if text in gazetteer() else getattr(resolve_place(text), "gazetteer_id", None)
        return (place_chain(pid)["province"] or UNKNOWN) if pid else UNKNOWN
    text = str(value).strip()
    return text or UNKNOWN


def _fuzzy(value: Any) -> FuzzyDate | None:
    try:
        parsed = parse_optional_fuzzy_date(str(value))
    except UnseenError:
        return None
    return None if parsed is None else parsed.value


def capture_histories(
    result: LinkResult,
    *,
    strata: Sequence[str] = (),
    records: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The capture-history table of FORMATS.md s3: one 0/1 column per list (sorted), the
    ``strata`` columns, then ``count``.

    A stratum is an input column (``sex``) or a derived value: ``column:year`` or
    ``column:decade`` of a date column, ``column:province`` (gazetteer id) of a place column.
    A person (cluster) takes the value most of their records give (ties: the smallest); none
    gives ``unknown``. ``records`` defaults to the input table kept in ``result``.
    """
    lists = result.lists
    clusters = result.clusters
    table = records if records is not None else result.records
    if strata and table is None:
        raise ConfigError("strata need the input records; pass records=")
    if table is not None and len(table) != len(clusters):
        raise InputError("records= must be the table that was linked, row for row")
    check_strata(table.columns if table is not None else (), lists, strata)
    per_record = {s: _stratum_values(table, s) for s in strata} if table is not None else {}
    members: dict[str, list[int]] = {}
    for uid, cid in enumerate(clusters["cluster_id"].tolist()):
        members.setdefault(cid, []).append(uid)
    rec_lists = clusters["list"].tolist()
    counts: Counter[tuple[Any, ...]] = Counter()
    for uids in members.values():
        on = {rec_lists[u] for u in uids}
        pattern = tuple(1 if name in on else 0 for name in lists)
        values = tuple(_majority([per_record[s][u] for u in uids]) for s in strata)
        counts[pattern + values] += 1
    rows = [(*key, n) for key, n in sorted(counts.items(), key=lambda kv: kv[0])]
    return pd.DataFrame(rows, columns=[*lists, *strata, "count"])


def _majority(values: list[str]) -> str:
    known = [v for v in values if v != UNKNOWN]
    if not known:
        return UNKNOWN
    tally = Counter(known)
    best = max(tally.values())
    return min(v for v, n in tally.items() if n == best)


def write_capture_histories_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write a :func:`capture_histories` table as CSV (FORMATS.md s3)."""
    p = Path(path)
    with p.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([str(c) for c in table.columns])
        for row in table.itertuples(index=False):
            writer.writerow([str(x) for x in row])
    return p
