"""Reports for the web app: a report made for one user's request, its estimate charts, and the
file she downloads.

The role decides the scopes (:data:`unseen.services.access.REPORT_SCOPES`); the consent gate in
:func:`~unseen.services.reporting.build_report_data` decides who is counted. A report reads
analytic attributes only, so making one opens no identity and writes no ``reveal``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from unseen.errors import InputError
from unseen.reports import charts
from unseen.reports.html import Figure, render_html
from unseen.reports.model import DisclosureSettings, ReportData
from unseen.reports.wording import word
from unseen.services.access import require_scope
from unseen.services.estimating import EstimateSettings
from unseen.services.reporting import Progress, build_report_data
from unseen.store import Workspace

__all__ = [
    "ReportFile",
    "ReportRequest",
    "disclosure_settings",
    "estimate_figures",
    "make_report",
    "report_file",
]

Format = Literal["html", "pdf"]
_MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
_MAX_CURVES = 4  # as the report: the total and the first few groups


@dataclass(frozen=True)
class ReportRequest:
    """What a user asked for: scope (and partner, for ``partner``), language, disclosure."""

    scope: str = "internal"
    lang: Literal["en", "ko"] = "ko"
    partner: str | None = None
    disclosure: DisclosureSettings = DisclosureSettings()  # noqa: RUF009 (frozen)


@dataclass(frozen=True, repr=False)
class ReportFile:
    content: bytes
    media_type: str
    filename: str  # no partner name, no workspace path: scope, language, day

    def __repr__(self) -> str:
        return f"ReportFile({self.filename!r}, {len(self.content)} bytes)"


# The limits of `unseen report`'s --threshold, --round and --epsilon (typer's min=), and a
# ceiling the CLI does not need: a number typed into a form stays a number of people.
MIN_THRESHOLD, MIN_ROUND, MIN_EPSILON = 1, 2, 0.001
MAX_THRESHOLD, MAX_ROUND, MAX_EPSILON = 10_000, 10_000, 1_000.0


def disclosure_settings(
    threshold: int = 5, round_to: int | None = None, epsilon: float | None = None
) -> DisclosureSettings:
    """The disclosure settings a user asked for, with ``unseen report``'s limits: no cell of
    fewer than ``threshold`` people (1 or more), counts rounded to a multiple of ``round_to``
    (2 or more) and differential-privacy noise of budget ``epsilon`` per table (0.001 or
    more). Wrong values are an :class:`InputError` naming the field."""
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise InputError(
            f"threshold: a whole number of people from {MIN_THRESHOLD} to {MAX_THRESHOLD} "
            f"(5 by default) / 공개 기준은 {MIN_THRESHOLD}~{MAX_THRESHOLD}명의 정수입니다"
        )
    if round_to is not None and not MIN_ROUND <= round_to <= MAX_ROUND:
        raise InputError(
            f"round: a whole number from {MIN_ROUND} to {MAX_ROUND} (e.g. 5), or empty for no "
            f"rounding / 반올림 단위는 {MIN_ROUND}~{MAX_ROUND}의 정수이거나 비워 둡니다"
        )
    if epsilon is not None and not (
        math.isfinite(epsilon) and MIN_EPSILON <= epsilon <= MAX_EPSILON
    ):
        raise InputError(
            f"epsilon: a number from {MIN_EPSILON} to {MAX_EPSILON:g} (e.g. 1.0; smaller is "
            "more private and noisier), or empty for exact counts / 엡실론은 "
            f"{MIN_EPSILON}~{MAX_EPSILON:g}의 수(예: 1.0)이거나 비워 둡니다"
        )
    return DisclosureSettings(threshold=threshold, rounding=round_to, epsilon=epsilon)


def make_report(
    ws: Workspace,
    request: ReportRequest,
    *,
    today: dt.date,
    estimate: EstimateSettings,
    progress: Progress | None = None,
) -> ReportData:
    """The report ``ws``'s user asked for, if her role may make that scope."""
    require_scope(ws.role, request.scope)
    partner = (request.partner or "").strip() or None
    if (request.scope == "partner") != (partner is not None):
        raise InputError(
            "partner: name the partner organisation for a partner report, and only then / "
            "협력 기관 보고서에만 협력 기관 이름을 쓰십시오"
        )
    return build_report_data(
        ws, scope=request.scope, lang=request.lang, today=today,
        disclosure=request.disclosure, partner=partner, estimate=estimate, progress=progress,
    )  # fmt: skip


def estimate_figures(data: ReportData) -> tuple[Figure, ...]:
    """The report's estimate charts (SVG): the estimates with their intervals, the share never
    documented, and the curve of how likely each total is, as the report draws them."""
    if not data.estimates:
        return ()
    lang, views = data.lang, data.estimates
    level = f"{views[0].estimate.level:.0%}"
    svg = "image/svg+xml"
    out = [
        Figure(svg, charts.estimate_chart(views, lang=lang),
               word("est.chart_title", lang, level=level)),
        Figure(svg, charts.share_chart(views, lang=lang),
               word("est.share_title", lang, level=level)),
    ]  # fmt: skip
    for view in [v for v in views if v.curve][:_MAX_CURVES]:
        alt = word("est.curve_title", lang, label=view.label)
        out.append(Figure(svg, charts.likelihood_chart(view, lang=lang), alt))
    return tuple(out)


def report_file(data: ReportData, fmt: Format) -> ReportFile:
    """The whole report as a file: one self-contained HTML page (SVG charts inside) or A4 PDF."""
    if fmt == "html":
        content = render_html(data).encode("utf-8")
    elif fmt == "pdf":
        from unseen.reports.pdf import render_pdf  # WeasyPrint loads only for a PDF

        content = render_pdf(data)
    else:
        raise InputError("format: html or pdf / 형식은 html 또는 pdf입니다")
    name = f"unseen-report-{data.scope}-{data.lang}-{data.generated_on.isoformat()}.{fmt}"
    return ReportFile(content, _MEDIA[fmt], name)
