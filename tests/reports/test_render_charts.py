"""Charts: suppressed cells are drawn as suppressed (never as a count), estimates with their
interval and the truth, and the same input always gives the same bytes."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from renderkit import P, S, c, estimates, one_way, sample_report, timeline

from unseen.estimation import Estimate
from unseen.reports import charts
from unseen.reports.model import EstimateView
from unseen.reports.wording import cell_text


def _texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]  # type: ignore[attr-defined]


def test_suppressed_bars_are_labelled_never_zero() -> None:
    table = one_way("t", "T", "티", ("a", "b", "c"), ("A", "B", "C"), (c(40), P, S), c(47))
    fig = charts.count_figure(table, lang="en", threshold=5)
    ax = fig.axes[0]
    # One label per row, top to bottom: the count, then the marks; no row reads "0".
    assert [t.get_text() for t in ax.texts] == ["40", "<5", "×"]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    # The published row has a solid bar of its value; the primary row a hatched box spanning the
    # threshold (its 1..4 range), no bar of any other length; the secondary row only a marker.
    solid = [b for b in bars if not b.get_hatch()]
    hatched = [b for b in bars if b.get_hatch()]
    assert [b.get_width() for b in solid] == [40]
    assert sorted(b.get_hatch() for b in hatched) == ["////", "xx"]
    primary = next(b for b in hatched if b.get_hatch() == "////")
    assert primary.get_width() == 5


def test_suppressed_bar_label_follows_threshold() -> None:
    table = one_way("t", "T", "티", ("a", "b"), ("A", "B"), (c(40), P), c(49))
    texts = [
        t.get_text() for t in charts.count_figure(table, lang="ko", threshold=10).axes[0].texts
    ]
    assert texts == ["40", "<10"]


def test_two_way_table_cells_print_their_marks() -> None:
    data = sample_report("en")
    table = data.tables[-1]  # sex by age band: one primary and one secondary cell
    ax = charts.count_figure(table, lang="en", threshold=5).axes[0]
    expected = sorted("<5" if x.flag == "primary" else "×" if x.value is None else f"{x.value:,}"
                      for row in table.cells for x in row)  # fmt: skip
    assert sorted(t.get_text() for t in ax.texts) == expected


def test_timeline_breaks_lines_at_suppressed_cells() -> None:
    table = timeline("en")
    fig = charts.timeline_figure(table, lang="en", threshold=5)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines() if ln.get_label()[0] != "_"}
    for j, label in enumerate(table.col_labels):
        ys = list(lines[label].get_ydata())
        for i, row in enumerate(table.cells):
            if row[j].suppressed:
                assert math.isnan(ys[i])
            else:
                assert ys[i] == row[j].value


def test_estimate_chart_marks_interval_and_truth() -> None:
    views = estimates("en", truth=True)
    fig = charts.estimate_figure(views, lang="en")
    xs = [x for ln in fig.axes[0].get_lines() for x in ln.get_xdata()]
    total = views[0].estimate
    for x in (total.estimate, total.lower, total.upper, views[0].truth):
        assert any(abs(float(v) - float(x)) < 1e-9 for v in xs), x  # type: ignore[arg-type]
    diamonds = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "D"]
    assert len(diamonds) == 4
    assert "not estimable" in _texts(fig)
    assert "no upper bound" in _texts(fig)


def test_estimate_chart_without_truth_has_no_truth_marker() -> None:
    fig = charts.estimate_figure(estimates("en", truth=False), lang="en")
    assert not [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "D"]


def test_likelihood_chart_marks_documented_estimate_and_truth() -> None:
    view = estimates("ko", truth=True)[0]
    fig = charts.likelihood_figure(view, lang="ko")
    vertical = sorted(
        float(ln.get_xdata()[0])  # type: ignore[index]
        for ln in fig.axes[0].get_lines()
        if len(set(ln.get_xdata())) == 1  # type: ignore[arg-type]
    )
    assert vertical == [899.0, 2731.0, 2900.0]


def test_share_never_documented_known_answers() -> None:
    total = estimates("en", truth=False)[0]
    point, low, high = charts.share_never_documented(total)  # type: ignore[misc]
    assert point == pytest.approx(1 - 899 / 2731)
    assert low == pytest.approx(1 - 899 / 2104)
    assert high == pytest.approx(1 - 899 / 3652)
    open_top = estimates("en", truth=False)[3]
    assert charts.share_never_documented(open_top) == (
        pytest.approx(1 - 344 / 1210),
        pytest.approx(1 - 344 / 720),
        None,
    )
    not_estimable = estimates("en", truth=False)[2]
    assert charts.share_never_documented(not_estimable) is None


def test_svg_is_xml_and_deterministic_png_is_png() -> None:
    data = sample_report("ko")
    first = charts.count_chart(data.tables[0], lang="ko", threshold=5, fmt="svg")
    again = charts.count_chart(data.tables[0], lang="ko", threshold=5, fmt="svg")
    assert first == again
    root = ET.fromstring(first)  # noqa: S314 (our own output)
    assert root.tag.endswith("svg")
    assert b"<text" not in first  # text drawn as paths: the file needs no font to display
    # No address but the XML namespaces (no DTD, no metadata links).
    assert b"http" not in re.sub(rb'xmlns(:\w+)?="[^"]*"', b"", first)
    png = charts.estimate_chart(data.estimates, lang="ko", fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == round(7.0 * charts.PNG_DPI)


def test_chart_without_curve_marks_documented_and_estimate() -> None:
    e = Estimate(method="chapman", observed=10, estimate=20.0, lower=12.0, upper=40.0, level=0.95,
                 lists=("a", "b"))  # fmt: skip
    fig = charts.likelihood_figure(EstimateView(e, "all"), lang="en")
    vertical = sorted(float(ln.get_xdata()[0]) for ln in fig.axes[0].get_lines()[1:])  # type: ignore[index]
    assert vertical == [10.0, 20.0]


def test_years_stand_as_columns_in_order() -> None:
    table = sample_report("en").tables[1]  # people by year: 2012 primary, 2013 secondary
    ax = charts.count_figure(table, lang="en", threshold=5).axes[0]
    expected = [cell_text(row[0], 5) for row in table.cells]
    assert [t.get_text() for t in ax.texts] == expected and expected[:2] == ["<5", "×"]
    solid = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_hatch()]
    values = [row[0].value for row in table.cells if row[0].value is not None]
    assert [b.get_height() for b in solid] == values  # upright bars, left to right
    assert [round(b.get_x() + b.get_width() / 2) for b in solid] == list(range(2, len(table.rows)))


def test_people_of_no_known_year_are_a_note_not_a_column() -> None:
    years = ("2015", "2016", "2017", "2018", "2019", "2020", "unknown")
    values = (c(10), c(12), c(9), P, c(30), c(22), c(400))
    table = one_way("people_by_year", "By year", "연도별", years, (*years[:-1], "unknown"),
                    values, c(487))  # fmt: skip
    ax = charts.count_figure(table, lang="en", threshold=5).axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["unknown: 400", "10", "12", "9", "<5", "30", "22"]
    solid = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_hatch()]
    assert [b.get_height() for b in solid] == [10, 12, 9, 30, 22]  # no column of 400
