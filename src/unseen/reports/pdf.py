"""A report as PDF: the HTML report with PNG images and the paged stylesheet, printed by
WeasyPrint with the system fonts. Nothing is fetched: the URL fetcher refuses every URL that
is not a ``data:`` URI, and stops the rendering if one is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.urls import URLFetcher

from unseen.reports.html import Figure, Progress, draw_figures, render_html
from unseen.reports.model import ReportData

__all__ = ["OfflineFetcher", "html_to_pdf", "render_pdf", "write_pdf"]


class OfflineFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """WeasyPrint's fetcher, limited to ``data:`` URIs; anything else is fatal, and noted in
    ``refused`` (so tests can see what a document asked for)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), fail_on_errors=True)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"a report loads nothing from outside itself, refused: {url[:80]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, *, fetcher: OfflineFetcher | None = None) -> bytes:
    """Print a self-contained HTML document to PDF bytes, offline."""
    doc = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher or OfflineFetcher())
    pdf: bytes = doc.write_pdf()
    return pdf


def render_pdf(
    data: ReportData,
    *,
    progress: Progress | None = None,
    figures: dict[str, Figure] | None = None,
) -> bytes:
    """The report as PDF bytes: the same sections as the HTML report, A4 pages."""
    drawn = figures if figures is not None else draw_figures(data, "png", progress=progress)
    return html_to_pdf(render_html(data, fmt="png", paged=True, figures=drawn))


def write_pdf(data: ReportData, path: Path, *, progress: Progress | None = None) -> Path:
    path.write_bytes(render_pdf(data, progress=progress))
    return path
