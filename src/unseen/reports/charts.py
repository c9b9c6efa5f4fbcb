"""Charts of a report, drawn with matplotlib (Agg, no pyplot state) as SVG or PNG bytes.

Suppressed cells are drawn as such (a hatched box or marker labelled ``<5`` / ``×``), never as a
zero bar; estimates are drawn with their interval, and the simulated truth when there is one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import matplotlib
from matplotlib import ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from unseen.reports.fonts import cjk_font
from unseen.reports.model import Cell, CountTable, EstimateView
from unseen.reports.wording import cell_text, count, percent, word

__all__ = [
    "COLOURS",
    "PNG_DPI",
    "TIMELINE_TYPES",
    "Format",
    "count_chart",
    "count_figure",
    "estimate_chart",
    "estimate_figure",
    "likelihood_chart",
    "likelihood_figure",
    "new_figure",
    "share_chart",
    "share_figure",
    "share_never_documented",
    "style",
    "timeline_chart",
    "timeline_figure",
    "to_bytes",
    "top_columns",
]

Format = Literal["svg", "png"]

COLOURS = {
    "documented": "#4f6d8f",
    "estimated": "#c8553d",
    "truth": "#111111",
    "suppressed": "#8a8a8a",
    "grid": "#dddddd",
    "text": "#222222",
}
_HATCH = "////"

_WIDTH = 7.0  # inches: the text width of an A4 page with margins
PNG_DPI = 150


def _thousands() -> ticker.Formatter:
    """25,000 on an axis, as in the tables (one per axis: formatters belong to their axis)."""
    return ticker.StrMethodFormatter("{x:,.0f}")


@contextmanager
def style() -> Iterator[None]:
    """Matplotlib settings for one drawing: the CJK font, text as paths in SVG (so the file
    needs no font to display), fixed SVG ids (same input, same bytes), no dates in metadata."""
    font = cjk_font()
    with matplotlib.rc_context(
        {
            "font.family": [font.family],  # it has Latin too: no per-glyph fallback lookups
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.edgecolor": "#555555",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "unseen-report",
            "hatch.linewidth": 0.6,
            "hatch.color": COLOURS["suppressed"],
            "legend.frameon": False,
        }
    ):
        yield


def new_figure(height: float, width: float = _WIDTH) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


_PATH_DATA = re.compile(rb' d="([^"]*)"')
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*")
_SVG_METADATA = ("Creator", "Date", "Format", "Type")  # all None: no RDF block, no dates
_DECIMALS = re.compile(rb"(-?\d+\.\d)\d+")


def _compact(match: re.Match[bytes]) -> bytes:
    # Path coordinates are points (1/72 inch) or font units: a tenth is below what shows.
    return b' d="' + _DECIMALS.sub(rb"\1", match.group(1)).replace(b" \n", b" ") + b'"'


def to_bytes(fig: Figure, fmt: Format) -> bytes:
    """A figure as SVG (text as paths) or PNG (at ``PNG_DPI``) bytes."""
    buf = io.BytesIO()
    with style():
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata=dict.fromkeys(_SVG_METADATA))
            # No DOCTYPE: its DTD is an address on the network, and nothing needs it.
            return _PATH_DATA.sub(_compact, _DOCTYPE.sub(b"", buf.getvalue(), count=1))
        # Light zlib: the PDF compresses again, and full compression is a third of the time.
        fig.savefig(
            buf,
            format="png",
            dpi=PNG_DPI,
            metadata={"Software": None},
            pil_kwargs={"compress_level": 2},
        )
    return buf.getvalue()


def _suppressed_legend(lang: str, threshold: int, primary: bool, secondary: bool) -> list[Any]:
    handles: list[Any] = []
    if primary:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=COLOURS["suppressed"],
                hatch=_HATCH,
                label=f"<{threshold}  " + word("suppressed_primary", lang, t=threshold),
            )
        )
    if secondary:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=COLOURS["suppressed"],
                hatch="xx",
                label="×  " + word("suppressed_secondary", lang),
            )
        )
    return handles


def _is_years(codes: Sequence[str]) -> bool:
    years = [c for c in codes if c != "unknown"]
    return len(years) >= 6 and all(len(c) == 4 and c.isdigit() for c in years)


def _bars(table: CountTable, lang: str, threshold: int) -> Figure:
    """Horizontal bars, first row on top; columns left to right when the rows are years (then
    the people of no known year, who have no place on a time axis, are a note in the corner)."""
    upright = _is_years(table.rows)
    keep = [i for i, code in enumerate(table.rows) if not (upright and code == "unknown")]
    cells = [table.cells[i][0] for i in keep]
    labels = [table.row_labels[i] for i in keep]
    n = len(cells)
    if upright:
        fig = new_figure(2.8)
        at = list(range(n))
    else:
        fig = new_figure(max(1.6, 0.8 + 0.28 * n))
        at = list(range(n))[::-1]  # first row on top
    ax = fig.add_subplot()
    for i, code in enumerate(table.rows):
        if upright and code == "unknown":
            ax.text(0.99, 0.97, f"{table.row_labels[i]}: {cell_text(table.cells[i][0], threshold)}",
                    transform=ax.transAxes, ha="right", va="top", fontsize=8,
                    color=COLOURS["suppressed"])  # fmt: skip
    top = max([x.value for x in cells if x.value is not None] + [threshold, 1])

    def bar(p: float, length: float, **style: Any) -> None:
        if upright:
            ax.bar(p, length, width=0.7, **style)
        else:
            ax.barh(p, length, height=0.7, **style)

    for p, cell in zip(at, cells, strict=True):
        if cell.value is not None:
            bar(p, cell.value, color=COLOURS["documented"])
        elif cell.flag == "primary":
            # The cell holds 1..threshold-1: a hatched box spanning that range, no bar length.
            bar(p, threshold, facecolor="white", edgecolor=COLOURS["suppressed"], hatch=_HATCH,
                linestyle="--", linewidth=0.8)  # fmt: skip
        else:
            bar(p, top * 0.02, facecolor="white", edgecolor=COLOURS["suppressed"], hatch="xx",
                linewidth=0.8)  # fmt: skip
        end = cell.value if cell.value is not None else (threshold if cell.flag == "primary" else 0)
        colour = COLOURS["suppressed"] if cell.suppressed else COLOURS["text"]
        text = cell_text(cell, threshold)
        if upright:
            ax.text(p, end + top * 0.02, text, ha="center", va="bottom", color=colour,
                    fontsize=6 if n > 16 else 7, rotation=90 if n > 24 else 0)  # fmt: skip
        else:
            ax.text(end + top * 0.025, p, text, va="center", fontsize=8, color=colour)
    unit = table.unit_ko if lang == "ko" else table.unit_en
    if upright:
        step = max(1, -(-n // 16))
        ax.set_xticks(at[::step], labels[::step], rotation=45 if n > 12 else 0)
        ax.set_ylim(0, top * 1.18)
        ax.set_xlim(-0.6, n - 0.4)
        ax.set_ylabel(unit)
        ax.yaxis.set_major_formatter(_thousands())
        ax.yaxis.grid(True, color=COLOURS["grid"], linewidth=0.6)
    else:
        ax.set_yticks(at, labels)
        ax.set_xlim(0, top * 1.15)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlabel(unit)
        ax.xaxis.set_major_formatter(_thousands())
        ax.xaxis.grid(True, color=COLOURS["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(table.title(lang), loc="left")
    handles = _suppressed_legend(
        lang,
        threshold,
        any(x.suppressed and x.flag == "primary" for x in cells),
        any(x.suppressed and x.flag != "primary" for x in cells),
    )
    if handles:
        fig.legend(handles=handles, loc="outside lower left", fontsize=7, ncols=2)
    return fig


def _heatmap(table: CountTable, lang: str, threshold: int) -> Figure:
    from matplotlib import colormaps

    nr, nc = len(table.rows), len(table.cols)
    fig = new_figure(max(2.0, 1.0 + 0.32 * nr), min(_WIDTH, 2.2 + 0.9 * nc))
    ax = fig.add_subplot()
    values = [c.value for row in table.cells for c in row if c.value is not None]
    top = max(values + [1])
    cmap = colormaps["Blues"]
    flags = {"primary": False, "secondary": False}
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            y = nr - 1 - i
            if cell.value is None:
                flags["primary" if cell.flag == "primary" else "secondary"] = True
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, y - 0.5),
                        1,
                        1,
                        facecolor="white",
                        edgecolor=COLOURS["suppressed"],
                        hatch=_HATCH if cell.flag == "primary" else "xx",
                        linewidth=0.5,
                    )
                )
                colour = COLOURS["suppressed"]
            else:
                shade = 0.12 + 0.78 * cell.value / top
                ax.add_patch(Rectangle((j - 0.5, y - 0.5), 1, 1, facecolor=cmap(shade)))
                colour = "white" if shade > 0.55 else COLOURS["text"]
            ax.text(
                j, y, cell_text(cell, threshold), ha="center", va="center", fontsize=8, color=colour
            )
    ax.set_xlim(-0.5, nc - 0.5)
    ax.set_ylim(-0.5, nr - 0.5)
    ax.set_xticks(range(nc), table.col_labels)
    ax.set_yticks(range(nr), list(table.row_labels)[::-1])
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(table.title(lang), loc="left")
    handles = _suppressed_legend(lang, threshold, flags["primary"], flags["secondary"])
    if handles:
        fig.legend(handles=handles, loc="outside lower left", fontsize=7, ncols=1)
    return fig


def count_figure(table: CountTable, *, lang: str, threshold: int) -> Figure:
    """A 1-D table as horizontal bars, a 2-D table as a shaded grid with its counts."""
    with style():
        if table.cols == ("count",):
            return _bars(table, lang, threshold)
        return _heatmap(table, lang, threshold)


TIMELINE_TYPES = 8  # lines a reader can still tell apart


def top_columns(table: CountTable, n: int) -> set[int]:
    """Indexes of the ``n`` columns with the largest published totals (a suppressed total
    ranks last)."""
    totals = [-1 if t.value is None else t.value for t in table.col_totals]
    order = sorted(range(len(table.cols)), key=lambda j: totals[j], reverse=True)
    return set(order[:n])


def timeline_figure(table: CountTable, *, lang: str, threshold: int) -> Figure:
    """Acts by year (rows) and violation type (columns): one line per type, the
    ``TIMELINE_TYPES`` most frequent (the table lists them all). A suppressed cell breaks its
    line and shows as a hollow marker in the hatched band below the threshold. Acts of no
    known year (the ``unknown`` row) have no place on a time axis and are left to the table."""
    from matplotlib import colormaps

    with style():
        fig = new_figure(3.4)
        ax = fig.add_subplot()
        years = [i for i, code in enumerate(table.rows) if code != "unknown"]
        xs = list(range(len(years)))
        palette = [colormaps["tab10"](i) for i in range(10)]
        any_suppressed = False
        for j, label in enumerate(table.col_labels):
            if j not in top_columns(table, TIMELINE_TYPES):
                continue
            colour = palette[j % len(palette)]
            column: list[Cell] = [table.cells[i][j] for i in years]
            ys = [float("nan") if x.value is None else float(x.value) for x in column]
            ax.plot(xs, ys, color=colour, marker="o", markersize=3, linewidth=1.4, label=label)
            hidden = [x for x, cell in zip(xs, column, strict=True) if cell.suppressed]
            if hidden:
                any_suppressed = True
                ax.plot(
                    hidden,
                    [threshold / 2] * len(hidden),
                    linestyle="none",
                    marker="o",
                    markersize=5,
                    markerfacecolor="white",
                    markeredgecolor=colour,
                )
        if any_suppressed:
            ax.axhspan(
                0,
                threshold,
                facecolor="white",
                edgecolor=COLOURS["suppressed"],
                hatch=_HATCH,
                linewidth=0,
                label=word("timeline_suppressed", lang, t=threshold),
                zorder=0,
            )
        # At most about 16 year labels: every second (third ...) year when there are more.
        step = max(1, -(-len(xs) // 16))
        labels = [table.row_labels[i] for i in years]
        ax.set_xticks(xs[::step], labels[::step], rotation=45 if len(xs) > 12 else 0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(word("year", lang))
        ax.set_ylabel(table.unit_ko if lang == "ko" else table.unit_en)
        ax.yaxis.set_major_formatter(_thousands())
        ax.yaxis.grid(True, color=COLOURS["grid"], linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(table.title(lang), loc="left")
        fig.legend(loc="outside right upper", fontsize=7)
        return fig


def share_never_documented(view: EstimateView) -> tuple[float, float, float | None] | None:
    """(point, low, high) share never documented; ``high`` is None when the interval has no
    upper bound. None when there is no estimate."""
    e = view.estimate
    if not e.ok or e.estimate is None or e.estimate <= 0:
        return None
    got = view.share_undocumented
    if got is not None:
        return got
    low = 1 - e.observed / e.lower if e.lower else 0.0
    return (1 - e.observed / e.estimate, max(low, 0.0), None)


def estimate_figure(views: Sequence[EstimateView], *, lang: str) -> Figure:
    """Documented people (bar) and the estimated total (point, interval bar) per group, with
    the simulated truth (diamond) when known; a group that cannot be estimated says so."""
    with style():
        n = len(views)
        fig = new_figure(max(1.8, 0.9 + 0.5 * n))
        ax = fig.add_subplot()
        ys = list(range(n))[::-1]
        right = (
            max(
                [
                    float(v.estimate.upper or v.estimate.estimate or v.estimate.observed)
                    for v in views
                ]
                + [float(v.truth or 0) for v in views]
                + [1.0]
            )
            * 1.12
        )
        level = views[0].estimate.level if views else 0.95
        for y, v in zip(ys, views, strict=True):
            e = v.estimate
            ax.barh(y, e.observed, height=0.5, color=COLOURS["documented"], alpha=0.85)
            if e.ok and e.estimate is not None:
                lo = e.lower if e.lower is not None else e.estimate
                hi = e.upper if e.upper is not None else right
                ax.plot(
                    [lo, hi],
                    [y, y],
                    color=COLOURS["estimated"],
                    linewidth=2.2,
                    solid_capstyle="butt",
                )
                ax.plot([lo, lo], [y - 0.18, y + 0.18], color=COLOURS["estimated"], linewidth=1.5)
                if e.upper is not None:
                    ax.plot(
                        [hi, hi], [y - 0.18, y + 0.18], color=COLOURS["estimated"], linewidth=1.5
                    )
                else:
                    ax.annotate(
                        "",
                        xy=(right, y),
                        xytext=(right * 0.97, y),
                        arrowprops={"arrowstyle": "->", "color": COLOURS["estimated"]},
                    )
                    ax.text(
                        right,
                        y + 0.22,
                        word("no_upper", lang),
                        ha="right",
                        fontsize=7,
                        color=COLOURS["estimated"],
                    )
                ax.plot(e.estimate, y, "o", color=COLOURS["estimated"], markersize=6)
            else:
                ax.text(
                    max(e.observed, v.truth or 0) + right * 0.02,
                    y,
                    word("not_estimable", lang),
                    va="center",
                    fontsize=8,
                    color=COLOURS["suppressed"],
                )
            if v.truth is not None:
                ax.plot(
                    v.truth,
                    y,
                    "D",
                    color=COLOURS["truth"],
                    markersize=5,
                    markerfacecolor="none",
                    markeredgewidth=1.3,
                )
        ax.set_yticks(ys, [v.label for v in views])
        ax.set_xlim(0, right)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel(word("est.people_axis", lang))
        ax.xaxis.set_major_formatter(_thousands())
        ax.xaxis.grid(True, color=COLOURS["grid"], linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(word("est.chart_title", lang, level=f"{level:.0%}"), loc="left")
        handles: list[Any] = [
            Patch(color=COLOURS["documented"], label=word("documented", lang)),
            Line2D(
                [],
                [],
                color=COLOURS["estimated"],
                marker="o",
                label=f"{word('est.estimate', lang)} ({level:.0%})",
            ),
        ]
        if any(v.truth is not None for v in views):
            handles.append(
                Line2D(
                    [],
                    [],
                    color=COLOURS["truth"],
                    marker="D",
                    linestyle="none",
                    markerfacecolor="none",
                    label=word("truth", lang),
                )
            )
        fig.legend(handles=handles, loc="outside lower left", ncols=3, fontsize=7)
        return fig


def share_figure(views: Sequence[EstimateView], *, lang: str) -> Figure:
    """The share of each group that no list recorded, with its interval (0-100%)."""
    with style():
        n = len(views)
        fig = new_figure(max(1.6, 0.8 + 0.42 * n))
        ax = fig.add_subplot()
        ys = list(range(n))[::-1]
        level = views[0].estimate.level if views else 0.95
        for y, v in zip(ys, views, strict=True):
            share = share_never_documented(v)
            if share is None:
                ax.text(
                    0.01,
                    y,
                    word("not_estimable", lang),
                    va="center",
                    fontsize=8,
                    color=COLOURS["suppressed"],
                )
                continue
            point, low, high = share
            ax.barh(y, point, height=0.5, color=COLOURS["estimated"], alpha=0.35)
            top = 1.0 if high is None else high
            ax.plot([low, top], [y, y], color=COLOURS["estimated"], linewidth=2)
            ax.plot(point, y, "o", color=COLOURS["estimated"], markersize=5)
            hi_text = word("no_upper", lang) if high is None else percent(high)
            ax.text(
                low, y + 0.3, f"{percent(point)} ({percent(low)}–{hi_text})", fontsize=7, ha="left"
            )
            if v.truth is not None and v.truth > 0:
                ax.plot(
                    1 - v.estimate.observed / v.truth,
                    y,
                    "D",
                    color=COLOURS["truth"],
                    markerfacecolor="none",
                    markersize=5,
                )
        ax.set_yticks(ys, [v.label for v in views])
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.6, n - 0.2)
        ax.xaxis.set_major_formatter(ticker.PercentFormatter(1.0))
        ax.set_xlabel(word("est.share_axis", lang))
        ax.xaxis.grid(True, color=COLOURS["grid"], linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(word("est.share_title", lang, level=f"{level:.0%}"), loc="left")
        return fig


def likelihood_figure(view: EstimateView, *, lang: str) -> Figure:
    """The posterior (or relative likelihood) of the total N, its interval shaded, with the
    documented count, the estimate and the truth marked."""
    with style():
        fig = new_figure(2.6)
        ax = fig.add_subplot()
        xs = [p[0] for p in view.curve]
        peak = max([p[1] for p in view.curve] + [1e-300])
        ys = [p[1] / peak for p in view.curve]
        ax.plot(xs, ys, color=COLOURS["estimated"], linewidth=1.5)
        e = view.estimate
        if e.lower is not None:
            hi = e.upper if e.upper is not None else max(xs)
            inside = [(x, y) for x, y in zip(xs, ys, strict=True) if e.lower <= x <= hi]
            if inside:
                ax.fill_between(
                    [p[0] for p in inside],
                    [p[1] for p in inside],
                    alpha=0.25,
                    color=COLOURS["estimated"],
                    linewidth=0,
                    label=f"{e.level:.0%} {word('interval', lang)}",
                )
        if e.estimate is not None:
            ax.axvline(
                e.estimate,
                color=COLOURS["estimated"],
                linewidth=1,
                label=f"{word('est.estimate', lang)} {count(e.estimate)}",
            )
        ax.axvline(
            e.observed,
            color=COLOURS["documented"],
            linestyle=":",
            linewidth=1.4,
            label=f"{word('documented', lang)} {count(e.observed)}",
        )
        if view.truth is not None:
            ax.axvline(
                view.truth,
                color=COLOURS["truth"],
                linestyle="--",
                linewidth=1.2,
                label=f"{word('truth', lang)} {count(view.truth)}",
            )
        ax.set_ylim(0, 1.08)
        ax.set_yticks([])
        ax.set_xlabel(word("est.n_axis", lang))
        ax.set_ylabel(word("est.curve_y", lang))
        ax.xaxis.set_major_formatter(_thousands())
        ax.set_title(word("est.curve_title", lang, label=view.label), loc="left")
        fig.legend(loc="outside right upper", fontsize=7)
        return fig


# The same drawings as bytes, for the HTML (SVG) and the PDF (PNG).


def count_chart(table: CountTable, *, lang: str, threshold: int, fmt: Format = "svg") -> bytes:
    return to_bytes(count_figure(table, lang=lang, threshold=threshold), fmt)


def timeline_chart(table: CountTable, *, lang: str, threshold: int, fmt: Format = "svg") -> bytes:
    return to_bytes(timeline_figure(table, lang=lang, threshold=threshold), fmt)


def estimate_chart(views: Sequence[EstimateView], *, lang: str, fmt: Format = "svg") -> bytes:
    return to_bytes(estimate_figure(views, lang=lang), fmt)


def share_chart(views: Sequence[EstimateView], *, lang: str, fmt: Format = "svg") -> bytes:
    return to_bytes(share_figure(views, lang=lang), fmt)


def likelihood_chart(view: EstimateView, *, lang: str, fmt: Format = "svg") -> bytes:
    return to_bytes(likelihood_figure(view, lang=lang), fmt)
