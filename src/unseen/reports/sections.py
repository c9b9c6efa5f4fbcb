"""What each section of a report prints, as plain values for the templates (HTML and PDF alike).

Numbers are formatted here once; templates only lay them out. Charts and maps are drawn by the
caller (``figures``), so this module stays pure and fast to test.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from unseen.domain.vocab import legal_instruments
from unseen.reports.charts import share_never_documented
from unseen.reports.model import Cell, CountTable, EstimateView, ReportData
from unseen.reports.wording import cell_text, count, key_label, percent, word

__all__ = [
    "CellView",
    "EstimateRow",
    "Headline",
    "InstrumentView",
    "TableView",
    "cell_view",
    "cited_instruments",
    "estimate_rows",
    "flatten",
    "headline",
    "table_view",
]


@dataclass(frozen=True)
class CellView:
    text: str
    css: str  # "num count", plus "suppressed primary|secondary" or "approx"
    note: str = ""  # a tooltip / footnote in words


def cell_view(cell: Cell, lang: str, threshold: int) -> CellView:
    if cell.value is None:
        kind = "primary" if cell.flag == "primary" else "secondary"
        note = (
            word("suppressed_primary", lang, t=threshold)
            if kind == "primary"
            else word("suppressed_secondary", lang)
        )
        return CellView(cell_text(cell, threshold), f"num count suppressed {kind}", note)
    if cell.flag in ("rounded", "noisy"):
        return CellView(cell_text(cell, threshold), "num count approx")
    return CellView(cell_text(cell, threshold), "num count")


@dataclass(frozen=True)
class TableView:
    key: str
    title: str
    unit: str
    head: tuple[str, ...]  # first header cell is the row heading's column
    rows: tuple[tuple[str, tuple[CellView, ...]], ...]  # (label, cells incl. the row total)
    foot: tuple[CellView, ...]  # column totals and the grand total
    one_way: bool
    suppressed: bool  # any cell suppressed (the template adds the threshold note)
    part: int = 0  # 0: the whole table or its first columns; 1, 2...: its further columns

    def parts(self, per: int) -> tuple[TableView, ...]:
        """The table in slices of at most ``per`` columns (row headings repeated), so a wide
        2-D table fits a printed page."""
        n = len(self.head) - 1
        if self.one_way or n <= per:
            return (self,)
        out = []
        for k, start in enumerate(range(0, n, per)):
            cols = slice(start, start + per)
            out.append(
                dataclasses.replace(
                    self,
                    head=(self.head[0], *self.head[1:][cols]),
                    rows=tuple((label, cells[cols]) for label, cells in self.rows),
                    foot=self.foot[cols],
                    part=k,
                )
            )
        return tuple(out)


def table_view(table: CountTable, lang: str, threshold: int) -> TableView:
    one_way = table.cols == ("count",)
    unit = table.unit_ko if lang == "ko" else table.unit_en
    rows: tuple[tuple[str, tuple[CellView, ...]], ...]
    foot: tuple[CellView, ...]
    if one_way:
        head: tuple[str, ...] = ("", f"{word('count', lang)} ({unit})")
        rows = tuple(
            (label, (cell_view(row[0], lang, threshold),))
            for label, row in zip(table.row_labels, table.cells, strict=True)
        )
        foot = (cell_view(table.total, lang, threshold),)
    else:
        head = ("", *table.col_labels, word("total", lang))
        rows = tuple(
            (label, tuple(cell_view(c, lang, threshold) for c in (*row, total)))
            for label, row, total in zip(
                table.row_labels, table.cells, table.row_totals, strict=True
            )
        )
        foot = tuple(cell_view(c, lang, threshold) for c in (*table.col_totals, table.total))
    every = [c for r in rows for c in r[1]] + list(foot)
    return TableView(
        key=table.key,
        title=table.title(lang),
        unit=unit,
        head=head,
        rows=rows,
        foot=foot,
        one_way=one_way,
        suppressed=any("suppressed" in c.css for c in every),
    )


def _interval(view: EstimateView, lang: str) -> str:
    e = view.estimate
    if not e.ok:
        return "-"
    hi = word("no_upper", lang) if e.upper is None else count(e.upper)
    return f"{count(e.lower)} – {hi}"


def _share(view: EstimateView, lang: str) -> str:
    share = share_never_documented(view)
    if share is None:
        return "-"
    point, low, high = share
    hi = word("no_upper", lang) if high is None else percent(high)
    return f"{percent(point)} ({percent(low)} – {hi})"


@dataclass(frozen=True)
class EstimateRow:
    label: str
    method: str
    observed: str
    estimate: str
    interval: str
    share: str
    truth: str
    status: str  # "" when estimated, else "not estimable: why"


def estimate_rows(views: Sequence[EstimateView], lang: str) -> tuple[EstimateRow, ...]:
    out = []
    for v in views:
        e = v.estimate
        status = "" if e.ok else f"{word('not_estimable', lang)}: {e.message}"
        out.append(
            EstimateRow(
                label=v.label,
                method=e.method,
                observed=count(e.observed),
                estimate=count(e.estimate) if e.ok else "-",
                interval=_interval(v, lang),
                share=_share(v, lang),
                truth=count(v.truth) if v.truth is not None else "",
                status=status,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Headline:
    documented: str
    estimate: str  # "" when there is no estimate
    interval: str
    level: str
    share: str
    share_interval: str
    truth: str  # "" unless a demo with a known truth
    basis: str  # "on 3 lists, 899 people" etc.
    note: str  # "not estimable: ..." or ""


def headline(data: ReportData) -> Headline:
    lang = data.lang
    documented = count(data.people_in_scope)
    if not data.estimates:
        return Headline(documented, "", "", "", "", "", "", "", word("no_estimate", lang))
    top = data.estimates[0]
    e = top.estimate
    truth = count(top.truth) if data.demo and top.truth is not None else ""
    n = len(e.lists)
    basis = f"{e.method} · " + (f"명단 {n}개" if lang == "ko" else f"{n} lists")
    if not e.ok:
        note = f"{word('not_estimable', lang)}: {e.message}"
        return Headline(documented, "", "", "", "", "", truth, basis, note)
    share = share_never_documented(top)
    point, low, high = share if share is not None else (0.0, 0.0, None)
    return Headline(
        documented=documented,
        estimate=count(e.estimate),
        interval=_interval(top, lang),
        level=f"{e.level:.0%}",
        share=percent(point) if share else "-",
        share_interval=(
            f"{percent(low)} – {word('no_upper', lang) if high is None else percent(high)}"
            if share
            else "-"
        ),
        truth=truth,
        basis=basis,
        note="",
    )


def _scalar(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-"
        if value == int(value) and abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    if value is None:
        return "-"
    return str(value)


# Numbers that are names, not quantities (no thousands separator), and the interval level.
_PLAIN_KEYS = frozenset({"seed", "rule", "run", "level"})


def flatten(mapping: Mapping[str, Any], lang: str, *, prefix: str = "") -> list[tuple[str, str]]:
    """(label, value) rows of a nested mapping: nested keys joined with " · ", short sequences
    joined with commas, long ones (a trace, a curve) counted rather than printed."""
    rows: list[tuple[str, str]] = []
    for key, value in mapping.items():
        label = f"{prefix}{key_label(str(key), lang)}"
        if value is None or value == "" or (isinstance(value, list | tuple) and not value):
            continue  # nothing to say
        if str(key) in _PLAIN_KEYS and not isinstance(value, bool):
            level = key == "level" and isinstance(value, float)
            rows.append((label, f"{value:.0%}" if level else str(value)))
        elif isinstance(value, Mapping):
            rows.extend(flatten(value, lang, prefix=f"{label} · "))
        elif isinstance(value, list | tuple):
            if len(value) <= 8 and all(not isinstance(v, Mapping | list | tuple) for v in value):
                rows.append((label, ", ".join(_scalar(v, lang) for v in value)))
            else:
                rows.append((label, word("n_values", lang, n=len(value))))
        else:
            rows.append((label, _scalar(value, lang)))
    return rows


@dataclass(frozen=True)
class InstrumentView:
    code: str
    name: str
    year: str
    china: str
    dprk: str


def cited_instruments(data: ReportData) -> tuple[InstrumentView, ...]:
    """The treaties the legal framing cites, in order of first citation, with each state's
    status as the project's reference data records it."""
    known = legal_instruments()
    seen: dict[str, InstrumentView] = {}
    refs = [r for law in data.laws for r in law.instruments]
    refs += [f"ROME {law.rome_statute}" for law in data.laws if law.rome_statute]
    for ref in refs:
        code = ref.split(" ", 1)[0].strip(",;")
        item = known.get(code)
        if item is not None and code not in seen:
            seen[code] = InstrumentView(
                code, item.full_name, item.year, item.china_status, item.dprk_status
            )
    return tuple(seen.values())
